"""Case deadlines on the real 2026 calendar (RULES.md §1, ADR 0001 and its addendum).

No database: the calendar is built from the national data of the `chinesecalendar`
package, as the data migration seeds it. 2026 at a glance: 元旦 1/1–1/3 (work Sun 1/4);
春节 2/15–2/23 (work Sat 2/14, Sat 2/28); 清明 4/4–4/6; 劳动节 5/1–5/5 (work Sat 5/9);
端午 6/19–6/21; 中秋 9/25–9/27; 国庆 10/1–10/7 (work Sun 9/20, Sat 10/10). 2027 has no
data: Monday–Friday, provisional.
"""

from __future__ import annotations

import datetime as dt

import pytest
from django.conf import settings as django_settings
from hypothesis import given
from hypothesis import strategies as st

from yichuang.cases.deadlines import (
    Deadline,
    Light,
    Period,
    acceptance_date,
    accepted_on_after_late_notice,
    case_due,
    light,
    merge_periods,
    one_time_notice_due,
    restart_after_correction,
    task_due,
    working_days_left,
    working_days_used,
)
from yichuang.workdays.calendar import WorkCalendar
from yichuang.workdays.national import national_calendar

D = dt.date.fromisoformat
OVERRIDES, KNOWN_YEARS = national_calendar()
CAL = WorkCalendar(overrides=OVERRIDES, known_years=KNOWN_YEARS)
TODAY = D("2026-03-02")  # for cases without a running suspension, today changes nothing


def periods(*spans: tuple[str, str | None]) -> tuple[Period, ...]:
    return tuple(Period(D(start), None if end is None else D(end)) for start, end in spans)


# -- due dates across the 2026 holidays ------------------------------------------------------


@pytest.mark.parametrize(
    ("accepted_on", "promised", "due", "provisional"),
    [
        # 元旦: 1/1–1/3 off, Sunday 1/4 worked
        ("2025-12-30", 1, "2025-12-31", False),
        ("2025-12-30", 2, "2026-01-04", False),
        ("2025-12-30", 3, "2026-01-05", False),
        ("2025-12-31", 1, "2026-01-04", False),
        ("2026-01-02", 1, "2026-01-04", False),  # accepted at a window open on the holiday
        # 春节: 2/15–2/23 off, Saturdays 2/14 and 2/28 worked
        ("2026-02-13", 1, "2026-02-14", False),
        ("2026-02-13", 2, "2026-02-24", False),
        ("2026-02-12", 5, "2026-02-26", False),
        ("2026-02-27", 1, "2026-02-28", False),
        ("2026-02-27", 2, "2026-03-02", False),
        # 清明 4/4–4/6, 端午 6/19–6/21, 中秋 9/25–9/27
        ("2026-04-03", 1, "2026-04-07", False),
        ("2026-06-18", 1, "2026-06-22", False),
        ("2026-09-24", 1, "2026-09-28", False),
        # 劳动节: 5/1–5/5 off, Saturday 5/9 worked
        ("2026-04-30", 1, "2026-05-06", False),
        ("2026-04-30", 4, "2026-05-09", False),
        ("2026-04-30", 5, "2026-05-11", False),
        # 国庆: 10/1–10/7 off, Sunday 9/20 and Saturday 10/10 worked
        ("2026-09-18", 1, "2026-09-20", False),
        ("2026-09-30", 1, "2026-10-08", False),
        ("2026-09-30", 3, "2026-10-10", False),
        ("2026-09-30", 4, "2026-10-12", False),
        ("2026-09-28", 5, "2026-10-10", False),
        ("2026-09-24", 20, "2026-10-29", False),
        # 2026 → 2027: 2027 has no data (1/1/2027 counted as a Friday worked)
        ("2026-12-24", 5, "2026-12-31", False),
        ("2026-12-24", 6, "2027-01-01", True),
        ("2026-12-24", 20, "2027-01-21", True),
        ("2026-12-31", 0, "2026-12-31", False),
        # 即办件: due on the acceptance day, or the next working day
        ("2026-09-28", 0, "2026-09-28", False),
        ("2026-10-01", 0, "2026-10-08", False),
        ("2026-02-14", 0, "2026-02-14", False),
        ("2026-01-03", 0, "2026-01-04", False),
    ],
)
def test_case_due_counts_working_days_from_the_day_after_acceptance(
    accepted_on, promised, due, provisional
):
    result = case_due(
        accepted_on=D(accepted_on), promised_workdays=promised, today=TODAY, calendar=CAL
    )

    assert result == Deadline(due=D(due), provisional=provisional)


