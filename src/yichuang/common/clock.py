"""The one clock of the platform. Tests freeze it with `clock.frozen(...)`."""

from __future__ import annotations

import contextlib
import datetime as dt
from collections.abc import Iterator

from django.utils import timezone

_frozen: dt.datetime | None = None


def now() -> dt.datetime:
    """The current time, timezone-aware."""
    return _frozen if _frozen is not None else timezone.now()


def today() -> dt.date:
    """Today's date in the platform's time zone (Asia/Shanghai by default)."""
    return timezone.localtime(now()).date()


@contextlib.contextmanager
def frozen(at: dt.datetime) -> Iterator[dt.datetime]:
    """Freeze `now()` at a timezone-aware moment (tests and simulations only)."""
    global _frozen
    if timezone.is_naive(at):
        raise ValueError("frozen() needs a timezone-aware datetime")
    previous, _frozen = _frozen, at
    try:
        yield at
    finally:
        _frozen = previous
