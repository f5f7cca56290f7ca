"""The hall API at /api/v1/hall: queues and taking a number (public), the calling screen
(public), the window's calling actions (the officer signed in to that window).

Anonymous takers are limited per client address (`HALL_ANONYMOUS_TICKETS_PER_HOUR`);
a caller with a staff bearer token is not. Handlers parse, call one service or selector,
render.
"""

from __future__ import annotations

import math
from typing import Any

from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Field, Path, Query, Router, Schema
from ninja.errors import AuthenticationError
from ninja.responses import Status

from yichuang.common import clock
from yichuang.common.auth import API_AUTH, BearerTokenAuth
from yichuang.common.schemas import ErrorOut
from yichuang.hall import selectors
from yichuang.hall.models import TakenVia, Ticket
from yichuang.hall.schemas import (
    NO_NUL,
    CalledOut,
    MissedTicketIn,
    QueueOut,
    ScreenOut,
    SessionOut,
    TicketIn,
    TicketOut,
    TransferIn,
    ticket_out,
)
from yichuang.hall.services import calling, tickets
from yichuang.orgs.selectors import staff_for_user

router = Router(tags=["办事大厅"])

_MAX_ID = 2**31 - 1
TOKEN = {"max_length": 64, "pattern": NO_NUL, "description": "排队号凭证"}
ACTION_ERRORS = {401: ErrorOut, 403: ErrorOut, 404: ErrorOut, 409: ErrorOut, 422: ErrorOut}


class CentreQuery(Schema):
    centre: str = Field(
        "", pattern=NO_NUL, max_length=40, description="服务中心代码（默认门户中心）"
    )


def _client(request: HttpRequest) -> str:
    return request.META.get("REMOTE_ADDR", "") or "unknown"


def _staff_token_user(request: HttpRequest) -> Any:
    """The staff user behind a bearer token, None without one; a bad token is 401."""
    if not request.headers.get("Authorization"):
        return None
    user = BearerTokenAuth()(request)
    if user is None:
        raise AuthenticationError()
    return user if staff_for_user(user) is not None else None


@router.get(
    "/queues",
    response={200: list[QueueOut], 404: ErrorOut, 422: ErrorOut},
    auth=None,
    summary="排队队列与等候人数",
)
def queue_list(request: HttpRequest, filters: Query[CentreQuery]):
    centre = selectors.hall_centre(filters.centre or None)
    return list(selectors.queues_with_waiting(centre=centre))


def ticket_render(ticket: Ticket) -> dict[str, Any]:
    ahead = tickets.tickets_ahead(ticket)
    return ticket_out(
        ticket, ahead=ahead, minutes=tickets.ticket_estimate_minutes(ticket=ticket, ahead=ahead)
    )


@router.post(
    "/tickets",
    response={
        201: TicketOut,
        401: ErrorOut,
        404: ErrorOut,
        409: ErrorOut,
        422: ErrorOut,
        429: ErrorOut,
    },
    auth=None,
    summary="取号",
)
def ticket_take(request: HttpRequest, payload: TicketIn):
    staff_user = _staff_token_user(request)
    centre = selectors.hall_centre(payload.centre or None)
    if staff_user is None:
        tickets.anonymous_take_check(client=_client(request))
    ticket = tickets.ticket_take(
        centre=centre,
        queue_code=payload.queue,
        priority=payload.priority,
        id_number=payload.id_number,
        via=TakenVia.WINDOW if staff_user is not None else TakenVia.API,
    )
    return Status(201, ticket_render(ticket))


@router.get(
    "/tickets/{token}",
    response={200: TicketOut, 404: ErrorOut, 422: ErrorOut},
    auth=None,
    summary="排队号进度",
)
def ticket_read(request: HttpRequest, token: Path[str, TOKEN]):
    return ticket_render(selectors.ticket_get_public(token=token))


@router.get(
    "/screen", response={200: ScreenOut, 404: ErrorOut, 422: ErrorOut}, auth=None, summary="叫号屏"
)
def screen(request: HttpRequest, filters: Query[CentreQuery]):
    state = selectors.screen_state(centre=selectors.hall_centre(filters.centre or None))
    centre = state.pop("centre")
    return {**state, "centre": centre.code, "centre_name": centre.name}


# The window's actions. Each needs the officer signed in to that window (sign-in aside).


def _window(request: HttpRequest, window_id: int):
    return selectors.window_get_for(user=request.auth, window_id=window_id)


def called_out(ticket: Ticket) -> dict[str, Any]:
    start = ticket.first_called_at or clock.now()
    return {
        "id": ticket.pk,
        "number": ticket.number,
        "queue": ticket.queue.code,
        "queue_name": ticket.queue.name,
        "priority": ticket.priority,
        "priority_label": ticket.get_priority_display() if ticket.priority else "",
        "call_count": ticket.call_count,
        "window_number": ticket.window.number if ticket.window_id else 0,
        "waited_minutes": max(0, math.floor((start - ticket.taken_at).total_seconds() / 60)),
        "applicant_name": ticket.applicant.name if ticket.applicant_id else None,
        "text": selectors.announcement(
            number=ticket.number, window_number=ticket.window.number if ticket.window_id else 0
        ),
    }


def session_out(session) -> dict[str, Any]:
    return {
        "window": session.window_id,
        "window_number": session.window.number,
        "window_name": session.window.name,
        "paused": session.paused,
        "started_at": session.started_at,
        "ended_at": session.ended_at,
        "current": session.current_ticket.number if session.current_ticket_id else None,
    }


