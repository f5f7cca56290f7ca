"""Queries of in-app messages: a user sees only their own."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from django.utils.translation import gettext as _

from yichuang.common.errors import NotFound
from yichuang.notifications.models import Message


def messages_for(*, user: Any, unread_only: bool = False) -> QuerySet[Message]:
    """The user's messages, newest first."""
    messages = Message.objects.filter(recipient=user).select_related("case")
    if unread_only:
        messages = messages.filter(read_at__isnull=True)
    return messages.order_by("-created_at", "-id")


def messages_unread_count(*, user: Any) -> int:
    return Message.objects.filter(recipient=user, read_at__isnull=True).count()


def message_get_for(*, user: Any, message_id: int) -> Message:
    """One of the user's messages; another user's message is "not found" like a missing one."""
    message = Message.objects.filter(pk=message_id, recipient=user).first()
    if message is None:
        raise NotFound(code="message_not_found", message=_("未找到该消息"))
    return message
