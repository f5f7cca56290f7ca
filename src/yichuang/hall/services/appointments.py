"""Appointments (预约办事, RULES.md §7): slots per queue per working day, real-name booking,
cancelling, checking in for a priority ticket, and marking no-shows.

- Slots are the periods of the setting `APPOINTMENT_SLOTS` on every working day of the
  working-day calendar (none on holidays and weekends, some on make-up working days), with
  the queue's `slot_capacity` places each (0: the queue takes no appointments). Slot rows
  are created when a bookable day is first listed or booked; the unique constraint
  (queue, day, starts) makes two processes creating them at once end with one row. A slot
  keeps the capacity it was created with.
- A booking is made by the applicant themselves, at least `APPOINTMENT_MIN_DAYS_AHEAD`
  calendar days and at most `APPOINTMENT_MAX_WORKDAYS_AHEAD` working days ahead, one per
  person per day (the constraint `appointment_one_per_person_per_day`). The slot row is
  locked while its `booked` count goes up, and the check constraint `slot_not_overbooked`
  stands behind the lock.
- `APPOINTMENT_NO_SHOW_LIMIT` no-shows within `APPOINTMENT_NO_SHOW_WINDOW_DAYS` days
  suspend booking for `APPOINTMENT_NO_SHOW_SUSPEND_DAYS` days counted from the last of them.
- Cancelling is possible until `APPOINTMENT_CANCEL_HOURS` before the slot starts (exactly
  at that moment still); it frees the place.
- Checking in is possible from `APPOINTMENT_CHECKIN_EARLY_MINUTES` before the start until
  the slot ends and gives a priority ticket (rank 0, reason "appointment") in the slot's
  queue. Checking in again returns the same ticket: a person who reloads the page or taps
  twice at the kiosk gets their number, not an error.

Lock order (hall/locks.py): the slot, then the appointment, then what taking a ticket locks.
"""

from __future__ import annotations

import datetime as dt
import logging
import secrets
from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.db import IntegrityError, transaction
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from yichuang.common import clock
from yichuang.hall.errors import HallConflict, HallError, HallForbidden
from yichuang.hall.locks import slot_lock
from yichuang.hall.models import (
    Appointment,
    AppointmentSlot,
    AppointmentStatus,
    Priority,
    Queue,
    TakenVia,
    Ticket,
    TicketEventKind,
    TicketStatus,
)
from yichuang.hall.services.tickets import ticket_event_record, ticket_take
from yichuang.identity.models import Applicant
from yichuang.workdays.selectors import calendar_get

logger = logging.getLogger(__name__)

_ATTEMPTS = 5
CODE_PREFIX = "YY"
# Channels a check-in may come through; the ticket itself is always taken "via appointment".
CHECK_IN_CHANNELS = frozenset({TakenVia.PORTAL, TakenVia.KIOSK, TakenVia.WINDOW, TakenVia.API})


def _setting(name: str) -> int:
    return int(settings.YICHUANG[name])


# -- periods and days ----------------------------------------------------------------------


@dataclass(frozen=True)
class Period:
    starts: dt.time
    ends: dt.time


def slot_periods() -> tuple[Period, ...]:
    """The periods of a working day from `APPOINTMENT_SLOTS` ("09:00-10:00,10:00-11:00")."""
    periods = []
    for part in str(settings.YICHUANG["APPOINTMENT_SLOTS"]).split(","):
        part = part.strip()
        if not part:
            continue
        try:
            start_text, end_text = part.split("-")
            starts = dt.time.fromisoformat(start_text.strip())
            ends = dt.time.fromisoformat(end_text.strip())
        except ValueError as exc:
            raise ImproperlyConfigured(f"APPOINTMENT_SLOTS: {part!r} is not HH:MM-HH:MM") from exc
        if starts >= ends:
            raise ImproperlyConfigured(f"APPOINTMENT_SLOTS: {part!r} ends before it starts")
        periods.append(Period(starts=starts, ends=ends))
    return tuple(sorted(periods, key=lambda p: p.starts))


def slot_start(slot: AppointmentSlot) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(slot.day, slot.starts))


