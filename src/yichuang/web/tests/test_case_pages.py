"""The applicant's case pages, the public lookup and the login landing, through the client."""

from __future__ import annotations

import datetime as dt
import os
import re
import shutil
import subprocess
from zoneinfo import ZoneInfo

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from yichuang.cases import services as case_services
from yichuang.cases.history import case_event_record
from yichuang.cases.models import Case, Channel, SubmittedMaterial
from yichuang.cases.tests import factories as case_factories
from yichuang.cases.workflow import Actor, Status
from yichuang.catalog.models import Material, MaterialSource, depth_mask
from yichuang.catalog.tests import factories as catalog_factories
from yichuang.common import clock
from yichuang.identity.models import Applicant, ApplicantKind
from yichuang.identity.validation import resident_id_check_character
from yichuang.notifications.models import Message
from yichuang.orgs.models import Role
from yichuang.orgs.tests import factories as orgs_factories
from yichuang.web import case_display

pytestmark = pytest.mark.django_db

PASSWORD = "correct-horse-battery"
SHANGHAI = ZoneInfo("Asia/Shanghai")
NOT_FOUND = "未找到该办件，请核对办件编号和校验码"


def valid_resident_id(n: int) -> str:
    """A resident ID whose check character is right (GB 11643)."""
    body = f"15042219850611{n % 1000:03d}"
    return body + resident_id_check_character(body)


def at(day: str, hour: int = 10) -> dt.datetime:
    return dt.datetime.fromisoformat(day).replace(hour=hour, tzinfo=SHANGHAI)


@pytest.fixture(autouse=True)
def _media_in_tmp(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def online_item():
    version = catalog_factories.published_item(
        materials=2, handled_online=True, name="个体工商户设立登记"
    )
    Material.objects.filter(version=version, position=2).update(pendable=True)
    return version


@pytest.fixture
def person():
    return case_factories.applicant(with_user=True, name="张三")


@pytest.fixture
def draft(online_item, person):
    return case_services.case_open(
        user=person.user, item_version=online_item, applicant=person, form_data={}
    )


def login(client, applicant: Applicant) -> None:
    client.force_login(applicant.user)


def text(response) -> str:
    return response.content.decode()


def pdf_upload(name: str = "申请书.pdf") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, case_factories.PDF, content_type="application/pdf")


# -- login ---------------------------------------------------------------------------------


def test_login_page_renders_in_chinese(client):
    response = client.get("/accounts/login/")

    assert response.status_code == 200
    assert "<h1" in text(response)
    assert "登录" in text(response)
    assert 'name="username"' in text(response)


def test_wrong_password_shows_a_chinese_error(client, person):
    response = client.post(
        "/accounts/login/", {"username": person.user.username, "password": "wrong"}
    )

    assert response.status_code == 200
    assert "用户名或密码错误" in text(response)
    assert "_auth_user_id" not in client.session


def test_applicant_lands_on_my_cases_after_login(client, person):
    response = client.post(
        "/accounts/login/", {"username": person.user.username, "password": PASSWORD}, follow=True
    )

    assert response.redirect_chain == [("/landing/", 302), ("/my/cases/", 302)]
    assert response.status_code == 200


@pytest.mark.parametrize(
    ("roles", "path"),
    [
        ((Role.WINDOW_OFFICER,), "/desk/"),
        ((Role.HELPER,), "/desk/"),
        ((Role.REVIEWER,), "/inbox/"),
        ((Role.LEADER,), "/overview/"),
        ((Role.CENTRE_ADMIN,), "/overview/"),
    ],
)
def test_staff_land_on_the_page_of_their_role(client, roles, path):
    member = orgs_factories.staff(roles=roles)
    client.force_login(member.user)

    response = client.get("/landing/")

    assert response.status_code == 302
    assert response["Location"] == path


def test_landing_needs_a_login(client):
    response = client.get("/landing/")

    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")


def test_header_shows_the_name_and_a_logout_button(client, person):
    login(client, person)

    page = text(client.get("/"))

    assert "您好，张三" in page
    assert re.search(r'<form[^>]*method="post"[^>]*action="/accounts/logout/"', page)


def test_logout_by_post_shows_the_logged_out_page(client, person):
    login(client, person)

    response = client.post("/accounts/logout/")

    assert response.status_code == 200
    assert "您已安全退出" in text(response)
    assert "_auth_user_id" not in client.session


# -- public lookup -------------------------------------------------------------------------


@pytest.fixture
def accepted_case(online_item, person):
    return case_factories.case(
        item_version=online_item,
        applicant=person,
        status=Status.IN_REVIEW,
        accepted_on=dt.date(2026, 3, 2),
        due_date=dt.date(2026, 3, 9),  # 5 working days promised
    )


def lookup(client, number: str, check: str):
    return client.post("/cases/lookup/", {"number": number, "check": check})


def test_lookup_prefills_the_number_from_the_address(client):
    response = client.get("/cases/lookup/?number=centre-20260302-000007")

    assert response.status_code == 200
    assert 'value="centre-20260302-000007"' in text(response)


def test_lookup_with_the_id_tail_shows_status_and_due_date_only(client, accepted_case, person):
    with clock.frozen(at("2026-03-03")):
        response = lookup(client, accepted_case.number, person.id_number[-6:])
    page = text(response)

    assert response.status_code == 200
    assert accepted_case.number in page
    assert "审查中" in page
    assert "2026年3月9日" in page
    assert person.name not in page
    assert person.id_number not in page
    assert person.phone not in page