@pytest.mark.parametrize(
    ("accepted_on", "promised", "due"),
    [
        ("2026-09-28", 5, "2026-10-09"),  # 9/28 is day one
        ("2026-09-30", 1, "2026-09-30"),
        ("2026-02-14", 2, "2026-02-24"),  # a make-up Saturday counts as day one
        ("2026-10-01", 1, "2026-10-08"),  # a holiday cannot be day one
        ("2026-10-01", 0, "2026-10-08"),
        ("2026-09-28", 0, "2026-09-28"),
    ],
)
def test_case_due_with_the_start_day_counted(accepted_on, promised, due):
    result = case_due(
        accepted_on=D(accepted_on),
        promised_workdays=promised,
        today=TODAY,
        calendar=CAL,
        count_start_day=True,
    )

    assert result.due == D(due)


# -- suspensions ---------------------------------------------------------------------------

# Accepted Monday 2026-03-02 with 10 working days: due Monday 3/16 without suspension.
MARCH = {"accepted_on": D("2026-03-02"), "promised_workdays": 10, "calendar": CAL}


@pytest.mark.parametrize(
    ("suspensions", "today", "due"),
    [
        ((), "2026-03-02", "2026-03-16"),
        # single: Wed 3/4 – Fri 3/6, both ends suspended: 3 working days
        ((("2026-03-04", "2026-03-06"),), "2026-03-20", "2026-03-19"),
        # one day: the start and end day is suspended
        ((("2026-03-04", "2026-03-04"),), "2026-03-20", "2026-03-17"),
        # overlapping: 3/4–3/6 and 3/5–3/10 suspend 3/4, 5, 6, 9, 10 — five days, not seven
        ((("2026-03-04", "2026-03-06"), ("2026-03-05", "2026-03-10")), "2026-03-20", "2026-03-23"),
        # the same suspension recorded twice counts once
        ((("2026-03-04", "2026-03-06"), ("2026-03-04", "2026-03-06")), "2026-03-20", "2026-03-19"),
        # adjacent: 3/4–3/5 and 3/6–3/6
        ((("2026-03-04", "2026-03-05"), ("2026-03-06", "2026-03-06")), "2026-03-20", "2026-03-19"),
        # two separate suspensions: 3/4 and 3/11
        ((("2026-03-11", "2026-03-11"), ("2026-03-04", "2026-03-04")), "2026-03-20", "2026-03-18"),
        # starts on Saturday 3/7, ends Tuesday 3/10: only 3/9 and 3/10 are working days
        ((("2026-03-07", "2026-03-10"),), "2026-03-20", "2026-03-18"),
        # only weekend days: nothing moves
        ((("2026-03-07", "2026-03-08"),), "2026-03-20", "2026-03-16"),
        # starts on the acceptance day, which is not counted: only 3/3 is suspended
        ((("2026-03-02", "2026-03-03"),), "2026-03-20", "2026-03-17"),
        # entirely before acceptance (a correction before the case was accepted)
        ((("2026-02-24", "2026-02-27"),), "2026-03-20", "2026-03-16"),
        # starts on the due day: the clock stops that day
        ((("2026-03-16", "2026-03-16"),), "2026-03-20", "2026-03-17"),
        # starts after the due day (the case was overdue): the clock had run out
        ((("2026-03-17", "2026-03-20"),), "2026-03-20", "2026-03-16"),
        # ongoing since Monday 3/9: counts 3/9–3/11 on Wednesday, 3/9–3/13 on Friday
        ((("2026-03-09", None),), "2026-03-11", "2026-03-19"),
        ((("2026-03-09", None),), "2026-03-13", "2026-03-23"),
        # ongoing over a weekend: Saturday changes nothing from Friday
        ((("2026-03-09", None),), "2026-03-14", "2026-03-23"),
        # recorded as starting tomorrow: nothing suspended yet
        ((("2026-03-09", None),), "2026-03-08", "2026-03-16"),
        # a closed and an ongoing one overlapping
        ((("2026-03-04", "2026-03-10"), ("2026-03-09", None)), "2026-03-11", "2026-03-24"),
    ],
)
def test_suspended_working_days_move_the_case_due_date(suspensions, today, due):
    result = case_due(**MARCH, suspensions=periods(*suspensions), today=D(today))

    assert result == Deadline(due=D(due), provisional=False)


