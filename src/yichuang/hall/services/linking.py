"""Linking a case to the ticket of the visitor it was opened for (取号 → 办件).

The desk opens a case "from the ticket" the officer is serving; the case and the ticket
are linked in the transaction that opens the case, so a refused link leaves no case.
"""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext as _

from yichuang.cases.models import Case
from yichuang.common import clock
from yichuang.hall.errors import HallConflict
from yichuang.hall.models import Ticket, TicketCase, TicketStatus, WindowSession
from yichuang.orgs.selectors import staff_for_user


def _not_current() -> HallConflict:
    return HallConflict(code="not_current_ticket", message=_("该排队号不是您窗口当前办理的号"))


def ticket_current_for(*, user: Any, ticket_id: Any) -> Ticket:
    """The ticket `ticket_id` if it is the one the user's window is serving now; any other
    ticket (another window's, finished, unknown, not a number) is `not_current_ticket`."""
    try:
        ticket_id = int(ticket_id)
    except (TypeError, ValueError):
        raise _not_current() from None
    member = staff_for_user(user)
    if member is None or not 0 < ticket_id < 2**63:
        raise _not_current()
    session = (
        WindowSession.objects.select_related("current_ticket__applicant", "current_ticket__queue")
        .filter(staff=member, ended_at=None, current_ticket_id=ticket_id)
        .first()
    )
    if session is None or session.current_ticket.status != TicketStatus.CALLED:
        raise _not_current()
    return session.current_ticket


def ticket_case_link(*, user: Any, ticket: Ticket, case: Case) -> TicketCase:
    """Link `case` to `ticket`, the ticket the user's window is serving, within the
    caller's transaction (the desk's case opening). A case is linked to one ticket only."""
    ticket = ticket_current_for(user=user, ticket_id=ticket.pk)
    if case.centre_id != ticket.centre_id:
        raise HallConflict(code="not_current_ticket", message=_("办件与排队号不属于同一中心"))
    if TicketCase.objects.filter(case=case).exists():
        raise HallConflict(code="case_already_linked", message=_("该办件已关联排队号"))
    return TicketCase.objects.create(ticket=ticket, case=case, linked_at=clock.now())
