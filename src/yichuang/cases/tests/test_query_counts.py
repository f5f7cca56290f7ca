"""Query counts of the case engine's list endpoints and list pages: 3 rows and 25 rows read
the same number of queries (`common.tests.query_counts`), so an N+1 fails here. Every
listed case carries a suspension and an approved extension, what its warning light is
computed from; a page of the keyset-paged lists costs the same as the first one.
"""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import transaction
from django.test import Client

from yichuang.cases.history import case_event_record
from yichuang.cases.models import (
    Case,
    Extension,
    ExtensionStatus,
    Stage,
    Suspension,
    SuspensionKind,
    Task,
)
from yichuang.cases.tests import factories
from yichuang.cases.views.decisions import DECISIONS_SHOWN
from yichuang.cases.workflow import Status
from yichuang.catalog.tests import factories as catalog_factories
from yichuang.common import clock
from yichuang.common.tests.query_counts import assert_flat, items, json_rows, marked, read
from yichuang.orgs.models import Role
from yichuang.orgs.tests import factories as orgs_factories

pytestmark = pytest.mark.django_db

ACCEPTED_ON = dt.date(2026, 3, 2)  # a Monday
TODAY = dt.date(2026, 3, 4)


@pytest.fixture(autouse=True)
def _wednesday():
    with clock.frozen(factories.moment(TODAY)):
        yield


@pytest.fixture
def department():
    return orgs_factories.department(name="市场监督管理局")


@pytest.fixture
def version(department):
    return catalog_factories.published_item(department=department, name="食品经营许可（新办）")


