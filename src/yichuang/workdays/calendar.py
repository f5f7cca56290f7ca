"""Working-day arithmetic: pure, no database, O(log n) per call.

A `WorkCalendar` is built from the day overrides (holidays and make-up working days) and
the set of years whose data is known. Every other day is a working day from Monday to
Friday. The rules (RULES.md §1, docs/adr/0001-working-day-counting.md):

- the start day is not counted by default (民法典 §201), counting starts the next day;
  `count_start_day=True` makes a working start day the first day;
- make-up working days (调休上班) count, so a working-day deadline is always a working day;
- `workdays=0` (即办件) ends on the start day if it is a working day, else on the next one;
- a natural-day limit whose last day is not a working day ends on the next working day
  (民法典 §203);
- a result that relied on a day of a year without data is *provisional*: Monday–Friday
  were assumed and the result must be recomputed once that year's notice is entered.

The index. Let `cum(x)` be the number of working days with ordinal ≤ x. Without
overrides this is closed-form weekday arithmetic (ordinal 1, 0001-01-01, is a Monday).
Each override that changes a day's status (a holiday on a weekday: -1; a make-up working
day on a weekend: +1) shifts `cum` by a constant from that day on, so `cum(x)` is the
weekday count plus a prefix sum found by bisecting the sorted override ordinals. Adding
N working days inverts `cum` with one more bisection over `cum` at the override days. Both
are O(log m) in the number of overrides, whatever the span, and years before or after the
data are handled by the same formulas.
"""

from __future__ import annotations

import bisect
import datetime as dt
from collections.abc import Iterable, Mapping
from enum import StrEnum
from typing import NamedTuple

from yichuang.workdays.errors import CalendarOverflow

_MIN_ORDINAL = dt.date.min.toordinal()  # 1, a Monday
_MAX_ORDINAL = dt.date.max.toordinal()


class DayKind(StrEnum):
    """What a day is. The stored overrides are only HOLIDAY and MAKEUP_WORKDAY."""

    WORKDAY = "workday"
    WEEKEND = "weekend"
    HOLIDAY = "holiday"
    MAKEUP_WORKDAY = "makeup_workday"


OVERRIDE_KINDS = frozenset({DayKind.HOLIDAY, DayKind.MAKEUP_WORKDAY})


class Override(NamedTuple):
    """One row of the override table, as the pure module sees it."""

    kind: DayKind
    name: str


class DayInfo(NamedTuple):
    day: dt.date
    kind: DayKind
    name: str | None
    provisional: bool

    @property
    def workday(self) -> bool:
        return self.kind in (DayKind.WORKDAY, DayKind.MAKEUP_WORKDAY)


class Deadline(NamedTuple):
    deadline: dt.date
    provisional: bool


class WorkdayCount(NamedTuple):
    workdays: int
    provisional: bool


def _weekdays_upto(ordinal: int) -> int:
    """Monday–Friday days with ordinal in [1, ordinal]; extended to all integers."""
    weeks, rest = divmod(ordinal, 7)
    return weeks * 5 + min(rest, 5)


def _weekdays_inverse(count: int) -> int:
    """The smallest ordinal x with `_weekdays_upto(x) >= count`."""
    weeks, rest = divmod(count - 1, 5)
    return weeks * 7 + rest + 1


def _is_weekday(ordinal: int) -> bool:
    return (ordinal - 1) % 7 < 5


def _date(ordinal: int) -> dt.date:
    if not _MIN_ORDINAL <= ordinal <= _MAX_ORDINAL:
        raise CalendarOverflow()
    return dt.date.fromordinal(ordinal)


