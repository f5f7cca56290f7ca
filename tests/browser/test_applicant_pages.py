"""An applicant's online journey in a real Chromium: log in, apply, upload, submit, follow
the case, and look it up publicly — with htmx on a desktop and without JavaScript on a
phone."""

from __future__ import annotations

import re

import pytest

from tests.browser.conftest import DESKTOP, PHONE, SHOTS
from yichuang.cases.models import Case
from yichuang.cases.tests import factories as case_factories
from yichuang.cases.workflow import Status
from yichuang.web.tests.helpers import sample_portal

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

FUND = "住房公积金提取（购房）"
PASSWORD = "correct-horse-battery"


@pytest.fixture
def portal():
    return sample_portal()


@pytest.fixture
def person():
    return case_factories.applicant(with_user=True, name="王小明", phone="13912345678")


def overflow(page) -> int:
    return page.evaluate("() => document.documentElement.scrollWidth - window.innerWidth")


def shoot(page, name: str) -> None:
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / f"{name}.png"), full_page=True)


@pytest.mark.parametrize(
    ("screen", "javascript"),
    [("desktop", True), ("phone", False)],
    ids=["desktop-htmx", "phone-no-js"],
)
def test_applicant_applies_online_and_follows_the_case(
    visit, portal, person, tmp_path, screen, javascript
):
    fund = next(v for v in portal.others if v.name == FUND)
    viewport = DESKTOP if screen == "desktop" else PHONE
    visitor = visit(viewport=viewport, javascript=javascript)
    widths: dict[str, int] = {}

    # log in: the applicant lands on "my cases"
    page = visitor.open("/accounts/login/")
    widths["login"] = overflow(page)
    shoot(page, f"login-{screen}")
    page.fill("#id_username", person.user.username)
    page.fill("#id_password", PASSWORD)
    page.get_by_role("button", name="登录", exact=True).click()
    page.wait_for_url(re.compile(r"/my/cases/$"))
    header = page.locator(".topbar").inner_text()

    # apply from the guide
    visitor.open(f"/items/{fund.item.implementation_code}/")
    page.get_by_role("link", name="在线申请").click()
    page.wait_for_url(re.compile(r"/apply/"))
    widths["apply"] = overflow(page)
    page.fill("#id_description", "购买自住住房，申请提取住房公积金")
    page.fill("#id_phone", "139 1234 5678")
    page.fill("#id_address", "巴林左旗林东镇契丹大街1号")
    shoot(page, f"apply-{screen}")
    page.get_by_role("button", name="保存草稿").click()
    page.wait_for_url(re.compile(r"/my/cases/[^/]+/$"))
    case = Case.objects.get(applicant=person)

    # upload a PDF for the first material, then submit for pre-review
    pdf = tmp_path / "购房合同.pdf"
    pdf.write_bytes(b"%PDF-1.4\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n")
    row = page.locator('li[data-material="申请材料1"]')
    row.locator('input[type="file"]').set_input_files(str(pdf))
    row.get_by_role("button", name="上传").click()
    page.wait_for_load_state()
    uploaded = page.locator(".flash-success").inner_text()
    row_state = page.locator('li[data-material="申请材料1"] .check-state').inner_text()
    widths["case"] = overflow(page)
    shoot(page, f"case-draft-{screen}")
    page.get_by_role("button", name="提交预审").click()
    page.wait_for_load_state()
    status_after_submit = page.locator(".case-facts [data-status]").inner_text()
    timeline = page.locator("#timeline").inner_text()
    shoot(page, f"case-submitted-{screen}")

    # the case is in "my cases"
    visitor.open("/my/cases/")
    listed = page.locator(f'tr[data-case="{case.number}"]').inner_text()
    widths["my_cases"] = overflow(page)
    shoot(page, f"my-cases-{screen}")

    # anyone can look it up with the number and the phone's last 6 characters
    stranger = visit(viewport=viewport, javascript=javascript)
    lookup = stranger.open(f"/cases/lookup/?number={case.number}")
    prefilled = lookup.input_value("#id_number")
    lookup.fill("#id_check", "345678")
    lookup.get_by_role("button", name="查询").click()
    lookup.locator(".lookup-result").wait_for()
    answer = lookup.locator("#lookup-answer").inner_text()
    widths["lookup"] = overflow(lookup)
    shoot(lookup, f"lookup-{screen}")

    case.refresh_from_db()
    assert "王小明" in header and "退出登录" in header
    assert "材料已上传" in uploaded
    assert "已上传" in row_state
    assert case.status == Status.SUBMITTED
    assert case.form_data["phone"] == "13912345678"
    assert status_after_submit == "已提交"
    assert "提交申请" in timeline and "上传材料" in timeline
    assert FUND in listed and "已提交" in listed
    assert prefilled == case.number
    assert case.number in answer and "已提交" in answer
    assert "王小明" not in answer and "13912345678" not in answer
    assert all(width <= 0 for width in widths.values()), widths
    assert visitor.foreign_requests == [] and stranger.foreign_requests == []


@pytest.mark.parametrize("javascript", [True, False], ids=["htmx", "no-js"])
def test_wrong_check_answers_like_an_unknown_case(visit, portal, person, javascript):
    fund = next(v for v in portal.others if v.name == FUND)
    case = case_factories.case(item_version=fund, applicant=person)
    page = visit(javascript=javascript).open(f"/cases/lookup/?number={case.number}")

    page.fill("#id_check", "000000")
    page.get_by_role("button", name="查询").click()
    message = page.get_by_role("alert").inner_text()

    assert message == "未找到该办件，请核对办件编号和校验码"
