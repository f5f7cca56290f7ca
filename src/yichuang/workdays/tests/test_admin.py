"""The calendar in the Django admin: lists, a single day, and a whole year typed in."""

from __future__ import annotations

import datetime as dt

import pytest

from yichuang.workdays import selectors
from yichuang.workdays.models import CalendarYear, DayOverride

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    "url",
    [
        "/admin/workdays/dayoverride/",
        "/admin/workdays/dayoverride/?date__year=2026",
        "/admin/workdays/calendaryear/",
        "/admin/workdays/calendaryear/import/",
        "/admin/workdays/dayoverride/add/",
    ],
)
def test_pages_open(admin_client, url):
    assert admin_client.get(url).status_code == 200


def test_the_year_list_counts_days_without_a_query_per_row(
    admin_client, django_assert_max_num_queries
):
    with django_assert_max_num_queries(12):
        response = admin_client.get("/admin/workdays/calendaryear/")

    assert "已录入年度" in response.content.decode()


def test_a_day_added_in_the_admin_changes_deadlines(admin_client):
    response = admin_client.post(
        "/admin/workdays/dayoverride/add/",
        {"date": "2026-03-03", "kind": "holiday", "name": "地方节日", "source": "local"},
    )

    assert response.status_code == 302
    assert selectors.calendar_get().is_workday(dt.date(2026, 3, 3)) is False


def test_the_admin_refuses_a_make_up_day_on_a_weekday(admin_client):
    response = admin_client.post(
        "/admin/workdays/dayoverride/add/",
        {"date": "2026-03-04", "kind": "makeup_workday", "name": "调休", "source": "admin"},
    )

    assert response.status_code == 200
    assert "调休上班日应为周六或周日" in response.content.decode()
    assert not DayOverride.objects.filter(date=dt.date(2026, 3, 4)).exists()


def test_a_year_typed_into_the_admin_is_imported(admin_client):
    response = admin_client.post(
        "/admin/workdays/calendaryear/import/",
        {
            "year": "2027",
            "source": "state_council_notice",
            "note": "",
            "text": "2027-01-01,放假,元旦\n2027-02-06,调休上班,春节\n",
        },
    )

    assert response.status_code == 302
    assert CalendarYear.objects.filter(year=2027).exists()
    assert selectors.day_info_get(day=dt.date(2027, 1, 1)).provisional is False


def test_a_bad_year_typed_into_the_admin_shows_the_rows(admin_client):
    response = admin_client.post(
        "/admin/workdays/calendaryear/import/",
        {"year": "2027", "source": "state_council_notice", "text": "2027-02-30,放假,春节\n"},
    )

    assert response.status_code == 200
    assert "第 1 行" in response.content.decode()
    assert not CalendarYear.objects.filter(year=2027).exists()
