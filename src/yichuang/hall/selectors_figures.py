"""Figures of the hall (大厅运行统计, RULES.md §7 KPIs) for leaders and centre admins.

For one centre and a range of days (today by default), per queue, per window, for the
whole centre and per day:

- tickets *taken*, *served* (办结), *missed* (过号), *unserved* (cancelled or expired:
  取消 / 当日未叫号), and those still *waiting* or being *served now*;
- *waiting time* = first call − taken, over the tickets that were called (an appointment's
  ticket is taken at check-in, so its wait counts from the check-in); tickets never called
  have no waiting time and are not in it;
- *handling time* = finished − first call, over the served (done) tickets;
- the share of called tickets that waited longer than `HALL_WAIT_TARGET_MINUTES`;
- the share of *self-service* tickets: taken at a kiosk, on the portal, through the API or
  by an appointment check-in, against those taken for the visitor at a window.

A ticket counts under the queue it was taken in (its letter: A005 stays A005 through a
transfer, 一票到底) and under the window that last served it. Times are minutes; mean,
median (p50) and p90.

Percentiles are computed in Python over the durations, by **linear interpolation between
closest ranks** — the definition of PostgreSQL's `PERCENTILE_CONT`, numpy's default and
Excel's `PERCENTILE.INC`: for sorted values x₀ … xₙ₋₁ and fraction p, the rank is
r = p·(n − 1) and the percentile x⌊r⌋ + (r − ⌊r⌋)·(x⌈r⌉ − x⌊r⌋). The same answer on SQLite
and PostgreSQL. One query fetches the range's tickets (six columns each), so a year of a
busy hall is a few hundred thousand small rows; the query count does not grow with them.
"""

from __future__ import annotations

import datetime as dt
import math
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from django.conf import settings
from django.db.models import Q
from django.utils.translation import gettext as _

from yichuang.common import clock
from yichuang.common.db import reporting_db
from yichuang.hall.errors import HallError, HallForbidden, HallNotFound
from yichuang.hall.models import Queue, TakenVia, Ticket, TicketStatus
from yichuang.orgs.models import Centre, Role, Window
from yichuang.orgs.selectors import centres_visible_to, staff_for_user

FIGURES_ROLES = frozenset({Role.LEADER, Role.CENTRE_ADMIN})
# The longest range one request may ask for, in days (both ends included).
MAX_RANGE_DAYS = 366
SELF_SERVICE = frozenset({TakenVia.KIOSK, TakenVia.PORTAL, TakenVia.API, TakenVia.APPOINTMENT})
UNSERVED = frozenset({TicketStatus.CANCELLED, TicketStatus.EXPIRED})


def percentile(values: Sequence[float], fraction: float) -> float | None:
    """The `fraction` (0–1) percentile of `values` by linear interpolation between closest
    ranks (PostgreSQL PERCENTILE_CONT); None for no values."""
    if not values:
        return None
    if not 0 <= fraction <= 1:
        raise ValueError("fraction must be between 0 and 1")
    ordered = sorted(values)
    rank = fraction * (len(ordered) - 1)
    low, high = math.floor(rank), math.ceil(rank)
    return ordered[low] + (rank - low) * (ordered[high] - ordered[low])


@dataclass(frozen=True)
class Spread:
    """Summary of a set of durations in minutes."""

    count: int
    mean: float | None
    p50: float | None
    p90: float | None

    @classmethod
    def of(cls, minutes: Sequence[float]) -> Spread:
        if not minutes:
            return cls(count=0, mean=None, p50=None, p90=None)
        return cls(
            count=len(minutes),
            mean=sum(minutes) / len(minutes),
            p50=percentile(minutes, 0.5),
            p90=percentile(minutes, 0.9),
        )


@dataclass
class _Tally:
    """Tickets of one group, accumulated one by one."""

    taken: int = 0
    served: int = 0
    missed: int = 0
    unserved: int = 0
    waiting_now: int = 0
    serving_now: int = 0
    self_service: int = 0
    waits: list[float] = field(default_factory=list)
    handlings: list[float] = field(default_factory=list)

    def add(self, ticket: _TicketTimes) -> None:
        self.taken += 1
        self.served += ticket.status == TicketStatus.DONE
        self.missed += ticket.status == TicketStatus.MISSED
        self.unserved += ticket.status in UNSERVED
        self.waiting_now += ticket.status == TicketStatus.WAITING
        self.serving_now += ticket.status == TicketStatus.CALLED
        self.self_service += ticket.taken_via in SELF_SERVICE
        if ticket.wait is not None:
            self.waits.append(ticket.wait)
        if ticket.handling is not None:
            self.handlings.append(ticket.handling)


@dataclass(frozen=True)
class FigureRow:
    """The figures of one queue, window, day or the whole centre."""

    key: str
    label: str
    taken: int
    served: int
    missed: int
    unserved: int
    waiting_now: int
    serving_now: int
    waiting: Spread
    handling: Spread
    over_target: int
    over_target_share: float | None
    self_service: int
    self_service_share: float | None

    @classmethod
    def of(cls, *, key: str, label: str, tally: _Tally, target: float) -> FigureRow:
        over = sum(1 for m in tally.waits if m > target)
        return cls(
            key=key,
            label=label,
            taken=tally.taken,
            served=tally.served,
            missed=tally.missed,
            unserved=tally.unserved,
            waiting_now=tally.waiting_now,
            serving_now=tally.serving_now,
            waiting=Spread.of(tally.waits),
            handling=Spread.of(tally.handlings),
            over_target=over,
            over_target_share=over / len(tally.waits) if tally.waits else None,
            self_service=tally.self_service,
            self_service_share=tally.self_service / tally.taken if tally.taken else None,
        )


