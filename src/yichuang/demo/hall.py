"""Today's hall in the demo centre: a morning of served tickets and a few people waiting.

The morning is played through the hall's own services with the clock set back
(`clock.frozen`): officers sign in to their windows, visitors take numbers at the kiosk,
on the portal or at a window, windows call, one visitor misses three calls (过号), tickets
are finished. So the figures page has real waiting and handling times, the calling screen
has current and last calls, and the window desk has people to call — among them an
elderly visitor in the priority lane (绿色通道).

The morning is squeezed into the time between 8:30 and a few minutes ago (or between
midnight and now when the demo starts before opening time), so nothing happens in the
future. It is played once a day: a day that already has tickets in the demo centre is left
alone; on a later day the previous day's leftovers are swept (`tickets_expire`, the daily
sweep) and a new morning is played.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db import transaction
from django.utils import timezone

from yichuang.common import clock
from yichuang.demo import data
from yichuang.hall.models import Priority, TakenVia, Ticket
from yichuang.hall.selectors import day_start
from yichuang.hall.services import calling, tickets
from yichuang.identity.models import User
from yichuang.identity.validation import resident_id_check_character
from yichuang.orgs.models import Centre, Window

OPENING = dt.time(8, 30)
# The shortest morning played; earlier than that, the morning is compressed before now.
_MIN_SPAN = dt.timedelta(minutes=90)
_VIA = (
    TakenVia.KIOSK,
    TakenVia.KIOSK,
    TakenVia.PORTAL,
    TakenVia.WINDOW,
    TakenVia.KIOSK,
    TakenVia.API,
)
# 李桂兰, born 1946 (also a walk-in of the demo cases): the priority lane by age.
ELDERLY_ID = "15042219460915204" + resident_id_check_character("15042219460915204")


@dataclass(frozen=True)
class Step:
    at: float  # 0 = the start of the morning, 1 = a few minutes ago
    kind: str  # sign_in, take, call, recall, missed, finish
    window: int = 0
    queue: str = ""
    via: str = TakenVia.KIOSK
    priority: str = ""
    id_number: str = ""


def _takes(queue: str, count: int, *, first: float, step: float) -> list[Step]:
    return [
        Step(at=first + i * step, kind="take", queue=queue, via=_VIA[(i + ord(queue)) % len(_VIA)])
        for i in range(count)
    ]


def _calls(window: int, times: list[float]) -> list[Step]:
    return [Step(at=t, kind="call", window=window) for t in times]


def _grid(first: float, last: float, step: float) -> list[float]:
    count = round((last - first) / step) + 1
    return [round(first + i * step, 3) for i in range(count)]


def morning() -> list[Step]:
    """The morning's steps in time order."""
    windows = [*data.COMPREHENSIVE_WINDOWS, 7, 8, 9, data.WINDOW_RESULT]
    steps = [Step(at=0.0, kind="sign_in", window=n) for n in windows]
    steps += _takes("A", 14, first=0.0, step=0.05)
    steps += [Step(at=0.26, kind="take", queue="A", via=TakenVia.WINDOW, priority="disabled")]
    steps += _takes("B", 4, first=0.02, step=0.15)
    steps += _takes("C", 5, first=0.04, step=0.12)
    steps += _takes("D", 5, first=0.03, step=0.12)
    steps += _takes("E", 4, first=0.05, step=0.15)
    steps += _takes("F", 6, first=0.06, step=0.1)
    steps += _calls(1, _grid(0.05, 0.85, 0.1)) + _calls(2, _grid(0.07, 0.87, 0.1))
    # Window 3 calls a visitor three times in vain and marks the ticket missed (过号).
    steps += _calls(3, [0.05, 0.15, 0.25, 0.35, 0.42, 0.55, 0.65, 0.75, 0.85])
    steps += [
        Step(at=0.44, kind="recall", window=3),
        Step(at=0.46, kind="recall", window=3),
        Step(at=0.48, kind="missed", window=3),
    ]
    steps += _calls(4, _grid(0.08, 0.78, 0.1)) + _calls(5, _grid(0.1, 0.8, 0.1))
    steps += _calls(9, [0.1, 0.3, 0.5, 0.7, 0.86])
    steps += _calls(7, [0.12, 0.3, 0.45, 0.6, 0.8])
    steps += _calls(8, [0.15, 0.35, 0.55, 0.8])
    steps += _calls(data.WINDOW_RESULT, _grid(0.1, 0.82, 0.12))
    # Windows 3, 4, 5, 7 and 8 finish and stay signed in.
    steps += [Step(at=0.88, kind="finish", window=n) for n in (3, 4, 5, 7, 8)]
    # Waiting now: the desk and the screen have people to call.
    waiting = [
        ("A", TakenVia.KIOSK),
        ("A", TakenVia.PORTAL),
        ("B", TakenVia.KIOSK),
        ("C", TakenVia.WINDOW),
        ("A", TakenVia.KIOSK),
        ("D", TakenVia.KIOSK),
        ("E", TakenVia.API),
        ("F", TakenVia.KIOSK),
        ("A", TakenVia.KIOSK),
        ("B", TakenVia.PORTAL),
        ("C", TakenVia.KIOSK),
        ("D", TakenVia.WINDOW),
        ("F", TakenVia.KIOSK),
    ]
    steps += [
        Step(at=0.9 + i * 0.007, kind="take", queue=queue, via=via)
        for i, (queue, via) in enumerate(waiting)
    ]
    # A moment ago windows 1, 2, 9 and 13 called the next visitor; then an elderly visitor
    # took a number in the priority lane.
    steps += _calls(1, [0.995]) + _calls(2, [0.995]) + _calls(9, [0.995])
    steps += _calls(data.WINDOW_RESULT, [0.995])
    steps += [
        Step(
            at=0.998,
            kind="take",
            queue="A",
            via=TakenVia.KIOSK,
            priority=Priority.ELDERLY,
            id_number=ELDERLY_ID,
        )
    ]
    return sorted(steps, key=lambda s: s.at)


