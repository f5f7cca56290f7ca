"""Properties of the indexed calendar, checked against the day-by-day reference."""

from __future__ import annotations

import datetime as dt

from hypothesis import given, settings
from hypothesis import strategies as st

from yichuang.workdays.calendar import DayKind, Override, WorkCalendar
from yichuang.workdays.errors import CalendarOverflow
from yichuang.workdays.national import national_calendar
from yichuang.workdays.tests.reference import NaiveCalendar

OVERRIDES, KNOWN_YEARS = national_calendar()
NATIONAL = WorkCalendar(overrides=OVERRIDES, known_years=KNOWN_YEARS)
NATIONAL_NAIVE = NaiveCalendar(overrides=OVERRIDES, known_years=KNOWN_YEARS)

# 2000–2030 covers years before the data, every known year and the 2026 → 2027 boundary.
around_the_data = st.dates(min_value=dt.date(2000, 1, 1), max_value=dt.date(2030, 12, 31))
late_2026 = st.dates(min_value=dt.date(2026, 11, 1), max_value=dt.date(2027, 1, 31))
starts = st.one_of(around_the_data, late_2026)
spans = st.integers(min_value=0, max_value=400)


@st.composite
def random_calendars(draw):
    """Arbitrary override sets and known years, so the index is tested beyond real data."""
    days = draw(
        st.dictionaries(
            st.dates(min_value=dt.date(2019, 1, 1), max_value=dt.date(2021, 12, 31)),
            st.sampled_from([DayKind.HOLIDAY, DayKind.MAKEUP_WORKDAY]),
            max_size=80,
        )
    )
    overrides = {day: Override(kind, "x") for day, kind in days.items()}
    years = draw(st.sets(st.integers(min_value=2017, max_value=2023)))
    return (
        WorkCalendar(overrides=overrides, known_years=years),
        NaiveCalendar(overrides=overrides, known_years=years),
    )


@given(start=starts, workdays=spans, count_start_day=st.booleans())
def test_add_agrees_with_the_day_by_day_loop(start, workdays, count_start_day):
    indexed = NATIONAL.add_workdays(start, workdays, count_start_day=count_start_day)
    naive = NATIONAL_NAIVE.add_workdays(start, workdays, count_start_day=count_start_day)

    assert indexed == naive


@given(start=starts, end=starts, count_start_day=st.booleans())
def test_count_agrees_with_the_day_by_day_loop(start, end, count_start_day):
    indexed = NATIONAL.count_workdays(start, end, count_start_day=count_start_day)
    naive = NATIONAL_NAIVE.count_workdays(start, end, count_start_day=count_start_day)

    assert indexed == naive


@given(start=starts, workdays=spans, count_start_day=st.booleans())
def test_a_deadline_is_always_a_working_day(start, workdays, count_start_day):
    deadline, _provisional = NATIONAL.add_workdays(start, workdays, count_start_day=count_start_day)

    assert NATIONAL.is_workday(deadline)
    assert deadline >= start


@given(start=starts, workdays=st.integers(min_value=1, max_value=3650), count=st.booleans())
def test_counting_up_to_the_deadline_gives_back_the_limit(start, workdays, count):
    deadline, provisional = NATIONAL.add_workdays(start, workdays, count_start_day=count)

    assert NATIONAL.count_workdays(start, deadline, count_start_day=count) == (
        workdays,
        provisional,
    )


@given(start=starts, end=starts, count_start_day=st.booleans())
def test_adding_the_count_never_passes_the_end(start, end, count_start_day):
    elapsed, _provisional = NATIONAL.count_workdays(start, end, count_start_day=count_start_day)
    if elapsed == 0:  # nothing elapsed: no deadline to compare
        return

    deadline, _ = NATIONAL.add_workdays(start, elapsed, count_start_day=count_start_day)

    assert start <= deadline <= end
    assert NATIONAL.count_workdays(start, deadline, count_start_day=count_start_day)[0] == elapsed


@given(
    pair=random_calendars(),
    start=st.dates(min_value=dt.date(2018, 6, 1), max_value=dt.date(2022, 6, 30)),
    workdays=st.integers(min_value=0, max_value=300),
    end=st.dates(min_value=dt.date(2018, 6, 1), max_value=dt.date(2022, 6, 30)),
    count_start_day=st.booleans(),
)
@settings(max_examples=300)
def test_any_override_table_agrees_with_the_loop(pair, start, workdays, end, count_start_day):
    indexed, naive = pair

    assert indexed.add_workdays(start, workdays, count_start_day=count_start_day) == (
        naive.add_workdays(start, workdays, count_start_day=count_start_day)
    )
    assert indexed.count_workdays(start, end, count_start_day=count_start_day) == (
        naive.count_workdays(start, end, count_start_day=count_start_day)
    )


@given(
    start=st.dates(),
    workdays=st.integers(min_value=0, max_value=3650),
    count_start_day=st.booleans(),
)
def test_any_valid_date_answers_or_overflows_cleanly(start, workdays, count_start_day):
    try:
        deadline, _ = NATIONAL.add_workdays(start, workdays, count_start_day=count_start_day)
    except CalendarOverflow:
        assert start > dt.date(9989, 1, 1)
        return

    assert NATIONAL.is_workday(deadline)
    if workdays:
        assert NATIONAL.count_workdays(start, deadline, count_start_day=count_start_day)[0] == (
            workdays
        )


@given(day=st.dates())
def test_day_info_answers_for_every_date(day):
    info = NATIONAL.day_info(day)

    assert info.workday == NATIONAL_NAIVE.is_workday(day)
    assert info.provisional == (day.year not in KNOWN_YEARS)
