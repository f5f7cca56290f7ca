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


# -- error answers in Chinese (the project's own 400/403/405/500 pages) --------------------


def test_a_get_to_a_form_s_address_is_a_chinese_405_page(admin):
    response = _client(admin.user).get("/hall/home-visits/1/cancel/")

    assert response.status_code == 405
    assert response["Allow"] == "POST"
    assert "此地址只接受表单提交" in response.content.decode()


def test_a_wrong_method_on_the_api_is_a_chinese_405_answer(admin):
    response = _client(admin.user).delete("/api/v1/hall/queues")

    assert response.status_code == 405
    assert response.json() == {"code": "method_not_allowed", "message": "不支持此请求方法"}


def test_a_refused_page_is_a_chinese_403_page_with_its_reason():
    leader = orgs_factories.staff(roles=(Role.LEADER,))

    response = _client(leader.user).get("/helper/")

    assert response.status_code == 403
    assert "您没有办理此业务的权限" in response.content.decode()


def test_an_address_too_long_to_come_back_to_after_login_is_a_chinese_400_page():
    response = Client().get("/hall/my-visits/", {"note": "x" * 17000})

    assert response.status_code == 400
    assert "请求有误" in response.content.decode()