def test_lookup_with_the_phone_tail_finds_the_case(client, accepted_case, person):
    with clock.frozen(at("2026-03-03")):
        response = lookup(client, accepted_case.number, person.phone[-6:])

    assert "审查中" in text(response)


def test_lookup_shows_the_light_as_dot_and_word(client, accepted_case, person):
    with clock.frozen(at("2026-03-10")):
        page = text(lookup(client, accepted_case.number, person.id_number[-6:]))

    assert 'data-light="red"' in page
    assert "已超期" in page
    assert 'class="light-dot"' in page


def answer_of(page: str) -> str:
    return page.split('id="lookup-answer"', 1)[1].split("</div>", 1)[0]


def test_wrong_check_looks_exactly_like_an_unknown_number(client, accepted_case):
    wrong = text(lookup(client, accepted_case.number, "000000"))
    unknown = text(lookup(client, "no-such-case", "000000"))

    assert NOT_FOUND in wrong
    assert answer_of(wrong) == answer_of(unknown)


def test_a_draft_is_not_found_publicly(client, draft, person):
    page = text(lookup(client, draft.number, person.id_number[-6:]))

    assert NOT_FOUND in page


def test_a_short_check_is_a_chinese_form_error(client, accepted_case):
    response = lookup(client, accepted_case.number, "12")

    assert response.status_code == 200
    assert "校验码为6位" in text(response)


@pytest.mark.parametrize(
    ("today", "promised", "due", "expected"),
    [
        ("2026-03-03", 10, dt.date(2026, 3, 16), "green"),
        ("2026-03-05", 4, dt.date(2026, 3, 6), "yellow"),
        ("2026-03-09", 4, dt.date(2026, 3, 6), "red"),
    ],
)
def test_case_light_follows_the_due_date(online_item, today, promised, due, expected):
    online_item.promised_limit = promised
    online_item.save(update_fields=["promised_limit"])
    case = case_factories.case(
        item_version=online_item,
        status=Status.IN_REVIEW,
        accepted_on=dt.date(2026, 3, 2),
        due_date=due,
    )

    light = case_display.case_light(case=case, today=dt.date.fromisoformat(today))

    assert light == expected


def test_a_case_not_yet_accepted_has_no_light(draft):
    """The page then says 未开始计时 instead of a colour."""
    assert case_display.case_light(case=draft, today=dt.date(2026, 3, 3)) is None


# -- my cases ------------------------------------------------------------------------------


def test_my_cases_needs_a_login(client):
    response = client.get("/my/cases/")

    assert response.status_code == 302
    assert response["Location"] == "/accounts/login/?next=/my/cases/"


def test_my_cases_is_for_applicant_accounts(client):
    member = orgs_factories.staff(roles=(Role.WINDOW_OFFICER,))
    client.force_login(member.user)

    response = client.get("/my/cases/")

    assert response.status_code == 403
    assert "请以申请人账号登录" in text(response)


def test_my_cases_lists_own_cases_drafts_first(client, person, online_item, draft):
    submitted = case_factories.case(item_version=online_item, applicant=person)
    others = case_factories.case(item_version=online_item)
    login(client, person)

    page = text(client.get("/my/cases/"))
    numbers = re.findall(r'data-case="([^"]+)"', page)

    assert numbers == [draft.number, submitted.number]
    assert others.number not in page
    assert "草稿" in page


def test_my_cases_lists_cases_the_applicant_is_agent_for(client, person, online_item):
    principal = case_factories.applicant(name="李四")
    agency = case_factories.case(
        item_version=online_item, applicant=principal, agent=person, power_of_attorney=True
    )
    login(client, person)

    page = text(client.get("/my/cases/"))

    assert agency.number in page
    assert "代 李四 申请" in page


def test_my_cases_query_count_does_not_grow_with_cases(
    client, person, online_item, django_assert_max_num_queries
):
    for _ in range(6):
        case_factories.case(
            item_version=online_item,
            applicant=person,
            status=Status.IN_REVIEW,
            accepted_on=dt.date(2026, 3, 2),
            due_date=dt.date(2026, 3, 9),
        )
    login(client, person)

    with django_assert_max_num_queries(12):
        response = client.get("/my/cases/")

    assert response.status_code == 200


# -- the case page -------------------------------------------------------------------------


def test_another_applicants_case_is_not_found(client, draft):
    stranger = case_factories.applicant(with_user=True)
    login(client, stranger)

    response = client.get(f"/my/cases/{draft.number}/")

    assert response.status_code == 404


def test_the_case_page_needs_a_login(client, draft):
    response = client.get(f"/my/cases/{draft.number}/")

    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")


def test_case_page_shows_the_timeline_in_chinese(client, draft, person):
    login(client, person)

    page = text(client.get(f"/my/cases/{draft.number}/"))

    assert "创建申请" in page
    assert "张三" in page
    assert "草稿" in page


def test_timeline_shows_the_reason_and_unknown_kinds_raw(client, draft, person):
    case_event_record(
        case=draft, actor=None, actor_kind=Actor.SYSTEM, kind="brand_new_kind", reason="测试原因"
    )
    login(client, person)

    page = text(client.get(f"/my/cases/{draft.number}/"))

    assert "brand_new_kind" in page
    assert "测试原因" in page


@pytest.mark.parametrize(
    ("kind", "label"),
    [("one_time_notice", "一次性告知"), ("pending_overdue", "容缺材料逾期未补"), ("x_y", "x_y")],
)
def test_event_label(kind, label):
    assert case_display.event_label(kind) == label


