"""SMS backends. The setting YICHUANG["SMS_BACKEND"] names the class (dotted path); an
instance is made per SMS and its `send(*, phone, text)` is called after commit.

`LogSmsBackend` (the default) writes one line per SMS to the log "yichuang.sms", with the
phone number masked (138****5678). `MemorySmsBackend` keeps them in `outbox` (tests).
A gateway backend implements the same method and raises on failure; the caller logs the
failure and carries on.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from typing import ClassVar, Protocol

from django.conf import settings
from django.utils.module_loading import import_string

from yichuang.common.masking import mask_phone

logger = logging.getLogger("yichuang.sms")


class SmsBackend(Protocol):
    def send(self, *, phone: str, text: str) -> None: ...


@dataclass(frozen=True)
class Sms:
    phone: str
    text: str


class LogSmsBackend:
    """Writes the SMS to the log instead of sending it."""

    def send(self, *, phone: str, text: str) -> None:
        logger.info("SMS to %s: %s", mask_phone(phone), text)


class MemorySmsBackend:
    """Keeps every SMS in the class-level `outbox` (tests clear it)."""

    outbox: ClassVar[list[Sms]] = []

    def send(self, *, phone: str, text: str) -> None:
        self.outbox.append(Sms(phone=phone, text=text))


def sms_backend() -> SmsBackend:
    return import_string(settings.YICHUANG["SMS_BACKEND"])()
