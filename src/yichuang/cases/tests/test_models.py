"""Invariants the database enforces, whatever code writes the rows."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import IntegrityError, transaction

from yichuang.cases.models import (
    CaseEvent,
    CaseNumberCounter,
    Decision,
    Extension,
    Outcome,
    Stage,
    Suspension,
    SuspensionKind,
    Task,
    TaskStatus,
)
from yichuang.cases.tests import factories
from yichuang.common import clock

pytestmark = pytest.mark.django_db

DAY = dt.date(2026, 3, 2)


def _violates(create) -> bool:
    try:
        with transaction.atomic():
            create()
    except IntegrityError:
        return True
    return False


def test_case_numbers_are_unique():
    first = factories.case()

    assert _violates(lambda: factories.case(number=first.number))


def test_an_applicant_is_not_their_own_agent():
    person = factories.applicant()

    assert _violates(lambda: factories.case(applicant=person, agent=person))


def test_a_due_date_needs_an_acceptance_date():
    assert _violates(lambda: factories.case(due_date=DAY))


def test_an_unknown_status_is_refused():
    assert _violates(lambda: factories.case(status="lost"))


def test_a_suspension_does_not_end_before_it_starts():
    case = factories.case()

    assert _violates(
        lambda: Suspension.objects.create(
            case=case,
            kind=SuspensionKind.HEARING,
            reason="听证",
            started_on=DAY,
            ended_on=DAY - dt.timedelta(days=1),
        )
    )


def test_a_case_has_at_most_one_open_suspension():
    case = factories.case()
    Suspension.objects.create(case=case, kind=SuspensionKind.HEARING, reason="听证", started_on=DAY)

    assert _violates(
        lambda: Suspension.objects.create(
            case=case, kind=SuspensionKind.TESTING, reason="检测", started_on=DAY
        )
    )


def test_event_seq_is_unique_per_case_and_positive():
    case = factories.case()
    values = {"case": case, "actor_kind": "system", "actor_label": "系统", "kind": "x", "hash": "h"}
    CaseEvent.objects.create(seq=1, at=clock.now(), **values)

    assert _violates(lambda: CaseEvent.objects.create(seq=1, at=clock.now(), **values))
    assert _violates(lambda: CaseEvent.objects.create(seq=0, at=clock.now(), **values))


def test_one_counter_per_centre_and_day():
    case = factories.case()
    CaseNumberCounter.objects.create(centre=case.centre, day=DAY)

    assert _violates(lambda: CaseNumberCounter.objects.create(centre=case.centre, day=DAY))


def test_a_refusal_decision_needs_a_reason():
    case = factories.case()

    assert _violates(
        lambda: Decision.objects.create(
            case=case, outcome=Outcome.REFUSED, reason="", decided_at=clock.now()
        )
    )


def test_an_extension_has_positive_workdays():
    case = factories.case()

    assert _violates(
        lambda: Extension.objects.create(
            case=case, workdays=0, reason="复杂", requested_at=clock.now()
        )
    )


def test_a_decided_task_has_a_decision_time():
    case = factories.case()
    stage = Stage.objects.create(case=case, number=1, template_stage=1, name="审查", started_on=DAY)

    assert _violates(
        lambda: Task.objects.create(
            stage=stage,
            case=case,
            department=case.item_version.item.department,
            status=TaskStatus.APPROVED,
            limit_workdays=3,
            started_on=DAY,
        )
    )
