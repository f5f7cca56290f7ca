"""Errors of the case engine: each has a machine `code` and a Chinese `message`."""

from __future__ import annotations

from yichuang.common.errors import Conflict, DomainError, Forbidden, NotFound


class CaseError(DomainError):
    """A rule of the case engine was broken (HTTP 422)."""


class CaseConflict(Conflict):
    """The case changed in a way that makes the action impossible now (HTTP 409)."""


class CaseNotFound(NotFound):
    """A case that does not exist or that the caller may not see (HTTP 404)."""


class CaseForbidden(Forbidden):
    """The caller is known but lacks the role for this action (HTTP 403)."""
