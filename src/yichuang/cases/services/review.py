"""Department review (联审联办): stages of parallel tasks, correction, special procedures,
extensions and deemed consent (RULES.md §1, 行政许可法 §42, §45).

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
from collections.abc import Sequence
from typing import Any

from django.db import IntegrityError, transaction
from django.db.models import Count, Exists, OuterRef, QuerySet, Sum
from django.utils.translation import gettext as _

from yichuang.cases import deadlines, hooks
from yichuang.cases.errors import CaseConflict, CaseError, CaseForbidden
from yichuang.cases.history import case_event_record
from yichuang.cases.locks import case_lock
from yichuang.cases.models import (
    Case,
    Decision,
    Extension,
    ExtensionStatus,
    NoticeKind,
    Outcome,
    Stage,
    StageOutcome,
    Suspension,
    SuspensionKind,
    Task,
    TaskStatus,
)
from yichuang.cases.services._base import (
    acts_for_applicant,
    case_not_found,
    notice_issue,
    staff_acting,
    status_move,
)
from yichuang.cases.services.timing import case_deadline, case_due_refresh, task_deadline
from yichuang.cases.workflow import CLOCK_RUNNING, Actor, Status
from yichuang.catalog.models import Material, ProcessStageTask, RejectionPolicy
from yichuang.common import clock
from yichuang.orgs.models import Role, Staff
from yichuang.orgs.selectors import staff_for_user
from yichuang.workdays.selectors import calendar_get

# 行政许可法 §42: +10 working days with the head's approval; joint or centralised handling
# (a stage with several departments) +15.
EXTENSION_MAX_WORKDAYS = 10
EXTENSION_MAX_WORKDAYS_JOINT = 15

# Special procedures a reviewer may start (§45). A correction is asked for with
# `task_request_correction`; pending materials overdue are the acceptance's business.
SPECIAL_PROCEDURES = frozenset(SuspensionKind) - {
    SuspensionKind.CORRECTION,
    SuspensionKind.PENDING_MATERIALS,
}


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


def _task_locked(task: Task) -> tuple[Case, Task]:
    """Lock the task's case, then re-read the task under the lock."""
    case = case_lock(case_id=task.case_id)
    fresh = Task.objects.select_related("stage", "department").get(pk=task.pk)
    fresh.case = case
    return case, fresh


def _pending_check(task: Task) -> None:
    if task.status != TaskStatus.PENDING:
        raise CaseConflict(
            code="task_not_pending",
            message=_("该审批任务已办理，不能再次办理"),
            details={"status": task.status},
        )


def _in_review_check(case: Case) -> None:
    if case.status != Status.IN_REVIEW:
        raise CaseConflict(
            code="case_not_in_review",
            message=_("办件当前为“%(status)s”，不能办理审批任务")
            % {"status": Status(case.status).label},
            details={"status": case.status},
        )


def _reason(reason: str, *, code: str = "reason_required", message: str | None = None) -> str:
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


def _task_data(task: Task, **extra: Any) -> dict[str, Any]:
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
        case, task = _task_locked(task)
        _pending_check(task)
        _in_review_check(case)
        task.status, task.decided_at, task.decided_by = TaskStatus.APPROVED, clock.now(), user
        task.opinion = (opinion or "").strip()
        task.save(update_fields=["status", "decided_at", "decided_by", "opinion"])
        case_event_record(
            case=case,
            actor=user,
            actor_kind=Actor.STAFF,
            kind="task_approved",
            data=_task_data(task, opinion=task.opinion),
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
    reason = _reason(reason, message=_("请填写不同意的理由"))
    with transaction.atomic():
        case, task = _task_locked(task)
        _pending_check(task)
        _in_review_check(case)
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
            data=_task_data(task, cancelled=cancelled),
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
            data=_task_data(task, outcome=Outcome.REFUSED),
        )
        hooks.hooks_schedule(event=hooks.DECIDED, case_id=case.pk)
    return task


# -- correction during review (补正) -------------------------------------------------------


def _suspension_create(**fields: Any) -> Suspension:
    """Open a suspension; a concurrent one already open is a conflict, not a 500."""
    try:
        with transaction.atomic():
            return Suspension.objects.create(**fields)
    except IntegrityError as exc:
        raise CaseConflict(code="suspension_open", message=_("该办件已有进行中的暂停计时")) from exc


