"""The data generator of the benchmarks (bench/datagen.py), on PostgreSQL (it writes with COPY)."""

from __future__ import annotations

import pytest
from bench import datagen
from django.db import connection, transaction

from yichuang.cases.history import histories_verify
from yichuang.cases.models import Case, CaseEvent, CaseNumberCounter, Task, TaskStatus
from yichuang.cases.numbering import case_number_next
from yichuang.cases.workflow import Status, transition_allowed
from yichuang.hall.models import Ticket, TicketCase, TicketCounter
from yichuang.identity.validation import check_resident_id, check_uscc
from yichuang.orgs.models import Centre

pytestmark = [pytest.mark.postgres_only, pytest.mark.django_db]

CASES = 300


@pytest.fixture(autouse=True)
def _postgres_only():
    if connection.vendor != "postgresql":
        pytest.skip("bench.datagen writes with PostgreSQL COPY")


@pytest.fixture
def summary() -> dict:
    return datagen.load(cases=CASES, seed=3, progress=False)


def test_it_appends_the_cases_and_reports_what_it_wrote(summary):
    assert Case.objects.count() == CASES
    assert summary["rows"]["cases_case"] == CASES
    assert summary["rows"]["cases_caseevent"] == CaseEvent.objects.count()
    assert summary["database_bytes"] > 0


def test_every_case_has_an_intact_history_of_allowed_transitions(summary):
    assert not Case.objects.filter(events__isnull=True).exists()
    assert list(histories_verify()) == []
    moves = CaseEvent.objects.exclude(from_status="").values_list(
        "from_status", "to_status", "actor_kind"
    )
    assert all(transition_allowed(from_status=f, to_status=t, by=by) for f, t, by in moves)


def test_the_statuses_cover_the_workflow(summary):
    assert set(Case.objects.values_list("status", flat=True)) == set(Status.values)


def test_cases_in_review_have_pending_tasks_with_due_dates(summary):
    pending = Task.objects.filter(status=TaskStatus.PENDING)
    assert pending.filter(case__status=Status.IN_REVIEW).exists()
    assert not pending.filter(due_date__isnull=True).exists()
    assert not pending.exclude(case__status__in=[Status.IN_REVIEW, Status.SUSPENDED]).exists()


def test_applicants_have_valid_identity_numbers(summary):
    from yichuang.identity.models import Applicant, ApplicantKind

    for kind, number in Applicant.objects.values_list("kind", "id_number"):
        check = check_resident_id if kind == ApplicantKind.NATURAL_PERSON else check_uscc
        assert check(number).valid, number


def test_tickets_are_linked_and_numbered_within_their_counters(summary):
    assert Ticket.objects.exists()
    assert TicketCase.objects.exists()
    for counter in TicketCounter.objects.all():
        assert Ticket.objects.filter(queue_id=counter.queue_id, day=counter.day).count() <= (
            counter.last
        )


def test_a_real_submission_after_the_load_gets_a_new_number(summary):
    counter = CaseNumberCounter.objects.order_by("-last").first()
    centre = Centre.objects.get(pk=counter.centre_id)
    with transaction.atomic():
        number = case_number_next(centre=centre, day=counter.day)
    assert not Case.objects.filter(number=number).exists()


def test_a_second_load_appends(summary):
    datagen.load(cases=50, seed=3, progress=False)

    assert Case.objects.count() == CASES + 50
    assert list(histories_verify()) == []


def test_the_public_lookup_answers_for_a_generated_case(summary, client):
    case = Case.objects.exclude(status=Status.DRAFT).select_related("applicant").first()

    response = client.get(
        "/api/v1/cases/lookup", {"number": case.number, "check": case.applicant.id_number[-6:]}
    )

    assert response.status_code == 200
    assert response.json()["status"] == case.status
