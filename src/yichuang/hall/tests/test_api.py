"""The hall API's fixed shapes (kiosks, screens and other systems rely on them) and its
answers to bad input."""

from __future__ import annotations

import pytest

from yichuang.common import clock
from yichuang.hall.services import calling
from yichuang.hall.tests import factories as f
from yichuang.identity.tokens import token_issue
from yichuang.orgs.models import WindowKind
from yichuang.orgs.tests import factories as orgs_factories

pytestmark = pytest.mark.django_db

URL = "/api/v1/hall"
PASSWORD = "correct-horse-battery"


@pytest.fixture
def hall():
    with clock.frozen(f.at()):
        centre = orgs_factories.centre(code="hall")
        window = f.window(centre=centre, kind=WindowKind.SPECIALIST, number=2)
        f.queue(centre=centre, code="A", name="综合受理", windows=[window])
        f.queue(centre=centre, code="B", name="不动产", sort_order=1)
        officer = orgs_factories.staff(centre=centre, password=PASSWORD)
        yield centre, window, officer


def _take(client, queue="A", **extra):
    return client.post(
        f"{URL}/tickets",
        {"queue": queue, "centre": "hall", **extra},
        content_type="application/json",
    )


def test_queues_list_code_name_and_waiting(client, hall):
    _take(client)
    _take(client)

    response = client.get(f"{URL}/queues?centre=hall")

    assert response.status_code == 200
    assert response.json() == [
        {"code": "A", "name": "综合受理", "waiting": 2, "description": ""},
        {"code": "B", "name": "不动产", "waiting": 0, "description": ""},
    ]


def test_taking_a_number_answers_201_with_number_ahead_and_estimate(client, hall):
    _take(client)

    response = _take(client, priority="")
    body = response.json()

    assert response.status_code == 201
    assert {k: body[k] for k in ("number", "queue", "ahead", "estimated_wait_minutes")} == {
        "number": "A002",
        "queue": "A",
        "ahead": 1,
        "estimated_wait_minutes": 10,
    }
    assert body["url"] == f"/hall/tickets/{body['token']}/"


def test_the_ticket_is_followed_by_its_token(client, hall):
    token = _take(client).json()["token"]

    assert client.get(f"{URL}/tickets/{token}").json()["number"] == "A001"
    assert client.get(f"{URL}/tickets/{'0' * 32}").json()["code"] == "ticket_not_found"


@pytest.mark.parametrize(
    ("payload", "status", "code"),
    [
        ({"queue": "Z", "centre": "hall"}, 404, "queue_not_found"),
        ({"queue": "A", "centre": "nowhere"}, 404, "centre_not_found"),
        ({"queue": "AB", "centre": "hall"}, 422, "invalid_input"),
        ({"centre": "hall"}, 422, "invalid_input"),
        ({"queue": 7, "centre": "hall"}, 422, "invalid_input"),
        ({"queue": "A", "centre": "hall", "priority": "vip"}, 422, "invalid_priority"),
        ({"queue": "A", "centre": "hall", "priority": "elderly"}, 422, "age_unverified"),
        ({"queue": "A", "centre": "hall", "id_number": "x" * 30}, 422, "wrong_length"),
    ],
)
def test_bad_requests_get_a_code_and_a_chinese_message(client, hall, payload, status, code):
    response = client.post(f"{URL}/tickets", payload, content_type="application/json")

    assert (response.status_code, response.json()["code"]) == (status, code)
    assert any("\u4e00" <= ch <= "\u9fff" for ch in response.json()["message"])


def test_a_centre_code_with_a_nul_byte_is_invalid_input_not_a_server_error(client, hall):
    response = client.get(f"{URL}/queues", {"centre": "ha\x00ll"})

    assert (response.status_code, response.json()["code"]) == (422, "invalid_input")


def test_anonymous_takers_are_rate_limited_but_staff_with_a_token_are_not(client, hall, settings):
    settings.YICHUANG = {**settings.YICHUANG, "HALL_ANONYMOUS_TICKETS_PER_HOUR": 2}
    _, _, officer = hall
    token = token_issue(username=officer.user.username, password=PASSWORD).token
    staff = {"HTTP_AUTHORIZATION": f"Bearer {token}"}

    answers = [_take(client).status_code for _ in range(3)]
    by_staff = [
        client.post(
            f"{URL}/tickets",
            {"queue": "A", "centre": "hall"},
            content_type="application/json",
            **staff,
        ).status_code
        for _ in range(3)
    ]
    bad_token = client.post(
        f"{URL}/tickets",
        {"queue": "A", "centre": "hall"},
        content_type="application/json",
        HTTP_AUTHORIZATION="Bearer nonsense",
    )

    assert answers == [201, 201, 429]
    assert by_staff == [201, 201, 201]
    assert bad_token.status_code == 401


def test_call_next_answers_the_called_ticket_or_404_when_nobody_waits(client, hall):
    _, window, officer = hall
    _take(client)
    client.force_login(officer.user)
    assert client.post(f"{URL}/windows/{window.pk}/sign-in").status_code == 200

    called = client.post(f"{URL}/windows/{window.pk}/call-next")
    empty = client.post(f"{URL}/windows/{window.pk}/call-next")

    assert called.status_code == 200
    assert {k: called.json()[k] for k in ("number", "queue", "window_number", "text")} == {
        "number": "A001",
        "queue": "A",
        "window_number": 2,
        "text": "请A001号到2号窗口办理",
    }
    assert (empty.status_code, empty.json()["code"]) == (404, "nobody_waiting")


def test_call_next_needs_the_officer_signed_in_to_that_window(client, hall):
    _centre, window, officer = hall
    other_centre_window = f.window(centre=orgs_factories.centre())

    anonymous = client.post(f"{URL}/windows/{window.pk}/call-next")
    client.force_login(officer.user)
    not_signed_in = client.post(f"{URL}/windows/{window.pk}/call-next")
    elsewhere = client.post(f"{URL}/windows/{other_centre_window.pk}/call-next")
    huge = client.post(f"{URL}/windows/{2**63}/call-next")

    assert anonymous.status_code == 401
    assert (not_signed_in.status_code, not_signed_in.json()["code"]) == (409, "not_signed_in")
    assert (elsewhere.status_code, elsewhere.json()["code"]) == (404, "window_not_found")
    assert huge.status_code == 422


def test_the_screen_shows_current_calls_last_calls_and_waiting(client, hall):
    _, window, officer = hall
    for _ in range(3):
        _take(client)
    calling.window_sign_in(user=officer.user, window=window)
    calling.ticket_call_next(user=officer.user, window=window)
    calling.ticket_call_next(user=officer.user, window=window)

    body = client.get(f"{URL}/screen?centre=hall").json()

    assert body["windows"] == [
        {
            "window_number": 2,
            "window_name": window.name,
            "paused": False,
            "number": "A002",
            "queue": "A",
        }
    ]
    assert [(c["number"], c["text"]) for c in body["last_calls"]] == [
        ("A002", "请A002号到2号窗口办理"),
        ("A001", "请A001号到2号窗口办理"),
    ]
    assert body["waiting"][0] == {"code": "A", "name": "综合受理", "waiting": 1, "description": ""}


def test_the_screen_reads_in_a_fixed_number_of_queries(client, hall, django_assert_max_num_queries):
    _, window, officer = hall
    for _ in range(10):
        _take(client)
    calling.window_sign_in(user=officer.user, window=window)
    for _ in range(6):
        calling.ticket_call_next(user=officer.user, window=window)

    with django_assert_max_num_queries(5):
        client.get(f"{URL}/screen?centre=hall")
