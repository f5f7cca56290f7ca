"""The self-service kiosk in a real Chromium at 1920×1080: pair, sign in with the simulated
card reader, take a number, follow a case, open a notice, and be signed out when idle."""

from __future__ import annotations

import pytest

from tests.browser.conftest import SHOTS
from yichuang.cases.models import NoticeKind
from yichuang.cases.tests import factories as case_factories
from yichuang.catalog.tests import factories as catalog_factories
from yichuang.common import clock
from yichuang.hall.models import KioskSession, TakenVia
from yichuang.hall.services.kiosk import kiosk_create
from yichuang.hall.services.tickets import ticket_take
from yichuang.hall.tests import factories as hall_factories
from yichuang.orgs.tests import factories as orgs_factories

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def hall():
    """A centre with two queues, a kiosk, and 张三 with an accepted case and its notice."""
    centre = orgs_factories.centre(name="巴林左旗政务服务中心", code="blzq")
    hall_factories.queue(centre=centre, code="A", name="综合受理")
    hall_factories.queue(centre=centre, code="B", name="不动产登记")
    _kiosk, token = kiosk_create(centre=centre, code="hall-1", name="一楼自助终端")
    person = case_factories.applicant(name="张三")
    version = catalog_factories.published_item(
        department=orgs_factories.department(centre=centre), name="食品经营许可（新办）"
    )
    case = case_factories.case(item_version=version, applicant=person)
    notice = case_factories.notice(case=case, kind=NoticeKind.ACCEPTANCE)
    return {"centre": centre, "token": token, "person": person, "case": case, "notice": notice}


def shot(page, name: str) -> None:
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / f"kiosk-{name}.png"))


def test_the_kiosk_flow_with_the_simulated_card_reader(visit, hall, settings):
    from playwright.sync_api import expect

    settings.YICHUANG = {**settings.YICHUANG, "KIOSK_IDLE_SECONDS": 60}
    with clock.frozen(hall_factories.at(hour=10)):
        ticket_take(centre=hall["centre"], queue_code="A", via=TakenVia.PORTAL)  # someone ahead
        visitor = visit()
        page = visitor.open(f"/kiosk/pair/?token={hall['token']}")
        expect(page.locator("h1")).to_have_text("请将身份证放在读卡区")
        shot(page, "start")

        page.locator(f'[data-sim-card][data-id-number="{hall["person"].id_number}"]').click()
        expect(page.locator("[data-person]")).to_have_text("您好，张三")
        shot(page, "home")

        page.get_by_role("link", name="取号").click()
        page.locator('label.kchip:has-text("孕妇")').click()
        page.locator('button[data-queue="A"]').click()
        expect(page.locator("[data-number]")).to_have_text("A002")
        expect(page.locator("[data-ahead-line]")).to_have_text("前面还有 0 人")  # priority lane
        shot(page, "ticket")

        page.get_by_role("link", name="返回首页").click()
        page.get_by_role("link", name="取号").click()
        page.locator('button[data-queue="B"]').click()
        expect(page.locator("[data-number]")).to_have_text("B001")
        expect(page.locator("[data-ahead-line]")).to_have_text("前面还有 0 人")

        page.get_by_role("link", name="返回首页").click()
        page.get_by_role("link", name="我的办件").click()
        expect(page.locator(f'a[data-case="{hall["case"].number}"]')).to_be_visible()
        shot(page, "cases")
        page.locator(f'a[data-case="{hall["case"].number}"]').click()
        expect(page.locator("[data-case-status]")).to_have_text("已提交")
        with page.expect_response(lambda r: r.url.endswith("/pdf/")) as pdf:
            page.locator('a[data-notice="acceptance"]').click()
        assert pdf.value.status == 200
        assert pdf.value.headers["content-type"] == "application/pdf"
        shot(page, "notice")

        settings.YICHUANG = {**settings.YICHUANG, "KIOSK_IDLE_SECONDS": 2}
        page.goto(visitor.base_url + "/kiosk/")  # the page now counts 2 s without a touch

        expect(page.locator("h1")).to_have_text("请将身份证放在读卡区", timeout=6000)
        expect(page.locator("[data-ended]")).to_be_visible()
        session = KioskSession.objects.get()
        assert session.end_reason == "idle"
        # The PDF viewer loads its own chrome resources; no web host but ours is asked.
        assert [u for u in visitor.foreign_requests if u.startswith(("http:", "https:"))] == []


def test_an_unpaired_browser_sees_the_terminal_is_not_activated(visit, hall):
    from playwright.sync_api import expect

    visitor = visit()
    page = visitor.open("/kiosk/")

    expect(page.locator("h1")).to_have_text("本终端尚未激活")