def resume_after(*, case: Case, suspension: Suspension) -> None:
    """After a suspension ended: new due dates, back to the status it interrupted."""
    case_due_refresh(case=case)
    status_move(
        case=case,
        to_status=suspension.resume_status or Status.IN_REVIEW,
        by=Actor.SYSTEM,
        user=None,
        kind="resumed",
        data={
            "suspension": suspension.pk,
            "kind": suspension.kind,
            "due_date": case.due_date,
            "due_provisional": case.due_provisional,
        },
    )
    hooks.hooks_schedule(event=hooks.RESUMED, case_id=case.pk)


def task_request_correction(
    *, user: Any, task: Task, items: Sequence[tuple[Material | None, str]]
) -> Task:
    """补正 during review: the department tells the applicant what to correct or supply.

    Each item is a catalogue material of the case's item (or None for something else) and
    a note. The clock stops (a correction suspension) until the supplement is handed in.
    """
    reviewer_for_task(user, task=task)
    if not items:
        raise CaseError(
            code="correction_items_required",
            message=_("请列出需要补正的内容"),
            field="items",
        )
    for material, note in items:
        if material is not None and material.version_id != task.case.item_version_id:
            raise CaseError(
                code="material_not_of_item", message=_("该材料不属于本事项"), field="items"
            )
        if not (note or "").strip():
            raise CaseError(
                code="correction_note_required",
                message=_("请说明每项材料需要补正的内容"),
                field="items",
            )
    with transaction.atomic():
        case, task = _task_locked(task)
        _pending_check(task)
        _in_review_check(case)
        body_items = [
            {
                "material": material.pk if material else None,
                "name": material.name if material else "",
                "note": note.strip(),
            }
            for material, note in items
        ]
        notice = notice_issue(
            case=case,
            kind=NoticeKind.CORRECTION,
            user=user,
            body={"items": body_items, "department": task.department.name},
        )
        today = clock.today()
        suspension = _suspension_create(
            case=case,
            task=task,
            kind=SuspensionKind.CORRECTION,
            reason="；".join(
                f"{item['name']}：{item['note']}" if item["name"] else item["note"]
                for item in body_items
            ),
            started_on=today,
            resume_status=case.status,
            started_by=user,
        )
        task.status, task.decided_at, task.decided_by = (
            TaskStatus.CORRECTION_REQUESTED,
            clock.now(),
            user,
        )
        task.save(update_fields=["status", "decided_at", "decided_by"])
        status_move(
            case=case,
            to_status=Status.SUSPENDED,
            by=Actor.STAFF,
            user=user,
            kind="correction_requested",
            data=_task_data(task, notice=notice.number, items=body_items, suspension=suspension.pk),
        )
        case_due_refresh(case=case)
        hooks.hooks_schedule(event=hooks.CORRECTION_REQUESTED, case_id=case.pk)
    return task


def case_supplement_submit(*, user: Any, case: Case) -> Case:
    """The supplement asked for by a correction notice is handed in: the clock restarts.

    Declared by the applicant (or agent) or by a window officer of the case's centre, once
    at least one material was uploaded after the notice. The correction's suspension ends
    on the day the supplements arrive as received (the next working day when they arrive on
    a non-working day), so the clock restarts the day after (RULES.md §1); the task waits
    for its department again.
    """
    if acts_for_applicant(user, case=case):
        by = Actor.APPLICANT
    else:
        staff_acting(user, centre=case.centre)
        by = Actor.STAFF
    with transaction.atomic():
        locked = case_lock(case_id=case.pk)
        suspension = (
            Suspension.objects.filter(
                case=locked, ended_on__isnull=True, kind=SuspensionKind.CORRECTION
            )
            .select_related("task__department", "task__stage")
            .first()
        )
        if locked.status != Status.SUSPENDED or suspension is None:
            raise CaseConflict(code="no_correction_pending", message=_("该办件没有待补正的内容"))
        notice = locked.notices.filter(kind=NoticeKind.CORRECTION).order_by("-issued_at").first()
        supplements = locked.materials.all()
        if notice is not None:
            supplements = supplements.filter(uploaded_at__gt=notice.issued_at)
        if not supplements.exists():
            raise CaseError(
                code="supplement_missing",
                message=_("请先上传补正材料"),
            )
        today = clock.today()
        suspension.ended_on = deadlines.restart_after_correction(
            supplements_received_on=today, calendar=calendar_get()
        )
        suspension.save(update_fields=["ended_on"])
        task = suspension.task
        if task is not None and task.status == TaskStatus.CORRECTION_REQUESTED:
            task.status, task.decided_at, task.decided_by = TaskStatus.PENDING, None, None
            task.save(update_fields=["status", "decided_at", "decided_by"])
        case_event_record(
            case=locked,
            actor=user,
            actor_kind=by,
            kind="supplement_submitted",
            data={
                "notice": notice.number if notice else "",
                "materials": list(supplements.values_list("pk", flat=True)),
                "suspension": suspension.pk,
                "ended_on": suspension.ended_on,
            },
        )
        resume_after(case=locked, suspension=suspension)
    return locked


