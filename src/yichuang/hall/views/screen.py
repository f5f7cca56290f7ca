"""The calling screen (叫号屏): a TV page in the hall, no login, no personal data.

The page renders the current state once and then polls `GET /api/v1/hall/screen` about
every second (plain JavaScript, hall/static/hall/screen.js).
"""

from __future__ import annotations

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse

from yichuang.hall import selectors
from yichuang.hall.errors import HallNotFound

POLL_MILLISECONDS = 1000


def screen_page(request: HttpRequest) -> HttpResponse:
    """The calling screen of `?centre=<code>`, by default the portal's centre."""
    code = request.GET.get("centre", "")[:40] or None
    try:
        centre = selectors.hall_centre(code)
    except HallNotFound as error:
        return render(request, "hall/screen/missing.html", {"message": error.message}, status=404)
    state = selectors.screen_state(centre=centre)
    last_event_id = max((call.event_id for call in state["last_calls"]), default=0)
    context = {
        "time_zone": settings.TIME_ZONE,
        **state,
        "api_url": reverse("api:screen") + f"?centre={centre.code}",
        "poll_ms": POLL_MILLISECONDS,
        "last_event_id": last_event_id,
    }
    return render(request, "hall/screen/screen.html", context)
