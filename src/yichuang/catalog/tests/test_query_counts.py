"""Query counts of the catalogue API's lists: 3 rows and 25 rows read the same number of
queries (`common.tests.query_counts`), so an N+1 fails here."""

from __future__ import annotations

import itertools

import pytest
from django.test import Client

from yichuang.catalog.models import Bundle, BundleItem
from yichuang.catalog.tests import factories
from yichuang.common.tests.query_counts import assert_flat, items, json_rows
from yichuang.orgs.tests import factories as orgs_factories

pytestmark = pytest.mark.django_db

API = "/api/v1/catalog"


@pytest.fixture
def centre():
    return orgs_factories.centre()


def _items(centre):
    def add(n: int) -> None:
        for _ in range(n):
            factories.published_item(department=orgs_factories.department(centre=centre))

    return add


def test_the_item_list(centre):
    assert_flat(Client(), f"{API}/items", data={"page_size": 100}, add=_items(centre), rows=items)


def test_the_department_list(centre):
    assert_flat(Client(), f"{API}/departments", add=_items(centre), rows=json_rows)


def test_the_bundle_list_and_its_items(centre):
    bundle = Bundle.objects.create(centre=centre, code="kaiban", name="一件事", is_published=True)
    position = itertools.count(1)

    def add(n: int) -> None:
        for _ in range(n):
            item = factories.published_item(
                department=orgs_factories.department(centre=centre)
            ).item
            BundleItem.objects.create(bundle=bundle, item=item, position=next(position))

    assert_flat(
        Client(),
        f"{API}/bundles",
        add=add,
        rows=lambda response: len(response.json()[0]["items"]),
    )