# -- special procedures (特别程序, 行政许可法 §45) -----------------------------------------


def case_suspend(*, user: Any, task: Task, kind: str, reason: str) -> Suspension:
    """A reviewer starts a special procedure (hearing, testing, appraisal, expert review…):
    the clock stops and the applicant is told in writing."""
    reviewer_for_task(user, task=task)
    if kind not in SPECIAL_PROCEDURES:
        raise CaseError(
            code="suspension_kind_invalid",
            message=_("请选择特别程序的类型"),
            field="kind",
        )
    reason = _reason(reason, message=_("请填写暂停计时的原因"))
    with transaction.atomic():
        case, task = _task_locked(task)
        _pending_check(task)
        _in_review_check(case)
        today = clock.today()
        suspension = _suspension_create(
            case=case,
            task=task,
            kind=kind,
            reason=reason,
            started_on=today,
            resume_status=case.status,
            started_by=user,
        )
        label = str(SuspensionKind(kind).label)
        notice = notice_issue(
            case=case,
            kind=NoticeKind.SUSPENSION,
            user=user,
            body={
                "kind": kind,
                "kind_label": label,
                "reason": reason,
                "started_on": today.isoformat(),
            },
        )
        status_move(
            case=case,
            to_status=Status.SUSPENDED,
            by=Actor.STAFF,
            user=user,
            kind="suspended",
            reason=reason,
            data=_task_data(task, notice=notice.number, suspension=suspension.pk, procedure=kind),
        )
        case_due_refresh(case=case)
        hooks.hooks_schedule(event=hooks.SUSPENDED, case_id=case.pk)
    return suspension


def case_resume(*, user: Any, case: Case) -> Case:
    """End the running special procedure: the clock restarts the next day.

    By a reviewer of a department with a task in the case's current stage.
    """
    current = case.stages.order_by("-number").first()
    departments = set(current.tasks.values_list("department_id", flat=True)) if current else set()
    member = staff_for_user(user)
    if member is None or member.department_id not in departments:
        raise case_not_found()
    reviewer_for_department(user, department_id=member.department_id)
    with transaction.atomic():
        locked = case_lock(case_id=case.pk)
        suspension = Suspension.objects.filter(case=locked, ended_on__isnull=True).first()
        if (
            locked.status != Status.SUSPENDED
            or suspension is None
            or suspension.kind not in SPECIAL_PROCEDURES
        ):
            raise CaseConflict(code="no_special_procedure", message=_("该办件没有进行中的特别程序"))
        suspension.ended_on = clock.today()
        suspension.save(update_fields=["ended_on"])
        case_event_record(
            case=locked,
            actor=user,
            actor_kind=Actor.STAFF,
            kind="special_procedure_ended",
            data={
                "suspension": suspension.pk,
                "procedure": suspension.kind,
                "started_on": suspension.started_on,
                "ended_on": suspension.ended_on,
            },
        )
        resume_after(case=locked, suspension=suspension)
    return locked


# -- extensions (延期, 行政许可法 §42) ------------------------------------------------------


def extension_limit(*, case: Case) -> int:
    """Working days a case may be extended by: 15 for joint handling (a template stage with
    more than one department), 10 otherwise."""
    joint = (
        ProcessStageTask.objects.filter(version_id=case.item_version_id)
        .values("stage")
        .annotate(departments=Count("department", distinct=True))
        .filter(departments__gt=1)
        .exists()
    )
    return EXTENSION_MAX_WORKDAYS_JOINT if joint else EXTENSION_MAX_WORKDAYS


def _before_due_check(case: Case, *, today: dt.date) -> None:
    due = case_deadline(case=case, today=today)
    if due is None or today > due.due:
        raise CaseError(
            code="extension_too_late",
            message=_("办件已超过办结期限，不能延期"),
        )


