"""Pending materials (容缺受理, RULES.md §4) after acceptance: supplied, or overdue.

- When the last material of a commitment is handed in, the commitment is fulfilled; a case
  suspended because the materials were late resumes.
- When the supplement deadline passes, the commitment is broken (the applicant is then
  excluded from acceptance with pending materials) and the case is suspended, then
  returned after `PENDING_RETURN_WORKDAYS` working days still without the materials — or,
  with `PENDING_OVERDUE_ACTION = "terminate"`, returned at once.

The daily sweep (`cases_sweep`, command `yichuang sweep-cases`) applies the deadlines; it is
idempotent, and each case is changed under its own row lock, so two sweeps at once (or a
sweep racing the applicant's upload) cannot act twice.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.conf import settings
from django.db import transaction
from django.db.models import Q
from django.utils.translation import gettext as _

from yichuang.cases import hooks
from yichuang.cases.history import case_event_record
from yichuang.cases.locks import case_lock
from yichuang.cases.models import Case, MaterialCommitment, Suspension, SuspensionKind
from yichuang.cases.services._base import open_work_close, status_move
from yichuang.cases.services.review import tasks_deem_consent
from yichuang.cases.services.suspensions import resume_after
from yichuang.cases.workflow import CLOCK_RUNNING, Actor, Status
from yichuang.common import clock
from yichuang.workdays.selectors import calendar_get


def commitments_check(*, case: Case, user: Any) -> None:
    """After a material was handed in (case row locked): fulfil every commitment whose
    materials are now all in, and resume a case suspended because they were late."""
    handed_in = set(case.materials.exclude(material=None).values_list("material_id", flat=True))
    open_commitments = case.commitments.filter(fulfilled_at__isnull=True).prefetch_related(
        "materials"
    )
    for commitment in open_commitments:
        needed = {m.pk for m in commitment.materials.all()}
        if not needed <= handed_in:
            continue
        commitment.fulfilled_at = clock.now()
        commitment.save(update_fields=["fulfilled_at"])
        case_event_record(
            case=case,
            actor=user,
            actor_kind=Actor.APPLICANT if hasattr(user, "applicant") else Actor.STAFF,
            kind="pending_supplied",
            data={"commitment": commitment.pk, "late": commitment.broken_at is not None},
        )
    if case.commitments.filter(fulfilled_at__isnull=True).exists():
        return
    suspension = case.suspensions.filter(
        kind=SuspensionKind.PENDING_MATERIALS, ended_on__isnull=True
    ).first()
    if suspension is None or case.status != Status.SUSPENDED:
        return
    suspension.ended_on = clock.today()
    suspension.save(update_fields=["ended_on"])
    resume_after(case=case, suspension=suspension)


# A commitment still binds while the case runs, is stopped, or is approved with its result
# held; a withdrawn, refused or closed case no longer needs the materials, so its
# commitment is never broken (a broken one excludes the applicant from 容缺 later).
BINDING_STATUSES = CLOCK_RUNNING | {Status.SUSPENDED, Status.APPROVED}


def _overdue_one(*, commitment_id: int, case_id: int, today: dt.date) -> bool:
    """Break one overdue commitment and suspend (or return) its case. True if acted."""
    with transaction.atomic():
        case = case_lock(case_id=case_id)
        commitment = MaterialCommitment.objects.select_for_update().get(pk=commitment_id)
        if commitment.fulfilled_at is not None or case.status not in BINDING_STATUSES:
            return False
        acted = False
        if commitment.broken_at is None:
            commitment.broken_at = clock.now()
            commitment.save(update_fields=["broken_at"])
            case_event_record(
                case=case,
                actor=None,
                actor_kind=Actor.SYSTEM,
                kind="pending_overdue",
                data={
                    "commitment": commitment.pk,
                    "supply_by": commitment.supply_by,
                    "materials": [m.name for m in commitment.materials.all()],
                },
            )
            acted = True
        if case.status not in CLOCK_RUNNING or case.suspensions.filter(ended_on=None).exists():
            # Decided, closed or stopped for another reason: the broken commitment is
            # recorded; a decided case's result stays held until the materials are in.
            return acted
        reason = _("容缺材料未在%(day)s前补齐") % {"day": commitment.supply_by.isoformat()}
        if settings.YICHUANG["PENDING_OVERDUE_ACTION"] == "terminate":
            _case_return(case=case, reason=reason)
            return True
        suspension = Suspension.objects.create(
            case=case,
            kind=SuspensionKind.PENDING_MATERIALS,
            reason=reason,
            started_on=today,
            resume_status=case.status,
        )
        status_move(
            case=case,
            to_status=Status.SUSPENDED,
            by=Actor.SYSTEM,
            user=None,
            kind="suspended",
            reason=reason,
            data={"suspension": suspension.pk, "kind": suspension.kind},
        )
        hooks.hooks_schedule(event=hooks.PENDING_OVERDUE, case_id=case.pk)
        return True


def _return_one(*, suspension_id: int, case_id: int, today: dt.date) -> bool:
    with transaction.atomic():
        case = case_lock(case_id=case_id)
        suspension = Suspension.objects.get(pk=suspension_id)
        if suspension.ended_on is not None or case.status != Status.SUSPENDED:
            return False
        days = settings.YICHUANG["PENDING_RETURN_WORKDAYS"]
        _case_return(
            case=case,
            reason=_("容缺材料逾期未补，暂停满%(days)d个工作日，退回申请") % {"days": days},
            data={"suspension": suspension.pk},
        )
        return True


def _case_return(*, case: Case, reason: str, data: dict[str, Any] | None = None) -> None:
    """退回: end the open work and return the case (case row locked)."""
    open_work_close(case=case)
    status_move(
        case=case,
        to_status=Status.RETURNED,
        by=Actor.SYSTEM,
        user=None,
        kind="returned",
        reason=reason,
        data=data,
    )
    hooks.hooks_schedule(event=hooks.RETURNED, case_id=case.pk)


def pending_deadlines_apply(*, today: dt.date) -> dict[str, int]:
    """Break overdue commitments, suspend their cases, return those suspended long enough."""
    overdue = MaterialCommitment.objects.filter(
        # newly overdue, or broken earlier while the case was stopped for another reason
        Q(broken_at__isnull=True, case__status__in=BINDING_STATUSES)
        | Q(case__status__in=CLOCK_RUNNING),
        fulfilled_at__isnull=True,
        supply_by__lt=today,
    ).order_by("case_id", "pk")
    suspended = 0
    for commitment_id, case_id in overdue.values_list("pk", "case_id"):
        suspended += _overdue_one(commitment_id=commitment_id, case_id=case_id, today=today)
    calendar, days = calendar_get(), settings.YICHUANG["PENDING_RETURN_WORKDAYS"]
    returned = 0
    running = Suspension.objects.filter(
        kind=SuspensionKind.PENDING_MATERIALS, ended_on__isnull=True, started_on__lt=today
    ).values_list("pk", "case_id", "started_on")
    for suspension_id, case_id, started_on in running:
        counted = calendar.count_workdays(started_on, today, count_start_day=False).workdays
        if counted >= days:
            returned += _return_one(suspension_id=suspension_id, case_id=case_id, today=today)
    return {"pending_overdue": suspended, "returned": returned}


def cases_sweep(*, today: dt.date) -> dict[str, int]:
    """The daily run: every deadline that changes a case by itself having passed."""
    counts = pending_deadlines_apply(today=today)
    counts["deemed_consent"] = tasks_deem_consent(today=today)
    return counts