def test_checklist_marks_missing_required_materials(client, draft, person):
    login(client, person)

    page = text(client.get(f"/my/cases/{draft.number}/"))

    assert page.count("check-row is-missing") == 2
    assert "可容缺" in page


def test_shared_materials_are_never_missing(client, draft, person, online_item):
    Material.objects.create(
        version=online_item, position=3, name="户口簿", source=MaterialSource.DATA_SHARING
    )
    login(client, person)

    page = text(client.get(f"/my/cases/{draft.number}/"))

    assert "免提交" in page
    assert page.count("check-row is-missing") == 2


def test_upload_a_pdf_for_a_material(client, draft, person, online_item):
    material = online_item.materials.get(position=1)
    login(client, person)

    response = client.post(
        f"/my/cases/{draft.number}/materials/",
        {"material": material.pk, "file": pdf_upload()},
        follow=True,
    )

    stored = SubmittedMaterial.objects.get(case=draft)
    assert stored.material == material
    assert stored.content_type == "application/pdf"
    assert "材料已上传" in text(response)
    assert '上传材料</strong> <span class="limit-note-inline">申请材料1</span>' in text(response)
    assert text(response).count("check-row is-missing") == 1


def test_a_text_file_is_refused_in_chinese_and_nothing_is_stored(client, draft, person):
    login(client, person)
    fake = SimpleUploadedFile("申请书.pdf", b"just text", content_type="application/pdf")

    response = client.post(f"/my/cases/{draft.number}/materials/", {"material": "", "file": fake})

    assert response.status_code == 422
    assert "只能上传 PDF、JPEG 或 PNG 文件" in text(response)
    assert not SubmittedMaterial.objects.filter(case=draft).exists()


def test_an_upload_without_a_file_is_a_chinese_error(client, draft, person, online_item):
    material = online_item.materials.get(position=1)
    login(client, person)

    response = client.post(f"/my/cases/{draft.number}/materials/", {"material": material.pk})

    assert response.status_code == 422
    assert "请选择要上传的文件" in text(response)
    assert not SubmittedMaterial.objects.filter(case=draft).exists()


def test_a_material_of_another_item_is_refused(client, draft, person):
    foreign = catalog_factories.published_item(materials=1).materials.get()
    login(client, person)

    response = client.post(
        f"/my/cases/{draft.number}/materials/", {"material": foreign.pk, "file": pdf_upload()}
    )

    assert response.status_code == 422
    assert "该材料不属于本事项" in text(response)
    assert not SubmittedMaterial.objects.filter(case=draft).exists()


def test_a_file_over_the_limit_is_refused(client, draft, person, settings):
    settings.YICHUANG = {**settings.YICHUANG, "UPLOAD_MAX_BYTES": 1024 * 1024}
    big = SimpleUploadedFile("big.pdf", case_factories.PDF + b"0" * (1024 * 1024))
    login(client, person)

    response = client.post(f"/my/cases/{draft.number}/materials/", {"file": big})

    assert response.status_code == 422
    assert "文件不能超过 1 MB" in text(response)
    assert not SubmittedMaterial.objects.filter(case=draft).exists()


def test_nobody_else_can_upload_to_a_case(client, draft):
    login(client, case_factories.applicant(with_user=True))

    response = client.post(f"/my/cases/{draft.number}/materials/", {"file": pdf_upload()})

    assert response.status_code == 404
    assert not SubmittedMaterial.objects.filter(case=draft).exists()


def test_upload_needs_post(client, draft, person):
    login(client, person)

    response = client.get(f"/my/cases/{draft.number}/materials/")

    assert response.status_code == 405


def test_submit_a_draft_for_pre_review(client, draft, person):
    login(client, person)

    response = client.post(f"/my/cases/{draft.number}/submit/", follow=True)

    draft.refresh_from_db()
    assert draft.status == Status.SUBMITTED
    assert "已提交预审" in text(response)
    assert "提交申请" in text(response)


def test_the_submit_button_is_shown_only_when_allowed(client, draft, person):
    login(client, person)
    before = text(client.get(f"/my/cases/{draft.number}/"))
    client.post(f"/my/cases/{draft.number}/submit/")

    after = text(client.get(f"/my/cases/{draft.number}/"))

    assert f"/my/cases/{draft.number}/submit/" in before
    assert f"/my/cases/{draft.number}/submit/" not in after


def test_submitting_twice_shows_a_chinese_error(client, draft, person):
    login(client, person)
    client.post(f"/my/cases/{draft.number}/submit/")

    response = client.post(f"/my/cases/{draft.number}/submit/", follow=True)

    assert response.status_code == 200
    assert "申请人不能将办件从“已提交”变更为“已提交”" in text(response)


def test_resubmit_after_a_correction_request(client, online_item, person):
    case = case_factories.case(
        item_version=online_item,
        applicant=person,
        status=Status.CORRECTION_REQUESTED,
        channel=Channel.ONLINE,
    )
    login(client, person)

    page = text(client.get(f"/my/cases/{case.number}/"))
    client.post(f"/my/cases/{case.number}/submit/")

    case.refresh_from_db()
    assert "重新提交" in page
    assert case.status == Status.SUBMITTED


# -- apply ---------------------------------------------------------------------------------


APPLY = {
    "description": "申请设立个体工商户",
    "phone": "13800001234",
    "address": "林东镇契丹大街1号",
}


def apply_url(version) -> str:
    return f"/apply/{version.item.implementation_code}/"


