"""Visitor preferences kept in cookies (no account needed)."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse

LARGE_TEXT_COOKIE = "yc_large_text"
LARGE_TEXT_MAX_AGE = 365 * 24 * 3600


def large_text_enabled(request: HttpRequest) -> bool:
    return request.COOKIES.get(LARGE_TEXT_COOKIE) == "1"


def large_text_set(*, response: HttpResponse, enabled: bool) -> None:
    response.set_cookie(
        LARGE_TEXT_COOKIE,
        "1" if enabled else "0",
        max_age=LARGE_TEXT_MAX_AGE,
        samesite="Lax",
        httponly=False,  # the enhancement script flips it without a round trip
    )
