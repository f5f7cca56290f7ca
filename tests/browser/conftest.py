"""Playwright driving Debian's Chromium against pytest-django's live server.

No browser is ever downloaded: the tests use /usr/bin/chromium. Without it they skip with
the reason, unless YICHUANG_REQUIRE_BROWSER is set (CI), where they fail instead.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import urlsplit

import pytest

# Playwright's sync API runs an event loop in this thread; Django's ORM calls from the test
# body are still synchronous and safe.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
DESKTOP = {"width": 1920, "height": 1080}
PHONE = {"width": 375, "height": 812}
SHOTS = Path(os.environ.get("YICHUANG_SHOTS", "/tmp/yichuang-shots"))


@pytest.fixture(scope="session")
def browser() -> Iterator:
    if not CHROMIUM.exists():
        reason = f"{CHROMIUM} is missing: apt-get install chromium fonts-noto-cjk"
        if os.environ.get("YICHUANG_REQUIRE_BROWSER"):
            pytest.fail(reason)
        pytest.skip(reason)
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(
            executable_path=str(CHROMIUM), args=CHROMIUM_ARGS, headless=True
        )
        yield chromium
        chromium.close()


class Visitor:
    """A browser page on the live server that refuses every request to another host."""

    def __init__(self, *, browser, base_url: str, viewport: dict, javascript: bool = True):
        self.base_url = base_url
        self.context = browser.new_context(
            viewport=viewport, locale="zh-CN", java_script_enabled=javascript
        )
        self.context.set_default_timeout(15_000)
        self.foreign_requests: list[str] = []
        self.context.route("**/*", self._only_local)
        self.page = self.context.new_page()

    def _only_local(self, route) -> None:
        if urlsplit(route.request.url).netloc == urlsplit(self.base_url).netloc:
            route.continue_()
        else:
            self.foreign_requests.append(route.request.url)
            route.abort()

    def open(self, path: str):
        self.page.goto(self.base_url + path)
        return self.page

    def close(self) -> None:
        self.context.close()


@pytest.fixture
def visit(browser, live_server) -> Iterator:
    """`visit(viewport=..., javascript=...)` opens a fresh browser context."""
    visitors: list[Visitor] = []

    def make(*, viewport: dict = DESKTOP, javascript: bool = True) -> Visitor:
        visitor = Visitor(
            browser=browser, base_url=live_server.url, viewport=viewport, javascript=javascript
        )
        visitors.append(visitor)
        return visitor

    yield make
    for visitor in visitors:
        visitor.close()
