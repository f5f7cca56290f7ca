"""The appointments API (/api/v1/hall) and pages (/my/appointments/, /hall/appointments/):
shapes, who may do what, and hostile input answered 4xx with a code and a Chinese message."""

from __future__ import annotations

import datetime as dt

import pytest
from django.test import Client

from yichuang.common import clock
from yichuang.hall.models import Appointment, AppointmentSlot, AppointmentStatus, Priority
from yichuang.hall.tests.factories import WORKDAY, at
from yichuang.hall.tests.factories_appointments import bookable_queue, person
from yichuang.orgs.models import Role
from yichuang.orgs.tests import factories as orgs_factories

pytestmark = pytest.mark.django_db

API = "/api/v1/hall"
NEXT_DAY = WORKDAY + dt.timedelta(days=1)


@pytest.fixture
def queue():
    return bookable_queue(capacity=2)


@pytest.fixture
def applicant():
    return person()


def _client(user=None) -> Client:
    client = Client()
    if user is not None:
        client.force_login(user)
    return client


def _book(client, **body):
    payload = {"queue": "A", "day": NEXT_DAY.isoformat(), "starts": "09:00", **body}
    return client.post(f"{API}/appointments", payload, content_type="application/json")


def _is_error(response, status, code):
    body = response.json()
    assert response.status_code == status, body
    assert body["code"] == code
    assert body["message"]  # a Chinese sentence for the person
    return body


# -- public slots --------------------------------------------------------------------------


def test_slots_are_public_with_free_places(queue, applicant):
    with clock.frozen(at(WORKDAY)):
        _book(_client(applicant.user))
        response = _client().get(f"{API}/slots", {"queue": "A", "day": NEXT_DAY.isoformat()})

    assert response.status_code == 200
    first = response.json()[0]
    assert {k: first[k] for k in ("starts", "ends", "capacity", "booked", "free")} == {
        "starts": "09:00",
        "ends": "10:00",
        "capacity": 2,
        "booked": 1,
        "free": 1,
    }


def test_bookable_days_are_public(queue):
    with clock.frozen(at(WORKDAY)):
        response = _client().get(f"{API}/appointment-days", {"queue": "a"})

    assert response.json() == ["2026-03-05", "2026-03-06", "2026-03-09", "2026-03-10", "2026-03-11"]


@pytest.mark.parametrize(
    ("params", "status", "code"),
    [
        ({"queue": "A", "day": "2026-02-30"}, 422, "invalid_input"),
        ({"queue": "A", "day": "x" * 5000}, 422, "invalid_input"),
        ({"queue": "A"}, 422, "invalid_input"),
        ({"queue": "Z", "day": "2026-03-05"}, 404, "queue_not_found"),
        ({"queue": "AB", "day": "2026-03-05"}, 422, "invalid_input"),
        ({"queue": "A", "day": "2026-03-05", "centre": "nowhere"}, 404, "centre_not_found"),
    ],
)
def test_hostile_slot_queries_are_answered_with_a_code(queue, params, status, code):
    with clock.frozen(at(WORKDAY)):
        response = _client().get(f"{API}/slots", params)

    _is_error(response, status, code)


# -- booking -------------------------------------------------------------------------------


def test_booking_answers_201_with_the_appointment(queue, applicant):
    with clock.frozen(at(WORKDAY)):
        response = _book(_client(applicant.user), phone="13800001111")

    assert response.status_code == 201
    body = response.json()
    assert body["code"].startswith("YY260305")
    assert {k: body[k] for k in ("status", "queue", "day", "starts", "ends", "can_cancel")} == {
        "status": "booked",
        "queue": "A",
        "day": "2026-03-05",
        "starts": "09:00",
        "ends": "10:00",
        "can_cancel": True,
    }
    assert Appointment.objects.get().phone == "13800001111"


def test_booking_by_slot_id(queue, applicant):
    with clock.frozen(at(WORKDAY)):
        slot_id = _client().get(f"{API}/slots", {"queue": "A", "day": "2026-03-06"}).json()[2]["id"]
        response = _client(applicant.user).post(
            f"{API}/appointments", {"queue": "A", "slot": slot_id}, content_type="application/json"
        )

    assert response.status_code == 201
    assert (response.json()["day"], response.json()["starts"]) == ("2026-03-06", "11:00")


def test_booking_needs_a_login(queue):
    with clock.frozen(at(WORKDAY)):
        response = _book(_client())

    assert response.status_code == 401


def test_staff_cannot_book_for_themselves_as_applicants(queue):
    officer = orgs_factories.staff(centre=queue.centre)

    with clock.frozen(at(WORKDAY)):
        _is_error(_book(_client(officer.user)), 403, "applicants_only")