def test_the_guide_offers_online_application_for_online_items(client, online_item):
    page = text(client.get(f"/items/{online_item.item.implementation_code}/"))

    assert apply_url(online_item) in page
    assert "在线申请" in page


def test_the_guide_of_an_item_with_online_intake_depth_offers_it(client):
    version = catalog_factories.published_item(online_depth=depth_mask([1, 2]))

    page = text(client.get(f"/items/{version.item.implementation_code}/"))

    assert apply_url(version) in page


def test_the_guide_of_a_window_only_item_has_no_apply_button(client):
    version = catalog_factories.published_item(online_depth=depth_mask([1]))

    page = text(client.get(f"/items/{version.item.implementation_code}/"))

    assert apply_url(version) not in page


def test_apply_needs_a_login(client, online_item):
    response = client.get(apply_url(online_item))

    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")


def test_apply_saves_an_online_draft_and_opens_the_case_page(client, online_item, person):
    login(client, person)

    response = client.post(apply_url(online_item), APPLY)

    case = Case.objects.get(applicant=person)
    assert response.status_code == 302
    assert response["Location"] == f"/my/cases/{case.number}/"
    assert case.status == Status.DRAFT
    assert case.channel == Channel.ONLINE
    assert case.form_data == APPLY


def test_apply_with_a_bad_phone_shows_a_chinese_error(client, online_item, person):
    login(client, person)

    response = client.post(apply_url(online_item), {**APPLY, "phone": "12"})

    assert response.status_code == 422
    assert "请填写正确的手机号码或固定电话" in text(response)
    assert not Case.objects.exists()


def test_apply_with_empty_fields_lists_every_missing_field(client, online_item, person):
    login(client, person)

    page = text(client.post(apply_url(online_item), {}))

    assert "请填写申请事项说明" in page
    assert "请填写联系电话" in page
    assert "请填写联系地址" in page


def test_agent_with_a_bad_principal_id_gets_the_validation_message(client, online_item, person):
    login(client, person)
    good = valid_resident_id(77)
    bad = good[:-1] + ("0" if good[-1] == "1" else "1")

    response = client.post(
        apply_url(online_item),
        {
            **APPLY,
            "on_behalf": "on",
            "principal_kind": ApplicantKind.NATURAL_PERSON,
            "principal_id_number": bad,
            "principal_name": "王五",
            "power_of_attorney": "on",
        },
    )

    assert response.status_code == 422
    assert "身份证号码校验位不正确" in text(response)
    assert not Case.objects.exists()


def test_agent_without_power_of_attorney_is_refused(client, online_item, person):
    login(client, person)

    response = client.post(
        apply_url(online_item),
        {
            **APPLY,
            "on_behalf": "on",
            "principal_kind": ApplicantKind.NATURAL_PERSON,
            "principal_id_number": valid_resident_id(78),
            "principal_name": "王五",
        },
    )

    assert response.status_code == 422
    assert "代他人申请须提交授权委托书" in text(response)
    assert not Case.objects.exists()


def test_agent_applies_for_the_principal(client, online_item, person):
    login(client, person)

    client.post(
        apply_url(online_item),
        {
            **APPLY,
            "on_behalf": "on",
            "principal_kind": ApplicantKind.NATURAL_PERSON,
            "principal_id_number": valid_resident_id(79),
            "principal_name": "王五",
            "power_of_attorney": "on",
        },
    )

    case = Case.objects.get()
    assert case.applicant.name == "王五"
    assert case.agent == person
    assert case.power_of_attorney is True


def test_agent_naming_a_known_number_with_another_name_is_refused(client, online_item, person):
    known = case_factories.applicant(name="赵六", id_number=valid_resident_id(80))
    login(client, person)

    response = client.post(
        apply_url(online_item),
        {
            **APPLY,
            "on_behalf": "on",
            "principal_kind": ApplicantKind.NATURAL_PERSON,
            "principal_id_number": known.id_number,
            "principal_name": "冒名",
            "power_of_attorney": "on",
        },
    )

    assert response.status_code == 422
    assert "申请人姓名或名称与证件号码不一致" in text(response)
    assert not Case.objects.exists()


def test_apply_to_an_item_without_online_intake_creates_nothing(client, person):
    version = catalog_factories.published_item(online_depth=0)
    login(client, person)

    response = client.post(apply_url(version), APPLY)

    assert "该事项不支持网上申请" in text(response)
    assert not Case.objects.exists()


def test_apply_to_an_unknown_item_is_not_found(client, person):
    login(client, person)

    response = client.get("/apply/no-such-code/")

    assert response.status_code == 404


def test_apply_for_an_item_not_serving_natural_persons_shows_the_rule(client, person):
    version = catalog_factories.published_item(
        handled_online=True, for_natural_persons=False, for_legal_persons=True
    )
    login(client, person)

    response = client.post(apply_url(version), APPLY)

    assert response.status_code == 422
    assert "该事项的服务对象不包括此类申请人" in text(response)
    assert not Case.objects.exists()


@pytest.mark.parametrize(
    "payload",
    [
        {**APPLY, "on_behalf": "on", "principal_kind": "robot", "principal_id_number": "x"},
        {**APPLY, "on_behalf": "on", "principal_kind": ApplicantKind.LEGAL_PERSON},
        {**APPLY, "description": "说" * 5000},
        {**APPLY, "phone": "\x00"},
    ],
    ids=["unknown-kind", "legal-without-number", "too-long", "control-character"],
)
def test_bad_application_input_is_a_form_error_never_a_crash(client, online_item, person, payload):
    login(client, person)

    response = client.post(apply_url(online_item), payload)

    assert response.status_code == 422
    assert 'class="field-error"' in text(response)
    assert not Case.objects.exists()


