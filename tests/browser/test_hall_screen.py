"""The calling screen in a real Chromium: a call made through the API appears within 2
seconds and is spoken with the browser's speech synthesis."""

from __future__ import annotations

import time

import pytest
from django.test import Client

from tests.browser.conftest import SHOTS
from yichuang.common import clock
from yichuang.hall.models import TakenVia
from yichuang.hall.services.tickets import ticket_take
from yichuang.hall.tests import factories as hall_factories
from yichuang.identity.tokens import token_issue
from yichuang.orgs.tests import factories as orgs_factories

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

# Replaces the browser's speech synthesis with a recorder the test can read.
SPEECH_RECORDER = """
window.__spoken = [];
Object.defineProperty(window, "speechSynthesis", {
  configurable: true,
  value: {
    speak: function (u) { window.__spoken.push({ text: u.text, lang: u.lang }); },
    cancel: function () {},
    getVoices: function () { return []; },
  },
});
"""


@pytest.fixture
def hall():
    """A centre with queue A served by window 2, whose officer holds an API token."""
    centre = orgs_factories.centre(name="巴林左旗政务服务中心", code="blzq")
    window = hall_factories.window(centre=centre, number=2, name="综合受理二号")
    hall_factories.queue(centre=centre, code="A", name="综合受理", windows=[window])
    hall_factories.queue(centre=centre, code="B", name="不动产登记")
    officer = orgs_factories.staff(centre=centre, name="窗口二号")
    token = token_issue(username=officer.user.username, password="correct-horse-battery").token
    return {"centre": centre, "window": window, "token": token}


def take(hall) -> None:
    """A visitor takes a number in queue A (anonymous API takers are rate-limited)."""
    ticket_take(centre=hall["centre"], queue_code="A", via=TakenVia.KIOSK)


def api(token: str | None = None) -> Client:
    headers = {"Authorization": f"Bearer {token}"} if token else {}
    return Client(headers=headers)


def test_a_call_through_the_api_shows_on_the_screen_within_two_seconds_and_is_spoken(visit, hall):
    with clock.frozen(hall_factories.at(hour=10)):
        officer = api(hall["token"])
        window_id = hall["window"].pk
        assert officer.post(f"/api/v1/hall/windows/{window_id}/sign-in").status_code == 200
        for _ in range(3):
            take(hall)
        visitor = visit()
        visitor.context.add_init_script(SPEECH_RECORDER)
        page = visitor.open("/hall/screen/?centre=blzq")
        card = page.locator('.window-card[data-window="2"] [data-current]')
        expect = _expect()
        expect(card).to_have_text("等候叫号")
        expect(page.locator('#screen-waiting li[data-queue="A"] em')).to_have_text("等候 3 人")

        called = officer.post(f"/api/v1/hall/windows/{window_id}/call-next")
        started = time.monotonic()

        assert called.status_code == 200
        assert called.json()["number"] == "A001"
        expect(card).to_have_text("A001", timeout=2000)
        assert time.monotonic() - started < 2.0
        expect(page.locator("#screen-calls li").first).to_contain_text("A001")
        expect(page.locator('#screen-waiting li[data-queue="A"] em')).to_have_text("等候 2 人")
        page.wait_for_function("window.__spoken.length > 0", timeout=2000)
        spoken = page.evaluate("window.__spoken")
        assert spoken == [{"text": "请A001号到2号窗口办理", "lang": "zh-CN"}]
        assert page.locator('.window-card[data-window="2"]').get_attribute("class").count("is-new")
        SHOTS.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(SHOTS / "hall-screen.png"))
        assert page.evaluate("document.documentElement.scrollHeight") <= 1080
        assert visitor.foreign_requests == []


def test_calls_made_before_the_page_loaded_are_not_spoken_and_a_recall_is(visit, hall):
    with clock.frozen(hall_factories.at(hour=10)):
        officer = api(hall["token"])
        window_id = hall["window"].pk
        officer.post(f"/api/v1/hall/windows/{window_id}/sign-in")
        take(hall)
        officer.post(f"/api/v1/hall/windows/{window_id}/call-next")
        visitor = visit()
        visitor.context.add_init_script(SPEECH_RECORDER)
        page = visitor.open("/hall/screen/?centre=blzq")
        expect = _expect()
        expect(page.locator('.window-card[data-window="2"] [data-current]')).to_have_text("A001")
        page.wait_for_timeout(1500)  # at least one poll has come back
        assert page.evaluate("window.__spoken") == []

        assert officer.post(f"/api/v1/hall/windows/{window_id}/recall").status_code == 200

        page.wait_for_function("window.__spoken.length > 0", timeout=2000)
        assert page.evaluate("window.__spoken.map(s => s.text)") == ["请A001号到2号窗口办理"]


def test_a_paused_window_and_a_lost_connection_keep_the_last_state(visit, hall):
    with clock.frozen(hall_factories.at(hour=10)):
        officer = api(hall["token"])
        window_id = hall["window"].pk
        officer.post(f"/api/v1/hall/windows/{window_id}/sign-in")
        officer.post(f"/api/v1/hall/windows/{window_id}/pause")
        visitor = visit()
        page = visitor.open("/hall/screen/?centre=blzq")
        expect = _expect()
        card = page.locator('.window-card[data-window="2"] [data-current]')
        expect(card).to_have_text("暂停服务")

        visitor.context.route("**/api/v1/hall/screen*", lambda route: route.abort())

        expect(page.locator("#screen-offline")).to_be_visible(timeout=3000)
        expect(card).to_have_text("暂停服务")
        visitor.context.unroute("**/api/v1/hall/screen*")
        expect(page.locator("#screen-offline")).to_be_hidden(timeout=3000)


def _expect():
    from playwright.sync_api import expect

    return expect