def test_a_suspension_spanning_the_national_day_holiday_counts_only_its_working_days():
    # given a case accepted Monday 9/21 for 5 working days (due 9/29 without suspension)
    # and a testing period from Thursday 9/24 to Friday 10/9, across 中秋 and 国庆
    suspensions = periods(("2026-09-24", "2026-10-09"))

    # when the due date is computed
    result = case_due(
        accepted_on=D("2026-09-21"),
        promised_workdays=5,
        suspensions=suspensions,
        today=D("2026-10-20"),
        calendar=CAL,
    )

    # then 9/22 and 9/23 were used, the clock restarted on the make-up Saturday 10/10
    # (day 3), and the case is due on Tuesday 10/13 (day 5)
    assert result.due == D("2026-10-13")


def test_an_ongoing_suspension_keeps_the_due_date_after_today():
    # given a 5-day case accepted 9/28 suspended since 9/29 and still suspended on 10/9
    result = case_due(
        accepted_on=D("2026-09-28"),
        promised_workdays=5,
        suspensions=periods(("2026-09-29", None)),
        today=D("2026-10-09"),
        calendar=CAL,
    )

    # then the five days all lie after today: 10/10, 10/12, 10/13, 10/14, 10/15
    assert result.due == D("2026-10-15")


def test_a_suspended_immediate_item_is_due_on_the_first_working_day_after_the_suspension():
    result = case_due(
        accepted_on=D("2026-03-02"),
        promised_workdays=0,
        suspensions=periods(("2026-03-02", "2026-03-03")),
        today=D("2026-03-10"),
        calendar=CAL,
    )

    assert result.due == D("2026-03-04")


def test_a_suspension_with_the_start_day_counted_suspends_the_acceptance_day():
    result = case_due(
        **MARCH,
        suspensions=periods(("2026-03-02", "2026-03-03")),
        today=D("2026-03-20"),
        count_start_day=True,
    )

    # 3/2–3/13 are the 10 days when the start day counts; two suspended days add 3/16, 3/17
    assert result.due == D("2026-03-17")


def test_a_period_cannot_end_before_it_starts():
    with pytest.raises(ValueError):
        Period(D("2026-03-05"), D("2026-03-04"))


def test_merge_periods_closes_running_periods_on_today_and_merges_overlaps():
    merged = merge_periods(
        periods(("2026-03-09", None), ("2026-03-01", "2026-03-04"), ("2026-03-03", "2026-03-05")),
        today=D("2026-03-11"),
        not_before=D("2026-03-02"),
    )

    assert merged == list(periods(("2026-03-02", "2026-03-05"), ("2026-03-09", "2026-03-11")))


# -- extensions ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("accepted_on", "promised", "extension", "suspensions", "due"),
    [
        ("2026-03-02", 10, 10, (), "2026-03-30"),
        ("2026-03-02", 10, 0, (), "2026-03-16"),
        # across 国庆: 5 + 5 days from 9/21 end on Monday 10/12
        ("2026-09-21", 5, 5, (), "2026-10-12"),
        # a suspension after the promised due date but before the extended one counts
        ("2026-03-02", 10, 2, (("2026-03-17", "2026-03-18"),), "2026-03-20"),
        ("2026-03-02", 10, 0, (("2026-03-17", "2026-03-18"),), "2026-03-16"),
        # an extended 即办件: the acceptance day and two more working days
        ("2026-03-02", 0, 2, (), "2026-03-04"),
        ("2026-10-01", 0, 1, (), "2026-10-09"),
        # an extension into 2027
        ("2026-12-24", 5, 1, (), "2027-01-01"),
    ],
)
def test_an_approved_extension_adds_working_days(
    accepted_on, promised, extension, suspensions, due
):
    result = case_due(
        accepted_on=D(accepted_on),
        promised_workdays=promised,
        extension_workdays=extension,
        suspensions=periods(*suspensions),
        today=D("2026-03-25"),
        calendar=CAL,
    )

    assert result.due == D(due)


