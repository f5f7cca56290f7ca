"""Row locks of the case engine, in one place.

Order, when several are needed in one transaction: the case first, then the number
counter. Each case's history chain is guarded by its own case row, so work on different
cases never waits on a shared lock.
"""

from __future__ import annotations

from django.db import connection

from yichuang.cases.models import Case
from yichuang.catalog.models import ServiceItemVersion


def case_lock(*, case_id: int) -> Case:
    """The case row, locked until the surrounding transaction ends (SELECT … FOR UPDATE).

    Must be called inside `transaction.atomic()`. On SQLite the whole database is locked
    by the writing transaction instead, which gives the same guarantee.
    """
    return Case.objects.select_for_update().get(pk=case_id)


# What opening a case checks of the item version it locks (`opening._check_item`).
VERSION_CHECKED = (
    "id",
    "status",
    "for_natural_persons",
    "for_legal_persons",
    "handled_online",
    "online_depth",
)


def item_version_share_lock(*, version_id: int) -> ServiceItemVersion:
    """The item version row, read under a share lock until the transaction ends.

    Opening a case must see the version still published when the case row is written,
    and publishing or withdrawing waits for the cases being opened on it — but cases
    opened on the same item never wait for each other (FOR SHARE, not FOR UPDATE). On
    SQLite the writing transaction locks the whole database instead.
    """
    if connection.vendor != "postgresql":
        return ServiceItemVersion.objects.only(*VERSION_CHECKED).get(pk=version_id)
    quote, meta = connection.ops.quote_name, ServiceItemVersion._meta
    # Named columns, not *: a prepared statement returning * breaks when a migration adds
    # a column to the table while servers are running.
    columns = ", ".join(quote(meta.get_field(name).column) for name in VERSION_CHECKED)
    sql = f"SELECT {columns} FROM {quote(meta.db_table)} WHERE id = %s FOR SHARE"
    found = list(ServiceItemVersion.objects.raw(sql, [version_id]))
    if not found:
        raise ServiceItemVersion.DoesNotExist(version_id)
    return found[0]
