"""The window officer's calling panel (叫号面板) on the window desk (/desk/).

The officer signs in to a window of their centre, calls the next ticket, recalls it, marks
it missed, transfers it, pauses the window and finishes; every action goes through
`hall.services.calling`. With htmx an action answers the panel alone; without JavaScript
it is a plain POST answered by a redirect to the desk, the outcome carried by a message.
A refused action is a Chinese message on the panel, never an error page.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from yichuang.common import clock
from yichuang.common.errors import DomainError
from yichuang.hall import selectors
from yichuang.hall.errors import HallError, HallNotFound
from yichuang.hall.models import Queue, Ticket, TicketStatus, WindowSession
from yichuang.hall.services import calling, linking
from yichuang.orgs.models import Role, Staff, Window
from yichuang.orgs.selectors import staff_for_user

TAG = "calling"
_MAX_ID = 2**31 - 1


@dataclass(frozen=True)
class WindowChoice:
    window: Window
    taken_by: str  # the officer signed in there, "" when free


@dataclass(frozen=True)
class CurrentTicket:
    ticket: Ticket
    applicant_name: str
    waited_minutes: int
    calls_needed: int

    @property
    def missable(self) -> bool:
        return self.ticket.call_count >= self.calls_needed


def _officer(user: Any) -> Staff | None:
    member = staff_for_user(user)
    if member is None or Role.WINDOW_OFFICER not in member.role_set():
        return None
    return member


def _windows(member: Staff) -> list[WindowChoice]:
    taken = {
        s.window_id: s.staff.name
        for s in WindowSession.objects.filter(
            window__centre=member.centre, ended_at=None
        ).select_related("staff")
    }
    windows = Window.objects.filter(centre=member.centre, is_active=True).order_by("number")
    return [WindowChoice(window=w, taken_by=taken.get(w.pk, "")) for w in windows]


def _current(ticket: Ticket | None) -> CurrentTicket | None:
    if ticket is None:
        return None
    waited_until = ticket.first_called_at or clock.now()
    return CurrentTicket(
        ticket=ticket,
        applicant_name=ticket.applicant.name if ticket.applicant else "",
        waited_minutes=max(math.floor((waited_until - ticket.taken_at).total_seconds() / 60), 0),
        calls_needed=settings.YICHUANG["HALL_CALLS_BEFORE_MISSED"],
    )


def panel_context(request: HttpRequest) -> dict[str, Any] | None:
    """What the panel shows to the signed-in user; None for anyone but a window officer."""
    member = _officer(request.user)
    if member is None:
        return None
    notes = [m for m in messages.get_messages(request) if TAG in m.tags]
    session = selectors.window_session_open(user=request.user)
    if session is None:
        return {"session": None, "windows": _windows(member), "notes": notes}
    window = session.window
    own = [q.pk for q in calling.window_queues(window)]
    ticket = (
        Ticket.objects.select_related("queue", "applicant")
        .filter(pk=session.current_ticket_id)
        .first()
        if session.current_ticket_id
        else None
    )
    return {
        "session": session,
        "window": window,
        "queues": selectors.queues_with_waiting(centre=member.centre).filter(pk__in=own),
        "for_window": Ticket.objects.filter(
            target_window=window, status=TicketStatus.WAITING, day=clock.today()
        ).count(),
        "current": _current(ticket),
        "missed": calling.tickets_recallable(window),
        "transfer_queues": Queue.objects.filter(centre=member.centre, is_active=True).order_by(
            "sort_order", "code"
        ),
        "transfer_windows": Window.objects.filter(centre=member.centre, is_active=True)
        .exclude(pk=window.pk)
        .order_by("number"),
        "notes": notes,
    }


def _panel(request: HttpRequest, **extra: Any) -> HttpResponse:
    context = {"calling": panel_context(request), **extra}
    return render(request, "hall/calling/_panel.html", context)


def _answer(
    request: HttpRequest, *, error: DomainError | None = None, note: str = ""
) -> HttpResponse:
    """The panel (htmx) or a redirect to the desk carrying the outcome (plain POST)."""
    if request.htmx:
        return _panel(
            request,
            error=error.message if error else "",
            error_code=error.code if error else "",
            note=note,
        )
    if error is not None:
        messages.error(request, error.message, extra_tags=f"{TAG} {error.code}")
    elif note:
        messages.info(request, note, extra_tags=TAG)
    return HttpResponseRedirect(reverse("cases:desk") + "#calling-panel")


def _int(value: Any, *, field: str) -> int:
    try:
        number = int(value)
    except (TypeError, ValueError):
        raise HallError(code="invalid_input", message=_("请选择有效的选项"), field=field) from None
    if not 0 < number <= _MAX_ID:
        raise HallError(code="invalid_input", message=_("请选择有效的选项"), field=field)
    return number


def _window(request: HttpRequest, window_id: Any) -> Window:
    return selectors.window_get_for(user=request.user, window_id=_int(window_id, field="window"))


@login_required
def calling_panel(request: HttpRequest) -> HttpResponse:
    """The panel alone (htmx refresh); a plain visit goes to the desk."""
    if not request.htmx:
        return HttpResponseRedirect(reverse("cases:desk") + "#calling-panel")
    return _panel(request)


@login_required
@require_POST
def calling_sign_in(request: HttpRequest) -> HttpResponse:
    try:
        window = _window(request, request.POST.get("window"))
        calling.window_sign_in(user=request.user, window=window)
    except DomainError as error:
        return _answer(request, error=error)
    return _answer(request, note=_("已签到%(window)s") % {"window": window})


def _call_next(request: HttpRequest, window: Window) -> str:
    ticket = calling.ticket_call_next(user=request.user, window=window)
    if ticket is None:
        return _("当前没有等候的号")
    return _("已叫号：%(text)s") % {
        "text": selectors.announcement(number=ticket.number, window_number=window.number)
    }


def _recall(request: HttpRequest, window: Window) -> str:
    ticket = calling.ticket_recall(user=request.user, window=window)
    return _("已重呼%(number)s号（第%(count)s次）") % {
        "number": ticket.number,
        "count": ticket.call_count,
    }


def _missed(request: HttpRequest, window: Window) -> str:
    ticket = calling.ticket_mark_missed(user=request.user, window=window)
    return _("%(number)s号已过号") % {"number": ticket.number}


def _finish(request: HttpRequest, window: Window) -> str:
    ticket = calling.ticket_finish(user=request.user, window=window)
    return _("%(number)s号已办结") % {"number": ticket.number}


def _pause(request: HttpRequest, window: Window) -> str:
    calling.window_pause(user=request.user, window=window, paused=True)
    return _("窗口已暂停服务")


def _resume(request: HttpRequest, window: Window) -> str:
    calling.window_pause(user=request.user, window=window, paused=False)
    return _("窗口已恢复服务")


def _sign_out(request: HttpRequest, window: Window) -> str:
    calling.window_sign_out(user=request.user, window=window)
    return _("已签退%(window)s") % {"window": window}


def _transfer(request: HttpRequest, window: Window) -> str:
    to_queue = (request.POST.get("to_queue") or "").strip()[:8]
    to_window = request.POST.get("to_window") or ""
    ticket = calling.ticket_transfer(
        user=request.user,
        window=window,
        to_queue=to_queue,
        to_window=_int(to_window, field="to_window") if to_window else None,
        note=(request.POST.get("note") or "").replace("\x00", "")[:200],
    )
    if ticket.target_window is not None:
        return _("%(number)s号已转至%(window)s号窗口") % {
            "number": ticket.number,
            "window": ticket.target_window.number,
        }
    return _("%(number)s号已转至%(queue)s") % {"number": ticket.number, "queue": ticket.queue.name}


def _recall_missed(request: HttpRequest, window: Window) -> str:
    ticket_id = _int(request.POST.get("ticket"), field="ticket")
    ticket = calling.ticket_recall_missed(user=request.user, window=window, ticket_id=ticket_id)
    return _("已叫号：%(text)s") % {
        "text": selectors.announcement(number=ticket.number, window_number=window.number)
    }


def _reinsert(request: HttpRequest, window: Window) -> str:
    ticket_id = _int(request.POST.get("ticket"), field="ticket")
    ticket = calling.ticket_reinsert(user=request.user, window=window, ticket_id=ticket_id)
    return _("%(number)s号已重新排队") % {"number": ticket.number}


ACTIONS: dict[str, Callable[[HttpRequest, Window], str]] = {
    "call-next": _call_next,
    "recall": _recall,
    "missed": _missed,
    "finish": _finish,
    "pause": _pause,
    "resume": _resume,
    "sign-out": _sign_out,
    "transfer": _transfer,
    "recall-missed": _recall_missed,
    "reinsert": _reinsert,
}


@login_required
@require_POST
def calling_action(request: HttpRequest, window_id: int, action: str) -> HttpResponse:
    """One action of the panel on the officer's window."""
    try:
        perform = ACTIONS.get(action)
        if perform is None:
            raise HallNotFound(code="unknown_action", message=_("没有这个操作"))
        note = perform(request, _window(request, window_id))
    except DomainError as error:
        return _answer(request, error=error)
    return _answer(request, note=note)


