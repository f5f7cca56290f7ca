"""The transition table, exhaustively: every (actor, from, to) is either allowed or refused."""

from __future__ import annotations

import itertools

import pytest

from yichuang.cases.errors import CaseError
from yichuang.cases.workflow import (
    FINAL_STATUSES,
    OPENING,
    SYSTEM_ONLY_STATUSES,
    Actor,
    Status,
    opening_check,
    transition_check,
)

S = Status

# The specification, written out pair by pair (independently of the table in workflow.py).
ALLOWED = {
    (Actor.APPLICANT, S.DRAFT, S.SUBMITTED),
    (Actor.APPLICANT, S.CORRECTION_REQUESTED, S.SUBMITTED),
    (Actor.APPLICANT, S.AWAITING_MATERIALS, S.SUBMITTED),
    (Actor.APPLICANT, S.DRAFT, S.WITHDRAWN),
    (Actor.APPLICANT, S.SUBMITTED, S.WITHDRAWN),
    (Actor.APPLICANT, S.CORRECTION_REQUESTED, S.WITHDRAWN),
    (Actor.APPLICANT, S.AWAITING_MATERIALS, S.WITHDRAWN),
    (Actor.APPLICANT, S.ACCEPTED, S.WITHDRAWN),
    (Actor.APPLICANT, S.IN_REVIEW, S.WITHDRAWN),
    (Actor.APPLICANT, S.SUSPENDED, S.WITHDRAWN),
    (Actor.APPLICANT, S.PENDING_DECISION, S.WITHDRAWN),
    (Actor.STAFF, S.DRAFT, S.SUBMITTED),
    (Actor.STAFF, S.SUBMITTED, S.CORRECTION_REQUESTED),
    (Actor.STAFF, S.SUBMITTED, S.AWAITING_MATERIALS),
    (Actor.STAFF, S.SUBMITTED, S.ACCEPTED),
    (Actor.STAFF, S.SUBMITTED, S.NOT_ACCEPTED),
    (Actor.STAFF, S.CORRECTION_REQUESTED, S.ACCEPTED),
    (Actor.STAFF, S.CORRECTION_REQUESTED, S.AWAITING_MATERIALS),
    (Actor.STAFF, S.CORRECTION_REQUESTED, S.NOT_ACCEPTED),
    (Actor.STAFF, S.AWAITING_MATERIALS, S.AWAITING_MATERIALS),
    (Actor.STAFF, S.AWAITING_MATERIALS, S.ACCEPTED),
    (Actor.STAFF, S.AWAITING_MATERIALS, S.NOT_ACCEPTED),
    (Actor.STAFF, S.ACCEPTED, S.APPROVED),
    (Actor.STAFF, S.ACCEPTED, S.REFUSED),
    (Actor.STAFF, S.IN_REVIEW, S.SUSPENDED),
    (Actor.STAFF, S.IN_REVIEW, S.REFUSED),
    (Actor.STAFF, S.SUSPENDED, S.REFUSED),
    (Actor.STAFF, S.PENDING_DECISION, S.APPROVED),
    (Actor.STAFF, S.PENDING_DECISION, S.REFUSED),
    (Actor.SYSTEM, S.ACCEPTED, S.IN_REVIEW),
    (Actor.SYSTEM, S.ACCEPTED, S.PENDING_DECISION),
    (Actor.SYSTEM, S.ACCEPTED, S.SUSPENDED),
    (Actor.SYSTEM, S.ACCEPTED, S.RETURNED),
    (Actor.SYSTEM, S.IN_REVIEW, S.PENDING_DECISION),
    (Actor.SYSTEM, S.IN_REVIEW, S.SUSPENDED),
    (Actor.SYSTEM, S.IN_REVIEW, S.RETURNED),
    (Actor.SYSTEM, S.PENDING_DECISION, S.SUSPENDED),
    (Actor.SYSTEM, S.PENDING_DECISION, S.RETURNED),
    (Actor.SYSTEM, S.SUSPENDED, S.ACCEPTED),
    (Actor.SYSTEM, S.SUSPENDED, S.IN_REVIEW),
    (Actor.SYSTEM, S.SUSPENDED, S.PENDING_DECISION),
    (Actor.SYSTEM, S.SUSPENDED, S.RETURNED),
    (Actor.SYSTEM, S.APPROVED, S.CONCLUDED),
    (Actor.SYSTEM, S.REFUSED, S.CONCLUDED),
}

EVERY_TRIPLE = list(itertools.product(Actor, Status, Status))
FORBIDDEN = [t for t in EVERY_TRIPLE if t not in ALLOWED]


def _id(triple) -> str:
    by, source, target = triple
    return f"{by.value}:{source.value}->{target.value}"


@pytest.mark.parametrize("triple", sorted(ALLOWED), ids=_id)
def test_an_allowed_transition_passes(triple):
    by, source, target = triple

    transition_check(from_status=source, to_status=target, by=by)


@pytest.mark.parametrize("triple", FORBIDDEN, ids=_id)
def test_a_forbidden_transition_is_refused_with_a_code_and_a_chinese_message(triple):
    by, source, target = triple

    with pytest.raises(CaseError) as caught:
        transition_check(from_status=source, to_status=target, by=by)

    assert caught.value.code == "transition_not_allowed"
    assert str(source.label) in caught.value.message
    assert str(target.label) in caught.value.message


def test_the_cross_product_is_covered_exactly():
    assert len(ALLOWED) + len(FORBIDDEN) == len(Actor) * len(Status) ** 2


@pytest.mark.parametrize("by", [Actor.APPLICANT, Actor.STAFF])
@pytest.mark.parametrize("target", sorted(SYSTEM_ONLY_STATUSES))
def test_people_never_set_a_system_only_status(by, target):
    assert not any((by, source, target) in ALLOWED for source in Status)


@pytest.mark.parametrize("source", sorted(FINAL_STATUSES))
def test_nothing_leaves_a_final_status(source):
    assert not any(s == source for _, s, _ in ALLOWED)


@pytest.mark.parametrize(
    ("by", "status", "allowed"),
    [(by, status, status in OPENING[by]) for by, status in itertools.product(Actor, Status)],
    ids=lambda v: str(v),
)
def test_a_case_opens_only_in_the_opening_statuses_of_its_creator(by, status, allowed):
    if allowed:
        opening_check(status=status, by=by)
    else:
        with pytest.raises(CaseError, match="opening_not_allowed"):
            opening_check(status=status, by=by)


def test_opening_statuses_are_draft_for_applicants_and_draft_or_submitted_for_staff():
    assert {
        Actor.APPLICANT: {S.DRAFT},
        Actor.STAFF: {S.DRAFT, S.SUBMITTED},
        Actor.SYSTEM: set(),
    } == OPENING
