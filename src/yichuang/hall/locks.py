"""Row locks of the hall, in one place.

Order, when several are needed in one transaction: the window session, then tickets, then
the ticket counter; an appointment slot before the ticket of a check-in. "Call next" takes
the first waiting ticket with `SKIP LOCKED`, so windows calling at once never wait on each
other and never get the same ticket. On SQLite the writing transaction locks the whole
database instead (transaction mode IMMEDIATE), which gives the same guarantees.
"""

from __future__ import annotations

from django.db.models import QuerySet

from yichuang.hall.models import AppointmentSlot, Ticket, WindowSession


def window_session_lock(*, session_id: int) -> WindowSession:
    """The session row (with its window and officer, which stay unlocked)."""
    return (
        WindowSession.objects.select_related("window", "staff")
        .select_for_update(of=("self",))
        .get(pk=session_id)
    )


def ticket_lock(*, ticket_id: int) -> Ticket:
    return Ticket.objects.select_for_update().get(pk=ticket_id)


def ticket_first_unlocked(tickets: QuerySet[Ticket]) -> Ticket | None:
    """The first of `tickets` (in their order) that no other transaction holds, locked."""
    return tickets.select_for_update(skip_locked=True, of=("self",)).first()


def slot_lock(*, slot_id: int) -> AppointmentSlot:
    return AppointmentSlot.objects.select_for_update().get(pk=slot_id)
