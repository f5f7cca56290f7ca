"""The admin shows messages and reminders read-only."""

from __future__ import annotations

import pytest

from yichuang.identity.models import User
from yichuang.notifications.models import Message
from yichuang.notifications.tests.factories import AT

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin_client(client):
    client.force_login(User.objects.create_superuser(username="root", password="x" * 12))
    return client


def test_the_message_list_opens(admin_client):
    response = admin_client.get("/admin/notifications/message/")

    assert response.status_code == 200
    assert "站内消息" in response.content.decode()


def test_messages_cannot_be_added(admin_client):
    response = admin_client.get("/admin/notifications/message/add/")

    assert response.status_code == 403


def test_a_message_opens_read_only(admin_client):
    user = User.objects.create_user(username="a1", password="x" * 12)
    message = Message.objects.create(
        recipient=user, kind="accepted", title="办件已受理", body="内容", created_at=AT
    )

    response = admin_client.get(f"/admin/notifications/message/{message.pk}/change/")

    assert response.status_code == 200
    assert 'name="title"' not in response.content.decode()


def test_the_reminder_list_opens(admin_client):
    assert admin_client.get("/admin/notifications/reminder/").status_code == 200
