"""Queries of the working-day calendar.

`calendar_get()` builds the pure `WorkCalendar` from the tables once per process and
reuses it while the `CalendarRevision` token is unchanged (one primary-key read per
call), so an edit made through any app server is seen by all of them at their next call.
Callers computing many deadlines should call it once and reuse the calendar.
"""

from __future__ import annotations

import datetime as dt
import threading

from django.conf import settings

from yichuang.workdays.calendar import DayInfo, Deadline, Override, WorkCalendar, WorkdayCount
from yichuang.workdays.models import CalendarRevision, CalendarYear, DayOverride

_lock = threading.Lock()
_cached: tuple[str, WorkCalendar] | None = None


def calendar_revision() -> str:
    """The current revision token ("" on a database where the seed has not run)."""
    token = (
        CalendarRevision.objects.filter(id=CalendarRevision.SINGLETON_ID)
        .values_list("token", flat=True)
        .first()
    )
    return token or ""


def calendar_build() -> WorkCalendar:
    """A fresh calendar from the tables (no cache)."""
    overrides = {
        day: Override(kind, name)
        for day, kind, name in DayOverride.objects.values_list("date", "kind", "name")
    }
    known_years = CalendarYear.objects.values_list("year", flat=True)
    return WorkCalendar(overrides=overrides, known_years=list(known_years))


def calendar_get() -> WorkCalendar:
    """The current calendar, cached in-process and checked against the revision token."""
    global _cached
    token = calendar_revision()  # read before the data: a later edit only forces a rebuild
    cached = _cached
    if cached is not None and cached[0] == token and token:
        return cached[1]
    with _lock:
        calendar = calendar_build()
        _cached = (token, calendar)
    return calendar


def count_start_day_default() -> bool:
    """The setting YICHUANG["COUNT_START_DAY"] (民法典 §201: the start day is not counted)."""
    return bool(settings.YICHUANG.get("COUNT_START_DAY", False))


def workday_deadline(
    *, start: dt.date, workdays: int, count_start_day: bool | None = None
) -> Deadline:
    """The deadline of a limit of `workdays` working days accepted on `start`."""
    if count_start_day is None:
        count_start_day = count_start_day_default()
    return calendar_get().add_workdays(start, workdays, count_start_day=count_start_day)


def workdays_elapsed(
    *, start: dt.date, end: dt.date, count_start_day: bool | None = None
) -> WorkdayCount:
    """Working days counted from `start` up to and including `end`."""
    if count_start_day is None:
        count_start_day = count_start_day_default()
    return calendar_get().count_workdays(start, end, count_start_day=count_start_day)


def day_info_get(*, day: dt.date) -> DayInfo:
    return calendar_get().day_info(day)
