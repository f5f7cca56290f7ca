"""The case API at /api/v1/cases: reads, lights, opening, actions at the window."""

from __future__ import annotations

import datetime as dt
import threading

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from yichuang.cases import services
from yichuang.cases.models import (
    Case,
    Extension,
    ExtensionStatus,
    IdempotencyKey,
    Suspension,
    SuspensionKind,
)
from yichuang.cases.tests import factories
from yichuang.cases.workflow import Status
from yichuang.catalog.tests import factories as catalog_factories
from yichuang.common import clock
from yichuang.identity.models import Applicant
from yichuang.identity.validation import resident_id_check_character
from yichuang.orgs.models import Role
from yichuang.orgs.tests import factories as orgs_factories

pytestmark = pytest.mark.django_db

URL = "/api/v1/cases"
TZ_OFFSET = dt.timedelta(hours=8)


def at(day: str, hour: int = 10) -> dt.datetime:
    """A moment on a Shanghai calendar day."""
    local = dt.datetime.fromisoformat(day).replace(hour=hour)
    return (local - TZ_OFFSET).replace(tzinfo=dt.UTC)


@pytest.fixture(autouse=True)
def _fast_passwords(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def version():
    department = orgs_factories.department(centre=orgs_factories.centre(code="blzq"))
    return catalog_factories.published_item(
        department=department, materials=2, promised_limit=5, handled_online=True
    )


@pytest.fixture
def officer(version):
    return orgs_factories.staff(centre=version.item.centre).user


def valid_id(n: int) -> str:
    """A resident ID number whose check character is right (GB 11643)."""
    body = f"15042219900307{n % 1000:03d}"
    return body + resident_id_check_character(body)


@pytest.fixture
def person():
    return factories.applicant(with_user=True, id_number=valid_id(1))


def opened(officer, version, person, *, when: str = "2026-03-02") -> Case:
    with clock.frozen(at(when)):
        return services.case_open(user=officer, item_version=version, applicant=person)


def accepted(officer, version, person, *, when: str = "2026-03-02") -> Case:
    """In review since `when`: 5 promised working days, one 3-day task."""
    case = opened(officer, version, person, when=when)
    with clock.frozen(at(when, 11)):
        for material in version.materials.all():
            services.case_material_add(
                user=officer, case=case, content=factories.PDF, material=material
            )
        return services.case_accept(user=officer, case=case)


def get(client, path: str, *, when: str = "2026-03-03", **params):
    with clock.frozen(at(when)):
        return client.get(path, params)


def post(client, path: str, body=None, *, when: str = "2026-03-03", key: str | None = None):
    headers = {"Idempotency-Key": key} if key else {}
    with clock.frozen(at(when)):
        return client.post(path, body or {}, content_type="application/json", headers=headers)


# -- public lookup -------------------------------------------------------------------------


def test_the_public_lookup_answers_the_fixed_shape(client, officer, version, person):
    case = accepted(officer, version, person)

    answer = get(client, f"{URL}/lookup", number=case.number, check=person.id_number[-6:])

    assert answer.status_code == 200
    assert answer.json() == {
        "number": case.number,
        "status": "in_review",
        "status_label": "审查中",
        "due_date": "2026-03-09",
        "light": "green",
    }


def test_the_public_lookup_accepts_the_phone_tail(client, officer, version, person):
    case = accepted(officer, version, person)

    answer = get(client, f"{URL}/lookup", number=case.number, check=person.phone[-6:])

    assert answer.json()["number"] == case.number


def test_a_wrong_check_looks_exactly_like_an_unknown_number(client, officer, version, person):
    case = accepted(officer, version, person)

    wrong = get(client, f"{URL}/lookup", number=case.number, check="000000")
    unknown = get(client, f"{URL}/lookup", number="nope-20260302-000001", check="000000")

    assert (wrong.status_code, wrong.content) == (unknown.status_code, unknown.content)
    assert wrong.status_code == 404


@pytest.mark.parametrize(
    ("today", "light"),
    [("2026-03-05", "green"), ("2026-03-06", "yellow"), ("2026-03-09", "yellow")],
)
def test_the_light_turns_yellow_near_the_due_date(client, officer, version, person, today, light):
    case = accepted(officer, version, person)  # due 2026-03-09, 5 working days

    answer = get(client, f"{URL}/lookup", when=today, number=case.number, check=person.phone[-6:])

    assert answer.json()["light"] == light


def test_the_light_is_red_after_the_due_date(client, officer, version, person):
    case = accepted(officer, version, person)

    answer = get(
        client, f"{URL}/lookup", when="2026-03-10", number=case.number, check=person.phone[-6:]
    )

    assert answer.json()["light"] == "red"


def test_a_running_suspension_keeps_the_light_from_turning_red(client, officer, version, person):
    case = accepted(officer, version, person)
    Case.objects.filter(pk=case.pk).update(status=Status.SUSPENDED)
    Suspension.objects.create(
        case=case, kind=SuspensionKind.TESTING, reason="检测", started_on=dt.date(2026, 3, 4)
    )

    answer = get(
        client, f"{URL}/lookup", when="2026-03-20", number=case.number, check=person.phone[-6:]
    )

    assert answer.json()["light"] != "red"


def test_an_approved_extension_moves_the_light_back_to_green(client, officer, version, person):
    case = accepted(officer, version, person)
    Extension.objects.create(
        case=case,
        workdays=10,
        reason="需要现场核查",
        status=ExtensionStatus.APPROVED,
        requested_at=at("2026-03-04"),
    )

    answer = get(
        client, f"{URL}/lookup", when="2026-03-10", number=case.number, check=person.phone[-6:]
    )

    assert answer.json()["light"] == "green"


def test_a_case_not_yet_accepted_has_no_light(client, officer, version, person):
    case = opened(officer, version, person)

    answer = get(client, f"{URL}/lookup", number=case.number, check=person.phone[-6:])

    assert (answer.json()["due_date"], answer.json()["light"]) == (None, None)


def test_a_refused_case_has_no_light(client, officer, version, person):
    case = accepted(officer, version, person)
    Case.objects.filter(pk=case.pk).update(status=Status.REFUSED)

    answer = get(
        client, f"{URL}/lookup", when="2026-03-20", number=case.number, check=person.phone[-6:]
    )

    assert answer.json()["light"] is None


# -- list ----------------------------------------------------------------------------------


def test_an_anonymous_caller_must_log_in(client):
    answer = get(client, URL)

    assert answer.status_code == 401
    assert answer.json()["code"] == "unauthenticated"


def test_an_applicant_lists_only_their_own_cases_with_their_number_masked(
    client, officer, version, person
):
    own = opened(officer, version, person)
    opened(officer, version, factories.applicant())
    client.force_login(person.user)

    answer = get(client, URL)

    body = answer.json()
    assert ([c["number"] for c in body["items"]], body["has_more"]) == ([own.number], False)
    assert body["items"][0]["applicant_id_number"] == (
        person.id_number[:4] + "*" * 10 + person.id_number[-4:]
    )
    assert body["items"][0]["item_name"] == version.name


def test_a_window_officer_sees_full_numbers(client, officer, version, person):
    opened(officer, version, person)
    client.force_login(officer)

    answer = get(client, URL)

    assert answer.json()["items"][0]["applicant_id_number"] == person.id_number


def test_the_list_filters_by_status_and_item(client, officer, version, person):
    submitted = opened(officer, version, person)
    in_review = accepted(officer, version, factories.applicant())
    other_item = catalog_factories.published_item(
        department=orgs_factories.department(centre=version.item.centre)
    )
    elsewhere = opened(officer, other_item, factories.applicant())
    client.force_login(officer)

    by_status = get(client, URL, status="in_review").json()
    by_item = get(client, URL, item=other_item.item.implementation_code).json()

    assert [c["number"] for c in by_status["items"]] == [in_review.number]
    assert [c["number"] for c in by_item["items"]] == [elsewhere.number]
    assert submitted.number not in {c["number"] for c in by_status["items"] + by_item["items"]}


def test_the_overdue_filter_lists_open_cases_past_their_due_date(client, officer, version, person):
    late = accepted(officer, version, person, when="2026-03-02")
    accepted(officer, version, factories.applicant(), when="2026-03-09")
    client.force_login(officer)

    answer = get(client, URL, when="2026-03-11", overdue="true")

    items = answer.json()["items"]
    assert [(c["number"], c["light"]) for c in items] == [(late.number, "red")]


def test_the_list_is_paginated_newest_first_by_cursor(client, officer, version, person):
    cases = [opened(officer, version, factories.applicant()) for _ in range(3)]
    client.force_login(officer)

    first = get(client, URL, page_size=2).json()
    second = get(client, URL, page_size=2, cursor=first["next"]).json()

    assert [c["number"] for c in first["items"]] == [cases[2].number, cases[1].number]
    assert (first["has_more"], first["page_size"]) == (True, 2)
    assert [c["number"] for c in second["items"]] == [cases[0].number]
    assert (second["has_more"], second["next"]) == (False, None)


def test_cases_opened_in_the_same_instant_are_neither_skipped_nor_repeated(
    client, officer, version
):
    with clock.frozen(at("2026-03-02")):
        cases = [opened(officer, version, factories.applicant()) for _ in range(5)]
    client.force_login(officer)

    seen, cursor = [], None
    for _ in range(5):
        body = get(client, URL, page_size=2, **({"cursor": cursor} if cursor else {})).json()
        seen += [c["number"] for c in body["items"]]
        cursor = body["next"]
        if cursor is None:
            break

    assert seen == [c.number for c in reversed(cases)]


def test_the_overdue_list_is_paginated_by_cursor(client, officer, version):
    late = [
        accepted(officer, version, factories.applicant(), when=day)
        for day in ("2026-03-02", "2026-03-02", "2026-03-03")
    ]
    client.force_login(officer)

    first = get(client, URL, when="2026-03-20", overdue="true", page_size=2).json()
    second = get(
        client, URL, when="2026-03-20", overdue="true", page_size=2, cursor=first["next"]
    ).json()

    numbers = [c["number"] for c in first["items"] + second["items"]]
    assert sorted(numbers) == sorted(c.number for c in late)
    assert (first["has_more"], second["has_more"]) == (True, False)


@pytest.mark.parametrize(
    "cursor",
    ["not-a-cursor", "e30", "WyJ0YXNrcyIsIjIwMjYtMDMtMDIiLDFd", "WyJjYXNlcyIsMSwxXQ", "x" * 201],
)
def test_a_bad_cursor_is_invalid_cursor(client, officer, cursor):
    client.force_login(officer)

    answer = get(client, URL, cursor=cursor)

    assert answer.status_code == 422
    assert answer.json()["code"] in {"invalid_cursor", "invalid_input"}
    assert answer.json()["message"]


def test_listing_many_cases_takes_a_fixed_number_of_queries(
    client, officer, version, person, django_assert_max_num_queries
):
    for _ in range(6):
        case = accepted(officer, version, factories.applicant())
        Suspension.objects.create(
            case=case, kind=SuspensionKind.TESTING, reason="检测", started_on=dt.date(2026, 3, 3)
        )
        Extension.objects.create(
            case=case, workdays=2, reason="延期", requested_at=at("2026-03-03")
        )
    client.force_login(officer)
    get(client, URL)  # warm the working-day calendar cache

    with django_assert_max_num_queries(10):
        answer = get(client, URL)

    assert len(answer.json()["items"]) == 6


@pytest.mark.parametrize(
    "params", [{"page_size": 0}, {"page_size": 101}, {"status": "nonsense"}, {"overdue": "maybe"}]
)
def test_bad_list_parameters_are_refused(client, officer, params):
    client.force_login(officer)

    answer = get(client, URL, **params)

    assert (answer.status_code, answer.json()["code"]) == (422, "invalid_input")


# -- detail and timeline -------------------------------------------------------------------


def test_the_detail_shows_materials_notices_stages_and_lights(client, officer, version, person):
    case = accepted(officer, version, person)
    client.force_login(person.user)

    body = get(client, f"{URL}/{case.number}").json()

    assert [m["material_name"] for m in body["materials"]] == ["申请材料1", "申请材料2"]
    assert body["materials"][0]["download"] == (
        f"/api/v1/cases/{case.number}/materials/{body['materials'][0]['id']}/file"
    )
    assert body["missing_materials"] == []
    assert [(n["kind"], n["label"]) for n in body["notices"]] == [("acceptance", "受理通知书")]
    assert [
        (t["department"], t["status"], t["due_date"], t["light"])
        for s in body["stages"]
        for t in s["tasks"]
    ] == [(version.item.department.name, "pending", "2026-03-05", "green")]
    assert (body["decision"], body["result"], body["agent"]) == (None, None, None)


def test_the_detail_lists_the_missing_materials(client, officer, version, person):
    case = opened(officer, version, person)
    client.force_login(officer)

    body = get(client, f"{URL}/{case.number}").json()

    assert [m["name"] for m in body["missing_materials"]] == ["申请材料1", "申请材料2"]


def test_the_agent_number_is_masked_for_the_applicant(client, officer, version, person):
    agent = factories.applicant()
    with clock.frozen(at("2026-03-02")):
        case = services.case_open(
            user=officer,
            item_version=version,
            applicant=person,
            agent_name=agent.name,
            agent_id_number=agent.id_number,
            power_of_attorney=True,
        )
    client.force_login(person.user)

    body = get(client, f"{URL}/{case.number}").json()

    assert body["agent"] == {
        "name": agent.name,
        "id_number": agent.id_number[:4] + "*" * 10 + agent.id_number[-4:],
        "power_of_attorney": True,
    }


def test_another_applicant_gets_the_answer_of_an_unknown_case(client, officer, version, person):
    case = opened(officer, version, person)
    client.force_login(factories.applicant_user())

    forbidden = get(client, f"{URL}/{case.number}")
    missing = get(client, f"{URL}/no-such-case")

    assert (forbidden.status_code, forbidden.json()) == (missing.status_code, missing.json())
    assert forbidden.json()["code"] == "case_not_found"


def test_the_timeline_lists_every_event_in_order(client, officer, version, person):
    case = accepted(officer, version, person)
    client.force_login(officer)

    events = get(client, f"{URL}/{case.number}/events").json()

    assert [e["seq"] for e in events] == list(range(1, len(events) + 1))
    assert [e["kind"] for e in events] == [
        "opened",
        "material_added",
        "material_added",
        "accepted",
        "stage_started",
    ]
    assert (events[3]["from_status_label"], events[3]["to_status_label"]) == ("已提交", "已受理")
    member = officer.staff
    assert events[4]["actor_kind"] == "system"
    assert events[0]["actor_label"] == f"{member.name}（{member.centre.name} 综合受理窗口人员）"


def test_a_reader_downloads_a_material(client, officer, version, person):
    case = accepted(officer, version, person)
    row = case.materials.first()
    client.force_login(person.user)

    answer = get(client, f"{URL}/{case.number}/materials/{row.pk}/file")

    assert answer.status_code == 200
    assert answer["Content-Type"] == "application/pdf"
    assert b"".join(answer.streaming_content) == factories.PDF


def test_a_material_of_another_case_is_not_found(client, officer, version, person):
    case = accepted(officer, version, person)
    other = accepted(officer, version, factories.applicant())
    client.force_login(officer)

    answer = get(client, f"{URL}/{case.number}/materials/{other.materials.first().pk}/file")

    assert answer.status_code == 404


# -- opening -------------------------------------------------------------------------------


def _opening(version, **extra):
    body = {
        "item": version.item.implementation_code,
        "applicant": {
            "kind": "natural_person",
            "id_number": valid_id(901),
            "name": "王小明",
            "phone": "13900001111",
        },
        "form_data": {"地址": "林东镇"},
    }
    body.update(extra)
    return body


def test_a_window_officer_opens_a_case_for_a_new_person(client, officer, version):
    client.force_login(officer)

    answer = post(client, URL, _opening(version))

    assert answer.status_code == 201
    body = answer.json()
    assert (body["status"], body["channel"], body["applicant_name"]) == (
        "submitted",
        "window",
        "王小明",
    )
    assert body["form_data"] == {"地址": "林东镇"}
    assert Applicant.objects.get(id_number=valid_id(901)).name == "王小明"


def test_opening_for_a_known_number_reuses_the_applicant(client, officer, version, person):
    client.force_login(officer)
    body = _opening(version)
    body["applicant"]["id_number"] = person.id_number.lower()

    answer = post(client, URL, body)

    assert Case.objects.get(number=answer.json()["number"]).applicant == person


def test_an_invalid_identity_number_is_refused(client, officer, version):
    client.force_login(officer)
    body = _opening(version)
    body["applicant"]["id_number"] = "150422199003070010"

    answer = post(client, URL, body)

    assert answer.status_code == 422
    assert answer.json()["field"] == "id_number"
    assert Case.objects.count() == 0


def test_an_applicant_opens_an_online_draft_for_themselves(client, version, person):
    client.force_login(person.user)

    answer = post(client, URL, {"item": version.item.implementation_code})

    assert answer.status_code == 201
    assert (answer.json()["status"], answer.json()["channel"]) == ("draft", "online")


def test_an_applicant_may_not_name_another_person(client, version, person):
    client.force_login(person.user)

    answer = post(client, URL, _opening(version))

    assert (answer.status_code, answer.json()["code"]) == (403, "applicant_details_staff_only")


def test_staff_must_name_the_applicant(client, officer, version):
    client.force_login(officer)

    answer = post(client, URL, {"item": version.item.implementation_code})

    assert (answer.status_code, answer.json()["code"]) == (422, "applicant_required")


def test_an_unknown_item_is_not_found(client, officer, version):
    client.force_login(officer)

    answer = post(client, URL, _opening(version, item="no-such-item"))

    assert (answer.status_code, answer.json()["code"]) == (404, "item_not_found")


# -- idempotency ---------------------------------------------------------------------------


def test_a_retry_with_the_same_key_answers_the_first_result(client, officer, version):
    client.force_login(officer)

    first = post(client, URL, _opening(version), key="open-1")
    retry = post(client, URL, _opening(version), key="open-1", when="2026-03-04")

    assert (retry.status_code, retry.json()) == (first.status_code, first.json())
    assert (retry["Idempotent-Replayed"], first.has_header("Idempotent-Replayed")) == (
        "true",
        False,
    )
    assert Case.objects.count() == 1


def test_the_same_key_with_another_body_is_refused(client, officer, version):
    client.force_login(officer)
    post(client, URL, _opening(version), key="open-1")

    answer = post(client, URL, _opening(version, form_data={"地址": "别处"}), key="open-1")

    assert (answer.status_code, answer.json()["code"]) == (422, "idempotency_key_reused")
    assert Case.objects.count() == 1


def test_the_same_key_on_another_endpoint_is_refused(client, officer, version, person):
    case = opened(officer, version, person)
    client.force_login(officer)
    post(client, URL, _opening(version), key="k")

    answer = post(client, f"{URL}/{case.number}/submit", key="k")

    assert answer.json()["code"] == "idempotency_key_reused"


def test_a_failed_request_does_not_use_up_its_key(client, officer, version):
    client.force_login(officer)
    failed = post(client, URL, _opening(version, item="no-such-item"), key="open-1")

    answer = post(client, URL, _opening(version), key="open-1")

    assert (failed.status_code, answer.status_code) == (404, 201)
    assert not answer.has_header("Idempotent-Replayed")


def test_keys_belong_to_one_user(client, officer, version):
    other = orgs_factories.staff(centre=version.item.centre).user
    client.force_login(officer)
    post(client, URL, _opening(version), key="open-1")
    client.force_login(other)

    answer = post(client, URL, _opening(version), key="open-1")

    assert (answer.status_code, answer.has_header("Idempotent-Replayed")) == (201, False)
    assert Case.objects.count() == 2


def test_a_key_whose_first_request_has_not_finished_is_a_conflict(client, officer, version):
    client.force_login(officer)
    first = post(client, URL, _opening(version), key="open-1")
    IdempotencyKey.objects.filter(key="open-1").update(response_status=0, response_body={})

    answer = post(client, URL, _opening(version), key="open-1")

    assert first.status_code == 201
    assert (answer.status_code, answer.json()["code"]) == (409, "idempotency_in_progress")


def test_a_retried_submission_answers_the_first_result(client, version, person):
    client.force_login(person.user)
    number = post(client, URL, {"item": version.item.implementation_code}).json()["number"]

    first = post(client, f"{URL}/{number}/submit", key="submit-1")
    retry = post(client, f"{URL}/{number}/submit", key="submit-1")
    unkeyed = post(client, f"{URL}/{number}/submit")

    assert (first.status_code, retry.status_code, retry.json()) == (200, 200, first.json())
    assert first.json()["status"] == "submitted"
    assert (unkeyed.status_code, unkeyed.json()["code"]) == (422, "transition_not_allowed")


def test_an_overlong_key_is_refused(client, officer, version):
    client.force_login(officer)

    answer = post(client, URL, _opening(version), key="k" * 101)

    assert answer.status_code == 422
    assert Case.objects.count() == 0


# -- materials -----------------------------------------------------------------------------


def upload(client, case, content: bytes, *, name="scan.pdf", material=None):
    data = {"file": SimpleUploadedFile(name, content)}
    if material is not None:
        data["material"] = material
    with clock.frozen(at("2026-03-03")):
        return client.post(f"{URL}/{case.number}/materials", data)


def test_an_applicant_uploads_a_material(client, officer, version, person):
    case = opened(officer, version, person)
    material = version.materials.first()
    client.force_login(person.user)

    answer = upload(client, case, factories.PNG, name="photo.pdf", material=material.pk)

    assert answer.status_code == 201
    body = answer.json()
    assert (body["content_type"], body["material_id"], body["size"]) == (
        "image/png",
        material.pk,
        len(factories.PNG),
    )
    assert case.materials.get().sha256 == body["sha256"]


@pytest.mark.parametrize(
    ("content", "code"),
    [(b"hello, not a pdf", "file_type_not_allowed"), (b"", "file_empty")],
)
def test_a_bad_file_is_refused(client, officer, version, person, content, code):
    case = opened(officer, version, person)
    client.force_login(officer)

    answer = upload(client, case, content)

    assert (answer.status_code, answer.json()["code"]) == (422, code)


def test_a_file_over_the_limit_is_refused(client, officer, version, person, settings):
    settings.YICHUANG = {**settings.YICHUANG, "UPLOAD_MAX_BYTES": 1024}
    case = opened(officer, version, person)
    client.force_login(officer)

    answer = upload(client, case, factories.PDF + b"0" * 2048)

    assert (answer.status_code, answer.json()["code"]) == (422, "file_too_large")


def test_a_material_of_another_item_is_refused(client, officer, version, person):
    case = opened(officer, version, person)
    foreign = catalog_factories.published_item().materials.first()
    client.force_login(officer)

    answer = upload(client, case, factories.PDF, material=foreign.pk)

    assert (answer.status_code, answer.json()["code"]) == (422, "material_not_of_item")


def test_an_upload_without_a_file_is_refused(client, officer, version, person):
    case = opened(officer, version, person)
    client.force_login(officer)

    with clock.frozen(at("2026-03-03")):
        answer = client.post(f"{URL}/{case.number}/materials", {})

    assert (answer.status_code, answer.json()["code"]) == (422, "invalid_input")


# -- acceptance ----------------------------------------------------------------------------


def test_a_window_officer_accepts_a_complete_case(client, officer, version, person):
    case = opened(officer, version, person)
    with clock.frozen(at("2026-03-02", 11)):
        for material in version.materials.all():
            services.case_material_add(
                user=officer, case=case, content=factories.PDF, material=material
            )
    client.force_login(officer)

    answer = post(client, f"{URL}/{case.number}/accept", when="2026-03-02")

    body = answer.json()
    assert (answer.status_code, body["status"], body["accepted_on"], body["due_date"]) == (
        200,
        "in_review",
        "2026-03-02",
        "2026-03-09",
    )


def test_an_incomplete_case_is_not_accepted(client, officer, version, person):
    case = opened(officer, version, person)
    client.force_login(officer)

    answer = post(client, f"{URL}/{case.number}/accept")

    assert (answer.status_code, answer.json()["code"]) == (422, "materials_incomplete")


def test_a_leader_of_the_centre_may_not_accept(client, officer, version, person):
    case = opened(officer, version, person)
    leader = orgs_factories.staff(centre=version.item.centre, roles=(Role.LEADER,)).user
    client.force_login(leader)

    answer = post(client, f"{URL}/{case.number}/accept")

    assert (answer.status_code, answer.json()["code"]) == (403, "not_window_officer")


def test_the_one_time_notice_lists_missing_and_defective_materials(
    client, officer, version, person
):
    first, second = version.materials.order_by("position")
    case = opened(officer, version, person)
    with clock.frozen(at("2026-03-02", 11)):
        services.case_material_add(user=officer, case=case, content=factories.PDF, material=first)
    client.force_login(officer)

    answer = post(
        client,
        f"{URL}/{case.number}/one-time-notice",
        {"defects": [{"material": first.pk, "note": "复印件不清晰"}]},
    )

    body = answer.json()
    assert (answer.status_code, body["status"]) == (200, "awaiting_materials")
    items = body["notices"][0]["body"]["items"]
    assert [(i["name"], i["problem"]) for i in items] == [
        (second.name, "missing"),
        (first.name, "defective"),
    ]


def test_a_defect_must_name_a_material_of_the_item(client, officer, version, person):
    case = opened(officer, version, person)
    client.force_login(officer)

    answer = post(
        client,
        f"{URL}/{case.number}/one-time-notice",
        {"defects": [{"material": 2**31 - 1, "note": "不清晰"}]},
    )

    assert (answer.status_code, answer.json()["code"]) == (422, "material_not_of_item")


def test_a_refusal_records_the_reason(client, officer, version, person):
    case = opened(officer, version, person)
    client.force_login(officer)

    answer = post(client, f"{URL}/{case.number}/refuse", {"reason": "不属于本中心受理范围"})

    body = answer.json()
    assert (body["status"], body["notices"][0]["body"]) == (
        "not_accepted",
        {"reason": "不属于本中心受理范围"},
    )


def test_a_refusal_needs_a_reason(client, officer, version, person):
    case = opened(officer, version, person)
    client.force_login(officer)

    answer = post(client, f"{URL}/{case.number}/refuse", {"reason": "  "})

    assert (answer.status_code, answer.json()["code"]) == (422, "reason_required")


@pytest.mark.postgres_only
@pytest.mark.django_db(transaction=True)
def test_two_concurrent_requests_with_one_key_open_one_case(version, officer):
    from django.db import connection
    from django.test import Client

    if connection.vendor != "postgresql":
        pytest.skip("concurrent transactions need PostgreSQL")
    clients = [Client(), Client()]
    for each in clients:
        each.force_login(officer)
    barrier = threading.Barrier(len(clients))
    answers = []

    def send(each: Client) -> None:
        try:
            barrier.wait()
            answers.append(
                each.post(
                    URL,
                    _opening(version),
                    content_type="application/json",
                    headers={"Idempotency-Key": "open-at-once"},
                )
            )
        finally:
            connection.close()

    threads = [threading.Thread(target=send, args=(each,)) for each in clients]
    with clock.frozen(at("2026-03-03")):
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()

    assert Case.objects.count() == 1
    assert [a.status_code for a in answers] == [201, 201]
    assert answers[0].json() == answers[1].json()
    assert sorted(a.has_header("Idempotent-Replayed") for a in answers) == [False, True]


def test_a_keyed_submission_sent_as_a_form_is_answered_not_crashed(version, person):
    """With CSRF enforced the form is parsed before the handler reads the body."""
    from django.test import Client

    browser = Client(enforce_csrf_checks=True)
    browser.force_login(person.user)
    browser.cookies["csrftoken"] = token = "csrf" * 8
    headers = {"Idempotency-Key": "f", "X-CSRFToken": token}
    number = opened_online(version, person).number

    with clock.frozen(at("2026-03-03")):
        first = browser.post(f"{URL}/{number}/submit", {"x": "1"}, headers=headers)
        retry = browser.post(f"{URL}/{number}/submit", {"x": "1"}, headers=headers)

    assert (first.status_code, retry.status_code) == (200, 200)
    assert retry["Idempotent-Replayed"] == "true"


def opened_online(version, person) -> Case:
    with clock.frozen(at("2026-03-02")):
        return services.case_open(user=person.user, item_version=version, applicant=person)
