"""Errors of the hall, each with a machine code and a Chinese message."""

from __future__ import annotations

from django.utils.translation import gettext as _

from yichuang.common.errors import Conflict, DomainError, Forbidden, NotFound


class HallError(DomainError):
    """A hall rule was broken (422)."""


class HallConflict(Conflict):
    """The action does not fit the current state (409)."""


class HallForbidden(Forbidden):
    """The caller may not do this here (403)."""


class HallNotFound(NotFound):
    """Missing or not visible to the caller (404)."""


class HallThrottled(DomainError):
    """Too many requests from one client (429)."""

    status = 429


def queue_not_found() -> HallNotFound:
    return HallNotFound(code="queue_not_found", message=_("没有这个排队队列"))


def ticket_not_found() -> HallNotFound:
    return HallNotFound(code="ticket_not_found", message=_("没有这个排队号"))


def window_not_found() -> HallNotFound:
    return HallNotFound(code="window_not_found", message=_("没有这个窗口"))
