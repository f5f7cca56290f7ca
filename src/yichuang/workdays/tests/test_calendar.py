"""The pure working-day arithmetic, table-driven over the 2026 notice (RULES.md §1)."""

from __future__ import annotations

import datetime as dt

import pytest

from yichuang.workdays.calendar import DayKind, Override, WorkCalendar
from yichuang.workdays.errors import CalendarOverflow
from yichuang.workdays.national import national_calendar

D = dt.date.fromisoformat
ANTI_FASCIST_70TH = "中国人民抗日战争暨世界反法西斯战争胜利70周年纪念日"


@pytest.fixture(scope="module")
def calendar() -> WorkCalendar:
    overrides, known_years = national_calendar()
    return WorkCalendar(overrides=overrides, known_years=known_years)


@pytest.mark.parametrize(
    ("day", "kind", "name", "provisional"),
    [
        # 元旦 1/1–1/3, work Sunday 1/4
        ("2026-01-01", DayKind.HOLIDAY, "元旦", False),
        ("2026-01-03", DayKind.HOLIDAY, "元旦", False),
        ("2026-01-04", DayKind.MAKEUP_WORKDAY, "元旦", False),
        ("2026-01-05", DayKind.WORKDAY, None, False),
        # 春节 2/15–2/23, work Saturdays 2/14 and 2/28
        ("2026-02-14", DayKind.MAKEUP_WORKDAY, "春节", False),
        ("2026-02-15", DayKind.HOLIDAY, "春节", False),
        ("2026-02-23", DayKind.HOLIDAY, "春节", False),
        ("2026-02-24", DayKind.WORKDAY, None, False),
        ("2026-02-28", DayKind.MAKEUP_WORKDAY, "春节", False),
        ("2026-03-01", DayKind.WEEKEND, None, False),
        # 清明 4/4–4/6
        ("2026-04-04", DayKind.HOLIDAY, "清明节", False),
        ("2026-04-06", DayKind.HOLIDAY, "清明节", False),
        ("2026-04-07", DayKind.WORKDAY, None, False),
        # 劳动节 5/1–5/5, work Saturday 5/9
        ("2026-05-01", DayKind.HOLIDAY, "劳动节", False),
        ("2026-05-05", DayKind.HOLIDAY, "劳动节", False),
        ("2026-05-09", DayKind.MAKEUP_WORKDAY, "劳动节", False),
        ("2026-05-10", DayKind.WEEKEND, None, False),
        # 端午 6/19–6/21
        ("2026-06-19", DayKind.HOLIDAY, "端午节", False),
        ("2026-06-22", DayKind.WORKDAY, None, False),
        # 中秋 9/25–9/27; 国庆 10/1–10/7, work Sunday 9/20 and Saturday 10/10
        ("2026-09-20", DayKind.MAKEUP_WORKDAY, "国庆节", False),
        ("2026-09-25", DayKind.HOLIDAY, "中秋节", False),
        ("2026-09-27", DayKind.HOLIDAY, "中秋节", False),
        ("2026-10-01", DayKind.HOLIDAY, "国庆节", False),
        ("2026-10-07", DayKind.HOLIDAY, "国庆节", False),
        ("2026-10-08", DayKind.WORKDAY, None, False),
        ("2026-10-10", DayKind.MAKEUP_WORKDAY, "国庆节", False),
        ("2026-10-11", DayKind.WEEKEND, None, False),
        # other years: special holiday of 2015, years without data (Monday–Friday)
        ("2015-09-03", DayKind.HOLIDAY, ANTI_FASCIST_70TH, False),
        ("2027-01-01", DayKind.WORKDAY, None, True),
        ("2027-01-02", DayKind.WEEKEND, None, True),
        ("2003-10-01", DayKind.WORKDAY, None, True),
        ("0001-01-01", DayKind.WORKDAY, None, True),
        ("9999-12-31", DayKind.WORKDAY, None, True),
    ],
)
def test_day_info(calendar, day, kind, name, provisional):
    info = calendar.day_info(D(day))

    assert (info.kind, info.name, info.provisional) == (kind, name, provisional)
    assert info.workday == calendar.is_workday(D(day))


