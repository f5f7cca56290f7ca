"""The department inbox and the task page."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse

from yichuang.cases.models import (
    Case,
    Extension,
    ExtensionStatus,
    NoticeKind,
    Stage,
    SubmittedMaterial,
    Suspension,
    Task,
    TaskStatus,
)
from yichuang.cases.tests import factories
from yichuang.cases.workflow import Status
from yichuang.catalog.tests import factories as catalog_factories
from yichuang.common import clock
from yichuang.orgs.models import Role
from yichuang.orgs.tests import factories as orgs_factories

pytestmark = pytest.mark.django_db

WEDNESDAY = dt.datetime(2026, 3, 4, 2, 0, tzinfo=dt.UTC)  # 10:00 in Shanghai


@pytest.fixture(autouse=True)
def _wednesday():
    with clock.frozen(WEDNESDAY):
        yield


@pytest.fixture
def department():
    return orgs_factories.department(name="市场监督管理局")


@pytest.fixture
def reviewer(department):
    return orgs_factories.staff(roles=(Role.REVIEWER,), department=department).user


def task_of(department, *, started_on, due_date, limit_workdays=3, number="", **case_fields):
    version = catalog_factories.published_item(department=department, name="食品经营许可（新办）")
    case = factories.case(
        item_version=version,
        status=Status.IN_REVIEW,
        accepted_on=started_on,
        due_date=due_date,
        **({"number": number} if number else {}),
        **case_fields,
    )
    stage = Stage.objects.create(
        case=case, number=1, template_stage=1, name="审查", started_on=started_on
    )
    return Task.objects.create(
        stage=stage,
        case=case,
        department=department,
        limit_workdays=limit_workdays,
        started_on=started_on,
        due_date=due_date,
    )


def test_an_anonymous_visitor_is_sent_to_the_login_page(client):
    response = client.get("/inbox/")

    assert response["Location"] == "/accounts/login/?next=/inbox/"


def test_a_window_officer_has_no_inbox(client):
    client.force_login(orgs_factories.staff().user)

    response = client.get("/inbox/")

    assert response.status_code == 403


def test_the_inbox_lists_the_department_tasks_by_due_date_with_lights(client, department, reviewer):
    late = task_of(
        department,
        started_on=dt.date(2026, 2, 25),
        due_date=dt.date(2026, 3, 2),
        number="t-late",
    )
    soon = task_of(
        department,
        started_on=dt.date(2026, 3, 2),
        due_date=dt.date(2026, 3, 5),
        number="t-soon",
    )
    easy = task_of(
        department,
        started_on=dt.date(2026, 3, 4),
        due_date=dt.date(2026, 3, 18),
        limit_workdays=10,
        number="t-easy",
    )
    task_of(
        orgs_factories.department(), started_on=dt.date(2026, 3, 2), due_date=None, number="t-other"
    )
    client.force_login(reviewer)

    response = client.get("/inbox/")

    page = response.content.decode()
    positions = [page.index(n) for n in ("t-late", "t-soon", "t-easy")]
    assert positions == sorted(positions)
    assert "t-other" not in page
    assert _light(page, late) == "red"
    assert _light(page, soon) == "yellow"
    assert _light(page, easy) == "green"


def _light(page: str, task: Task) -> str:
    row = page[page.index(f'data-task="{task.pk}"') :]
    return row[row.index('data-light="') + len('data-light="') :].split('"', 1)[0]


def test_the_inbox_shows_the_applicant_number_as_the_reviewer_may_see_it(
    client, department, reviewer
):
    task = task_of(department, started_on=dt.date(2026, 3, 2), due_date=dt.date(2026, 3, 5))
    client.force_login(reviewer)

    response = client.get("/inbox/")

    assert task.case.applicant.id_number in response.content.decode()


def test_a_task_page_shows_materials_and_timeline(client, department, reviewer):
    task = task_of(department, started_on=dt.date(2026, 3, 2), due_date=dt.date(2026, 3, 5))
    row = SubmittedMaterial.objects.create(
        case=task.case, origin="window_scan", uploaded_at=clock.now(), size=1
    )
    row.file.save("scan.pdf", _pdf(), save=True)
    client.force_login(reviewer)

    response = client.get(reverse("cases:task", args=[task.pk]))

    page = response.content.decode()
    assert response.status_code == 200
    assert reverse("cases:material_file", args=[task.case.number, row.pk]) in page
    assert 'id="timeline"' in page


def test_a_reviewer_downloads_a_material_of_a_case_of_their_department(
    client, department, reviewer
):
    task = task_of(department, started_on=dt.date(2026, 3, 2), due_date=dt.date(2026, 3, 5))
    row = SubmittedMaterial.objects.create(
        case=task.case, origin="window_scan", uploaded_at=clock.now(), size=1
    )
    row.file.save("scan.pdf", _pdf(), save=True)
    client.force_login(reviewer)

    response = client.get(reverse("cases:material_file", args=[task.case.number, row.pk]))

    assert b"".join(response.streaming_content) == factories.PDF


def test_a_reviewer_of_another_department_does_not_find_the_task(client, department):
    task = task_of(department, started_on=dt.date(2026, 3, 2), due_date=dt.date(2026, 3, 5))
    other = orgs_factories.staff(
        roles=(Role.REVIEWER,), department=orgs_factories.department(centre=department.centre)
    ).user
    client.force_login(other)

    response = client.get(reverse("cases:task", args=[task.pk]))

    assert response.status_code == 404


# -- the review actions, through the real services -----------------------------------------


@pytest.fixture
def joint():
    """An item reviewed by two departments in parallel in one stage, and a case in review
    accepted on Monday."""
    version = factories.review_item(stages=(2,), limit_workdays=3)
    case = factories.case_in_review(item_version=version, accepted_on=dt.date(2026, 3, 2))
    task_a, task_b = case.tasks.order_by("id")
    return {
        "case": case,
        "a": task_a,
        "b": task_b,
        "reviewer_a": factories.reviewer(department=task_a.department),
        "reviewer_b": factories.reviewer(department=task_b.department),
    }


def act(client, task, panel, data=None, **kwargs):
    return client.post(reverse("cases:task_action", args=[task.pk, panel]), data or {}, **kwargs)


def test_an_approval_records_the_opinion_and_the_other_task_still_waits(client, joint):
    client.force_login(joint["reviewer_a"])

    response = act(client, joint["a"], "approve", {"opinion": "符合条件"})

    joint["a"].refresh_from_db()
    joint["b"].refresh_from_db()
    assert response.status_code == 302
    assert (joint["a"].status, joint["a"].opinion) == (TaskStatus.APPROVED, "符合条件")
    assert joint["b"].status == TaskStatus.PENDING
    assert Case.objects.get(pk=joint["case"].pk).status == Status.IN_REVIEW


def test_when_both_departments_approve_the_case_waits_for_the_decision(client, joint):
    client.force_login(joint["reviewer_a"])
    act(client, joint["a"], "approve")
    client.force_login(joint["reviewer_b"])
    act(client, joint["b"], "approve")

    response = client.get("/inbox/")

    page = response.content.decode()
    assert Case.objects.get(pk=joint["case"].pk).status == Status.PENDING_DECISION
    assert f'data-decision="{joint["case"].number}"' in page


def test_a_done_task_shows_its_panels_disabled(client, joint):
    client.force_login(joint["reviewer_a"])
    act(client, joint["a"], "approve")

    response = client.get(reverse("cases:task", args=[joint["a"].pk]))

    page = response.content.decode()
    assert "data-task-done" in page
    assert page.count("<fieldset disabled>") == 5


def test_a_second_approval_is_refused_in_chinese(client, joint):
    client.force_login(joint["reviewer_a"])
    act(client, joint["a"], "approve")

    response = act(client, joint["a"], "approve")

    assert "该审批任务已办理，不能再次办理" in response.content.decode()


def test_a_rejection_refuses_the_case_with_the_reason(client, joint):
    client.force_login(joint["reviewer_a"])

    act(client, joint["a"], "reject", {"reason": "不符合规划要求"})

    case = Case.objects.get(pk=joint["case"].pk)
    assert case.status == Status.REFUSED
    assert case.decision.reason == "不符合规划要求"
    assert Task.objects.get(pk=joint["b"].pk).status == TaskStatus.CANCELLED


def test_a_correction_request_lists_the_materials_and_the_general_note(client, joint):
    first = joint["case"].item_version.materials.order_by("position").first()
    client.force_login(joint["reviewer_a"])

    act(client, joint["a"], "correction", {f"item_{first.pk}": "缺少签字", "note": "补充现场照片"})

    notice = joint["case"].notices.get(kind=NoticeKind.CORRECTION)
    assert [(i["name"], i["note"]) for i in notice.body["items"]] == [
        ("申请材料1", "缺少签字"),
        ("", "补充现场照片"),
    ]
    assert Case.objects.get(pk=joint["case"].pk).status == Status.SUSPENDED


def test_an_empty_correction_request_is_refused_in_chinese(client, joint):
    client.force_login(joint["reviewer_a"])

    response = act(client, joint["a"], "correction")

    assert "请至少填写一项补正要求" in response.content.decode()
    assert not joint["case"].notices.exists()


def test_a_special_procedure_stops_the_clock_and_offers_to_resume(client, joint):
    client.force_login(joint["reviewer_a"])

    act(client, joint["a"], "suspend", {"kind": "expert_review", "reason": "需专家评审"})
    page = client.get(reverse("cases:task", args=[joint["a"].pk])).content.decode()

    suspension = Suspension.objects.get(case=joint["case"])
    assert (suspension.kind, suspension.reason) == ("expert_review", "需专家评审")
    assert Case.objects.get(pk=joint["case"].pk).status == Status.SUSPENDED
    assert 'id="panel-resume"' in page
    assert "data-case-not-in-review" in page
    assert page.count("<fieldset disabled>") == 5


def test_resuming_ends_the_special_procedure(client, joint):
    client.force_login(joint["reviewer_a"])
    act(client, joint["a"], "suspend", {"kind": "testing", "reason": "送检"})

    with clock.frozen(WEDNESDAY + dt.timedelta(days=1)):
        response = act(client, joint["a"], "resume", follow=True)

    assert Case.objects.get(pk=joint["case"].pk).status == Status.IN_REVIEW
    assert Suspension.objects.get(case=joint["case"]).ended_on == dt.date(2026, 3, 5)
    assert 'data-event="特别程序结束"' in response.content.decode()


def test_a_reviewer_of_the_other_department_in_the_stage_may_resume_too(client, joint):
    client.force_login(joint["reviewer_a"])
    act(client, joint["a"], "suspend", {"kind": "testing", "reason": "送检"})
    client.force_login(joint["reviewer_b"])

    act(client, joint["b"], "resume")

    assert Case.objects.get(pk=joint["case"].pk).status == Status.IN_REVIEW


def test_there_is_no_resume_panel_without_a_special_procedure(client, joint):
    client.force_login(joint["reviewer_a"])

    response = client.get(reverse("cases:task", args=[joint["a"].pk]))

    assert 'id="panel-resume"' not in response.content.decode()


def test_resuming_without_a_special_procedure_is_refused_in_chinese(client, joint):
    client.force_login(joint["reviewer_a"])

    response = act(client, joint["a"], "resume")

    assert "该办件没有进行中的特别程序" in response.content.decode()


def test_an_extension_request_waits_for_a_leader(client, joint):
    client.force_login(joint["reviewer_a"])

    act(client, joint["a"], "extension", {"workdays": "5", "reason": "情况复杂"})

    extension = Extension.objects.get(case=joint["case"])
    assert (extension.workdays, extension.reason, extension.status) == (
        5,
        "情况复杂",
        ExtensionStatus.REQUESTED,
    )


def test_an_extension_of_zero_days_is_refused_in_chinese(client, joint):
    client.force_login(joint["reviewer_a"])

    response = act(client, joint["a"], "extension", {"workdays": "0", "reason": "情况复杂"})

    assert "延长工作日至少为 1 天" in response.content.decode()
    assert not Extension.objects.exists()


def test_an_extension_beyond_the_legal_limit_is_refused_in_chinese(client, joint):
    client.force_login(joint["reviewer_a"])

    response = act(client, joint["a"], "extension", {"workdays": "30", "reason": "情况复杂"})

    assert "延期合计不能超过 15 个工作日" in response.content.decode()
    assert not Extension.objects.exists()


def test_the_task_page_links_each_notice_to_its_pdf(client, joint):
    notice = factories.notice(case=joint["case"], kind=NoticeKind.ACCEPTANCE)
    client.force_login(joint["reviewer_a"])

    response = client.get(reverse("cases:task", args=[joint["a"].pk]))

    assert reverse("cases:notice_file", args=[joint["case"].number, notice.pk]) in (
        response.content.decode()
    )


# -- 待作出决定: the department decides after the last stage -------------------------------


@pytest.fixture
def waiting(client, joint):
    """Both departments approved: the case waits for the decision."""
    for reviewer, task in (("reviewer_a", "a"), ("reviewer_b", "b")):
        client.force_login(joint[reviewer])
        act(client, joint[task], "approve")
    return joint


def decide(client, case, **data):
    return client.post(reverse("cases:inbox_decide", args=[case.number]), data)


def test_a_reviewer_approves_the_case_in_the_inbox(client, waiting):
    client.force_login(waiting["reviewer_a"])

    response = decide(client, waiting["case"], outcome="approved")

    case = Case.objects.get(pk=waiting["case"].pk)
    assert response.status_code == 302
    assert case.status == Status.APPROVED
    assert case.decision.decided_by == waiting["reviewer_a"]


def test_a_refusal_needs_a_reason_and_changes_nothing_without_one(client, waiting):
    client.force_login(waiting["reviewer_a"])

    response = decide(client, waiting["case"], outcome="refused", reason="")

    assert "请填写不予许可的理由" in response.content.decode()
    assert Case.objects.get(pk=waiting["case"].pk).status == Status.PENDING_DECISION


def test_a_refusal_with_a_reason_refuses_the_case(client, waiting):
    client.force_login(waiting["reviewer_b"])

    decide(client, waiting["case"], outcome="refused", reason="不符合条件")

    case = Case.objects.get(pk=waiting["case"].pk)
    assert (case.status, case.decision.reason) == (Status.REFUSED, "不符合条件")


def test_a_second_decision_is_refused_in_chinese(client, waiting):
    client.force_login(waiting["reviewer_a"])
    decide(client, waiting["case"], outcome="approved")

    response = decide(client, waiting["case"], outcome="refused", reason="不符合条件")

    assert "data-action-error" in response.content.decode()
    assert Case.objects.get(pk=waiting["case"].pk).status == Status.APPROVED


def test_a_reviewer_of_an_uninvolved_department_neither_sees_nor_decides(client, waiting):
    stranger = factories.reviewer(
        department=orgs_factories.department(centre=waiting["case"].centre)
    )
    client.force_login(stranger)

    page = client.get("/inbox/").content.decode()
    response = decide(client, waiting["case"], outcome="approved")

    assert waiting["case"].number not in page
    assert response.status_code == 404
    assert Case.objects.get(pk=waiting["case"].pk).status == Status.PENDING_DECISION


def test_an_unknown_panel_is_not_found(client, department, reviewer):
    task = task_of(department, started_on=dt.date(2026, 3, 2), due_date=dt.date(2026, 3, 5))
    client.force_login(reviewer)

    response = client.post(reverse("cases:task_action", args=[task.pk, "delete"]), {})

    assert response.status_code == 404


def _pdf():
    from django.core.files.base import ContentFile

    return ContentFile(factories.PDF)


def _queries(client, url) -> int:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as captured:
        client.get(url)
    return len(captured)


def test_the_inbox_query_count_does_not_grow_with_the_tasks(client, department, reviewer):
    client.force_login(reviewer)

    def add():
        task_of(department, started_on=dt.date(2026, 3, 2), due_date=dt.date(2026, 3, 5))
        waiting = task_of(department, started_on=dt.date(2026, 3, 2), due_date=dt.date(2026, 3, 5))
        Case.objects.filter(pk=waiting.case_id).update(status=Status.PENDING_DECISION)
        Task.objects.filter(pk=waiting.pk).update(
            status=TaskStatus.APPROVED, decided_at=clock.now()
        )

    add()
    _queries(client, "/inbox/")  # warm the calendar cache
    few = _queries(client, "/inbox/")
    for _n in range(4):
        add()

    many = _queries(client, "/inbox/")

    assert many == few


TASK_POSTS = [
    ("approve", {}),
    ("reject", {"reason": "理由"}),
    ("correction", {"note": "补正"}),
    ("suspend", {"kind": "testing", "reason": "送检"}),
    ("suspend", {"kind": "correction", "reason": "x"}),
    ("resume", {}),
    ("extension", {"workdays": "3", "reason": "复杂"}),
    ("extension", {"workdays": "many"}),
]


def test_no_review_action_on_a_closed_case_answers_with_a_server_error(client, joint):
    client.force_login(joint["reviewer_a"])
    act(client, joint["a"], "reject", {"reason": "不符合条件"})

    answers = {
        (panel, str(data)): act(client, task, panel, data).status_code
        for panel, data in TASK_POSTS
        for task in (joint["a"], joint["b"])
    }
    decided = decide(client, joint["case"], outcome="approved").status_code

    assert all(code < 500 for code in answers.values()), answers
    assert decided < 500
