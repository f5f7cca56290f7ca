"""Taking a queue number (取号) and what a ticket holder sees: people ahead, estimated wait.

Numbers are the queue's letter plus a daily sequence (A001 …, RULES.md §7) from a
per-(queue, day) counter row incremented under its row lock inside the transaction that
creates the ticket: two processes never get the same number, and a failed take rolls the
counter back with it, so the numbers of a day have no gaps.
"""

from __future__ import annotations

import math
import secrets
from typing import Any

from django.conf import settings
from django.db import transaction
from django.db.models import Avg, DurationField, ExpressionWrapper, F, Q
from django.utils.translation import gettext as _

from yichuang.common import clock
from yichuang.common.counters import counter_next
from yichuang.hall.errors import HallConflict, HallError, queue_not_found
from yichuang.hall.models import (
    PRIORITY_CLAIMABLE,
    Priority,
    Queue,
    Ticket,
    TicketCounter,
    TicketEvent,
    TicketEventKind,
    TicketStatus,
    WindowSession,
)
from yichuang.identity.models import Applicant, ApplicantKind
from yichuang.identity.validation import validate_resident_id
from yichuang.orgs.models import Centre

# Finished tickets of today a queue's handling time is averaged over.
_RECENT_FOR_ESTIMATE = 20


def ticket_number_format(*, code: str, sequence: int) -> str:
    """`A` + at least three digits: A001, A999, A1000."""
    return f"{code}{sequence:03d}"


def ticket_number_next(*, queue: Queue, day) -> str:
    """The next number of `queue` on `day`. Call inside the transaction creating the ticket."""
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("ticket_number_next must run inside a transaction")
    sequence = counter_next(TicketCounter, queue=queue, day=day)
    return ticket_number_format(code=queue.code, sequence=sequence)


def queue_for_taking(*, centre: Centre, code: str) -> Queue:
    """The active queue with this letter at the centre, or `queue_not_found` (404)."""
    code = (code or "").strip().upper()
    if "\x00" in code:  # PostgreSQL text cannot hold a NUL: no such queue
        raise queue_not_found()
    queue = Queue.objects.filter(centre=centre, code=code, is_active=True).first()
    if queue is None:
        raise queue_not_found()
    return queue


def _priority_for(*, priority: str, id_number: str) -> tuple[str, Applicant | None]:
    """The priority reason the ticket gets, and the known person behind the ID number.

    The elderly are recognised from the ID number's birth date (age threshold a setting);
    other reasons are stated by the visitor and checked by the window, as in the hall.
    """
    if priority and priority not in PRIORITY_CLAIMABLE:
        raise HallError(
            code="invalid_priority", message=_("优先原因不在允许范围内"), field="priority"
        )
    if not id_number:
        if priority == Priority.ELDERLY:
            raise HallError(
                code="age_unverified",
                message=_("老年人优先须提供身份证号码以核验年龄"),
                field="id_number",
            )
        return priority, None
    resident = validate_resident_id(id_number)
    elderly = resident.age_on(clock.today()) >= settings.YICHUANG["HALL_PRIORITY_AGE"]
    if priority == Priority.ELDERLY and not elderly:
        raise HallError(
            code="not_elderly",
            message=_("按身份证号码计算未满%(age)s周岁，不能走老年人绿色通道")
            % {"age": settings.YICHUANG["HALL_PRIORITY_AGE"]},
            field="priority",
        )
    if elderly and not priority:
        priority = Priority.ELDERLY
    person = Applicant.objects.filter(
        kind=ApplicantKind.NATURAL_PERSON, id_number=resident.number
    ).first()
    return priority, person


def ticket_take(
    *,
    centre: Centre,
    queue_code: str,
    via: str,
    priority: str = "",
    id_number: str = "",
    applicant: Applicant | None = None,
    system_priority: str = "",
) -> Ticket:
    """Take a number in a queue of the centre.

    `priority` is a reason the visitor states (绿色通道); `system_priority` is set by the
    platform itself (an appointment check-in). A known person holds one waiting ticket per
    queue at a time.
    """
    queue = queue_for_taking(centre=centre, code=queue_code)
    priority, person = _priority_for(priority=priority, id_number=(id_number or "").strip())
    applicant = applicant or person
    priority = system_priority or priority
    now = clock.now()
    day = clock.today()
    with transaction.atomic():
        if applicant is not None:
            # One waiting ticket per person and queue; the lock on the person's row makes
            # two simultaneous takes of the same person wait for each other.
            Applicant.objects.select_for_update().filter(pk=applicant.pk).first()
            if Ticket.objects.filter(
                queue=queue, day=day, applicant=applicant, status=TicketStatus.WAITING
            ).exists():
                raise HallConflict(
                    code="already_waiting", message=_("您在该队列已有等候中的号，无需重复取号")
                )
        ticket = Ticket.objects.create(
            centre=centre,
            day=day,
            number=ticket_number_next(queue=queue, day=day),
            origin_queue=queue,
            queue=queue,
            priority=priority,
            rank=0 if priority else 1,
            queued_at=now,
            taken_at=now,
            taken_via=via,
            applicant=applicant,
            public_token=secrets.token_hex(16),
        )
        ticket_event_record(
            ticket=ticket, kind=TicketEventKind.TAKEN, data={"via": via, "priority": priority}
        )
    return ticket


