"""The visitor's ticket page."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from yichuang.hall import selectors
from yichuang.hall.services import tickets


def ticket_page(request: HttpRequest, token: str) -> HttpResponse:
    """The visitor's ticket: number, queue, people ahead, estimated wait (no login)."""
    ticket = selectors.ticket_get_public(token=token)
    ahead = tickets.tickets_ahead(ticket)
    minutes = tickets.ticket_estimate_minutes(ticket=ticket, ahead=ahead)
    return render(
        request,
        "hall/ticket.html",
        {"ticket": ticket, "ahead": ahead, "minutes": minutes},
    )
