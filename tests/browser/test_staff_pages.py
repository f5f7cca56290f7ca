"""The window desk in a real Chromium: open a case at the window, scan, accept."""

from __future__ import annotations

from urllib.parse import urlsplit

import pytest
from django.conf import settings
from django.test import Client

from tests.browser.conftest import SHOTS
from yichuang.catalog import services as catalog_services
from yichuang.catalog.models import Material, MaterialSource
from yichuang.catalog.tests import factories as catalog_factories
from yichuang.identity.validation import resident_id_check_character
from yichuang.orgs.tests import factories as orgs_factories

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

ITEM = "食品经营许可（新办）"
PDF = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"


@pytest.fixture
def desk():
    """A county centre with an item of three materials (one shared) and a window officer."""
    county = orgs_factories.centre(name="巴林左旗政务服务中心")
    version = catalog_factories.published_item(
        department=orgs_factories.department(centre=county, name="市场监督管理局"),
        materials=2,
        name=ITEM,
    )
    Material.objects.create(
        version=version, position=3, name="营业执照", source=MaterialSource.DATA_SHARING
    )
    catalog_services.search_text_refresh(version=version)
    return orgs_factories.staff(centre=county, name="窗口一号").user


def signed_in(visitor, user) -> None:
    """Give the browser the session of `user` (the login page is not part of this test)."""
    client = Client()
    client.force_login(user)
    cookie = client.cookies[settings.SESSION_COOKIE_NAME]
    visitor.context.add_cookies(
        [
            {
                "name": settings.SESSION_COOKIE_NAME,
                "value": cookie.value,
                "domain": urlsplit(visitor.base_url).hostname,
                "path": "/",
            }
        ]
    )


@pytest.mark.parametrize("javascript", [True, False], ids=["htmx", "no-js"])
def test_an_officer_opens_scans_and_accepts_a_case_at_the_window(visit, desk, tmp_path, javascript):
    visitor = visit(javascript=javascript)
    signed_in(visitor, desk)
    scan = tmp_path / "scan.pdf"
    scan.write_bytes(PDF)
    body = "15042219900307123"
    page = visitor.open("/desk/")

    page.fill("#desk-q", "食品")
    page.press("#desk-q", "Enter")
    page.locator(f'li[data-item="{ITEM}"] a').click()
    page.fill("#id_id_number", body + resident_id_check_character(body))
    page.fill("#id_name", "张三")
    page.fill("#id_phone", "13800001111")
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / f"desk-open-{'js' if javascript else 'nojs'}.png"))
    page.get_by_role("button", name="创建办件").click()
    page.wait_for_selector("#checklist")
    for name in ("申请材料1", "申请材料2"):
        row = page.locator(f'tr[data-material="{name}"]')
        row.locator('input[type="file"]').set_input_files(str(scan))
        row.get_by_role("button", name="上传", exact=True).click()
        page.wait_for_selector(f'tr[data-material="{name}"] a')
    page.screenshot(path=str(SHOTS / f"desk-case-{'js' if javascript else 'nojs'}.png"))
    page.get_by_role("button", name="受理并出具受理通知书").click()
    page.wait_for_selector('#notices tr[data-notice="acceptance"]')
    page.screenshot(
        path=str(SHOTS / f"desk-accepted-{'js' if javascript else 'nojs'}.png"), full_page=True
    )

    assert page.locator("[data-case-status]").inner_text() == "审查中"
    assert "受理通知书" in page.locator("#notices").inner_text()
    assert page.locator("[data-missing]").count() == 0
    assert visitor.foreign_requests == []
