"""Applicant services: validated, normalised, unique."""

from __future__ import annotations

import pytest

from yichuang.identity import services
from yichuang.identity.errors import ApplicantConflict, IdentityValidationError
from yichuang.identity.models import Applicant, ApplicantKind

pytestmark = pytest.mark.django_db

RESIDENT_ID = "11010519491231002X"
USCC = "91350100M000100Y43"


def test_natural_person_is_stored_normalised():
    applicant = services.applicant_create(
        kind=ApplicantKind.NATURAL_PERSON, id_number=" 11010519491231002x ", name="张三"
    )

    assert applicant.id_number == RESIDENT_ID


def test_legal_person_with_letters_is_stored_upper_case():
    applicant = services.applicant_create(
        kind=ApplicantKind.LEGAL_PERSON,
        id_number=USCC.lower(),
        name="某某有限公司",
        legal_representative="李四",
        legal_representative_id=RESIDENT_ID.lower(),
    )

    assert (applicant.id_number, applicant.legal_representative_id) == (USCC, RESIDENT_ID)


@pytest.mark.parametrize(
    ("kind", "number", "code"),
    [
        (ApplicantKind.NATURAL_PERSON, "110105194912310021", "bad_check_digit"),
        (ApplicantKind.NATURAL_PERSON, USCC, "bad_characters"),
        (ApplicantKind.LEGAL_PERSON, "91350100M000100Y44", "bad_check_digit"),
        ("martian", RESIDENT_ID, "unknown_kind"),
    ],
)
def test_invalid_number_is_refused(kind, number, code):
    with pytest.raises(IdentityValidationError) as info:
        services.applicant_create(kind=kind, id_number=number, name="某")

    assert info.value.code == code
    assert not Applicant.objects.exists()


def test_bad_representative_id_is_refused_on_its_field():
    with pytest.raises(IdentityValidationError) as info:
        services.applicant_create(
            kind=ApplicantKind.LEGAL_PERSON,
            id_number=USCC,
            name="某某有限公司",
            legal_representative_id="110105194912310021",
        )

    assert (info.value.code, info.value.field) == ("bad_check_digit", "legal_representative_id")


def test_same_number_typed_differently_is_a_conflict():
    services.applicant_create(kind=ApplicantKind.NATURAL_PERSON, id_number=RESIDENT_ID, name="张三")

    with pytest.raises(ApplicantConflict) as info:
        services.applicant_create(
            kind=ApplicantKind.NATURAL_PERSON, id_number="11010519491231002x", name="张三"
        )

    assert info.value.code == "applicant_exists"


def test_get_or_create_finds_the_existing_applicant():
    first, created_first = services.applicant_get_or_create(
        kind=ApplicantKind.NATURAL_PERSON, id_number=RESIDENT_ID, name="张三"
    )
    again, created_again = services.applicant_get_or_create(
        kind=ApplicantKind.NATURAL_PERSON, id_number=" 11010519491231002x", name="张叁"
    )

    assert (created_first, created_again) == (True, False)
    assert again == first
    assert again.name == "张三"


def test_get_or_create_validates_the_number():
    with pytest.raises(IdentityValidationError):
        services.applicant_get_or_create(
            kind=ApplicantKind.LEGAL_PERSON, id_number="123", name="某"
        )


def test_update_keeps_the_number():
    applicant = services.applicant_create(
        kind=ApplicantKind.NATURAL_PERSON, id_number=RESIDENT_ID, name="张三"
    )

    services.applicant_update(applicant=applicant, name="张三丰", phone="13812345678")

    applicant.refresh_from_db()
    assert (applicant.name, applicant.phone, applicant.id_number) == (
        "张三丰",
        "13812345678",
        RESIDENT_ID,
    )
