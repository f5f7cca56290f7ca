"""The visitor's ticket page: no login, the public token is the key."""

from __future__ import annotations

from typing import Any

import segno
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.views.decorators.http import require_POST

from yichuang.common.errors import DomainError
from yichuang.hall import selectors
from yichuang.hall.models import Ticket, TicketStatus
from yichuang.hall.services import tickets

# Statuses in which the page keeps refreshing itself.
LIVE = (TicketStatus.WAITING, TicketStatus.CALLED)
REFRESH_SECONDS = 15


def _qr_svg(url: str) -> str:
    """The page's own address as an inline SVG QR code (follow it on a phone)."""
    return segno.make(url, error="m").svg_inline(scale=4, border=2, title=url)


def _context(request: HttpRequest, ticket: Ticket, **extra: Any) -> dict[str, Any]:
    ahead = tickets.tickets_ahead(ticket)
    url = request.build_absolute_uri(reverse("hall:ticket", args=[ticket.public_token]))
    return {
        "ticket": ticket,
        "ahead": ahead,
        "minutes": tickets.ticket_estimate_minutes(ticket=ticket, ahead=ahead),
        "live": ticket.status in LIVE,
        "refresh_seconds": REFRESH_SECONDS,
        "page_url": url,
        "qr_svg": _qr_svg(url),
        "announcement": selectors.announcement(
            number=ticket.number, window_number=ticket.window.number
        )
        if ticket.status == TicketStatus.CALLED and ticket.window
        else "",
        **extra,
    }


def _ticket(token: str) -> Ticket:
    try:
        return selectors.ticket_get_public(token=token)
    except DomainError as error:
        raise Http404(error.message) from error


def ticket_page(request: HttpRequest, token: str) -> HttpResponse:
    """The visitor's ticket: number, queue, status, window, people ahead, estimated wait;
    with htmx polling the status part alone is answered."""
    ticket = _ticket(token)
    context = _context(request, ticket)
    if request.htmx:
        return render(request, "hall/_ticket_status.html", context)
    return render(request, "hall/ticket.html", context)


@require_POST
def ticket_cancel_page(request: HttpRequest, token: str) -> HttpResponse:
    """Cancel my ticket (only while waiting); a refusal is shown on the ticket page."""
    ticket = _ticket(token)
    try:
        tickets.ticket_cancel(ticket=ticket)
    except DomainError as error:
        ticket.refresh_from_db()
        context = _context(request, ticket, error=error.message)
        return render(request, "hall/ticket.html", context, status=error.status)
    return HttpResponseRedirect(reverse("hall:ticket", args=[token]))
