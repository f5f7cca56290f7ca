"""What every case service shares: who may act, and the one way a status changes."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext as _

from yichuang.cases.errors import CaseForbidden
from yichuang.cases.history import case_event_record
from yichuang.cases.models import (
    Case,
    ExtensionStatus,
    Notice,
    NoticeKind,
    StageOutcome,
    TaskStatus,
)
from yichuang.cases.selectors import case_not_found
from yichuang.cases.workflow import Actor, transition_check
from yichuang.common import clock
from yichuang.identity.models import Applicant
from yichuang.orgs.models import Centre, Role, Staff
from yichuang.orgs.selectors import staff_for_user

NOTICE_PREFIX = {
    NoticeKind.ACCEPTANCE: "SL",
    NoticeKind.REFUSAL: "BSL",
    NoticeKind.ONE_TIME: "GZ",
    NoticeKind.CORRECTION: "BZ",
    NoticeKind.PENDING_MATERIALS: "RQ",
    NoticeKind.SUSPENSION: "ZT",
    NoticeKind.EXTENSION: "YQ",
}


def staff_acting(
    user: Any, *, centre: Centre, roles: frozenset[str] = frozenset({Role.WINDOW_OFFICER})
) -> Staff:
    """The user's staff record if they hold one of `roles` at `centre`.

    A staff member of another centre gets "not found" (the case is not theirs to see); one
    of this centre without the role gets `not_window_officer` (403).
    """
    member = staff_for_user(user)
    if member is None or member.centre_id != centre.pk:
        raise case_not_found()
    if not member.role_set() & roles:
        raise CaseForbidden(
            code="not_window_officer", message=_("只有综合受理窗口人员可以办理此操作")
        )
    return member


def applicant_of(user: Any) -> Applicant | None:
    if user is None or not getattr(user, "is_authenticated", False):
        return None
    return getattr(user, "applicant", None)


def acts_for_applicant(user: Any, *, case: Case) -> bool:
    """The user is the case's applicant, or its agent holding a power of attorney."""
    person = applicant_of(user)
    if person is None:
        return False
    return person.pk == case.applicant_id or (person.pk == case.agent_id and case.power_of_attorney)


def status_move(
    *,
    case: Case,
    to_status: str,
    by: str,
    user: Any,
    kind: str,
    reason: str = "",
    data: dict[str, Any] | None = None,
) -> None:
    """Check the transition table, set the status and append the event (case row locked)."""
    from_status = case.status
    transition_check(from_status=from_status, to_status=to_status, by=by)
    case.status = to_status
    case.save(update_fields=["status", "updated_at"])
    case_event_record(
        case=case,
        actor=user,
        actor_kind=Actor.SYSTEM if by == Actor.SYSTEM else by,
        kind=kind,
        from_status=from_status,
        to_status=to_status,
        reason=reason,
        data=data,
    )


def notice_issue(*, case: Case, kind: str, user: Any, body: dict[str, Any]) -> Notice:
    """A numbered notice `<case number>-<prefix><nn>` (case row locked by the caller)."""
    count = case.notices.filter(kind=kind).count()
    return Notice.objects.create(
        case=case,
        kind=kind,
        number=f"{case.number}-{NOTICE_PREFIX[NoticeKind(kind)]}{count + 1:02d}",
        issued_at=clock.now(),
        issued_by=user,
        body=body,
    )


def open_work_close(*, case: Case) -> None:
    """End what is still open when a case leaves review early (decision, withdrawal,
    return): pending tasks are cancelled, open stages end, a running suspension ends today,
    and an extension request nobody decided lapses.
    """
    now, today = clock.now(), clock.today()
    case.tasks.filter(status__in=[TaskStatus.PENDING, TaskStatus.CORRECTION_REQUESTED]).update(
        status=TaskStatus.CANCELLED, decided_at=now
    )
    case.stages.filter(completed_at__isnull=True).update(
        completed_at=now, outcome=StageOutcome.CANCELLED
    )
    case.suspensions.filter(ended_on__isnull=True).update(ended_on=today)
    case.extensions.filter(status=ExtensionStatus.REQUESTED).update(
        status=ExtensionStatus.CANCELLED
    )