def slot_end(slot: AppointmentSlot) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(slot.day, slot.ends))


def appointment_days_bookable(*, today: dt.date | None = None) -> list[dt.date]:
    """The working days one may book on `today`: at least MIN_DAYS_AHEAD calendar days
    ahead, at most MAX_WORKDAYS_AHEAD working days ahead (counted on the working-day
    calendar, today not counted)."""
    today = today or clock.today()
    calendar = calendar_get()
    max_workdays = _setting("APPOINTMENT_MAX_WORKDAYS_AHEAD")
    if max_workdays < 1:
        return []
    earliest = today + dt.timedelta(days=max(_setting("APPOINTMENT_MIN_DAYS_AHEAD"), 0))
    last = calendar.add_workdays(today, max_workdays).deadline
    days = []
    day = earliest
    while day <= last:
        if calendar.is_workday(day):
            days.append(day)
        day += dt.timedelta(days=1)
    return days


def _day_check(*, day: dt.date, today: dt.date) -> None:
    """Why `day` cannot be booked today, as an error; nothing when it can."""
    calendar = calendar_get()
    if not calendar.is_workday(day):
        raise HallError(
            code="not_a_workday",
            message=_("%(day)s 不是工作日，不接受预约") % {"day": day.isoformat()},
            field="day",
        )
    min_days = _setting("APPOINTMENT_MIN_DAYS_AHEAD")
    if day < today + dt.timedelta(days=min_days):
        raise HallError(
            code="too_soon",
            message=_("请至少提前%(days)s天预约") % {"days": min_days},
            field="day",
        )
    max_workdays = _setting("APPOINTMENT_MAX_WORKDAYS_AHEAD")
    if calendar.count_workdays(today, day).workdays > max_workdays:
        raise HallError(
            code="too_far_ahead",
            message=_("最多只能预约%(days)s个工作日以内的时段") % {"days": max_workdays},
            field="day",
        )


# -- slots ---------------------------------------------------------------------------------


def _slots_ensure(*, queue: Queue, day: dt.date) -> list[AppointmentSlot]:
    """The slot rows of the queue on the day for the configured periods, created when
    missing. Two callers creating the same row at once: one insert wins, the other reads
    it (Django's get_or_create retries the read after the IntegrityError)."""
    periods = slot_periods()
    existing = {
        slot.starts: slot
        for slot in AppointmentSlot.objects.filter(
            queue=queue, day=day, starts__in=[p.starts for p in periods]
        )
    }
    slots = []
    for period in periods:
        slot = existing.get(period.starts)
        if slot is None:
            for _attempt in range(_ATTEMPTS):
                try:
                    slot, _created = AppointmentSlot.objects.get_or_create(
                        queue=queue,
                        day=day,
                        starts=period.starts,
                        defaults={"ends": period.ends, "capacity": queue.slot_capacity},
                    )
                    break
                except IntegrityError:  # pragma: no cover - lost the race and read too early
                    continue
            else:  # pragma: no cover
                raise RuntimeError("appointment slot could not be created")
        slots.append(slot)
    return slots


def slots_available(*, queue: Queue, day: dt.date) -> list[AppointmentSlot]:
    """The queue's slots on `day` with their places, if `day` is bookable today; else none.

    No slots on non-working days, for queues without appointments or for days outside the
    booking window (so a request for a far-away day creates no rows). Slots already started
    are left out.
    """
    if not queue.is_active or queue.slot_capacity < 1:
        return []
    if day not in appointment_days_bookable(today=clock.today()):
        return []
    now = clock.now()
    return [slot for slot in _slots_ensure(queue=queue, day=day) if slot_start(slot) > now]


def slot_for_booking(*, queue: Queue, day: dt.date, starts: dt.time) -> AppointmentSlot:
    """The slot of the queue starting at `starts` on `day` (created if needed), or
    `slot_not_found` (404) when the queue has no such slot that day."""
    from yichuang.hall.errors import HallNotFound

    _queue_takes_appointments(queue)
    _day_check(day=day, today=clock.today())
    for slot in _slots_ensure(queue=queue, day=day):
        if slot.starts == starts:
            return slot
    raise HallNotFound(code="slot_not_found", message=_("该日期没有这个预约时段"), field="starts")


