"""Regression tests of what the hall probe (test_probe.py) found: each a hostile input
that once answered 500, or an answer that was not in Chinese."""

from __future__ import annotations

import pytest
from django.test import Client

from yichuang.cases.tests import factories as case_factories
from yichuang.common import clock
from yichuang.hall.forms_assistance import ScheduleForm
from yichuang.hall.models import HomeVisit, HomeVisitReason, HomeVisitStatus
from yichuang.hall.tests.factories import WORKDAY, at
from yichuang.identity.models import Applicant
from yichuang.orgs.models import Role, Staff
from yichuang.orgs.tests import factories as orgs_factories

pytestmark = pytest.mark.django_db
HUGE = str(2**63)


@pytest.fixture(autouse=True)
def _frozen():
    with clock.frozen(at(WORKDAY, 10)):
        yield


@pytest.fixture
def admin():
    return orgs_factories.staff(roles=(Role.CENTRE_ADMIN,))


def _client(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def _visit(centre, person: Applicant) -> HomeVisit:
    return HomeVisit.objects.create(
        centre=centre,
        applicant=person,
        reason=HomeVisitReason.ELDERLY,
        address="某地",
        contact_phone=person.phone,
        requested_by=person.user,
        status=HomeVisitStatus.REQUESTED,
    )


@pytest.mark.parametrize("staff_id", [HUGE, "-1", "１２", "x" * 5000])
def test_a_staff_id_no_column_can_hold_is_not_a_choice(admin, staff_id):
    form = ScheduleForm(
        data={"staff": [staff_id], "day": "2026-03-05", "time": "10:00"},
        staff=Staff.objects.filter(centre=admin.centre),
    )

    assert not form.is_valid()
    assert form.errors["staff"] == ["请选择本中心的工作人员"]


def test_scheduling_with_a_huge_staff_id_is_refused_on_the_page(admin):
    visit = _visit(admin.centre, case_factories.applicant(with_user=True))

    response = _client(admin.user).post(
        f"/hall/home-visits/{visit.pk}/schedule/",
        {"staff": [HUGE], "day": "2026-03-05", "time": "10:00"},
        follow=True,
    )

    assert response.status_code == 200
    assert "请选择本中心的工作人员" in response.content.decode()
    visit.refresh_from_db()
    assert visit.status == HomeVisitStatus.REQUESTED
