"""The public portal in a real Chromium."""

from __future__ import annotations

import pytest

from tests.browser.conftest import DESKTOP, PHONE, SHOTS
from yichuang.web.tests.helpers import sample_portal

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

LICENCE = "营业执照设立登记（有限责任公司）"


@pytest.fixture
def portal():
    return sample_portal()


def result_names(page) -> list[str]:
    return page.locator("#results .result h3 a").all_inner_texts()


@pytest.mark.parametrize("javascript", [True, False], ids=["htmx", "no-js"])
def test_pinyin_initials_find_the_business_licence(visit, portal, javascript):
    visitor = visit(javascript=javascript)
    page = visitor.open("/items/")

    page.fill("#list-q", "yyzz")
    page.press("#list-q", "Enter")
    page.wait_for_function(
        "() => document.querySelectorAll('#results .result').length === 1", timeout=10_000
    )

    assert result_names(page) == [LICENCE]
    assert "q=yyzz" in page.url
    assert visitor.foreign_requests == []


def test_live_search_updates_results_while_typing(visit, portal):
    page = visit().open("/items/")

    page.locator("#list-q").press_sequentially("gongjijin", delay=30)
    page.wait_for_function(
        "() => document.querySelectorAll('#results .result').length === 1", timeout=10_000
    )

    assert result_names(page) == ["住房公积金提取（购房）"]


def test_guide_shows_materials_with_the_pendable_mark(visit, portal):
    page = visit().open(f"/items/{portal.licence.item.implementation_code}/")

    materials = page.locator("table.materials tbody tr")
    pendable_row = page.locator('tr[data-material="住所使用证明"]')
    plain_row = page.locator('tr[data-material="公司章程"]')

    assert materials.count() == 5
    assert pendable_row.locator(".pendable").inner_text() == "可容缺"
    assert pendable_row.locator(".pendable").is_visible()
    assert plain_row.locator(".pendable").count() == 0
    assert "免提交" in page.locator('tr[data-material="法定代表人身份证明"]').inner_text()


def test_large_text_toggle_enlarges_fonts_and_persists(visit, portal):
    visitor = visit()
    page = visitor.open("/")
    size = "() => parseFloat(getComputedStyle(document.querySelector('h1')).fontSize)"
    before = page.evaluate(size)

    page.get_by_role("button", name="大字模式").click()
    after = page.evaluate(size)
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / "home-desktop-large-text.png"))
    visitor.open("/items/")
    on_next_page = page.evaluate("() => document.documentElement.classList.contains('large-text')")

    assert after >= before * 1.2
    assert on_next_page is True


def test_large_text_toggle_works_without_javascript(visit, portal):
    visitor = visit(javascript=False)
    page = visitor.open("/items/?q=yyzz")

    page.get_by_role("button", name="大字模式").click()
    page.wait_for_load_state()

    assert page.locator("html.large-text").count() == 1
    assert page.get_by_role("button", name="标准模式").is_visible()
    assert "q=yyzz" in page.url


@pytest.mark.parametrize("screen", ["desktop", "phone"])
@pytest.mark.parametrize("name", ["home", "list", "guide", "bundle"])
def test_pages_fit_the_screen_without_horizontal_scrolling(visit, portal, screen, name):
    paths = {
        "home": "/",
        "list": "/items/",
        "guide": f"/items/{portal.licence.item.implementation_code}/",
        "bundle": f"/bundles/{portal.bundle.code}/",
    }
    visitor = visit(viewport=PHONE if screen == "phone" else DESKTOP)
    page = visitor.open(paths[name])

    overflow = page.evaluate(
        "() => document.documentElement.scrollWidth - document.documentElement.clientWidth"
    )
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / f"{name}-{screen}.png"), full_page=True)
    page.screenshot(path=str(SHOTS / f"{name}-{screen}-screen.png"))
    if name == "guide":
        page.locator("#materials").scroll_into_view_if_needed()
        page.screenshot(path=str(SHOTS / f"{name}-{screen}-materials.png"))

    assert overflow <= 0
    assert visitor.foreign_requests == []