@pytest.mark.parametrize(
    "payload",
    [{"number": "n" * 500, "check": "123456"}, {"number": "", "check": ""}, {"check": "\x00" * 6}],
    ids=["long-number", "empty", "control-characters"],
)
def test_bad_lookup_input_is_a_form_error(client, payload):
    response = client.post("/cases/lookup/", payload)

    assert response.status_code == 200
    assert 'class="field-error"' in text(response)


# -- login lockout (shared with POST /api/v1/auth/token) ------------------------------------


def login_post(client, username: str, password: str):
    return client.post("/accounts/login/", {"username": username, "password": password})


def test_five_wrong_passwords_lock_the_name_on_the_page(client, person):
    with clock.frozen(at("2026-03-02")):
        for _ in range(5):
            login_post(client, person.user.username, "wrong")
        response = login_post(client, person.user.username, PASSWORD)

    assert response.status_code == 200
    assert "登录失败次数过多，账号已暂时锁定，请15分钟后再试" in text(response)
    assert "_auth_user_id" not in client.session


def test_four_wrong_passwords_do_not_lock(client, person):
    with clock.frozen(at("2026-03-02")):
        for _ in range(4):
            login_post(client, person.user.username, "wrong")
        response = login_post(client, person.user.username, PASSWORD)

    assert response.status_code == 302
    assert "_auth_user_id" in client.session


def test_the_page_lock_ends_after_15_minutes(client, person):
    with clock.frozen(at("2026-03-02")):
        for _ in range(5):
            login_post(client, person.user.username, "wrong")
    with clock.frozen(at("2026-03-02") + dt.timedelta(minutes=15, seconds=1)):
        response = login_post(client, person.user.username, PASSWORD)

    assert response.status_code == 302
    assert "_auth_user_id" in client.session


def test_page_failures_lock_the_token_endpoint_too(client, person):
    with clock.frozen(at("2026-03-02")):
        for _ in range(5):
            login_post(client, person.user.username, "wrong")
        response = client.post(
            "/api/v1/auth/token",
            {"username": person.user.username, "password": PASSWORD},
            content_type="application/json",
        )

    assert response.status_code == 429
    assert response.json()["code"] == "account_locked"


def test_token_endpoint_failures_lock_the_page_too(client, person):
    with clock.frozen(at("2026-03-02")):
        for _ in range(5):
            client.post(
                "/api/v1/auth/token",
                {"username": person.user.username, "password": "wrong"},
                content_type="application/json",
            )
        response = login_post(client, person.user.username, PASSWORD)

    assert "账号已暂时锁定" in text(response)
    assert "_auth_user_id" not in client.session


def test_an_inactive_account_cannot_log_in_on_the_page(client, person):
    person.user.is_active = False
    person.user.save(update_fields=["is_active"])

    response = login_post(client, person.user.username, PASSWORD)

    assert "用户名或密码错误" in text(response)
    assert "_auth_user_id" not in client.session


# -- public lookup brake -------------------------------------------------------------------


def test_ten_wrong_checks_brake_the_number_even_for_the_right_check(client, accepted_case, person):
    for _ in range(10):
        lookup(client, accepted_case.number, "000000")

    page = text(lookup(client, accepted_case.number, person.id_number[-6:]))

    assert NOT_FOUND in page
    assert "审查中" not in page


def test_nine_wrong_checks_still_let_the_right_check_through(client, accepted_case, person):
    for _ in range(9):
        lookup(client, accepted_case.number, "000000")

    page = text(lookup(client, accepted_case.number, person.id_number[-6:]))

    assert "审查中" in page


def test_the_brake_is_per_number(client, accepted_case, person, online_item):
    other = case_factories.case(item_version=online_item, applicant=person, status=Status.IN_REVIEW)
    for _ in range(10):
        lookup(client, accepted_case.number, "000000")

    page = text(lookup(client, other.number, person.id_number[-6:]))

    assert other.number in page
    assert "审查中" in page


def test_a_braked_answer_looks_like_an_unknown_number(client, accepted_case, person):
    for _ in range(10):
        lookup(client, accepted_case.number, "000000")

    braked = text(lookup(client, accepted_case.number, person.id_number[-6:]))
    unknown = text(lookup(client, "no-such-case", "000000"))

    assert answer_of(braked) == answer_of(unknown)


def test_the_brake_is_released_after_ten_minutes(client, accepted_case, person, monkeypatch):
    import time as real_time

    from django.core.cache.backends import locmem

    for _ in range(10):
        lookup(client, accepted_case.number, "000000")

    later = real_time.time() + 10 * 60 + 1
    monkeypatch.setattr(locmem, "time", type("Later", (), {"time": staticmethod(lambda: later)}))
    page = text(lookup(client, accepted_case.number, person.id_number[-6:]))

    assert "审查中" in page


# -- withdraw ------------------------------------------------------------------------------


def test_the_withdraw_form_is_shown_while_the_applicant_may_withdraw(client, draft, person):
    login(client, person)

    page = text(client.get(f"/my/cases/{draft.number}/"))

    assert f"/my/cases/{draft.number}/withdraw/" in page
    assert "我确认撤回该申请" in page


@pytest.mark.parametrize("status", [Status.APPROVED, Status.CONCLUDED, Status.WITHDRAWN])
def test_no_withdraw_form_after_the_decision(client, online_item, person, status):
    case = case_factories.case(item_version=online_item, applicant=person, status=status)
    login(client, person)

    page = text(client.get(f"/my/cases/{case.number}/"))

    assert "/withdraw/" not in page


