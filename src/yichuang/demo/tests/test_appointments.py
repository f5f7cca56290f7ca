"""The demo's appointments (booked through the real service) and its paired kiosk."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from django.core.management import call_command
from django.test import Client
from django.utils import timezone

from yichuang.demo.appointments import (
    DEMO_KIOSK_TOKEN,
    demo_appointments_seed,
    demo_kiosk_seed,
)
from yichuang.hall.models import Appointment, Kiosk
from yichuang.hall.services import appointments as booking

pytestmark = pytest.mark.django_db

WEDNESDAY_AT_TEN = timezone.make_aware(dt.datetime(2026, 3, 4, 10, 0))


@pytest.fixture(autouse=True)
def seeded(settings):
    settings.DEMO = True
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    call_command("seed_demo", "--without-cases", stdout=io.StringIO())


def test_citizen1_has_a_slot_later_today_and_one_on_the_next_working_day():
    made = demo_appointments_seed(now=WEDNESDAY_AT_TEN)

    booked = list(Appointment.objects.order_by("day"))
    assert made == 2
    assert [a.day for a in booked] == [dt.date(2026, 3, 4), dt.date(2026, 3, 5)]
    assert booked[0].slot.starts == dt.time(10, 0)  # the running 10:00 slot: check in now
    assert booking.appointment_can_check_in(booked[0], now=WEDNESDAY_AT_TEN)
    assert {a.applicant.user.username for a in booked} == {"citizen1"}


def test_seeding_again_books_nothing_more():
    demo_appointments_seed(now=WEDNESDAY_AT_TEN)

    assert demo_appointments_seed(now=WEDNESDAY_AT_TEN) == 0
    assert Appointment.objects.count() == 2


def test_on_a_saturday_only_the_next_working_day_is_booked():
    saturday = timezone.make_aware(dt.datetime(2026, 3, 7, 10, 0))

    demo_appointments_seed(now=saturday)

    assert list(Appointment.objects.values_list("day", flat=True)) == [dt.date(2026, 3, 9)]


def test_the_demo_kiosk_pairs_with_the_demo_token():
    assert demo_kiosk_seed() is False  # made by seed-demo already

    response = Client().get("/kiosk/pair/", {"token": DEMO_KIOSK_TOKEN})

    assert response.status_code == 302
    assert Kiosk.objects.count() == 1
