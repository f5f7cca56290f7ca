"""Due dates and warning lights of cases and tasks, from their stored facts (RULES.md §1).

The arithmetic is `cases.deadlines` (pure); this module gathers its inputs from the
database: the acceptance date and the item version's promised limit, every suspension of
the case, the approved extensions, and the calendar. `case_due_refresh` rewrites the
stored due dates (kept for inbox ordering) after a change to one of these inputs. The
lights are computed on the day they are read — no periodic job — and so are the due dates
they use: a running suspension moves a due date every day.

Extensions: an extension approved for a task (a department asked for more time, a leader
approved it, the applicant was told the new date) lengthens both that task's limit and
the case's limit (行政许可法 §42 extends the time limit of the case); one without a task
lengthens the case's limit only.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass

from django.conf import settings

from yichuang.cases import deadlines
from yichuang.cases.models import (
    Case,
    Extension,
    ExtensionStatus,
    Suspension,
    Task,
    TaskStatus,
)
from yichuang.cases.workflow import CLOCK_RUNNING, Status
from yichuang.catalog.models import HandlingKind
from yichuang.common import clock
from yichuang.workdays.calendar import WorkCalendar
from yichuang.workdays.selectors import calendar_get, count_start_day_default

OPEN_TASK_STATUSES = frozenset({TaskStatus.PENDING, TaskStatus.CORRECTION_REQUESTED})


def promised_workdays(*, case: Case) -> int:
    """The promised limit of the case's item version (0 for an immediate item, 即办件)."""
    version = case.item_version
    return 0 if version.handling_kind == HandlingKind.IMMEDIATE else version.promised_limit


def _periods(suspensions: list[Suspension]) -> list[deadlines.Period]:
    return [deadlines.Period(s.started_on, s.ended_on) for s in suspensions]


@dataclass(frozen=True)
class ClockFacts:
    """What moves a case's clock besides its acceptance date and its item's limit."""

    suspensions: list[Suspension]
    extensions: list[tuple[int | None, int]]  # approved: (task id, working days)


_FACTS = "_yichuang_clock_facts"


def clock_facts_load(cases: Iterable[Case]) -> None:
    """Read the suspensions and approved extensions of many cases in two queries and keep
    them on each case, for the lights of a list.

    Cheaper than `prefetch_related("suspensions", "extensions")` on a page of rows:
    Django's prefetch builds two related querysets per row, which cost a busy list (the
    department inbox) about a third of its time (bench/README.md).
    """
    cases = [case for case in cases if _FACTS not in case.__dict__]
    if not cases:
        return
    ids = {case.pk for case in cases}
    suspensions: dict[int, list[Suspension]] = defaultdict(list)
    for suspension in Suspension.objects.filter(case_id__in=ids):  # in the model's order
        suspensions[suspension.case_id].append(suspension)
    extensions: dict[int, list[tuple[int | None, int]]] = defaultdict(list)
    approved = Extension.objects.filter(case_id__in=ids, status=ExtensionStatus.APPROVED)
    for case_id, task_id, workdays in approved.values_list("case_id", "task_id", "workdays"):
        extensions[case_id].append((task_id, workdays))
    for case in cases:
        case.__dict__[_FACTS] = ClockFacts(suspensions[case.pk], extensions[case.pk])


def _suspensions(case: Case) -> list[Suspension]:
    facts = case.__dict__.get(_FACTS)
    if facts is not None:
        return facts.suspensions
    return list(case.suspensions.all())  # uses a prefetch when the caller made one


def _approved_extensions(case: Case) -> list[tuple[int | None, int]]:
    """(task id, working days) of every approved extension of the case."""
    facts = case.__dict__.get(_FACTS)
    if facts is not None:
        return facts.extensions
    return [
        (e.task_id, e.workdays)
        for e in case.extensions.all()
        if e.status == ExtensionStatus.APPROVED
    ]


def _task_periods(task: Task, suspensions: list[Suspension]) -> list[deadlines.Period]:
    """The suspensions that overlap the task's time (any still running, or ending after it
    started)."""
    return _periods([s for s in suspensions if s.ended_on is None or s.ended_on >= task.started_on])


def case_deadline(
    *,
    case: Case,
    today: dt.date,
    calendar: WorkCalendar | None = None,
    suspensions: list[Suspension] | None = None,
    extensions: list[tuple[int | None, int]] | None = None,
) -> deadlines.Deadline | None:
    """The case's due date on `today` (None before acceptance)."""
    if case.accepted_on is None:
        return None
    suspensions = _suspensions(case) if suspensions is None else suspensions
    extensions = _approved_extensions(case) if extensions is None else extensions
    return deadlines.case_due(
        accepted_on=case.accepted_on,
        promised_workdays=promised_workdays(case=case),
        suspensions=_periods(suspensions),
        extension_workdays=sum(days for _task, days in extensions),
        today=today,
        calendar=calendar or calendar_get(),
        count_start_day=count_start_day_default(),
    )


