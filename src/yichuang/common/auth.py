"""Authentication of the JSON API: bearer tokens for staff and systems, the session for
the browser.

Routers that need a logged-in caller use `auth=API_AUTH`. The bearer token is tried first
(`Authorization: Bearer <token>` from `POST /api/v1/auth/token`); without one, Django's
session cookie, with the CSRF token required on unsafe methods (django-ninja checks it in
its cookie-based auth classes: header `X-CSRFToken` or the form field).
"""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from ninja.security import HttpBearer, SessionAuth

# Longer than any token we issue (43 characters): not worth hashing.
MAX_TOKEN_LENGTH = 200


class BearerTokenAuth(HttpBearer):
    """`Authorization: Bearer <token>`: an unexpired token of an active user."""

    def authenticate(self, request: HttpRequest, token: str) -> Any:
        from yichuang.identity.tokens import token_user

        token = token.strip()
        if not token or len(token) > MAX_TOKEN_LENGTH:
            return None
        found = token_user(token=token)
        if found is None:
            return None
        user, row = found
        request.user = user
        request.api_token = row  # type: ignore[attr-defined]
        return user


class SessionCsrfAuth(SessionAuth):
    """django-ninja's `django_auth`, except that a request without a logged-in session is
    simply unauthenticated (401) instead of failing the CSRF check first (403): there is
    no session to forge. With a session, unsafe methods still need the CSRF token.

    A request that presents an `Authorization` header is an API client: its token decides,
    and a wrong token is 401 even when a session cookie comes along."""

    def __call__(self, request: HttpRequest) -> Any:
        if request.headers.get("Authorization"):
            return None
        user = getattr(request, "user", None)
        if user is None or not user.is_authenticated:
            return None
        return super().__call__(request)


session_auth = SessionCsrfAuth()

API_AUTH = [BearerTokenAuth(), session_auth]
