"""Daily counters behind public numbers (case numbers, ticket numbers), in one place.

A counter is one row per key (a centre and a day, a queue and a day) with a `last` field,
incremented under its row lock inside the transaction that uses the number: two
processes never get the same number, and a rolled-back transaction gives its number back.
"""

from __future__ import annotations

from typing import Any, TypeVar

from django.db import IntegrityError, models, transaction

Counter = TypeVar("Counter", bound=models.Model)

_ATTEMPTS = 5


def counter_locked(model: type[Counter], **key: Any) -> Counter:
    """The counter row of `key`, locked until the transaction ends; made at 0 if missing.

    Two transactions racing to make the row: the loser's insert fails on the unique
    constraint inside a savepoint, and it locks the winner's row instead.
    """
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("a counter is only taken inside a transaction")
    for _attempt in range(_ATTEMPTS):
        counter = model.objects.select_for_update().filter(**key).first()
        if counter is not None:
            return counter
        try:
            with transaction.atomic():  # a savepoint: a lost race rolls back only the insert
                return model.objects.create(**key, last=0)
        except IntegrityError:
            continue  # another transaction created the row first: lock theirs
    raise RuntimeError(f"{model.__name__} row could not be created")  # pragma: no cover


def counter_next(model: type[Counter], **key: Any) -> int:
    """Increment the counter of `key` and return its new value (inside a transaction)."""
    counter = counter_locked(model, **key)
    counter.last += 1
    counter.save(update_fields=["last"])
    return counter.last