@pytest.mark.parametrize(
    ("promised", "extension"), [(-1, 0), (5, -1)], ids=["promised", "extension"]
)
def test_negative_limits_are_refused(promised, extension):
    with pytest.raises(ValueError):
        case_due(
            accepted_on=D("2026-03-02"),
            promised_workdays=promised,
            extension_workdays=extension,
            today=TODAY,
            calendar=CAL,
        )


# -- tasks ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("started_on", "limit", "suspensions", "due", "provisional"),
    [
        ("2026-09-30", 3, (), "2026-10-10", False),
        ("2026-09-30", 3, (("2026-10-08", "2026-10-08"),), "2026-10-12", False),
        ("2026-09-30", 0, (), "2026-09-30", False),
        ("2026-02-13", 1, (), "2026-02-14", False),
        ("2026-12-30", 3, (), "2027-01-04", True),
    ],
)
def test_task_due(started_on, limit, suspensions, due, provisional):
    result = task_due(
        started_on=D(started_on),
        limit_workdays=limit,
        suspensions=periods(*suspensions),
        calendar=CAL,
        today=D("2026-10-20"),
    )

    assert result == Deadline(due=D(due), provisional=provisional)


# -- acceptance dates ----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("received_on", "accepted_on"),
    [
        ("2026-03-04", "2026-03-04"),  # a working day
        ("2026-03-07", "2026-03-09"),  # Saturday
        ("2026-03-08", "2026-03-09"),  # Sunday
        ("2026-10-01", "2026-10-08"),  # 国庆
        ("2026-10-07", "2026-10-08"),
        ("2026-10-10", "2026-10-10"),  # make-up Saturday
        ("2026-09-20", "2026-09-20"),  # make-up Sunday
        ("2026-02-15", "2026-02-24"),  # 春节
        ("2026-01-01", "2026-01-04"),  # 元旦: the make-up Sunday is the next working day
        ("2026-05-01", "2026-05-06"),  # 劳动节
        ("2026-05-10", "2026-05-11"),  # the Sunday after the make-up Saturday
        ("2027-01-02", "2027-01-04"),  # 2027: Monday–Friday
    ],
)
def test_an_online_submission_on_a_non_working_day_is_accepted_on_the_next_working_day(
    received_on, accepted_on
):
    assert acceptance_date(received_on=D(received_on), calendar=CAL) == D(accepted_on)


@pytest.mark.parametrize(
    ("supplements_received_on", "accepted_on", "due_in_5_days"),
    [
        ("2026-03-04", "2026-03-04", "2026-03-11"),
        ("2026-03-07", "2026-03-09", "2026-03-16"),  # supplements arrive on Saturday
        ("2026-09-30", "2026-09-30", "2026-10-13"),
        ("2026-10-03", "2026-10-08", "2026-10-14"),  # supplements arrive during 国庆
    ],
)
def test_after_a_correction_the_limit_restarts_the_day_after_the_supplements_arrive(
    supplements_received_on, accepted_on, due_in_5_days
):
    # when the supplements arrive
    accepted = restart_after_correction(
        supplements_received_on=D(supplements_received_on), calendar=CAL
    )
    due = case_due(accepted_on=accepted, promised_workdays=5, today=accepted, calendar=CAL)

    # then that day (as accepted) is the new acceptance date and the full limit runs again
    assert (accepted, due.due) == (D(accepted_on), D(due_in_5_days))


@pytest.mark.parametrize(
    ("received_on", "notice_days", "in_workdays", "notice_due"),
    [
        ("2026-03-02", 5, True, "2026-03-09"),
        ("2026-09-28", 5, True, "2026-10-10"),  # make-up Saturday
        ("2026-03-07", 5, True, "2026-03-16"),  # online on Saturday: counted from Monday
        ("2026-03-02", 3, True, "2026-03-05"),
        ("2026-03-02", 5, False, "2026-03-09"),  # Saturday 3/7 → Monday 3/9 (§203)
        ("2026-09-28", 5, False, "2026-10-08"),  # 10/3 is in 国庆 → 10/8
        ("2026-03-04", 5, False, "2026-03-09"),
    ],
)
def test_one_time_notice_due(received_on, notice_days, in_workdays, notice_due):
    due = one_time_notice_due(
        materials_received_on=D(received_on),
        calendar=CAL,
        notice_days=notice_days,
        notice_in_workdays=in_workdays,
    )

    assert due == D(notice_due)


