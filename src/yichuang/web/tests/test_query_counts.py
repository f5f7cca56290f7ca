"""Query counts of the portal's list pages: 3 rows and 25 rows read the same number of
queries (`common.tests.query_counts`), so an N+1 fails here."""

from __future__ import annotations

import datetime as dt
import itertools

import pytest
from django.test import Client

from yichuang.cases.tests import factories as case_factories
from yichuang.cases.workflow import Status
from yichuang.catalog.models import Bundle, BundleItem
from yichuang.catalog.tests import factories as catalog_factories
from yichuang.common.tests.query_counts import assert_flat, marked, read
from yichuang.notifications.models import Message
from yichuang.orgs.tests import factories as orgs_factories

pytestmark = pytest.mark.django_db

AT = dt.datetime(2026, 3, 2, 2, tzinfo=dt.UTC)
_minutes = itertools.count()


@pytest.fixture
def person():
    return case_factories.applicant(with_user=True, name="张三")


@pytest.fixture
def version():
    return catalog_factories.published_item(handled_online=True, name="个体工商户设立登记")


def client_for(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def _my_cases(version, person, *, status: str):
    def add(n: int) -> None:
        for _ in range(n):
            case_factories.case(
                item_version=version,
                applicant=person,
                status=status,
                accepted_on=dt.date(2026, 3, 2),
                due_date=dt.date(2026, 3, 9),
            )

    return add


def test_my_cases_page(version, person):
    assert_flat(
        client_for(person.user),
        "/my/cases/",
        add=_my_cases(version, person, status=Status.IN_REVIEW),
        rows=marked('class="case-row"'),
        shown=20,
    )


def test_my_cases_second_page_reads_as_many_queries_as_the_first(version, person):
    _my_cases(version, person, status=Status.IN_REVIEW)(45)
    client = client_for(person.user)
    client.get("/my/cases/")

    first, page = read(client, "/my/cases/")
    cursor = page.context["pager"].next.split("cursor=", 1)[1]
    later, second = read(client, "/my/cases/", {"cursor": cursor})

    assert page.content.decode().count('class="case-row"') == 20
    assert second.content.decode().count('class="case-row"') == 20
    # The first page also reads the drafts (shown above the rest): one query more.
    assert len(later) == len(first) - 1


def test_my_drafts_on_my_cases_page(version, person):
    assert_flat(
        client_for(person.user),
        "/my/cases/",
        add=_my_cases(version, person, status=Status.DRAFT),
        rows=marked('class="case-row"'),
        shown=20,
    )


def test_my_messages_page(version, person):
    def add(n: int) -> None:
        for _ in range(n):
            case = case_factories.case(item_version=version, applicant=person)
            Message.objects.create(
                recipient=person.user,
                case=case,
                kind="accepted",
                title="办件已受理",
                body="您的办件已受理。",
                created_at=AT + dt.timedelta(minutes=next(_minutes)),
            )

    assert_flat(
        client_for(person.user),
        "/my/messages/",
        add=add,
        rows=marked("data-message="),
        shown=20,
    )


def test_the_item_list_page():
    centre = orgs_factories.centre()

    def add(n: int) -> None:
        for _ in range(n):
            catalog_factories.published_item(
                department=orgs_factories.department(centre=centre), name="事项"
            )

    assert_flat(Client(), "/items/", add=add, rows=marked('class="result"'), shown=20)


def test_the_home_page_bundles_and_departments():
    centre = orgs_factories.centre()
    bundle = Bundle.objects.create(centre=centre, code="kaiban", name="一件事", is_published=True)
    position = itertools.count(1)

    def add(n: int) -> None:
        for _ in range(n):
            department = orgs_factories.department(centre=centre)
            item = catalog_factories.published_item(department=department).item
            BundleItem.objects.create(bundle=bundle, item=item, position=next(position))

    assert_flat(
        Client(),
        "/",
        add=add,
        rows=lambda response: len(response.context["departments"]),
    )


def test_a_bundle_page():
    centre = orgs_factories.centre()
    bundle = Bundle.objects.create(centre=centre, code="kaiban", name="一件事", is_published=True)
    position = itertools.count(1)

    def add(n: int) -> None:
        for _ in range(n):
            item = catalog_factories.published_item(
                department=orgs_factories.department(centre=centre)
            ).item
            BundleItem.objects.create(bundle=bundle, item=item, position=next(position))

    assert_flat(
        Client(),
        "/bundles/kaiban/",
        add=add,
        rows=lambda response: len(response.context["versions"]),
    )
