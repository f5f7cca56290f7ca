"""Stored due dates, rewritten from their inputs whenever one of them changes."""

from __future__ import annotations

from yichuang.cases import deadlines
from yichuang.cases.models import Case, ExtensionStatus
from yichuang.catalog.models import HandlingKind
from yichuang.common import clock
from yichuang.workdays.selectors import calendar_get, count_start_day_default


def case_due_refresh(*, case: Case) -> None:
    """Recompute and save the case's due date from its acceptance date, promised limit,
    suspensions and approved extensions (case row locked by the caller)."""
    if case.accepted_on is None:
        return
    version = case.item_version
    promised = 0 if version.handling_kind == HandlingKind.IMMEDIATE else version.promised_limit
    due = deadlines.case_due(
        accepted_on=case.accepted_on,
        promised_workdays=promised,
        suspensions=[
            deadlines.Period(start, end)
            for start, end in case.suspensions.values_list("started_on", "ended_on")
        ],
        extension_workdays=sum(
            case.extensions.filter(status=ExtensionStatus.APPROVED).values_list(
                "workdays", flat=True
            )
        ),
        today=clock.today(),
        calendar=calendar_get(),
        count_start_day=count_start_day_default(),
    )
    case.due_date, case.due_provisional = due.due, due.provisional
    case.save(update_fields=["due_date", "due_provisional", "updated_at"])
