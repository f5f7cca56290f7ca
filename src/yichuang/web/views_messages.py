"""我的消息: the in-app messages the notifications app sent the user, newest first, with
mark-as-read per message and for all. Thin views over `notifications.selectors/services`."""

from __future__ import annotations

from django.contrib import messages as flash
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from yichuang.common import clock
from yichuang.common.errors import NotFound
from yichuang.notifications import selectors, services

PAGE_SIZE = 20
MAX_ID = 2**63 - 1  # the largest primary key the database holds


@login_required
def my_messages(request: HttpRequest) -> HttpResponse:
    paginator = Paginator(selectors.messages_for(user=request.user), PAGE_SIZE)
    page = paginator.get_page(request.GET.get("page"))
    context = {
        "page": page,
        "unread": selectors.messages_unread_count(user=request.user),
        "nav_section": "messages",
    }
    return render(request, "web/messages.html", context)


def _back(request: HttpRequest) -> HttpResponse:
    page = request.POST.get("page") or ""
    suffix = f"?page={page}" if page.isdigit() and page != "1" else ""
    return redirect(f"/my/messages/{suffix}")


@login_required
@require_POST
def message_read(request: HttpRequest, pk: int) -> HttpResponse:
    try:
        if pk > MAX_ID:
            raise NotFound(code="message_not_found", message=_("未找到该消息"))
        services.message_mark_read(user=request.user, message_id=pk)
    except NotFound:
        context = {"not_found_message": _("未找到该消息。")}
        return render(request, "404.html", context, status=404)
    return _back(request)


@login_required
@require_POST
def messages_read_all(request: HttpRequest) -> HttpResponse:
    count = selectors.messages_for(user=request.user, unread_only=True).update(read_at=clock.now())
    if count:
        flash.success(request, _("已将 %(count)d 条消息标为已读") % {"count": count})
    return _back(request)