def client_for(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def _in_review(version, department, *, due_date: dt.date, status: str = Status.IN_REVIEW) -> Case:
    """A case in review with its department task, a past suspension and an approved
    extension (the inputs of its light)."""
    case = factories.case(
        item_version=version,
        status=status,
        accepted_on=ACCEPTED_ON,
        due_date=due_date,
        submitted_at=factories.moment(ACCEPTED_ON),
    )
    stage = Stage.objects.create(
        case=case, number=1, template_stage=1, name="审查", started_on=ACCEPTED_ON
    )
    task = Task.objects.create(
        stage=stage,
        case=case,
        department=department,
        limit_workdays=3,
        started_on=ACCEPTED_ON,
        due_date=due_date,
    )
    Suspension.objects.create(
        case=case,
        task=task,
        kind=SuspensionKind.TESTING,
        reason="检测",
        started_on=ACCEPTED_ON,
        ended_on=ACCEPTED_ON,
    )
    Extension.objects.create(
        case=case,
        task=task,
        workdays=1,
        reason="延期",
        status=ExtensionStatus.APPROVED,
        requested_at=factories.moment(ACCEPTED_ON),
    )
    return case


def _adder(version, department, **fields):
    def add(n: int) -> None:
        for _ in range(n):
            _in_review(version, department, **fields)

    return add


# -- the API -----------------------------------------------------------------------------


def test_the_case_list_api(version, department):
    officer = orgs_factories.staff(centre=version.item.centre).user

    assert_flat(
        client_for(officer),
        "/api/v1/cases",
        data={"page_size": 100},
        add=_adder(version, department, due_date=dt.date(2026, 3, 9)),
        rows=items,
    )


def test_the_case_list_api_filtered_by_status_and_item(version, department):
    officer = orgs_factories.staff(centre=version.item.centre).user
    data = {"status": "in_review", "item": version.item.implementation_code, "page_size": 100}

    assert_flat(
        client_for(officer),
        "/api/v1/cases",
        data=data,
        add=_adder(version, department, due_date=dt.date(2026, 3, 9)),
        rows=items,
    )


def test_the_overdue_case_list_api(version, department):
    leader = factories.leader(centre=version.item.centre)

    assert_flat(
        client_for(leader),
        "/api/v1/cases",
        data={"overdue": "true", "page_size": 100},
        add=_adder(version, department, due_date=dt.date(2026, 3, 3)),
        rows=items,
    )


def test_the_task_inbox_api(version, department):
    reviewer = factories.reviewer(department=department)

    assert_flat(
        client_for(reviewer),
        "/api/v1/tasks",
        data={"page_size": 100},
        add=_adder(version, department, due_date=dt.date(2026, 3, 9)),
        rows=items,
    )


def test_the_case_events_api(version, department):
    officer = orgs_factories.staff(centre=version.item.centre).user
    case = _in_review(version, department, due_date=dt.date(2026, 3, 9))

    def add(n: int) -> None:
        with transaction.atomic():
            for _ in range(n):
                case_event_record(case=case, actor=officer, kind="note", reason="说明")

    assert_flat(client_for(officer), f"/api/v1/cases/{case.number}/events", add=add, rows=json_rows)


@pytest.mark.parametrize(
    ("url", "role"),
    [("/api/v1/cases", "officer"), ("/api/v1/tasks", "reviewer")],
)
def test_a_later_page_reads_as_many_queries_as_the_first(version, department, url, role):
    user = (
        factories.reviewer(department=department)
        if role == "reviewer"
        else orgs_factories.staff(centre=version.item.centre).user
    )
    _adder(version, department, due_date=dt.date(2026, 3, 9))(9)
    client = client_for(user)
    client.get(url)  # warm the in-process caches

    first, answer = read(client, url, {"page_size": 4})
    later, second = read(client, url, {"page_size": 4, "cursor": answer.json()["next"]})

    assert (len(answer.json()["items"]), len(second.json()["items"])) == (4, 4)
    assert len(later) == len(first)


# -- the staff pages ---------------------------------------------------------------------


def test_the_inbox_page(version, department):
    reviewer = factories.reviewer(department=department)

    assert_flat(
        client_for(reviewer),
        "/inbox/",
        add=_adder(version, department, due_date=dt.date(2026, 3, 9)),
        rows=marked("data-task="),
    )


def test_the_inbox_pages_cost_the_same_and_list_every_task_once(version, department):
    reviewer = factories.reviewer(department=department)
    _adder(version, department, due_date=dt.date(2026, 3, 9))(60)
    client = client_for(reviewer)
    client.get("/inbox/")

    counts, listed, data = [], [], {}
    for _ in range(4):
        queries, page = read(client, "/inbox/", data)
        counts.append(len(queries))
        listed += [row["task"].pk for row in page.context["rows"]]
        if page.context["pager"].next is None:
            break
        data = {"cursor": page.context["pager"].next.split("cursor=", 1)[1]}

    assert sorted(listed) == sorted(Task.objects.values_list("pk", flat=True))
    assert len(counts) == 3
    # The last page also looks for tasks without a due date (listed last): one query more.
    assert counts == [counts[0], counts[0], counts[0] + 1]


def test_the_inbox_decisions(version, department):
    reviewer = factories.reviewer(department=department)

    assert_flat(
        client_for(reviewer),
        "/inbox/",
        add=_adder(
            version, department, due_date=dt.date(2026, 3, 9), status=Status.PENDING_DECISION
        ),
        rows=marked("data-decision="),
        shown=DECISIONS_SHOWN,
    )


def test_the_desk_page(version, department):
    officer = orgs_factories.staff(roles=(Role.WINDOW_OFFICER,), centre=version.item.centre).user

    def add(n: int) -> None:
        for _ in range(n):
            factories.case(item_version=version, status=Status.SUBMITTED, submitted_at=clock.now())

    # Each submitted case of today is in two lists: waiting, and today's.
    assert_flat(
        client_for(officer),
        "/desk/",
        add=add,
        rows=lambda response: marked("data-case=")(response) // 2,
    )


def test_the_overview_overdue_and_decisions(version, department):
    leader = factories.leader(centre=version.item.centre)

    def add(n: int) -> None:
        _adder(version, department, due_date=dt.date(2026, 3, 3))(n)
        _adder(version, department, due_date=dt.date(2026, 3, 9), status=Status.PENDING_DECISION)(n)

    assert_flat(
        client_for(leader),
        "/overview/",
        add=add,
        rows=lambda response: min(
            marked("data-case=")(response), 2 * marked("data-decision=")(response)
        ),
        shown=2 * DECISIONS_SHOWN,
    )


def test_the_overview_near_due_cases(department):
    # 2 promised working days (+1 extension, +1 suspended day) from Monday: yellow on Wednesday.
    short = catalog_factories.published_item(department=department, promised_limit=2)
    leader = factories.leader(centre=short.item.centre)

    assert_flat(
        client_for(leader),
        "/overview/",
        add=_adder(short, department, due_date=dt.date(2026, 3, 5)),
        rows=marked('data-light="yellow"'),
    )


def test_the_overview_extension_requests(version, department):
    leader = factories.leader(centre=version.item.centre)

    def add(n: int) -> None:
        for _ in range(n):
            case = _in_review(version, department, due_date=dt.date(2026, 3, 9))
            Extension.objects.create(
                case=case,
                task=case.tasks.get(),
                workdays=2,
                reason="需要现场核查",
                requested_at=clock.now(),
            )

    assert_flat(client_for(leader), "/overview/", add=add, rows=marked("data-extension="))
