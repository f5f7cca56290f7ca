"""The end of a case: decision (准予/不予许可), result and conclusion (办结), withdrawal (撤回)."""

from __future__ import annotations

from typing import Any

from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from yichuang.cases import hooks
from yichuang.cases.errors import CaseConflict, CaseError, CaseForbidden
from yichuang.cases.history import case_event_record
from yichuang.cases.locks import case_lock
from yichuang.cases.models import Case, Decision, Delivery, Outcome, Result
from yichuang.cases.selectors import case_not_found, cases_visible_to
from yichuang.cases.services._base import (
    acts_for_applicant,
    open_work_close,
    staff_acting,
    status_move,
)
from yichuang.cases.workflow import Actor, Status, transition_check
from yichuang.common import clock
from yichuang.orgs.models import Role, Staff
from yichuang.orgs.selectors import staff_for_user

DECIDED = frozenset({Status.APPROVED, Status.REFUSED})


def decider_check(user: Any, *, case: Case, window_officer: bool = False) -> Staff:
    """Who may decide a case, or (`window_officer=True`) issue its result.

    An immediate item (即办件, still `accepted`) is decided by a window officer of the
    case's centre, and results are handed out at the centre's windows. Otherwise: a leader
    of the case's centre or a centre above it, or a reviewer of a department that had a
    task in the case. Anyone who cannot see the case gets "not found"; a staff member who
    can see it without such a role gets 403.
    """
    member = staff_for_user(user)
    if member is None or not cases_visible_to(user).filter(pk=case.pk).exists():
        raise case_not_found()
    if case.status == Status.ACCEPTED:
        return staff_acting(user, centre=case.centre)
    roles = member.role_set()
    if window_officer and member.centre_id == case.centre_id and Role.WINDOW_OFFICER in roles:
        return member
    leader = Role.LEADER in roles and case.centre.path.startswith(member.centre.path)
    reviewer = (
        Role.REVIEWER in roles
        and member.department_id is not None
        and case.tasks.filter(department_id=member.department_id).exists()
    )
    if not (leader or reviewer):
        raise CaseForbidden(code="not_decider", message=_("只有审批部门人员或中心领导可以作出决定"))
    return member


def case_decide(*, user: Any, case: Case, outcome: str, reason: str = "") -> Case:
    """准予许可 or 不予许可 (with the reason, which the applicant is given in writing)."""
    if outcome not in Outcome.values:
        raise CaseError(code="outcome_unknown", message=_("决定只能是准予许可或不予许可"))
    reason = reason.strip()
    if outcome == Outcome.REFUSED and not reason:
        raise CaseError(code="reason_required", message=_("请填写不予许可的理由"), field="reason")
    decider_check(user, case=case)
    to_status = Status.APPROVED if outcome == Outcome.APPROVED else Status.REFUSED
    transition_check(from_status=case.status, to_status=to_status, by=Actor.STAFF)
    try:
        with transaction.atomic():
            locked = case_lock(case_id=case.pk)
            transition_check(from_status=locked.status, to_status=to_status, by=Actor.STAFF)
            decision = Decision.objects.create(
                case=locked, outcome=outcome, reason=reason, decided_by=user, decided_at=clock.now()
            )
            open_work_close(case=locked)
            status_move(
                case=locked,
                to_status=to_status,
                by=Actor.STAFF,
                user=user,
                kind="decided",
                reason=reason,
                data={"outcome": outcome, "decision": decision.pk},
            )
            hooks.hooks_schedule(event=hooks.DECIDED, case_id=locked.pk)
    except IntegrityError as error:  # a second decision raced the first one
        raise CaseConflict(code="already_decided", message=_("该办件已作出决定")) from error
    return locked


def case_conclude(
    *,
    user: Any,
    case: Case,
    result_name: str = "",
    result_number: str = "",
    delivery: str = Delivery.PICKUP,
    tracking_number: str = "",
) -> Case:
    """Issue the result (name, number, how it reaches the applicant) and conclude (办结).

    An approval's result is held while materials accepted as pending (容缺) are not all
    in (RULES.md §4). Delivery by post needs the tracking number.
    """
    if delivery not in Delivery.values:
        raise CaseError(code="delivery_unknown", message=_("送达方式无效"), field="delivery")
    if delivery == Delivery.POST and not tracking_number.strip():
        raise CaseError(
            code="tracking_number_required",
            message=_("邮寄送达须填写快递单号"),
            field="tracking_number",
        )
    if case.status not in DECIDED:
        raise CaseError(code="not_decided", message=_("办件尚未作出决定，不能办结"))
    decider_check(user, case=case, window_officer=True)
    with transaction.atomic():
        locked = case_lock(case_id=case.pk)
        transition_check(from_status=locked.status, to_status=Status.CONCLUDED, by=Actor.SYSTEM)
        approved = locked.status == Status.APPROVED
        if approved and locked.commitments.filter(fulfilled_at__isnull=True).exists():
            raise CaseError(
                code="materials_pending",
                message=_("容缺材料尚未补齐，暂不能出具办理结果"),
            )
        name = result_name.strip() or (
            locked.item_version.result_name if approved else _("不予行政许可决定书")
        )
        if not name:
            raise CaseError(
                code="result_name_required", message=_("请填写结果名称"), field="result_name"
            )
        now = clock.now()
        result = Result.objects.create(
            case=locked,
            name=name,
            number=result_number.strip(),
            delivery=delivery,
            tracking_number=tracking_number.strip(),
            delivered_at=now,
        )
        case_event_record(
            case=locked,
            actor=user,
            actor_kind=Actor.STAFF,
            kind="result_issued",
            data={
                "name": result.name,
                "number": result.number,
                "delivery": delivery,
                "tracking_number": result.tracking_number,
            },
        )
        locked.concluded_at = now
        locked.save(update_fields=["concluded_at", "updated_at"])
        status_move(
            case=locked, to_status=Status.CONCLUDED, by=Actor.SYSTEM, user=None, kind="concluded"
        )
        hooks.hooks_schedule(event=hooks.CONCLUDED, case_id=locked.pk)
    return locked


def case_withdraw(*, user: Any, case: Case, reason: str = "") -> Case:
    """撤回: the applicant (or their agent) withdraws before the decision. Open review
    tasks are cancelled and a running suspension ends."""
    if not acts_for_applicant(user, case=case):
        raise case_not_found()
    transition_check(from_status=case.status, to_status=Status.WITHDRAWN, by=Actor.APPLICANT)
    with transaction.atomic():
        locked = case_lock(case_id=case.pk)
        transition_check(from_status=locked.status, to_status=Status.WITHDRAWN, by=Actor.APPLICANT)
        open_work_close(case=locked)
        status_move(
            case=locked,
            to_status=Status.WITHDRAWN,
            by=Actor.APPLICANT,
            user=user,
            kind="withdrawn",
            reason=reason.strip(),
        )
        hooks.hooks_schedule(event=hooks.WITHDRAWN, case_id=locked.pk)
    return locked
