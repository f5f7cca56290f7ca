"""Booking under real concurrency (PostgreSQL): capacity is never exceeded and one person
never holds two appointments on one day, however many book at the same moment."""

from __future__ import annotations

import datetime as dt
import threading

import pytest
from django.db import connection

from yichuang.common import clock
from yichuang.common.errors import DomainError
from yichuang.hall.models import Appointment, AppointmentSlot, AppointmentStatus
from yichuang.hall.services import appointments as service
from yichuang.hall.tests.factories import WORKDAY, at
from yichuang.hall.tests.factories_appointments import bookable_queue, person

NEXT_DAY = WORKDAY + dt.timedelta(days=1)

pytestmark = [pytest.mark.postgres_only, pytest.mark.django_db(transaction=True)]


def _at_once(jobs) -> list[str]:
    """Run the jobs in threads released together; each returns "ok" or the error code."""
    barrier = threading.Barrier(len(jobs))
    results: list[str] = []

    def run(job) -> None:
        try:
            barrier.wait()
            job()
            results.append("ok")
        except DomainError as error:
            results.append(error.code)
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(job,)) for job in jobs]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return results


def _skip_unless_postgres():
    if connection.vendor != "postgresql":
        pytest.skip("row locks need PostgreSQL")


def test_thirty_people_booking_a_slot_of_five_at_once_get_exactly_five_places():
    _skip_unless_postgres()
    queue = bookable_queue(capacity=5)
    people = [person() for _ in range(30)]
    with clock.frozen(at(WORKDAY)):
        slot = service.slot_for_booking(queue=queue, day=NEXT_DAY, starts=dt.time(9))

        def booking(applicant):
            return lambda: service.appointment_book(
                user=applicant.user, applicant=applicant, slot=slot
            )

        results = _at_once([booking(p) for p in people])

    assert sorted(results) == ["ok"] * 5 + ["slot_full"] * 25
    assert AppointmentSlot.objects.get(pk=slot.pk).booked == 5
    assert Appointment.objects.filter(slot=slot, status=AppointmentStatus.BOOKED).count() == 5


def test_one_person_booking_two_slots_of_a_day_at_once_gets_one():
    _skip_unless_postgres()
    queue = bookable_queue(capacity=5)
    applicant = person()
    with clock.frozen(at(WORKDAY)):
        slots = [
            service.slot_for_booking(queue=queue, day=NEXT_DAY, starts=dt.time(hour))
            for hour in (9, 10, 11)
        ]

        def booking(slot):
            return lambda: service.appointment_book(
                user=applicant.user, applicant=applicant, slot=slot
            )

        results = _at_once([booking(s) for s in slots])

    assert sorted(results) == ["already_booked_that_day"] * 2 + ["ok"]
    assert Appointment.objects.filter(applicant=applicant).count() == 1
    assert (
        sum(
            AppointmentSlot.objects.filter(pk__in=[s.pk for s in slots]).values_list(
                "booked", flat=True
            )
        )
        == 1
    )


def test_many_listing_a_new_day_at_once_create_each_slot_once():
    _skip_unless_postgres()
    queue = bookable_queue(capacity=5)
    with clock.frozen(at(WORKDAY)):
        results = _at_once(
            [lambda: service.slots_available(queue=queue, day=NEXT_DAY) for _ in range(12)]
        )

    assert results == ["ok"] * 12
    assert AppointmentSlot.objects.filter(queue=queue, day=NEXT_DAY).count() == 7


def test_checking_in_twice_at_once_gives_one_ticket():
    _skip_unless_postgres()
    queue = bookable_queue(capacity=5)
    applicant = person()
    with clock.frozen(at(WORKDAY)):
        slot = service.slot_for_booking(queue=queue, day=NEXT_DAY, starts=dt.time(9))
        booked = service.appointment_book(user=applicant.user, applicant=applicant, slot=slot)
    tickets = []
    with clock.frozen(at(NEXT_DAY, 9, 0)):
        results = _at_once(
            [
                lambda: tickets.append(
                    service.appointment_check_in(appointment=booked, via="portal").pk
                )
                for _ in range(6)
            ]
        )

    assert results == ["ok"] * 6
    assert len(set(tickets)) == 1
