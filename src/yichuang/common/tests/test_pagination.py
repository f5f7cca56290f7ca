"""Keyset pagination: every row once, in order, across ties and undated rows; cursors are
validated."""

from __future__ import annotations

import datetime as dt

import pytest

from yichuang.cases.models import Case
from yichuang.cases.selectors import CASES_BY_DUE_DATE, CASES_NEWEST_FIRST
from yichuang.cases.tests import factories
from yichuang.catalog.tests import factories as catalog_factories
from yichuang.common.pagination import cursor_encode, keyset_page

pytestmark = pytest.mark.django_db


def _walk(keyset, *, size: int) -> list[int]:
    seen, cursor = [], None
    for _ in range(50):
        page = keyset_page(Case.objects.all(), keyset=keyset, cursor=cursor, size=size)
        seen += [case.pk for case in page.rows]
        assert page.has_more == (page.next is not None)
        cursor = page.next
        if cursor is None:
            return seen
    raise AssertionError("the pages never ended")


@pytest.fixture
def dated_and_undated():
    """Seven accepted cases: due dates with ties, and two with no due date."""
    version = catalog_factories.published_item()
    dues = [dt.date(2026, 3, 9), None, dt.date(2026, 3, 5), dt.date(2026, 3, 9), None]
    dues += [dt.date(2026, 3, 5), dt.date(2026, 3, 12)]
    return [
        factories.case(item_version=version, accepted_on=dt.date(2026, 3, 2), due_date=due)
        for due in dues
    ]


@pytest.mark.parametrize("size", [1, 2, 3, 7, 20])
def test_pages_by_due_date_list_every_case_once_the_undated_last(dated_and_undated, size):
    expected = sorted(
        dated_and_undated, key=lambda c: (c.due_date is None, c.due_date or dt.date.min, c.pk)
    )

    assert _walk(CASES_BY_DUE_DATE, size=size) == [c.pk for c in expected]


@pytest.mark.parametrize("size", [1, 2, 4])
def test_pages_newest_first_break_ties_by_id(size):
    version = catalog_factories.published_item()
    cases = [factories.case(item_version=version) for _ in range(5)]
    Case.objects.update(created_at=dt.datetime(2026, 3, 2, 2, tzinfo=dt.UTC))

    assert _walk(CASES_NEWEST_FIRST, size=size) == [c.pk for c in reversed(cases)]


def test_the_last_page_has_no_next_cursor():
    factories.case()

    page = keyset_page(Case.objects.all(), keyset=CASES_NEWEST_FIRST, cursor=None, size=1)

    assert (len(page.rows), page.next, page.has_more) == (1, None, False)


@pytest.mark.parametrize(
    "cursor",
    [
        "%%%",
        "bm90IGpzb24",  # "not json"
        "e30",  # {}
        "WyJjYXNlcyJd",  # ["cases"]
        "WyJ0YXNrcyIsIjIwMjYtMDMtMDIiLDFd",  # a cursor of the inbox
        "WyJjYXNlcyIsMSwxXQ",  # ["cases", 1, 1]
        "WyJjYXNlcyIsIjIwMjYtMDMtMDJUMDA6MDA6MDAiLDFd",  # a naive datetime
        "WyJjYXNlcyIsIjIwMjYtMDMtMDJUMDA6MDA6MDArMDA6MDAiLC0xXQ",  # a negative id
        "WyJjYXNlcyIsIjIwMjYtMDMtMDJUMDA6MDA6MDArMDA6MDAiLHRydWVd",  # true as the id
        "5L2g5aW9",  # not ASCII once decoded
        "中文",
    ],
)
def test_a_cursor_that_is_not_one_of_this_list_is_invalid(cursor):
    with pytest.raises(Exception) as raised:
        keyset_page(Case.objects.all(), keyset=CASES_NEWEST_FIRST, cursor=cursor, size=5)

    assert getattr(raised.value, "code", None) == "invalid_cursor"


def test_a_cursor_round_trips():
    case = factories.case()

    page = keyset_page(
        Case.objects.all(),
        keyset=CASES_NEWEST_FIRST,
        cursor=cursor_encode(CASES_NEWEST_FIRST, case),
        size=5,
    )

    assert page.rows == []
