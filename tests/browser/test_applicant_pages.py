"""An applicant's online journey in a real Chromium: log in, apply, upload, submit, read
the message about the pre-review's correction request, follow the case, and look it up
publicly — with htmx on a desktop and without JavaScript on a phone."""

from __future__ import annotations

import re

import pytest

from tests.browser.conftest import DESKTOP, PHONE, SHOTS
from yichuang.cases import services as case_services
from yichuang.cases.models import Case
from yichuang.cases.tests import factories as case_factories
from yichuang.cases.workflow import Status
from yichuang.orgs.tests import factories as orgs_factories
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
    """How far the page scrolls sideways (0: it fits); prints what sticks out, if anything.

    Waits for the page's stylesheets first: an element found while the page still loads can
    be laid out without them (seen on a busy machine)."""
    page.wait_for_load_state("load")
    width = page.evaluate(
        "() => document.documentElement.scrollWidth - document.documentElement.clientWidth"
    )
    if width > 0:
        print(page.url, page.evaluate(WIDEST))
    return width


WIDEST = """() => [...document.querySelectorAll('body *')]
  .filter(e => e.getBoundingClientRect().right > document.documentElement.clientWidth)
  .map(e => `${e.tagName}.${e.className} right=${Math.round(e.getBoundingClientRect().right)}`)
  .slice(-5)"""


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

    # the window's pre-review asks for a correction: the applicant gets a message
    officer = orgs_factories.staff(centre=case.centre).user
    case_services.case_request_correction(
        user=officer,
        case=Case.objects.get(pk=case.pk),
        items=[(fund.materials.get(position=2), "请上传清晰的购房发票")],
    )

    # the case is in "my cases"; the header counts the unread message
    visitor.open("/my/cases/")
    listed = page.locator(f'tr[data-case="{case.number}"]').inner_text()
    badge = page.locator(".nav-messages .unread-badge").inner_text()

    # 我的消息: the message, marked unread, links to the case page
    page.get_by_role("link", name=re.compile("我的消息")).click()
    page.wait_for_url(re.compile(r"/my/messages/$"))
    inbox = page.locator(".message-list").inner_text()
    unread_rows = page.locator(".message.is-unread").count()
    widths["messages"] = overflow(page)
    shoot(page, f"messages-{screen}")
    page.get_by_role("button", name="标为已读", exact=True).click()
    page.wait_for_url(re.compile(r"/my/messages/$"))
    unread_after = page.locator(".message.is-unread").count()
    page.get_by_role("link", name=f"查看办件 {case.number}").click()
    page.wait_for_url(re.compile(rf"/my/cases/{re.escape(case.number)}/$"))
    correction = page.locator("#correction").inner_text()
    widths["case_correction"] = overflow(page)
    shoot(page, f"case-correction-{screen}")
    visitor.open("/my/cases/")
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
    assert case.status == Status.CORRECTION_REQUESTED
    assert case.form_data["phone"] == "13912345678"
    assert status_after_submit == "已提交"
    assert "提交申请" in timeline and "上传材料" in timeline
    assert FUND in listed and "待补正" in listed
    assert badge.startswith("1")
    assert "请补正材料" in inbox and "请上传清晰的购房发票" in inbox and "未读" in inbox
    assert (unread_rows, unread_after) == (1, 0)
    assert "请上传清晰的购房发票" in correction
    assert prefilled == case.number
    assert case.number in answer and "待补正" in answer
    assert "王小明" not in answer and "13912345678" not in answer
    assert all(width <= 0 for width in widths.values()), f"horizontal overflow (px): {widths}"
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
