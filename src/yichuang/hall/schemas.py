"""API schemas of the hall. The shapes of queues, tickets, call-next and the screen are
fixed: kiosks, screens and other systems rely on them."""

from __future__ import annotations

import datetime as dt
from typing import Any

from ninja import Field, Schema

from yichuang.hall.models import Ticket

_MAX_ID = 2**31 - 1
# Text without a NUL character (PostgreSQL text cannot hold one): every text field and
# text path parameter of the hall API carries it, so a NUL is a 422, never a 500.
NO_NUL = r"^[^\x00]*$"


class QueueOut(Schema):
    code: str
    name: str
    waiting: int
    description: str = ""


class TicketIn(Schema):
    queue: str = Field(..., min_length=1, pattern=NO_NUL, max_length=1, description="队列字母")
    priority: str = Field("", pattern=NO_NUL, max_length=20, description="优先原因（绿色通道）")
    id_number: str = Field(
        "", pattern=NO_NUL, max_length=30, description="身份证号码（可选，用于核验年龄）"
    )
    centre: str = Field(
        "", pattern=NO_NUL, max_length=40, description="服务中心代码（默认门户中心）"
    )


class TicketOut(Schema):
    number: str
    queue: str
    queue_name: str
    status: str
    status_label: str
    priority: str
    priority_label: str
    ahead: int
    estimated_wait_minutes: int
    taken_at: dt.datetime
    day: dt.date
    window_number: int | None
    token: str
    url: str


def ticket_out(ticket: Ticket, *, ahead: int, minutes: int) -> dict[str, Any]:
    from django.urls import reverse

    return {
        "number": ticket.number,
        "queue": ticket.queue.code,
        "queue_name": ticket.queue.name,
        "status": ticket.status,
        "status_label": ticket.get_status_display(),
        "priority": ticket.priority,
        "priority_label": ticket.get_priority_display() if ticket.priority else "",
        "ahead": ahead,
        "estimated_wait_minutes": minutes,
        "taken_at": ticket.taken_at,
        "day": ticket.day,
        "window_number": ticket.window.number if ticket.window_id else None,
        "token": ticket.public_token,
        "url": reverse("hall:ticket", args=[ticket.public_token]),
    }


class CalledOut(Schema):
    """A ticket as the window sees it after a call."""

    id: int
    number: str
    queue: str
    queue_name: str
    priority: str
    priority_label: str
    call_count: int
    window_number: int
    waited_minutes: int
    applicant_name: str | None
    text: str


class TransferIn(Schema):
    queue: str = Field("", pattern=NO_NUL, max_length=1, description="转往队列字母")
    window: int | None = Field(None, ge=1, le=_MAX_ID, description="转往窗口 ID")
    note: str = Field("", pattern=NO_NUL, max_length=200)


class MissedTicketIn(Schema):
    ticket: int = Field(..., ge=1, le=_MAX_ID)


class SessionOut(Schema):
    window: int
    window_number: int
    window_name: str
    paused: bool
    started_at: dt.datetime
    ended_at: dt.datetime | None
    current: str | None


class ScreenWindowOut(Schema):
    window_number: int
    window_name: str
    paused: bool
    number: str | None
    queue: str | None


class ScreenCallOut(Schema):
    event_id: int
    number: str
    queue: str
    window_number: int
    window_name: str
    at: dt.datetime
    text: str


class ScreenOut(Schema):
    centre: str
    centre_name: str
    windows: list[ScreenWindowOut]
    last_calls: list[ScreenCallOut]
    waiting: list[QueueOut]
