"""Pages of appointments: the applicant's "我的预约" (list, book, cancel, check in) and the
centre staff's list of today's and upcoming appointments."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from yichuang.cases.views._common import nav_context
from yichuang.common import clock
from yichuang.common.errors import DomainError
from yichuang.hall import selectors
from yichuang.hall import selectors_appointments as access
from yichuang.hall.models import AppointmentSlot, TakenVia
from yichuang.hall.services import appointments as service
from yichuang.identity.access import id_number_for, phone_for
from yichuang.orgs.selectors import staff_for_user

_MAX_ID = 2**31 - 1


def _applicant_or_403(request: HttpRequest):
    person = access.applicant_of(request.user)
    if person is None:
        message = _("此页面供申请人使用，请以申请人账号登录。")
        return None, render(request, "web/cases/forbidden.html", {"message": message}, status=403)
    return person, None


def _day(text: str | None) -> dt.date | None:
    try:
        return dt.date.fromisoformat((text or "")[:10])
    except ValueError:
        return None


def _row(appointment, now) -> dict[str, Any]:
    return {
        "appointment": appointment,
        "can_cancel": service.appointment_can_cancel(appointment, now=now),
        "cancel_until": service.appointment_cancel_deadline(appointment),
        "can_check_in": service.appointment_can_check_in(appointment, now=now),
    }


@login_required
def my_appointments(request: HttpRequest) -> HttpResponse:
    """My appointments, and booking step by step: queue → day → slot."""
    person, refused = _applicant_or_403(request)
    if refused:
        return refused
    centre = selectors.hall_centre()
    queues = list(access.queues_bookable(centre=centre))
    queue = next((q for q in queues if q.code == (request.GET.get("queue") or "")[:1]), None)
    days = service.appointment_days_bookable() if queue else []
    day = _day(request.GET.get("day"))
    day = day if day in days else None
    slots = service.slots_available(queue=queue, day=day) if queue and day else []
    for slot in slots:
        slot.free = max(slot.capacity - slot.booked, 0)
    now = clock.now()
    context = {
        "person": person,
        "rows": [_row(a, now) for a in access.appointments_mine(user=request.user)[:50]],
        "queues": queues,
        "queue": queue,
        "days": days,
        "day": day,
        "slots": slots,
        "suspended_until": service.booking_suspended_until(applicant=person, today=clock.today()),
        "rules": {
            "min_days": settings.YICHUANG["APPOINTMENT_MIN_DAYS_AHEAD"],
            "max_workdays": settings.YICHUANG["APPOINTMENT_MAX_WORKDAYS_AHEAD"],
            "cancel_hours": settings.YICHUANG["APPOINTMENT_CANCEL_HOURS"],
        },
        "nav_section": "my_appointments",
    }
    return render(request, "hall/appointments/my.html", context)


def _back_to_choice(request: HttpRequest) -> str:
    base = reverse("hall:my_appointments")
    queue = (request.POST.get("queue") or "")[:1]
    day = _day(request.POST.get("day"))
    if queue and day:
        return f"{base}?queue={queue}&day={day.isoformat()}#book"
    return f"{base}?queue={queue}#book" if queue else base


@login_required
@require_POST
def appointment_book(request: HttpRequest) -> HttpResponse:
    person, refused = _applicant_or_403(request)
    if refused:
        return refused
    try:
        queue = access.queue_get_bookable(
            centre=selectors.hall_centre(), code=request.POST.get("queue") or ""
        )
        slot_id = int(request.POST.get("slot") or 0)
        slot = (
            AppointmentSlot.objects.select_related("queue__centre")
            .filter(pk=slot_id if 0 < slot_id <= _MAX_ID else 0, queue=queue)
            .first()
        )
        if slot is None:
            messages.error(request, _("请选择一个预约时段"))
            return redirect(_back_to_choice(request))
        appointment = service.appointment_book(
            user=request.user, applicant=person, slot=slot, phone=request.POST.get("phone", "")
        )
    except (ValueError, DomainError) as error:
        messages.error(request, getattr(error, "message", _("提交的内容有误")))
        return redirect(_back_to_choice(request))
    messages.success(
        request,
        _("预约成功：%(day)s %(start)s–%(end)s，%(queue)s，预约号 %(code)s")
        % {
            "day": f"{slot.day.month}月{slot.day.day}日",
            "start": f"{slot.starts:%H:%M}",
            "end": f"{slot.ends:%H:%M}",
            "queue": queue.name,
            "code": appointment.code,
        },
    )
    return redirect("hall:my_appointments")


@login_required
@require_POST
def appointment_cancel(request: HttpRequest, code: str) -> HttpResponse:
    _person, refused = _applicant_or_403(request)
    if refused:
        return refused
    try:
        appointment = access.appointment_get_for(user=request.user, code=code)
        service.appointment_cancel(user=request.user, appointment=appointment)
    except DomainError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, _("预约 %(code)s 已取消") % {"code": appointment.code})
    return redirect("hall:my_appointments")


@login_required
@require_POST
def appointment_check_in(request: HttpRequest, code: str) -> HttpResponse:
    """The applicant checks in on their phone in the hall: to their priority ticket."""
    _person, refused = _applicant_or_403(request)
    if refused:
        return refused
    try:
        appointment = access.appointment_get_for(user=request.user, code=code)
        ticket = service.appointment_check_in(appointment=appointment, via=TakenVia.PORTAL)
    except DomainError as error:
        messages.error(request, error.message)
        return redirect("hall:my_appointments")
    return redirect("hall:ticket", token=ticket.public_token)


# -- staff ---------------------------------------------------------------------------------


def _staff_or_refuse(request: HttpRequest):
    member = staff_for_user(request.user)
    if member is None:
        raise Http404(_("页面不存在"))
    if not member.role_set() & access.STAFF_ROLES:
        raise PermissionDenied(_("您没有查看预约的权限"))
    return member


@login_required
def staff_appointments(request: HttpRequest) -> HttpResponse:
    """Today's and upcoming appointments of the centre (window officers, centre admins)."""
    member = _staff_or_refuse(request)
    now = clock.now()
    rows = [
        {
            **_row(a, now),
            "id_number": id_number_for(request.user, a.applicant.id_number),
            "phone": phone_for(request.user, a.phone),
        }
        for a in access.appointments_of_centre(user=request.user, since=clock.today())[:500]
    ]
    context = {**nav_context(member), "rows": rows, "today": clock.today()}
    return render(request, "hall/appointments/staff.html", context)


@login_required
@require_POST
def staff_check_in(request: HttpRequest, code: str) -> HttpResponse:
    """The window checks in an appointment holder who came to the hall."""
    _staff_or_refuse(request)
    try:
        appointment = access.appointment_get_for(user=request.user, code=code)
        ticket = service.appointment_check_in(appointment=appointment, via=TakenVia.WINDOW)
    except DomainError as error:
        messages.error(request, error.message)
    else:
        messages.success(
            request,
            _("%(name)s 已签到，优先号 %(number)s")
            % {"name": appointment.applicant.name, "number": ticket.number},
        )
    return redirect("hall:staff_appointments")
