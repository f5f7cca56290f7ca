"""Stopping the clock during review (RULES.md §1, 行政许可法 §45): a correction (补正) asked
by a department and its supplement, and the special procedures (特别程序: hearing, testing,
appraisal, expert review, …), each a suspension with kind, reason, start and end."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from yichuang.cases import deadlines, hooks
from yichuang.cases.errors import CaseConflict, CaseError
from yichuang.cases.history import case_event_record
from yichuang.cases.locks import case_lock
from yichuang.cases.models import (
    Case,
    NoticeKind,
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
from yichuang.cases.services.review import (
    case_in_review_check,
    reason_required,
    reviewer_for_department,
    reviewer_for_task,
    task_event_data,
    task_locked,
    task_pending_check,
)
from yichuang.cases.services.timing import case_due_refresh
from yichuang.cases.workflow import Actor, Status
from yichuang.catalog.models import Material
from yichuang.common import clock
from yichuang.orgs.selectors import staff_for_user
from yichuang.workdays.selectors import calendar_get

# Special procedures a reviewer may start (§45). A correction is asked for with
# `task_request_correction`; pending materials overdue are the acceptance's business.
SPECIAL_PROCEDURES = frozenset(SuspensionKind) - {
    SuspensionKind.CORRECTION,
    SuspensionKind.PENDING_MATERIALS,
}


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
        case, task = task_locked(task)
        task_pending_check(task)
        case_in_review_check(case)
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
            data=task_event_data(
                task, notice=notice.number, items=body_items, suspension=suspension.pk
            ),
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
    reason = reason_required(reason, message=_("请填写暂停计时的原因"))
    with transaction.atomic():
        case, task = task_locked(task)
        task_pending_check(task)
        case_in_review_check(case)
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
            data=task_event_data(
                task, notice=notice.number, suspension=suspension.pk, procedure=kind
            ),
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
