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
from yichuang.cases.models import Case, NoticeKind
from yichuang.cases.selectors import materials_missing
from yichuang.cases.services._base import notice_issue, staff_acting, status_move
from yichuang.cases.services.review import stage_start
from yichuang.cases.workflow import Actor, Status, transition_check
from yichuang.catalog.models import HandlingKind, Material
from yichuang.common import clock
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


def case_accept(*, user: Any, case: Case) -> Case:
    """Accept a case whose required materials are all in (受理通知书).

    The acceptance date follows RULES.md §1/§4 (`acceptance_on`); the case due date is
    the promised limit counted from it. A promised item starts its first review stage (the
    system moves the case to in review); an immediate item (即办件) stays accepted to be
    decided at the window the same day.
    """
    staff_acting(user, centre=case.centre)
    transition_check(from_status=case.status, to_status=Status.ACCEPTED, by=Actor.STAFF)
    with transaction.atomic():
        locked = case_lock(case_id=case.pk)
        transition_check(from_status=locked.status, to_status=Status.ACCEPTED, by=Actor.STAFF)
        missing = materials_missing(case=locked)
        if missing:
            raise CaseError(
                code="materials_incomplete",
                message=_("材料不齐全，不能受理：%(names)s")
                % {"names": "、".join(m.name for m in missing)},
                details=_missing_details(missing),
            )
        calendar, today = calendar_get(), clock.today()
        version = locked.item_version
        accepted_on = acceptance_on(
            received=received_on(case=locked), today=today, calendar=calendar
        )
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
        notice = notice_issue(
            case=locked,
            kind=NoticeKind.ACCEPTANCE,
            user=user,
            body={"accepted_on": accepted_on.isoformat(), "due_date": due.due.isoformat()},
        )
        status_move(
            case=locked,
            to_status=Status.ACCEPTED,
            by=Actor.STAFF,
            user=user,
            kind="accepted",
            data={
                "notice": notice.number,
                "accepted_on": accepted_on,
                "due_date": due.due,
                "due_provisional": due.provisional,
            },
        )
        if version.handling_kind != HandlingKind.IMMEDIATE:
            stage_start(case=locked, started_on=accepted_on)
        hooks.hooks_schedule(event=hooks.ACCEPTED, case_id=locked.pk)
    return locked


def _notice_allowed(*, case: Case) -> bool:
    """A second one-time notice only for a new submission or new materials (RULES.md §4)."""
    last = case.notices.filter(kind=NoticeKind.ONE_TIME).order_by("-issued_at").first()
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