def test_a_full_slot_is_409(queue):
    with clock.frozen(at(WORKDAY)):
        _book(_client(person().user))
        _book(_client(person().user))
        response = _book(_client(person().user))

    _is_error(response, 409, "slot_full")


def test_a_second_booking_the_same_day_is_409(queue, applicant):
    client = _client(applicant.user)
    with clock.frozen(at(WORKDAY)):
        _book(client)
        response = _book(client, starts="10:00")

    _is_error(response, 409, "already_booked_that_day")


@pytest.mark.parametrize(
    ("body", "status", "code"),
    [
        ({"slot": 2**40, "day": None, "starts": None}, 422, "invalid_input"),
        ({"slot": 999999, "day": None, "starts": None}, 404, "slot_not_found"),
        ({"day": None, "starts": None}, 422, "slot_required"),
        ({"starts": "25:99"}, 422, "invalid_input"),
        ({"starts": "09:15"}, 404, "slot_not_found"),
        ({"day": "2026-03-07"}, 422, "not_a_workday"),
        ({"day": "2026-03-04"}, 422, "too_soon"),
        ({"day": "2026-03-12"}, 422, "too_far_ahead"),
        ({"day": "9999-12-31"}, 422, "too_far_ahead"),
        ({"queue": ["A"]}, 422, "invalid_input"),
        ({"item": "x" * 500}, 422, "invalid_input"),
        ({"item": "no-such-item"}, 404, "item_not_found"),
        ({"phone": "call me maybe"}, 422, "invalid_phone"),
    ],
)
def test_hostile_bookings_are_answered_with_a_code(queue, applicant, body, status, code):
    with clock.frozen(at(WORKDAY)):
        response = _book(_client(applicant.user), **body)

    _is_error(response, status, code)
    assert not Appointment.objects.exists()


def test_booking_while_suspended_tells_until_when(queue, applicant):
    from yichuang.hall.tests.factories_appointments import appointment

    for day in (dt.date(2026, 2, 24), dt.date(2026, 2, 26), dt.date(2026, 3, 2)):
        appointment(queue=queue, applicant=applicant, day=day, status=AppointmentStatus.NO_SHOW)

    with clock.frozen(at(WORKDAY)):
        body = _is_error(_book(_client(applicant.user)), 403, "booking_suspended")

    assert body["details"] == {"until": "2026-04-01"}


# -- mine, cancel, check in ----------------------------------------------------------------


def test_my_appointments_lists_only_mine(queue, applicant):
    with clock.frozen(at(WORKDAY)):
        mine = _book(_client(applicant.user)).json()["code"]
        _book(_client(person().user))
        response = _client(applicant.user).get(f"{API}/appointments")

    assert [a["code"] for a in response.json()] == [mine]


def test_cancel_by_code(queue, applicant):
    client = _client(applicant.user)
    with clock.frozen(at(WORKDAY)):
        code = _book(client).json()["code"]
        response = client.post(f"{API}/appointments/{code}/cancel")

    assert response.status_code == 200
    assert response.json()["status"] == "cancelled"
    assert AppointmentSlot.objects.get(day=NEXT_DAY, starts=dt.time(9)).booked == 0


def test_someone_elses_appointment_is_not_found(queue, applicant):
    with clock.frozen(at(WORKDAY)):
        code = _book(_client(applicant.user)).json()["code"]
        response = _client(person().user).post(f"{API}/appointments/{code}/cancel")

    _is_error(response, 404, "appointment_not_found")


def test_a_huge_code_is_not_found_or_refused(queue, applicant):
    response = _client(applicant.user).post(f"{API}/appointments/{'Y' * 5000}/cancel")

    assert response.status_code in (404, 422)
    assert response.json()["code"]


def test_check_in_by_the_applicant_gives_the_priority_ticket(queue, applicant):
    client = _client(applicant.user)
    with clock.frozen(at(WORKDAY)):
        code = _book(client).json()["code"]
    with clock.frozen(at(NEXT_DAY, 8, 45)):
        first = client.post(f"{API}/appointments/{code}/check-in")
        again = client.post(f"{API}/appointments/{code}/check-in")

    assert first.status_code == 200
    body = first.json()
    assert body["appointment"]["status"] == "checked_in"
    assert body["ticket"]["number"] == "A001"
    assert body["ticket"]["priority"] == Priority.APPOINTMENT
    assert again.json()["ticket"]["number"] == "A001"


def test_check_in_by_staff_of_the_centre_and_not_of_another(queue, applicant):
    with clock.frozen(at(WORKDAY)):
        code = _book(_client(applicant.user)).json()["code"]
    stranger = orgs_factories.staff(centre=orgs_factories.centre())
    officer = orgs_factories.staff(centre=queue.centre)

    with clock.frozen(at(NEXT_DAY, 9, 10)):
        refused = _client(stranger.user).post(f"{API}/appointments/{code}/check-in")
        done = _client(officer.user).post(f"{API}/appointments/{code}/check-in")

    _is_error(refused, 404, "appointment_not_found")
    assert done.status_code == 200