@pytest.mark.parametrize(
    ("start", "workdays", "deadline", "provisional"),
    [
        # the start day is not counted; counting starts the next day
        ("2025-12-31", 1, "2026-01-04", False),  # 元旦 off, Sunday 1/4 worked
        ("2025-12-31", 2, "2026-01-05", False),
        ("2026-02-13", 1, "2026-02-14", False),  # make-up Saturday counts
        ("2026-02-14", 1, "2026-02-24", False),  # 春节 2/15–2/23 skipped
        ("2026-02-27", 1, "2026-02-28", False),
        ("2026-02-27", 2, "2026-03-02", False),
        ("2026-04-03", 1, "2026-04-07", False),  # 清明
        ("2026-04-30", 1, "2026-05-06", False),  # 劳动节
        ("2026-04-30", 4, "2026-05-09", False),
        ("2026-04-30", 5, "2026-05-11", False),
        ("2026-06-18", 1, "2026-06-22", False),  # 端午
        ("2026-09-18", 1, "2026-09-20", False),  # Sunday 9/20 worked
        ("2026-09-24", 1, "2026-09-28", False),  # 中秋
        ("2026-09-30", 1, "2026-10-08", False),  # 国庆
        ("2026-09-30", 3, "2026-10-10", False),
        ("2026-09-30", 4, "2026-10-12", False),
        ("2026-10-01", 1, "2026-10-08", False),  # accepted on a holiday
        ("2026-09-28", 20, "2026-10-30", False),  # 行政许可法 §42: 20 working days
        # 即办件: the start day if it is a working day, else the next one
        ("2026-10-03", 0, "2026-10-08", False),
        ("2026-10-10", 0, "2026-10-10", False),
        ("2026-10-12", 0, "2026-10-12", False),
        # the 2026 → 2027 boundary: 2027 has no data yet
        ("2026-12-24", 5, "2026-12-31", False),
        ("2026-12-24", 6, "2027-01-01", True),
        ("2026-12-20", 20, "2027-01-15", True),
        ("2027-03-01", 0, "2027-03-01", True),
        # before 2004: no data; the unknown start day itself is not relied on
        ("2003-12-30", 1, "2003-12-31", True),
        ("2003-12-31", 1, "2004-01-02", False),
    ],
)
def test_add_workdays(calendar, start, workdays, deadline, provisional):
    assert calendar.add_workdays(D(start), workdays) == (D(deadline), provisional)


@pytest.mark.parametrize(
    ("start", "workdays", "deadline"),
    [
        ("2026-09-30", 1, "2026-09-30"),  # a working start day is day one
        ("2026-09-30", 3, "2026-10-09"),
        ("2026-10-01", 1, "2026-10-08"),  # a holiday start day is not
        ("2026-02-14", 1, "2026-02-14"),  # nor is a worked Saturday skipped
        ("2026-10-03", 0, "2026-10-08"),
    ],
)
def test_add_workdays_counting_the_start_day(calendar, start, workdays, deadline):
    result = calendar.add_workdays(D(start), workdays, count_start_day=True)

    assert result == (D(deadline), False)


@pytest.mark.parametrize(
    ("start", "end", "count_start_day", "workdays", "provisional"),
    [
        ("2026-09-30", "2026-10-10", False, 3, False),
        ("2026-09-30", "2026-10-07", False, 0, False),
        ("2026-09-30", "2026-10-10", True, 4, False),
        ("2025-12-31", "2026-12-31", False, 248, False),  # 261 weekdays − 19 holidays + 6
        ("2026-12-31", "2027-01-04", False, 2, True),
        ("2026-10-10", "2026-10-10", False, 0, False),
        ("2026-10-10", "2026-10-10", True, 1, False),
        ("2026-10-12", "2026-10-01", False, 0, False),  # end before start: nothing elapsed
    ],
)
def test_count_workdays(calendar, start, end, count_start_day, workdays, provisional):
    result = calendar.count_workdays(D(start), D(end), count_start_day=count_start_day)

    assert result == (workdays, provisional)


