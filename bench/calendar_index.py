"""The indexed working-day calendar against the day-by-day loop, on the same inputs.

Both are built from the national calendar of the `chinesecalendar` package (2004–2026)
and answer the same random questions: starts from 2000 to 2030 (years before, inside and
after the data, and the 2026 → 2027 boundary), spans of 1–250 working days (a case's
limits) and long spans of 1,000–3,650. Every answer is compared, then each side is timed
alone. Pure: no database.
"""

from __future__ import annotations

import datetime as dt
import gc
import random
import time
from collections.abc import Callable, Sequence

from yichuang.workdays.calendar import WorkCalendar
from yichuang.workdays.national import national_calendar
from yichuang.workdays.tests.reference import NaiveCalendar

SEED = 20260101
FIRST = dt.date(2000, 1, 1).toordinal()
LAST = dt.date(2030, 12, 31).toordinal()


def _inputs(rng: random.Random, n: int, low: int, high: int) -> list[tuple[dt.date, int]]:
    return [
        (dt.date.fromordinal(rng.randint(FIRST, LAST)), rng.randint(low, high)) for _ in range(n)
    ]


def _time(call: Callable[[], object], repeat: int) -> float:
    """Best of `repeat` runs, seconds, with the garbage collector paused (as timeit does)."""
    best = float("inf")
    gc.disable()
    try:
        for _ in range(repeat):
            started = time.perf_counter()
            call()
            best = min(best, time.perf_counter() - started)
    finally:
        gc.enable()
    return best


def _compare(
    label: str,
    index_call: Callable[[], list],
    naive_call: Callable[[], list],
    calls: int,
    repeat: int,
) -> None:
    """Check that both give the same answers, then time each (best of several runs)."""
    index_answers, naive_answers = index_call(), naive_call()
    if index_answers != naive_answers:
        wrong = sum(a != b for a, b in zip(index_answers, naive_answers, strict=True))
        raise AssertionError(f"{label}: index and loop disagree on {wrong} of {calls} inputs")
    index_s = _time(index_call, repeat + 4)  # cheap: more runs for a steadier minimum
    naive_s = _time(naive_call, repeat)
    print(
        f"{label:<34} {calls:>7,} calls   index {index_s / calls * 1e6:8.2f} µs/call   "
        f"loop {naive_s / calls * 1e6:9.2f} µs/call   ratio {naive_s / index_s:7.1f}×"
    )


def _suite(
    label: str,
    index: WorkCalendar,
    naive: NaiveCalendar,
    inputs: Sequence[tuple[dt.date, int]],
    repeat: int,
) -> None:
    ends = [start + dt.timedelta(days=workdays * 7 // 5) for start, workdays in inputs]
    pairs = list(zip([s for s, _ in inputs], ends, strict=True))
    _compare(
        f"add_workdays, {label}",
        lambda: [index.add_workdays(s, n) for s, n in inputs],
        lambda: [naive.add_workdays(s, n) for s, n in inputs],
        len(inputs),
        repeat,
    )
    _compare(
        f"count_workdays, {label}",
        lambda: [index.count_workdays(s, e) for s, e in pairs],
        lambda: [naive.count_workdays(s, e) for s, e in pairs],
        len(pairs),
        repeat,
    )


def run(quick: bool) -> None:
    rng = random.Random(SEED)
    overrides, known_years = national_calendar()
    started = time.perf_counter()
    index = WorkCalendar(overrides=overrides, known_years=known_years)
    build_ms = (time.perf_counter() - started) * 1e3
    naive = NaiveCalendar(overrides=overrides, known_years=known_years)
    print(
        f"calendar: {len(overrides)} overrides, years {known_years[0]}–{known_years[-1]}; "
        f"index built in {build_ms:.2f} ms; starts 2000–2030, seed {SEED}"
    )

    short_calls, long_calls, repeat = (20_000, 1_000, 1) if quick else (100_000, 10_000, 3)
    _suite("1–250 days", index, naive, _inputs(rng, short_calls, 1, 250), repeat)
    _suite("1,000–3,650 days", index, naive, _inputs(rng, long_calls, 1_000, 3_650), repeat)
    print("index and loop gave identical answers (deadline, count and provisional) throughout")