def ticket_event_record(
    *,
    ticket: Ticket,
    kind: str,
    window: Any = None,
    staff: Any = None,
    data: dict[str, Any] | None = None,
) -> TicketEvent:
    """Append one event to a ticket's history (inside the action's transaction)."""
    return TicketEvent.objects.create(
        ticket=ticket,
        centre_id=ticket.centre_id,
        kind=kind,
        at=clock.now(),
        window=window,
        staff=staff,
        data=data or {},
    )


def tickets_ahead(ticket: Ticket) -> int:
    """Waiting tickets of the ticket's queue that will be called before it."""
    if ticket.status != TicketStatus.WAITING:
        return 0
    before = (
        Q(rank__lt=ticket.rank)
        | Q(rank=ticket.rank, queued_at__lt=ticket.queued_at)
        | Q(rank=ticket.rank, queued_at=ticket.queued_at, pk__lt=ticket.pk)
    )
    return (
        Ticket.objects.filter(queue_id=ticket.queue_id, day=ticket.day, status=TicketStatus.WAITING)
        .filter(before)
        .count()
    )


def queue_service_minutes(*, queue: Queue, day) -> float:
    """Mean handling minutes of the queue's latest finished tickets of the day, or the
    queue's configured figure while none is finished yet."""
    recent = (
        Ticket.objects.filter(
            queue=queue, day=day, status=TicketStatus.DONE, first_called_at__isnull=False
        )
        .order_by("-finished_at")
        .values_list("pk", flat=True)[:_RECENT_FOR_ESTIMATE]
    )
    handling = ExpressionWrapper(
        F("finished_at") - F("first_called_at"), output_field=DurationField()
    )
    # One round trip: the latest finished tickets as a subquery (LIMIT inside IN).
    mean = Ticket.objects.filter(pk__in=recent).aggregate(mean=Avg(handling))["mean"]
    if mean is None:
        return float(queue.service_minutes)
    return max(mean.total_seconds() / 60, 1.0)


def queue_windows_open(queue: Queue) -> int:
    """Windows serving the queue with an officer signed in and not paused."""
    return (
        WindowSession.objects.filter(
            window__in=queue.windows.all(), ended_at__isnull=True, paused=False
        )
        .values("window")
        .distinct()
        .count()
    )


def ticket_estimate_minutes(*, ticket: Ticket, ahead: int) -> int:
    """Estimated minutes until the ticket is called: people ahead × mean handling time ÷
    windows serving the queue (at least one)."""
    if ticket.status != TicketStatus.WAITING:
        return 0
    minutes = queue_service_minutes(queue=ticket.queue, day=ticket.day)
    windows = max(queue_windows_open(ticket.queue), 1)
    return math.ceil(ahead * minutes / windows)


def anonymous_take_check(*, client: str) -> None:
    """Count one anonymous take by `client` (an IP address) in the current hour; over the
    limit `HALL_ANONYMOUS_TICKETS_PER_HOUR` answers `too_many_tickets` (429). The count
    lives in the shared cache, so every application server sees it."""
    from django.core.cache import cache

    from yichuang.hall.errors import HallThrottled

    limit = settings.YICHUANG["HALL_ANONYMOUS_TICKETS_PER_HOUR"]
    key = f"hall:take:{clock.now():%Y%m%d%H}:{client}"
    cache.add(key, 0, timeout=3600)
    try:
        count = cache.incr(key)
    except ValueError:  # expired between add and incr
        cache.set(key, 1, timeout=3600)
        count = 1
    if count > limit:
        raise HallThrottled(
            code="too_many_tickets", message=_("取号过于频繁，请稍后再试或到大厅自助终端取号")
        )


def ticket_cancel(*, ticket: Ticket) -> Ticket:
    """The holder gives up a waiting ticket (取消排队), from the ticket page: whoever holds
    the public token holds the ticket. Only a waiting ticket can be cancelled."""
    with transaction.atomic():
        ticket = Ticket.objects.select_for_update().get(pk=ticket.pk)
        if ticket.status != TicketStatus.WAITING:
            raise HallConflict(code="not_cancellable", message=_("只有等候中的号可以取消"))
        ticket.status = TicketStatus.CANCELLED
        ticket.finished_at = clock.now()
        ticket.save(update_fields=["status", "finished_at"])
        ticket_event_record(ticket=ticket, kind=TicketEventKind.CANCELLED)
    return ticket
