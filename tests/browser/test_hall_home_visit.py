"""A home visit in a real Chromium: an elderly couple who cannot come to the hall to reissue
their marriage certificate request a visit, the centre admin schedules it, the staff member
records the visit and the case appears with channel 上门服务."""

from __future__ import annotations

import datetime as dt

import pytest

from tests.browser.conftest import SHOTS
from tests.browser.test_staff_pages import signed_in
from yichuang.cases.models import Channel
from yichuang.cases.tests import factories as case_factories
from yichuang.catalog.tests import factories as catalog_factories
from yichuang.common import clock
from yichuang.hall.models import HomeVisit, HomeVisitStatus
from yichuang.hall.tests.factories import WORKDAY, at
from yichuang.orgs.models import Role
from yichuang.orgs.tests import factories as orgs_factories

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

ITEM = "补领结婚证"
TOMORROW = WORKDAY + dt.timedelta(days=1)


@pytest.fixture
def hall(settings):
    county = orgs_factories.centre(name="巴林左旗政务服务中心", code="blzq")
    settings.YICHUANG = {**settings.YICHUANG, "PORTAL_CENTRE": county.code}
    catalog_factories.published_item(
        department=orgs_factories.department(centre=county, name="民政局"), name=ITEM
    )
    return {
        "elder": case_factories.applicant(with_user=True, name="赵大爷", phone="13800001111"),
        "admin": orgs_factories.staff(roles=(Role.CENTRE_ADMIN,), centre=county, name="管理员"),
        "officer": orgs_factories.staff(
            roles=(Role.WINDOW_OFFICER,), centre=county, name="窗口一号"
        ),
    }


def test_a_home_visit_from_request_to_a_case_with_channel_home_visit(visit, hall):
    SHOTS.mkdir(parents=True, exist_ok=True)
    with clock.frozen(at(WORKDAY, 10)):
        applicant = visit()
        signed_in(applicant, hall["elder"].user)
        page = applicant.open("/my/home-visits/")
        page.get_by_label("高龄老人").check()
        page.fill("#id_address", "林东镇幸福小区3号楼2单元101")
        page.fill("#id_description", "老两口年过八旬，行动不便，需补领结婚证")
        page.select_option("#id_item_version", label=ITEM)
        page.get_by_role("button", name="提交申请").click()
        page.wait_for_selector('tr[data-status="requested"]')
        assert "待安排" in page.inner_text("#home-visit-list")
        page.screenshot(path=str(SHOTS / "home-visit-requested.png"))

        centre = visit()
        signed_in(centre, hall["admin"].user)
        page = centre.open("/hall/home-visits/?status=requested")
        card = page.locator('section[data-status="requested"]')
        card.get_by_label("窗口一号").check()
        card.locator('input[name="day"]').fill(TOMORROW.isoformat())
        card.locator('input[name="time"]').fill("09:30")
        card.get_by_role("button", name="确定安排").click()
        page.wait_for_selector('section[data-status="scheduled"]')
        assert "已安排上门服务" in page.content()

    with clock.frozen(at(TOMORROW, 10)):
        staff = visit()
        signed_in(staff, hall["officer"].user)
        page = staff.open("/hall/my-visits/")
        card = page.locator('section[data-status="scheduled"]')
        card.locator("select").select_option(label=ITEM)
        card.locator("textarea").fill("已上门核验二人身份证、户口簿，现场采集照片")
        card.get_by_role("button", name="提交记录并创建办件").click()
        page.wait_for_selector('section[data-status="done"]')
        assert "上门服务" in page.inner_text('section[data-status="done"]')
        page.screenshot(path=str(SHOTS / "home-visit-recorded.png"))
        page.locator("a[data-case-link]").click()
        page.wait_for_selector("#checklist")
        assert ITEM in page.content()

    done = HomeVisit.objects.get(applicant=hall["elder"])
    assert done.status == HomeVisitStatus.DONE
    assert done.case.channel == Channel.HOME_VISIT
    assert done.visited_at == at(TOMORROW, 10)
