"""Query counts of the message list API: 3 rows and 25 rows read the same number of
queries (`common.tests.query_counts`), so an N+1 fails here."""

from __future__ import annotations

import datetime as dt
import itertools

import pytest
from django.test import Client

from yichuang.cases.tests import factories as case_factories
from yichuang.common.tests.query_counts import assert_flat, items
from yichuang.notifications.models import Message

pytestmark = pytest.mark.django_db

AT = dt.datetime(2026, 3, 2, 2, tzinfo=dt.UTC)


def test_the_message_list():
    user = case_factories.applicant_user()
    client = Client()
    client.force_login(user)
    minutes = itertools.count()

    def add(n: int) -> None:
        for _ in range(n):
            Message.objects.create(
                recipient=user,
                case=case_factories.case(),
                kind="accepted",
                title="办件已受理",
                body="您的办件已受理。",
                created_at=AT + dt.timedelta(minutes=next(minutes)),
            )

    assert_flat(client, "/api/v1/messages", data={"page_size": 100}, add=add, rows=items)
