"""Department review (联审联办): stages of parallel tasks, approval, rejection and deemed
consent (RULES.md §1). Corrections and special procedures are in `suspensions`, extensions
in `extensions`; both use the access and locking helpers defined here.

A stage runs the rows of one stage of the item version's process template: one task per
department, in parallel. It completes when every task is approved, and the next template
stage starts the same day; after the last one the case waits for the decision. A rejection
refuses the case (不予许可) or, when the item says so, returns it to the previous stage.

Every action locks the case row first (`cases.locks.case_lock`) and re-reads the task
under the lock, so departments acting at the same moment are serialised per case: exactly
one of them sees the stage complete and starts the next one.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db import transaction
from django.db.models import Exists, OuterRef, QuerySet
from django.utils.translation import gettext as _

from yichuang.cases import hooks
from yichuang.cases.errors import CaseConflict, CaseError
from yichuang.cases.history import case_event_record
from yichuang.cases.locks import case_lock
from yichuang.cases.models import (
    Case,
    Decision,
    Outcome,
    Stage,
    StageOutcome,
    Task,
    TaskStatus,
)
from yichuang.cases.services._base import (
    case_not_found,
    open_work_close,
    status_move,
)
from yichuang.cases.services.timing import task_deadline
from yichuang.cases.workflow import Actor, Status
from yichuang.catalog.models import ProcessStageTask, RejectionPolicy
from yichuang.common import clock
from yichuang.orgs.models import Role, Staff
from yichuang.orgs.selectors import staff_for_user
from yichuang.workdays.selectors import calendar_get

# -- access --------------------------------------------------------------------------------


def reviewer_for_department(user: Any, *, department_id: int) -> Staff:
    """The user's staff record if they are a reviewer of that department.

    Anyone else — another department, another role, an applicant, nobody — gets "not
    found", the same answer as for a task that does not exist.
    """
    member = staff_for_user(user)
    if (
        member is None
        or member.department_id != department_id
        or Role.REVIEWER not in member.role_set()
    ):
        raise case_not_found()
    return member


def reviewer_for_task(user: Any, *, task: Task) -> Staff:
    """The user's staff record if they may act on `task` (a reviewer of its department)."""
    return reviewer_for_department(user, department_id=task.department_id)


def task_locked(task: Task) -> tuple[Case, Task]:
    """Lock the task's case, then re-read the task under the lock."""
    case = case_lock(case_id=task.case_id)
    fresh = Task.objects.select_related("stage", "department").get(pk=task.pk)
    fresh.case = case
    return case, fresh


def task_pending_check(task: Task) -> None:
    if task.status != TaskStatus.PENDING:
        raise CaseConflict(
            code="task_not_pending",
            message=_("该审批任务已办理，不能再次办理"),
            details={"status": task.status},
        )


def case_in_review_check(case: Case) -> None:
    if case.status != Status.IN_REVIEW:
        raise CaseConflict(
            code="case_not_in_review",
            message=_("办件当前为“%(status)s”，不能办理审批任务")
            % {"status": Status(case.status).label},
            details={"status": case.status},
        )


def reason_required(
    reason: str, *, code: str = "reason_required", message: str | None = None
) -> str:
    cleaned = (reason or "").strip()
    if not cleaned:
        raise CaseError(code=code, message=message or _("请填写理由"), field="reason")
    return cleaned


# -- stages --------------------------------------------------------------------------------


def _template_rows(*, case: Case, template_stage: int) -> list[ProcessStageTask]:
    return list(
        ProcessStageTask.objects.filter(version_id=case.item_version_id, stage=template_stage)
        .select_related("department")
        .order_by("id")
    )


def _template_stage_after(*, case: Case, template_stage: int) -> int | None:
    return (
        ProcessStageTask.objects.filter(version_id=case.item_version_id, stage__gt=template_stage)
        .order_by("stage")
        .values_list("stage", flat=True)
        .first()
    )


def _template_stage_before(*, case: Case, template_stage: int) -> int | None:
    return (
        ProcessStageTask.objects.filter(version_id=case.item_version_id, stage__lt=template_stage)
        .order_by("-stage")
        .values_list("stage", flat=True)
        .first()
    )