def _queue_takes_appointments(queue: Queue) -> None:
    if not queue.is_active or queue.slot_capacity < 1:
        raise HallError(
            code="no_appointments",
            message=_("“%(queue)s”不接受预约，请直接到大厅取号") % {"queue": queue.name},
            field="queue",
        )


# -- no-shows and suspension ---------------------------------------------------------------


def booking_suspended_until(*, applicant: Applicant, today: dt.date) -> dt.date | None:
    """The first day the applicant may book again, if no-shows suspend them on `today`.

    NO_SHOW_LIMIT no-shows with at most NO_SHOW_WINDOW_DAYS days between the first and
    the last suspend booking for NO_SHOW_SUSPEND_DAYS days from the last one.
    """
    limit = _setting("APPOINTMENT_NO_SHOW_LIMIT")
    window = _setting("APPOINTMENT_NO_SHOW_WINDOW_DAYS")
    suspend = _setting("APPOINTMENT_NO_SHOW_SUSPEND_DAYS")
    if limit < 1 or suspend < 1:
        return None
    since = today - dt.timedelta(days=suspend + window)
    days = sorted(
        Appointment.objects.filter(
            applicant=applicant, status=AppointmentStatus.NO_SHOW, day__gt=since
        ).values_list("day", flat=True),
        reverse=True,
    )
    until = None
    for i, last in enumerate(days):
        group = [d for d in days[i:] if (last - d).days < window]
        if len(group) >= limit:
            candidate = last + dt.timedelta(days=suspend)
            until = candidate if until is None else max(until, candidate)
    if until is not None and today < until:
        return until
    return None


def appointments_mark_no_shows(*, now: dt.datetime) -> int:
    """Booked appointments whose slot has ended by `now` become no-shows. Returns how many."""
    local = timezone.localtime(now)
    ended = Q(day__lt=local.date()) | Q(day=local.date(), slot__ends__lte=local.time())
    ids = list(
        Appointment.objects.filter(status=AppointmentStatus.BOOKED)
        .filter(ended)
        .values_list("pk", flat=True)
    )
    if not ids:
        return 0
    return Appointment.objects.filter(pk__in=ids, status=AppointmentStatus.BOOKED).update(
        status=AppointmentStatus.NO_SHOW, updated_at=now
    )


# -- booking -------------------------------------------------------------------------------


def appointment_code_new(*, day: dt.date) -> str:
    """The public appointment code: YY + the appointment's date (YYMMDD) + 6 random digits,
    e.g. YY261008042517. Unique by the column's constraint; a clash is retried."""
    return f"{CODE_PREFIX}{day:%y%m%d}{secrets.randbelow(10**6):06d}"


def _already_booked() -> HallConflict:
    return HallConflict(
        code="already_booked_that_day",
        message=_("您当天已有预约，每人每天只能预约一次"),
        field="day",
    )


def _slot_full() -> HallConflict:
    return HallConflict(code="slot_full", message=_("该时段已约满，请选择其他时段"), field="starts")


def _phone_clean(phone: str) -> str:
    phone = (phone or "").strip()
    if phone and (len(phone) > 20 or not all(c.isdigit() or c in "-+ " for c in phone)):
        raise HallError(code="invalid_phone", message=_("联系电话格式不正确"), field="phone")
    return phone


def appointment_book_check(*, user, applicant: Applicant, slot: AppointmentSlot) -> None:
    """Every rule of booking that does not need the slot's lock; raises the first broken."""
    if (
        user is None
        or not getattr(user, "is_authenticated", False)
        or applicant.user_id is None
        or applicant.user_id != user.pk
    ):
        raise HallForbidden(
            code="real_name_required",
            message=_("预约实行实名制，请以申请人本人的账号登录后预约"),
        )
    _queue_takes_appointments(slot.queue)
    today = clock.today()
    _day_check(day=slot.day, today=today)
    if slot_start(slot) <= clock.now():
        raise HallError(code="slot_started", message=_("该时段已开始，不能预约"), field="starts")
    until = booking_suspended_until(applicant=applicant, today=today)
    if until is not None:
        raise HallForbidden(
            code="booking_suspended",
            message=_("您近期多次预约未到，预约功能已暂停，%(date)s起可重新预约")
            % {"date": f"{until.year}年{until.month}月{until.day}日"},
            details={"until": until.isoformat()},
        )


