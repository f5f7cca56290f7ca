"""The case API's window and decision actions: accept with pending materials (容缺受理),
pre-review correction, withdrawal, decision and conclusion."""

from __future__ import annotations

import datetime as dt

import pytest

from yichuang.cases import services
from yichuang.cases.models import Case, MaterialCommitment, TaskStatus
from yichuang.cases.tests import factories
from yichuang.catalog.tests import factories as catalog_factories
from yichuang.common import clock
from yichuang.orgs.models import Role
from yichuang.orgs.tests import factories as orgs_factories

pytestmark = pytest.mark.django_db

URL = "/api/v1/cases"
TZ_OFFSET = dt.timedelta(hours=8)


def at(day: str, hour: int = 10) -> dt.datetime:
    """A moment on a Shanghai calendar day."""
    local = dt.datetime.fromisoformat(day).replace(hour=hour)
    return (local - TZ_OFFSET).replace(tzinfo=dt.UTC)


def post(client, path: str, body=None, *, when: str = "2026-03-02"):
    with clock.frozen(at(when, 15)):
        return client.post(path, body or {}, content_type="application/json")


@pytest.fixture(autouse=True)
def _fast_passwords(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def version():
    """Two required materials, the second pendable; 5 promised working days, one 3-day
    review stage of the item's department."""
    department = orgs_factories.department(centre=orgs_factories.centre(code="blzq"))
    version = catalog_factories.published_item(
        department=department,
        materials=2,
        promised_limit=5,
        handled_online=True,
        result_name="准予行政许可决定书",
    )
    version.materials.filter(position=2).update(pendable=True)
    return version


@pytest.fixture
def officer(version):
    return orgs_factories.staff(centre=version.item.centre).user


@pytest.fixture
def reviewer(version):
    return factories.reviewer(department=version.item.department)


@pytest.fixture
def leader(version):
    return factories.leader(centre=version.item.centre)


@pytest.fixture
def person():
    return factories.applicant(with_user=True)


def material(version, position: int):
    return version.materials.get(position=position)


def submitted(officer, version, person, *, materials=(1, 2)) -> Case:
    """Opened at the window on 2026-03-02 with the materials at `materials` positions."""
    with clock.frozen(at("2026-03-02")):
        case = services.case_open(user=officer, item_version=version, applicant=person)
        for position in materials:
            services.case_material_add(
                user=officer,
                case=case,
                content=factories.PDF,
                material=material(version, position),
            )
    return case


def in_review(officer, version, person) -> Case:
    """Accepted on 2026-03-02 (due 2026-03-09), its department's task pending."""
    case = submitted(officer, version, person)
    with clock.frozen(at("2026-03-02", 11)):
        return services.case_accept(user=officer, case=case)


def pending_decision(officer, version, person, reviewer) -> Case:
    case = in_review(officer, version, person)
    with clock.frozen(at("2026-03-03")):
        services.task_approve(user=reviewer, task=case.tasks.get())
    return Case.objects.get(pk=case.pk)


def approved(officer, version, person, reviewer, leader) -> Case:
    case = pending_decision(officer, version, person, reviewer)
    with clock.frozen(at("2026-03-04")):
        return services.case_decide(user=leader, case=case, outcome="approved")


# -- accept with pending materials (容缺受理) ------------------------------------------------


def commitment(person, version, **extra):
    body = {
        "pending": [material(version, 2).pk],
        "signed_by_name": person.name,
        "signed_by_id_number": person.id_number,
    }
    body.update(extra)
    return body


def test_a_pendable_material_may_follow_with_a_signed_commitment(client, officer, version, person):
    case = submitted(officer, version, person, materials=(1,))
    client.force_login(officer)

    answer = post(
        client, f"{URL}/{case.number}/accept", commitment(person, version, supply_by="2026-03-06")
    )

    body = answer.json()
    assert (answer.status_code, body["status"], body["due_date"]) == (
        200,
        "in_review",
        "2026-03-09",
    )
    notice = body["notices"][0]
    assert (notice["kind"], notice["body"]["supply_by"]) == ("pending_materials", "2026-03-06")
    assert [i["name"] for i in notice["body"]["items"]] == ["申请材料2"]
    assert MaterialCommitment.objects.get(case=case).signed_by_name == person.name


def test_the_supply_date_defaults_to_the_due_date(client, officer, version, person):
    case = submitted(officer, version, person, materials=(1,))
    client.force_login(officer)

    answer = post(client, f"{URL}/{case.number}/accept", commitment(person, version))

    assert answer.json()["notices"][0]["body"]["supply_by"] == "2026-03-09"


def test_a_material_the_item_does_not_mark_pendable_must_be_in(client, officer, version, person):
    case = submitted(officer, version, person, materials=(2,))
    client.force_login(officer)

    answer = post(
        client,
        f"{URL}/{case.number}/accept",
        commitment(person, version, pending=[material(version, 1).pk]),
    )

    assert (answer.status_code, answer.json()["code"]) == (422, "material_not_pendable")
    assert Case.objects.get(pk=case.pk).status == "submitted"


def test_a_pending_material_of_another_item_is_refused(client, officer, version, person):
    case = submitted(officer, version, person, materials=(1,))
    foreign = catalog_factories.published_item().materials.first()
    client.force_login(officer)

    answer = post(
        client, f"{URL}/{case.number}/accept", commitment(person, version, pending=[foreign.pk])
    )

    assert (answer.status_code, answer.json()["code"], answer.json()["field"]) == (
        422,
        "material_not_of_item",
        "pending",
    )


def test_a_supply_date_after_the_due_date_is_refused(client, officer, version, person):
    case = submitted(officer, version, person, materials=(1,))
    client.force_login(officer)

    answer = post(
        client, f"{URL}/{case.number}/accept", commitment(person, version, supply_by="2026-03-10")
    )

    assert (answer.status_code, answer.json()["code"]) == (422, "supply_by_out_of_range")


def test_the_commitment_must_be_signed_by_the_applicant(client, officer, version, person):
    case = submitted(officer, version, person, materials=(1,))
    stranger = factories.applicant()
    client.force_login(officer)

    answer = post(
        client,
        f"{URL}/{case.number}/accept",
        commitment(person, version, signed_by_id_number=stranger.id_number),
    )

    assert (answer.status_code, answer.json()["code"]) == (422, "commitment_signer_not_entitled")


def test_a_bad_supply_date_is_invalid_input(client, officer, version, person):
    case = submitted(officer, version, person, materials=(1,))
    client.force_login(officer)

    answer = post(
        client, f"{URL}/{case.number}/accept", commitment(person, version, supply_by="2026-02-30")
    )

    assert (answer.status_code, answer.json()["code"]) == (422, "invalid_input")


def test_an_acceptance_needs_no_body_at_all(client, officer, version, person):
    case = submitted(officer, version, person)
    client.force_login(officer)

    with clock.frozen(at("2026-03-02", 15)):
        answer = client.post(f"{URL}/{case.number}/accept", content_type="application/json")

    assert (answer.status_code, answer.json()["status"]) == (200, "in_review")


# -- online pre-review: correction ---------------------------------------------------------


def test_pre_review_asks_the_applicant_to_correct(client, officer, version, person):
    case = submitted(officer, version, person, materials=(1,))
    client.force_login(officer)

    answer = post(
        client,
        f"{URL}/{case.number}/request-correction",
        {
            "items": [
                {"material": material(version, 1).pk, "note": "复印件不清晰"},
                {"material": None, "note": "申请表未签字"},
            ]
        },
    )

    body = answer.json()
    assert (answer.status_code, body["status"]) == (200, "correction_requested")
    assert [(i["name"], i["note"]) for i in body["notices"][0]["body"]["items"]] == [
        ("申请材料1", "复印件不清晰"),
        ("申请表", "申请表未签字"),
    ]


def test_a_correction_must_list_something(client, officer, version, person):
    case = submitted(officer, version, person)
    client.force_login(officer)

    answer = post(client, f"{URL}/{case.number}/request-correction", {"items": []})

    assert (answer.status_code, answer.json()["code"]) == (422, "correction_items_required")


def test_a_correction_of_another_items_material_is_refused(client, officer, version, person):
    case = submitted(officer, version, person)
    foreign = catalog_factories.published_item().materials.first()
    client.force_login(officer)

    answer = post(
        client,
        f"{URL}/{case.number}/request-correction",
        {"items": [{"material": foreign.pk, "note": "不清晰"}]},
    )

    assert (answer.status_code, answer.json()["code"]) == (422, "material_not_of_item")


# -- withdrawal ------------------------------------------------------------------------------


def test_the_applicant_withdraws_a_case_in_review(client, officer, version, person):
    case = in_review(officer, version, person)
    client.force_login(person.user)

    answer = post(
        client, f"{URL}/{case.number}/withdraw", {"reason": "不再需要"}, when="2026-03-03"
    )

    body = answer.json()
    assert (answer.status_code, body["status"]) == (200, "withdrawn")
    assert [t["status"] for s in body["stages"] for t in s["tasks"]] == [TaskStatus.CANCELLED]


def test_a_window_officer_may_not_withdraw_for_the_applicant(client, officer, version, person):
    case = in_review(officer, version, person)
    client.force_login(officer)

    answer = post(client, f"{URL}/{case.number}/withdraw", when="2026-03-03")

    assert (answer.status_code, answer.json()["code"]) == (404, "case_not_found")


def test_a_decided_case_cannot_be_withdrawn(client, officer, version, person, reviewer, leader):
    case = approved(officer, version, person, reviewer, leader)
    client.force_login(person.user)

    answer = post(client, f"{URL}/{case.number}/withdraw", when="2026-03-05")

    assert (answer.status_code, answer.json()["code"]) == (422, "transition_not_allowed")


# -- decision and conclusion ---------------------------------------------------------------


def test_a_leader_decides_a_reviewed_case(client, officer, version, person, reviewer, leader):
    case = pending_decision(officer, version, person, reviewer)
    client.force_login(leader)

    answer = post(client, f"{URL}/{case.number}/decide", {"outcome": "approved"}, when="2026-03-04")

    body = answer.json()
    assert (answer.status_code, body["status"], body["decision"]["outcome"]) == (
        200,
        "approved",
        "approved",
    )


def test_a_refusal_decision_needs_a_reason(client, officer, version, person, reviewer, leader):
    case = pending_decision(officer, version, person, reviewer)
    client.force_login(leader)

    answer = post(client, f"{URL}/{case.number}/decide", {"outcome": "refused"}, when="2026-03-04")

    assert (answer.status_code, answer.json()["code"]) == (422, "reason_required")


def test_an_unknown_outcome_is_invalid_input(client, officer, version, person, reviewer, leader):
    case = pending_decision(officer, version, person, reviewer)
    client.force_login(leader)

    answer = post(client, f"{URL}/{case.number}/decide", {"outcome": "maybe"}, when="2026-03-04")

    assert (answer.status_code, answer.json()["code"]) == (422, "invalid_input")


def test_a_window_officer_may_not_decide_a_reviewed_case(
    client, officer, version, person, reviewer
):
    case = pending_decision(officer, version, person, reviewer)
    client.force_login(officer)

    answer = post(client, f"{URL}/{case.number}/decide", {"outcome": "approved"}, when="2026-03-04")

    assert (answer.status_code, answer.json()["code"]) == (403, "not_decider")


def test_the_result_is_posted_and_the_case_concluded(
    client, officer, version, person, reviewer, leader
):
    case = approved(officer, version, person, reviewer, leader)
    client.force_login(officer)

    answer = post(
        client,
        f"{URL}/{case.number}/conclude",
        {"result_number": "林审〔2026〕1号", "delivery": "post", "tracking_number": "SF123"},
        when="2026-03-05",
    )

    body = answer.json()
    assert (answer.status_code, body["status"]) == (200, "concluded")
    assert {k: body["result"][k] for k in ("name", "number", "delivery", "tracking_number")} == {
        "name": "准予行政许可决定书",
        "number": "林审〔2026〕1号",
        "delivery": "post",
        "tracking_number": "SF123",
    }


def test_posting_a_result_needs_the_tracking_number(
    client, officer, version, person, reviewer, leader
):
    case = approved(officer, version, person, reviewer, leader)
    client.force_login(officer)

    answer = post(client, f"{URL}/{case.number}/conclude", {"delivery": "post"}, when="2026-03-05")

    assert (answer.status_code, answer.json()["code"]) == (422, "tracking_number_required")
    assert Case.objects.get(pk=case.pk).status == "approved"


def test_an_undecided_case_cannot_be_concluded(client, officer, version, person):
    case = in_review(officer, version, person)
    client.force_login(officer)

    answer = post(client, f"{URL}/{case.number}/conclude", {}, when="2026-03-05")

    assert (answer.status_code, answer.json()["code"]) == (422, "not_decided")


def test_the_result_waits_for_the_pending_materials(
    client, officer, version, person, reviewer, leader
):
    case = submitted(officer, version, person, materials=(1,))
    with clock.frozen(at("2026-03-02", 11)):
        case = services.case_accept(
            user=officer,
            case=case,
            pending=[material(version, 2)],
            signed_by_name=person.name,
            signed_by_id_number=person.id_number,
        )
    with clock.frozen(at("2026-03-03")):
        services.task_approve(user=reviewer, task=case.tasks.get())
        services.case_decide(user=leader, case=Case.objects.get(pk=case.pk), outcome="approved")
    client.force_login(officer)

    answer = post(client, f"{URL}/{case.number}/conclude", {}, when="2026-03-05")

    assert (answer.status_code, answer.json()["code"]) == (422, "materials_pending")


def test_a_helper_may_not_conclude(client, officer, version, person, reviewer, leader):
    case = approved(officer, version, person, reviewer, leader)
    helper = orgs_factories.staff(centre=version.item.centre, roles=(Role.HELPER,)).user
    client.force_login(helper)

    answer = post(client, f"{URL}/{case.number}/conclude", {}, when="2026-03-05")

    assert (answer.status_code, answer.json()["code"]) == (403, "not_decider")
