"""Factories of the appointments' tests: a queue taking appointments, an applicant who
logs in, an appointment written straight to the database (for past days and no-shows)."""

from __future__ import annotations

import datetime as dt
import itertools

from yichuang.cases.tests import factories as case_factories
from yichuang.hall.models import Appointment, AppointmentSlot, AppointmentStatus, Queue
from yichuang.hall.tests import factories as hall_factories
from yichuang.identity.models import Applicant
from yichuang.orgs.models import Centre
from yichuang.orgs.tests import factories as orgs_factories

_seq = itertools.count(1)

NINE = dt.time(9, 0)
TEN = dt.time(10, 0)


def bookable_queue(
    *, centre: Centre | None = None, code: str = "A", capacity: int = 5, **overrides
) -> Queue:
    return hall_factories.queue(
        centre=centre or orgs_factories.centre(), code=code, slot_capacity=capacity, **overrides
    )


def person() -> Applicant:
    """A natural person with a login of their own."""
    return case_factories.applicant(with_user=True)


def appointment(
    *,
    queue: Queue,
    applicant: Applicant,
    day: dt.date,
    starts: dt.time = NINE,
    status: str = AppointmentStatus.BOOKED,
) -> Appointment:
    """An appointment written directly (bypassing the booking rules), its place counted."""
    ends = (dt.datetime.combine(day, starts) + dt.timedelta(hours=1)).time()
    slot, _ = AppointmentSlot.objects.get_or_create(
        queue=queue, day=day, starts=starts, defaults={"ends": ends, "capacity": 5}
    )
    if status == AppointmentStatus.BOOKED:
        slot.booked += 1
        slot.save(update_fields=["booked"])
    return Appointment.objects.create(
        code=f"YYT{next(_seq):08d}", applicant=applicant, slot=slot, day=day, status=status
    )
