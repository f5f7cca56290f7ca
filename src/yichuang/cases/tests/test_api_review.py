"""The case API's department review: task actions, correction and supplement, special
procedures, extensions, the reviewer's inbox at /api/v1/tasks, and notices as PDF."""

from __future__ import annotations

import datetime as dt
import os
import shutil
import subprocess

import pytest

from yichuang.cases import services
from yichuang.cases.models import Case, Extension, SuspensionKind, Task, TaskStatus
from yichuang.cases.pdf import PdfFontMissing, font_path
from yichuang.cases.tests import factories
from yichuang.catalog.tests import factories as catalog_factories
from yichuang.common import clock
from yichuang.orgs.tests import factories as orgs_factories

pytestmark = pytest.mark.django_db

URL = "/api/v1/cases"
TASKS = "/api/v1/tasks"
TZ_OFFSET = dt.timedelta(hours=8)


def at(day: str, hour: int = 10) -> dt.datetime:
    """A moment on a Shanghai calendar day."""
    local = dt.datetime.fromisoformat(day).replace(hour=hour)
    return (local - TZ_OFFSET).replace(tzinfo=dt.UTC)


def post(client, path: str, body=None, *, when: str = "2026-03-03", key: str | None = None):
    headers = {"Idempotency-Key": key} if key else {}
    with clock.frozen(at(when, 15)):
        return client.post(path, body or {}, content_type="application/json", headers=headers)


def get(client, path: str, *, when: str = "2026-03-03", **params):
    with clock.frozen(at(when, 15)):
        return client.get(path, params)