# -- the desk's case opening from the current ticket ----------------------------------


def desk_ticket(request: HttpRequest) -> Ticket | None:
    """The ticket the desk opens a case for (`?ticket=` or the form's `ticket`), when it is
    the one the officer's window serves now."""
    ticket_id = request.POST.get("ticket") or request.GET.get("ticket")
    if not ticket_id or _officer(request.user) is None:
        return None
    try:
        return linking.ticket_current_for(user=request.user, ticket_id=ticket_id)
    except DomainError:
        return None


def open_form_initial(ticket: Ticket | None) -> dict[str, Any]:
    """The case-open form prefilled with the ticket holder, when known."""
    if ticket is None or ticket.applicant is None:
        return {}
    person = ticket.applicant
    return {
        "kind": person.kind,
        "id_number": person.id_number,
        "name": person.name,
        "phone": person.phone,
    }


def desk_context(request: HttpRequest) -> dict[str, Any]:
    """What the desk page adds for the hall: the panel and the ticket a case is opened for."""
    return {"calling": panel_context(request), "desk_ticket": desk_ticket(request)}


def case_link_from_desk(request: HttpRequest, case: Any) -> None:
    """Link the case just opened to the ticket posted with the form, if any (inside the
    opening's transaction: a refused link undoes the case)."""
    ticket_id = request.POST.get("ticket")
    if not ticket_id:
        return
    ticket = linking.ticket_current_for(user=request.user, ticket_id=ticket_id)
    linking.ticket_case_link(user=request.user, ticket=ticket, case=case)
