"""Errors of the orgs app: each has a machine `code` and a Chinese `message`."""

from __future__ import annotations

from yichuang.common.errors import Conflict, DomainError, NotFound


class OrgsError(DomainError):
    """A rule of the organisation was broken (HTTP 422)."""


class OrgsConflict(Conflict):
    """A unique value is already taken (HTTP 409)."""


class CentreNotFound(NotFound):
    """A centre that does not exist or that the caller may not see (HTTP 404)."""
