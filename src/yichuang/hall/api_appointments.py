"""The appointments API, mounted in the hall API (/api/v1/hall):

- `GET /appointment-days?queue=` (public): the days one may book today;
- `GET /slots?queue=&day=` (public): the slots of a queue on a day with free places;
- `GET /appointments` (applicant login): my appointments;
- `POST /appointments` (applicant login) → 201: book a slot, by `slot` id or `day` + `starts`;
- `POST /appointments/{code}/cancel` (the applicant);
- `POST /appointments/{code}/check-in` (the applicant, or staff of the centre) → the
  appointment with its priority ticket; again → the same ticket.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Field, Path, Query, Router, Schema
from ninja.responses import Status

from yichuang.common import clock
from yichuang.common.auth import API_AUTH
from yichuang.common.schemas import ErrorOut
from yichuang.hall import selectors
from yichuang.hall import selectors_appointments as access
from yichuang.hall.errors import HallError, HallForbidden, HallNotFound
from yichuang.hall.models import Appointment, AppointmentSlot, TakenVia
from yichuang.hall.schemas import NO_NUL, TicketOut, ticket_out
from yichuang.hall.services import appointments as service
from yichuang.hall.services import tickets

router = Router(tags=["预约办事"])

_MAX_ID = 2**31 - 1
ERRORS = {401: ErrorOut, 403: ErrorOut, 404: ErrorOut, 409: ErrorOut, 422: ErrorOut}
CODE = Path[str, {"max_length": 40, "pattern": NO_NUL, "description": "预约号"}]


class QueueQuery(Schema):
    queue: str = Field(..., min_length=1, pattern=NO_NUL, max_length=1, description="队列字母")
    centre: str = Field(
        "", pattern=NO_NUL, max_length=40, description="服务中心代码（默认门户中心）"
    )


class SlotQuery(QueueQuery):
    day: dt.date = Field(..., description="日期，YYYY-MM-DD")


class SlotOut(Schema):
    id: int
    day: dt.date
    starts: str
    ends: str
    capacity: int
    booked: int
    free: int


class AppointmentIn(Schema):
    queue: str = Field(..., min_length=1, pattern=NO_NUL, max_length=1, description="队列字母")
    slot: int | None = Field(None, ge=1, le=_MAX_ID, description="时段 ID（或给出 day 与 starts）")
    day: dt.date | None = Field(None, description="日期，YYYY-MM-DD")
    starts: dt.time | None = Field(None, description="时段开始时间，HH:MM")
    item: str = Field("", pattern=NO_NUL, max_length=40, description="办理事项的实施编码（可选）")
    phone: str = Field(
        "", pattern=NO_NUL, max_length=20, description="联系电话（默认账号登记的电话）"
    )
    centre: str = Field(
        "", pattern=NO_NUL, max_length=40, description="服务中心代码（默认门户中心）"
    )


class AppointmentOut(Schema):
    code: str
    status: str
    status_label: str
    queue: str
    queue_name: str
    centre: str
    day: dt.date
    starts: str
    ends: str
    item: str | None
    item_name: str | None
    can_cancel: bool
    cancel_until: dt.datetime
    can_check_in: bool
    check_in_from: dt.datetime
    ticket: str | None


class CheckInOut(Schema):
    appointment: AppointmentOut
    ticket: TicketOut


def slot_out(slot: AppointmentSlot) -> dict[str, Any]:
    return {
        "id": slot.pk,
        "day": slot.day,
        "starts": f"{slot.starts:%H:%M}",
        "ends": f"{slot.ends:%H:%M}",
        "capacity": slot.capacity,
        "booked": slot.booked,
        "free": max(slot.capacity - slot.booked, 0),
    }


def appointment_out(appointment: Appointment) -> dict[str, Any]:
    slot = appointment.slot
    now = clock.now()
    return {
        "code": appointment.code,
        "status": appointment.status,
        "status_label": appointment.get_status_display(),
        "queue": slot.queue.code,
        "queue_name": slot.queue.name,
        "centre": slot.queue.centre.code,
        "day": appointment.day,
        "starts": f"{slot.starts:%H:%M}",
        "ends": f"{slot.ends:%H:%M}",
        "item": appointment.item.implementation_code if appointment.item_id else None,
        "item_name": str(appointment.item) if appointment.item_id else None,
        "can_cancel": service.appointment_can_cancel(appointment, now=now),
        "cancel_until": service.appointment_cancel_deadline(appointment),
        "can_check_in": service.appointment_can_check_in(appointment, now=now),
        "check_in_from": service.appointment_check_in_opens(appointment),
        "ticket": appointment.ticket.number if appointment.ticket_id else None,
    }


def _queue(code: str, centre: str):
    return access.queue_get_bookable(centre=selectors.hall_centre(centre or None), code=code)


@router.get(
    "/appointment-days",
    response={200: list[dt.date], 404: ErrorOut, 422: ErrorOut},
    auth=None,
    summary="可预约的日期",
)
def appointment_days(request: HttpRequest, filters: Query[QueueQuery]):
    queue = _queue(filters.queue, filters.centre)
    if queue.slot_capacity < 1:
        return []
    return service.appointment_days_bookable()


@router.get(
    "/slots",
    response={200: list[SlotOut], 404: ErrorOut, 422: ErrorOut},
    auth=None,
    summary="预约时段与余量",
)
def slot_list(request: HttpRequest, filters: Query[SlotQuery]):
    queue = _queue(filters.queue, filters.centre)
    return [slot_out(s) for s in service.slots_available(queue=queue, day=filters.day)]


def _applicant(request: HttpRequest):
    person = access.applicant_of(request.auth)
    if person is None:
        raise HallForbidden(code="applicants_only", message=_("预约须以申请人本人的账号登录"))
    return person


@router.get(
    "/appointments",
    response={200: list[AppointmentOut], 401: ErrorOut, 403: ErrorOut},
    auth=API_AUTH,
    summary="我的预约",
)
def appointment_list(request: HttpRequest):
    _applicant(request)
    return [appointment_out(a) for a in access.appointments_mine(user=request.auth)]


def _slot_from(payload: AppointmentIn, queue) -> AppointmentSlot:
    if payload.slot is not None:
        slot = (
            AppointmentSlot.objects.select_related("queue__centre")
            .filter(pk=payload.slot, queue=queue)
            .first()
        )
        if slot is None:
            raise HallNotFound(code="slot_not_found", message=_("没有这个预约时段"), field="slot")
        return slot
    if payload.day is None or payload.starts is None:
        raise HallError(
            code="slot_required", message=_("请选择预约时段（日期和开始时间）"), field="starts"
        )
    return service.slot_for_booking(queue=queue, day=payload.day, starts=payload.starts)


def _item(code: str):
    if not code.strip():
        return None
    from yichuang.catalog.errors import ItemNotFound
    from yichuang.catalog.selectors import item_get_published

    try:
        return item_get_published(code=code.strip()).item
    except ItemNotFound:
        raise HallNotFound(
            code="item_not_found", message=_("没有这个办理事项"), field="item"
        ) from None


@router.post(
    "/appointments",
    response={201: AppointmentOut, **ERRORS},
    auth=API_AUTH,
    summary="预约",
)
def appointment_book(request: HttpRequest, payload: AppointmentIn):
    person = _applicant(request)
    queue = _queue(payload.queue, payload.centre)
    appointment = service.appointment_book(
        user=request.auth,
        applicant=person,
        slot=_slot_from(payload, queue),
        item=_item(payload.item),
        phone=payload.phone,
    )
    return Status(201, appointment_out(appointment))


@router.post(
    "/appointments/{code}/cancel",
    response={200: AppointmentOut, **ERRORS},
    auth=API_AUTH,
    summary="取消预约",
)
def appointment_cancel(request: HttpRequest, code: CODE):
    appointment = access.appointment_get_for(user=request.auth, code=code)
    return appointment_out(service.appointment_cancel(user=request.auth, appointment=appointment))


@router.post(
    "/appointments/{code}/check-in",
    response={200: CheckInOut, **ERRORS},
    auth=API_AUTH,
    summary="预约签到（取优先号）",
)
def appointment_check_in(request: HttpRequest, code: CODE):
    appointment = access.appointment_get_for(user=request.auth, code=code)
    by_staff = access.staff_centre_id(request.auth) == appointment.slot.queue.centre_id
    own = appointment.applicant.user_id == request.auth.pk
    ticket = service.appointment_check_in(
        appointment=appointment,
        via=TakenVia.PORTAL if own or not by_staff else TakenVia.WINDOW,
    )
    appointment.refresh_from_db()
    ahead = tickets.tickets_ahead(ticket)
    return {
        "appointment": appointment_out(appointment),
        "ticket": ticket_out(
            ticket, ahead=ahead, minutes=tickets.ticket_estimate_minutes(ticket=ticket, ahead=ahead)
        ),
    }