def test_withdraw_needs_the_confirmation(client, draft, person):
    login(client, person)

    response = client.post(f"/my/cases/{draft.number}/withdraw/", {"reason": "不办了"})

    draft.refresh_from_db()
    assert response.status_code == 422
    assert "请勾选确认后再撤回" in text(response)
    assert draft.status == Status.DRAFT


def test_withdraw_with_the_confirmation_records_the_reason(client, draft, person):
    login(client, person)

    response = client.post(
        f"/my/cases/{draft.number}/withdraw/", {"reason": "不办了", "confirm": "on"}, follow=True
    )

    draft.refresh_from_db()
    assert draft.status == Status.WITHDRAWN
    assert draft.events.get(kind="withdrawn").reason == "不办了"
    assert "申请已撤回" in text(response)
    assert "不办了" in text(response)


def test_withdrawing_a_concluded_case_is_a_chinese_error(client, online_item, person):
    case = case_factories.case(item_version=online_item, applicant=person, status=Status.CONCLUDED)
    login(client, person)

    response = client.post(f"/my/cases/{case.number}/withdraw/", {"confirm": "on"}, follow=True)

    case.refresh_from_db()
    assert response.status_code == 200
    assert "申请人不能将办件从“已办结”变更为“已撤回”" in text(response)
    assert case.status == Status.CONCLUDED


def test_nobody_else_can_withdraw_a_case(client, draft):
    login(client, case_factories.applicant(with_user=True))

    response = client.post(f"/my/cases/{draft.number}/withdraw/", {"confirm": "on"})

    draft.refresh_from_db()
    assert response.status_code == 404
    assert draft.status == Status.DRAFT


# -- correction during review (补正) --------------------------------------------------------

MON = dt.date(2026, 3, 2)
WED, THU = dt.date(2026, 3, 4), dt.date(2026, 3, 5)


def on(day: dt.date, hour: int = 10):
    return clock.frozen(case_factories.moment(day, hour))


@pytest.fixture
def corrected(person):
    """A case in review for `person` whose department asked for a correction on Wednesday:
    申请材料1 unclear, and a further statement (no catalogue material)."""
    version = case_factories.review_item(stages=(1,), materials=2)
    case = case_factories.case_in_review(item_version=version, accepted_on=MON, applicant=person)
    task = case.stages.get().tasks.get()
    reviewer = case_factories.reviewer(department=task.department)
    first = version.materials.get(position=1)
    with on(WED):
        case_services.task_request_correction(
            user=reviewer, task=task, items=[(first, "复印件不清晰"), (None, "补充情况说明")]
        )
    return Case.objects.get(pk=case.pk)


def test_the_correction_items_are_listed_first(client, corrected, person):
    login(client, person)

    with on(THU):
        page = text(client.get(f"/my/cases/{corrected.number}/"))

    assert corrected.status == Status.SUSPENDED
    assert "请补正以下材料" in page
    assert "复印件不清晰" in page and "补充情况说明" in page
    assert page.index('id="correction"') < page.index('id="materials"')
    assert 'name="slot" value="correction-1"' in page
    assert 'name="slot" value="correction-2"' in page
    assert "提交补正材料" in page


def test_supplement_without_an_upload_is_a_chinese_error(client, corrected, person):
    login(client, person)

    with on(THU):
        response = client.post(f"/my/cases/{corrected.number}/supplement/", follow=True)

    corrected.refresh_from_db()
    assert "请先上传补正材料" in text(response)
    assert corrected.status == Status.SUSPENDED


def test_upload_per_listed_material_then_supplement_resumes_the_review(client, corrected, person):
    first = corrected.item_version.materials.get(position=1)
    login(client, person)

    with on(THU):
        upload = client.post(
            f"/my/cases/{corrected.number}/materials/",
            {"material": first.pk, "slot": "correction-1", "file": pdf_upload()},
            follow=True,
        )
        response = client.post(f"/my/cases/{corrected.number}/supplement/", follow=True)

    corrected.refresh_from_db()
    assert "已补交" in text(upload)
    assert SubmittedMaterial.objects.get(case=corrected).material == first
    assert corrected.status == Status.IN_REVIEW
    assert "补正材料已提交" in text(response)
    assert "请补正以下材料" not in text(response)


def test_an_upload_error_shows_at_the_correction_item(client, corrected, person):
    first = corrected.item_version.materials.get(position=1)
    fake = SimpleUploadedFile("说明.pdf", b"just text", content_type="application/pdf")
    login(client, person)

    with on(THU):
        response = client.post(
            f"/my/cases/{corrected.number}/materials/",
            {"material": first.pk, "slot": "correction-1", "file": fake},
        )

    page = text(response)
    item = page.split('data-correction="申请材料1"', 1)[1].split("</li>", 1)[0]
    assert response.status_code == 422
    assert "只能上传 PDF、JPEG 或 PNG 文件" in item


def test_nobody_else_can_submit_the_supplement(client, corrected):
    login(client, case_factories.applicant(with_user=True))

    with on(THU):
        response = client.post(f"/my/cases/{corrected.number}/supplement/")

    corrected.refresh_from_db()
    assert response.status_code == 404
    assert corrected.status == Status.SUSPENDED


