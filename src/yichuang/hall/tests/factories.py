"""Factories of the hall's tests."""

from __future__ import annotations

import datetime as dt
import itertools

from django.utils import timezone

from yichuang.hall.models import Queue
from yichuang.orgs.models import Centre, Window, WindowKind
from yichuang.orgs.tests import factories as orgs_factories

_seq = itertools.count(1)

# A Wednesday, a working day well away from holidays.
WORKDAY = dt.date(2026, 3, 4)


def at(day: dt.date = WORKDAY, hour: int = 9, minute: int = 0) -> dt.datetime:
    """A moment in the platform's time zone."""
    return timezone.make_aware(dt.datetime.combine(day, dt.time(hour, minute)))


def queue(*, centre: Centre | None = None, code: str = "A", windows=(), **overrides) -> Queue:
    values = {
        "centre": centre or orgs_factories.centre(),
        "code": code,
        "name": overrides.pop("name", f"队列{code}"),
        "service_minutes": 10,
    }
    values.update(overrides)
    made = Queue.objects.create(**values)
    made.windows.set(windows)
    return made


def window(*, centre: Centre, kind: str = WindowKind.COMPREHENSIVE, **overrides) -> Window:
    return orgs_factories.window(centre=centre, kind=kind, **overrides)