@pytest.mark.parametrize(
    ("start", "days", "deadline", "provisional"),
    [
        ("2026-09-24", 7, "2026-10-08", False),  # 10/1 a holiday → next working day (§203)
        ("2026-09-13", 7, "2026-09-20", False),  # ends on the worked Sunday: stays
        ("2026-03-02", 5, "2026-03-09", False),  # Saturday 3/7 → Monday
        ("2026-03-02", 3, "2026-03-05", False),
        ("2026-12-25", 7, "2027-01-01", True),
    ],
)
def test_add_natural_days(calendar, start, days, deadline, provisional):
    assert calendar.add_natural_days(D(start), days) == (D(deadline), provisional)


def test_natural_days_counting_the_start_day_end_one_day_earlier(calendar):
    result = calendar.add_natural_days(D("2026-03-02"), 3, count_start_day=True)

    assert result == (D("2026-03-04"), False)


@pytest.mark.parametrize(
    ("day", "include_self", "expected"),
    [
        ("2026-10-03", True, "2026-10-08"),  # an online submission on a holiday
        ("2026-10-08", True, "2026-10-08"),
        ("2026-10-08", False, "2026-10-09"),
        ("2026-10-09", False, "2026-10-10"),
    ],
)
def test_next_workday(calendar, day, include_self, expected):
    assert calendar.next_workday(D(day), include_self=include_self).deadline == D(expected)


def test_a_year_typed_in_makes_2027_results_final():
    overrides, known_years = national_calendar()
    overrides = {
        **overrides,
        D("2027-01-01"): Override(DayKind.HOLIDAY, "元旦"),
        D("2027-01-02"): Override(DayKind.HOLIDAY, "元旦"),
        D("2027-01-03"): Override(DayKind.HOLIDAY, "元旦"),
    }
    calendar = WorkCalendar(overrides=overrides, known_years=[*known_years, 2027])

    assert calendar.add_workdays(D("2026-12-24"), 6) == (D("2027-01-04"), False)
    assert calendar.day_info(D("2027-01-01")).provisional is False


def test_a_local_holiday_in_an_unknown_year_applies_but_stays_provisional():
    calendar = WorkCalendar(
        overrides={D("2030-07-01"): Override(DayKind.HOLIDAY, "地方节日")}, known_years=[]
    )

    assert calendar.add_workdays(D("2030-06-28"), 1) == (D("2030-07-02"), True)


@pytest.mark.parametrize(
    ("start", "workdays", "count_start_day"),
    [("9999-12-31", 1, False), ("9999-12-31", 3650, False), ("9999-12-27", 6, True)],
)
def test_past_the_last_representable_date_is_a_domain_error(
    calendar, start, workdays, count_start_day
):
    with pytest.raises(CalendarOverflow) as caught:
        calendar.add_workdays(D(start), workdays, count_start_day=count_start_day)

    assert caught.value.code == "date_out_of_range"


@pytest.mark.parametrize(
    ("start", "workdays", "deadline"),
    [
        ("0001-01-01", 0, "0001-01-01"),  # a Monday
        ("0001-01-01", 1, "0001-01-02"),
        ("9999-12-31", 0, "9999-12-31"),  # a Friday
        ("9999-12-24", 5, "9999-12-31"),
    ],
)
def test_the_ends_of_the_date_range_still_answer(calendar, start, workdays, deadline):
    assert calendar.add_workdays(D(start), workdays).deadline == D(deadline)


def test_count_over_the_whole_date_range_does_not_overflow(calendar):
    count = calendar.count_workdays(dt.date.min, dt.date.max)

    assert count.provisional is True
    assert count.workdays > 2_600_000


def test_a_make_up_day_on_a_weekday_is_just_a_working_day():
    # The import refuses it; the pure calendar tolerates it as a plain working day.
    calendar = WorkCalendar(
        overrides={D("2026-03-04"): Override(DayKind.MAKEUP_WORKDAY, "误录")}, known_years=[2026]
    )

    assert calendar.add_workdays(D("2026-03-03"), 2) == (D("2026-03-05"), False)
