"""The public calendar API: /api/v1/calendar/deadline and /api/v1/calendar/days/{date}."""

from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

pytestmark = pytest.mark.django_db
DEADLINE = "/api/v1/calendar/deadline"


@pytest.mark.parametrize(
    ("query", "body"),
    [
        (
            "start=2026-09-30&workdays=3",
            {"start": "2026-09-30", "workdays": 3, "deadline": "2026-10-10", "provisional": False},
        ),
        (
            "start=2026-10-03&workdays=0",
            {"start": "2026-10-03", "workdays": 0, "deadline": "2026-10-08", "provisional": False},
        ),
        (
            "start=2026-12-20&workdays=20",
            {"start": "2026-12-20", "workdays": 20, "deadline": "2027-01-15", "provisional": True},
        ),
        (
            "start=0001-01-01&workdays=3650",
            # 730 full weeks of Monday–Friday: the deadline is a Monday again
            {
                "start": "0001-01-01",
                "workdays": 3650,
                "deadline": "0014-12-29",
                "provisional": True,
            },
        ),
    ],
)
def test_deadline(client, query, body):
    response = client.get(f"/api/v1/calendar/deadline?{query}")

    assert (response.status_code, response.json()) == (200, body)


@pytest.mark.parametrize(
    ("day", "body"),
    [
        (
            "2026-10-01",
            {"workday": False, "kind": "holiday", "name": "国庆节", "provisional": False},
        ),
        (
            "2026-10-10",
            {"workday": True, "kind": "makeup_workday", "name": "国庆节", "provisional": False},
        ),
        ("2026-10-11", {"workday": False, "kind": "weekend", "name": None, "provisional": False}),
        ("2026-10-12", {"workday": True, "kind": "workday", "name": None, "provisional": False}),
        ("2027-01-01", {"workday": True, "kind": "workday", "name": None, "provisional": True}),
    ],
)
def test_day(client, day, body):
    response = client.get(f"/api/v1/calendar/days/{day}")

    assert (response.status_code, response.json()) == (200, {"date": day, **body})


@pytest.mark.parametrize(
    ("url", "code"),
    [
        ("/api/v1/calendar/deadline?start=2026-02-30&workdays=1", "invalid_input"),
        ("/api/v1/calendar/deadline?start=abc&workdays=1", "invalid_input"),
        ("/api/v1/calendar/deadline?start=1767196800&workdays=1", "invalid_input"),
        ("/api/v1/calendar/deadline?start=2026-01-01T00:00:00&workdays=1", "invalid_input"),
        ("/api/v1/calendar/deadline?start=2026-01-01&workdays=-1", "invalid_input"),
        ("/api/v1/calendar/deadline?start=2026-01-01&workdays=3651", "invalid_input"),
        ("/api/v1/calendar/deadline?start=2026-01-01&workdays=abc", "invalid_input"),
        ("/api/v1/calendar/deadline?start=2026-01-01", "invalid_input"),
        ("/api/v1/calendar/deadline?start=9999-12-31&workdays=3650", "date_out_of_range"),
        ("/api/v1/calendar/deadline?start=9999-12-31&workdays=1", "date_out_of_range"),
        ("/api/v1/calendar/days/2026-02-30", "invalid_input"),
        ("/api/v1/calendar/days/abc", "invalid_input"),
        ("/api/v1/calendar/days/10000-01-01", "invalid_input"),
    ],
)
def test_bad_input_is_a_422_with_a_chinese_message(client, url, code):
    response = client.get(url)

    assert response.status_code == 422
    assert response.json()["code"] == code
    assert any("\u4e00" <= ch <= "\u9fff" for ch in response.json()["message"])


def test_the_api_needs_no_login(client):
    client.logout()

    assert client.get("/api/v1/calendar/days/2026-10-01").status_code == 200


@given(start=st.dates(), workdays=st.integers(min_value=-10, max_value=4000))
@settings(max_examples=100, suppress_health_check=[HealthCheck.function_scoped_fixture])
def test_no_input_gives_a_server_error(client, start, workdays):
    response = client.get(DEADLINE, {"start": start.isoformat(), "workdays": workdays})

    assert response.status_code in {200, 422}


@given(
    start=st.dates(max_value=dt.date(9989, 12, 31)),
    workdays=st.integers(min_value=0, max_value=3650),
)
@settings(max_examples=100, suppress_health_check=[HealthCheck.function_scoped_fixture])
def test_every_valid_question_is_answered(client, start, workdays):
    response = client.get(DEADLINE, {"start": start.isoformat(), "workdays": workdays})

    assert response.status_code == 200
    assert response.json()["deadline"] >= start.isoformat()
