"""Reads of the hall, each applying who may see what.

Queues, waiting counts and the calling screen are public (they hang in the hall); a ticket
is read by its unguessable token; windows by the staff of their centre only.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.db.models import Count, Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from yichuang.common import clock
from yichuang.hall.errors import HallNotFound, ticket_not_found, window_not_found
from yichuang.hall.models import (
    ANNOUNCED_EVENTS,
    Queue,
    Ticket,
    TicketEvent,
    TicketStatus,
    WindowSession,
)
from yichuang.orgs.models import Centre, Window
from yichuang.orgs.selectors import centres_public, staff_for_user

# Calls the screen lists below the current ones.
SCREEN_LAST_CALLS = 8


def day_start(day: dt.date) -> dt.datetime:
    """Midnight at the start of `day` in the platform's time zone."""
    return timezone.make_aware(dt.datetime.combine(day, dt.time.min))


def hall_centre(code: str | None = None) -> Centre:
    """The centre whose hall is meant: the one with this code, else the portal's centre."""
    from yichuang.web.selectors import portal_centre

    if code and "\x00" in code:  # PostgreSQL text cannot hold a NUL: no such centre
        centre = None
    else:
        centre = centres_public().filter(code=code).first() if code else portal_centre()
    if centre is None:
        raise HallNotFound(code="centre_not_found", message=_("没有这个服务中心"))
    return centre


def queues_with_waiting(*, centre: Centre) -> QuerySet[Queue]:
    """The centre's active queues with `waiting` (today's waiting tickets) annotated."""
    return (
        Queue.objects.filter(centre=centre, is_active=True)
        .annotate(
            waiting=Count(
                "tickets",
                filter=Q(tickets__status=TicketStatus.WAITING, tickets__day=clock.today()),
            )
        )
        .order_by("sort_order", "code")
    )


def window_get_for(*, user: Any, window_id: int) -> Window:
    """A window of the user's own centre; anything else is `window_not_found` (404)."""
    member = staff_for_user(user)
    if member is None:
        raise window_not_found()
    window = Window.objects.filter(pk=window_id, centre_id=member.centre_id).first()
    if window is None:
        raise window_not_found()
    return window


def ticket_get_public(*, token: str) -> Ticket:
    """The ticket with this public token (the ticket page, the QR code)."""
    if not token or len(token) > 64 or "\x00" in token:
        raise ticket_not_found()
    ticket = (
        Ticket.objects.select_related("queue", "window", "centre")
        .filter(public_token=token)
        .first()
    )
    if ticket is None:
        raise ticket_not_found()
    return ticket


def tickets_get_public(*, tokens: list[str]) -> dict[str, Ticket]:
    """The tickets with these public tokens, by token, in one query (unknown ones left out)."""
    wanted = [t for t in tokens if t and len(t) <= 64]
    if not wanted:
        return {}
    found = Ticket.objects.select_related("queue", "window", "centre").filter(
        public_token__in=wanted
    )
    return {ticket.public_token: ticket for ticket in found}


def window_session_open(*, user: Any) -> WindowSession | None:
    """The user's open window session, with its window and current ticket, if any."""
    member = staff_for_user(user)
    if member is None:
        return None
    return (
        WindowSession.objects.select_related("window", "current_ticket__queue")
        .filter(staff=member, ended_at=None)
        .first()
    )


def announcement(*, number: str, window_number: int) -> str:
    """What the screen says and speaks: 请A005号到2号窗口办理."""
    return _("请%(number)s号到%(window)s号窗口办理") % {"number": number, "window": window_number}


@dataclass(frozen=True)
class ScreenCall:
    event_id: int
    number: str
    queue: str
    window_number: int
    window_name: str
    at: Any
    text: str


def _screen_call(event: TicketEvent) -> ScreenCall:
    return ScreenCall(
        event_id=event.pk,
        number=event.ticket.number,
        queue=event.ticket.queue.code,
        window_number=event.window.number,
        window_name=event.window.name,
        at=event.at,
        text=announcement(number=event.ticket.number, window_number=event.window.number),
    )


def screen_state(*, centre: Centre) -> dict[str, Any]:
    """What the calling screen shows: the ticket each open window is serving, the latest
    calls (newest first) and the waiting count per queue. Four queries whatever the size."""
    today = clock.today()
    sessions = (
        WindowSession.objects.filter(window__centre=centre, ended_at=None)
        .select_related("window", "current_ticket__queue")
        .order_by("window__number")
    )
    current = [
        {
            "window_number": s.window.number,
            "window_name": s.window.name,
            "paused": s.paused,
            "number": s.current_ticket.number if s.current_ticket else None,
            "queue": s.current_ticket.queue.code if s.current_ticket else None,
        }
        for s in sessions
    ]
    events = (
        TicketEvent.objects.filter(
            centre=centre, kind__in=ANNOUNCED_EVENTS, at__gte=day_start(today), window__isnull=False
        )
        .select_related("ticket__queue", "window")
        .order_by("-id")[:SCREEN_LAST_CALLS]
    )
    waiting = [
        {"code": q.code, "name": q.name, "waiting": q.waiting}
        for q in queues_with_waiting(centre=centre)
    ]
    return {
        "centre": centre,
        "windows": current,
        "last_calls": [_screen_call(e) for e in events],
        "waiting": waiting,
    }