@pytest.fixture(autouse=True)
def _fast_passwords(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def version():
    """5 promised working days, one 3-day review stage of the item's department."""
    department = orgs_factories.department(centre=orgs_factories.centre(code="blzq"))
    return catalog_factories.published_item(
        department=department, materials=2, promised_limit=5, handled_online=True
    )


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


def in_review(officer, version, person) -> Case:
    """Accepted on 2026-03-02 (due 2026-03-09); its task due 2026-03-05."""
    with clock.frozen(at("2026-03-02")):
        case = services.case_open(user=officer, item_version=version, applicant=person)
        for material in version.materials.all():
            services.case_material_add(
                user=officer, case=case, content=factories.PDF, material=material
            )
        return services.case_accept(user=officer, case=case)


def task_url(case: Case, action: str) -> str:
    return f"{URL}/{case.number}/tasks/{case.tasks.get().pk}/{action}"


# -- approve and reject ----------------------------------------------------------------------


def test_the_last_approval_sends_the_case_to_its_decision(
    client, officer, version, person, reviewer
):
    case = in_review(officer, version, person)
    client.force_login(reviewer)

    answer = post(client, task_url(case, "approve"), {"opinion": "材料齐全，同意"})

    body = answer.json()
    assert (answer.status_code, body["status"]) == (200, "pending_decision")
    assert case.tasks.get().opinion == "材料齐全，同意"


def test_an_approval_needs_no_body(client, officer, version, person, reviewer):
    case = in_review(officer, version, person)
    client.force_login(reviewer)

    with clock.frozen(at("2026-03-03")):
        answer = client.post(task_url(case, "approve"), content_type="application/json")

    assert (answer.status_code, answer.json()["status"]) == (200, "pending_decision")


def test_a_task_is_approved_once(client, officer, version, person, reviewer):
    case = in_review(officer, version, person)
    client.force_login(reviewer)
    post(client, task_url(case, "approve"))

    again = post(client, task_url(case, "approve"))

    assert (again.status_code, again.json()["code"]) == (409, "task_not_pending")


def test_a_rejection_refuses_the_case_with_the_reason(client, officer, version, person, reviewer):
    case = in_review(officer, version, person)
    client.force_login(reviewer)

    answer = post(client, task_url(case, "reject"), {"reason": "不符合规划要求"})

    body = answer.json()
    assert (answer.status_code, body["status"]) == (200, "refused")
    assert (body["decision"]["outcome"], body["decision"]["reason"]) == (
        "refused",
        "不符合规划要求",
    )


def test_a_rejection_needs_a_reason(client, officer, version, person, reviewer):
    case = in_review(officer, version, person)
    client.force_login(reviewer)

    answer = post(client, task_url(case, "reject"), {"reason": "  "})

    assert (answer.status_code, answer.json()["code"]) == (422, "reason_required")


def test_a_reviewer_may_not_act_on_another_departments_task(client):
    joint = factories.review_item(stages=(2,))  # two departments review in parallel
    case = factories.case_in_review(item_version=joint, accepted_on=dt.date(2026, 3, 2))
    mine, theirs = case.tasks.order_by("id")
    client.force_login(factories.reviewer(department=mine.department))

    answer = post(client, f"{URL}/{case.number}/tasks/{theirs.pk}/approve")

    assert (answer.status_code, answer.json()["code"]) == (404, "case_not_found")
    assert Task.objects.get(pk=theirs.pk).status == TaskStatus.PENDING


def test_a_task_of_another_case_is_not_found(client, officer, version, person, reviewer):
    case = in_review(officer, version, person)
    other = in_review(officer, version, factories.applicant())
    client.force_login(reviewer)

    answer = post(client, f"{URL}/{case.number}/tasks/{other.tasks.get().pk}/approve")

    assert (answer.status_code, answer.json()["code"]) == (404, "task_not_found")
    assert other.tasks.get().status == TaskStatus.PENDING


def test_a_leader_may_not_approve_a_task(client, officer, version, person, leader):
    case = in_review(officer, version, person)
    client.force_login(leader)

    answer = post(client, task_url(case, "approve"))

    assert answer.status_code == 404


# -- correction and supplement (补正) --------------------------------------------------------


def correction_requested(officer, version, person, reviewer) -> Case:
    case = in_review(officer, version, person)
    with clock.frozen(at("2026-03-03")):
        services.task_request_correction(
            user=reviewer, task=case.tasks.get(), items=[(version.materials.first(), "盖章")]
        )
    return Case.objects.get(pk=case.pk)


def test_a_reviewer_asks_for_a_correction_and_the_clock_stops(
    client, officer, version, person, reviewer
):
    case = in_review(officer, version, person)
    material = version.materials.first()
    client.force_login(reviewer)

    answer = post(
        client,
        task_url(case, "request-correction"),
        {"items": [{"material": material.pk, "note": "缺少公章"}]},
    )

    body = answer.json()
    assert (answer.status_code, body["status"]) == (200, "suspended")
    assert [(s["kind"], s["ended_on"]) for s in body["suspensions"]] == [("correction", None)]
    assert body["notices"][-1]["body"]["items"][0]["note"] == "缺少公章"


def test_a_task_correction_of_another_items_material_is_refused(
    client, officer, version, person, reviewer
):
    case = in_review(officer, version, person)
    foreign = catalog_factories.published_item().materials.first()
    client.force_login(reviewer)

    answer = post(
        client,
        task_url(case, "request-correction"),
        {"items": [{"material": foreign.pk, "note": "缺少公章"}]},
    )

    assert (answer.status_code, answer.json()["code"]) == (422, "material_not_of_item")


def supplied(case: Case, person) -> None:
    with clock.frozen(at("2026-03-04", 9)):
        services.case_material_add(
            user=person.user,
            case=case,
            content=factories.PNG,
            material=case.item_version.materials.first(),
        )


def test_the_applicant_hands_in_the_supplement_and_the_clock_restarts(
    client, officer, version, person, reviewer
):
    case = correction_requested(officer, version, person, reviewer)
    supplied(case, person)
    client.force_login(person.user)

    answer = post(client, f"{URL}/{case.number}/supplement", when="2026-03-04")

    body = answer.json()
    assert (answer.status_code, body["status"]) == (200, "in_review")
    assert [s["ended_on"] for s in body["suspensions"]] == ["2026-03-04"]
    assert case.tasks.get().status == TaskStatus.PENDING


def test_a_retried_supplement_answers_the_first_result(client, officer, version, person, reviewer):
    case = correction_requested(officer, version, person, reviewer)
    supplied(case, person)
    client.force_login(person.user)

    first = post(client, f"{URL}/{case.number}/supplement", when="2026-03-04", key="sup-1")
    retry = post(client, f"{URL}/{case.number}/supplement", when="2026-03-04", key="sup-1")

    assert (first.status_code, retry.status_code, retry.json()) == (200, 200, first.json())
    assert retry["Idempotent-Replayed"] == "true"
    assert case.events.filter(kind="supplement_submitted").count() == 1


def test_a_supplement_needs_a_new_upload(client, officer, version, person, reviewer):
    case = correction_requested(officer, version, person, reviewer)
    client.force_login(person.user)

    answer = post(client, f"{URL}/{case.number}/supplement", when="2026-03-04")

    assert (answer.status_code, answer.json()["code"]) == (422, "supplement_missing")


def test_a_supplement_without_a_correction_is_a_conflict(client, officer, version, person):
    case = in_review(officer, version, person)
    client.force_login(person.user)

    answer = post(client, f"{URL}/{case.number}/supplement")

    assert (answer.status_code, answer.json()["code"]) == (409, "no_correction_pending")


# -- special procedures ----------------------------------------------------------------------


def test_a_reviewer_starts_a_special_procedure(client, officer, version, person, reviewer):
    case = in_review(officer, version, person)
    client.force_login(reviewer)

    answer = post(client, task_url(case, "suspend"), {"kind": "testing", "reason": "送检"})

    body = answer.json()
    assert (answer.status_code, body["status"]) == (200, "suspended")
    assert [(s["kind"], s["reason"]) for s in body["suspensions"]] == [("testing", "送检")]
    assert body["notices"][-1]["kind"] == "suspension"


def test_a_correction_is_not_a_special_procedure(client, officer, version, person, reviewer):
    case = in_review(officer, version, person)
    client.force_login(reviewer)

    answer = post(client, task_url(case, "suspend"), {"kind": "correction", "reason": "补正"})

    assert (answer.status_code, answer.json()["code"]) == (422, "suspension_kind_invalid")


def test_the_reviewer_ends_the_special_procedure(client, officer, version, person, reviewer):
    case = in_review(officer, version, person)
    with clock.frozen(at("2026-03-03")):
        services.case_suspend(
            user=reviewer, task=case.tasks.get(), kind=SuspensionKind.TESTING, reason="送检"
        )
    client.force_login(reviewer)

    answer = post(client, f"{URL}/{case.number}/resume", when="2026-03-05")

    body = answer.json()
    assert (answer.status_code, body["status"]) == (200, "in_review")
    assert [s["ended_on"] for s in body["suspensions"]] == ["2026-03-05"]


def test_resuming_without_a_special_procedure_is_a_conflict(
    client, officer, version, person, reviewer
):
    case = in_review(officer, version, person)
    client.force_login(reviewer)

    answer = post(client, f"{URL}/{case.number}/resume")

    assert (answer.status_code, answer.json()["code"]) == (409, "no_special_procedure")


# -- extensions ----------------------------------------------------------------------------


def test_a_reviewer_requests_an_extension(client, officer, version, person, reviewer):
    case = in_review(officer, version, person)
    task = case.tasks.get()
    client.force_login(reviewer)

    answer = post(client, task_url(case, "extensions"), {"workdays": 5, "reason": "现场核查"})

    assert answer.status_code == 201
    [extension] = answer.json()["extensions"]
    assert (extension["task_id"], extension["workdays"], extension["status"]) == (
        task.pk,
        5,
        "requested",
    )


@pytest.mark.parametrize("workdays", [0, 31])
def test_an_extension_outside_the_schema_range_is_invalid_input(
    client, officer, version, person, reviewer, workdays
):
    case = in_review(officer, version, person)
    client.force_login(reviewer)

    answer = post(client, task_url(case, "extensions"), {"workdays": workdays, "reason": "核查"})

    assert (answer.status_code, answer.json()["code"]) == (422, "invalid_input")


def test_an_extension_beyond_the_legal_limit_is_refused(client, officer, version, person, reviewer):
    case = in_review(officer, version, person)
    client.force_login(reviewer)

    answer = post(client, task_url(case, "extensions"), {"workdays": 11, "reason": "核查"})

    assert (answer.status_code, answer.json()["code"]) == (422, "extension_too_long")


def requested(case: Case, reviewer) -> Extension:
    with clock.frozen(at("2026-03-03")):
        return services.extension_request(
            user=reviewer, task=case.tasks.get(), workdays=5, reason="现场核查"
        )


def test_a_leader_approves_an_extension_and_the_due_date_moves(
    client, officer, version, person, reviewer, leader
):
    case = in_review(officer, version, person)
    extension = requested(case, reviewer)
    client.force_login(leader)

    answer = post(
        client,
        f"{URL}/{case.number}/extensions/{extension.pk}/decide",
        {"approve": True, "note": "同意"},
        when="2026-03-04",
    )

    body = answer.json()
    assert (answer.status_code, body["due_date"]) == (200, "2026-03-16")
    assert (body["extensions"][0]["status"], body["extensions"][0]["decision_note"]) == (
        "approved",
        "同意",
    )
    assert body["notices"][-1]["kind"] == "extension"


def test_a_leader_refuses_an_extension(client, officer, version, person, reviewer, leader):
    case = in_review(officer, version, person)
    extension = requested(case, reviewer)
    client.force_login(leader)

    answer = post(
        client,
        f"{URL}/{case.number}/extensions/{extension.pk}/decide",
        {"approve": False},
        when="2026-03-04",
    )

    body = answer.json()
    assert (body["due_date"], body["extensions"][0]["status"]) == ("2026-03-09", "refused")


def test_a_reviewer_may_not_approve_an_extension(client, officer, version, person, reviewer):
    case = in_review(officer, version, person)
    extension = requested(case, reviewer)
    client.force_login(reviewer)

    answer = post(
        client, f"{URL}/{case.number}/extensions/{extension.pk}/decide", {"approve": True}
    )

    assert (answer.status_code, answer.json()["code"]) == (403, "not_leader")


def test_an_extension_of_another_case_is_not_found(
    client, officer, version, person, reviewer, leader
):
    case = in_review(officer, version, person)
    other = in_review(officer, version, factories.applicant())
    extension = requested(other, reviewer)
    client.force_login(leader)

    answer = post(
        client, f"{URL}/{case.number}/extensions/{extension.pk}/decide", {"approve": True}
    )

    assert (answer.status_code, answer.json()["code"]) == (404, "extension_not_found")


# -- the reviewer's inbox ------------------------------------------------------------------


def test_the_inbox_lists_the_departments_pending_tasks_most_urgent_first(
    client, officer, version, person, reviewer
):
    later = in_review(officer, version, factories.applicant())
    later.tasks.update(due_date=dt.date(2026, 3, 6))
    sooner = in_review(officer, version, person)
    client.force_login(reviewer)

    body = get(client, TASKS, when="2026-03-04").json()

    assert [t["case_number"] for t in body["items"]] == [sooner.number, later.number]
    first = body["items"][0]
    assert {
        k: first[k]
        for k in ("applicant_id_number", "item_name", "stage_name", "due_date", "light", "status")
    } == {
        "applicant_id_number": person.id_number,
        "item_name": version.name,
        "stage_name": "审查",
        "due_date": "2026-03-05",
        "light": "yellow",
        "status": "pending",
    }


def test_the_inbox_filters_by_status(client, officer, version, person, reviewer):
    done = in_review(officer, version, person)
    in_review(officer, version, factories.applicant())
    with clock.frozen(at("2026-03-03")):
        services.task_approve(user=reviewer, task=done.tasks.get())
    client.force_login(reviewer)

    body = get(client, TASKS, status="approved").json()

    assert [t["case_number"] for t in body["items"]] == [done.number]


def test_the_inbox_of_another_department_is_empty(client, officer, version, person):
    in_review(officer, version, person)
    other = factories.reviewer(department=orgs_factories.department(centre=version.item.centre))
    client.force_login(other)

    body = get(client, TASKS).json()

    assert (body["items"], body["has_more"], body["next"]) == ([], False, None)


def test_the_inbox_is_paginated_by_cursor(client, officer, version, reviewer):
    cases = [in_review(officer, version, factories.applicant()) for _ in range(3)]
    client.force_login(reviewer)

    first = get(client, TASKS, page_size=2).json()
    second = get(client, TASKS, page_size=2, cursor=first["next"]).json()

    numbers = [t["case_number"] for t in first["items"] + second["items"]]
    assert sorted(numbers) == sorted(c.number for c in cases)
    assert (len(first["items"]), first["has_more"]) == (2, True)
    assert (len(second["items"]), second["has_more"]) == (1, False)


def test_a_cursor_of_the_case_list_is_refused_by_the_inbox(client, officer, version, reviewer):
    for _ in range(2):
        in_review(officer, version, factories.applicant())
    client.force_login(officer)
    case_cursor = get(client, "/api/v1/cases", page_size=1).json()["next"]
    client.force_login(reviewer)

    answer = get(client, TASKS, cursor=case_cursor)

    assert (answer.status_code, answer.json()["code"]) == (422, "invalid_cursor")


def test_an_unknown_task_status_is_invalid_input(client, reviewer):
    client.force_login(reviewer)

    answer = get(client, TASKS, status="nonsense")

    assert (answer.status_code, answer.json()["code"]) == (422, "invalid_input")


def test_listing_many_tasks_takes_a_fixed_number_of_queries(
    client, officer, version, reviewer, django_assert_max_num_queries
):
    for _ in range(6):
        case = in_review(officer, version, factories.applicant())
        Extension.objects.create(
            case=case,
            task=case.tasks.get(),
            workdays=2,
            reason="延期",
            requested_at=at("2026-03-03"),
        )
    client.force_login(reviewer)
    get(client, TASKS)  # warm the working-day calendar cache

    with django_assert_max_num_queries(9):
        answer = get(client, TASKS)

    assert len(answer.json()["items"]) == 6


# -- notices as PDF --------------------------------------------------------------------------


def _needed(available: bool, what: str) -> None:
    """Skip when a host tool is missing, unless YICHUANG_REQUIRE_BROWSER demands it."""
    if available:
        return
    if os.environ.get("YICHUANG_REQUIRE_BROWSER"):
        pytest.fail(f"{what} is required but missing")
    pytest.skip(f"{what} is missing")


def _font_installed() -> bool:
    try:
        font_path()
    except PdfFontMissing:
        return False
    return True


def test_a_reader_gets_the_notice_as_a_pdf_naming_the_case(
    client, officer, version, person, tmp_path
):
    _needed(shutil.which("pdftotext") is not None, "pdftotext (poppler-utils)")
    _needed(_font_installed(), "a CJK font (fonts-noto-cjk)")
    case = in_review(officer, version, person)
    client.force_login(person.user)
    notice = get(client, f"{URL}/{case.number}").json()["notices"][0]

    answer = get(client, notice["pdf"])

    assert answer.status_code == 200
    assert answer["Content-Type"] == "application/pdf"
    assert answer["Content-Disposition"] == f'inline; filename="{notice["number"]}.pdf"'
    path = tmp_path / "notice.pdf"
    path.write_bytes(answer.content)
    text = subprocess.run(
        ["pdftotext", str(path), "-"], capture_output=True, check=True, text=True
    ).stdout
    assert case.number in text
    assert "受理通知书" in text


def test_the_notice_link_is_that_of_its_case(client, officer, version, person):
    case = in_review(officer, version, person)
    client.force_login(officer)

    notice = get(client, f"{URL}/{case.number}").json()["notices"][0]

    assert notice["pdf"] == f"{URL}/{case.number}/notices/{notice['number']}.pdf"


def test_a_notice_of_another_case_is_not_found(client, officer, version, person):
    case = in_review(officer, version, person)
    other = in_review(officer, version, factories.applicant())
    client.force_login(officer)

    answer = get(client, f"{URL}/{case.number}/notices/{other.notices.get().number}.pdf")

    assert (answer.status_code, answer.json()["code"]) == (404, "notice_not_found")


def test_without_a_font_the_pdf_is_a_503_with_a_reason(client, officer, version, person, settings):
    settings.YICHUANG = {**settings.YICHUANG, "PDF_FONT": ""}
    case = in_review(officer, version, person)
    client.force_login(officer)

    answer = get(client, f"{URL}/{case.number}/notices/{case.notices.get().number}.pdf")

    assert (answer.status_code, answer.json()["code"]) == (503, "pdf_font_missing")