@pytest.mark.parametrize(
    ("received_on", "notice_on", "complete_on", "options", "accepted_on"),
    [
        # notice on the 5th working day: in time, acceptance when the materials are complete
        ("2026-03-02", "2026-03-09", "2026-03-12", {}, "2026-03-12"),
        ("2026-03-02", "2026-03-09", "2026-03-14", {}, "2026-03-16"),
        # notice on the 6th working day: late, accepted from the day of receipt
        ("2026-03-02", "2026-03-10", "2026-03-12", {}, "2026-03-02"),
        ("2026-03-02", "2026-03-10", None, {}, "2026-03-02"),
        # no notice at all
        ("2026-03-02", None, None, {}, "2026-03-02"),
        # across 国庆: the 5th working day after 9/28 is the make-up Saturday 10/10
        ("2026-09-28", "2026-10-10", "2026-10-12", {}, "2026-10-12"),
        ("2026-09-28", "2026-10-12", None, {}, "2026-09-28"),
        # counted in natural days, 10/9 is late (the period ended on 10/8)
        ("2026-09-28", "2026-10-09", None, {"notice_in_workdays": False}, "2026-09-28"),
        # a shorter local period
        ("2026-03-02", "2026-03-06", None, {"notice_days": 3}, "2026-03-02"),
        # online receipt on Saturday: acceptance from Monday
        ("2026-03-07", "2026-03-17", None, {}, "2026-03-09"),
        ("2026-03-07", "2026-03-16", "2026-03-18", {}, "2026-03-18"),
    ],
)
def test_a_late_one_time_notice_makes_the_case_accepted_from_receipt(
    received_on, notice_on, complete_on, options, accepted_on
):
    accepted = accepted_on_after_late_notice(
        materials_received_on=D(received_on),
        notice_issued_on=None if notice_on is None else D(notice_on),
        complete_materials_on=None if complete_on is None else D(complete_on),
        calendar=CAL,
        **options,
    )

    assert accepted == D(accepted_on)


def test_a_notice_in_time_needs_the_day_the_materials_were_complete():
    with pytest.raises(ValueError):
        accepted_on_after_late_notice(
            materials_received_on=D("2026-03-02"),
            notice_issued_on=D("2026-03-03"),
            calendar=CAL,
        )


# -- working days used and left ------------------------------------------------------------


@pytest.mark.parametrize(
    ("accepted_on", "today", "suspensions", "count_start_day", "used"),
    [
        ("2026-03-02", "2026-03-01", (), False, 0),
        ("2026-03-02", "2026-03-02", (), False, 0),
        ("2026-03-02", "2026-03-03", (), False, 1),
        ("2026-03-02", "2026-03-16", (), False, 10),
        ("2026-03-02", "2026-03-02", (), True, 1),
        ("2026-03-02", "2026-03-16", (("2026-03-04", "2026-03-06"),), False, 7),
        ("2026-03-02", "2026-03-11", (("2026-03-09", None),), False, 4),
        # a suspension not over yet counts only up to today
        ("2026-03-02", "2026-03-10", (("2026-03-09", "2026-03-20"),), False, 4),
        ("2026-09-28", "2026-10-09", (), False, 4),
        ("2026-09-28", "2026-10-10", (), False, 5),
    ],
)
def test_working_days_used(accepted_on, today, suspensions, count_start_day, used):
    result = working_days_used(
        accepted_on=D(accepted_on),
        today=D(today),
        suspensions=periods(*suspensions),
        calendar=CAL,
        count_start_day=count_start_day,
    )

    assert result == used


@pytest.mark.parametrize(
    ("today", "left"),
    [("2026-09-28", 5), ("2026-10-01", 3), ("2026-10-09", 1), ("2026-10-10", 0), ("2026-10-12", 0)],
)
def test_working_days_left_are_those_after_today(today, left):
    assert working_days_left(due=D("2026-10-10"), today=D(today), calendar=CAL) == left


