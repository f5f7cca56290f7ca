"""The window's side of the queue: sign in, call next, recall, missed, transfer, pause,
finish (RULES.md §7).

A window serves one or more queues; "call next" finishes the ticket the window was
serving and takes the first waiting ticket of its queues — the priority lane first, then
first come — with `SELECT … FOR UPDATE SKIP LOCKED`, so windows calling at once never get
the same ticket and never wait on each other. A comprehensive window also takes tickets of
any queue of its centre where more than `HALL_HELP_QUEUE_ABOVE` people wait.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import Count, Q
from django.utils.translation import gettext as _

from yichuang.common import clock
from yichuang.hall import locks
from yichuang.hall.errors import (
    HallConflict,
    HallError,
    HallForbidden,
    queue_not_found,
    window_not_found,
)
from yichuang.hall.models import (
    Priority,
    Queue,
    Ticket,
    TicketEventKind,
    TicketStatus,
    WindowSession,
)
from yichuang.hall.services.tickets import ticket_event_record
from yichuang.orgs.models import Role, Staff, Window, WindowKind
from yichuang.orgs.selectors import staff_for_user


def window_officer_of(user: Any, *, window: Window) -> Staff:
    """The user's staff record if they are a window officer of the window's centre."""
    member = staff_for_user(user)
    if member is None or member.centre_id != window.centre_id:
        raise window_not_found()
    if Role.WINDOW_OFFICER not in member.role_set():
        raise HallForbidden(code="not_window_officer", message=_("只有窗口工作人员可以叫号"))
    return member


def window_sign_in(*, user: Any, window: Window) -> WindowSession:
    """Sign the officer in to the window; an open session of theirs elsewhere ends."""
    member = window_officer_of(user, window=window)
    if not window.is_active:
        raise HallConflict(code="window_inactive", message=_("该窗口已停用"))
    now = clock.now()
    with transaction.atomic():
        mine = WindowSession.objects.select_for_update().filter(staff=member, ended_at=None).first()
        if mine is not None and mine.window_id == window.pk:
            return mine
        if mine is not None:
            _session_close(mine, now=now)
        try:
            with transaction.atomic():
                return WindowSession.objects.create(window=window, staff=member, started_at=now)
        except IntegrityError:
            raise HallConflict(
                code="window_taken", message=_("该窗口已有其他工作人员签到")
            ) from None


def _session_close(session: WindowSession, *, now) -> None:
    if session.current_ticket_id:
        _ticket_finish(session, now=now)
    session.ended_at = now
    session.save(update_fields=["ended_at", "current_ticket"])


def window_session_for(*, user: Any, window: Window) -> WindowSession:
    """The user's open session at the window, or `not_signed_in` (409)."""
    member = window_officer_of(user, window=window)
    session = WindowSession.objects.filter(window=window, staff=member, ended_at=None).first()
    if session is None:
        raise HallConflict(code="not_signed_in", message=_("请先签到该窗口"))
    return session


def window_sign_out(*, user: Any, window: Window) -> WindowSession:
    """Sign out; the ticket being served is finished."""
    session = window_session_for(user=user, window=window)
    with transaction.atomic():
        session = locks.window_session_lock(session_id=session.pk)
        if session.ended_at is None:
            _session_close(session, now=clock.now())
    return session


def window_pause(*, user: Any, window: Window, paused: bool) -> WindowSession:
    """Pause the window (暂停服务: no calls, not counted in estimates) or resume it."""
    session = window_session_for(user=user, window=window)
    with transaction.atomic():
        session = locks.window_session_lock(session_id=session.pk)
        session.paused = paused
        session.paused_at = clock.now() if paused else None
        session.save(update_fields=["paused", "paused_at"])
    return session


def window_queues(window: Window) -> list[Queue]:
    """The queues the window calls from now: its own, and for a comprehensive window any
    queue of the centre with more than `HALL_HELP_QUEUE_ABOVE` waiting."""
    own = list(window.queues.filter(is_active=True))
    if window.kind != WindowKind.COMPREHENSIVE:
        return own
    above = settings.YICHUANG["HALL_HELP_QUEUE_ABOVE"]
    long_queues = (
        Queue.objects.filter(centre_id=window.centre_id, is_active=True)
        .exclude(pk__in=[q.pk for q in own])
        .annotate(
            waiting=Count(
                "tickets",
                filter=Q(tickets__status=TicketStatus.WAITING, tickets__day=clock.today()),
            )
        )
        .filter(waiting__gt=above)
    )
    return own + list(long_queues)


def _callable_tickets(window: Window):
    queues = window_queues(window)
    return (
        Ticket.objects.filter(
            centre_id=window.centre_id, day=clock.today(), status=TicketStatus.WAITING
        )
        .filter(Q(queue__in=queues, target_window=None) | Q(target_window=window))
        .order_by("rank", "queued_at", "id")
    )