def stage_start(
    *,
    case: Case,
    template_stage: int | None = None,
    started_on: dt.date,
    user: Any = None,
) -> Stage | None:
    """Start a stage of the case's review: one task per department of that stage of the
    item version's process template, each with its limit and due date.

    `template_stage=None` starts the first stage of the template; an item without review
    stages then waits for the decision (the system moves the case to pending decision)
    and None is returned. The case row must be locked by the caller (`case` is the locked
    row). The stage is numbered after the case's last stage; an accepted case moves to in
    review (a system transition), otherwise the start is recorded as an event.
    """
    if template_stage is None:
        template_stage = (
            ProcessStageTask.objects.filter(version_id=case.item_version_id)
            .order_by("stage")
            .values_list("stage", flat=True)
            .first()
        )
        if template_stage is None:
            status_move(
                case=case,
                to_status=Status.PENDING_DECISION,
                by=Actor.SYSTEM,
                user=user,
                kind="no_review_stage",
            )
            return None
    rows = _template_rows(case=case, template_stage=template_stage)
    if not rows:
        raise ValueError(f"the process template has no stage {template_stage}")
    with transaction.atomic():
        last = case.stages.order_by("-number").values_list("number", flat=True).first()
        stage = Stage.objects.create(
            case=case,
            number=(last or 0) + 1,
            template_stage=template_stage,
            name=rows[0].stage_name,
            started_on=started_on,
        )
        calendar, today = calendar_get(), clock.today()
        tasks = []
        for row in rows:
            task = Task(
                stage=stage,
                case=case,
                department=row.department,
                limit_workdays=row.limit_workdays,
                started_on=started_on,
            )
            due = task_deadline(task=task, today=today, calendar=calendar)
            task.due_date, task.due_provisional = due.due, due.provisional
            tasks.append(task)
        Task.objects.bulk_create(tasks)
        data = {
            "stage": stage.number,
            "template_stage": template_stage,
            "name": stage.name,
            "started_on": started_on,
            "departments": [t.department.name for t in tasks],
            "due_dates": [t.due_date for t in tasks],
        }
        if case.status == Status.IN_REVIEW:
            case_event_record(
                case=case, actor=user, actor_kind=Actor.SYSTEM, kind="stage_started", data=data
            )
        else:
            status_move(
                case=case,
                to_status=Status.IN_REVIEW,
                by=Actor.SYSTEM,
                user=user,
                kind="stage_started",
                data=data,
            )
        hooks.hooks_schedule(event=hooks.STAGE_STARTED, case_id=case.pk)
    return stage


def _stage_advance(*, case: Case, stage: Stage) -> None:
    """Complete the stage when every task is approved, then start the next template stage
    the same day, or, after the last one, move the case to pending decision."""
    statuses = set(stage.tasks.values_list("status", flat=True))
    if statuses != {TaskStatus.APPROVED}:
        return
    stage.outcome, stage.completed_at = StageOutcome.APPROVED, clock.now()
    stage.save(update_fields=["outcome", "completed_at"])
    case_event_record(
        case=case,
        actor=None,
        kind="stage_completed",
        data={"stage": stage.number, "name": stage.name, "outcome": stage.outcome},
    )
    following = _template_stage_after(case=case, template_stage=stage.template_stage)
    if following is not None:
        stage_start(case=case, template_stage=following, started_on=clock.today())
        return
    status_move(
        case=case,
        to_status=Status.PENDING_DECISION,
        by=Actor.SYSTEM,
        user=None,
        kind="review_completed",
        data={"stages": case.stages.count()},
    )


def task_event_data(task: Task, **extra: Any) -> dict[str, Any]:
    return {
        "task": task.pk,
        "stage": task.stage.number,
        "department": task.department.name,
        **extra,
    }


def task_approve(*, user: Any, task: Task, opinion: str = "") -> Task:
    """A department approves its task; the last approval of a stage completes it."""
    reviewer_for_task(user, task=task)
    with transaction.atomic():
        case, task = task_locked(task)
        task_pending_check(task)
        case_in_review_check(case)
        task.status, task.decided_at, task.decided_by = TaskStatus.APPROVED, clock.now(), user
        task.opinion = (opinion or "").strip()
        task.save(update_fields=["status", "decided_at", "decided_by", "opinion"])
        case_event_record(
            case=case,
            actor=user,
            actor_kind=Actor.STAFF,
            kind="task_approved",
            data=task_event_data(task, opinion=task.opinion),
        )
        _stage_advance(case=case, stage=task.stage)
    return task


