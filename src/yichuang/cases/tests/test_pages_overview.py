"""The leader overview: counts, overdue and near-due cases, extension requests."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse

from yichuang.cases.models import Extension, ExtensionStatus
from yichuang.cases.tests import factories
from yichuang.cases.views import leader_overview
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


def test_deciding_an_extension_calls_the_service(client, county, leader, monkeypatch):
    calls = []
    monkeypatch.setattr(
        leader_overview, "service_or_none", lambda name: lambda **kw: calls.append((name, kw))
    )
    extension = request_extension(
        in_review(
            county, accepted_on=dt.date(2026, 3, 2), due_date=dt.date(2026, 3, 9), number="c-1"
        )
    )
    client.force_login(leader)

    response = client.post(
        reverse("cases:extension_decide", args=[extension.pk]), {"approve": "1", "note": "同意"}
    )

    assert response.status_code == 302
    assert calls == [
        (
            "extension_decide",
            {"user": leader, "extension": extension, "approve": True, "note": "同意"},
        )
    ]


def test_deciding_while_the_service_is_missing_says_so(client, county, leader, monkeypatch):
    monkeypatch.setattr(leader_overview, "service_or_none", lambda name: None)
    extension = request_extension(
        in_review(
            county, accepted_on=dt.date(2026, 3, 2), due_date=dt.date(2026, 3, 9), number="c-1"
        )
    )
    client.force_login(leader)

    response = client.post(reverse("cases:extension_decide", args=[extension.pk]), {"approve": "0"})

    assert "该功能暂未开放" in response.content.decode()
    assert Extension.objects.get(pk=extension.pk).status == ExtensionStatus.REQUESTED


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

    add(0)
    _queries(client, "/overview/")  # warm the calendar cache
    few = _queries(client, "/overview/")
    for n in range(1, 5):
        add(n)

    many = _queries(client, "/overview/")

    assert many == few
