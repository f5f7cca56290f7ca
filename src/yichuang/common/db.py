"""Which database a query goes to, when there is a choice."""

from __future__ import annotations

from django.conf import settings

REPLICA = "replica"


def reporting_db() -> str:
    """The database alias for reports over many rows that tolerate a few seconds of
    replication lag (hall figures and the like): the replica when DATABASE_REPLICA_URL is
    set, else the primary. Never for a read that decides a change."""
    return REPLICA if REPLICA in settings.DATABASES else "default"