def extension_request(*, user: Any, task: Task, workdays: int, reason: str) -> Extension:
    """A reviewer asks a leader for more working days, with the reason, before the case's
    due date has passed."""
    reviewer_for_task(user, task=task)
    reason = _reason(reason, message=_("请填写延期的理由"))
    if workdays < 1:
        raise CaseError(
            code="extension_workdays_invalid",
            message=_("延期天数至少为 1 个工作日"),
            field="workdays",
        )
    with transaction.atomic():
        case, task = _task_locked(task)
        _pending_check(task)
        today = clock.today()
        _before_due_check(case, today=today)
        if case.extensions.filter(status=ExtensionStatus.REQUESTED).exists():
            raise CaseConflict(code="extension_open", message=_("该办件已有待批准的延期申请"))
        limit = extension_limit(case=case)
        used = (
            case.extensions.filter(status=ExtensionStatus.APPROVED).aggregate(
                total=Sum("workdays")
            )["total"]
            or 0
        )
        if used + workdays > limit:
            raise CaseError(
                code="extension_too_long",
                message=_("延期合计不能超过 %(limit)d 个工作日（已延期 %(used)d 个工作日）")
                % {"limit": limit, "used": used},
                field="workdays",
                details={"limit": limit, "used": used},
            )
        try:
            with transaction.atomic():
                extension = Extension.objects.create(
                    case=case,
                    task=task,
                    workdays=workdays,
                    reason=reason,
                    requested_by=user,
                    requested_at=clock.now(),
                )
        except IntegrityError as exc:
            raise CaseConflict(
                code="extension_open", message=_("该办件已有待批准的延期申请")
            ) from exc
        case_event_record(
            case=case,
            actor=user,
            actor_kind=Actor.STAFF,
            kind="extension_requested",
            reason=reason,
            data=_task_data(task, extension=extension.pk, workdays=workdays),
        )
        hooks.hooks_schedule(event=hooks.EXTENSION_REQUESTED, case_id=case.pk)
    return extension


def leader_for_case(user: Any, *, case: Case) -> Staff:
    """The user's staff record if they are a leader of the case's centre or of a centre
    above it. Staff elsewhere get "not found"; staff there without the role, 403."""
    member = staff_for_user(user)
    if member is None or not case.centre.path.startswith(member.centre.path):
        raise case_not_found()
    if Role.LEADER not in member.role_set():
        raise CaseForbidden(code="not_leader", message=_("只有中心领导可以审批延期"))
    return member


def extension_decide(
    *, user: Any, extension: Extension, approve: bool, note: str = ""
) -> Extension:
    """A leader approves or refuses an extension request.

    Approved, it lengthens the case's (and the requesting task's) limit, and the applicant
    is told the reason and the new due date in writing (延期告知书), before the limit.
    """
    leader_for_case(user, case=extension.case)
    with transaction.atomic():
        case = case_lock(case_id=extension.case_id)
        extension = Extension.objects.select_related("task").get(pk=extension.pk)
        if extension.status != ExtensionStatus.REQUESTED:
            raise CaseConflict(
                code="extension_not_requested",
                message=_("该延期申请已审批"),
                details={"status": extension.status},
            )
        note = (note or "").strip()
        if not approve:
            extension.status, extension.decision_note = ExtensionStatus.REFUSED, note
            extension.save(update_fields=["status", "decision_note"])
            case_event_record(
                case=case,
                actor=user,
                actor_kind=Actor.STAFF,
                kind="extension_refused",
                reason=note,
                data={"extension": extension.pk, "workdays": extension.workdays},
            )
            return extension
        if case.status not in CLOCK_RUNNING | {Status.SUSPENDED}:
            raise CaseConflict(
                code="case_not_running",
                message=_("办件当前为“%(status)s”，不能延期")
                % {"status": Status(case.status).label},
                details={"status": case.status},
            )
        _before_due_check(case, today=clock.today())
        now = clock.now()
        extension.status, extension.decision_note = ExtensionStatus.APPROVED, note
        extension.approved_by, extension.approved_at = user, now
        extension.applicant_notified_at = now
        extension.save(
            update_fields=[
                "status",
                "decision_note",
                "approved_by",
                "approved_at",
                "applicant_notified_at",
            ]
        )
        case_due_refresh(case=case)
        notice = notice_issue(
            case=case,
            kind=NoticeKind.EXTENSION,
            user=user,
            body={
                "workdays": extension.workdays,
                "reason": extension.reason,
                "due_date": case.due_date.isoformat(),
            },
        )
        case_event_record(
            case=case,
            actor=user,
            actor_kind=Actor.STAFF,
            kind="extension_approved",
            reason=note,
            data={
                "extension": extension.pk,
                "workdays": extension.workdays,
                "notice": notice.number,
                "due_date": case.due_date,
                "due_provisional": case.due_provisional,
            },
        )
        hooks.hooks_schedule(event=hooks.EXTENSION_APPROVED, case_id=case.pk)
    return extension


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
            case, task = _task_locked(Task(pk=task_id, case_id=case_id))
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
                data=_task_data(task, due_date=task.due_date),
            )
            _stage_advance(case=case, stage=task.stage)
            approved += 1
    return approved
