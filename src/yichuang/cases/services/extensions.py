"""Extensions (延期, 行政许可法 §42): a reviewer asks, a leader decides, the applicant is told
in writing before the limit; the due dates of the case and of the asking task move."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db import IntegrityError, transaction
from django.db.models import Count, Sum
from django.utils.translation import gettext as _

from yichuang.cases import hooks
from yichuang.cases.errors import CaseConflict, CaseError, CaseForbidden
from yichuang.cases.history import case_event_record
from yichuang.cases.locks import case_lock
from yichuang.cases.models import (
    Case,
    Extension,
    ExtensionStatus,
    NoticeKind,
    Task,
)
from yichuang.cases.services._base import (
    case_not_found,
    notice_issue,
)
from yichuang.cases.services.review import (
    reason_required,
    reviewer_for_task,
    task_event_data,
    task_locked,
    task_pending_check,
)
from yichuang.cases.services.timing import case_deadline, case_due_refresh
from yichuang.cases.workflow import CLOCK_RUNNING, Actor, Status
from yichuang.catalog.models import ProcessStageTask
from yichuang.common import clock
from yichuang.orgs.models import Role, Staff
from yichuang.orgs.selectors import staff_for_user

# 行政许可法 §42: +10 working days with the head's approval; joint or centralised handling
# (a stage with several departments) +15.
EXTENSION_MAX_WORKDAYS = 10
EXTENSION_MAX_WORKDAYS_JOINT = 15


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
    reason = reason_required(reason, message=_("请填写延期的理由"))
    if workdays < 1:
        raise CaseError(
            code="extension_workdays_invalid",
            message=_("延期天数至少为 1 个工作日"),
            field="workdays",
        )
    with transaction.atomic():
        case, task = task_locked(task)
        task_pending_check(task)
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
            data=task_event_data(task, extension=extension.pk, workdays=workdays),
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
