"""Warning lights of cases and tasks, computed from stored facts whenever they are shown.

A light is `None` when there is nothing to warn about: the case has no due date yet (not
accepted), or its clock no longer runs (decided, concluded, refused, withdrawn …). Otherwise
the due date is recomputed from the acceptance date, the item's promised limit, approved
extensions and the suspensions (a running suspension moves it day by day), and the light
comes from `deadlines.light` with the thresholds of the settings
`YICHUANG["LIGHT_YELLOW_DAYS_LEFT"]` and `YICHUANG["LIGHT_YELLOW_SHARE_USED"]`.

Reads `case.suspensions.all()` and `case.extensions.all()`: prefetch them when lighting many
cases at once.
"""

from __future__ import annotations

import datetime as dt

from django.conf import settings

from yichuang.cases import deadlines
from yichuang.cases.models import Case, ExtensionStatus, Task, TaskStatus
from yichuang.cases.selectors import OPEN_STATUSES
from yichuang.catalog.models import HandlingKind
from yichuang.workdays.calendar import WorkCalendar
from yichuang.workdays.selectors import calendar_get, count_start_day_default


def _thresholds() -> dict[str, float]:
    return {
        "yellow_days_left": settings.YICHUANG["LIGHT_YELLOW_DAYS_LEFT"],
        "yellow_share_used": settings.YICHUANG["LIGHT_YELLOW_SHARE_USED"],
    }


def _periods(case: Case) -> list[deadlines.Period]:
    return [deadlines.Period(start=s.started_on, end=s.ended_on) for s in case.suspensions.all()]


def case_promised_workdays(case: Case) -> int:
    """The promised limit of the case's item version (0 for an immediate item, 即办件)."""
    version = case.item_version
    return 0 if version.handling_kind == HandlingKind.IMMEDIATE else version.promised_limit


def case_light(
    *, case: Case, today: dt.date, calendar: WorkCalendar | None = None
) -> deadlines.Light | None:
    """The light of `case` on `today`; None when it has no due date or its clock stopped for
    good (see the module docstring). Pass `calendar` when lighting many cases."""
    if case.accepted_on is None or case.due_date is None or case.status not in OPEN_STATUSES:
        return None
    calendar = calendar or calendar_get()
    count_start_day = count_start_day_default()
    suspensions = _periods(case)
    promised = case_promised_workdays(case)
    extension = sum(
        e.workdays for e in case.extensions.all() if e.status == ExtensionStatus.APPROVED
    )
    due = deadlines.case_due(
        accepted_on=case.accepted_on,
        promised_workdays=promised,
        suspensions=suspensions,
        extension_workdays=extension,
        today=today,
        calendar=calendar,
        count_start_day=count_start_day,
    )
    used = deadlines.working_days_used(
        accepted_on=case.accepted_on,
        today=today,
        suspensions=suspensions,
        calendar=calendar,
        count_start_day=count_start_day,
    )
    return deadlines.light(
        due=due.due,
        today=today,
        total_workdays=promised + extension,
        calendar=calendar,
        used_workdays=used,
        **_thresholds(),
    )


def task_light(
    *, task: Task, today: dt.date, calendar: WorkCalendar | None = None
) -> deadlines.Light | None:
    """The light of a department task still pending on `today`; None once it is decided.

    The case's suspensions stop the task's clock too (`task.case.suspensions`)."""
    if task.status != TaskStatus.PENDING or task.due_date is None:
        return None
    calendar = calendar or calendar_get()
    count_start_day = count_start_day_default()
    suspensions = _periods(task.case)
    due = deadlines.task_due(
        started_on=task.started_on,
        limit_workdays=task.limit_workdays,
        suspensions=suspensions,
        calendar=calendar,
        today=today,
        count_start_day=count_start_day,
    )
    used = deadlines.working_days_used(
        accepted_on=task.started_on,
        today=today,
        suspensions=suspensions,
        calendar=calendar,
        count_start_day=count_start_day,
    )
    return deadlines.light(
        due=due.due,
        today=today,
        total_workdays=task.limit_workdays,
        calendar=calendar,
        used_workdays=used,
        **_thresholds(),
    )
