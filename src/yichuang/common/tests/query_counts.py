"""The query-count check of list endpoints and list pages: a list of 3 rows and a list of
25 rows read the same number of queries, so an N+1 fails the test that uses it.

`assert_flat` adds 3 rows, reads the list once to warm the in-process caches (the
working-day calendar), counts the queries of a second read, adds 22 rows and counts
again. It also checks the rows were really read: the second answer shows `shown` rows
(all 25, or a full page of a paged list).
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Callable
from typing import Any

from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

FEW = 3
MANY = 25


def read(client: Client, url: str, data: dict | None = None) -> tuple[list[str], Any]:
    """The statements run by one GET, and its answer (which must be a 200)."""
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url, data or {})
    assert response.status_code == 200, response.content[:300]
    return [query["sql"] for query in captured.captured_queries], response


def repeated(queries: list[str]) -> str:
    """The statements run more than once (their shape: numbers blanked), to name the N+1."""
    shapes = Counter(re.sub(r"\b\d+\b", "?", sql)[:300] for sql in queries)
    return "\n".join(f"{n} × {shape}" for shape, n in shapes.most_common() if n > 1)


def assert_flat(
    client: Client,
    url: str,
    *,
    add: Callable[[int], object],
    rows: Callable[[Any], int],
    data: dict | None = None,
    shown: int = MANY,
) -> None:
    """The same number of queries for 3 rows and for 25; the second answer shows `shown`."""
    add(FEW)
    client.get(url, data or {})  # warm the in-process caches
    few, first = read(client, url, data)
    assert rows(first) == min(FEW, shown)
    add(MANY - FEW)
    many, response = read(client, url, data)

    assert rows(response) == shown
    assert len(many) == len(few), (
        f"{len(few)} queries for {FEW} rows, {len(many)} for {MANY}:\n{repeated(many)}"
    )


def items(response: Any) -> int:
    """Rows of a paged API answer."""
    return len(response.json()["items"])


def json_rows(response: Any) -> int:
    """Rows of an API answer that is a list."""
    return len(response.json())


def marked(marker: str) -> Callable[[Any], int]:
    """Rows of a page: how often `marker` (a row's data attribute) occurs."""
    return lambda response: response.content.decode().count(marker)
