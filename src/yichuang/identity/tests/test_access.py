"""Who sees identity numbers in full (identity.access)."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import AnonymousUser

from yichuang.identity.access import id_number_for, phone_for, sees_full_numbers
from yichuang.identity.models import User
from yichuang.orgs.models import Role
from yichuang.orgs.tests import factories

pytestmark = pytest.mark.django_db

NUMBER = "15010219900307123X"
MASKED = "1501**********123X"


@pytest.mark.parametrize(
    ("roles", "full"),
    [
        ((Role.WINDOW_OFFICER,), True),
        ((Role.REVIEWER,), True),
        ((Role.LEADER,), False),
        ((Role.CENTRE_ADMIN,), False),
        ((Role.HELPER,), False),
        ((Role.HELPER, Role.WINDOW_OFFICER), True),
    ],
)
def test_roles_decide_full_or_masked(roles, full):
    department = factories.department() if Role.REVIEWER in roles else None
    user = factories.staff(roles=roles, department=department).user

    assert sees_full_numbers(user) is full
    assert id_number_for(user, NUMBER) == (NUMBER if full else MASKED)


def test_public_and_plain_accounts_see_masked_numbers():
    citizen = User.objects.create_user(username="citizen", password="x-very-long-pass")

    assert id_number_for(AnonymousUser(), NUMBER) == MASKED
    assert id_number_for(citizen, NUMBER) == MASKED
    assert phone_for(citizen, "13812345678") == "138****5678"


def test_inactive_window_officer_sees_masked_numbers():
    user = factories.staff(roles=(Role.WINDOW_OFFICER,), is_active=False).user

    assert id_number_for(user, NUMBER) == MASKED


def test_superuser_sees_full_numbers():
    root = User.objects.create_superuser(username="root", password="x-very-long-pass")

    assert id_number_for(root, NUMBER) == NUMBER
