"""Reads of appointments, each applying who may see what.

An applicant sees their own appointments only; window officers and centre admins see those
of their own centre's queues. A missing appointment and one the caller may not see give the
same `appointment_not_found` (404). Slots are public (free places per slot).
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db.models import Q, QuerySet
from django.utils.translation import gettext as _

from yichuang.hall.errors import HallNotFound, queue_not_found
from yichuang.hall.models import Appointment, AppointmentStatus, Queue
from yichuang.identity.models import Applicant
from yichuang.orgs.models import Centre, Role
from yichuang.orgs.selectors import staff_for_user

# Staff roles that see and check in the appointments of their centre.
STAFF_ROLES = frozenset({Role.WINDOW_OFFICER, Role.CENTRE_ADMIN})
MAX_CODE_LENGTH = 20


def appointment_not_found() -> HallNotFound:
    return HallNotFound(code="appointment_not_found", message=_("没有这个预约"))


def applicant_of(user: Any) -> Applicant | None:
    """The applicant record behind a logged-in account, if any."""
    if user is None or not getattr(user, "is_authenticated", False) or not user.is_active:
        return None
    return Applicant.objects.filter(user_id=user.pk).first()


def staff_centre_id(user: Any) -> int | None:
    """The centre of a staff member who handles appointments there, else None."""
    member = staff_for_user(user)
    if member is None or not (member.role_set() & STAFF_ROLES):
        return None
    return member.centre_id


def _with_related(appointments: QuerySet[Appointment]) -> QuerySet[Appointment]:
    return appointments.select_related("slot__queue__centre", "applicant", "item", "ticket")


def appointments_visible_to(user: Any) -> QuerySet[Appointment]:
    """The applicant's own appointments, or the staff member's centre's; nothing else."""
    visible = Q(pk__in=[])
    centre_id = staff_centre_id(user)
    if centre_id is not None:
        visible |= Q(slot__queue__centre_id=centre_id)
    person = applicant_of(user)
    if person is not None:
        visible |= Q(applicant=person)
    if centre_id is None and person is None:
        return Appointment.objects.none()
    return _with_related(Appointment.objects.filter(visible))


def appointments_mine(*, user: Any) -> QuerySet[Appointment]:
    """The logged-in applicant's appointments, latest day first."""
    person = applicant_of(user)
    if person is None:
        return Appointment.objects.none()
    return _with_related(Appointment.objects.filter(applicant=person)).order_by(
        "-day", "-slot__starts"
    )


def appointment_get_for(*, user: Any, code: str) -> Appointment:
    """The appointment with this code if the user may see it, else `appointment_not_found`."""
    code = (code or "").strip().upper()
    if not code or len(code) > MAX_CODE_LENGTH or "\x00" in code:
        raise appointment_not_found()
    found = appointments_visible_to(user).filter(code=code).first()
    if found is None:
        raise appointment_not_found()
    return found


def appointments_of_centre(*, user: Any, since: dt.date) -> QuerySet[Appointment]:
    """The staff member's centre's appointments from `since` on, earliest first (the
    staff list of today's and upcoming appointments)."""
    centre_id = staff_centre_id(user)
    if centre_id is None:
        return Appointment.objects.none()
    return (
        _with_related(Appointment.objects.filter(slot__queue__centre_id=centre_id, day__gte=since))
        .exclude(status=AppointmentStatus.CANCELLED)
        .order_by("day", "slot__starts", "slot__queue__code", "id")
    )


def queues_bookable(*, centre: Centre) -> QuerySet[Queue]:
    """The centre's active queues that take appointments."""
    return Queue.objects.filter(centre=centre, is_active=True, slot_capacity__gt=0).order_by(
        "sort_order", "code"
    )


def queue_get_bookable(*, centre: Centre, code: str) -> Queue:
    """The active queue of the centre with this letter (`queue_not_found` otherwise)."""
    code = (code or "").strip().upper()
    if len(code) != 1 or code == "\x00":
        raise queue_not_found()
    queue = Queue.objects.select_related("centre").filter(centre=centre, code=code).first()
    if queue is None or not queue.is_active or len(code) != 1:
        raise queue_not_found()
    return queue