def appointment_book(
    *,
    user,
    applicant: Applicant,
    slot: AppointmentSlot,
    item=None,
    phone: str = "",
) -> Appointment:
    """Book a place in `slot` for the applicant, who books for themselves (实名预约)."""
    appointment_book_check(user=user, applicant=applicant, slot=slot)
    phone = _phone_clean(phone) or applicant.phone
    try:
        with transaction.atomic():
            locked = slot_lock(slot_id=slot.pk)
            if locked.booked >= locked.capacity:
                raise _slot_full()
            if (
                Appointment.objects.filter(applicant=applicant, day=locked.day)
                .exclude(status=AppointmentStatus.CANCELLED)
                .exists()
            ):
                raise _already_booked()
            appointment = _appointment_create(
                applicant=applicant, slot=locked, item=item, phone=phone
            )
            AppointmentSlot.objects.filter(pk=locked.pk).update(booked=F("booked") + 1)
    except IntegrityError as exc:
        # The same person booking another slot of the day at the very same moment: the
        # database's constraint decided (the slot's own lock cannot see the other slot).
        if "one_per_person" in str(exc) or "applicant_id" in str(exc):
            raise _already_booked() from exc
        if "overbooked" in str(exc) or "booked" in str(exc):  # pragma: no cover - lock holds
            raise _slot_full() from exc
        raise
    slot.booked = locked.booked + 1
    appointment.slot = slot
    return appointment


def _appointment_create(
    *, applicant: Applicant, slot: AppointmentSlot, item, phone: str
) -> Appointment:
    for _attempt in range(_ATTEMPTS):
        code = appointment_code_new(day=slot.day)
        if Appointment.objects.filter(code=code).exists():
            continue
        return Appointment.objects.create(
            code=code,
            applicant=applicant,
            slot=slot,
            day=slot.day,
            item=item,
            phone=phone,
        )
    raise RuntimeError("no free appointment code")  # pragma: no cover


# -- cancelling ----------------------------------------------------------------------------


def appointment_cancel_deadline(appointment: Appointment) -> dt.datetime:
    return slot_start(appointment.slot) - dt.timedelta(hours=_setting("APPOINTMENT_CANCEL_HOURS"))


def appointment_can_cancel(appointment: Appointment, *, now: dt.datetime | None = None) -> bool:
    now = now or clock.now()
    return appointment.status == AppointmentStatus.BOOKED and now <= appointment_cancel_deadline(
        appointment
    )


def appointment_cancel(*, user, appointment: Appointment) -> Appointment:
    """The applicant cancels their appointment; the place is free again."""
    if appointment.applicant.user_id is None or appointment.applicant.user_id != getattr(
        user, "pk", None
    ):
        raise HallForbidden(code="not_your_appointment", message=_("只能取消本人的预约"))
    with transaction.atomic():
        slot_lock(slot_id=appointment.slot_id)
        locked = (
            Appointment.objects.select_for_update().select_related("slot").get(pk=appointment.pk)
        )
        if locked.status != AppointmentStatus.BOOKED:
            raise HallConflict(
                code="not_cancellable",
                message=_("该预约当前状态为“%(status)s”，不能取消")
                % {"status": locked.get_status_display()},
            )
        if not appointment_can_cancel(locked):
            raise HallConflict(
                code="cancel_too_late",
                message=_("距预约时段开始已不足%(hours)s小时，不能取消")
                % {"hours": _setting("APPOINTMENT_CANCEL_HOURS")},
            )
        locked.status = AppointmentStatus.CANCELLED
        locked.cancelled_at = clock.now()
        locked.save(update_fields=["status", "cancelled_at", "updated_at"])
        AppointmentSlot.objects.filter(pk=locked.slot_id).update(booked=F("booked") - 1)
    locked.slot.refresh_from_db(fields=["booked"])
    return locked


