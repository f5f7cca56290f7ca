"""Row locks of the case engine, in one place.

Order, when several are needed in one transaction: the case first, then the number
counter. Each case's history chain is guarded by its own case row, so work on different
cases never waits on a shared lock.
"""

from __future__ import annotations

from yichuang.cases.models import Case


def case_lock(*, case_id: int) -> Case:
    """The case row, locked until the surrounding transaction ends (SELECT … FOR UPDATE).

    Must be called inside `transaction.atomic()`. On SQLite the whole database is locked
    by the writing transaction instead, which gives the same guarantee.
    """
    return Case.objects.select_for_update().get(pk=case_id)