# -- warning lights ------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("due", "total", "today", "options", "expected"),
    [
        # 20 days from 3/2, due Monday 3/30
        ("2026-03-30", 20, "2026-03-03", {}, Light.GREEN),
        ("2026-03-30", 20, "2026-03-23", {}, Light.GREEN),  # 15 used: 75 %
        ("2026-03-30", 20, "2026-03-24", {}, Light.YELLOW),  # 16 used: exactly 80 %
        ("2026-03-30", 20, "2026-03-24", {"yellow_share_used": 0.85}, Light.GREEN),
        ("2026-03-30", 20, "2026-03-30", {}, Light.YELLOW),  # due today
        ("2026-03-30", 20, "2026-03-31", {}, Light.RED),  # overdue by one day
        # 4 days from 3/2, due Friday 3/6: the share stays below 80 % until the last day
        ("2026-03-06", 4, "2026-03-04", {}, Light.GREEN),  # 2 left, 50 % used
        ("2026-03-06", 4, "2026-03-05", {}, Light.YELLOW),  # exactly 1 left, 75 % used
        ("2026-03-06", 4, "2026-03-04", {"yellow_days_left": 2}, Light.YELLOW),
        ("2026-03-06", 4, "2026-03-05", {"yellow_days_left": 0}, Light.GREEN),
        ("2026-03-06", 4, "2026-03-06", {"yellow_days_left": 0}, Light.YELLOW),
        ("2026-03-06", 4, "2026-03-07", {}, Light.RED),  # overdue by one (Saturday)
        # Saturday before a Monday due date: 1 working day left
        ("2026-03-16", 10, "2026-03-14", {}, Light.YELLOW),
        # across 国庆: due 10/10 (make-up Saturday); on 10/1, 3 working days are left
        ("2026-10-10", 5, "2026-10-01", {}, Light.GREEN),
        ("2026-10-10", 5, "2026-10-08", {}, Light.GREEN),  # 2 left, 3 of 5 used: 60 %
        ("2026-10-10", 5, "2026-10-09", {}, Light.YELLOW),  # 1 left, 80 % used
        # the caller may give the days used (e.g. with suspensions in the future)
        ("2026-03-30", 20, "2026-03-03", {"used_workdays": 16}, Light.YELLOW),
        ("2026-03-30", 20, "2026-03-24", {"used_workdays": 15}, Light.GREEN),
        # 即办件: yellow on the day, red the day after
        ("2026-03-02", 0, "2026-03-02", {}, Light.YELLOW),
        ("2026-03-02", 0, "2026-03-03", {}, Light.RED),
    ],
)
def test_light(due, total, today, options, expected):
    result = light(due=D(due), today=D(today), total_workdays=total, calendar=CAL, **options)

    assert result is expected


def test_a_suspended_case_is_never_red_while_the_suspension_runs():
    # given a 4-day case accepted 3/2, suspended since 3/3 and still suspended on 3/20
    due = case_due(
        accepted_on=D("2026-03-02"),
        promised_workdays=4,
        suspensions=periods(("2026-03-03", None)),
        today=D("2026-03-20"),
        calendar=CAL,
    )

    # when its light is computed on 3/20
    result = light(due=due.due, today=D("2026-03-20"), total_workdays=4, calendar=CAL)

    # then all four days are still ahead of it
    assert (due.due, result) == (D("2026-03-26"), Light.GREEN)


def test_the_light_thresholds_are_settings_with_the_rules_defaults():
    thresholds = {
        key: django_settings.YICHUANG[key]
        for key in ("LIGHT_YELLOW_DAYS_LEFT", "LIGHT_YELLOW_SHARE_USED", "ONE_TIME_NOTICE_DAYS")
    }

    assert thresholds == {
        "LIGHT_YELLOW_DAYS_LEFT": 1,
        "LIGHT_YELLOW_SHARE_USED": 0.8,
        "ONE_TIME_NOTICE_DAYS": 5,
    }


# -- properties ----------------------------------------------------------------------------

days = st.dates(min_value=dt.date(2025, 10, 1), max_value=dt.date(2027, 3, 31))
limits = st.integers(min_value=0, max_value=45)
extensions = st.integers(min_value=0, max_value=15)


@st.composite
def suspension_lists(draw, max_size=4):
    result = []
    for _ in range(draw(st.integers(min_value=0, max_value=max_size))):
        start = draw(days)
        length = draw(st.one_of(st.none(), st.integers(min_value=0, max_value=40)))
        result.append(Period(start, None if length is None else start + dt.timedelta(length)))
    return tuple(result)


