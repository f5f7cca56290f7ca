"""The whole path of one case in a real Chromium, every person signing in on the login page.

An applicant applies online for an item two departments review in parallel and leaves out
the material that may be pending → the window asks for a correction in pre-review → the
applicant corrects and resubmits → the window accepts with the material pending (容缺,
commitment signed) → both departments approve → the case waits for the decision → the
applicant supplies the pending material → the leader approves → the result window issues
the result and concludes → the applicant sees the case concluded. The hash chain of the
case's history holds at the end.
"""

from __future__ import annotations

import re

import pytest

from tests.browser.conftest import SHOTS
from yichuang.cases.history import history_verify
from yichuang.cases.models import Case, MaterialOrigin
from yichuang.cases.tests import factories as case_factories
from yichuang.catalog.models import Material, ProcessStageTask, VersionStatus
from yichuang.catalog.tests import factories as catalog_factories
from yichuang.orgs.models import Role
from yichuang.orgs.tests import factories as orgs_factories

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PASSWORD = "correct-horse-battery"
ITEM = "食品经营许可（新办）"
PREMISES = "经营场所证明"
HEALTH = "从业人员健康证明"
PDF = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"


@pytest.fixture
def centre():
    """The county centre: a published online item reviewed in stage 1 by two departments,
    two required materials of which the health certificate may be pending, and its people."""
    county = orgs_factories.centre(name="巴林左旗政务服务中心")
    market = orgs_factories.department(centre=county, name="市场监督管理局")
    health = orgs_factories.department(centre=county, name="卫生健康委员会")
    version = catalog_factories.version(
        item=catalog_factories.item(department=market),
        status=VersionStatus.PUBLISHED,
        name=ITEM,
        handled_online=True,
        promised_limit=5,
        result_name="食品经营许可证",
    )
    Material.objects.create(version=version, position=1, name=PREMISES, required=True)
    Material.objects.create(version=version, position=2, name=HEALTH, required=True, pendable=True)
    for department in (market, health):
        ProcessStageTask.objects.create(
            version=version,
            stage=1,
            stage_name="联合审查",
            department=department,
            limit_workdays=3,
        )
    return {
        "version": version,
        "applicant": case_factories.applicant(with_user=True, name="王小明", phone="13912345678"),
        "officer": orgs_factories.staff(centre=county, name="窗口一号").user,
        "reviewer_a": orgs_factories.staff(
            roles=(Role.REVIEWER,), department=market, name="市场审查员"
        ).user,
        "reviewer_b": orgs_factories.staff(
            roles=(Role.REVIEWER,), department=health, name="卫健审查员"
        ).user,
        "leader": orgs_factories.staff(roles=(Role.LEADER,), centre=county, name="中心主任").user,
    }


def signed_in(visit, user, *, lands_on: str):
    """A fresh browser that signed in as `user` on the login page and landed on its page."""
    page = visit().open("/accounts/login/")
    page.fill("#id_username", user.username)
    page.fill("#id_password", PASSWORD)
    page.get_by_role("button", name="登录", exact=True).click()
    page.wait_for_url(re.compile(lands_on))
    return page


def shoot(page, name: str) -> None:
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / f"journey-{name}.png"), full_page=True)


def upload(page, row_selector: str, path) -> None:
    """Upload a file in one row of the applicant's case page."""
    row = page.locator(row_selector)
    row.locator('input[type="file"]').set_input_files(str(path))
    row.get_by_role("button", name="上传").click()
    page.locator(".flash-success").wait_for()


def applicant_status(page) -> str:
    return page.locator(".case-facts [data-status]").inner_text()


def desk_status(page) -> str:
    return page.locator("[data-case-status]").inner_text()