def test_a_pre_review_correction_lists_the_items_and_asks_to_resubmit(client, online_item, person):
    case = case_factories.case(item_version=online_item, applicant=person, channel=Channel.ONLINE)
    officer = orgs_factories.staff(centre=case.centre).user
    with on(WED):
        case_services.case_request_correction(
            user=officer, case=case, items=[(online_item.materials.first(), "缺少签字")]
        )
    login(client, person)

    with on(THU):
        page = text(client.get(f"/my/cases/{case.number}/"))

    assert "缺少签字" in page
    assert "补正后请重新提交" in page
    assert "提交补正材料" not in page
    assert f"/my/cases/{case.number}/submit/" in page


def test_no_correction_block_for_a_special_procedure(client, online_item, person):
    case = case_factories.case(item_version=online_item, applicant=person, status=Status.SUSPENDED)
    login(client, person)

    page = text(client.get(f"/my/cases/{case.number}/"))

    assert "请补正以下材料" not in page


# -- pending materials (容缺) ---------------------------------------------------------------


@pytest.fixture
def pending_case(online_item, person):
    """Accepted on Monday with 申请材料2 pending, to be supplied by Friday."""
    case = case_factories.case(item_version=online_item, applicant=person)
    officer = orgs_factories.staff(centre=case.centre).user
    first, second = online_item.materials.order_by("position")
    with on(MON):
        case_services.case_material_add(
            user=officer, case=case, content=case_factories.PDF, material=first
        )
        case_services.case_accept(
            user=officer,
            case=case,
            pending=[second],
            signed_by_name=person.name,
            signed_by_id_number=person.id_number,
            supply_by=dt.date(2026, 3, 6),
        )
    return Case.objects.get(pk=case.pk)


def test_the_commitment_shows_materials_date_and_consequence(client, pending_case, person):
    login(client, person)

    with on(WED):
        page = text(client.get(f"/my/cases/{pending_case.number}/"))

    card = page.split('class="card section action-card pending-card"', 1)[1].split("</section>")[0]
    assert "容缺受理：待补交材料" in card
    assert "2026年3月6日" in card
    assert "申请材料2" in card
    assert "逾期未补齐的" in card
    assert 'name="slot" value="pending-' in card


def test_uploading_the_pending_material_fulfils_the_commitment(client, pending_case, person):
    second = pending_case.item_version.materials.get(position=2)
    commitment = pending_case.commitments.get()
    login(client, person)

    with on(WED):
        response = client.post(
            f"/my/cases/{pending_case.number}/materials/",
            {
                "material": second.pk,
                "slot": f"pending-{commitment.pk}-{second.pk}",
                "file": pdf_upload(),
            },
            follow=True,
        )

    commitment.refresh_from_db()
    assert commitment.fulfilled_at is not None
    assert "容缺受理：待补交材料" not in text(response)


def test_an_approved_case_held_for_pending_materials_still_takes_them(client, pending_case, person):
    Case.objects.filter(pk=pending_case.pk).update(status=Status.APPROVED)
    second = pending_case.item_version.materials.get(position=2)
    login(client, person)

    with on(WED):
        page = text(client.get(f"/my/cases/{pending_case.number}/"))
        client.post(
            f"/my/cases/{pending_case.number}/materials/",
            {"material": second.pk, "file": pdf_upload()},
        )

    assert "容缺受理：待补交材料" in page
    assert pending_case.commitments.get().fulfilled_at is not None


# -- notices as PDF ------------------------------------------------------------------------


def require_tool(name: str) -> str:
    path = shutil.which(name)
    if path is None:
        if os.environ.get("YICHUANG_REQUIRE_BROWSER"):
            pytest.fail(f"{name} (poppler-utils) is required but not installed")
        pytest.skip(f"{name} (poppler-utils) is not installed")
    return path


def require_font(settings) -> None:
    font = settings.YICHUANG.get("PDF_FONT") or ""
    if not font or not os.path.isfile(font):
        if os.environ.get("YICHUANG_REQUIRE_BROWSER"):
            pytest.fail("a CJK font (fonts-noto-cjk) is required but not installed")
        pytest.skip("no CJK font for PDF notices")


def notice_url(case, notice) -> str:
    return f"/my/cases/{case.number}/notices/{notice.number}.pdf"


def test_each_notice_links_to_its_pdf(client, pending_case, person):
    notice = pending_case.notices.get()
    login(client, person)

    page = text(client.get(f"/my/cases/{pending_case.number}/"))

    assert f'href="{notice_url(pending_case, notice)}"' in page


def test_the_notice_pdf_carries_the_case_number(client, pending_case, person, settings, tmp_path):
    pdftotext = require_tool("pdftotext")
    require_font(settings)
    notice = pending_case.notices.get()
    login(client, person)

    response = client.get(notice_url(pending_case, notice))
    path = tmp_path / "notice.pdf"
    path.write_bytes(response.content)
    extracted = subprocess.run(
        [pdftotext, str(path), "-"], capture_output=True, check=True, text=True
    ).stdout

    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"].startswith("inline")
    assert pending_case.number in extracted
    assert "容缺受理通知书" in extracted


def test_without_a_font_the_notice_is_a_chinese_503_page(client, pending_case, person, settings):
    settings.YICHUANG = {**settings.YICHUANG, "PDF_FONT": ""}
    notice = pending_case.notices.get()
    login(client, person)

    response = client.get(notice_url(pending_case, notice))

    assert response.status_code == 503
    assert "文书暂时无法生成" in text(response)
    assert "中文字体" in text(response)