@dataclass(frozen=True)
class HallFigures:
    centre: Centre
    start: dt.date
    end: dt.date
    target_minutes: int
    total: FigureRow
    queues: list[FigureRow]
    windows: list[FigureRow]
    days: list[FigureRow]


@dataclass(frozen=True)
class _TicketTimes:
    day: dt.date
    queue_id: int
    window_id: int | None
    status: str
    taken_via: str
    wait: float | None  # minutes from taken to the first call
    handling: float | None  # minutes from the first call to done


def _minutes(start: dt.datetime, end: dt.datetime) -> float:
    return max((end - start).total_seconds(), 0.0) / 60


def _ticket_times(row: tuple[Any, ...]) -> _TicketTimes:
    day, queue_id, window_id, status, via, taken_at, first_called_at, finished_at = row
    wait = _minutes(taken_at, first_called_at) if first_called_at else None
    handling = None
    if status == TicketStatus.DONE and first_called_at and finished_at:
        handling = _minutes(first_called_at, finished_at)
    return _TicketTimes(day, queue_id, window_id, status, via, wait, handling)


# --- access and input --------------------------------------------------------------------


def figures_centre_for(*, user: Any, code: str | None = None) -> Centre:
    """The centre whose hall figures the user asks for: their own by default, or one they
    may see (a leader's or centre admin's subtree, `orgs.selectors.centres_visible_to`).

    Not staff: `centre_not_found` (404, the back office does not exist for them); staff
    without the leader or centre admin role: `figures_forbidden` (403); a centre they may
    not see or that does not exist: `centre_not_found` (404).
    """
    member = staff_for_user(user)
    if member is None:
        raise HallNotFound(code="centre_not_found", message=_("没有这个服务中心"))
    if not member.role_set() & FIGURES_ROLES:
        raise HallForbidden(
            code="figures_forbidden", message=_("只有中心领导和中心管理员可以查看大厅运行统计")
        )
    if not code:
        return member.centre
    centre = centres_visible_to(user).filter(code=code[:40]).first()
    if centre is None:
        raise HallNotFound(code="centre_not_found", message=_("没有这个服务中心"))
    return centre


def figures_range(*, start: dt.date | None, end: dt.date | None) -> tuple[dt.date, dt.date]:
    """The range asked for: both ends default to today (one end given: a single day);
    `start` after `end` or more than `MAX_RANGE_DAYS` days is `HallError` (422)."""
    if start is None and end is None:
        start = end = clock.today()
    start = start or end
    end = end or start
    assert start is not None and end is not None
    if start > end:
        raise HallError(code="range_reversed", message=_("开始日期不能晚于结束日期"), field="start")
    if (end - start).days + 1 > MAX_RANGE_DAYS:
        raise HallError(
            code="range_too_long",
            message=_("统计区间最长%(days)s天，请缩短日期范围") % {"days": MAX_RANGE_DAYS},
            field="end",
        )
    return start, end


def centres_for_figures(user: Any) -> list[Centre]:
    """The centres the user may pick on the figures page, in tree order."""
    return list(centres_visible_to(user).order_by("path"))


# --- the figures -------------------------------------------------------------------------


def _days(start: dt.date, end: dt.date) -> Iterable[dt.date]:
    for offset in range((end - start).days + 1):
        yield start + dt.timedelta(days=offset)


def hall_figures(*, centre: Centre, start: dt.date, end: dt.date) -> HallFigures:
    """The figures of `centre`'s hall from `start` to `end` (both included). Call after
    `figures_centre_for` and `figures_range`. Three queries whatever the number of tickets,
    on the reporting database (a replica when there is one: today's figures may lag it by
    seconds)."""
    target = settings.YICHUANG["HALL_WAIT_TARGET_MINUTES"]
    database = reporting_db()
    rows = (
        Ticket.objects.using(database)
        .filter(centre=centre, day__gte=start, day__lte=end)
        .values_list(
            "day",
            "origin_queue_id",
            "window_id",
            "status",
            "taken_via",
            "taken_at",
            "first_called_at",
            "finished_at",
        )
    )
    total = _Tally()
    by_queue: dict[int, _Tally] = defaultdict(_Tally)
    by_window: dict[int, _Tally] = defaultdict(_Tally)
    by_day: dict[dt.date, _Tally] = defaultdict(_Tally)
    for row in rows.iterator(chunk_size=5000):
        ticket = _ticket_times(row)
        total.add(ticket)
        by_queue[ticket.queue_id].add(ticket)
        by_day[ticket.day].add(ticket)
        if ticket.window_id is not None:
            by_window[ticket.window_id].add(ticket)

    queues = Queue.objects.using(database).filter(centre=centre).order_by("sort_order", "code")
    # Windows that served tickets in the range, and the active ones serving a queue.
    windows = (
        Window.objects.using(database)
        .filter(centre=centre)
        .filter(Q(pk__in=list(by_window)) | Q(is_active=True, queues__isnull=False))
        .distinct()
        .order_by("number")
    )
    return HallFigures(
        centre=centre,
        start=start,
        end=end,
        target_minutes=target,
        total=FigureRow.of(key="total", label=_("全部"), tally=total, target=target),
        queues=[
            FigureRow.of(
                key=q.code, label=f"{q.code} {q.name}", tally=by_queue[q.pk], target=target
            )
            for q in queues
            if q.is_active or q.pk in by_queue
        ],
        windows=[
            FigureRow.of(
                key=str(w.number),
                label=_("%(number)s号窗口 %(name)s") % {"number": w.number, "name": w.name},
                tally=by_window[w.pk],
                target=target,
            )
            for w in windows
        ],
        days=[
            FigureRow.of(
                key=day.isoformat(), label=day.isoformat(), tally=by_day[day], target=target
            )
            for day in _days(start, end)
        ],
    )