class WorkCalendar:
    """The working-day calendar: answers day questions and deadline arithmetic.

    Immutable once built; share one instance between threads.
    """

    __slots__ = ("_adjust_at", "_cum_at", "_known_years", "_overrides", "_prefix")

    def __init__(
        self,
        *,
        overrides: Mapping[dt.date, Override | tuple[str, str]],
        known_years: Iterable[int],
    ) -> None:
        self._overrides: dict[int, Override] = {}
        for day, (kind, name) in overrides.items():
            kind = DayKind(kind)
            if kind not in OVERRIDE_KINDS:
                raise ValueError(f"an override is a holiday or a make-up working day, not {kind}")
            self._overrides[day.toordinal()] = Override(kind, name)
        self._known_years: list[int] = sorted(set(known_years))

        # Only overrides that change the weekday rule move `cum`.
        self._adjust_at: list[int] = []
        self._prefix: list[int] = []  # shift of cum from _adjust_at[i] on
        self._cum_at: list[int] = []  # cum(_adjust_at[i])
        shift = 0
        for ordinal in sorted(self._overrides):
            weekday = _is_weekday(ordinal)
            kind = self._overrides[ordinal].kind
            if kind is DayKind.HOLIDAY and weekday:
                shift -= 1
            elif kind is DayKind.MAKEUP_WORKDAY and not weekday:
                shift += 1
            else:
                continue
            self._adjust_at.append(ordinal)
            self._prefix.append(shift)
            self._cum_at.append(_weekdays_upto(ordinal) + shift)

    # -- the index -------------------------------------------------------------------------

    def _cum(self, ordinal: int) -> int:
        """Working days with ordinal ≤ `ordinal` (may be any integer)."""
        i = bisect.bisect_right(self._adjust_at, ordinal)
        return _weekdays_upto(ordinal) + (self._prefix[i - 1] if i else 0)

    def _first_reaching(self, target: int) -> int:
        """The smallest ordinal x with cum(x) >= target; always a working day."""
        j = bisect.bisect_left(self._cum_at, target)
        shift = self._prefix[j - 1] if j else 0
        candidate = _weekdays_inverse(target - shift)
        if j < len(self._adjust_at):
            candidate = min(candidate, self._adjust_at[j])
        return candidate

    def _is_workday_ordinal(self, ordinal: int) -> bool:
        override = self._overrides.get(ordinal)
        if override is not None:
            return override.kind is DayKind.MAKEUP_WORKDAY
        return _is_weekday(ordinal)

    def _provisional(self, first_year: int, last_year: int) -> bool:
        """Whether any year in [first_year, last_year] has no data."""
        if last_year < first_year:
            return False
        lo = bisect.bisect_left(self._known_years, first_year)
        hi = bisect.bisect_right(self._known_years, last_year)
        return hi - lo != last_year - first_year + 1

    # -- questions about one day -----------------------------------------------------------

    @property
    def known_years(self) -> tuple[int, ...]:
        return tuple(self._known_years)

    def is_known_year(self, year: int) -> bool:
        return not self._provisional(year, year)

    def is_workday(self, day: dt.date) -> bool:
        return self._is_workday_ordinal(day.toordinal())

    def day_info(self, day: dt.date) -> DayInfo:
        provisional = self._provisional(day.year, day.year)
        override = self._overrides.get(day.toordinal())
        if override is not None:
            return DayInfo(day, override.kind, override.name, provisional)
        kind = DayKind.WORKDAY if day.weekday() < 5 else DayKind.WEEKEND
        return DayInfo(day, kind, None, provisional)

    def next_workday(self, day: dt.date, *, include_self: bool = True) -> Deadline:
        """The first working day on or after `day` (strictly after if not `include_self`).

        An online submission on a non-working day is accepted on `next_workday(day)`.
        """
        ordinal = day.toordinal()
        base = self._cum(ordinal - 1 if include_self else ordinal)
        found = self._first_reaching(base + 1)
        first = ordinal if include_self else ordinal + 1
        return Deadline(_date(found), self._provisional(_year_of(first), _year_of(found)))

    # -- working-day limits ----------------------------------------------------------------

    def add_workdays(
        self, start: dt.date, workdays: int, *, count_start_day: bool = False
    ) -> Deadline:
        """The last day of a limit of `workdays` working days starting at `start`.

        `workdays == 0` (即办件): `start` if it is a working day, else the next one.
        Raises `CalendarOverflow` if the deadline would fall after 9999-12-31.
        """
        if workdays < 0:
            raise ValueError("workdays must be >= 0")
        if workdays == 0:
            return self.next_workday(start, include_self=True)
        ordinal = start.toordinal()
        first = ordinal if count_start_day else ordinal + 1
        found = self._first_reaching(self._cum(first - 1) + workdays)
        return Deadline(_date(found), self._provisional(_year_of(first), _year_of(found)))

    def count_workdays(
        self, start: dt.date, end: dt.date, *, count_start_day: bool = False
    ) -> WorkdayCount:
        """Working days elapsed from `start` up to and including `end`.

        The counted period is (start, end], or [start, end] with `count_start_day`; an
        empty period (end before it starts) counts 0. For n ≥ 1,
        `count_workdays(s, add_workdays(s, n)) == n`.
        """
        first = start.toordinal() if count_start_day else start.toordinal() + 1
        last = end.toordinal()
        if last < first:
            return WorkdayCount(0, False)
        count = self._cum(last) - self._cum(first - 1)
        return WorkdayCount(count, self._provisional(_year_of(first), end.year))

    # -- natural-day limits ----------------------------------------------------------------

    def add_natural_days(
        self, start: dt.date, days: int, *, count_start_day: bool = False
    ) -> Deadline:
        """The last day of a limit of `days` natural days (民法典 §201, §203).

        The last day is `start + days` (`start + days - 1` when the start day counts); if
        that is not a working day, the limit ends on the next working day.
        """
        if days < 0:
            raise ValueError("days must be >= 0")
        last = start.toordinal() + days - (1 if count_start_day and days > 0 else 0)
        return self.next_workday(_date(last), include_self=True)


def _year_of(ordinal: int) -> int:
    """The year of an ordinal, clamped to the date range (for provisional checks)."""
    return _date(min(max(ordinal, _MIN_ORDINAL), _MAX_ORDINAL)).year