def _span(now: dt.datetime) -> tuple[dt.datetime, dt.datetime]:
    """The morning's first and last moments: from 8:30 to five minutes ago, or, before
    that is long enough, the `_MIN_SPAN` before now (never before midnight)."""
    today = timezone.localtime(now).date()
    midnight = day_start(today)
    end = max(now - dt.timedelta(minutes=5), midnight)
    start = timezone.make_aware(dt.datetime.combine(today, OPENING))
    if end - start < _MIN_SPAN:
        start = max(end - _MIN_SPAN, midnight)
    return start, end


def demo_hall_seed(*, now: dt.datetime | None = None) -> int:
    """Play today's morning in the demo centre's hall unless today has tickets already;
    return the number of tickets taken."""
    now = now or clock.now()
    today = timezone.localtime(now).date()
    centre = Centre.objects.get(code=data.COUNTY)
    if Ticket.objects.filter(centre=centre, day=today).exists():
        return 0
    windows = {w.number: w for w in Window.objects.filter(centre=centre)}
    officers = {n: User.objects.get(username=f"window{n}") for n in windows if _has_officer(n)}
    start, end = _span(now)
    taken = 0
    with transaction.atomic():
        with clock.frozen(now):
            calling.tickets_expire(before=today)  # the daily sweep of earlier days
        current: dict[int, bool] = {}
        for step in morning():
            with clock.frozen(start + (end - start) * step.at):
                taken += _play(
                    step, centre=centre, windows=windows, officers=officers, current=current
                )
    return taken


def _has_officer(number: int) -> bool:
    return any(a.username == f"window{number}" for a in data.DEMO_ACCOUNTS)


def _play(step: Step, *, centre, windows, officers, current: dict[int, bool]) -> int:
    if step.kind == "take":
        tickets.ticket_take(
            centre=centre,
            queue_code=step.queue,
            via=step.via,
            priority=step.priority,
            id_number=step.id_number,
        )
        return 1
    user, window = officers[step.window], windows[step.window]
    if step.kind == "sign_in":
        calling.window_sign_in(user=user, window=window)
    elif step.kind == "call":
        current[step.window] = calling.ticket_call_next(user=user, window=window) is not None
    elif not current.get(step.window):
        return 0  # nobody at the window to recall, mark missed or finish
    elif step.kind == "recall":
        calling.ticket_recall(user=user, window=window)
    elif step.kind == "missed":
        calling.ticket_mark_missed(user=user, window=window)
        current[step.window] = False
    elif step.kind == "finish":
        calling.ticket_finish(user=user, window=window)
        current[step.window] = False
    return 0
