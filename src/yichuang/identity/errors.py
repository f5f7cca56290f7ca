"""Errors of the identity app: each has a machine `code` and a Chinese `message`."""

from __future__ import annotations

from yichuang.common.errors import Conflict, DomainError


class IdentityValidationError(DomainError):
    """An identity number (resident ID, USCC) failed validation (HTTP 422).

    `code` is one of the machine codes of `identity.validation` (`wrong_length`,
    `bad_check_digit`, …).
    """


class ApplicantConflict(Conflict):
    """An applicant with the same kind and number already exists (HTTP 409)."""
