"""Acceptance at a comprehensive window: accept, one-time notice, refusal (RULES.md §4)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import Any

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from yichuang.cases import deadlines, hooks
from yichuang.cases.errors import CaseConflict, CaseError
from yichuang.cases.locks import case_lock
from yichuang.cases.models import Case, MaterialCommitment, NoticeKind
from yichuang.cases.selectors import materials_missing
from yichuang.cases.services._base import notice_issue, staff_acting, status_move
from yichuang.cases.services.review import stage_start
from yichuang.cases.workflow import Actor, Status, transition_check
from yichuang.catalog.models import HandlingKind, Material
from yichuang.common import clock
from yichuang.identity.models import ApplicantKind
from yichuang.identity.validation import normalize
from yichuang.workdays.calendar import WorkCalendar
from yichuang.workdays.selectors import calendar_get, count_start_day_default


def _missing_details(missing: Sequence[Material]) -> list[dict[str, Any]]:
    return [{"material": m.pk, "name": m.name} for m in missing]


def received_on(*, case: Case) -> dt.date:
    """The day the complete materials arrived: the later of the submission and the last
    material handed in (after a one-time notice or a correction, acceptance counts from
    the day the complete materials arrive)."""
    moments = [case.submitted_at or clock.now()]
    last_upload = case.materials.order_by("-uploaded_at").values_list("uploaded_at", flat=True)
    if last_upload.first() is not None:
        moments.append(last_upload.first())
    return timezone.localtime(max(moments)).date()


def acceptance_on(*, received: dt.date, today: dt.date, calendar: WorkCalendar) -> dt.date:
    """The legal acceptance date of a case accepted `today` whose materials arrived on
    `received`: today (the next working day if today is not one), unless the 5-day period
    to decide has passed, in which case the day of receipt (itself moved to the next working
    day when the materials arrived online on a non-working day).

    行政许可法 §32: the decision to accept or not is made within the one-time notice period
    (setting ONE_TIME_NOTICE_DAYS, 5 working days); after it the case counts as accepted
    from the day of receipt."""
    from_receipt = deadlines.acceptance_date(received_on=received, calendar=calendar)
    latest = deadlines.one_time_notice_due(
        materials_received_on=received,
        calendar=calendar,
        notice_days=settings.YICHUANG["ONE_TIME_NOTICE_DAYS"],
    )
    if today > latest:
        return from_receipt
    return deadlines.acceptance_date(received_on=today, calendar=calendar)


def first_received_if_notice_late(*, case: Case, calendar: WorkCalendar) -> dt.date | None:
    """The day the materials were first received, when the first notice of what to
    correct or supply (one-time notice, or a correction asked for in pre-review) came
    after the one-time notice period: 行政许可法 §32, 逾期不告知的，自收到申请材料之日起即为受理.
    None when no such notice was given late."""
    first_notice = (
        case.notices.filter(kind__in=(NoticeKind.ONE_TIME, NoticeKind.CORRECTION))
        .order_by("issued_at")
        .values_list("issued_at", flat=True)
        .first()
    )
    first_receipt = (
        case.events.filter(to_status=Status.SUBMITTED)
        .order_by("seq")
        .values_list("at", flat=True)
        .first()
    )
    if first_notice is None or first_receipt is None:
        return None
    received = timezone.localtime(first_receipt).date()
    latest = deadlines.one_time_notice_due(
        materials_received_on=received,
        calendar=calendar,
        notice_days=settings.YICHUANG["ONE_TIME_NOTICE_DAYS"],
    )
    if timezone.localtime(first_notice).date() <= latest:
        return None
    return deadlines.acceptance_date(received_on=received, calendar=calendar)


def _pending_check(
    *,
    case: Case,
    pending: Sequence[Material],
    missing: Sequence[Material],
    signed_by_name: str,
    signed_by_id_number: str,
) -> None:
    """容缺受理 (RULES.md §4): only pendable materials may be missing, the applicant is not
    excluded, and the commitment is signed by someone who may sign it."""
    for material in pending:
        if material.version_id != case.item_version_id:
            raise CaseError(code="material_not_of_item", message=_("该材料不属于本事项"))
        if not material.pendable:
            raise CaseError(
                code="material_not_pendable",
                message=_("“%(name)s”不可容缺，须在受理前提交") % {"name": material.name},
                details={"material": material.pk},
            )
    not_in_hand = {m.pk for m in missing}
    already_in = [m for m in pending if m.pk not in not_in_hand]
    if already_in:
        raise CaseError(
            code="material_already_submitted",
            message=_("“%(name)s”已提交，无需容缺") % {"name": already_in[0].name},
        )
    still_missing = [m for m in missing if m.pk not in {p.pk for p in pending}]
    if still_missing:
        raise CaseError(
            code="materials_incomplete",
            message=_("材料不齐全，不能受理：%(names)s")
            % {"names": "、".join(m.name for m in still_missing)},
            details=_missing_details(still_missing),
        )
    applicant = case.applicant
    if applicant.credit_restricted:
        raise CaseError(code="credit_restricted", message=_("申请人存在失信记录，不适用容缺受理"))
    if MaterialCommitment.objects.filter(
        case__applicant=applicant, broken_at__isnull=False
    ).exists():
        raise CaseError(
            code="commitment_broken_before",
            message=_("申请人曾未按承诺补齐容缺材料，不适用容缺受理"),
        )
    if not signed_by_name.strip():
        raise CaseError(
            code="commitment_signer_required",
            message=_("请填写承诺人姓名"),
            field="signed_by_name",
        )
    signer = normalize(signed_by_id_number)
    entitled = {
        normalize(applicant.legal_representative_id)
        if applicant.kind == ApplicantKind.LEGAL_PERSON
        else applicant.id_number
    }
    if case.power_of_attorney and case.agent_id_number:
        entitled.add(normalize(case.agent_id_number))
    if not signer or signer not in entitled - {""}:
        raise CaseError(
            code="commitment_signer_not_entitled",
            message=_("承诺书须由申请人本人（法人为法定代表人）或持授权委托书的代办人签署"),
            field="signed_by_id_number",
        )


def case_accept(
    *,
    user: Any,
    case: Case,
    pending: Sequence[Material] = (),
    signed_by_name: str = "",
    signed_by_id_number: str = "",
    supply_by: dt.date | None = None,
) -> Case:
    """Accept a case whose required materials are all in (受理通知书), or — with `pending`
    — accept it with those materials to follow (容缺受理, 容缺受理通知书).

    The acceptance date follows RULES.md §1/§4 (`acceptance_on`); the case due date is
    the promised limit counted from it. With pending materials the applicant signs a
    commitment to supply them by `supply_by` (default and latest: the due date). A
    promised item starts its first review stage (the system moves the case to in review);
    an immediate item (即办件) stays accepted to be decided at the window the same day.
    """
    staff_acting(user, centre=case.centre)
    transition_check(from_status=case.status, to_status=Status.ACCEPTED, by=Actor.STAFF)
    pending = list({m.pk: m for m in pending}.values())
    with transaction.atomic():
        locked = case_lock(case_id=case.pk)
        transition_check(from_status=locked.status, to_status=Status.ACCEPTED, by=Actor.STAFF)
        missing = materials_missing(case=locked)
        if pending:
            _pending_check(
                case=locked,
                pending=pending,
                missing=missing,
                signed_by_name=signed_by_name,
                signed_by_id_number=signed_by_id_number,
            )
        elif missing:
            raise CaseError(
                code="materials_incomplete",
                message=_("材料不齐全，不能受理：%(names)s")
                % {"names": "、".join(m.name for m in missing)},
                details=_missing_details(missing),
            )
        calendar, today = calendar_get(), clock.today()
        version = locked.item_version
        accepted_on = first_received_if_notice_late(
            case=locked, calendar=calendar
        ) or acceptance_on(received=received_on(case=locked), today=today, calendar=calendar)
        promised = 0 if version.handling_kind == HandlingKind.IMMEDIATE else version.promised_limit
        due = deadlines.case_due(
            accepted_on=accepted_on,
            promised_workdays=promised,
            today=today,
            calendar=calendar,
            count_start_day=count_start_day_default(),
        )
        locked.accepted_on, locked.due_date, locked.due_provisional = (
            accepted_on,
            due.due,
            due.provisional,
        )
        locked.save(update_fields=["accepted_on", "due_date", "due_provisional", "updated_at"])
        body: dict[str, Any] = {
            "accepted_on": accepted_on.isoformat(),
            "due_date": due.due.isoformat(),
            "promised_workdays": promised,
        }
        data: dict[str, Any] = {
            "accepted_on": accepted_on,
            "due_date": due.due,
            "due_provisional": due.provisional,
        }
        if pending:
            supply_by = supply_by or due.due
            if supply_by < today or supply_by > due.due:
                raise CaseError(
                    code="supply_by_out_of_range",
                    message=_("补交期限须在今天至承诺办结日期（%(due)s）之间")
                    % {"due": due.due.isoformat()},
                    field="supply_by",
                )
            commitment = MaterialCommitment.objects.create(
                case=locked,
                signed_by_name=signed_by_name.strip(),
                signed_by_id_number=normalize(signed_by_id_number),
                signed_at=clock.now(),
                supply_by=supply_by,
            )
            commitment.materials.set(pending)
            body |= {
                "supply_by": supply_by.isoformat(),
                "items": [
                    {
                        "material": m.pk,
                        "name": m.name,
                        "form": m.get_form_display(),
                        "copies": m.copies,
                        "issuing_body": m.issuing_body,
                    }
                    for m in pending
                ],
                "consequence": pending_consequence(),
            }
            data |= {"supply_by": supply_by, "pending": [m.name for m in pending]}
        notice = notice_issue(
            case=locked,
            kind=NoticeKind.PENDING_MATERIALS if pending else NoticeKind.ACCEPTANCE,
            user=user,
            body=body,
        )
        status_move(
            case=locked,
            to_status=Status.ACCEPTED,
            by=Actor.STAFF,
            user=user,
            kind="accepted_with_pending" if pending else "accepted",
            data={"notice": notice.number, **data},
        )
        if version.handling_kind != HandlingKind.IMMEDIATE:
            stage_start(case=locked, started_on=accepted_on)
        hooks.hooks_schedule(event=hooks.ACCEPTED, case_id=locked.pk)
    return locked


def pending_consequence() -> str:
    """What the 容缺受理通知书 says happens when the materials are not supplied in time."""
    if settings.YICHUANG["PENDING_OVERDUE_ACTION"] == "terminate":
        return _("逾期未补齐的，终止办理并退回申请。")
    return _("逾期未补齐的，暂停办理；暂停满%(days)d个工作日仍未补齐的，退回申请。") % {
        "days": settings.YICHUANG["PENDING_RETURN_WORKDAYS"]
    }


def case_request_correction(
    *, user: Any, case: Case, items: Sequence[tuple[Material | None, str]]
) -> Case:
    """Online pre-review (预审) asks the applicant to correct the submission (补正).

    Every item is a catalogue material (or None for the form itself) with what to
    correct. The case goes back to the applicant; acceptance counts from the resubmission.
    """
    staff_acting(user, centre=case.centre)
    transition_check(from_status=case.status, to_status=Status.CORRECTION_REQUESTED, by=Actor.STAFF)
    entries = _correction_items(case=case, items=items)
    with transaction.atomic():
        locked = case_lock(case_id=case.pk)
        notice = notice_issue(
            case=locked,
            kind=NoticeKind.CORRECTION,
            user=user,
            body={"items": entries, "department": locked.centre.name},
        )
        status_move(
            case=locked,
            to_status=Status.CORRECTION_REQUESTED,
            by=Actor.STAFF,
            user=user,
            kind="correction_requested",
            data={"notice": notice.number, "items": entries},
        )
        hooks.hooks_schedule(event=hooks.CORRECTION_REQUESTED, case_id=locked.pk)
    return locked


def _correction_items(
    *, case: Case, items: Sequence[tuple[Material | None, str]]
) -> list[dict[str, Any]]:
    if not items:
        raise CaseError(code="correction_items_required", message=_("请列出需要补正的内容"))
    entries = []
    for material, note in items:
        if material is not None and material.version_id != case.item_version_id:
            raise CaseError(code="material_not_of_item", message=_("该材料不属于本事项"))
        if not note.strip():
            raise CaseError(code="defect_needs_description", message=_("请说明需要补正的内容"))
        entries.append(
            {
                "material": material.pk if material else None,
                "name": material.name if material else _("申请表"),
                "note": note.strip(),
            }
        )
    return entries


def _notice_allowed(*, case: Case) -> bool:
    """A second one-time notice only for a new submission or new materials (RULES.md §4).
    A correction asked for in pre-review (补正) is such a notice too."""
    last = (
        case.notices.filter(kind__in=(NoticeKind.ONE_TIME, NoticeKind.CORRECTION))
        .order_by("-issued_at")
        .first()
    )
    if last is None:
        return True
    resubmitted = case.submitted_at is not None and case.submitted_at > last.issued_at
    return resubmitted or case.materials.filter(uploaded_at__gt=last.issued_at).exists()


def case_issue_one_time_notice(
    *, user: Any, case: Case, defects: Sequence[tuple[Material, str]] = ()
) -> Case:
    """一次性告知书: list every missing required material and every defect at once.

    `defects` are materials handed in but wrong (with what is wrong). The case is not
    accepted; it waits for the materials (`awaiting_materials`).
    """
    staff_acting(user, centre=case.centre)
    transition_check(from_status=case.status, to_status=Status.AWAITING_MATERIALS, by=Actor.STAFF)
    for material, problem in defects:
        if material.version_id != case.item_version_id:
            raise CaseError(code="material_not_of_item", message=_("该材料不属于本事项"))
        if not problem.strip():
            raise CaseError(code="defect_needs_description", message=_("请说明材料存在的问题"))
    with transaction.atomic():
        locked = case_lock(case_id=case.pk)
        transition_check(
            from_status=locked.status, to_status=Status.AWAITING_MATERIALS, by=Actor.STAFF
        )
        if not _notice_allowed(case=locked):
            raise CaseConflict(
                code="notice_already_issued",
                message=_("已就本次提交出具过一次性告知书，申请人提交新材料前不能再次告知"),
            )
        items = [
            {
                "material": m.pk,
                "name": m.name,
                "problem": "missing",
                "note": _("未提交"),
                "form": m.get_form_display(),
                "copies": m.copies,
                "issuing_body": m.issuing_body,
            }
            for m in materials_missing(case=locked)
        ]
        items += [
            {
                "material": m.pk,
                "name": m.name,
                "problem": "defective",
                "note": problem.strip(),
                "form": m.get_form_display(),
                "copies": m.copies,
                "issuing_body": m.issuing_body,
            }
            for m, problem in defects
        ]
        if not items:
            raise CaseError(code="nothing_to_notify", message=_("材料齐全且无问题，无需一次性告知"))
        notice = notice_issue(
            case=locked, kind=NoticeKind.ONE_TIME, user=user, body={"items": items}
        )
        status_move(
            case=locked,
            to_status=Status.AWAITING_MATERIALS,
            by=Actor.STAFF,
            user=user,
            kind="one_time_notice",
            data={"notice": notice.number, "items": items},
        )
        hooks.hooks_schedule(event=hooks.ONE_TIME_NOTICE, case_id=locked.pk)
    return locked


def case_refuse(*, user: Any, case: Case, reason: str) -> Case:
    """不予受理: refuse to accept, with the reason written on the refusal notice."""
    staff_acting(user, centre=case.centre)
    if not reason.strip():
        raise CaseError(code="reason_required", message=_("请填写不予受理的理由"), field="reason")
    transition_check(from_status=case.status, to_status=Status.NOT_ACCEPTED, by=Actor.STAFF)
    with transaction.atomic():
        locked = case_lock(case_id=case.pk)
        notice = notice_issue(
            case=locked, kind=NoticeKind.REFUSAL, user=user, body={"reason": reason.strip()}
        )
        status_move(
            case=locked,
            to_status=Status.NOT_ACCEPTED,
            by=Actor.STAFF,
            user=user,
            kind="not_accepted",
            reason=reason.strip(),
            data={"notice": notice.number},
        )
        hooks.hooks_schedule(event=hooks.NOT_ACCEPTED, case_id=locked.pk)
    return locked
