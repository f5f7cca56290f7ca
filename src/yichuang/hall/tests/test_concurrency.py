"""Numbering and "call next" under real concurrency on PostgreSQL: several processes of many
threads taking numbers, several windows calling at once. Every ticket is called exactly
once, in priority order, and the numbers of each queue have no gaps."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import threading
from collections import Counter, defaultdict

import pytest
from django.db import connection

from yichuang.hall.models import Ticket, TicketEvent, TicketStatus
from yichuang.hall.services import calling
from yichuang.hall.tests import factories as f
from yichuang.orgs.models import WindowKind
from yichuang.orgs.tests import factories as orgs_factories

pytestmark = [pytest.mark.postgres_only, pytest.mark.django_db(transaction=True)]

PROCESSES = 4
THREADS = 25
PER_THREAD = 20  # 4 × 25 × 20 = 2,000 tickets
CONNECTIONS_PER_PROCESS = 6
WINDOWS = 5


@pytest.fixture(autouse=True)
def _postgresql_only():
    if connection.vendor != "postgresql":
        pytest.skip("row locks and SKIP LOCKED need PostgreSQL")


def _database_url() -> str:
    db = connection.settings_dict
    user = db["USER"] or "postgres"
    auth = f"{user}:{db['PASSWORD']}" if db["PASSWORD"] else user
    return f"postgres://{auth}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}"


def _hall():
    centre = orgs_factories.centre()
    windows = [f.window(centre=centre, kind=WindowKind.SPECIALIST) for _ in range(WINDOWS)]
    # Windows 1–3 serve A; windows 4–5 serve A and B.
    f.queue(centre=centre, code="A", windows=windows)
    f.queue(centre=centre, code="B", windows=windows[3:])
    officers = [orgs_factories.staff(centre=centre).user for _ in windows]
    for officer, window in zip(officers, windows, strict=True):
        calling.window_sign_in(user=officer, window=window)
    return centre, list(zip(officers, windows, strict=True))


def _take_in_processes(centre, *, processes=PROCESSES, threads=THREADS, per_thread=PER_THREAD):
    env = {**os.environ, "DATABASE_URL": _database_url(), "YICHUANG_TEST": "1"}
    args = [str(threads), str(per_thread), str(CONNECTIONS_PER_PROCESS)]
    running = [
        subprocess.Popen(
            [sys.executable, "-m", "yichuang.hall.tests.take_worker", centre.code, *args],
            env=env,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for _ in range(processes)
    ]
    taken, failures = [], []
    for process in running:
        out, err = process.communicate(timeout=600)
        assert process.returncode == 0, err[-3000:]
        result = json.loads(out.strip().splitlines()[-1])
        taken += result["taken"]
        failures += result["failures"]
    return taken, failures


def _call_until_empty(desks, *, keep_going=lambda: False) -> dict[int, list[int]]:
    """Each window calls in its own thread until nobody waits (and `keep_going` is false)."""
    called: dict[int, list[int]] = defaultdict(list)
    errors: list[str] = []
    start = threading.Barrier(len(desks))

    def desk(officer, window) -> None:
        try:
            start.wait()
            while True:
                ticket = calling.ticket_call_next(user=officer, window=window)
                if ticket is not None:
                    called[window.pk].append(ticket.pk)
                elif not keep_going():
                    break
        except Exception as error:
            errors.append(repr(error))
        finally:
            connection.close()

    threads = [threading.Thread(target=desk, args=pair) for pair in desks]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    return called


def _assert_numbers_have_no_gaps():
    for code in ("A", "B"):
        numbers = sorted(
            int(n[1:])
            for n in Ticket.objects.filter(origin_queue__code=code).values_list("number", flat=True)
        )
        assert numbers == list(range(1, len(numbers) + 1)), code


def _assert_each_ticket_called_once(total: int, called: dict[int, list[int]]):
    all_called = [pk for pks in called.values() for pk in pks]
    assert len(all_called) == len(set(all_called)) == total
    per_ticket = Counter(
        TicketEvent.objects.filter(kind="called").values_list("ticket_id", flat=True)
    )
    assert len(per_ticket) == total and set(per_ticket.values()) == {1}
    assert not Ticket.objects.filter(status=TicketStatus.WAITING).exists()


def test_2000_numbers_taken_at_once_then_5_windows_call_them_all_once_in_order():
    centre, desks = _hall()

    taken, failures = _take_in_processes(centre)
    called = _call_until_empty(desks)

    total = PROCESSES * THREADS * PER_THREAD
    assert failures == []
    assert len(taken) == len({number for number, _rank in taken}) == total
    _assert_numbers_have_no_gaps()
    _assert_each_ticket_called_once(total, called)
    order = {t.pk: (t.rank, t.queued_at, t.pk) for t in Ticket.objects.only("rank", "queued_at")}
    for window_calls in called.values():
        keys = [order[pk] for pk in window_calls]
        # Each window took the first waiting ticket of its queues every time.
        assert keys == sorted(keys)
    # Windows 1–3 see only A: every priority ticket of A went before any other of A.
    first_window = desks[0][1].pk
    ranks = [order[pk][0] for pk in called[first_window]]
    assert ranks == sorted(ranks)


def test_windows_calling_while_numbers_are_being_taken_call_each_exactly_once():
    centre, desks = _hall()
    done_taking = threading.Event()
    result: dict = {}

    def take() -> None:
        try:
            result["taken"], result["failures"] = _take_in_processes(
                centre, processes=2, threads=10, per_thread=15
            )
        finally:
            done_taking.set()

    taker = threading.Thread(target=take)
    taker.start()
    called = _call_until_empty(desks, keep_going=lambda: not done_taking.is_set())
    taker.join()
    # Tickets taken after a window's last empty answer are called by a final round.
    called_late = _call_until_empty(desks)
    for pk, pks in called_late.items():
        called[pk] += pks

    assert result["failures"] == []
    _assert_numbers_have_no_gaps()
    _assert_each_ticket_called_once(2 * 10 * 15, called)
