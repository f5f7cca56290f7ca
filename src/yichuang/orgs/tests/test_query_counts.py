"""Query counts of the orgs API's lists: 3 rows and 25 rows read the same number of
queries (`common.tests.query_counts`), so an N+1 fails here."""

from __future__ import annotations

import pytest
from django.test import Client

from yichuang.common.tests.query_counts import assert_flat, json_rows
from yichuang.orgs.tests import factories

pytestmark = pytest.mark.django_db

API = "/api/v1/orgs"


def test_the_centre_list():
    county = factories.centre(code="zuoqi")

    def add(n: int) -> None:
        for _ in range(n):
            factories.centre(parent=county)

    assert_flat(
        Client(),
        f"{API}/centres",
        add=add,
        rows=lambda response: json_rows(response) - 1,  # the county itself
    )


def test_a_centres_departments_and_windows():
    county = factories.centre(code="zuoqi")

    def add(n: int) -> None:
        for _ in range(n):
            department = factories.department(centre=county)
            window = factories.window(centre=county)
            window.departments.add(department)

    assert_flat(
        Client(),
        f"{API}/centres/zuoqi",
        add=add,
        rows=lambda response: min(
            len(response.json()["departments"]), len(response.json()["windows"])
        ),
    )
