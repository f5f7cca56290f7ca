"""The case workflow: one declarative transition table, enforced by `transition_check`.

Pure: no database. Three actor kinds may move a case, each with its own table:

- the applicant (submits, resubmits after a correction or a one-time notice, withdraws
  before the decision);
- staff (pre-review, acceptance, one-time notice, refusal, suspension, decision);
- the system (statuses that follow from other facts and that nobody sets by hand:
  `in_review` when acceptance starts stage 1 or a suspension ends, `pending_decision` when
  the last stage completes, `suspended` and then `returned` when pending materials are not
  supplied in time, `concluded` after the result is delivered).

The one-time notice (一次性告知, RULES.md §4) does **not** accept the case: it moves the
case to `awaiting_materials`, and acceptance later counts from the day the complete
materials arrive. A second notice for the same submission is a self-transition
`awaiting_materials → awaiting_materials`, which the notice service allows only when new
materials were handed in since the last notice.

A case is created in an opening status (`OPENING`): an applicant's online case starts as a
draft; a case opened by staff at a window starts as submitted (the materials are in hand).
"""

from __future__ import annotations

from collections.abc import Mapping

from django.db import models
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from yichuang.cases.errors import CaseError


class Status(models.TextChoices):
    DRAFT = "draft", _("草稿")
    SUBMITTED = "submitted", _("已提交")
    CORRECTION_REQUESTED = "correction_requested", _("待补正")
    AWAITING_MATERIALS = "awaiting_materials", _("已一次性告知")
    ACCEPTED = "accepted", _("已受理")
    IN_REVIEW = "in_review", _("审查中")
    SUSPENDED = "suspended", _("暂停计时")
    PENDING_DECISION = "pending_decision", _("待决定")
    APPROVED = "approved", _("准予许可")
    REFUSED = "refused", _("不予许可")
    NOT_ACCEPTED = "not_accepted", _("不予受理")
    WITHDRAWN = "withdrawn", _("已撤回")
    RETURNED = "returned", _("已退回")
    CONCLUDED = "concluded", _("已办结")


class Actor(models.TextChoices):
    APPLICANT = "applicant", _("申请人")
    STAFF = "staff", _("工作人员")
    SYSTEM = "system", _("系统")


S = Status

# Before the decision the applicant may withdraw (撤回).
APPLICANT_TRANSITIONS: Mapping[Status, frozenset[Status]] = {
    S.DRAFT: frozenset({S.SUBMITTED, S.WITHDRAWN}),
    S.SUBMITTED: frozenset({S.WITHDRAWN}),
    S.CORRECTION_REQUESTED: frozenset({S.SUBMITTED, S.WITHDRAWN}),
    S.AWAITING_MATERIALS: frozenset({S.SUBMITTED, S.WITHDRAWN}),
    S.ACCEPTED: frozenset({S.WITHDRAWN}),
    S.IN_REVIEW: frozenset({S.WITHDRAWN}),
    S.SUSPENDED: frozenset({S.WITHDRAWN}),
    S.PENDING_DECISION: frozenset({S.WITHDRAWN}),
}

STAFF_TRANSITIONS: Mapping[Status, frozenset[Status]] = {
    # A window officer may hand in an applicant's draft (assisted handling).
    S.DRAFT: frozenset({S.SUBMITTED}),
    S.SUBMITTED: frozenset(
        {S.CORRECTION_REQUESTED, S.AWAITING_MATERIALS, S.ACCEPTED, S.NOT_ACCEPTED}
    ),
    # The applicant may bring the corrections or the missing materials to a window.
    S.CORRECTION_REQUESTED: frozenset({S.ACCEPTED, S.AWAITING_MATERIALS, S.NOT_ACCEPTED}),
    S.AWAITING_MATERIALS: frozenset({S.AWAITING_MATERIALS, S.ACCEPTED, S.NOT_ACCEPTED}),
    # 即办件: decided at the window on the day of acceptance.
    S.ACCEPTED: frozenset({S.APPROVED, S.REFUSED}),
    S.IN_REVIEW: frozenset({S.SUSPENDED, S.REFUSED}),
    S.SUSPENDED: frozenset({S.REFUSED}),
    S.PENDING_DECISION: frozenset({S.APPROVED, S.REFUSED}),
}

# Pending materials (容缺) not supplied in time suspend the case, or — when the centre
# chose to terminate at once — return it from whatever running status it is in.
SYSTEM_TRANSITIONS: Mapping[Status, frozenset[Status]] = {
    S.ACCEPTED: frozenset({S.IN_REVIEW, S.PENDING_DECISION, S.SUSPENDED, S.RETURNED}),
    S.IN_REVIEW: frozenset({S.PENDING_DECISION, S.SUSPENDED, S.RETURNED}),
    S.PENDING_DECISION: frozenset({S.SUSPENDED, S.RETURNED}),
    # Back to the status the suspension interrupted (an immediate item: accepted).
    S.SUSPENDED: frozenset({S.ACCEPTED, S.IN_REVIEW, S.PENDING_DECISION, S.RETURNED}),
    S.APPROVED: frozenset({S.CONCLUDED}),
    S.REFUSED: frozenset({S.CONCLUDED}),
}

TRANSITIONS: Mapping[Actor, Mapping[Status, frozenset[Status]]] = {
    Actor.APPLICANT: APPLICANT_TRANSITIONS,
    Actor.STAFF: STAFF_TRANSITIONS,
    Actor.SYSTEM: SYSTEM_TRANSITIONS,
}

# Statuses only the system sets: no applicant or staff transition leads to them.
SYSTEM_ONLY_STATUSES = frozenset({S.IN_REVIEW, S.PENDING_DECISION, S.RETURNED, S.CONCLUDED})

# The statuses a case may be created in, by who creates it.
OPENING: Mapping[Actor, frozenset[Status]] = {
    Actor.APPLICANT: frozenset({S.DRAFT}),
    Actor.STAFF: frozenset({S.DRAFT, S.SUBMITTED}),
    Actor.SYSTEM: frozenset(),
}

# Nothing leaves these.
FINAL_STATUSES = frozenset({S.NOT_ACCEPTED, S.WITHDRAWN, S.RETURNED, S.CONCLUDED})

# The working-day clock runs in these statuses (the case is accepted and not suspended).
CLOCK_RUNNING = frozenset({S.ACCEPTED, S.IN_REVIEW, S.PENDING_DECISION})


def transition_allowed(*, from_status: str, to_status: str, by: str) -> bool:
    table = TRANSITIONS.get(Actor(by), {})
    return Status(to_status) in table.get(Status(from_status), frozenset())


def transition_check(*, from_status: str, to_status: str, by: str) -> None:
    """Raise `CaseError(code="transition_not_allowed")` unless `by` may move the case."""
    if not transition_allowed(from_status=from_status, to_status=to_status, by=by):
        raise CaseError(
            code="transition_not_allowed",
            message=gettext("%(actor)s不能将办件从“%(from)s”变更为“%(to)s”")
            % {
                "actor": Actor(by).label,
                "from": Status(from_status).label,
                "to": Status(to_status).label,
            },
            details={"from": str(from_status), "to": str(to_status), "by": str(by)},
        )


def opening_check(*, status: str, by: str) -> None:
    """Raise `CaseError(code="opening_not_allowed")` unless `by` may create a case in `status`."""
    if Status(status) not in OPENING[Actor(by)]:
        raise CaseError(
            code="opening_not_allowed",
            message=gettext("%(actor)s不能以“%(status)s”状态新建办件")
            % {"actor": Actor(by).label, "status": Status(status).label},
        )
