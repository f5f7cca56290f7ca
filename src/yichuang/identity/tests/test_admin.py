"""Applicant admin: numbers validated through the services, masked in the list."""

from __future__ import annotations

import pytest
from django.contrib import admin
from django.urls import reverse

from yichuang.identity.models import Applicant, ApplicantKind, User
from yichuang.identity.services import applicant_create

pytestmark = pytest.mark.django_db

NUMBER = "11010519491231002X"


@pytest.fixture
def root_client(client):
    client.force_login(User.objects.create_superuser(username="root", password="x-long-pass-1"))
    return client


@pytest.mark.parametrize("model", [User, Applicant])
def test_admin_classes_pass_django_checks(model):
    assert admin.site._registry[model].check() == []


def test_applicant_list_shows_masked_numbers(root_client):
    applicant_create(
        kind=ApplicantKind.NATURAL_PERSON, id_number=NUMBER, name="张三", phone="13812345678"
    )

    page = root_client.get(reverse("admin:identity_applicant_changelist")).content.decode()

    assert "1101**********002X" in page
    assert NUMBER not in page
    assert "138****5678" in page


def test_applicant_added_in_the_admin_is_normalised(root_client):
    response = root_client.post(
        reverse("admin:identity_applicant_add"),
        {"kind": ApplicantKind.NATURAL_PERSON, "id_number": "11010519491231002x", "name": "张三"},
    )

    assert response.status_code == 302
    assert Applicant.objects.get().id_number == NUMBER


def test_invalid_number_is_a_form_error(root_client):
    response = root_client.post(
        reverse("admin:identity_applicant_add"),
        {"kind": ApplicantKind.LEGAL_PERSON, "id_number": "91350100M000100Y44", "name": "某公司"},
    )

    assert response.status_code == 200
    assert "校验位不正确" in response.content.decode()
    assert response.context["adminform"].form.errors["id_number"]
    assert not Applicant.objects.exists()


def test_change_form_keeps_the_number(root_client):
    applicant = applicant_create(kind=ApplicantKind.NATURAL_PERSON, id_number=NUMBER, name="张三")

    response = root_client.post(
        reverse("admin:identity_applicant_change", args=[applicant.pk]),
        {"name": "张三丰", "shown_id_number": "110105194912310011"},
    )

    applicant.refresh_from_db()
    assert response.status_code == 302
    assert (applicant.name, applicant.id_number) == ("张三丰", NUMBER)


def test_the_change_form_records_a_credit_restriction(root_client):
    applicant = applicant_create(kind=ApplicantKind.NATURAL_PERSON, id_number=NUMBER, name="张三")

    response = root_client.post(
        reverse("admin:identity_applicant_change", args=[applicant.pk]),
        {"name": "张三", "credit_restricted": "on"},
    )

    applicant.refresh_from_db()
    assert response.status_code == 302
    assert applicant.credit_restricted is True
