"""Case numbers, generated here and nowhere else.

`<centre code>-<YYYYMMDD>-<6-digit daily sequence>`, e.g. `blzq-20260302-000017`. The
sequence is a per-(centre, day) counter row incremented under its row lock, so two
processes opening cases at once never get the same number, and numbers of one centre and
day are consecutive in the order the transactions take the lock.
"""

from __future__ import annotations

import datetime as dt

from django.db import transaction

from yichuang.cases.models import CaseNumberCounter
from yichuang.common.counters import counter_next
from yichuang.orgs.models import Centre


def case_number_format(*, centre_code: str, day: dt.date, sequence: int) -> str:
    return f"{centre_code}-{day:%Y%m%d}-{sequence:06d}"


def case_number_next(*, centre: Centre, day: dt.date) -> str:
    """The next number of `centre` on `day`. Call inside the transaction creating the case."""
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("case_number_next must run inside a transaction")
    sequence = counter_next(CaseNumberCounter, centre=centre, day=day)
    return case_number_format(centre_code=centre.code, day=day, sequence=sequence)
