"""The assistance and home-visit API and pages: shapes, errors as 4xx with a code, masking."""

from __future__ import annotations

import datetime as dt

import pytest
from django.test import Client

from yichuang.cases.models import Case, Channel
from yichuang.cases.tests import factories as case_factories
from yichuang.catalog.tests import factories as catalog_factories
from yichuang.common import clock
from yichuang.hall.models import Assignment, HomeVisit, HomeVisitStatus
from yichuang.hall.services import assistance, home_visits
from yichuang.hall.tests.factories import WORKDAY, at
from yichuang.identity.models import ApplicantKind
from yichuang.orgs.models import Role
from yichuang.orgs.tests import factories as orgs_factories

pytestmark = pytest.mark.django_db
API = "/api/v1/hall"
TOMORROW = WORKDAY + dt.timedelta(days=1)


@pytest.fixture(autouse=True)
def _frozen():
    with clock.frozen(at(WORKDAY, 10)):
        yield


@pytest.fixture
def centre():
    return orgs_factories.centre()


@pytest.fixture
def admin(centre):
    return orgs_factories.staff(roles=(Role.CENTRE_ADMIN,), centre=centre)


@pytest.fixture
def helper(centre):
    return orgs_factories.staff(roles=(Role.HELPER,), centre=centre, name="帮办员小李")


@pytest.fixture
def officer(centre):
    return orgs_factories.staff(roles=(Role.WINDOW_OFFICER,), centre=centre)


@pytest.fixture
def version(centre):
    department = orgs_factories.department(centre=centre)
    return catalog_factories.published_item(department=department, for_legal_persons=True)


@pytest.fixture
def enterprise():
    return case_factories.applicant(
        kind=ApplicantKind.LEGAL_PERSON,
        id_number=orgs_factories.valid_uscc(778, prefix="91150422"),
        name="草原牧业有限公司",
        legal_representative="王建国",
    )


