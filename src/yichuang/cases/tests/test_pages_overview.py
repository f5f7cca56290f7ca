"""The leader overview: counts, overdue and near-due cases, extension requests."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse

from yichuang.cases import services
from yichuang.cases.models import Case, Extension, ExtensionStatus, NoticeKind
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
def county():
    return orgs_factories.centre(name="巴林左旗政务服务中心")


@pytest.fixture
def leader(county):
    return orgs_factories.staff(roles=(Role.LEADER,), centre=county).user


def case_at(centre, **fields):
    version = catalog_factories.published_item(
        department=orgs_factories.department(centre=centre), promised_limit=5
    )
    return factories.case(item_version=version, **fields)


def in_review(centre, *, accepted_on, due_date, number):
    return case_at(
        centre, status=Status.IN_REVIEW, accepted_on=accepted_on, due_date=due_date, number=number
    )


def test_an_anonymous_visitor_is_sent_to_the_login_page(client):
    response = client.get("/overview/")

    assert response["Location"] == "/accounts/login/?next=/overview/"


def test_a_window_officer_has_no_overview(client):
    client.force_login(orgs_factories.staff().user)

    response = client.get("/overview/")

    assert response.status_code == 403


def test_counts_cover_the_centre_and_the_centres_below_only(client, county, leader):
    township = orgs_factories.centre(parent=county)
    case_at(county, status=Status.SUBMITTED)
    case_at(township, status=Status.SUBMITTED)
    case_at(township, status=Status.NOT_ACCEPTED)
    case_at(orgs_factories.centre(), status=Status.SUBMITTED)
    client.force_login(leader)

    response = client.get("/overview/")

    counts = {row["status"]: row["count"] for row in response.context["counts"]}
    assert counts == {Status.SUBMITTED: 2, Status.NOT_ACCEPTED: 1}


def test_overdue_and_near_due_cases_are_listed_apart(client, county, leader):
    in_review(
        county, accepted_on=dt.date(2026, 2, 24), due_date=dt.date(2026, 3, 3), number="c-late"
    )
    in_review(
        county, accepted_on=dt.date(2026, 2, 26), due_date=dt.date(2026, 3, 5), number="c-soon"
    )
    in_review(
        county, accepted_on=dt.date(2026, 3, 4), due_date=dt.date(2026, 3, 11), number="c-easy"
    )
    client.force_login(leader)

    response = client.get("/overview/")

    assert [c.number for c in response.context["overdue"]] == ["c-late"]
    assert [row["case"].number for row in response.context["near_due"]] == ["c-soon"]


def request_extension(case, *, workdays=5):
    return Extension.objects.create(
        case=case, workdays=workdays, reason="情况复杂", requested_at=clock.now()
    )


def test_waiting_extension_requests_of_visible_cases_are_listed(client, county, leader):
    mine = request_extension(
        in_review(
            county, accepted_on=dt.date(2026, 3, 2), due_date=dt.date(2026, 3, 9), number="c-1"
        )
    )
    request_extension(
        in_review(
            orgs_factories.centre(),
            accepted_on=dt.date(2026, 3, 2),
            due_date=dt.date(2026, 3, 9),
            number="c-2",
        )
    )
    client.force_login(leader)

    response = client.get("/overview/")

    assert [row["extension"] for row in response.context["extensions"]] == [mine]


@pytest.fixture
def requested(county):
    """A case in review at the county whose department asked for 5 more working days."""
    version = factories.review_item(centre=county, stages=(1,))
    case = factories.case_in_review(item_version=version, accepted_on=dt.date(2026, 3, 2))
    task = case.tasks.get()
    return services.extension_request(
        user=factories.reviewer(department=task.department),
        task=task,
        workdays=5,
        reason="情况复杂",
    )


def test_approving_an_extension_lengthens_the_case_and_tells_the_applicant(
    client, leader, requested
):
    due_before = requested.case.due_date
    client.force_login(leader)

    response = client.post(
        reverse("cases:extension_decide", args=[requested.pk]), {"approve": "1", "note": "同意"}
    )

    requested.refresh_from_db()
    assert response.status_code == 302
    assert (requested.status, requested.decision_note) == (ExtensionStatus.APPROVED, "同意")
    assert Case.objects.get(pk=requested.case_id).due_date > due_before
    assert requested.case.notices.filter(kind=NoticeKind.EXTENSION).exists()


def test_refusing_an_extension_keeps_the_due_date(client, leader, requested):
    due_before = requested.case.due_date
    client.force_login(leader)

    client.post(reverse("cases:extension_decide", args=[requested.pk]), {"approve": "0"})

    requested.refresh_from_db()
    assert requested.status == ExtensionStatus.REFUSED
    assert Case.objects.get(pk=requested.case_id).due_date == due_before


def test_a_centre_admin_may_not_decide_an_extension(client, county, requested):
    admin = orgs_factories.staff(roles=(Role.CENTRE_ADMIN,), centre=county).user
    client.force_login(admin)

    response = client.post(reverse("cases:extension_decide", args=[requested.pk]), {"approve": "1"})

    assert response.status_code == 403
    assert Extension.objects.get(pk=requested.pk).status == ExtensionStatus.REQUESTED


# -- cases waiting for the decision ---------------------------------------------------------


@pytest.fixture
def waiting(county):
    """A case of the county whose only department approved: it waits for the decision."""
    version = factories.review_item(centre=county, stages=(1,))
    case = factories.case_in_review(item_version=version, accepted_on=dt.date(2026, 3, 2))
    task = case.tasks.get()
    services.task_approve(user=factories.reviewer(department=task.department), task=task)
    return Case.objects.get(pk=case.pk)


def test_the_leader_sees_the_cases_waiting_for_the_decision_with_a_form(client, leader, waiting):
    client.force_login(leader)

    response = client.get("/overview/")

    page = response.content.decode()
    row = page[page.index(f'data-decision="{waiting.number}"') :]
    assert reverse("cases:overview_decide", args=[waiting.number]) in row


def test_the_leader_approves_a_case(client, leader, waiting):
    client.force_login(leader)

    response = client.post(
        reverse("cases:overview_decide", args=[waiting.number]), {"outcome": "approved"}
    )

    case = Case.objects.get(pk=waiting.pk)
    assert response.status_code == 302
    assert (case.status, case.decision.decided_by) == (Status.APPROVED, leader)


def test_a_decision_without_an_outcome_is_refused_in_chinese(client, leader, waiting):
    client.force_login(leader)

    response = client.post(reverse("cases:overview_decide", args=[waiting.number]), {})

    assert "请选择决定" in response.content.decode()
    assert Case.objects.get(pk=waiting.pk).status == Status.PENDING_DECISION


def test_a_centre_admin_sees_the_waiting_cases_without_a_form(client, county, waiting):
    client.force_login(orgs_factories.staff(roles=(Role.CENTRE_ADMIN,), centre=county).user)

    response = client.get("/overview/")

    page = response.content.decode()
    assert f'data-decision="{waiting.number}"' in page
    assert reverse("cases:overview_decide", args=[waiting.number]) not in page


def test_a_leader_of_another_centre_does_not_find_the_case(client, waiting):
    other = factories.leader(centre=orgs_factories.centre())
    client.force_login(other)

    response = client.post(
        reverse("cases:overview_decide", args=[waiting.number]), {"outcome": "approved"}
    )

    assert response.status_code == 404
    assert Case.objects.get(pk=waiting.pk).status == Status.PENDING_DECISION


def test_an_extension_of_another_centre_is_not_found(client, leader):
    extension = request_extension(
        in_review(
            orgs_factories.centre(),
            accepted_on=dt.date(2026, 3, 2),
            due_date=dt.date(2026, 3, 9),
            number="c-2",
        )
    )
    client.force_login(leader)

    response = client.post(reverse("cases:extension_decide", args=[extension.pk]), {"approve": "1"})

    assert response.status_code == 404


def _queries(client, url) -> int:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as captured:
        client.get(url)
    return len(captured)


def test_the_overview_query_count_does_not_grow_with_the_cases(client, county, leader):
    client.force_login(leader)

    def add(n):
        case = in_review(
            county,
            accepted_on=dt.date(2026, 2, 26),
            due_date=dt.date(2026, 3, 5),
            number=f"c-{n}",
        )
        request_extension(case)
        case_at(
            county,
            status=Status.PENDING_DECISION,
            accepted_on=dt.date(2026, 3, 2),
            due_date=dt.date(2026, 3, 9),
        )

    add(0)
    _queries(client, "/overview/")  # warm the calendar cache
    few = _queries(client, "/overview/")
    for n in range(1, 5):
        add(n)

    many = _queries(client, "/overview/")

    assert many == few