def _locked_session(*, user: Any, window: Window) -> WindowSession:
    session = window_session_for(user=user, window=window)
    session = locks.window_session_lock(session_id=session.pk)
    if session.ended_at is not None:
        raise HallConflict(code="not_signed_in", message=_("请先签到该窗口"))
    return session


def _ticket_finish(session: WindowSession, *, now) -> None:
    ticket = locks.ticket_lock(ticket_id=session.current_ticket_id)
    if ticket.status == TicketStatus.CALLED and ticket.window_id == session.window_id:
        ticket.status = TicketStatus.DONE
        ticket.finished_at = now
        ticket.save(update_fields=["status", "finished_at"])
        ticket_event_record(
            ticket=ticket, kind=TicketEventKind.DONE, window=session.window, staff=session.staff
        )
    session.current_ticket = None


def _call(session: WindowSession, ticket: Ticket, *, now, kind: str) -> Ticket:
    ticket.status = TicketStatus.CALLED
    ticket.window = session.window
    ticket.served_by = session.staff
    ticket.target_window = None
    ticket.call_count = 1
    ticket.called_at = now
    ticket.first_called_at = ticket.first_called_at or now
    ticket.save(
        update_fields=[
            "status",
            "window",
            "served_by",
            "target_window",
            "call_count",
            "called_at",
            "first_called_at",
        ]
    )
    session.current_ticket = ticket
    session.save(update_fields=["current_ticket"])
    ticket_event_record(
        ticket=ticket,
        kind=kind,
        window=session.window,
        staff=session.staff,
        data={"window_number": session.window.number},
    )
    return ticket


def ticket_call_next(*, user: Any, window: Window) -> Ticket | None:
    """Finish the ticket being served and call the next one; None when nobody waits."""
    with transaction.atomic():
        session = _locked_session(user=user, window=window)
        if session.paused:
            raise HallConflict(code="window_paused", message=_("窗口已暂停服务，请先恢复"))
        now = clock.now()
        had_ticket = bool(session.current_ticket_id)
        if had_ticket:
            _ticket_finish(session, now=now)
        ticket = locks.ticket_first_unlocked(_callable_tickets(session.window))
        if ticket is None:
            if had_ticket:
                session.save(update_fields=["current_ticket"])
            return None
        return _call(session, ticket, now=now, kind=TicketEventKind.CALLED)


def _current(session: WindowSession) -> Ticket:
    if not session.current_ticket_id:
        raise HallConflict(code="no_current_ticket", message=_("窗口当前没有正在办理的号"))
    return locks.ticket_lock(ticket_id=session.current_ticket_id)


def ticket_recall(*, user: Any, window: Window) -> Ticket:
    """Call the current ticket once more (重呼)."""
    with transaction.atomic():
        session = _locked_session(user=user, window=window)
        ticket = _current(session)
        ticket.call_count += 1
        ticket.called_at = clock.now()
        ticket.save(update_fields=["call_count", "called_at"])
        ticket_event_record(
            ticket=ticket,
            kind=TicketEventKind.RECALLED,
            window=session.window,
            staff=session.staff,
            data={"window_number": session.window.number, "call": ticket.call_count},
        )
    return ticket


def ticket_mark_missed(*, user: Any, window: Window) -> Ticket:
    """Mark the current ticket missed (过号) once it has been called enough times."""
    needed = settings.YICHUANG["HALL_CALLS_BEFORE_MISSED"]
    with transaction.atomic():
        session = _locked_session(user=user, window=window)
        ticket = _current(session)
        if ticket.call_count < needed:
            raise HallConflict(
                code="not_called_enough",
                message=_("已呼叫%(count)s次，呼叫满%(needed)s次后才能过号")
                % {"count": ticket.call_count, "needed": needed},
            )
        ticket.status = TicketStatus.MISSED
        ticket.finished_at = clock.now()
        ticket.save(update_fields=["status", "finished_at"])
        session.current_ticket = None
        session.save(update_fields=["current_ticket"])
        ticket_event_record(
            ticket=ticket, kind=TicketEventKind.MISSED, window=session.window, staff=session.staff
        )
    return ticket


def tickets_recallable(window: Window) -> list[Ticket]:
    """The latest missed tickets of today in the window's queues, newest first."""
    return list(
        Ticket.objects.filter(
            centre_id=window.centre_id,
            day=clock.today(),
            status=TicketStatus.MISSED,
            queue__in=window_queues(window),
        )
        .select_related("queue", "window", "applicant")
        .order_by("-finished_at", "-id")[: settings.YICHUANG["HALL_RECALLABLE_MISSED"]]
    )


def _recallable(window: Window, ticket_id: int) -> Ticket:
    if ticket_id not in {t.pk for t in tickets_recallable(window)}:
        raise HallConflict(code="not_recallable", message=_("只能处理本窗口队列最近过号的号"))
    ticket = locks.ticket_lock(ticket_id=ticket_id)
    if ticket.status != TicketStatus.MISSED:
        raise HallConflict(code="not_recallable", message=_("只能处理本窗口队列最近过号的号"))
    return ticket


