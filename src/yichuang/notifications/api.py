"""`/api/v1/messages`: the caller's in-app messages (token or session)."""

from __future__ import annotations

import datetime as dt
from typing import Annotated

from django.http import HttpRequest
from ninja import Field, Path, Query, Router, Schema

from yichuang.common.auth import API_AUTH
from yichuang.common.schemas import ErrorOut
from yichuang.notifications import selectors, services
from yichuang.notifications.models import Message

router = Router(tags=["站内消息"], auth=API_AUTH)

MAX_PAGE = 10_000
MAX_ID = 2**63 - 1  # the largest primary key the database holds


class MessageOut(Schema):
    id: int
    kind: str = Field(description="事件，例如 accepted、correction_requested、concluded")
    title: str
    body: str
    case_number: str | None = Field(description="相关办件编号")
    created_at: dt.datetime
    read_at: dt.datetime | None


class MessagePage(Schema):
    count: int = Field(description="符合条件的消息总数")
    unread: int = Field(description="未读消息数")
    page: int
    page_size: int
    items: list[MessageOut]


class PageIn(Schema):
    page: int = Field(1, ge=1, le=MAX_PAGE, description="页码，从 1 开始")
    page_size: int = Field(20, ge=1, le=100, description="每页条数")
    unread_only: bool = Field(False, description="只看未读")


def _out(message: Message) -> dict:
    return {
        "id": message.pk,
        "kind": message.kind,
        "title": message.title,
        "body": message.body,
        "case_number": message.case.number if message.case is not None else None,
        "created_at": message.created_at,
        "read_at": message.read_at,
    }


@router.get(
    "",
    response={200: MessagePage, 401: ErrorOut, 422: ErrorOut},
    summary="我的站内消息（最新在前）",
)
def messages_list(request: HttpRequest, filters: Query[PageIn]):
    messages = selectors.messages_for(user=request.auth, unread_only=filters.unread_only)
    start = (filters.page - 1) * filters.page_size
    return {
        "count": messages.count(),
        "unread": selectors.messages_unread_count(user=request.auth),
        "page": filters.page,
        "page_size": filters.page_size,
        "items": [_out(m) for m in messages[start : start + filters.page_size]],
    }


@router.post(
    "/{message_id}/read",
    response={200: MessageOut, 401: ErrorOut, 403: ErrorOut, 404: ErrorOut, 422: ErrorOut},
    summary="标记消息为已读",
)
def message_read(
    request: HttpRequest,
    message_id: Annotated[int, Path(ge=1, le=MAX_ID, description="消息编号")],
):
    return _out(services.message_mark_read(user=request.auth, message_id=message_id))