def reference_due(*, start, workdays, suspensions, today, count_start_day):
    """The clock run day by day: each working day not suspended uses one day."""
    if workdays == 0:
        workdays, count_start_day = 1, True
    stopped = set()
    for period in suspensions:
        end = today if period.end is None else period.end
        day = period.start
        while day <= end:
            stopped.add(day)
            day += dt.timedelta(days=1)
    day = start if count_start_day else start + dt.timedelta(days=1)
    while True:
        if CAL.is_workday(day) and day not in stopped:
            workdays -= 1
            if workdays == 0:
                return day
        day += dt.timedelta(days=1)


@given(
    accepted_on=days,
    promised=limits,
    extension=extensions,
    suspensions=suspension_lists(),
    today=days,
    count_start_day=st.booleans(),
)
def test_due_is_always_a_working_day_and_agrees_with_the_day_by_day_clock(
    accepted_on, promised, extension, suspensions, today, count_start_day
):
    due = case_due(
        accepted_on=accepted_on,
        promised_workdays=promised,
        extension_workdays=extension,
        suspensions=suspensions,
        today=today,
        calendar=CAL,
        count_start_day=count_start_day,
    )
    immediate = promised == 0
    expected = reference_due(
        start=accepted_on,
        workdays=(1 + extension) if immediate else promised + extension,
        suspensions=suspensions,
        today=today,
        count_start_day=count_start_day or immediate,
    )

    assert CAL.is_workday(due.due)
    assert due.due == expected


@given(
    accepted_on=days,
    promised=limits,
    suspensions=suspension_lists(),
    extra=suspension_lists(max_size=1),
    today=days,
    count_start_day=st.booleans(),
)
def test_adding_a_suspension_never_makes_the_due_date_earlier(
    accepted_on, promised, suspensions, extra, today, count_start_day
):
    common = {
        "accepted_on": accepted_on,
        "promised_workdays": promised,
        "today": today,
        "calendar": CAL,
        "count_start_day": count_start_day,
    }

    before = case_due(**common, suspensions=suspensions)
    after = case_due(**common, suspensions=suspensions + extra)

    assert after.due >= before.due


@given(
    accepted_on=days,
    promised=limits,
    extension=extensions,
    suspensions=suspension_lists(),
    today=days,
    count_start_day=st.booleans(),
)
def test_one_more_day_of_extension_makes_the_due_date_strictly_later(
    accepted_on, promised, extension, suspensions, today, count_start_day
):
    common = {
        "accepted_on": accepted_on,
        "promised_workdays": promised,
        "suspensions": suspensions,
        "today": today,
        "calendar": CAL,
        "count_start_day": count_start_day,
    }

    shorter = case_due(**common, extension_workdays=extension)
    longer = case_due(**common, extension_workdays=extension + 1)

    assert longer.due > shorter.due


@given(accepted_on=days, promised=limits, today=days, count_start_day=st.booleans())
def test_without_suspensions_the_due_date_is_the_calendars(
    accepted_on, promised, today, count_start_day
):
    due = case_due(
        accepted_on=accepted_on,
        promised_workdays=promised,
        today=today,
        calendar=CAL,
        count_start_day=count_start_day,
    )
    expected = CAL.add_workdays(accepted_on, promised, count_start_day=count_start_day)

    assert due == Deadline(due=expected.deadline, provisional=expected.provisional)


@given(accepted_on=days, promised=st.integers(min_value=1, max_value=45), offset=st.integers(0, 70))
def test_days_used_and_days_left_make_the_limit(accepted_on, promised, offset):
    # given a case without suspension, on any day from its acceptance to its due date
    due = case_due(
        accepted_on=accepted_on, promised_workdays=promised, today=accepted_on, calendar=CAL
    ).due
    today = min(accepted_on + dt.timedelta(days=offset), due)

    used = working_days_used(accepted_on=accepted_on, today=today, calendar=CAL)
    left = working_days_left(due=due, today=today, calendar=CAL)

    assert used + left == promised


@given(due=days, today=days, total=limits)
def test_the_light_is_red_exactly_when_today_is_after_the_due_date(due, today, total):
    result = light(due=due, today=today, total_workdays=total, calendar=CAL)

    assert (result is Light.RED) == (today > due)
