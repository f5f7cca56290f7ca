"""Appointments and the kiosk of the demo centre.

citizen1 (赵文静) has booked, through the real booking service, a slot later today — so
the kiosk and the window can check her in for a priority ticket — and one on the next
bookable working day. Today's booking is made with the clock set to yesterday (booking
needs a day's notice); on a day without slots (a weekend or holiday, or late in the
evening) only the future one is made. Idempotent: nothing is booked twice.

The demo kiosk is paired with the public demo token `DEMO_KIOSK_TOKEN` (demo only, like the
demo password): open `/kiosk/pair/?token=…` printed by seed-demo.
"""

from __future__ import annotations

import datetime as dt

from django.utils import timezone

from yichuang.common import clock
from yichuang.common.errors import DomainError
from yichuang.demo import data
from yichuang.hall.models import Appointment, AppointmentStatus, Kiosk, Queue
from yichuang.hall.services import appointments as booking
from yichuang.hall.services.kiosk import kiosk_create, kiosk_token_hash
from yichuang.identity.models import Applicant
from yichuang.orgs.models import Centre

DEMO_KIOSK_CODE = "hall-1"
DEMO_KIOSK_TOKEN = "yichuang-demo-kiosk"
_BOOKER = "citizen1"
_QUEUE = "A"


def demo_kiosk_seed() -> bool:
    """The demo kiosk, paired with the demo token; True when it was created."""
    if Kiosk.objects.filter(code=DEMO_KIOSK_CODE).exists():
        return False
    centre = Centre.objects.get(code=data.COUNTY)
    kiosk, _token = kiosk_create(
        centre=centre, code=DEMO_KIOSK_CODE, name="一楼大厅自助终端1", location="一楼大厅入口"
    )
    kiosk.token_hash = kiosk_token_hash(DEMO_KIOSK_TOKEN)
    kiosk.save(update_fields=["token_hash"])
    return True


def demo_appointments_seed(*, now: dt.datetime | None = None) -> int:
    """Book citizen1's demo appointments that do not exist yet; return how many were made."""
    now = now or clock.now()
    today = timezone.localtime(now).date()
    applicant = Applicant.objects.select_related("user").get(user__username=_BOOKER)
    queue = Queue.objects.get(centre__code=data.COUNTY, code=_QUEUE)
    made = 0
    if not _booked_on(applicant, today):
        made += _book_today(applicant=applicant, queue=queue, now=now)
    with clock.frozen(now):
        upcoming = booking.appointment_days_bookable(today=today)
        if upcoming and not _booked_on(applicant, upcoming[0]):
            made += _book(applicant=applicant, queue=queue, day=upcoming[0], after=now)
    return made


def _booked_on(applicant: Applicant, day: dt.date) -> bool:
    return (
        Appointment.objects.filter(applicant=applicant, day=day)
        .exclude(status=AppointmentStatus.CANCELLED)
        .exists()
    )


def _book_today(*, applicant: Applicant, queue: Queue, now: dt.datetime) -> int:
    yesterday_evening = now - dt.timedelta(days=1)
    with clock.frozen(yesterday_evening):
        if timezone.localtime(now).date() not in booking.appointment_days_bookable():
            return 0
        # The first slot whose check-in has not closed yet (it closes when the slot ends).
        return _book(
            applicant=applicant, queue=queue, day=timezone.localtime(now).date(), after=now
        )


def _book(*, applicant: Applicant, queue: Queue, day: dt.date, after: dt.datetime) -> int:
    for slot in booking.slots_available(queue=queue, day=day):
        if booking.slot_end(slot) <= after or slot.booked >= slot.capacity:
            continue
        try:
            booking.appointment_book(user=applicant.user, applicant=applicant, slot=slot)
        except DomainError:
            continue
        return 1
    return 0
