"""Deadlines of cases and tasks, derived from the working-day calendar (RULES.md §1).

Pure: no database, no settings, no clock. Every function takes the `WorkCalendar`
(`workdays.selectors.calendar_get()`), `today` and the thresholds from its caller, so a due
date or a light is recomputed from stored facts whenever it is shown — no periodic job.
The counting rules are those of docs/adr/0001-working-day-counting.md:

- **Acceptance.** A submission received on a non-working day (online) is accepted on the
  next working day (`acceptance_date`). When the applicant was told about missing
  materials, acceptance is the day the complete materials arrive: after a correction
  (补正) before acceptance, the new acceptance date is the day the supplements arrive
  (moved to the next working day if that is not one), and the clock restarts — from zero —
  the day after it (`restart_after_correction`). If the one-time notice (一次性告知) was
  not given within 5 days of receipt, the case counts as accepted from the day of
  receipt (`accepted_on_after_late_notice`). These 5 days are **working days** by
  default: 行政许可法 §82 makes every period of that law (here §32) a working-day period;
  `notice_in_workdays=False` counts natural days instead (民法典 §203: a last day that is
  not a working day moves to the next working day). Days are counted from the day of
  receipt as accepted (a Saturday online receipt counts from Monday), the start day not
  counted.
- **The limit.** The due date is the last day of `promised + extension + suspended`
  working days counted from the acceptance date; the start day is not counted unless
  `count_start_day` (setting `YICHUANG["COUNT_START_DAY"]`). A due date is therefore
  always a working day.
- **即办件** (a limit of 0 working days) is due on the acceptance day, or the next working
  day if the acceptance day is not one. It is counted as a limit of one working day whose
  start day counts, so a suspension or an extension of a 即办件 works like any other.
- **Suspensions** (特别程序, correction during review, pending materials overdue): the clock
  stops **on the day a suspension starts and restarts the day after it ends**: the
  working days suspended are the working days in [start, end], both ends included, and
  only those inside the counted period (a suspension starting before the first counted
  day is cut to it). A correction requested during review is a suspension that ends on the
  day the supplements arrive, so the days already used are kept (unlike a correction before
  acceptance, which restarts the limit from zero). Overlapping or adjacent suspensions are
  merged, so no day is counted twice. A suspension still running (`end=None`) counts up to
  and including `today`: the due date moves while it runs and is always after `today`, so
  a suspended case is never overdue. A suspension that starts after the due date (the case
  was already overdue) does not move it: the clock had already run out.
- **Extensions** (延期) add their working days to the limit before suspensions are applied
  (an extension is approved before the limit, RULES.md §1).
- **Provisional.** A due date is provisional when a day of its counted period (from the
  first counted day to the due date) lies in a year without calendar data; it must be
  recomputed once that year is entered.
- **Lights** (local practice, RULES.md §1): red when `today` is after the due date; yellow
  when at most `yellow_days_left` working days are left (working days after `today` up to
  the due date: 0 on the due day itself, 1 on the working day before) or at least
  `yellow_share_used` of the working days are used; green otherwise. The defaults come from
  the settings `YICHUANG["LIGHT_YELLOW_DAYS_LEFT"]` (1) and
  `YICHUANG["LIGHT_YELLOW_SHARE_USED"]` (0.8), read by the caller. The light of a concluded
  case is the caller's decision.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from enum import StrEnum

from yichuang.workdays.calendar import WorkCalendar

ONE_DAY = dt.timedelta(days=1)

# 行政许可法 §32: the one-time notice is due within 5 days of receipt (working days, §82).
ONE_TIME_NOTICE_DAYS = 5


@dataclass(frozen=True)
class Period:
    """A suspension of the clock, both days included; `end=None` while it runs."""

    start: dt.date
    end: dt.date | None = None

    def __post_init__(self) -> None:
        if self.end is not None and self.end < self.start:
            raise ValueError(f"a period ends on or after its start ({self.start} > {self.end})")


@dataclass(frozen=True)
class Deadline:
    due: dt.date
    provisional: bool  # relied on a year without calendar data


class Light(StrEnum):
    GREEN = "green"
    YELLOW = "yellow"
    RED = "red"


# -- acceptance ----------------------------------------------------------------------------


def acceptance_date(*, received_on: dt.date, calendar: WorkCalendar) -> dt.date:
    """The acceptance date of a submission received on `received_on`: that day if it is a
    working day, else the next working day (an online submission on a holiday)."""
    return calendar.next_workday(received_on, include_self=True).deadline


def restart_after_correction(
    *, supplements_received_on: dt.date, calendar: WorkCalendar
) -> dt.date:
    """The new acceptance date after a correction (补正) before acceptance.

    Acceptance is the day the complete materials arrive, i.e. the day the supplements
    arrive (the next working day if they arrive on a non-working day); as always the start
    day is not counted, so the clock restarts, from zero, the day after.
    """
    return acceptance_date(received_on=supplements_received_on, calendar=calendar)


def one_time_notice_due(
    *,
    materials_received_on: dt.date,
    calendar: WorkCalendar,
    notice_days: int = ONE_TIME_NOTICE_DAYS,
    notice_in_workdays: bool = True,
) -> dt.date:
    """The last day to give the one-time notice for materials received on that day.

    Counted from the day of receipt as accepted (`acceptance_date`), the start day not
    counted: `notice_days` working days, or natural days with `notice_in_workdays=False`
    (a last day that is not a working day moves to the next working day).
    """
    if notice_days < 0:
        raise ValueError("notice_days must be >= 0")
    received = acceptance_date(received_on=materials_received_on, calendar=calendar)
    if notice_in_workdays:
        return calendar.add_workdays(received, notice_days).deadline
    return calendar.add_natural_days(received, notice_days).deadline


def accepted_on_after_late_notice(
    *,
    materials_received_on: dt.date,
    notice_issued_on: dt.date | None,
    calendar: WorkCalendar,
    complete_materials_on: dt.date | None = None,
    notice_days: int = ONE_TIME_NOTICE_DAYS,
    notice_in_workdays: bool = True,
) -> dt.date:
    """The acceptance date of a case whose materials were first received on
    `materials_received_on` and for which a one-time notice was issued on
    `notice_issued_on` (None: no notice was given).

    A notice given late (after `one_time_notice_due`), or none at all: the case counts as
    accepted from the day the materials were received (as accepted: the next working day
    for an online receipt on a non-working day). A notice given in time: acceptance is the
    day the complete materials arrive, `complete_materials_on`, which the caller must then
    give (ValueError otherwise).
    """
    latest = one_time_notice_due(
        materials_received_on=materials_received_on,
        calendar=calendar,
        notice_days=notice_days,
        notice_in_workdays=notice_in_workdays,
    )
    if notice_issued_on is None or notice_issued_on > latest:
        return acceptance_date(received_on=materials_received_on, calendar=calendar)
    if complete_materials_on is None:
        raise ValueError("a notice given in time: acceptance waits for the complete materials")
    return acceptance_date(received_on=complete_materials_on, calendar=calendar)


# -- suspensions ---------------------------------------------------------------------------


def merge_periods(
    periods: Iterable[Period], *, today: dt.date, not_before: dt.date | None = None
) -> list[Period]:
    """Closed, sorted, disjoint periods covering the same days as `periods`.

    A running period (`end=None`) ends on `today`; periods are cut to start no earlier
    than `not_before`; empty ones are dropped; overlapping or adjacent ones are merged.
    """
    return [Period(start, end) for start, end in _merged(periods, today, not_before)]


def _merged(
    periods: Iterable[Period], today: dt.date, not_before: dt.date | None
) -> list[tuple[dt.date, dt.date]]:
    closed: list[tuple[dt.date, dt.date]] = []
    for period in periods:
        start = period.start if not_before is None else max(period.start, not_before)
        end = today if period.end is None else period.end
        if end >= start:
            closed.append((start, end))
    closed.sort()
    merged: list[list[dt.date]] = []
    for start, end in closed:
        if merged and start.toordinal() <= merged[-1][1].toordinal() + 1:
            merged[-1][1] = max(merged[-1][1], end)
        else:
            merged.append([start, end])
    return [(start, end) for start, end in merged]


def _first_counted(start: dt.date, *, count_start_day: bool) -> dt.date | None:
    """The first day of the counted period (None beyond the last representable date)."""
    if count_start_day:
        return start
    return None if start == dt.date.max else start + ONE_DAY


def _limit_due(
    *,
    start: dt.date,
    workdays: int,
    suspensions: Sequence[Period],
    today: dt.date,
    calendar: WorkCalendar,
    count_start_day: bool,
) -> Deadline:
    """The last day of `workdays` working days from `start`, the clock stopped during
    `suspensions` that start on or before the (moving) due date."""
    if workdays < 0:
        raise ValueError("a limit is >= 0 working days")
    if workdays == 0:  # 即办件: the start day (or the next working day) is the only day
        workdays, count_start_day = 1, True
    found = calendar.add_workdays(start, workdays, count_start_day=count_start_day)
    first = _first_counted(start, count_start_day=count_start_day)
    if first is None:  # unreachable: add_workdays has already refused such a start
        return Deadline(due=found.deadline, provisional=found.provisional)
    total = workdays
    for stop, restart in _merged(suspensions, today, first):
        if stop > found.deadline:
            break  # the clock had run out before this suspension started
        total += calendar.count_workdays(stop, restart, count_start_day=True).workdays
        found = calendar.add_workdays(start, total, count_start_day=count_start_day)
    return Deadline(due=found.deadline, provisional=found.provisional)


# -- due dates -----------------------------------------------------------------------------


def case_due(
    *,
    accepted_on: dt.date,
    promised_workdays: int,
    suspensions: Sequence[Period] = (),
    extension_workdays: int = 0,
    today: dt.date,
    calendar: WorkCalendar,
    count_start_day: bool = False,
) -> Deadline:
    """The due date of a case: the promised limit plus approved extensions plus the
    working days suspended, counted from the acceptance date (see the module docstring).

    A promised limit of 0 (即办件) is due on the acceptance day (its next working day if it
    is not one).
    """
    if extension_workdays < 0:
        raise ValueError("an extension is >= 0 working days")
    if promised_workdays < 0:
        raise ValueError("a promised limit is >= 0 working days")
    workdays = promised_workdays + extension_workdays
    if promised_workdays == 0 and extension_workdays:
        # 即办件 extended: the acceptance day is the first of 1 + extension working days.
        workdays, count_start_day = 1 + extension_workdays, True
    return _limit_due(
        start=accepted_on,
        workdays=workdays,
        suspensions=suspensions,
        today=today,
        calendar=calendar,
        count_start_day=count_start_day,
    )


def task_due(
    *,
    started_on: dt.date,
    limit_workdays: int,
    suspensions: Sequence[Period] = (),
    calendar: WorkCalendar,
    today: dt.date,
    count_start_day: bool = False,
) -> Deadline:
    """The due date of a stage or a department task that started on `started_on`, with a
    limit of `limit_workdays` working days (0: due on the day it starts)."""
    return _limit_due(
        start=started_on,
        workdays=limit_workdays,
        suspensions=suspensions,
        today=today,
        calendar=calendar,
        count_start_day=count_start_day,
    )


def working_days_used(
    *,
    accepted_on: dt.date,
    today: dt.date,
    suspensions: Sequence[Period] = (),
    calendar: WorkCalendar,
    count_start_day: bool = False,
) -> int:
    """Working days counted from `accepted_on` up to and including `today`, the suspended
    ones left out (0 before the counted period starts)."""
    first = _first_counted(accepted_on, count_start_day=count_start_day)
    if first is None or today < first:
        return 0
    used = calendar.count_workdays(accepted_on, today, count_start_day=count_start_day).workdays
    for stop, restart in _merged(suspensions, today, first):
        end = min(restart, today)
        used -= calendar.count_workdays(stop, end, count_start_day=True).workdays
    return used


def working_days_left(*, due: dt.date, today: dt.date, calendar: WorkCalendar) -> int:
    """Working days after `today` up to and including `due` (0 on the due day and after)."""
    return calendar.count_workdays(today, due).workdays


# -- warning lights ------------------------------------------------------------------------


def light(
    *,
    due: dt.date,
    today: dt.date,
    total_workdays: int,
    calendar: WorkCalendar,
    yellow_days_left: int = 1,
    yellow_share_used: float = 0.8,
    used_workdays: int | None = None,
) -> Light:
    """The warning light of an open case or task on `today` (RULES.md §1, local practice).

    `total_workdays` is the limit in force (promised plus extensions, suspended days not
    included). `used_workdays` defaults to `total_workdays` minus the working days left,
    which is exact when the due date came from `case_due`/`task_due` (the working days
    left are never suspended ones).
    """
    if today > due:
        return Light.RED
    left = working_days_left(due=due, today=today, calendar=calendar)
    if left <= yellow_days_left:
        return Light.YELLOW
    used = max(total_workdays - left, 0) if used_workdays is None else used_workdays
    if total_workdays > 0 and used / total_workdays >= yellow_share_used:
        return Light.YELLOW
    return Light.GREEN
