"""The window desk pages: find an item, open a case, check materials, accept or not."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from django.urls import reverse

from yichuang.cases import services
from yichuang.cases.models import (
    Case,
    Channel,
    Decision,
    NoticeKind,
    Result,
    SubmittedMaterial,
    TaskStatus,
)
from yichuang.cases.tests import factories
from yichuang.cases.workflow import Status
from yichuang.catalog import services as catalog_services
from yichuang.catalog.models import HandlingKind, Material, MaterialSource
from yichuang.catalog.tests import factories as catalog_factories
from yichuang.common import clock
from yichuang.identity.models import Applicant, ApplicantKind
from yichuang.identity.validation import resident_id_check_character
from yichuang.orgs.models import Role
from yichuang.orgs.tests import factories as orgs_factories

pytestmark = pytest.mark.django_db


def valid_id(n: int) -> str:
    """A resident ID number with a correct check character, distinct for each `n`."""
    body = f"15042219900307{n % 1000:03d}"
    return body + resident_id_check_character(body)


MONDAY = dt.datetime(2026, 3, 2, 2, 0, tzinfo=dt.UTC)  # 10:00 in Shanghai


@pytest.fixture(autouse=True)
def _monday():
    with clock.frozen(MONDAY):
        yield


@pytest.fixture
def version():
    """A county item with three required materials, the third pendable, and one shared."""
    county = orgs_factories.centre(name="巴林左旗政务服务中心")
    department = orgs_factories.department(centre=county)
    version = catalog_factories.published_item(
        department=department, materials=3, name="食品经营许可（新办）"
    )
    Material.objects.filter(version=version, position=3).update(pendable=True)
    Material.objects.create(
        version=version,
        position=4,
        name="营业执照",
        required=True,
        source=MaterialSource.DATA_SHARING,
    )
    catalog_services.search_text_refresh(version=version)
    return version


@pytest.fixture
def officer(version):
    return orgs_factories.staff(centre=version.item.centre, name="窗口一号").user


@pytest.fixture
def case(version, officer):
    return services.case_open(user=officer, item_version=version, applicant=factories.applicant())


def materials(version, *positions):
    return list(version.materials.filter(position__in=positions).order_by("position"))


def hand_in(officer, case, version, *positions):
    for material in materials(version, *positions):
        services.case_material_add(
            user=officer, case=case, content=factories.PDF, material=material
        )


def desk_case_url(case):
    return reverse("cases:desk_case", args=[case.number])


# -- who may come in ---------------------------------------------------------------------


def test_an_anonymous_visitor_is_sent_to_the_login_page(client):
    response = client.get("/desk/")

    assert response.status_code == 302
    assert response["Location"] == "/accounts/login/?next=/desk/"


def test_an_applicant_account_finds_no_desk(client):
    client.force_login(factories.applicant_user())

    response = client.get("/desk/")

    assert response.status_code == 404


def test_a_reviewer_without_the_window_role_is_forbidden(client, version):
    reviewer = orgs_factories.staff(roles=(Role.REVIEWER,), department=version.item.department).user
    client.force_login(reviewer)

    response = client.get("/desk/")

    assert response.status_code == 403


def test_an_officer_of_another_centre_does_not_find_the_case(client, case):
    stranger = orgs_factories.staff(centre=orgs_factories.centre()).user
    client.force_login(stranger)

    response = client.get(desk_case_url(case))

    assert response.status_code == 404


def test_an_officer_of_another_centre_cannot_accept_the_case(client, case, version, officer):
    hand_in(officer, case, version, 1, 2, 3)
    client.force_login(orgs_factories.staff(centre=orgs_factories.centre()).user)

    response = client.post(reverse("cases:accept", args=[case.number]))

    assert response.status_code == 404
    assert Case.objects.get(pk=case.pk).status == Status.SUBMITTED


# -- finding an item and opening a case --------------------------------------------------


def test_search_finds_items_of_the_centre_above_but_not_of_a_sibling(client, version):
    township = orgs_factories.centre(parent=version.item.centre)
    sibling = orgs_factories.centre(parent=version.item.centre)
    sibling_item = catalog_factories.published_item(
        department=orgs_factories.department(centre=sibling), name="食品经营许可（变更）"
    )
    catalog_services.search_text_refresh(version=sibling_item)
    client.force_login(orgs_factories.staff(centre=township).user)

    response = client.get("/desk/", {"q": "食品经营"})

    assert response.status_code == 200
    assert "食品经营许可（新办）" in response.content.decode()
    assert "食品经营许可（变更）" not in response.content.decode()


def test_htmx_search_answers_only_the_results(client, version, officer):
    client.force_login(officer)

    response = client.get(
        "/desk/", {"q": "食品"}, headers={"HX-Request": "true", "HX-Target": "item-results"}
    )

    assert "食品经营许可（新办）" in response.content.decode()
    assert "<html" not in response.content.decode()


def open_data(version, **overrides):
    data = {
        "item_version": version.pk,
        "kind": ApplicantKind.NATURAL_PERSON,
        "id_number": valid_id(901),
        "name": "张三",
        "phone": "13800001111",
    }
    data.update(overrides)
    return data


def test_opening_a_case_creates_the_applicant_and_shows_the_desk_case_page(
    client, version, officer
):
    client.force_login(officer)

    response = client.post(reverse("cases:case_open"), open_data(version))

    case = Case.objects.get()
    assert response.status_code == 302
    assert response["Location"] == desk_case_url(case)
    assert (case.status, case.channel, case.applicant.name) == (
        Status.SUBMITTED,
        Channel.WINDOW,
        "张三",
    )


def test_opening_a_case_for_a_known_applicant_reuses_them(client, version, officer):
    known = factories.applicant(id_number=valid_id(902))
    client.force_login(officer)

    client.post(reverse("cases:case_open"), open_data(version, id_number=known.id_number))

    assert Case.objects.get().applicant == known
    assert Applicant.objects.count() == 1


def test_an_agent_with_power_of_attorney_is_recorded(client, version, officer):
    client.force_login(officer)

    client.post(
        reverse("cases:case_open"),
        open_data(
            version,
            agent_id_number=valid_id(903),
            agent_name="李四",
            power_of_attorney="on",
        ),
    )

    case = Case.objects.get()
    assert (case.agent.name, case.agent_name, case.power_of_attorney) == ("李四", "李四", True)


def test_an_agent_without_power_of_attorney_is_refused_with_a_chinese_error(
    client, version, officer
):
    client.force_login(officer)

    response = client.post(
        reverse("cases:case_open"),
        open_data(version, agent_id_number=valid_id(904), agent_name="李四"),
    )

    assert response.status_code == 200
    assert "代办须提交授权委托书" in response.content.decode()
    assert not Case.objects.exists()


def test_a_wrong_id_number_is_shown_in_chinese_and_opens_nothing(client, version, officer):
    valid = valid_id(906)
    wrong = valid[:-1] + ("1" if valid[-1] != "1" else "2")
    client.force_login(officer)

    response = client.post(reverse("cases:case_open"), open_data(version, id_number=wrong))

    assert response.status_code == 200
    assert "身份证号码校验位不正确" in response.content.decode()
    assert not Case.objects.exists()
    assert not Applicant.objects.exists()


def test_a_helper_opens_the_case_as_assisted_handling(client, version):
    helper = orgs_factories.staff(roles=(Role.HELPER,), centre=version.item.centre).user
    client.force_login(helper)

    client.post(reverse("cases:case_open"), open_data(version))

    assert Case.objects.get().channel == Channel.ASSISTED


def test_an_item_of_a_sibling_centre_cannot_be_opened(client, version):
    sibling = orgs_factories.centre(parent=version.item.centre)
    officer = orgs_factories.staff(centre=orgs_factories.centre(parent=version.item.centre)).user
    other = catalog_factories.published_item(department=orgs_factories.department(centre=sibling))
    client.force_login(officer)

    response = client.post(reverse("cases:case_open"), open_data(other))

    assert response.status_code == 200
    assert "该事项不可在本中心受理" in response.content.decode()
    assert not Case.objects.exists()


def test_today_and_waiting_cases_are_listed(client, case, officer):
    client.force_login(officer)

    response = client.get("/desk/")

    page = response.content.decode()
    today_section = page.split("今日办件", 1)[1]
    waiting_section = page.split("待窗口处理", 1)[1].split("待出件", 1)[0]
    assert case.number in today_section
    assert case.number in waiting_section


# -- the desk case page ------------------------------------------------------------------


def test_the_checklist_marks_required_pendable_shared_and_missing(client, case, officer):
    client.force_login(officer)

    response = client.get(desk_case_url(case))

    page = response.content.decode()
    assert response.status_code == 200
    assert page.count("data-missing") == 3
    assert "可容缺" in page
    assert "免提交" in page


def test_uploading_a_pdf_marks_the_material_handed_in(client, case, version, officer):
    client.force_login(officer)
    first = materials(version, 1)[0]

    response = client.post(
        reverse("cases:material_upload", args=[case.number]),
        {"material": first.pk, "file": _upload("scan.pdf", factories.PDF)},
    )

    assert response.status_code == 302
    row = SubmittedMaterial.objects.get()
    assert (row.material, row.content_type) == (first, "application/pdf")


def test_a_file_of_another_type_is_refused_in_chinese_and_nothing_is_stored(
    client, case, version, officer, settings
):
    client.force_login(officer)

    response = client.post(
        reverse("cases:material_upload", args=[case.number]),
        {"material": materials(version, 1)[0].pk, "file": _upload("scan.pdf", b"GIF89a....")},
    )

    assert response.status_code == 200
    assert "只能上传 PDF、JPEG 或 PNG 文件" in response.content.decode()
    assert not SubmittedMaterial.objects.exists()
    assert not list(Path(settings.MEDIA_ROOT).rglob("*.*"))


def test_an_oversized_file_is_refused_in_chinese_and_nothing_is_stored(
    client, case, version, officer, settings
):
    settings.YICHUANG = {**settings.YICHUANG, "UPLOAD_MAX_BYTES": 1024 * 1024}
    client.force_login(officer)

    response = client.post(
        reverse("cases:material_upload", args=[case.number]),
        {
            "material": materials(version, 1)[0].pk,
            "file": _upload("big.pdf", factories.PDF + b"0" * (1024 * 1024)),
        },
    )

    assert "文件不能超过 1 MB" in response.content.decode()
    assert not SubmittedMaterial.objects.exists()


def test_an_upload_without_a_file_is_refused_in_chinese(client, case, officer):
    client.force_login(officer)

    response = client.post(reverse("cases:material_upload", args=[case.number]), {})

    assert "请选择要上传的文件" in response.content.decode()


def test_accepting_a_complete_case_issues_the_acceptance_notice(client, case, version, officer):
    hand_in(officer, case, version, 1, 2, 3)
    client.force_login(officer)

    response = client.post(reverse("cases:accept", args=[case.number]), follow=True)

    case.refresh_from_db()
    assert case.status == Status.IN_REVIEW
    assert case.notices.get().kind == NoticeKind.ACCEPTANCE
    assert "受理通知书" in response.content.decode()


def test_accepting_with_missing_materials_shows_why_in_chinese(client, case, version, officer):
    hand_in(officer, case, version, 1)
    client.force_login(officer)

    response = client.post(reverse("cases:accept", args=[case.number]))

    assert response.status_code == 200
    assert "材料不齐全，不能受理" in response.content.decode()
    assert Case.objects.get(pk=case.pk).status == Status.SUBMITTED


def test_the_one_time_notice_lists_every_missing_material_and_the_defects(
    client, case, version, officer
):
    hand_in(officer, case, version, 1)
    first = materials(version, 1)[0]
    client.force_login(officer)

    client.post(
        reverse("cases:one_time_notice", args=[case.number]),
        {f"defect_{first.pk}": "复印件不清晰"},
    )

    notice = case.notices.get()
    items = {(item["name"], item["problem"], item["note"]) for item in notice.body["items"]}
    assert notice.kind == NoticeKind.ONE_TIME
    assert items == {
        ("申请材料1", "defective", "复印件不清晰"),
        ("申请材料2", "missing", "未提交"),
        ("申请材料3", "missing", "未提交"),
    }
    assert Case.objects.get(pk=case.pk).status == Status.AWAITING_MATERIALS


def test_the_notice_form_lists_every_missing_material_before_it_is_sent(client, case, officer):
    client.force_login(officer)

    response = client.get(desk_case_url(case))

    page = response.content.decode()
    section = page[page.index("data-notice-missing") :]
    section = section[: section.index("</ul>")]
    assert [name for name in ("申请材料1", "申请材料2", "申请材料3") if name in section] == [
        "申请材料1",
        "申请材料2",
        "申请材料3",
    ]


def test_a_second_notice_without_new_materials_is_refused_in_chinese(client, case, officer):
    client.force_login(officer)
    client.post(reverse("cases:one_time_notice", args=[case.number]), {})

    response = client.post(reverse("cases:one_time_notice", args=[case.number]), {})

    assert "申请人提交新材料前不能再次告知" in response.content.decode()
    assert case.notices.count() == 1


def test_refusing_needs_a_reason(client, case, officer):
    client.force_login(officer)

    response = client.post(reverse("cases:refuse", args=[case.number]), {"reason": "  "})

    assert "请填写理由" in response.content.decode()
    assert Case.objects.get(pk=case.pk).status == Status.SUBMITTED


def test_refusing_with_a_reason_issues_the_refusal_notice(client, case, officer):
    client.force_login(officer)

    client.post(reverse("cases:refuse", args=[case.number]), {"reason": "不属于本中心受理范围"})

    notice = case.notices.get()
    assert (notice.kind, notice.body["reason"]) == (NoticeKind.REFUSAL, "不属于本中心受理范围")
    assert Case.objects.get(pk=case.pk).status == Status.NOT_ACCEPTED


def test_a_get_on_an_action_is_not_allowed(client, case, officer):
    client.force_login(officer)

    response = client.get(reverse("cases:accept", args=[case.number]))

    assert response.status_code == 405


def test_the_timeline_labels_events_in_chinese(client, case, version, officer):
    hand_in(officer, case, version, 1)
    client.force_login(officer)

    response = client.get(desk_case_url(case))

    page = response.content.decode()
    assert 'data-event="创建申请"' in page
    assert 'data-event="上传材料"' in page


# -- accept with pending materials (容缺受理) ---------------------------------------------


def pending_data(case, *materials_, **overrides):
    data = {
        "pending": [m.pk for m in materials_],
        "signed_by_name": case.applicant.name,
        "signed_by_id_number": case.applicant.id_number,
        "supply_by": "",
    }
    data.update(overrides)
    return data


def test_the_pending_panel_offers_the_missing_pendable_material(client, case, version, officer):
    hand_in(officer, case, version, 1, 2)
    client.force_login(officer)

    response = client.get(desk_case_url(case))

    page = response.content.decode()
    panel = page[page.index('id="pending-form"') :]
    panel = panel[: panel.index("</form>")]
    assert "申请材料3" in panel
    assert "申请材料1" not in panel


def test_accepting_with_a_pending_material_signs_the_commitment_until_the_due_date(
    client, case, version, officer
):
    hand_in(officer, case, version, 1, 2)
    pendable = materials(version, 3)[0]
    client.force_login(officer)

    response = client.post(
        reverse("cases:accept_pending", args=[case.number]), pending_data(case, pendable)
    )

    case.refresh_from_db()
    commitment = case.commitments.get()
    assert response.status_code == 302
    assert case.status == Status.IN_REVIEW
    assert list(commitment.materials.all()) == [pendable]
    assert (commitment.signed_by_name, commitment.supply_by) == (
        case.applicant.name,
        case.due_date,
    )
    assert case.notices.get().kind == NoticeKind.PENDING_MATERIALS


def test_a_supply_date_after_the_due_date_is_refused_in_chinese(client, case, version, officer):
    hand_in(officer, case, version, 1, 2)
    client.force_login(officer)

    response = client.post(
        reverse("cases:accept_pending", args=[case.number]),
        pending_data(case, materials(version, 3)[0], supply_by="2026-12-31"),
    )

    assert "补交期限须在今天至承诺办结日期" in response.content.decode()
    assert Case.objects.get(pk=case.pk).status == Status.SUBMITTED


def test_a_commitment_signed_by_a_stranger_is_refused_in_chinese(client, case, version, officer):
    hand_in(officer, case, version, 1, 2)
    client.force_login(officer)

    response = client.post(
        reverse("cases:accept_pending", args=[case.number]),
        pending_data(case, materials(version, 3)[0], signed_by_id_number=valid_id(905)),
    )

    assert "承诺书须由申请人本人" in response.content.decode()
    assert not case.commitments.exists()


def test_the_pending_panel_refuses_a_material_that_is_not_pendable(client, case, version, officer):
    client.force_login(officer)

    response = client.post(
        reverse("cases:accept_pending", args=[case.number]),
        pending_data(case, materials(version, 1)[0]),
    )

    assert response.status_code == 200
    assert "所选材料不可容缺" in response.content.decode()
    assert Case.objects.get(pk=case.pk).status == Status.SUBMITTED


@pytest.fixture
def accepted_pending(case, version, officer):
    """The case accepted with material 3 pending."""
    hand_in(officer, case, version, 1, 2)
    return services.case_accept(
        user=officer,
        case=case,
        pending=materials(version, 3),
        signed_by_name=case.applicant.name,
        signed_by_id_number=case.applicant.id_number,
    )


def test_the_commitment_shows_its_materials_date_and_that_it_is_open(
    client, accepted_pending, officer
):
    client.force_login(officer)

    response = client.get(desk_case_url(accepted_pending))

    page = response.content.decode()
    section = page[page.index('id="commitments"') :]
    assert "申请材料3" in section
    assert accepted_pending.due_date.isoformat() in section
    assert 'data-commitment="open"' in section
    assert "待补交" in section


def test_scanning_the_pending_material_fulfils_the_commitment(
    client, accepted_pending, version, officer
):
    client.force_login(officer)

    response = client.post(
        reverse("cases:material_upload", args=[accepted_pending.number]),
        {"material": materials(version, 3)[0].pk, "file": _upload("late.pdf", factories.PDF)},
        follow=True,
    )

    assert accepted_pending.commitments.get().fulfilled_at is not None
    assert 'data-commitment="fulfilled"' in response.content.decode()
    assert 'data-event="容缺材料已补齐"' in response.content.decode()


# -- online pre-review (预审): 要求补正 ----------------------------------------------------


@pytest.fixture
def online_case(version):
    person = factories.applicant(with_user=True)
    case = services.case_open(user=person.user, item_version=version, applicant=person)
    return services.case_submit(user=person.user, case=case)


@pytest.fixture(autouse=True)
def _online(version):
    version.handled_online = True
    version.save(update_fields=["handled_online"])


def test_a_submitted_online_case_offers_the_correction_request(client, online_case, officer):
    client.force_login(officer)

    response = client.get(desk_case_url(online_case))

    assert 'id="correction-form"' in response.content.decode()


def test_a_case_opened_at_the_window_has_no_correction_request(client, case, officer):
    client.force_login(officer)

    response = client.get(desk_case_url(case))

    assert 'id="correction-form"' not in response.content.decode()


def test_a_correction_request_lists_each_material_note_and_the_general_note(
    client, online_case, version, officer
):
    first = materials(version, 1)[0]
    client.force_login(officer)

    response = client.post(
        reverse("cases:request_correction", args=[online_case.number]),
        {f"item_{first.pk}": "复印件不清晰", "note": "申请表缺少签名"},
        follow=True,
    )

    notice = online_case.notices.get()
    assert notice.kind == NoticeKind.CORRECTION
    assert [(i["name"], i["note"]) for i in notice.body["items"]] == [
        ("申请材料1", "复印件不清晰"),
        ("申请表", "申请表缺少签名"),
    ]
    assert Case.objects.get(pk=online_case.pk).status == Status.CORRECTION_REQUESTED
    assert "补正材料通知书" in response.content.decode()


def test_an_empty_correction_request_is_refused_in_chinese(client, online_case, officer):
    client.force_login(officer)

    response = client.post(reverse("cases:request_correction", args=[online_case.number]), {})

    assert "请至少填写一项补正要求" in response.content.decode()
    assert Case.objects.get(pk=online_case.pk).status == Status.SUBMITTED


# -- 即办件 at the window: decided and concluded in one step -------------------------------


@pytest.fixture
def immediate_case(version, officer):
    """An accepted 即办件 whose three required materials are in."""
    version.handling_kind = HandlingKind.IMMEDIATE
    version.result_name = "食品经营许可证"
    version.save(update_fields=["handling_kind", "result_name"])
    case = services.case_open(user=officer, item_version=version, applicant=factories.applicant())
    hand_in(officer, case, version, 1, 2, 3)
    return services.case_accept(user=officer, case=case)


def conclude_data(**overrides):
    data = {"result_name": "", "result_number": "", "delivery": "pickup", "tracking_number": ""}
    data.update(overrides)
    return data


def test_an_accepted_immediate_case_offers_to_conclude_with_the_result_name(
    client, immediate_case, officer
):
    client.force_login(officer)

    response = client.get(desk_case_url(immediate_case))

    page = response.content.decode()
    assert 'id="window-conclude-form"' in page
    assert 'value="食品经营许可证"' in page


def test_an_immediate_case_is_approved_and_concluded_in_one_step(client, immediate_case, officer):
    client.force_login(officer)

    response = client.post(
        reverse("cases:window_conclude", args=[immediate_case.number]),
        conclude_data(result_number="JY115042200001"),
        follow=True,
    )

    case = Case.objects.get(pk=immediate_case.pk)
    assert case.status == Status.CONCLUDED
    assert case.decision.outcome == "approved"
    assert (case.result.name, case.result.number, case.result.delivery) == (
        "食品经营许可证",
        "JY115042200001",
        "pickup",
    )
    assert 'data-event="办结"' in response.content.decode()
    assert "食品经营许可证 JY115042200001 · 窗口领取" in response.content.decode()


def test_delivery_by_post_needs_the_tracking_number_and_nothing_changes(
    client, immediate_case, officer
):
    client.force_login(officer)

    response = client.post(
        reverse("cases:window_conclude", args=[immediate_case.number]),
        conclude_data(delivery="post"),
    )

    assert "邮寄送达须填写快递单号" in response.content.decode()
    assert Case.objects.get(pk=immediate_case.pk).status == Status.ACCEPTED


def test_a_failed_conclusion_leaves_no_decision_behind(client, immediate_case, officer):
    immediate_case.item_version.result_name = ""
    immediate_case.item_version.save(update_fields=["result_name"])
    client.force_login(officer)

    response = client.post(
        reverse("cases:window_conclude", args=[immediate_case.number]), conclude_data()
    )

    case = Case.objects.get(pk=immediate_case.pk)
    assert "请填写结果名称" in response.content.decode()
    assert case.status == Status.ACCEPTED
    assert not Decision.objects.filter(case=case).exists()


def test_an_immediate_case_with_a_pending_material_out_is_only_decided(client, version, officer):
    version.handling_kind = HandlingKind.IMMEDIATE
    version.result_name = "食品经营许可证"
    version.save(update_fields=["handling_kind", "result_name"])
    case = services.case_open(user=officer, item_version=version, applicant=factories.applicant())
    hand_in(officer, case, version, 1, 2)
    services.case_accept(
        user=officer,
        case=case,
        pending=materials(version, 3),
        signed_by_name=case.applicant.name,
        signed_by_id_number=case.applicant.id_number,
    )
    client.force_login(officer)

    response = client.post(
        reverse("cases:window_conclude", args=[case.number]), conclude_data(), follow=True
    )

    case.refresh_from_db()
    assert case.status == Status.APPROVED
    assert not Result.objects.filter(case=case).exists()
    assert "data-result-held" in response.content.decode()


def test_refusing_an_immediate_case_needs_a_reason(client, immediate_case, officer):
    client.force_login(officer)

    response = client.post(
        reverse("cases:window_refuse", args=[immediate_case.number]), {"reason": ""}
    )

    assert "请填写理由" in response.content.decode()
    assert Case.objects.get(pk=immediate_case.pk).status == Status.ACCEPTED


def test_refusing_an_immediate_case_records_the_decision_with_the_reason(
    client, immediate_case, officer
):
    client.force_login(officer)

    client.post(
        reverse("cases:window_refuse", args=[immediate_case.number]),
        {"reason": "经营场所不符合要求"},
    )

    case = Case.objects.get(pk=immediate_case.pk)
    assert case.status == Status.REFUSED
    assert (case.decision.outcome, case.decision.reason) == ("refused", "经营场所不符合要求")


def test_a_helper_may_not_decide_at_the_window(client, immediate_case, version):
    helper = orgs_factories.staff(roles=(Role.HELPER,), centre=version.item.centre).user
    client.force_login(helper)

    response = client.post(
        reverse("cases:window_conclude", args=[immediate_case.number]), conclude_data()
    )

    assert response.status_code == 403
    assert Case.objects.get(pk=immediate_case.pk).status == Status.ACCEPTED


# -- the result window (出件): issue the result of a decided case and conclude ------------


def test_a_refused_case_gets_the_refusal_decision_by_post_and_is_concluded(
    client, immediate_case, officer
):
    services.case_decide(user=officer, case=immediate_case, outcome="refused", reason="不符合条件")
    client.force_login(officer)
    page = client.get(desk_case_url(immediate_case)).content.decode()

    client.post(
        reverse("cases:result_issue", args=[immediate_case.number]),
        conclude_data(delivery="post", tracking_number="SF1234567890"),
    )

    case = Case.objects.get(pk=immediate_case.pk)
    assert 'id="result-form"' in page
    assert case.status == Status.CONCLUDED
    assert (case.result.name, case.result.tracking_number) == ("不予行政许可决定书", "SF1234567890")


def test_decided_cases_wait_at_the_result_window_on_the_desk(client, immediate_case, officer):
    services.case_decide(user=officer, case=immediate_case, outcome="approved")
    client.force_login(officer)

    response = client.get("/desk/")

    page = response.content.decode()
    assert immediate_case.number in page[page.index('id="result-cases"') :]


# -- a correction asked for in review (补正), supplied at the window -----------------------


@pytest.fixture
def corrected_in_review(case, version, officer):
    """The case accepted; its department asked for a correction of material 2."""
    hand_in(officer, case, version, 1, 2, 3)
    services.case_accept(user=officer, case=case)
    task = case.tasks.get()
    reviewer = factories.reviewer(department=task.department)
    services.task_request_correction(
        user=reviewer, task=task, items=[(materials(version, 2)[0], "缺少公章")]
    )
    return Case.objects.get(pk=case.pk)


def test_the_desk_shows_what_the_department_asked_to_correct(client, corrected_in_review, officer):
    client.force_login(officer)

    response = client.get(desk_case_url(corrected_in_review))

    page = response.content.decode()
    assert 'id="supplement-form"' in page
    assert "申请材料2：缺少公章" in page


def test_the_supplement_needs_a_new_scan_first(client, corrected_in_review, officer):
    client.force_login(officer)

    response = client.post(reverse("cases:supplement_received", args=[corrected_in_review.number]))

    assert "请先上传补正材料" in response.content.decode()
    assert Case.objects.get(pk=corrected_in_review.pk).status == Status.SUSPENDED


def test_a_scanned_supplement_restarts_the_review(client, corrected_in_review, version, officer):
    client.force_login(officer)
    with clock.frozen(MONDAY + dt.timedelta(hours=1)):
        client.post(
            reverse("cases:material_upload", args=[corrected_in_review.number]),
            {"material": materials(version, 2)[0].pk, "file": _upload("fixed.pdf", factories.PDF)},
        )

        client.post(reverse("cases:supplement_received", args=[corrected_in_review.number]))

    case = Case.objects.get(pk=corrected_in_review.pk)
    assert case.status == Status.IN_REVIEW
    assert case.tasks.get().status == TaskStatus.PENDING


# -- notices as PDF ----------------------------------------------------------------------


def test_each_notice_links_to_its_pdf(client, immediate_case, officer):
    client.force_login(officer)

    response = client.get(desk_case_url(immediate_case))

    notice = immediate_case.notices.get()
    assert reverse("cases:notice_file", args=[immediate_case.number, notice.pk]) in (
        response.content.decode()
    )


def test_the_notice_pdf_is_served_inline_to_the_officer(client, immediate_case, officer, settings):
    if not settings.YICHUANG["PDF_FONT"]:
        pytest.skip("no CJK font installed (fonts-noto-cjk)")
    notice = immediate_case.notices.get()
    client.force_login(officer)

    response = client.get(reverse("cases:notice_file", args=[immediate_case.number, notice.pk]))

    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"].startswith("inline")
    assert response.content.startswith(b"%PDF-")


def test_without_a_cjk_font_the_notice_is_a_chinese_503_page(
    client, immediate_case, officer, settings
):
    settings.YICHUANG = {**settings.YICHUANG, "PDF_FONT": ""}
    notice = immediate_case.notices.get()
    client.force_login(officer)

    response = client.get(reverse("cases:notice_file", args=[immediate_case.number, notice.pk]))

    assert response.status_code == 503
    assert "服务器未安装中文字体" in response.content.decode()


def test_the_applicant_opens_the_notice_of_their_own_case(client, version, settings):
    if not settings.YICHUANG["PDF_FONT"]:
        pytest.skip("no CJK font installed (fonts-noto-cjk)")
    person = factories.applicant(with_user=True)
    case = services.case_open(user=person.user, item_version=version, applicant=person)
    notice = factories.notice(case=case, kind=NoticeKind.CORRECTION)
    client.force_login(person.user)

    response = client.get(reverse("cases:notice_file", args=[case.number, notice.pk]))

    assert response.status_code == 200
    assert response.content.startswith(b"%PDF-")


def test_a_notice_of_a_case_of_another_centre_is_not_found(client, immediate_case):
    notice = immediate_case.notices.get()
    client.force_login(orgs_factories.staff(centre=orgs_factories.centre()).user)

    response = client.get(reverse("cases:notice_file", args=[immediate_case.number, notice.pk]))

    assert response.status_code == 404


def test_a_notice_of_another_case_is_not_found_under_this_case(client, immediate_case, case):
    other = factories.notice(case=case, kind=NoticeKind.ACCEPTANCE)
    client.force_login(orgs_factories.staff(centre=case.centre).user)

    response = client.get(reverse("cases:notice_file", args=[immediate_case.number, other.pk]))

    assert response.status_code == 404


# -- material files ----------------------------------------------------------------------


def test_an_officer_of_the_centre_downloads_a_material(client, case, version, officer):
    hand_in(officer, case, version, 1)
    row = SubmittedMaterial.objects.get()
    client.force_login(officer)

    response = client.get(reverse("cases:material_file", args=[case.number, row.pk]))

    assert response.status_code == 200
    assert b"".join(response.streaming_content) == factories.PDF
    assert response["Content-Type"] == "application/pdf"


def test_a_material_of_a_case_of_another_centre_is_not_found(client, case, version, officer):
    hand_in(officer, case, version, 1)
    row = SubmittedMaterial.objects.get()
    client.force_login(orgs_factories.staff(centre=orgs_factories.centre()).user)

    response = client.get(reverse("cases:material_file", args=[case.number, row.pk]))

    assert response.status_code == 404


def _upload(name: str, content: bytes):
    from django.core.files.uploadedfile import SimpleUploadedFile

    return SimpleUploadedFile(name, content, content_type="application/pdf")


def _queries(client, url) -> int:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as captured:
        client.get(url)
    return len(captured)


def test_the_desk_query_count_does_not_grow_with_the_cases(client, version, officer):
    client.force_login(officer)

    def add():
        services.case_open(user=officer, item_version=version, applicant=factories.applicant())
        factories.case(item_version=version, status=Status.APPROVED)

    add()
    few = _queries(client, "/desk/")
    for _n in range(4):
        add()

    many = _queries(client, "/desk/")

    assert many == few


WINDOW_ACTIONS = [
    ("accept", {}),
    ("accept_pending", {"pending": ["x"], "supply_by": "not a date"}),
    ("one_time_notice", {}),
    ("refuse", {"reason": "理由"}),
    ("request_correction", {"note": "补正"}),
    ("window_conclude", {"delivery": "pickup"}),
    ("window_refuse", {"reason": "理由"}),
    ("result_issue", {"delivery": "drone"}),
    ("result_issue", {"delivery": "pickup"}),
    ("supplement_received", {}),
]


@pytest.mark.parametrize("status", [s for s in Status.values if s != Status.DRAFT])
def test_no_window_action_answers_any_status_with_a_server_error(client, version, officer, status):
    case = factories.case(
        item_version=version, status=status, accepted_on=dt.date(2026, 3, 2), channel="online"
    )
    client.force_login(officer)

    answers = {
        name: client.post(reverse(f"cases:{name}", args=[case.number]), data).status_code
        for name, data in WINDOW_ACTIONS
    }

    assert all(code < 500 for code in answers.values()), answers