def test_check_in_too_early_is_409(queue, applicant):
    client = _client(applicant.user)
    with clock.frozen(at(WORKDAY)):
        code = _book(client).json()["code"]
        response = client.post(f"{API}/appointments/{code}/check-in")

    _is_error(response, 409, "check_in_not_open")


# -- pages ---------------------------------------------------------------------------------


def test_my_appointments_page_needs_a_login():
    response = _client().get("/my/appointments/")

    assert response.status_code == 302
    assert "/login" in response["Location"] or "login" in response["Location"]


def test_the_page_is_for_applicants(queue):
    officer = orgs_factories.staff(centre=queue.centre)

    assert _client(officer.user).get("/my/appointments/").status_code == 403


def test_booking_through_the_page_step_by_step(queue, applicant):
    client = _client(applicant.user)
    with clock.frozen(at(WORKDAY)):
        start = client.get("/my/appointments/")
        days = client.get("/my/appointments/", {"queue": "A"})
        slots = client.get("/my/appointments/", {"queue": "A", "day": "2026-03-05"})
        slot = AppointmentSlot.objects.get(queue=queue, day=NEXT_DAY, starts=dt.time(9))
        booked = client.post(
            "/my/appointments/book/",
            {"queue": "A", "day": "2026-03-05", "slot": slot.pk},
            follow=True,
        )

    assert "我的预约" in start.content.decode()
    assert 'href="/my/appointments/"' in start.content.decode()  # in the portal's nav
    assert 'data-day="2026-03-05"' in days.content.decode()
    assert 'data-day="2026-03-12"' not in days.content.decode()
    assert 'data-slot="09:00"' in slots.content.decode()
    page = booked.content.decode()
    assert "预约成功" in page
    code = Appointment.objects.get().code
    assert f'data-appointment="{code}"' in page
    assert "取消预约" in page


def test_a_page_booking_error_is_a_clear_message(queue, applicant):
    client = _client(applicant.user)
    with clock.frozen(at(WORKDAY)):
        client.get("/my/appointments/", {"queue": "A", "day": "2026-03-05"})
        slot = AppointmentSlot.objects.get(queue=queue, day=NEXT_DAY, starts=dt.time(9))
        client.post("/my/appointments/book/", {"queue": "A", "slot": slot.pk})
        again = client.post("/my/appointments/book/", {"queue": "A", "slot": slot.pk}, follow=True)
        hostile = client.post(
            "/my/appointments/book/", {"queue": "A", "slot": "9" * 40}, follow=True
        )

    assert "每人每天只能预约一次" in again.content.decode()
    assert "请选择一个预约时段" in hostile.content.decode()
    assert Appointment.objects.count() == 1


def test_cancel_through_the_page(queue, applicant):
    client = _client(applicant.user)
    with clock.frozen(at(WORKDAY)):
        code = _book(client).json()["code"]
        page = client.post(f"/my/appointments/{code}/cancel/", follow=True)

    assert "已取消" in page.content.decode()
    assert Appointment.objects.get().status == AppointmentStatus.CANCELLED


def test_the_staff_list_shows_the_centres_appointments_with_masked_numbers(queue, applicant):
    with clock.frozen(at(WORKDAY)):
        _book(_client(applicant.user))
    admin = orgs_factories.staff(centre=queue.centre, roles=(Role.CENTRE_ADMIN,))
    elsewhere = orgs_factories.staff(centre=orgs_factories.centre(), roles=(Role.CENTRE_ADMIN,))

    with clock.frozen(at(WORKDAY)):
        page = _client(admin.user).get("/hall/appointments/").content.decode()
        other = _client(elsewhere.user).get("/hall/appointments/").content.decode()

    assert applicant.name in page
    assert applicant.id_number not in page
    assert f"{applicant.id_number[:4]}" in page
    assert applicant.name not in other


def test_the_staff_list_is_not_for_reviewers(queue):
    reviewer = orgs_factories.staff(centre=queue.centre, roles=(Role.REVIEWER,))

    assert _client(reviewer.user).get("/hall/appointments/").status_code == 403


def test_staff_check_in_from_the_list(queue, applicant):
    with clock.frozen(at(WORKDAY)):
        code = _book(_client(applicant.user)).json()["code"]
    officer = orgs_factories.staff(centre=queue.centre)

    with clock.frozen(at(NEXT_DAY, 9, 0)):
        page = _client(officer.user).post(f"/hall/appointments/{code}/check-in/", follow=True)

    assert "优先号 A001" in page.content.decode()
    assert Appointment.objects.get().status == AppointmentStatus.CHECKED_IN