def client_for(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


# -- assignments API ---------------------------------------------------------------------


def test_the_admin_assigns_by_uscc_and_the_helper_authorises_and_opens_a_case(
    admin, helper, enterprise, version
):
    answer = client_for(admin.user).post(
        f"{API}/assignments",
        {
            "helper_id": helper.pk,
            "applicant_kind": "legal_person",
            "applicant_id_number": enterprise.id_number,
        },
        content_type="application/json",
    )
    assert answer.status_code == 201, answer.content
    body = answer.json()
    assert (body["helper_name"], body["applicant_name"], body["authorised"]) == (
        "帮办员小李",
        "草原牧业有限公司",
        False,
    )
    assert "*" in body["applicant_id_number"]  # a centre admin sees the number masked
    helper_client = client_for(helper.user)

    refused = helper_client.post(
        f"{API}/assignments/{body['id']}/cases",
        {"item_version_id": version.pk},
        content_type="application/json",
    )
    assert refused.status_code == 409
    assert refused.json()["code"] == "not_authorised"

    authorised = helper_client.post(
        f"{API}/assignments/{body['id']}/authorise",
        {"scope": "营业执照办理"},
        content_type="application/json",
    )
    assert authorised.json()["authorisation_by"] == "王建国"
    opened = helper_client.post(
        f"{API}/assignments/{body['id']}/cases",
        {"item_version_id": version.pk},
        content_type="application/json",
    )
    assert opened.status_code == 201
    assert opened.json()["channel"] == "assisted"
    assert opened.json()["power_of_attorney"] is True
    listed = helper_client.get(f"{API}/assignments").json()
    parent = next(row for row in listed if row["id"] == body["id"])
    assert parent["cases"] == [opened.json()["number"]]


@pytest.mark.parametrize(
    "payload",
    [
        {"helper_id": 2**40},
        {"helper_id": "x"},
        {},
        {"helper_id": 1, "applicant_id_number": "1" * 31},
        {"helper_id": 1, "note": "长" * 301},
    ],
)
def test_hostile_assignment_input_is_a_422(admin, payload):
    answer = client_for(admin.user).post(
        f"{API}/assignments", payload, content_type="application/json"
    )
    assert answer.status_code == 422
    assert answer.json()["code"]


def test_an_unknown_applicant_is_a_404_and_a_bad_number_a_422(admin, helper):
    client = client_for(admin.user)
    unknown = client.post(
        f"{API}/assignments",
        {"helper_id": helper.pk, "applicant_id_number": case_factories.resident_id(901)},
        content_type="application/json",
    )
    bad = client.post(
        f"{API}/assignments",
        {"helper_id": helper.pk, "applicant_id_number": "123"},
        content_type="application/json",
    )
    assert (unknown.status_code, unknown.json()["code"]) == (404, "applicant_not_found")
    assert bad.status_code == 422


def test_a_helper_cannot_assign_and_strangers_see_nothing(helper, enterprise, admin):
    row = assistance.assignment_create(user=admin.user, helper=helper, applicant=enterprise)
    answer = client_for(helper.user).post(
        f"{API}/assignments", {"helper_id": helper.pk}, content_type="application/json"
    )
    assert (answer.status_code, answer.json()["code"]) == (403, "not_assigner")
    stranger = orgs_factories.staff(roles=(Role.CENTRE_ADMIN,))
    assert client_for(stranger.user).get(f"{API}/assignments").json() == []
    ended = client_for(stranger.user).post(f"{API}/assignments/{row.pk}/end")
    assert ended.status_code == 404
    assert Client().get(f"{API}/assignments").status_code == 401


# -- home visits API ---------------------------------------------------------------------


def test_the_home_visit_flow_through_the_api(centre, admin, officer, version, settings):
    elder = case_factories.applicant(with_user=True, name="赵大爷")
    settings.YICHUANG = {**settings.YICHUANG, "PORTAL_CENTRE": centre.code}
    visit = home_visits.home_visit_request(
        user=elder.user,
        applicant=elder,
        centre=centre,
        reason="elderly",
        address="林东镇",
        contact_phone="13800001111",
    )
    scheduled = client_for(admin.user).post(
        f"{API}/home-visits/{visit.pk}/schedule",
        {"staff_ids": [officer.pk], "when": at(TOMORROW, 9).isoformat()},
        content_type="application/json",
    )
    assert scheduled.status_code == 200, scheduled.content
    assert scheduled.json()["status"] == "scheduled"
    assert "*" in scheduled.json()["contact_phone"]

    recorded = client_for(officer.user).post(
        f"{API}/home-visits/{visit.pk}/record",
        {"record": "已上门核验身份", "item_version_id": version.pk},
        content_type="application/json",
    )
    assert recorded.status_code == 201, recorded.content
    assert recorded.json()["channel"] == "home_visit"
    assert recorded.json()["visit"]["status"] == "done"
    assert recorded.json()["visit"]["case_number"] == recorded.json()["case_number"]
    own = client_for(elder.user).get(f"{API}/home-visits").json()
    assert own[0]["contact_phone"] == "13800001111"


def test_staff_record_a_phoned_request_by_id_number(officer):
    answer = client_for(officer.user).post(
        f"{API}/home-visits",
        {
            "reason": "disabled",
            "address": "林东镇",
            "contact_phone": "13800001111",
            "applicant_id_number": case_factories.resident_id(902),
            "applicant_name": "钱奶奶",
        },
        content_type="application/json",
    )
    assert answer.status_code == 201, answer.content
    assert answer.json()["applicant_name"] == "钱奶奶"


@pytest.mark.parametrize(
    ("payload", "status"),
    [
        ({"staff_ids": [], "when": "2026-03-05T09:00:00+08:00"}, 422),
        ({"staff_ids": [2**40], "when": "2026-03-05T09:00:00+08:00"}, 422),
        ({"staff_ids": [1], "when": "9999-12-31T23:59:59+08:00"}, 422),
        ({"staff_ids": [1], "when": "not a time"}, 422),
        ({"staff_ids": [1], "when": "2026-10-01T09:00:00+08:00"}, 422),
    ],
)
def test_hostile_schedules_are_4xx(centre, admin, officer, payload, status):
    elder = case_factories.applicant(with_user=True)
    visit = home_visits.home_visit_request(
        user=elder.user,
        applicant=elder,
        centre=centre,
        reason="ill",
        address="某地",
        contact_phone="13800001111",
    )
    payload = {**payload, "staff_ids": [officer.pk if s == 1 else s for s in payload["staff_ids"]]}
    answer = client_for(admin.user).post(
        f"{API}/home-visits/{visit.pk}/schedule", payload, content_type="application/json"
    )
    assert answer.status_code == status
    assert answer.json()["code"]


# -- pages -------------------------------------------------------------------------------


def test_the_helper_page_lists_assignments_and_opens_a_case(admin, helper, enterprise, version):
    row = assistance.assignment_create(user=admin.user, helper=helper, applicant=enterprise)
    client = client_for(helper.user)

    page = client.get("/helper/")
    assert page.status_code == 200
    assert "草原牧业有限公司" in page.content.decode()
    assert "未授权" in page.content.decode()
    assert enterprise.id_number not in page.content.decode()

    client.post(f"/helper/assignments/{row.pk}/authorise/", {"scope": "营业执照办理"})
    answer = client.post(f"/helper/assignments/{row.pk}/open/", {"item_version": version.pk})
    case = Case.objects.get(applicant=enterprise)
    assert answer.status_code == 302
    assert answer["Location"] == f"/desk/cases/{case.number}/"
    assert case.channel == Channel.ASSISTED
    assert case.number in client.get("/helper/").content.decode()


def test_the_helper_page_is_for_helpers(officer):
    assert client_for(officer.user).get("/helper/").status_code == 403
    assert Client().get("/helper/").status_code == 302


def test_the_admin_assigns_on_the_page_by_case_number(admin, helper, version):
    case = case_factories.case(item_version=version, centre=admin.centre)
    client = client_for(admin.user)

    answer = client.post(
        "/hall/assignments/",
        {"helper": helper.pk, "kind": "natural_person", "case_number": case.number},
    )
    assert answer.status_code == 302
    assert Assignment.objects.get(case=case).helper == helper
    missing = client.post(
        "/hall/assignments/", {"helper": helper.pk, "kind": "natural_person", "case_number": "nope"}
    )
    assert missing.status_code == 200
    assert "未找到该办件" in missing.content.decode()


def test_the_applicant_requests_on_the_page_and_the_centre_schedules(
    centre, admin, officer, version, settings
):
    settings.YICHUANG = {**settings.YICHUANG, "PORTAL_CENTRE": centre.code}
    elder = case_factories.applicant(with_user=True, name="赵大爷", phone="13800001111")
    client = client_for(elder.user)
    answer = client.post(
        "/my/home-visits/",
        {"reason": "elderly", "address": "林东镇幸福小区", "contact_phone": "13800001111"},
    )
    assert answer.status_code == 302, answer.content.decode()[:2000]
    visit = HomeVisit.objects.get(applicant=elder)
    assert "待安排" in client.get("/my/home-visits/").content.decode()

    client_for(admin.user).post(
        f"/hall/home-visits/{visit.pk}/schedule/",
        {"staff": [officer.pk], "day": TOMORROW.isoformat(), "time": "09:30"},
    )
    visit.refresh_from_db()
    assert (visit.status, visit.scheduled_for) == (HomeVisitStatus.SCHEDULED, at(TOMORROW, 9, 30))

    page = client_for(officer.user).get("/hall/my-visits/")
    assert "记录上门情况并创建办件" in page.content.decode()
    client_for(officer.user).post(
        f"/hall/my-visits/{visit.pk}/record/", {"record": "已上门", "item_version": version.pk}
    )
    visit.refresh_from_db()
    assert visit.case.channel == Channel.HOME_VISIT


def test_a_holiday_on_the_schedule_form_shows_the_reason(centre, admin, officer):
    elder = case_factories.applicant(with_user=True)
    visit = home_visits.home_visit_request(
        user=elder.user,
        applicant=elder,
        centre=centre,
        reason="ill",
        address="某地",
        contact_phone="13800001111",
    )
    client = client_for(admin.user)
    with clock.frozen(at(dt.date(2026, 9, 28), 10)):
        answer = client.post(
            f"/hall/home-visits/{visit.pk}/schedule/",
            {"staff": [officer.pk], "day": "2026-10-01", "time": "09:00"},
            follow=True,
        )
    assert "节假日不安排" in answer.content.decode()
    visit.refresh_from_db()
    assert visit.status == HomeVisitStatus.REQUESTED


def test_the_home_visit_page_is_for_applicants(officer):
    assert client_for(officer.user).get("/my/home-visits/").status_code == 403
