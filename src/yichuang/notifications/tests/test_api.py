"""GET /api/v1/messages and POST /api/v1/messages/{id}/read."""

from __future__ import annotations

import datetime as dt

import pytest

from yichuang.cases.tests import factories as case_factories
from yichuang.common import clock
from yichuang.notifications.models import Message
from yichuang.notifications.tests import factories

pytestmark = pytest.mark.django_db

URL = "/api/v1/messages"


def message(*, recipient, minutes: int = 0, case=None, read: bool = False) -> Message:
    created = factories.AT + dt.timedelta(minutes=minutes)
    return Message.objects.create(
        recipient=recipient,
        case=case,
        kind="accepted",
        title=f"消息{minutes}",
        body="您的办件已受理。",
        created_at=created,
        read_at=created if read else None,
    )


@pytest.fixture
def me(client):
    user = case_factories.applicant_user()
    client.force_login(user)
    return user


def test_the_list_holds_only_my_messages_newest_first(client, me):
    case = factories.case()
    message(recipient=me, minutes=1)
    message(recipient=me, minutes=2, case=case, read=True)
    message(recipient=case_factories.applicant_user(), minutes=3)

    body = client.get(URL).json()

    assert [m["title"] for m in body["items"]] == ["消息2", "消息1"]
    assert (body["count"], body["unread"]) == (2, 1)
    assert body["items"][0]["case_number"] == case.number
    assert body["items"][1]["case_number"] is None


def test_unread_only_leaves_out_read_messages(client, me):
    message(recipient=me, minutes=1)
    message(recipient=me, minutes=2, read=True)

    body = client.get(URL, {"unread_only": "true"}).json()

    assert [m["title"] for m in body["items"]] == ["消息1"]


def test_the_list_is_paginated(client, me):
    for minutes in range(5):
        message(recipient=me, minutes=minutes)

    body = client.get(URL, {"page": 2, "page_size": 2}).json()

    assert [m["title"] for m in body["items"]] == ["消息2", "消息1"]
    assert (body["count"], body["page"], body["page_size"]) == (5, 2, 2)


def test_the_list_reads_a_fixed_number_of_queries(client, me, django_assert_max_num_queries):
    case = factories.case()
    for minutes in range(10):
        message(recipient=me, minutes=minutes, case=case)

    with django_assert_max_num_queries(6):  # session, user, count, unread, page
        response = client.get(URL)

    assert len(response.json()["items"]) == 10


@pytest.mark.parametrize("query", [{"page": 0}, {"page_size": 101}, {"page": "x"}])
def test_bad_paging_answers_422(client, me, query):
    response = client.get(URL, query)

    assert response.status_code == 422
    assert response.json()["code"] == "invalid_input"


def test_reading_a_message_marks_it_read(client, me):
    mine = message(recipient=me)

    with clock.frozen(factories.AT + dt.timedelta(hours=1)):
        response = client.post(f"{URL}/{mine.pk}/read")

    assert response.status_code == 200
    assert dt.datetime.fromisoformat(response.json()["read_at"]) == factories.AT + dt.timedelta(
        hours=1
    )
    mine.refresh_from_db()
    assert mine.read_at == factories.AT + dt.timedelta(hours=1)


def test_reading_twice_keeps_the_first_reading_time(client, me):
    mine = message(recipient=me)
    with clock.frozen(factories.AT + dt.timedelta(hours=1)):
        client.post(f"{URL}/{mine.pk}/read")
    with clock.frozen(factories.AT + dt.timedelta(hours=2)):
        client.post(f"{URL}/{mine.pk}/read")

    mine.refresh_from_db()
    assert mine.read_at == factories.AT + dt.timedelta(hours=1)


def test_another_users_message_is_not_found(client, me):
    theirs = message(recipient=case_factories.applicant_user())

    response = client.post(f"{URL}/{theirs.pk}/read")

    assert response.status_code == 404
    assert response.json() == {"code": "message_not_found", "message": "未找到该消息"}
    theirs.refresh_from_db()
    assert theirs.read_at is None


def test_reading_needs_a_login(client):
    response = client.post(f"{URL}/1/read")

    assert response.status_code == 401
