"""The self-service kiosk (自助终端): pairing a terminal's browser, a person signing in with
their ID card, taking a number there.

A kiosk row keeps only the SHA-256 of its pairing token; the token is shown once when the
kiosk is made and the browser keeps it in a signed, HttpOnly cookie, checked against the
hash on every request (a deactivated kiosk or a renewed token stops the old browser).

A person signs in with the ID card a reader reads (number and name). The card is
authoritative: an unknown number registers the person; a known number must come with the
registered name. A sign-in is a `KioskSession` whose random key the kiosk's browser keeps
in its Django session; it ends on 退出, when the next person signs in, or — checked on
the next request — after `KIOSK_IDLE_SECONDS` without a touch.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import re
import secrets

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from yichuang.common import clock
from yichuang.hall.errors import HallConflict, HallError, HallForbidden
from yichuang.hall.models import Kiosk, KioskSession, TakenVia, Ticket
from yichuang.hall.services.tickets import ticket_take
from yichuang.identity.models import Applicant, ApplicantKind
from yichuang.identity.services import applicant_get_or_create
from yichuang.identity.validation import validate_resident_id
from yichuang.orgs.models import Centre

NAME_MAX_LENGTH = 50
_CODE = re.compile(r"^[a-z0-9][a-z0-9_-]{0,39}$")


class EndReason:
    SIGNED_OUT = "signed_out"
    IDLE = "idle"
    REPLACED = "replaced"


def kiosk_token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def kiosk_not_paired() -> HallForbidden:
    return HallForbidden(
        code="kiosk_not_paired", message=_("本终端尚未激活，请联系大厅工作人员进行配对")
    )


def kiosk_create(*, centre: Centre, code: str, name: str, location: str = "") -> tuple[Kiosk, str]:
    """Register a kiosk of the centre; returns it with its pairing token (shown only now)."""
    code = (code or "").strip().lower()
    if not _CODE.match(code):
        raise HallError(
            code="invalid_kiosk_code",
            message=_("终端编号只能包含小写字母、数字、横线和下划线，最长 40 个字符"),
            field="code",
        )
    name = (name or "").strip()
    if not name or len(name) > 100:
        raise HallError(
            code="invalid_kiosk_name", message=_("请填写终端名称（最长 100 个字符）"), field="name"
        )
    if len(location) > 100:
        raise HallError(
            code="invalid_kiosk_location", message=_("位置最长 100 个字符"), field="location"
        )
    token = secrets.token_urlsafe(32)
    try:
        with transaction.atomic():
            kiosk = Kiosk.objects.create(
                centre=centre,
                code=code,
                name=name,
                location=location.strip(),
                token_hash=kiosk_token_hash(token),
            )
    except IntegrityError:
        raise HallConflict(
            code="kiosk_code_taken", message=_("该终端编号已被使用"), field="code"
        ) from None
    return kiosk, token


def kiosk_token_renew(*, kiosk: Kiosk) -> str:
    """A new pairing token for the kiosk; the browser paired with the old one is refused."""
    token = secrets.token_urlsafe(32)
    kiosk.token_hash = kiosk_token_hash(token)
    kiosk.save(update_fields=["token_hash", "updated_at"])
    return token


def kiosk_for_token(*, token: str) -> Kiosk:
    """The active kiosk this pairing token belongs to; `kiosk_not_paired` (403) otherwise."""
    if not token or len(token) > 200:
        raise kiosk_not_paired()
    kiosk = (
        Kiosk.objects.select_related("centre")
        .filter(token_hash=kiosk_token_hash(token), is_active=True)
        .exclude(token_hash="")
        .first()
    )
    if kiosk is None:
        raise kiosk_not_paired()
    return kiosk


def _names_match(given: str, registered: str) -> bool:
    def norm(value: str) -> str:
        return re.sub(r"\s+", "", value or "")

    return norm(given) == norm(registered)


def kiosk_sign_in(*, kiosk: Kiosk, id_number: str, name: str) -> KioskSession:
    """Sign in the person whose ID card was read; the previous person at this kiosk is
    signed out. Raises `IdentityValidationError` (a bad number), `HallError` with code
    `name_required` or `name_mismatch`."""
    if not kiosk.is_active:
        raise kiosk_not_paired()
    resident = validate_resident_id(str(id_number or "")[:40], today=clock.today())
    name = (name or "").strip()
    if not name or len(name) > NAME_MAX_LENGTH:
        raise HallError(code="name_required", message=_("未能读取身份证上的姓名"), field="name")
    person = Applicant.objects.filter(
        kind=ApplicantKind.NATURAL_PERSON, id_number=resident.number
    ).first()
    if person is not None and not _names_match(name, person.name):
        raise HallError(
            code="name_mismatch",
            message=_("身份证姓名与登记信息不一致，请到咨询台核实"),
            field="name",
        )
    now = clock.now()
    with transaction.atomic():
        # One person at a kiosk at a time: sign-ins on the same kiosk wait for each other.
        Kiosk.objects.select_for_update().filter(pk=kiosk.pk).first()
        if person is None:
            person, _created = applicant_get_or_create(
                kind=ApplicantKind.NATURAL_PERSON, id_number=resident.number, name=name
            )
        KioskSession.objects.filter(kiosk=kiosk, ended_at=None).update(
            ended_at=now, end_reason=EndReason.REPLACED
        )
        return KioskSession.objects.create(
            kiosk=kiosk,
            applicant=person,
            key=secrets.token_hex(32),
            started_at=now,
            last_touch_at=now,
        )


def kiosk_session_ended() -> HallForbidden:
    return HallForbidden(code="kiosk_session_ended", message=_("已退出登录，请重新刷身份证"))


def _idle_limit() -> dt.timedelta:
    return dt.timedelta(seconds=settings.YICHUANG["KIOSK_IDLE_SECONDS"])


def kiosk_touch(*, kiosk: Kiosk, key: str) -> KioskSession:
    """The open sign-in `key` at this kiosk, its last touch moved to now. A sign-in idle
    longer than `KIOSK_IDLE_SECONDS` is ended (reason "idle") and, like a missing or ended
    one, answers `kiosk_session_ended` (403)."""
    if not key or len(key) > 64:
        raise kiosk_session_ended()
    now = clock.now()
    with transaction.atomic():
        session = (
            KioskSession.objects.select_for_update()
            .filter(kiosk=kiosk, key=key, ended_at=None)
            .first()
        )
        if session is None:
            raise kiosk_session_ended()
        if now - session.last_touch_at > _idle_limit():
            session.ended_at = now
            session.end_reason = EndReason.IDLE
            session.save(update_fields=["ended_at", "end_reason"])
            idle = True
        else:
            session.last_touch_at = now
            session.save(update_fields=["last_touch_at"])
            idle = False
    if idle:
        raise kiosk_session_ended()
    return KioskSession.objects.select_related("applicant", "kiosk__centre").get(pk=session.pk)


def kiosk_sign_out(*, kiosk: Kiosk, key: str, reason: str = EndReason.SIGNED_OUT) -> None:
    """End the sign-in `key` at this kiosk (退出, or the page's idle timer); no-op if it
    has ended already."""
    if reason not in (EndReason.SIGNED_OUT, EndReason.IDLE):
        reason = EndReason.SIGNED_OUT
    if not key or len(key) > 64:
        return
    KioskSession.objects.filter(kiosk=kiosk, key=key, ended_at=None).update(
        ended_at=clock.now(), end_reason=reason
    )


def kiosk_ticket_take(*, session: KioskSession, queue_code: str, priority: str = "") -> Ticket:
    """Take a number for the signed-in person at the kiosk's centre. The person's ID number
    goes along, so the elderly get the priority lane by themselves; no rate limit (the
    person is identified)."""
    person = session.applicant
    return ticket_take(
        centre=session.kiosk.centre,
        queue_code=str(queue_code or "")[:1],
        via=TakenVia.KIOSK,
        priority=str(priority or "")[:20],
        id_number=person.id_number,
        applicant=person,
    )
