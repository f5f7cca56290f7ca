"""The hall in a real Chromium: an officer signs in to a window on the desk, a visitor takes
a number on a phone, the officer calls it, the visitor's page shows the window, and the
officer opens a case from the ticket — the case is linked to the ticket."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import PHONE, SHOTS
from tests.browser.test_staff_pages import signed_in
from yichuang.catalog import services as catalog_services
from yichuang.catalog.tests import factories as catalog_factories
from yichuang.common import clock
from yichuang.hall.models import Ticket, TicketCase
from yichuang.hall.tests import factories as hall_factories
from yichuang.hall.views import ticket as ticket_views
from yichuang.identity.validation import resident_id_check_character
from yichuang.orgs.tests import factories as orgs_factories

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

ITEM = "食品经营许可（新办）"


@pytest.fixture(autouse=True)
def _workday_morning(monkeypatch):
    # The ticket page polls every second here instead of every 15 (same code path).
    monkeypatch.setattr(ticket_views, "REFRESH_SECONDS", 1)
    with clock.frozen(hall_factories.at(hour=9)):
        yield


@pytest.fixture
def hall():
    centre = orgs_factories.centre(name="巴林左旗政务服务中心")
    version = catalog_factories.published_item(
        department=orgs_factories.department(centre=centre, name="市场监督管理局"),
        materials=1,
        name=ITEM,
    )
    catalog_services.search_text_refresh(version=version)
    one = hall_factories.window(centre=centre, number=1, name="综合受理")
    hall_factories.queue(centre=centre, code="A", name="综合受理", windows=[one])
    hall_factories.queue(centre=centre, code="B", name="不动产登记")
    return orgs_factories.staff(centre=centre, name="窗口一号").user


@pytest.mark.parametrize("javascript", [True, False], ids=["htmx", "no-js"])
def test_a_number_taken_on_a_phone_is_called_and_served_at_the_desk(visit, hall, javascript):
    mode = "js" if javascript else "nojs"
    SHOTS.mkdir(parents=True, exist_ok=True)
    officer = visit(javascript=javascript)
    signed_in(officer, hall)
    desk = officer.open("/desk/")
    desk.locator('[data-window-choice="1"]').get_by_role("button", name="签到").click()
    desk.wait_for_selector("[data-call-next]")

    visitor = visit(viewport=PHONE, javascript=javascript)
    phone = visitor.open("/")
    phone.get_by_role("link", name="取号", exact=True).first.click()
    phone.wait_for_selector('[data-queue="A"]')
    phone.screenshot(path=str(SHOTS / f"hall-take-phone-{mode}.png"), full_page=True)
    phone.locator('[data-queue="A"] label').click()
    phone.get_by_role("button", name="取号").click()
    phone.wait_for_selector(".ticket-number")
    assert phone.locator(".ticket-number").inner_text() == "A001"
    assert phone.locator("[data-ticket-status]").inner_text() == "等候中"
    assert phone.locator(".ticket-qr svg").count() == 1
    assert phone.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    phone.screenshot(path=str(SHOTS / f"hall-ticket-waiting-{mode}.png"), full_page=True)

    desk.get_by_role("button", name="叫号").click()
    desk.wait_for_selector('[data-current="A001"]')
    assert "请A001号到1号窗口办理" in desk.locator("#calling-panel").inner_text()
    desk.screenshot(path=str(SHOTS / f"hall-desk-called-{mode}.png"), full_page=True)

    # With JavaScript htmx polls the status; without, the page refreshes itself by <meta>.
    expect(phone.locator("[data-ticket-status]")).to_have_text("办理中")
    expect(phone.locator("[data-ticket-window]")).to_have_text("请A001号到1号窗口办理")
    phone.screenshot(path=str(SHOTS / f"hall-ticket-called-{mode}.png"), full_page=True)

    desk.locator("[data-open-case]").click()
    desk.wait_for_selector('[data-desk-ticket="A001"]')
    desk.fill("#desk-q", "食品")
    desk.press("#desk-q", "Enter")
    desk.locator(f'li[data-item="{ITEM}"] a').click()
    desk.wait_for_selector('[data-desk-ticket="A001"]')
    body = "15042219900307123"
    desk.fill("#id_id_number", body + resident_id_check_character(body))
    desk.fill("#id_name", "张三")
    desk.get_by_role("button", name="创建办件").click()
    desk.wait_for_selector("#checklist")
    desk.screenshot(path=str(SHOTS / f"hall-desk-case-{mode}.png"), full_page=True)

    link = TicketCase.objects.select_related("ticket", "case").get()
    assert link.ticket == Ticket.objects.get(number="A001")
    assert link.case.applicant.name == "张三"
    assert officer.foreign_requests == [] and visitor.foreign_requests == []