def test_another_applicant_cannot_open_the_notice(client, pending_case):
    notice = pending_case.notices.get()
    login(client, case_factories.applicant(with_user=True))

    response = client.get(notice_url(pending_case, notice))

    assert response.status_code == 404
    assert response["Content-Type"].startswith("text/html")


def test_a_notice_of_another_case_is_not_found(client, pending_case, online_item, person):
    mine = case_factories.case(item_version=online_item, applicant=person)
    notice = pending_case.notices.get()
    login(client, person)

    response = client.get(f"/my/cases/{mine.number}/notices/{notice.number}.pdf")

    assert response.status_code == 404


def test_the_notice_pdf_needs_a_login(client, pending_case):
    notice = pending_case.notices.get()

    response = client.get(notice_url(pending_case, notice))

    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")


# -- 我的消息 ------------------------------------------------------------------------------


def message(user, *, case=None, title="办件已受理", minutes=0, read=False) -> Message:
    created = at("2026-03-02") + dt.timedelta(minutes=minutes)
    return Message.objects.create(
        recipient=user,
        case=case,
        kind="accepted",
        title=title,
        body=f"{title}的内容",
        created_at=created,
        read_at=created if read else None,
    )


def test_my_messages_needs_a_login(client):
    response = client.get("/my/messages/")

    assert response.status_code == 302
    assert response["Location"] == "/accounts/login/?next=/my/messages/"


def test_my_messages_lists_own_messages_newest_first_unread_marked(client, person, accepted_case):
    message(person.user, case=accepted_case, title="较早的消息", minutes=0, read=True)
    message(person.user, case=accepted_case, title="最新的消息", minutes=5)
    message(case_factories.applicant_user(), title="别人的消息")
    login(client, person)

    page = text(client.get("/my/messages/"))

    assert page.index("最新的消息") < page.index("较早的消息")
    assert "别人的消息" not in page
    assert page.count("message is-unread") == 1
    assert f'href="/my/cases/{accepted_case.number}/"' in page


def test_mark_one_message_read(client, person):
    first = message(person.user, title="第一条")
    second = message(person.user, title="第二条", minutes=1)
    login(client, person)

    response = client.post(f"/my/messages/{first.pk}/read/")

    first.refresh_from_db()
    second.refresh_from_db()
    assert response.status_code == 302
    assert first.read_at is not None
    assert second.read_at is None


def test_mark_all_messages_read(client, person):
    mine = [message(person.user, minutes=n) for n in range(3)]
    others = message(case_factories.applicant_user())
    login(client, person)

    response = client.post("/my/messages/read-all/", follow=True)

    assert all(Message.objects.get(pk=m.pk).read_at is not None for m in mine)
    assert Message.objects.get(pk=others.pk).read_at is None
    assert "已将 3 条消息标为已读" in text(response)


def test_another_users_message_cannot_be_marked_read(client, person):
    others = message(case_factories.applicant_user())
    login(client, person)

    response = client.post(f"/my/messages/{others.pk}/read/")

    others.refresh_from_db()
    assert response.status_code == 404
    assert others.read_at is None


def test_marking_a_huge_message_id_is_not_found(client, person):
    login(client, person)

    response = client.post(f"/my/messages/{2**64}/read/")

    assert response.status_code == 404


def test_mark_read_needs_post(client, person):
    mine = message(person.user)
    login(client, person)

    response = client.get(f"/my/messages/{mine.pk}/read/")

    assert response.status_code == 405


def test_the_header_shows_the_unread_count_to_an_applicant(client, person):
    message(person.user)
    message(person.user, minutes=1)
    message(person.user, minutes=2, read=True)
    login(client, person)

    page = text(client.get("/"))

    assert 'href="/my/messages/"' in page
    assert 'data-unread="2"' in page


def test_no_badge_without_unread_messages(client, person):
    message(person.user, read=True)
    login(client, person)

    page = text(client.get("/"))

    assert 'href="/my/messages/"' in page
    assert "data-unread" not in page


def test_staff_and_visitors_get_no_messages_link(client):
    anonymous = text(client.get("/"))
    client.force_login(orgs_factories.staff().user)
    staff = text(client.get("/"))

    assert "/my/messages/" not in anonymous
    assert "/my/messages/" not in staff


def test_my_messages_query_count_does_not_grow_with_messages(
    client, person, online_item, django_assert_max_num_queries
):
    for n in range(15):
        case = case_factories.case(item_version=online_item, applicant=person)
        message(person.user, case=case, minutes=n)
    login(client, person)

    with django_assert_max_num_queries(10):
        response = client.get("/my/messages/")

    assert response.status_code == 200
    assert text(response).count("data-message=") == 15


def test_my_messages_pages_through_many_messages(client, person):
    for n in range(25):
        message(person.user, title=f"消息{n:02d}", minutes=n)
    login(client, person)

    first = text(client.get("/my/messages/"))
    second = text(client.get("/my/messages/?page=2"))
    beyond = client.get("/my/messages/?page=x%00")

    assert "消息24" in first and "消息04" not in first
    assert "消息04" in second and "消息24" not in second
    assert beyond.status_code == 200


@pytest.mark.parametrize(
    ("status", "words"),
    [
        (Status.DRAFT, "未开始计时"),
        (Status.CONCLUDED, "已停止计时"),
        (Status.WITHDRAWN, "已停止计时"),
    ],
)
def test_a_case_without_a_light_says_why(client, online_item, person, status, words):
    case_factories.case(item_version=online_item, applicant=person, status=status)
    login(client, person)

    row = text(client.get("/my/cases/")).split('class="case-row"', 1)[1].split("</tr>", 1)[0]

    assert words in row
