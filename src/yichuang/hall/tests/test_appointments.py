"""Appointment rules (RULES.md §7): slots on working days only, booking 1 calendar day to 5
working days ahead, one per person per day, cancel until 2 hours before, check in for a
priority ticket, no-shows suspend booking."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.management import call_command

from yichuang.common import clock
from yichuang.common.errors import DomainError
from yichuang.hall.models import (
    Appointment,
    AppointmentSlot,
    AppointmentStatus,
    Priority,
    TakenVia,
    Ticket,
    TicketStatus,
)
from yichuang.hall.services import appointments as service
from yichuang.hall.services.tickets import ticket_take, tickets_ahead
from yichuang.hall.tests.factories import WORKDAY, at
from yichuang.hall.tests.factories_appointments import (
    NINE,
    TEN,
    appointment,
    bookable_queue,
    person,
)

pytestmark = pytest.mark.django_db

NEXT_DAY = WORKDAY + dt.timedelta(days=1)  # Thursday 2026-03-05


def _book(applicant, queue, day, starts=NINE, **kwargs):
    slot = service.slot_for_booking(queue=queue, day=day, starts=starts)
    return service.appointment_book(user=applicant.user, applicant=applicant, slot=slot, **kwargs)


def _code(call) -> str:
    with pytest.raises(DomainError) as error:
        call()
    return error.value.code


# -- slots and days ------------------------------------------------------------------------


def test_a_working_day_has_the_configured_slots_with_the_queue_capacity():
    queue = bookable_queue(capacity=4)

    with clock.frozen(at(WORKDAY)):
        slots = service.slots_available(queue=queue, day=NEXT_DAY)

    assert [(f"{s.starts:%H:%M}", f"{s.ends:%H:%M}") for s in slots][:2] == [
        ("09:00", "10:00"),
        ("10:00", "11:00"),
    ]
    assert len(slots) == 7
    assert {s.capacity for s in slots} == {4}
    assert {s.booked for s in slots} == {0}


def test_listing_twice_creates_the_slots_once():
    queue = bookable_queue()

    with clock.frozen(at(WORKDAY)):
        service.slots_available(queue=queue, day=NEXT_DAY)
        service.slots_available(queue=queue, day=NEXT_DAY)

    assert AppointmentSlot.objects.filter(queue=queue).count() == 7


def test_a_queue_with_capacity_zero_takes_no_appointments():
    queue = bookable_queue(capacity=0)

    with clock.frozen(at(WORKDAY)):
        assert service.slots_available(queue=queue, day=NEXT_DAY) == []
        assert _code(lambda: service.slot_for_booking(queue=queue, day=NEXT_DAY, starts=NINE)) == (
            "no_appointments"
        )


def test_national_day_bookable_days_skip_the_holiday_and_include_the_make_up_saturday():
    # Wednesday 30 September 2026; 1–7 October are holidays, Saturday 10 October is worked.
    with clock.frozen(at(dt.date(2026, 9, 30))):
        days = service.appointment_days_bookable()

    assert days == [
        dt.date(2026, 10, 8),
        dt.date(2026, 10, 9),
        dt.date(2026, 10, 10),
        dt.date(2026, 10, 12),
        dt.date(2026, 10, 13),
    ]


def test_a_holiday_has_no_slots_and_a_make_up_working_day_has():
    queue = bookable_queue()

    with clock.frozen(at(dt.date(2026, 9, 30))):
        assert service.slots_available(queue=queue, day=dt.date(2026, 10, 1)) == []
        assert len(service.slots_available(queue=queue, day=dt.date(2026, 10, 10))) == 7
        assert service.slots_available(queue=queue, day=dt.date(2026, 10, 11)) == []  # Sunday


def test_booking_a_holiday_is_refused():
    applicant, queue = person(), bookable_queue()

    with clock.frozen(at(dt.date(2026, 9, 30))):
        assert _code(lambda: _book(applicant, queue, dt.date(2026, 10, 2))) == "not_a_workday"


def test_the_fifth_working_day_after_the_national_day_is_the_last_bookable():
    applicant, queue = person(), bookable_queue()

    with clock.frozen(at(dt.date(2026, 9, 30))):
        booked = _book(applicant, queue, dt.date(2026, 10, 13))
        refused = _code(lambda: _book(applicant, queue, dt.date(2026, 10, 14)))

    assert booked.day == dt.date(2026, 10, 13)
    assert refused == "too_far_ahead"


def test_spring_festival_counts_the_make_up_saturdays_as_working_days():
    # Friday 13 February 2026: Saturday 14th is worked, 15th–23rd are the holiday.
    with clock.frozen(at(dt.date(2026, 2, 13))):
        days = service.appointment_days_bookable()

    assert days == [
        dt.date(2026, 2, 14),
        dt.date(2026, 2, 24),
        dt.date(2026, 2, 25),
        dt.date(2026, 2, 26),
        dt.date(2026, 2, 27),
    ]


def test_booking_for_today_is_too_soon():
    applicant, queue = person(), bookable_queue()

    with clock.frozen(at(WORKDAY, 7)):
        assert _code(lambda: _book(applicant, queue, WORKDAY, starts=TEN)) == "too_soon"


def test_far_future_days_create_no_slot_rows():
    queue = bookable_queue()

    with clock.frozen(at(WORKDAY)):
        assert service.slots_available(queue=queue, day=dt.date(9999, 12, 31)) == []

    assert not AppointmentSlot.objects.exists()


# -- booking -------------------------------------------------------------------------------


def test_booking_takes_a_place_and_gives_a_public_code():
    applicant, queue = person(), bookable_queue()

    with clock.frozen(at(WORKDAY)):
        booked = _book(applicant, queue, NEXT_DAY)

    assert booked.status == AppointmentStatus.BOOKED
    assert booked.code.startswith("YY260305") and len(booked.code) == 14
    assert AppointmentSlot.objects.get(pk=booked.slot_id).booked == 1


def test_only_the_applicant_themselves_may_book():
    applicant, other, queue = person(), person(), bookable_queue()

    with clock.frozen(at(WORKDAY)):
        slot = service.slot_for_booking(queue=queue, day=NEXT_DAY, starts=NINE)
        code = _code(
            lambda: service.appointment_book(user=other.user, applicant=applicant, slot=slot)
        )

    assert code == "real_name_required"
    assert not Appointment.objects.exists()


def test_one_appointment_per_person_per_day():
    applicant, queue = person(), bookable_queue()

    with clock.frozen(at(WORKDAY)):
        _book(applicant, queue, NEXT_DAY, starts=NINE)
        with pytest.raises(DomainError) as error:
            _book(applicant, queue, NEXT_DAY, starts=TEN)

    assert (error.value.code, error.value.status) == ("already_booked_that_day", 409)
    assert AppointmentSlot.objects.get(queue=queue, day=NEXT_DAY, starts=TEN).booked == 0


def test_one_per_day_holds_across_queues_but_not_across_days():
    applicant, queue = person(), bookable_queue()
    other_queue = bookable_queue(centre=queue.centre, code="B")

    with clock.frozen(at(WORKDAY)):
        _book(applicant, queue, NEXT_DAY)
        refused = _code(lambda: _book(applicant, other_queue, NEXT_DAY))
        next_day = _book(applicant, queue, NEXT_DAY + dt.timedelta(days=1))

    assert refused == "already_booked_that_day"
    assert next_day.status == AppointmentStatus.BOOKED


def test_a_full_slot_is_a_conflict():
    queue = bookable_queue(capacity=2)

    with clock.frozen(at(WORKDAY)):
        _book(person(), queue, NEXT_DAY)
        _book(person(), queue, NEXT_DAY)
        with pytest.raises(DomainError) as error:
            _book(person(), queue, NEXT_DAY)

    assert (error.value.code, error.value.status) == ("slot_full", 409)
    assert AppointmentSlot.objects.get(queue=queue, day=NEXT_DAY, starts=NINE).booked == 2


def test_a_cancelled_appointment_does_not_block_booking_the_same_day_again():
    applicant, queue = person(), bookable_queue()

    with clock.frozen(at(WORKDAY)):
        first = _book(applicant, queue, NEXT_DAY)
        service.appointment_cancel(user=applicant.user, appointment=first)
        again = _book(applicant, queue, NEXT_DAY, starts=TEN)

    assert again.status == AppointmentStatus.BOOKED


# -- cancelling ----------------------------------------------------------------------------


def test_cancel_exactly_two_hours_before_the_start_is_allowed_and_frees_the_place():
    applicant, queue = person(), bookable_queue()
    with clock.frozen(at(WORKDAY)):
        booked = _book(applicant, queue, NEXT_DAY, starts=TEN)

    with clock.frozen(at(NEXT_DAY, 8, 0)):
        cancelled = service.appointment_cancel(user=applicant.user, appointment=booked)

    assert cancelled.status == AppointmentStatus.CANCELLED
    assert AppointmentSlot.objects.get(pk=booked.slot_id).booked == 0


def test_cancel_less_than_two_hours_before_is_refused():
    applicant, queue = person(), bookable_queue()
    with clock.frozen(at(WORKDAY)):
        booked = _book(applicant, queue, NEXT_DAY, starts=TEN)

    with clock.frozen(at(NEXT_DAY, 8, 1)), pytest.raises(DomainError) as error:
        service.appointment_cancel(user=applicant.user, appointment=booked)

    assert (error.value.code, error.value.status) == ("cancel_too_late", 409)
    assert Appointment.objects.get(pk=booked.pk).status == AppointmentStatus.BOOKED


def test_someone_else_cannot_cancel():
    applicant, queue = person(), bookable_queue()
    with clock.frozen(at(WORKDAY)):
        booked = _book(applicant, queue, NEXT_DAY)
        code = _code(lambda: service.appointment_cancel(user=person().user, appointment=booked))

    assert code == "not_your_appointment"


# -- checking in ---------------------------------------------------------------------------


def _booked_for_ten(applicant=None, queue=None):
    applicant, queue = applicant or person(), queue or bookable_queue()
    with clock.frozen(at(WORKDAY)):
        return _book(applicant, queue, NEXT_DAY, starts=TEN)


def test_check_in_opens_thirty_minutes_before_the_start():
    booked = _booked_for_ten()

    with clock.frozen(at(NEXT_DAY, 9, 29)):
        early = _code(lambda: service.appointment_check_in(appointment=booked, via="portal"))
    with clock.frozen(at(NEXT_DAY, 9, 30)):
        ticket = service.appointment_check_in(appointment=booked, via="portal")

    assert early == "check_in_not_open"
    assert ticket.day == NEXT_DAY


def test_check_in_closes_when_the_slot_ends():
    booked = _booked_for_ten()

    with clock.frozen(at(NEXT_DAY, 11, 0)):
        ticket = service.appointment_check_in(appointment=booked, via="kiosk")
    late = _booked_for_ten(queue=booked.slot.queue)
    with clock.frozen(at(NEXT_DAY, 11, 1)):
        closed = _code(lambda: service.appointment_check_in(appointment=late, via="kiosk"))

    assert ticket.number == "A001"
    assert closed == "check_in_closed"


def test_check_in_gives_a_priority_ticket_linked_to_the_appointment():
    booked = _booked_for_ten()

    with clock.frozen(at(NEXT_DAY, 10, 5)):
        ticket = service.appointment_check_in(appointment=booked, via="portal")

    booked.refresh_from_db()
    assert booked.status == AppointmentStatus.CHECKED_IN
    assert booked.ticket_id == ticket.pk
    assert (ticket.priority, ticket.rank, ticket.taken_via) == (
        Priority.APPOINTMENT,
        0,
        TakenVia.APPOINTMENT,
    )
    assert ticket.applicant_id == booked.applicant_id


def test_the_appointment_ticket_is_called_before_earlier_normal_tickets():
    booked = _booked_for_ten()
    queue = booked.slot.queue

    with clock.frozen(at(NEXT_DAY, 9, 40)):
        normal = ticket_take(centre=queue.centre, queue_code="A", via=TakenVia.KIOSK)
    with clock.frozen(at(NEXT_DAY, 9, 50)):
        priority = service.appointment_check_in(appointment=booked, via="kiosk")

    normal.refresh_from_db()
    assert tickets_ahead(priority) == 0
    assert tickets_ahead(normal) == 1


def test_checking_in_while_already_waiting_moves_that_ticket_to_the_priority_lane():
    booked = _booked_for_ten()
    queue = booked.slot.queue

    with clock.frozen(at(NEXT_DAY, 9, 35)):
        own = ticket_take(
            centre=queue.centre, queue_code="A", via=TakenVia.KIOSK, applicant=booked.applicant
        )
        ticket_take(centre=queue.centre, queue_code="A", via=TakenVia.KIOSK)
    with clock.frozen(at(NEXT_DAY, 9, 45)):
        checked_in = service.appointment_check_in(appointment=booked, via="kiosk")

    assert checked_in.pk == own.pk
    assert (checked_in.number, checked_in.priority, checked_in.rank) == ("A001", "appointment", 0)
    assert Ticket.objects.count() == 2
    assert checked_in.events.last().kind == "checked_in"


def test_a_second_check_in_returns_the_same_ticket():
    booked = _booked_for_ten()

    with clock.frozen(at(NEXT_DAY, 10, 0)):
        first = service.appointment_check_in(appointment=booked, via="portal")
        second = service.appointment_check_in(appointment=booked, via="window")

    assert first.pk == second.pk
    assert Ticket.objects.count() == 1


def test_a_cancelled_appointment_cannot_check_in():
    applicant = person()
    booked = _booked_for_ten(applicant=applicant)
    with clock.frozen(at(WORKDAY)):
        service.appointment_cancel(user=applicant.user, appointment=booked)

    with clock.frozen(at(NEXT_DAY, 10, 0)):
        code = _code(lambda: service.appointment_check_in(appointment=booked, via="portal"))

    assert code == "not_checkable"
    assert not Ticket.objects.exists()


# -- no-shows ------------------------------------------------------------------------------


def test_booked_appointments_whose_slot_ended_become_no_shows():
    applicant, queue = person(), bookable_queue()
    ended = appointment(queue=queue, applicant=applicant, day=WORKDAY, starts=NINE)
    running = appointment(queue=queue, applicant=person(), day=WORKDAY, starts=TEN)
    checked = appointment(
        queue=queue, applicant=person(), day=WORKDAY, status=AppointmentStatus.CHECKED_IN
    )

    marked = service.appointments_mark_no_shows(now=at(WORKDAY, 10, 30))

    assert marked == 1
    statuses = dict(Appointment.objects.values_list("pk", "status"))
    assert statuses[ended.pk] == AppointmentStatus.NO_SHOW
    assert statuses[running.pk] == AppointmentStatus.BOOKED
    assert statuses[checked.pk] == AppointmentStatus.CHECKED_IN


def _no_shows(applicant, queue, days):
    for day in days:
        appointment(queue=queue, applicant=applicant, day=day, status=AppointmentStatus.NO_SHOW)


def test_three_no_shows_within_thirty_days_suspend_booking_for_thirty_days_from_the_last():
    applicant, queue = person(), bookable_queue()
    last = dt.date(2026, 3, 2)
    _no_shows(applicant, queue, [dt.date(2026, 2, 3), dt.date(2026, 2, 25), last])

    with clock.frozen(at(WORKDAY)), pytest.raises(DomainError) as error:
        _book(applicant, queue, NEXT_DAY)

    assert (error.value.code, error.value.status) == ("booking_suspended", 403)
    assert error.value.details == {"until": "2026-04-01"}
    assert "2026年4月1日" in error.value.message


def test_the_suspension_ends_thirty_days_after_the_last_no_show():
    applicant, queue = person(), bookable_queue()
    last = dt.date(2026, 3, 2)
    _no_shows(applicant, queue, [dt.date(2026, 2, 3), dt.date(2026, 2, 25), last])

    assert service.booking_suspended_until(applicant=applicant, today=dt.date(2026, 3, 31)) == (
        dt.date(2026, 4, 1)
    )
    assert service.booking_suspended_until(applicant=applicant, today=dt.date(2026, 4, 1)) is None


def test_no_shows_spread_over_more_than_thirty_days_do_not_suspend():
    applicant, queue = person(), bookable_queue()
    _no_shows(applicant, queue, [dt.date(2026, 1, 30), dt.date(2026, 2, 25), dt.date(2026, 3, 2)])

    with clock.frozen(at(WORKDAY)):
        booked = _book(applicant, queue, NEXT_DAY)

    assert booked.status == AppointmentStatus.BOOKED


def test_two_no_shows_do_not_suspend():
    applicant, queue = person(), bookable_queue()
    _no_shows(applicant, queue, [dt.date(2026, 2, 25), dt.date(2026, 3, 2)])

    assert service.booking_suspended_until(applicant=applicant, today=WORKDAY) is None


def test_sweep_hall_marks_no_shows_and_expires_yesterdays_tickets(capsys):
    queue = bookable_queue()
    appointment(queue=queue, applicant=person(), day=WORKDAY)
    with clock.frozen(at(WORKDAY, 9, 0)):
        ticket = ticket_take(centre=queue.centre, queue_code="A", via=TakenVia.KIOSK)

    with clock.frozen(at(NEXT_DAY, 1, 0)):
        call_command("sweep_hall")
        call_command("sweep_hall")

    out = capsys.readouterr().out.splitlines()
    assert out == [
        "大厅日结完成：爽约预约 1 个，过期未叫号 1 个",
        "大厅日结完成：爽约预约 0 个，过期未叫号 0 个",
    ]
    ticket.refresh_from_db()
    assert ticket.status == TicketStatus.EXPIRED
