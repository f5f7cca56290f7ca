"""API bearer tokens and the login throttle behind `POST /api/v1/auth/token`.

A token is `secrets.token_urlsafe(32)`, shown once; only its SHA-256 is stored
(`ApiToken.key_hash`). Failed logins are counted per user name in `LoginThrottle`, whose
row is locked (`SELECT … FOR UPDATE`) while the password is checked, so concurrent
failures all count. After `LOGIN_MAX_FAILURES` consecutive failures the name is locked
for `LOGIN_LOCK_MINUTES`; a success resets the count. A user name that does not exist
goes through the same steps (the password hasher runs too), so the answer never tells
whether an account exists.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import math
import secrets
from dataclasses import dataclass

from django.conf import settings
from django.db import transaction
from django.utils.translation import gettext as _

from yichuang.common import clock
from yichuang.common.errors import DomainError
from yichuang.identity.models import ApiToken, LoginThrottle, User

PREFIX_LENGTH = 8
# ApiToken.last_used_at is written at most once per this interval.
LAST_USED_RESOLUTION = dt.timedelta(minutes=1)


class InvalidCredentials(DomainError):
    status = 401


class AccountLocked(DomainError):
    status = 429


@dataclass(frozen=True)
class IssuedToken:
    token: str  # the secret, shown once
    expires_at: dt.datetime


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def _invalid() -> InvalidCredentials:
    return InvalidCredentials(code="invalid_credentials", message=_("用户名或密码错误"))


def _locked(*, until: dt.datetime, now: dt.datetime) -> AccountLocked:
    minutes = max(1, math.ceil((until - now).total_seconds() / 60))
    return AccountLocked(
        code="account_locked",
        message=_("登录失败次数过多，账号已暂时锁定，请%(minutes)d分钟后再试")
        % {"minutes": minutes},
    )


def _password_ok(*, username: str, password: str) -> User | None:
    """The active user with this name and password, else None; the hasher always runs."""
    user = User.objects.filter(username=username).first()
    if user is None:
        User().set_password(password)  # the same work as a real check (no enumeration)
        return None
    if not user.check_password(password) or not user.is_active:
        return None
    return user


def credentials_check(*, username: str, password: str) -> User:
    """The active user with these credentials, checked under the login throttle.

    Raises `InvalidCredentials` (401) or `AccountLocked` (429). The failure count is
    committed before the error is raised. Used by the token endpoint and the login page,
    so both share one lockout.
    """
    now = clock.now()
    if "\x00" in username:  # no account has it, and PostgreSQL text cannot hold it
        User().set_password(password)
        raise _invalid()
    error: DomainError | None = None
    with transaction.atomic():
        throttle, _created = LoginThrottle.objects.select_for_update().get_or_create(
            username=username
        )
        if throttle.locked_until is not None and throttle.locked_until > now:
            error = _locked(until=throttle.locked_until, now=now)
        else:
            user = _password_ok(username=username, password=password)
            if user is None:
                _failure_count(throttle=throttle, now=now)
                error = _invalid()
            else:
                if throttle.failures or throttle.locked_until is not None:
                    throttle.failures, throttle.locked_until = 0, None
                    throttle.save(update_fields=["failures", "locked_until"])
                return user
    raise error


def token_issue(*, username: str, password: str) -> IssuedToken:
    """Check the credentials under the throttle (`credentials_check`) and issue a new
    token. Raises `InvalidCredentials` (401) or `AccountLocked` (429)."""
    user = credentials_check(username=username, password=password)
    return _token_create(user=user, now=clock.now())


def _failure_count(*, throttle: LoginThrottle, now: dt.datetime) -> None:
    throttle.failures += 1
    throttle.last_failure_at = now
    if throttle.failures >= settings.YICHUANG["LOGIN_MAX_FAILURES"]:
        # Locked: after the period the name has a fresh series of attempts.
        throttle.locked_until = now + dt.timedelta(minutes=settings.YICHUANG["LOGIN_LOCK_MINUTES"])
        throttle.failures = 0
    throttle.save(update_fields=["failures", "last_failure_at", "locked_until"])


def _token_create(*, user: User, now: dt.datetime) -> IssuedToken:
    token = secrets.token_urlsafe(32)
    expires_at = now + dt.timedelta(hours=settings.YICHUANG["API_TOKEN_HOURS"])
    ApiToken.objects.create(
        user=user,
        key_hash=token_hash(token),
        prefix=token[:PREFIX_LENGTH],
        created_at=now,
        expires_at=expires_at,
    )
    return IssuedToken(token=token, expires_at=expires_at)


def token_user(*, token: str) -> tuple[User, ApiToken] | None:
    """The active user of a valid, unexpired token (and the token row), else None."""
    now = clock.now()
    row = (
        ApiToken.objects.select_related("user")
        .filter(key_hash=token_hash(token), expires_at__gt=now)
        .first()
    )
    if row is None or not row.user.is_active:
        return None
    if row.last_used_at is None or now - row.last_used_at >= LAST_USED_RESOLUTION:
        row.last_used_at = now
        ApiToken.objects.filter(pk=row.pk).update(last_used_at=now)
    return row.user, row


def token_revoke(*, token: ApiToken) -> None:
    """Delete the token: it no longer authenticates."""
    ApiToken.objects.filter(pk=token.pk).delete()
