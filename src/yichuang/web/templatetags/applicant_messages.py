"""The header's unread-message badge: one COUNT query per page, for applicants only."""

from __future__ import annotations

from django import template

from yichuang.notifications.selectors import messages_unread_count

register = template.Library()


@register.simple_tag(takes_context=True)
def unread_messages(context) -> int:
    """How many of the signed-in user's messages are unread (0 for anybody else)."""
    user = context.get("user")
    if user is None or not user.is_authenticated:
        return 0
    return messages_unread_count(user=user)