def task_deadline(
    *,
    task: Task,
    today: dt.date,
    calendar: WorkCalendar | None = None,
    suspensions: list[Suspension] | None = None,
    extensions: list[tuple[int | None, int]] | None = None,
) -> deadlines.Deadline:
    """The task's due date on `today`: its limit plus the extensions approved for it, the
    clock stopped during the case's suspensions."""
    case = task.case
    suspensions = _suspensions(case) if suspensions is None else suspensions
    extensions = _approved_extensions(case) if extensions is None else extensions
    return deadlines.task_due(
        started_on=task.started_on,
        limit_workdays=task.limit_workdays + _task_extension(task, extensions),
        suspensions=_task_periods(task, suspensions),
        calendar=calendar or calendar_get(),
        today=today,
        count_start_day=count_start_day_default(),
    )


def _task_extension(task: Task, extensions: list[tuple[int | None, int]]) -> int:
    return sum(days for task_id, days in extensions if task_id == task.pk)


def case_due_refresh(*, case: Case) -> None:
    """Recompute and save the due dates of the case and of its open tasks (pending or
    waiting for a correction). Call it with the case row locked, after any change to the
    acceptance date, a suspension or an extension."""
    if case.accepted_on is None:
        return
    calendar, today = calendar_get(), clock.today()
    suspensions = list(Suspension.objects.filter(case_id=case.pk))
    extensions = [
        (task_id, days)
        for task_id, days in case.extensions.filter(status=ExtensionStatus.APPROVED).values_list(
            "task_id", "workdays"
        )
    ]
    due = case_deadline(
        case=case, today=today, calendar=calendar, suspensions=suspensions, extensions=extensions
    )
    if due is None:  # unreachable: the case is accepted
        return
    case.due_date, case.due_provisional = due.due, due.provisional
    case.save(update_fields=["due_date", "due_provisional", "updated_at"])
    for task in Task.objects.filter(case_id=case.pk, status__in=OPEN_TASK_STATUSES):
        task.case = case
        found = task_deadline(
            task=task,
            today=today,
            calendar=calendar,
            suspensions=suspensions,
            extensions=extensions,
        )
        if (task.due_date, task.due_provisional) != (found.due, found.provisional):
            task.due_date, task.due_provisional = found.due, found.provisional
            task.save(update_fields=["due_date", "due_provisional"])


# The statuses in which the case's clock runs or is stopped: the ones a light is about.
LIGHTED_STATUSES = CLOCK_RUNNING | {Status.SUSPENDED}


def _thresholds() -> dict[str, float]:
    return {
        "yellow_days_left": settings.YICHUANG["LIGHT_YELLOW_DAYS_LEFT"],
        "yellow_share_used": settings.YICHUANG["LIGHT_YELLOW_SHARE_USED"],
    }


def _light(
    *,
    due: dt.date,
    started_on: dt.date,
    total: int,
    periods: list[deadlines.Period],
    today: dt.date,
    calendar: WorkCalendar,
) -> deadlines.Light:
    """The light from a due date and the share of `total` working days used since
    `started_on` (suspended days not counted), with the thresholds of the settings."""
    used = deadlines.working_days_used(
        accepted_on=started_on,
        today=today,
        suspensions=periods,
        calendar=calendar,
        count_start_day=count_start_day_default(),
    )
    return deadlines.light(
        due=due,
        today=today,
        total_workdays=total,
        calendar=calendar,
        used_workdays=used,
        **_thresholds(),
    )


def case_light(
    *, case: Case, today: dt.date, calendar: WorkCalendar | None = None
) -> deadlines.Light | None:
    """The warning light of an open case on `today`: accepted, in review, suspended or
    waiting for the decision. None before acceptance and once decided or closed.

    Computed from the facts, not from the stored due date, so a running suspension is
    counted up to today.
    """
    if case.accepted_on is None or case.status not in LIGHTED_STATUSES:
        return None
    calendar = calendar or calendar_get()
    suspensions, extensions = _suspensions(case), _approved_extensions(case)
    due = case_deadline(
        case=case, today=today, calendar=calendar, suspensions=suspensions, extensions=extensions
    )
    if due is None:  # unreachable: the case is accepted
        return None
    total = max(promised_workdays(case=case), 1) + sum(days for _task, days in extensions)
    return _light(
        due=due.due,
        started_on=case.accepted_on,
        total=total,
        periods=_periods(suspensions),
        today=today,
        calendar=calendar,
    )


def task_light(
    *, task: Task, today: dt.date, calendar: WorkCalendar | None = None
) -> deadlines.Light | None:
    """The warning light of an open task on `today` (None once it is decided or cancelled).

    Exceeding a task's limit is a violation even when the case is still in time (RULES.md
    §1), so a task has its own light.
    """
    if task.status not in OPEN_TASK_STATUSES:
        return None
    calendar = calendar or calendar_get()
    suspensions, extensions = _suspensions(task.case), _approved_extensions(task.case)
    due = task_deadline(
        task=task, today=today, calendar=calendar, suspensions=suspensions, extensions=extensions
    )
    total = max(task.limit_workdays, 1) + _task_extension(task, extensions)
    return _light(
        due=due.due,
        started_on=task.started_on,
        total=total,
        periods=_task_periods(task, suspensions),
        today=today,
        calendar=calendar,
    )
