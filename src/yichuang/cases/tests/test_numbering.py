"""Case numbers: readable, one daily sequence per centre, never two alike under concurrency."""

from __future__ import annotations

import datetime as dt
import threading

import pytest
from django.db import connection, transaction

from yichuang.cases.numbering import case_number_format, case_number_next
from yichuang.orgs.tests import factories as orgs_factories

DAY = dt.date(2026, 3, 2)


def _next(centre, day=DAY) -> str:
    with transaction.atomic():
        return case_number_next(centre=centre, day=day)


def test_the_number_is_centre_code_date_and_six_digit_sequence():
    assert case_number_format(centre_code="blzq", day=DAY, sequence=17) == "blzq-20260302-000017"


@pytest.mark.django_db
def test_numbers_count_up_per_centre_and_restart_each_day():
    first = orgs_factories.centre(code="blzq")
    second = orgs_factories.centre(code="lindong")

    numbers = [_next(first), _next(first), _next(second), _next(first, DAY + dt.timedelta(1))]

    assert numbers == [
        "blzq-20260302-000001",
        "blzq-20260302-000002",
        "lindong-20260302-000001",
        "blzq-20260303-000001",
    ]


@pytest.mark.django_db(transaction=True)
def test_a_number_is_only_taken_inside_a_transaction():
    centre = orgs_factories.centre()

    with pytest.raises(RuntimeError):
        case_number_next(centre=centre, day=DAY)


@pytest.mark.postgres_only
@pytest.mark.django_db(transaction=True)
def test_processes_numbering_at_once_get_distinct_consecutive_numbers():
    if connection.vendor != "postgresql":
        pytest.skip("row locks need PostgreSQL")
    centre = orgs_factories.centre(code="blzq")
    count = 8
    barrier = threading.Barrier(count)
    numbers: list[str] = []

    def take() -> None:
        try:
            barrier.wait()
            numbers.append(_next(centre))  # the counter row does not exist yet: a race to create
        finally:
            connection.close()

    threads = [threading.Thread(target=take) for _ in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert sorted(numbers) == [f"blzq-20260302-{n:06d}" for n in range(1, count + 1)]