def _cancel_other_tasks(*, stage: Stage, keep: Task) -> list[str]:
    """Cancel the stage's other pending tasks; the names of their departments."""
    others = list(
        stage.tasks.filter(status=TaskStatus.PENDING)
        .exclude(pk=keep.pk)
        .select_related("department")
    )
    now = clock.now()
    for other in others:
        other.status, other.decided_at = TaskStatus.CANCELLED, now
        other.save(update_fields=["status", "decided_at"])
    return [other.department.name for other in others]


def task_reject(*, user: Any, task: Task, reason: str) -> Task:
    """A department rejects its task, with the reason.

    Per the item's rejection policy the case is refused (不予许可: a decision with the
    reason) or returned to the previous stage, which runs again as a new stage; a rejection
    in the first stage always refuses. The stage's other pending tasks are cancelled.
    """
    reviewer_for_task(user, task=task)
    reason = reason_required(reason, message=_("请填写不同意的理由"))
    with transaction.atomic():
        case, task = task_locked(task)
        task_pending_check(task)
        case_in_review_check(case)
        now = clock.now()
        task.status, task.decided_at, task.decided_by = TaskStatus.REJECTED, now, user
        task.opinion = reason
        task.save(update_fields=["status", "decided_at", "decided_by", "opinion"])
        cancelled = _cancel_other_tasks(stage=task.stage, keep=task)
        case_event_record(
            case=case,
            actor=user,
            actor_kind=Actor.STAFF,
            kind="task_rejected",
            reason=reason,
            data=task_event_data(task, cancelled=cancelled),
        )
        stage = task.stage
        previous = None
        if case.item_version.rejection_policy == RejectionPolicy.RETURN_TO_PREVIOUS_STAGE:
            previous = _template_stage_before(case=case, template_stage=stage.template_stage)
        if previous is not None:
            stage.outcome, stage.completed_at = StageOutcome.RETURNED, now
            stage.save(update_fields=["outcome", "completed_at"])
            case_event_record(
                case=case,
                actor=None,
                kind="stage_returned",
                reason=reason,
                data={"stage": stage.number, "name": stage.name, "to_template_stage": previous},
            )
            stage_start(case=case, template_stage=previous, started_on=clock.today())
            return task
        stage.outcome, stage.completed_at = StageOutcome.REJECTED, now
        stage.save(update_fields=["outcome", "completed_at"])
        open_work_close(case=case)
        Decision.objects.create(
            case=case, outcome=Outcome.REFUSED, reason=reason, decided_by=user, decided_at=now
        )
        status_move(
            case=case,
            to_status=Status.REFUSED,
            by=Actor.STAFF,
            user=user,
            kind="refused",
            reason=reason,
            data=task_event_data(task, outcome=Outcome.REFUSED),
        )
        hooks.hooks_schedule(event=hooks.DECIDED, case_id=case.pk)
    return task


# -- deemed consent on timeout (超时默认, local pilot) ---------------------------------------


def _deemed_consent_candidates(*, today: dt.date) -> QuerySet[Task]:
    option = ProcessStageTask.objects.filter(
        version_id=OuterRef("case__item_version_id"),
        stage=OuterRef("stage__template_stage"),
        department_id=OuterRef("department_id"),
        deemed_consent_on_timeout=True,
    )
    return Task.objects.filter(
        status=TaskStatus.PENDING, due_date__lt=today, case__status=Status.IN_REVIEW
    ).filter(Exists(option))


def tasks_deem_consent(*, today: dt.date) -> int:
    """Approve, as the system, every overdue pending task whose department the item marks
    for deemed consent on timeout (超时默认同意, off by default), of a case in review.

    Each task in its own transaction, re-checked under its case's lock, so running it again
    (or twice at once) approves nothing twice. Returns the number of tasks approved.
    """
    approved = 0
    candidates = _deemed_consent_candidates(today=today).order_by("id")
    for task_id, case_id in list(candidates.values_list("pk", "case_id")):
        with transaction.atomic():
            case, task = task_locked(Task(pk=task_id, case_id=case_id))
            if not _deemed_consent_candidates(today=today).filter(pk=task.pk).exists():
                continue
            task.status, task.decided_at, task.decided_by = TaskStatus.APPROVED, clock.now(), None
            task.deemed_consent, task.opinion = True, _("超时默认同意")
            task.save(
                update_fields=["status", "decided_at", "decided_by", "deemed_consent", "opinion"]
            )
            case_event_record(
                case=case,
                actor=None,
                kind="task_deemed_approved",
                data=task_event_data(task, due_date=task.due_date),
            )
            _stage_advance(case=case, stage=task.stage)
            approved += 1
    return approved
