"""The window desk pages: find an item, open a case, check materials, accept or not."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from django.urls import reverse

from yichuang.cases import services
from yichuang.cases.models import Case, Channel, NoticeKind, SubmittedMaterial
from yichuang.cases.tests import factories
from yichuang.cases.workflow import Status
from yichuang.catalog import services as catalog_services
from yichuang.catalog.models import Material, MaterialSource
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
    assert page.count(case.number) == 2  # today's cases and waiting for the window


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
    assert 'data-event="创建办件"' in page
    assert 'data-event="提交材料"' in page


# -- accept with pending materials (容缺受理), shown only where the service takes them ------


def test_the_pending_panel_is_hidden_when_case_accept_takes_no_pending(
    client, case, officer, monkeypatch
):
    def case_accept(*, user, case):
        raise AssertionError("not called")

    monkeypatch.setattr(services, "case_accept", case_accept)
    client.force_login(officer)

    response = client.get(desk_case_url(case))

    assert 'id="pending-form"' not in response.content.decode()


def test_the_pending_panel_calls_case_accept_with_the_commitment(
    client, case, version, officer, monkeypatch
):
    calls = []

    def case_accept(
        *, user, case, pending=(), signed_by_name="", signed_by_id_number="", supply_by=None
    ):
        calls.append((list(pending), signed_by_name, signed_by_id_number, supply_by))
        return case

    monkeypatch.setattr(services, "case_accept", case_accept)
    hand_in(officer, case, version, 1, 2)
    pendable = materials(version, 3)[0]
    client.force_login(officer)
    page = client.get(desk_case_url(case)).content.decode()

    response = client.post(
        reverse("cases:accept_pending", args=[case.number]),
        {
            "pending": [pendable.pk],
            "signed_by_name": "张三",
            "signed_by_id_number": valid_id(905),
            "supply_by": "2026-03-06",
        },
    )

    assert 'id="pending-form"' in page
    assert response.status_code == 302
    assert calls == [([pendable], "张三", valid_id(905), dt.date(2026, 3, 6))]


def test_the_pending_panel_refuses_a_material_that_is_not_pendable(
    client, case, version, officer, monkeypatch
):
    def case_accept(*, user, case, pending=(), **commitment):
        raise AssertionError("not called")

    monkeypatch.setattr(services, "case_accept", case_accept)
    client.force_login(officer)

    response = client.post(
        reverse("cases:accept_pending", args=[case.number]),
        {
            "pending": [materials(version, 1)[0].pk],
            "signed_by_name": "张三",
            "signed_by_id_number": valid_id(905),
            "supply_by": "2026-03-06",
        },
    )

    assert response.status_code == 200
    assert "所选材料不可容缺" in response.content.decode()


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
    services.case_open(user=officer, item_version=version, applicant=factories.applicant())
    few = _queries(client, "/desk/")
    for _n in range(4):
        services.case_open(user=officer, item_version=version, applicant=factories.applicant())

    many = _queries(client, "/desk/")

    assert many == few
