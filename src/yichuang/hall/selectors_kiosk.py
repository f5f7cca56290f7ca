"""Reads for the kiosk: what the person signed in at a kiosk may see — their own cases,
notices and tickets only — and the demo persons of the simulated card reader."""

from __future__ import annotations

from django.db.models import Q, QuerySet
from django.utils.translation import gettext as _

from yichuang.cases.errors import CaseNotFound
from yichuang.cases.models import Case, Notice
from yichuang.cases.selectors import case_not_found
from yichuang.hall.errors import ticket_not_found
from yichuang.hall.models import KioskSession, Ticket
from yichuang.identity.models import Applicant, ApplicantKind
from yichuang.orgs.models import Centre

DEMO_PERSONS = 4
_MAX_ID = 2**31 - 1


def _own(session: KioskSession) -> Q:
    person = session.applicant_id
    return Q(applicant_id=person) | Q(agent_id=person, power_of_attorney=True)


def kiosk_cases(*, session: KioskSession) -> QuerySet[Case]:
    """The signed-in person's cases — applied for, or acting as agent with a power of
    attorney — newest first; drafts are left out (nothing to follow yet)."""
    return (
        Case.objects.filter(_own(session))
        .exclude(status="draft")
        .select_related("item_version", "centre", "applicant")
        .prefetch_related("suspensions", "extensions")
        .order_by("-created_at", "-id")
    )


def kiosk_case_get(*, session: KioskSession, number: str) -> Case:
    """One of the person's cases by number; `case_not_found` for any other."""
    if "\x00" in str(number):
        raise case_not_found()
    case = kiosk_cases(session=session).filter(number=str(number)[:80]).first()
    if case is None:
        raise case_not_found()
    return case


def kiosk_notices(*, session: KioskSession) -> QuerySet[Notice]:
    """The notices of the person's cases, newest first."""
    return (
        Notice.objects.filter(case__in=kiosk_cases(session=session).values("pk"))
        .select_related("case", "case__item_version")
        .order_by("-issued_at", "-id")
    )


def kiosk_notice_get(*, session: KioskSession, pk: int) -> Notice:
    """A notice of one of the person's cases; `notice_not_found` for any other."""
    notice = kiosk_notices(session=session).filter(pk=pk).first() if 0 < pk <= _MAX_ID else None
    if notice is None:
        raise CaseNotFound(code="notice_not_found", message=_("未找到该文书"))
    return notice


def kiosk_ticket_get(*, session: KioskSession, token: str) -> Ticket:
    """A ticket the person took, by its public token; `ticket_not_found` for any other."""
    if "\x00" in str(token):
        raise ticket_not_found()
    ticket = (
        Ticket.objects.select_related("queue", "centre", "window")
        .filter(public_token=str(token)[:64], applicant_id=session.applicant_id)
        .first()
    )
    if ticket is None:
        raise ticket_not_found()
    return ticket


def kiosk_demo_persons(*, centre: Centre, limit: int = DEMO_PERSONS) -> list[Applicant]:
    """Whom the simulated card reader offers: the first natural persons with cases at the
    centre (the demo's applicants), else the first natural persons at all."""
    persons = Applicant.objects.filter(kind=ApplicantKind.NATURAL_PERSON).order_by("pk")
    of_centre = list(persons.filter(cases__centre=centre).distinct()[:limit])
    return of_centre or list(persons[:limit])


def kiosk_appointments_today(*, session: KioskSession) -> list:
    """The signed-in person's appointments of today at this kiosk's centre (预约签到)."""
    from yichuang.common import clock
    from yichuang.hall.models import Appointment, AppointmentStatus

    return list(
        Appointment.objects.filter(
            applicant_id=session.applicant_id,
            day=clock.today(),
            slot__queue__centre_id=session.kiosk.centre_id,
            status__in=[AppointmentStatus.BOOKED, AppointmentStatus.CHECKED_IN],
        )
        .select_related("slot__queue", "ticket")
        .order_by("slot__starts")
    )


def kiosk_appointment_get(*, session: KioskSession, code: str):
    """One of the person's appointments of today here; anything else is not found."""
    from yichuang.hall.selectors_appointments import appointment_not_found

    for appointment in kiosk_appointments_today(session=session):
        if appointment.code == code:
            return appointment
    raise appointment_not_found()