WindowId = Path[int, {"ge": 1, "le": _MAX_ID, "description": "窗口 ID"}]


@router.post(
    "/windows/{window_id}/sign-in",
    response={200: SessionOut, **ACTION_ERRORS},
    auth=API_AUTH,
    summary="窗口签到",
)
def window_sign_in(request: HttpRequest, window_id: WindowId):
    return session_out(
        calling.window_sign_in(user=request.auth, window=_window(request, window_id))
    )


@router.post(
    "/windows/{window_id}/sign-out",
    response={200: SessionOut, **ACTION_ERRORS},
    auth=API_AUTH,
    summary="窗口签退",
)
def window_sign_out(request: HttpRequest, window_id: WindowId):
    return session_out(
        calling.window_sign_out(user=request.auth, window=_window(request, window_id))
    )


@router.post(
    "/windows/{window_id}/pause",
    response={200: SessionOut, **ACTION_ERRORS},
    auth=API_AUTH,
    summary="暂停服务",
)
def window_pause(request: HttpRequest, window_id: WindowId):
    window = _window(request, window_id)
    return session_out(calling.window_pause(user=request.auth, window=window, paused=True))


@router.post(
    "/windows/{window_id}/resume",
    response={200: SessionOut, **ACTION_ERRORS},
    auth=API_AUTH,
    summary="恢复服务",
)
def window_resume(request: HttpRequest, window_id: WindowId):
    window = _window(request, window_id)
    return session_out(calling.window_pause(user=request.auth, window=window, paused=False))


@router.post(
    "/windows/{window_id}/call-next",
    response={200: CalledOut, **ACTION_ERRORS},
    auth=API_AUTH,
    summary="叫下一位",
)
def call_next(request: HttpRequest, window_id: WindowId):
    ticket = calling.ticket_call_next(user=request.auth, window=_window(request, window_id))
    if ticket is None:
        return Status(404, {"code": "nobody_waiting", "message": _("当前没有等候的号")})
    return called_out(ticket)


@router.post(
    "/windows/{window_id}/recall",
    response={200: CalledOut, **ACTION_ERRORS},
    auth=API_AUTH,
    summary="重呼",
)
def recall(request: HttpRequest, window_id: WindowId):
    return called_out(calling.ticket_recall(user=request.auth, window=_window(request, window_id)))


@router.post(
    "/windows/{window_id}/missed",
    response={200: CalledOut, **ACTION_ERRORS},
    auth=API_AUTH,
    summary="过号",
)
def mark_missed(request: HttpRequest, window_id: WindowId):
    window = _window(request, window_id)
    return called_out(calling.ticket_mark_missed(user=request.auth, window=window))


@router.post(
    "/windows/{window_id}/finish",
    response={200: CalledOut, **ACTION_ERRORS},
    auth=API_AUTH,
    summary="办结当前号",
)
def finish(request: HttpRequest, window_id: WindowId):
    return called_out(calling.ticket_finish(user=request.auth, window=_window(request, window_id)))


@router.post(
    "/windows/{window_id}/transfer",
    response={200: CalledOut, **ACTION_ERRORS},
    auth=API_AUTH,
    summary="转办（一票到底）",
)
def transfer(request: HttpRequest, window_id: WindowId, payload: TransferIn):
    ticket = calling.ticket_transfer(
        user=request.auth,
        window=_window(request, window_id),
        to_queue=payload.queue,
        to_window=payload.window,
        note=payload.note,
    )
    return called_out(ticket)


@router.get(
    "/windows/{window_id}/missed",
    response={200: list[CalledOut], **ACTION_ERRORS},
    auth=API_AUTH,
    summary="最近过号",
)
def missed_list(request: HttpRequest, window_id: WindowId):
    window = _window(request, window_id)
    calling.window_session_for(user=request.auth, window=window)
    return [called_out(t) for t in calling.tickets_recallable(window)]


@router.post(
    "/windows/{window_id}/recall-missed",
    response={200: CalledOut, **ACTION_ERRORS},
    auth=API_AUTH,
    summary="过号重呼",
)
def recall_missed(request: HttpRequest, window_id: WindowId, payload: MissedTicketIn):
    ticket = calling.ticket_recall_missed(
        user=request.auth, window=_window(request, window_id), ticket_id=payload.ticket
    )
    return called_out(ticket)


@router.post(
    "/windows/{window_id}/reinsert",
    response={200: CalledOut, **ACTION_ERRORS},
    auth=API_AUTH,
    summary="过号重新排队",
)
def reinsert(request: HttpRequest, window_id: WindowId, payload: MissedTicketIn):
    ticket = calling.ticket_reinsert(
        user=request.auth, window=_window(request, window_id), ticket_id=payload.ticket
    )
    return called_out(ticket)


# Appointments (预约办事): their own module, mounted here.
from yichuang.hall.api_appointments import router as appointments_router  # noqa: E402

router.add_router("", appointments_router)

# -- assisted handling and home visits (own modules) -------------------------------------
from yichuang.hall.api_assistance import router as assistance_router  # noqa: E402
from yichuang.hall.api_home_visits import router as home_visits_router  # noqa: E402

router.add_router("", assistance_router)
router.add_router("", home_visits_router)

from yichuang.hall.api_figures import router as figures_router  # noqa: E402

router.add_router("", figures_router)
