"""Case numbers, generated here and nowhere else.

`<centre code>-<YYYYMMDD>-<6-digit daily sequence>`, e.g. `blzq-20260302-000017`. The
sequence is a per-(centre, day) counter row incremented under its row lock, so two
processes opening cases at once never get the same number, and numbers of one centre and
day are consecutive in the order the transactions take the lock.
"""

from __future__ import annotations

import datetime as dt

from django.db import IntegrityError, transaction

from yichuang.cases.models import CaseNumberCounter
from yichuang.orgs.models import Centre

_ATTEMPTS = 5


def case_number_format(*, centre_code: str, day: dt.date, sequence: int) -> str:
    return f"{centre_code}-{day:%Y%m%d}-{sequence:06d}"


def _counter_locked(*, centre: Centre, day: dt.date) -> CaseNumberCounter:
    for _attempt in range(_ATTEMPTS):
        counter = (
            CaseNumberCounter.objects.select_for_update().filter(centre=centre, day=day).first()
        )
        if counter is not None:
            return counter
        try:
            with transaction.atomic():  # a savepoint: a lost race rolls back only the insert
                return CaseNumberCounter.objects.create(centre=centre, day=day, last=0)
        except IntegrityError:
            continue  # another transaction created the row first: lock theirs
    raise RuntimeError("case number counter could not be created")  # pragma: no cover


def case_number_next(*, centre: Centre, day: dt.date) -> str:
    """The next number of `centre` on `day`. Call inside the transaction creating the case."""
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("case_number_next must run inside a transaction")
    counter = _counter_locked(centre=centre, day=day)
    counter.last += 1
    counter.save(update_fields=["last"])
    return case_number_format(centre_code=centre.code, day=day, sequence=counter.last)
