"""Domain errors: a machine code and a translated message; the API maps them to 4xx."""

from __future__ import annotations

from typing import Any


class DomainError(Exception):
    """A rule was broken by the caller's input. Never a programming error."""

    status: int = 422

    def __init__(
        self,
        *,
        code: str,
        message: str,
        field: str | None = None,
        details: Any = None,
    ) -> None:
        super().__init__(f"{code}: {message}")
        self.code = code
        self.message = str(message)
        self.field = field
        self.details = details

    def as_dict(self) -> dict[str, Any]:
        body: dict[str, Any] = {"code": self.code, "message": self.message}
        if self.field is not None:
            body["field"] = self.field
        if self.details is not None:
            body["details"] = self.details
        return body


class NotFound(DomainError):
    """Missing, or not visible to the caller: both look the same from outside."""

    status = 404


class Forbidden(DomainError):
    status = 403


class Conflict(DomainError):
    status = 409