def ticket_recall_missed(*, user: Any, window: Window, ticket_id: int) -> Ticket:
    """Call a recently missed ticket at this window now (the current one is finished)."""
    with transaction.atomic():
        session = _locked_session(user=user, window=window)
        if session.paused:
            raise HallConflict(code="window_paused", message=_("窗口已暂停服务，请先恢复"))
        now = clock.now()
        if session.current_ticket_id:
            _ticket_finish(session, now=now)
        ticket = _recallable(session.window, ticket_id)
        ticket.finished_at = None
        return _call(session, ticket, now=now, kind=TicketEventKind.RECALLED)


def ticket_reinsert(*, user: Any, window: Window, ticket_id: int) -> Ticket:
    """Put a recently missed ticket back in its queue, behind those waiting (过号重排)."""
    with transaction.atomic():
        session = _locked_session(user=user, window=window)
        ticket = _recallable(session.window, ticket_id)
        ticket.status = TicketStatus.WAITING
        ticket.queued_at = clock.now()
        ticket.finished_at = None
        ticket.call_count = 0
        ticket.save(update_fields=["status", "queued_at", "finished_at", "call_count"])
        ticket_event_record(
            ticket=ticket,
            kind=TicketEventKind.REINSERTED,
            window=session.window,
            staff=session.staff,
        )
    return ticket


def ticket_transfer(
    *,
    user: Any,
    window: Window,
    to_queue: str = "",
    to_window: int | None = None,
    note: str = "",
) -> Ticket:
    """Send the current ticket to another queue or window with the same number (一票到底).

    It waits there in the priority lane; sent to a window, only that window calls it.
    """
    if not to_queue and to_window is None:
        raise HallError(code="transfer_target_missing", message=_("请选择转往的队列或窗口"))
    with transaction.atomic():
        session = _locked_session(user=user, window=window)
        ticket = _current(session)
        queue = ticket.queue
        if to_queue:
            if "\x00" in to_queue:  # PostgreSQL text cannot hold a NUL: no such queue
                raise queue_not_found()
            queue = Queue.objects.filter(
                centre_id=window.centre_id, code=to_queue.strip().upper(), is_active=True
            ).first()
            if queue is None:
                raise queue_not_found()
        target = None
        if to_window is not None:
            target = Window.objects.filter(
                centre_id=window.centre_id, pk=to_window, is_active=True
            ).first()
            if target is None or target.pk == window.pk:
                raise HallError(code="transfer_target_invalid", message=_("请选择本中心的其他窗口"))
            if not to_queue:
                queue = target.queues.filter(is_active=True).first() or queue
        if target is None and queue.pk == ticket.queue_id:
            raise HallError(code="transfer_target_invalid", message=_("转往的队列与当前队列相同"))
        origin = ticket.queue
        ticket.status = TicketStatus.WAITING
        ticket.queue = queue
        ticket.target_window = target
        ticket.priority = ticket.priority or Priority.TRANSFER
        ticket.rank = 0
        ticket.queued_at = clock.now()
        ticket.call_count = 0
        ticket.save(
            update_fields=[
                "status",
                "queue",
                "target_window",
                "priority",
                "rank",
                "queued_at",
                "call_count",
            ]
        )
        session.current_ticket = None
        session.save(update_fields=["current_ticket"])
        ticket_event_record(
            ticket=ticket,
            kind=TicketEventKind.TRANSFERRED,
            window=session.window,
            staff=session.staff,
            data={
                "from_queue": origin.code,
                "to_queue": queue.code,
                "to_window": target.number if target else None,
                "note": note.strip()[:200],
            },
        )
    return ticket


def ticket_finish(*, user: Any, window: Window) -> Ticket:
    """Finish serving the current ticket (办结) without calling the next."""
    with transaction.atomic():
        session = _locked_session(user=user, window=window)
        ticket = _current(session)
        _ticket_finish(session, now=clock.now())
        session.save(update_fields=["current_ticket"])
        ticket.refresh_from_db()
    return ticket


def tickets_expire(*, before) -> int:
    """Tickets of days before `before` still waiting or being served end (当日未叫号 /
    办结); windows' sessions of those days are closed. Run daily (`yichuang sweep-hall`)."""
    now = clock.now()
    expired = 0
    with transaction.atomic():
        for ticket in Ticket.objects.select_for_update().filter(
            day__lt=before, status=TicketStatus.WAITING
        ):
            ticket.status = TicketStatus.EXPIRED
            ticket.save(update_fields=["status"])
            ticket_event_record(ticket=ticket, kind=TicketEventKind.EXPIRED)
            expired += 1
        for session in WindowSession.objects.select_for_update().filter(
            ended_at=None, started_at__date__lt=before
        ):
            _session_close(session, now=now)
    return expired
