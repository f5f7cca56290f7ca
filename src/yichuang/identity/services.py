"""Actions on applicants: natural persons (resident ID) and legal persons (USCC).

Numbers are validated by `identity.validation` and stored normalised, so one person or
organisation is one row whatever way the number was typed.
"""

from __future__ import annotations

import datetime as dt

from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from yichuang.common import clock
from yichuang.identity.errors import ApplicantConflict, IdentityValidationError
from yichuang.identity.models import Applicant, ApplicantKind, User
from yichuang.identity.validation import validate_resident_id, validate_uscc


def applicant_number_normalize(*, kind: str, id_number: str, today: dt.date | None = None) -> str:
    """The validated, normalised number of an applicant of `kind`; raises on a bad number."""
    try:
        if kind == ApplicantKind.NATURAL_PERSON:
            return validate_resident_id(id_number, today=today or clock.today()).number
        if kind == ApplicantKind.LEGAL_PERSON:
            return validate_uscc(id_number)
    except IdentityValidationError as error:
        error.field = "id_number"
        raise
    raise IdentityValidationError(code="unknown_kind", message=_("未知的申请人类型"), field="kind")


def applicant_check_new(*, kind: str, id_number: str) -> str:
    """Validate the number of a new applicant and that it is free; return it normalised."""
    number = applicant_number_normalize(kind=kind, id_number=id_number)
    if Applicant.objects.filter(kind=kind, id_number=number).exists():
        raise _conflict()
    return number


def _check_details(*, kind: str, name: str, legal_representative_id: str) -> str:
    if not name.strip():
        raise IdentityValidationError(
            code="name_required", message=_("请填写申请人名称"), field="name"
        )
    if not legal_representative_id:
        return ""
    if kind != ApplicantKind.LEGAL_PERSON:
        raise IdentityValidationError(
            code="representative_for_natural_person",
            message=_("自然人无需填写法定代表人"),
            field="legal_representative_id",
        )
    try:
        return validate_resident_id(legal_representative_id, today=clock.today()).number
    except IdentityValidationError as error:
        error.field = "legal_representative_id"
        raise


def applicant_create(
    *,
    kind: str,
    id_number: str,
    name: str,
    phone: str = "",
    legal_representative: str = "",
    legal_representative_id: str = "",
    credit_restricted: bool = False,
    user: User | None = None,
) -> Applicant:
    """Create an applicant; `ApplicantConflict` if one with the same number exists."""
    number = applicant_check_new(kind=kind, id_number=id_number)
    representative_id = _check_details(
        kind=kind, name=name, legal_representative_id=legal_representative_id
    )
    try:
        with transaction.atomic():
            return Applicant.objects.create(
                kind=kind,
                id_number=number,
                name=name.strip(),
                phone=phone.strip(),
                legal_representative=legal_representative.strip(),
                legal_representative_id=representative_id,
                credit_restricted=credit_restricted,
                user=user,
            )
    except IntegrityError:
        raise _conflict() from None


def applicant_get_or_create(
    *,
    kind: str,
    id_number: str,
    name: str,
    phone: str = "",
    legal_representative: str = "",
    legal_representative_id: str = "",
) -> tuple[Applicant, bool]:
    """The applicant with this number, created if missing; `(applicant, created)`.

    An existing applicant is returned unchanged (the details given are used only to create).
    """
    number = applicant_number_normalize(kind=kind, id_number=id_number)
    existing = Applicant.objects.filter(kind=kind, id_number=number).first()
    if existing is not None:
        return existing, False
    try:
        return (
            applicant_create(
                kind=kind,
                id_number=number,
                name=name,
                phone=phone,
                legal_representative=legal_representative,
                legal_representative_id=legal_representative_id,
            ),
            True,
        )
    except ApplicantConflict:
        # Created concurrently between the lookup and the insert.
        return Applicant.objects.get(kind=kind, id_number=number), False


def applicant_update(
    *,
    applicant: Applicant,
    name: str,
    phone: str = "",
    legal_representative: str = "",
    legal_representative_id: str = "",
    credit_restricted: bool = False,
) -> Applicant:
    """Change an applicant's details; the kind and number never change.

    `credit_restricted` (失信联合惩戒) excludes the applicant from acceptance with pending
    materials (RULES.md §4)."""
    representative_id = _check_details(
        kind=applicant.kind, name=name, legal_representative_id=legal_representative_id
    )
    with transaction.atomic():
        applicant.name = name.strip()
        applicant.phone = phone.strip()
        applicant.legal_representative = legal_representative.strip()
        applicant.legal_representative_id = representative_id
        applicant.credit_restricted = credit_restricted
        applicant.save(
            update_fields=[
                "name",
                "phone",
                "legal_representative",
                "legal_representative_id",
                "credit_restricted",
                "updated_at",
            ]
        )
    return applicant


def _conflict() -> ApplicantConflict:
    return ApplicantConflict(
        code="applicant_exists", message=_("该证件号码的申请人已存在"), field="id_number"
    )
