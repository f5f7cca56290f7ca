"""Daily counters behind public numbers (case numbers, ticket numbers), in one place.

A counter is one row per key (a centre and a day, a queue and a day) with a `last` field,
incremented under its row lock inside the transaction that uses the number: two
processes never get the same number, and a rolled-back transaction gives its number back.

The row lock is held until the transaction ends, so every transaction numbering in the
same key waits for the one before it: the increment is one `UPDATE … RETURNING` round
trip (PostgreSQL and SQLite ≥ 3.35 alike), and callers take the number as late as they can.
"""

from __future__ import annotations

from typing import Any, TypeVar

from django.db import IntegrityError, connections, models, router, transaction

Counter = TypeVar("Counter", bound=models.Model)

_ATTEMPTS = 5


def _in_transaction(model: type[models.Model]) -> str:
    alias = router.db_for_write(model)
    if not transaction.get_connection(alias).in_atomic_block:
        raise RuntimeError("a counter is only taken inside a transaction")
    return alias


def _counter_create(model: type[models.Model], key: dict[str, Any]) -> None:
    """Insert the row of `key` at 0. Two transactions racing to make it: the loser's
    insert fails on the unique constraint inside a savepoint, and its next `UPDATE`
    waits for the winner's row lock."""
    try:
        with transaction.atomic(using=router.db_for_write(model)):  # a savepoint
            model.objects.create(**key, last=0)
    except IntegrityError:
        pass  # another transaction created the row first


def _increment_sql(
    model: type[models.Model], key: dict[str, Any], *, alias: str
) -> tuple[str, list[Any]]:
    connection = connections[alias]
    quote, meta = connection.ops.quote_name, model._meta
    columns, params = [], []
    for name, value in sorted(key.items()):
        field = meta.get_field(name)
        columns.append(f"{quote(field.column)} = %s")
        value = value.pk if isinstance(value, models.Model) else value
        params.append(field.get_db_prep_value(value, connection=connection))
    last = quote(meta.get_field("last").column)
    return (
        f"UPDATE {quote(meta.db_table)} SET {last} = {last} + 1"
        f" WHERE {' AND '.join(columns)} RETURNING {last}",
        params,
    )


def counter_next(model: type[Counter], **key: Any) -> int:
    """Increment the counter of `key` and return its new value (inside a transaction).

    The `UPDATE` takes the row lock and increments in one statement; only the first
    number of a key (no row yet) costs an insert first."""
    alias = _in_transaction(model)
    sql, params = _increment_sql(model, key, alias=alias)
    for _attempt in range(_ATTEMPTS):
        with connections[alias].cursor() as cursor:
            cursor.execute(sql, params)
            row = cursor.fetchone()
        if row is not None:
            return int(row[0])
        _counter_create(model, key)
    raise RuntimeError(f"{model.__name__} row could not be created")  # pragma: no cover
