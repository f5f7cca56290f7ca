"""The calendar tables, their services and the cached calendar (database)."""

from __future__ import annotations

import datetime as dt

import pytest

from yichuang.workdays import selectors
from yichuang.workdays.calendar import DayKind
from yichuang.workdays.errors import CalendarImportError, InvalidOverride
from yichuang.workdays.importing import HolidayRow
from yichuang.workdays.models import CalendarRevision, CalendarSource, CalendarYear, DayOverride
from yichuang.workdays.services import (
    calendar_national_sync,
    calendar_year_import,
    calendar_year_mark,
    calendar_years_unmark,
    day_override_set,
    day_overrides_delete,
)

pytestmark = pytest.mark.django_db
D = dt.date.fromisoformat

NOTICE_2027 = [  # a plausible 2027 notice (元旦 and 春节 only: enough for the tests)
    HolidayRow(2, "2027-01-01", "holiday", "元旦"),
    HolidayRow(3, "2027-01-02", "holiday", "元旦"),
    HolidayRow(4, "2027-01-03", "holiday", "元旦"),
    HolidayRow(5, "2027-02-06", "makeup_workday", "春节"),
    HolidayRow(6, "2027-02-07", "放假", "春节"),
    HolidayRow(7, "2027-02-08", "放假", "春节"),
]


def test_every_install_has_the_national_calendar_from_the_migration():
    years = list(CalendarYear.objects.values_list("year", flat=True))

    assert years == list(range(2004, 2027))
    assert DayOverride.objects.get(date=D("2026-10-10")).name == "国庆节"
    assert DayOverride.objects.filter(date__year=2026, kind="makeup_workday").count() == 6
    assert set(DayOverride.objects.values_list("source", flat=True)) == {"chinesecalendar"}


def test_the_seeded_calendar_answers_the_2026_notice():
    assert selectors.workday_deadline(start=D("2026-09-30"), workdays=3) == (
        D("2026-10-10"),
        False,
    )


def test_a_typed_in_year_makes_2027_deadlines_final():
    assert selectors.workday_deadline(start=D("2026-12-24"), workdays=6).provisional is True

    calendar_year_import(year=2027, rows=NOTICE_2027, note="国办发明电〔2026〕X号")

    assert selectors.workday_deadline(start=D("2026-12-24"), workdays=6) == (
        D("2027-01-04"),
        False,
    )
    assert selectors.day_info_get(day=D("2027-02-06")).kind == DayKind.MAKEUP_WORKDAY


def test_a_bad_import_reports_every_row_and_writes_nothing():
    rows = [
        HolidayRow(2, "2027-01-01", "holiday", "元旦"),
        HolidayRow(3, "2027-02-30", "holiday", "春节"),
        HolidayRow(4, "2027-02-09", "休假吧", "春节"),
        HolidayRow(5, "2027-02-10", "makeup_workday", "春节"),  # a Wednesday
        HolidayRow(6, "2027-01-01", "holiday", "元旦"),
        HolidayRow(7, "2028-01-01", "holiday", "元旦"),
        HolidayRow(8, "2027-05-01", "holiday", ""),
    ]

    with pytest.raises(CalendarImportError) as caught:
        calendar_year_import(year=2027, rows=rows)

    assert [(p["row"], p["column"]) for p in caught.value.problems] == [
        (3, "date"),
        (4, "kind"),
        (5, "kind"),
        (6, "date"),
        (7, "date"),
        (8, "name"),
    ]
    assert not DayOverride.objects.filter(date__year=2027).exists()
    assert not CalendarYear.objects.filter(year=2027).exists()


def test_reimporting_a_year_replaces_national_rows_and_keeps_local_days():
    day_override_set(
        day=D("2027-03-05"), kind="holiday", name="地方纪念日", source=CalendarSource.LOCAL
    )
    calendar_year_import(year=2027, rows=NOTICE_2027)

    result = calendar_year_import(year=2027, rows=NOTICE_2027[:3])

    assert result.replaced == 6
    assert sorted(DayOverride.objects.filter(date__year=2027).values_list("name", flat=True)) == [
        "元旦",
        "元旦",
        "元旦",
        "地方纪念日",
    ]


def test_an_import_row_on_a_local_day_is_refused():
    day_override_set(
        day=D("2027-01-01"), kind="holiday", name="地方纪念日", source=CalendarSource.LOCAL
    )

    with pytest.raises(CalendarImportError) as caught:
        calendar_year_import(year=2027, rows=NOTICE_2027)

    assert [p["row"] for p in caught.value.problems] == [2]
    assert not CalendarYear.objects.filter(year=2027).exists()


def test_a_make_up_day_on_a_weekday_is_refused():
    with pytest.raises(InvalidOverride) as caught:
        day_override_set(day=D("2027-03-03"), kind="makeup_workday", name="调休")

    assert caught.value.code == "invalid_override"


def test_an_edit_is_seen_by_the_next_call():
    before = selectors.workday_deadline(start=D("2026-03-02"), workdays=1)

    day_override_set(day=D("2026-03-03"), kind="holiday", name="地方节日", source="local")

    assert before.deadline == D("2026-03-03")
    assert selectors.workday_deadline(start=D("2026-03-02"), workdays=1).deadline == D("2026-03-04")


def test_a_deleted_override_is_seen_by_the_next_call():
    selectors.calendar_get()

    day_overrides_delete(days=[D("2026-10-01")])

    assert selectors.day_info_get(day=D("2026-10-01")).kind == DayKind.WORKDAY


def test_unmarking_a_year_turns_its_results_provisional():
    calendar_years_unmark(years=[2026])

    assert selectors.day_info_get(day=D("2026-10-01")).provisional is True


def test_the_cached_calendar_costs_one_query_and_is_reused(django_assert_num_queries):
    first = selectors.calendar_get()

    with django_assert_num_queries(1):
        second = selectors.calendar_get()

    assert second is first


def test_an_edit_made_by_another_server_is_seen_through_the_revision_row():
    # Another app server changed the table and the token; this process only sees the DB.
    selectors.calendar_get()
    DayOverride.objects.create(date=D("2026-03-03"), kind="holiday", name="地方节日")
    CalendarRevision.objects.update(token="changed-elsewhere")

    assert selectors.calendar_get().is_workday(D("2026-03-03")) is False


def test_the_start_day_setting_is_honoured(settings):
    settings.YICHUANG = {**settings.YICHUANG, "COUNT_START_DAY": True}

    assert selectors.workday_deadline(start=D("2026-09-30"), workdays=1).deadline == D("2026-09-30")
    assert selectors.workdays_elapsed(start=D("2026-09-30"), end=D("2026-10-08")).workdays == 2


def test_marking_a_year_without_rows_makes_it_known():
    calendar_year_mark(year=2027, note="暂无调整")

    assert selectors.day_info_get(day=D("2027-03-01")).provisional is False


def test_national_sync_restores_years_the_package_knows():
    calendar_years_unmark(years=[2025, 2026])
    DayOverride.objects.filter(date__year=2026).delete()

    added = calendar_national_sync()

    assert added == [2025, 2026]
    assert DayOverride.objects.filter(date__year=2026).count() == 39
    assert calendar_national_sync() == []
