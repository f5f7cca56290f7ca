"""The department inbox and the task page."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse

from yichuang.cases.models import Stage, SubmittedMaterial, Task, TaskStatus
from yichuang.cases.tests import factories
from yichuang.cases.views import department_inbox as inbox_views
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


def test_panels_are_disabled_while_their_service_is_missing(
    client, department, reviewer, monkeypatch
):
    monkeypatch.setattr(inbox_views, "service_or_none", lambda name: None)
    task = task_of(department, started_on=dt.date(2026, 3, 2), due_date=dt.date(2026, 3, 5))
    client.force_login(reviewer)

    response = client.get(reverse("cases:task", args=[task.pk]))

    page = response.content.decode()
    assert page.count("<fieldset disabled>") == 5
    assert page.count("data-unavailable") == 5


def test_a_post_to_a_missing_service_changes_nothing_and_says_so(
    client, department, reviewer, monkeypatch
):
    monkeypatch.setattr(inbox_views, "service_or_none", lambda name: None)
    task = task_of(department, started_on=dt.date(2026, 3, 2), due_date=dt.date(2026, 3, 5))
    client.force_login(reviewer)

    response = client.post(reverse("cases:task_action", args=[task.pk, "approve"]), {})

    assert response.status_code == 200
    assert "该功能暂未开放" in response.content.decode()
    assert Task.objects.get(pk=task.pk).status == TaskStatus.PENDING


class Recorder:
    def __init__(self):
        self.calls: list[tuple[str, dict]] = []

    def lookup(self, name):
        def service(**kwargs):
            self.calls.append((name, kwargs))

        return service


@pytest.mark.parametrize(
    ("panel", "data", "service", "expected"),
    [
        ("approve", {"opinion": "符合条件"}, "task_approve", {"opinion": "符合条件"}),
        ("reject", {"reason": "不符合条件"}, "task_reject", {"reason": "不符合条件"}),
        (
            "suspend",
            {"kind": "expert_review", "reason": "需专家评审"},
            "case_suspend",
            {"kind": "expert_review", "reason": "需专家评审"},
        ),
        (
            "extension",
            {"workdays": "5", "reason": "情况复杂"},
            "extension_request",
            {"workdays": 5, "reason": "情况复杂"},
        ),
    ],
)
def test_each_panel_calls_its_review_service(
    client, department, reviewer, monkeypatch, panel, data, service, expected
):
    recorder = Recorder()
    monkeypatch.setattr(inbox_views, "service_or_none", recorder.lookup)
    task = task_of(department, started_on=dt.date(2026, 3, 2), due_date=dt.date(2026, 3, 5))
    client.force_login(reviewer)

    response = client.post(reverse("cases:task_action", args=[task.pk, panel]), data)

    assert response.status_code == 302
    assert recorder.calls == [(service, {"user": reviewer, "task": task, **expected})]


def test_a_correction_request_lists_the_materials_and_the_general_note(
    client, department, reviewer, monkeypatch
):
    recorder = Recorder()
    monkeypatch.setattr(inbox_views, "service_or_none", recorder.lookup)
    task = task_of(department, started_on=dt.date(2026, 3, 2), due_date=dt.date(2026, 3, 5))
    first = task.case.item_version.materials.order_by("position").first()
    client.force_login(reviewer)

    client.post(
        reverse("cases:task_action", args=[task.pk, "correction"]),
        {f"item_{first.pk}": "缺少签字", "note": "补充现场照片"},
    )

    assert recorder.calls[0][1]["items"] == [(first, "缺少签字"), (None, "补充现场照片")]


def test_an_empty_correction_request_is_refused_in_chinese(
    client, department, reviewer, monkeypatch
):
    recorder = Recorder()
    monkeypatch.setattr(inbox_views, "service_or_none", recorder.lookup)
    task = task_of(department, started_on=dt.date(2026, 3, 2), due_date=dt.date(2026, 3, 5))
    client.force_login(reviewer)

    response = client.post(reverse("cases:task_action", args=[task.pk, "correction"]), {})

    assert "请至少填写一项补正要求" in response.content.decode()
    assert recorder.calls == []


def test_an_extension_of_zero_days_is_refused_in_chinese(client, department, reviewer, monkeypatch):
    recorder = Recorder()
    monkeypatch.setattr(inbox_views, "service_or_none", recorder.lookup)
    task = task_of(department, started_on=dt.date(2026, 3, 2), due_date=dt.date(2026, 3, 5))
    client.force_login(reviewer)

    response = client.post(
        reverse("cases:task_action", args=[task.pk, "extension"]),
        {"workdays": "0", "reason": "情况复杂"},
    )

    assert "延长工作日至少为 1 天" in response.content.decode()
    assert recorder.calls == []


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
    task_of(department, started_on=dt.date(2026, 3, 2), due_date=dt.date(2026, 3, 5))
    _queries(client, "/inbox/")  # warm the calendar cache
    few = _queries(client, "/inbox/")
    for _n in range(4):
        task_of(department, started_on=dt.date(2026, 3, 2), due_date=dt.date(2026, 3, 5))

    many = _queries(client, "/inbox/")

    assert many == few
