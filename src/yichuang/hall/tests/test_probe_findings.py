"""Regression tests of what the hall probe (test_probe.py) found: each a hostile input
that once answered 500, or an answer that was not in Chinese."""

from __future__ import annotations

import pytest
from django.test import Client

from yichuang.cases.tests import factories as case_factories
from yichuang.common import clock
from yichuang.hall.forms_assistance import ScheduleForm
from yichuang.hall.models import HomeVisit, HomeVisitReason, HomeVisitStatus
from yichuang.hall.tests.factories import WORKDAY, at, queue
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


# -- a NUL character (PostgreSQL text cannot hold one: DataError, a 500, before) ----------


@pytest.fixture
def portal(settings):
    centre = orgs_factories.centre(code="home")
    settings.YICHUANG = {**settings.YICHUANG, "PORTAL_CENTRE": centre.code}
    queue(centre=centre, code="A", slot_capacity=5)
    return centre


@pytest.mark.parametrize(
    ("method", "url", "data", "status"),
    [
        ("get", "/hall/tickets/%00/", {}, 404),
        ("post", "/hall/tickets/%00/cancel/", {}, 404),
        ("get", "/hall/take/", {"centre": "home\x00"}, 404),
        ("get", "/hall/screen/", {"centre": "\x00"}, 404),
    ],
)
def test_a_nul_in_a_public_page_s_key_is_not_found(portal, method, url, data, status):
    response = getattr(Client(), method)(url, data)

    assert response.status_code == status
    assert "没有" in response.content.decode() or "未找到" in response.content.decode()


@pytest.mark.parametrize(
    ("method", "url", "body"),
    [
        ("get", "/api/v1/hall/tickets/%00", None),
        ("get", "/api/v1/hall/queues?centre=%00", None),
        ("get", "/api/v1/hall/screen?centre=%00", None),
        ("get", "/api/v1/hall/appointment-days?queue=%00", None),
        ("post", "/api/v1/hall/tickets", {"queue": "A", "centre": "\x00"}),
        ("post", "/api/v1/hall/tickets", {"queue": "\x00"}),
    ],
)
def test_a_nul_in_the_public_api_is_a_422_or_404(portal, method, url, body):
    client = Client()
    if body is None:
        response = client.get(url)
    else:
        response = client.post(url, body, content_type="application/json")

    assert response.status_code in (404, 422)
    assert response.json()["code"] in ("invalid_input", "ticket_not_found", "not_found")


def test_a_nul_in_an_appointment_code_is_a_422_on_the_api_and_not_found_on_the_page(portal):
    client = _client(case_factories.applicant(with_user=True).user)

    answer = client.post("/api/v1/hall/appointments/%00/cancel")
    page = client.post("/my/appointments/%00/cancel/", follow=True)

    assert answer.status_code == 422
    assert "没有这个预约" in page.content.decode()


def test_a_nul_in_a_booking_s_queue_is_not_found_on_the_page(portal):
    client = _client(case_factories.applicant(with_user=True).user)

    page = client.post("/my/appointments/book/", {"queue": "\x00", "slot": "1"}, follow=True)

    assert page.status_code == 200
    assert "没有这个排队队列" in page.content.decode()
