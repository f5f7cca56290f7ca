"""The day-by-day reference: the obvious, slow loop the indexed calendar must agree with.

Used as the oracle of the property tests and as the baseline of bench/calendar_index.py.
It reads the same (overrides, known years) and walks one day at a time.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping

from yichuang.workdays.calendar import DayKind, Deadline, Override, WorkdayCount

ONE_DAY = dt.timedelta(days=1)


class NaiveCalendar:
    def __init__(
        self,
        *,
        overrides: Mapping[dt.date, Override | tuple[str, str]],
        known_years: Iterable[int],
    ) -> None:
        self.overrides = {day: DayKind(kind) for day, (kind, _name) in overrides.items()}
        self.known_years = set(known_years)

    def is_workday(self, day: dt.date) -> bool:
        kind = self.overrides.get(day)
        if kind is not None:
            return kind is DayKind.MAKEUP_WORKDAY
        return day.weekday() < 5

    def _provisional(self, first: dt.date, last: dt.date) -> bool:
        return any(y not in self.known_years for y in range(first.year, last.year + 1))

    def add_workdays(
        self, start: dt.date, workdays: int, *, count_start_day: bool = False
    ) -> Deadline:
        day = start
        if workdays == 0:
            while not self.is_workday(day):
                day += ONE_DAY
            return Deadline(day, self._provisional(start, day))
        counted = 0
        if count_start_day and self.is_workday(day):
            counted = 1
        first = start if count_start_day else start + ONE_DAY
        while counted < workdays:
            day += ONE_DAY
            if self.is_workday(day):
                counted += 1
        return Deadline(day, self._provisional(first, day))

    def count_workdays(
        self, start: dt.date, end: dt.date, *, count_start_day: bool = False
    ) -> WorkdayCount:
        day = start if count_start_day else start + ONE_DAY
        first, counted = day, 0
        if end < first:
            return WorkdayCount(0, False)
        while day <= end:
            counted += self.is_workday(day)
            day += ONE_DAY
        return WorkdayCount(counted, self._provisional(first, end))