def test_a_case_from_online_application_to_conclusion(visit, live_server, centre, tmp_path):
    base = live_server.url
    seen: dict[str, object] = {}
    scan = tmp_path / "scan.pdf"
    scan.write_bytes(PDF)
    code = centre["version"].item.implementation_code

    # 1. The applicant applies online, uploads the premises proof only, submits.
    applicant = signed_in(visit, centre["applicant"].user, lands_on=r"/my/cases/$")
    applicant.goto(f"{base}/apply/{code}/")
    applicant.fill("#id_description", "新开一家小吃店，申请食品经营许可")
    applicant.fill("#id_address", "巴林左旗林东镇契丹大街1号")
    applicant.get_by_role("button", name="保存草稿").click()
    applicant.wait_for_url(re.compile(r"/my/cases/[^/]+/$"))
    case = Case.objects.get(applicant=centre["applicant"])
    my_case_url = applicant.url
    upload(applicant, f'li[data-material="{PREMISES}"]', scan)
    applicant.get_by_role("button", name="提交预审").click()
    applicant.wait_for_load_state()
    seen["submitted"] = applicant_status(applicant)
    shoot(applicant, "01-applicant-submitted")

    # 2. The window officer pre-reviews it and asks for a correction of the premises proof.
    officer = signed_in(visit, centre["officer"], lands_on=r"/desk/$")
    seen["desk_waiting"] = officer.locator("#waiting-cases").inner_text()
    officer.locator("#waiting-cases").get_by_role("link", name=case.number).click()
    officer.wait_for_selector("#correction-form")
    officer.locator("#correction-form").get_by_label(PREMISES).fill(
        "复印件不清晰，请上传原件扫描件"
    )
    shoot(officer, "02-desk-pre-review")
    officer.get_by_role("button", name="出具补正材料通知书").click()
    officer.wait_for_selector('#notices tr[data-notice="correction"]')
    seen["after_correction"] = desk_status(officer)
    seen["desk_timeline_1"] = officer.locator("#timeline").inner_text()

    # 3. The applicant reads what to correct, uploads a better scan and resubmits.
    applicant.goto(my_case_url)
    seen["correction_status"] = applicant_status(applicant)
    seen["correction_asked"] = applicant.locator("#correction").inner_text()
    seen["correction_notice"] = applicant.locator("#notices").inner_text()
    shoot(applicant, "03-applicant-correction")
    upload(applicant, f'#correction li[data-correction="{PREMISES}"]', scan)
    applicant.get_by_role("button", name="重新提交").click()
    applicant.wait_for_load_state()
    seen["resubmitted"] = applicant_status(applicant)

    # 4. The officer accepts with the health certificate pending, the applicant signing.
    officer.reload()
    pending = officer.locator("#pending-form")
    pending.get_by_label(HEALTH).check()
    pending.get_by_label("承诺人姓名").fill("王小明")
    pending.get_by_label("承诺人身份证号码").fill(centre["applicant"].id_number)
    pending.get_by_role("button", name="签署承诺并容缺受理").click()
    officer.wait_for_selector('#notices tr[data-notice="pending_materials"]')
    seen["accepted"] = desk_status(officer)
    seen["commitment"] = officer.locator("#commitments").inner_text()
    seen["notices_at_acceptance"] = officer.locator("#notices").inner_text()
    shoot(officer, "04-desk-accepted-pending")

    # 5. Both departments approve their task from the inbox.
    for who, name in (("reviewer_a", "a"), ("reviewer_b", "b")):
        reviewer = signed_in(visit, centre[who], lands_on=r"/inbox/$")
        reviewer.locator("#tasks").get_by_role("link", name=case.number).click()
        reviewer.wait_for_selector("#panel-approve")
        reviewer.locator("#panel-approve textarea").fill("符合条件")
        reviewer.locator("#panel-approve").get_by_role("button", name="同意").click()
        reviewer.wait_for_selector("[data-task-done]")
        seen[f"task_{name}"] = reviewer.locator("#task-info").inner_text()
        seen[f"case_after_{name}"] = desk_status(reviewer)
        shoot(reviewer, f"05-task-approved-{name}")
    reviewer.goto(f"{base}/inbox/")
    seen["inbox_decisions"] = reviewer.locator("#decisions").inner_text()
    shoot(reviewer, "06-inbox-pending-decision")

    # 6. The applicant supplies the pending health certificate.
    applicant.goto(my_case_url)
    seen["waiting_status"] = applicant_status(applicant)
    seen["pending_asked"] = applicant.locator(".pending-card").inner_text()
    upload(applicant, f'.pending-card li[data-pending="{HEALTH}"]', scan)
    seen["applicant_timeline"] = applicant.locator("#timeline").inner_text()
    shoot(applicant, "07-applicant-supplied")

    # 7. The leader approves from the overview.
    leader = signed_in(visit, centre["leader"], lands_on=r"/overview/$")
    row = leader.locator(f'[data-decision="{case.number}"]')
    row.get_by_label("准予许可").check()
    shoot(leader, "08-overview-decide")
    row.get_by_role("button", name="提交决定").click()
    leader.wait_for_load_state()
    seen["overview_after"] = leader.locator("#decisions").inner_text()

    # 8. The result window issues the licence for pickup and concludes.
    officer.goto(f"{base}/desk/")
    seen["desk_results"] = officer.locator("#result-cases").inner_text()
    officer.locator("#result-cases").get_by_role("link", name=case.number).click()
    officer.wait_for_selector("#result-form")
    seen["result_name"] = officer.locator("#id_conclude_result_name").input_value()
    officer.locator("#id_conclude_result_number").fill("JY11504220000123")
    officer.get_by_role("button", name="出具结果并办结").click()
    officer.wait_for_selector("[data-no-window-action]")
    seen["concluded"] = desk_status(officer)
    seen["desk_timeline_2"] = officer.locator("#timeline").inner_text()
    shoot(officer, "09-desk-concluded")

    # 9. The applicant sees the case concluded.
    applicant.goto(f"{base}/my/cases/")
    seen["my_cases"] = applicant.locator(f'tr[data-case="{case.number}"]').inner_text()
    shoot(applicant, "10-applicant-concluded")

    case.refresh_from_db()
    assert seen["submitted"] == "已提交"
    assert case.number in str(seen["desk_waiting"])
    assert seen["after_correction"] == "待补正"
    assert "要求补正" in str(seen["desk_timeline_1"])
    assert seen["correction_status"] == "待补正"
    assert "补正材料通知书" in str(seen["correction_notice"])
    assert PREMISES in str(seen["correction_asked"])
    assert "复印件不清晰，请上传原件扫描件" in str(seen["correction_asked"])
    assert seen["resubmitted"] == "已提交"
    assert seen["accepted"] == "审查中"
    assert HEALTH in str(seen["commitment"]) and "待补交" in str(seen["commitment"])
    assert "容缺受理通知书" in str(seen["notices_at_acceptance"])
    assert "同意" in str(seen["task_a"]) and "同意" in str(seen["task_b"])
    assert seen["case_after_a"] == "审查中"
    assert seen["case_after_b"] == "待决定"
    assert case.number in str(seen["inbox_decisions"])
    assert seen["waiting_status"] == "待决定"
    assert HEALTH in str(seen["pending_asked"]) and "待补交" in str(seen["pending_asked"])
    assert "容缺材料已补齐" in str(seen["applicant_timeline"])
    assert case.number not in str(seen["overview_after"])
    assert case.number in str(seen["desk_results"])
    assert seen["result_name"] == "食品经营许可证"
    assert seen["concluded"] == "已办结"
    for entry in ("要求补正", "容缺受理", "部门审查同意", "作出决定", "出具办理结果", "办结"):
        assert entry in str(seen["desk_timeline_2"]), entry
    assert ITEM in str(seen["my_cases"]) and "已办结" in str(seen["my_cases"])
    assert (case.result.name, case.result.number, case.result.delivery) == (
        "食品经营许可证",
        "JY11504220000123",
        "pickup",
    )
    assert case.materials.filter(origin=MaterialOrigin.SUPPLEMENT).count() == 1
    assert case.commitments.get().fulfilled_at is not None
    assert history_verify(case=case) is None