# -- checking in ---------------------------------------------------------------------------


def appointment_check_in_opens(appointment: Appointment) -> dt.datetime:
    minutes = _setting("APPOINTMENT_CHECKIN_EARLY_MINUTES")
    return slot_start(appointment.slot) - dt.timedelta(minutes=minutes)


def appointment_can_check_in(appointment: Appointment, *, now: dt.datetime | None = None) -> bool:
    now = now or clock.now()
    return appointment.status == AppointmentStatus.BOOKED and appointment_check_in_opens(
        appointment
    ) <= now <= slot_end(appointment.slot)


def _waiting_ticket_promoted(*, appointment: Appointment) -> Ticket | None:
    """The person already waits in the slot's queue with a ticket taken today: that ticket
    moves to the priority lane (keeping its number and place in time) instead of a second."""
    ticket = (
        Ticket.objects.select_for_update()
        .filter(
            queue=appointment.slot.queue,
            day=clock.today(),
            applicant=appointment.applicant,
            status=TicketStatus.WAITING,
        )
        .first()
    )
    if ticket is None:
        return None
    if ticket.rank != 0:
        ticket.priority, ticket.rank = Priority.APPOINTMENT, 0
        ticket.save(update_fields=["priority", "rank"])
    ticket_event_record(
        ticket=ticket, kind=TicketEventKind.CHECKED_IN, data={"appointment": appointment.code}
    )
    return ticket


def appointment_check_in(*, appointment: Appointment, via: str) -> Ticket:
    """Check in for the appointment: a priority ticket in the slot's queue, linked to it.

    The caller has found the appointment through an access function (the applicant's own,
    or one of the staff member's centre). `via` is the channel of the check-in (portal,
    kiosk, window, api); it goes to the log, while the ticket is taken "via appointment".
    A second check-in returns the ticket of the first.
    """
    if via not in CHECK_IN_CHANNELS:
        raise HallError(code="invalid_channel", message=_("签到方式不正确"), field="via")
    now = clock.now()
    with transaction.atomic():
        locked = (
            Appointment.objects.select_for_update(of=("self",))
            .select_related("slot__queue__centre", "applicant")
            .get(pk=appointment.pk)
        )
        if locked.status == AppointmentStatus.CHECKED_IN and locked.ticket_id is not None:
            # Read apart from the lock: a row joined to the locked one would be the version
            # from before the wait, when a simultaneous first check-in had no ticket yet.
            return Ticket.objects.select_related("queue").get(pk=locked.ticket_id)
        if locked.status != AppointmentStatus.BOOKED:
            raise HallConflict(
                code="not_checkable",
                message=_("该预约当前状态为“%(status)s”，不能签到")
                % {"status": locked.get_status_display()},
            )
        if now < appointment_check_in_opens(locked):
            opens = timezone.localtime(appointment_check_in_opens(locked))
            raise HallConflict(
                code="check_in_not_open",
                message=_("签到尚未开始，请于%(time)s之后签到")
                % {"time": f"{opens.month}月{opens.day}日 {opens:%H:%M}"},
            )
        if now > slot_end(locked.slot):
            raise HallConflict(
                code="check_in_closed", message=_("预约时段已结束，不能签到，请现场取号")
            )
        queue = locked.slot.queue
        ticket = _waiting_ticket_promoted(appointment=locked) or ticket_take(
            centre=queue.centre,
            queue_code=queue.code,
            via=TakenVia.APPOINTMENT,
            applicant=locked.applicant,
            system_priority=Priority.APPOINTMENT,
        )
        locked.status = AppointmentStatus.CHECKED_IN
        locked.checked_in_at = now
        locked.ticket = ticket
        locked.save(update_fields=["status", "checked_in_at", "ticket", "updated_at"])
    logger.info("appointment %s checked in via %s: ticket %s", locked.code, via, ticket.number)
    return ticket
