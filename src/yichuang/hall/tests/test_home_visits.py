"""Home visits (上门服务): request, schedule on working days, cancel, and the visit record
that opens the case with channel 上门服务."""

from __future__ import annotations

import datetime as dt
from unittest import mock

import pytest

from yichuang.cases.errors import CaseError
from yichuang.cases.models import Case, Channel
from yichuang.cases.tests import factories as case_factories
from yichuang.catalog.tests import factories as catalog_factories
from yichuang.common import clock
from yichuang.common.errors import Conflict, DomainError, Forbidden, NotFound
from yichuang.hall.models import HomeVisit, HomeVisitReason, HomeVisitStatus
from yichuang.hall.services import home_visits
from yichuang.hall.tests.factories import WORKDAY, at
from yichuang.orgs.models import Role
from yichuang.orgs.tests import factories as orgs_factories

pytestmark = pytest.mark.django_db

NATIONAL_DAY = dt.date(2026, 10, 1)  # a Thursday, a public holiday
MAKE_UP_SATURDAY = dt.date(2026, 10, 10)  # a working day by the State Council's notice


@pytest.fixture(autouse=True)
def _frozen():
    with clock.frozen(at(WORKDAY, 10)):
        yield


@pytest.fixture
def centre():
    return orgs_factories.centre(name="巴林左旗政务服务中心")


@pytest.fixture
def admin(centre):
    return orgs_factories.staff(roles=(Role.CENTRE_ADMIN,), centre=centre)


@pytest.fixture
def officer(centre):
    return orgs_factories.staff(roles=(Role.WINDOW_OFFICER,), centre=centre, name="窗口一号")


@pytest.fixture
def version(centre):
    department = orgs_factories.department(centre=centre, name="民政局")
    return catalog_factories.published_item(department=department, name="补领结婚证")


@pytest.fixture
def elder():
    return case_factories.applicant(with_user=True, name="赵大爷", phone="13800001111")


def requested(elder, centre, **overrides) -> HomeVisit:
    values = {
        "reason": HomeVisitReason.ELDERLY,
        "address": "林东镇幸福小区3号楼2单元101",
        "contact_phone": "13800001111",
        "description": "老两口行动不便，需补领结婚证",
    }
    values.update(overrides)
    return home_visits.home_visit_request(user=elder.user, applicant=elder, centre=centre, **values)


def scheduled(elder, centre, admin, staff) -> HomeVisit:
    visit = requested(elder, centre)
    return home_visits.home_visit_schedule(
        user=admin.user, visit=visit, staff=staff, when=at(WORKDAY + dt.timedelta(days=1), 9)
    )


# -- requests ----------------------------------------------------------------------------


def test_an_applicant_requests_a_home_visit(elder, centre, version):
    visit = requested(elder, centre, item=version.item)

    assert (visit.applicant, visit.centre, visit.item) == (elder, centre, version.item)
    assert visit.status == HomeVisitStatus.REQUESTED
    assert visit.requested_by == elder.user


def test_an_applicant_cannot_request_for_somebody_else(elder, centre):
    other = case_factories.applicant()

    with pytest.raises(Forbidden) as raised:
        home_visits.home_visit_request(
            user=elder.user,
            applicant=other,
            reason="elderly",
            address="某地",
            contact_phone="13800001111",
            centre=centre,
        )
    assert raised.value.code == "not_own_request"


def test_staff_record_a_phoned_in_request_at_their_centre(officer, elder):
    visit = home_visits.home_visit_request(
        user=officer.user,
        applicant=elder,
        reason="ill",
        address="林东镇",
        contact_phone="0476-1234567",
    )

    assert (visit.centre, visit.requested_by) == (officer.centre, officer.user)


@pytest.mark.parametrize(
    ("field", "value", "code"),
    [
        ("reason", "bored", "reason_invalid"),
        ("address", "   ", "address_required"),
        ("address", "长" * 301, "address_too_long"),
        ("contact_phone", "call me", "phone_invalid"),
        ("description", "长" * 2001, "description_too_long"),
    ],
)
def test_a_request_is_validated(elder, centre, field, value, code):
    with pytest.raises(DomainError) as raised:
        requested(elder, centre, **{field: value})

    assert (raised.value.code, raised.value.field) == (code, field)
    assert not HomeVisit.objects.exists()


def test_one_open_request_per_applicant(elder, centre):
    requested(elder, centre)

    with pytest.raises(Conflict) as raised:
        requested(elder, centre)
    assert raised.value.code == "home_visit_open"


def test_an_item_of_another_centre_is_refused(elder, centre):
    foreign = catalog_factories.published_item()

    with pytest.raises(DomainError) as raised:
        requested(elder, centre, item=foreign.item)
    assert raised.value.code == "item_not_offered"


# -- scheduling --------------------------------------------------------------------------


def test_a_centre_admin_schedules_staff_on_a_working_day(elder, centre, admin, officer):
    visit = requested(elder, centre)
    when = at(WORKDAY + dt.timedelta(days=1), 14)

    visit = home_visits.home_visit_schedule(
        user=admin.user, visit=visit, staff=[officer], when=when
    )

    assert (visit.status, visit.scheduled_for) == (HomeVisitStatus.SCHEDULED, when)
    assert list(visit.staff.all()) == [officer]


def test_a_holiday_is_refused(elder, centre, admin, officer):
    visit = requested(elder, centre)

    with clock.frozen(at(dt.date(2026, 9, 28), 10)):
        with pytest.raises(DomainError) as raised:
            home_visits.home_visit_schedule(
                user=admin.user, visit=visit, staff=[officer], when=at(NATIONAL_DAY, 9)
            )
        assert raised.value.code == "not_a_workday"
        # The make-up Saturday after the holiday is a working day.
        visit = home_visits.home_visit_schedule(
            user=admin.user, visit=visit, staff=[officer], when=at(MAKE_UP_SATURDAY, 9)
        )
    assert visit.status == HomeVisitStatus.SCHEDULED


def test_an_ordinary_weekend_and_the_past_are_refused(elder, centre, admin, officer):
    visit = requested(elder, centre)
    saturday = WORKDAY + dt.timedelta(days=3)

    for when, code in ((at(saturday, 9), "not_a_workday"), (at(WORKDAY, 9), "when_past")):
        with pytest.raises(DomainError) as raised:
            home_visits.home_visit_schedule(
                user=admin.user, visit=visit, staff=[officer], when=when
            )
        assert raised.value.code == code
    visit.refresh_from_db()
    assert visit.status == HomeVisitStatus.REQUESTED


def test_only_a_centre_admin_schedules_and_only_staff_of_the_centre_go(
    elder, centre, admin, officer
):
    visit = requested(elder, centre)
    when = at(WORKDAY + dt.timedelta(days=1), 9)

    with pytest.raises(Forbidden):
        home_visits.home_visit_schedule(user=officer.user, visit=visit, staff=[officer], when=when)
    with pytest.raises(DomainError) as raised:
        home_visits.home_visit_schedule(
            user=admin.user, visit=visit, staff=[orgs_factories.staff()], when=when
        )
    assert raised.value.code == "staff_not_of_centre"
    with pytest.raises(DomainError) as raised:
        home_visits.home_visit_schedule(user=admin.user, visit=visit, staff=[], when=when)
    assert raised.value.code == "staff_required"
    with pytest.raises(NotFound):
        other_admin = orgs_factories.staff(roles=(Role.CENTRE_ADMIN,))
        home_visits.home_visit_schedule(user=other_admin.user, visit=visit, staff=[], when=when)


# -- cancelling --------------------------------------------------------------------------


def test_the_applicant_cancels_their_request(elder, centre):
    visit = home_visits.home_visit_cancel(user=elder.user, visit=requested(elder, centre))

    assert visit.status == HomeVisitStatus.CANCELLED
    assert visit.cancel_reason == "申请人取消"


def test_a_centre_admin_cancels_with_a_reason(elder, centre, admin, officer):
    visit = scheduled(elder, centre, admin, [officer])

    with pytest.raises(DomainError) as raised:
        home_visits.home_visit_cancel(user=admin.user, visit=visit)
    assert raised.value.code == "reason_required"
    visit = home_visits.home_visit_cancel(user=admin.user, visit=visit, reason="申请人已自行到厅")
    assert visit.status == HomeVisitStatus.CANCELLED
    with pytest.raises(Conflict):
        home_visits.home_visit_cancel(user=elder.user, visit=visit)


# -- the visit ---------------------------------------------------------------------------


def test_the_visit_is_recorded_and_the_case_opened_with_channel_home_visit(
    elder, centre, admin, officer, version
):
    visit = scheduled(elder, centre, admin, [officer])

    with clock.frozen(at(WORKDAY + dt.timedelta(days=1), 10)):
        case = home_visits.home_visit_record(
            user=officer.user, visit=visit, record="已核验身份，收取材料", item_version=version
        )

    visit.refresh_from_db()
    assert case.channel == Channel.HOME_VISIT == "home_visit"
    assert (case.applicant, case.opened_by) == (elder, officer.user)
    assert (visit.status, visit.case, visit.record) == (
        HomeVisitStatus.DONE,
        case,
        "已核验身份，收取材料",
    )
    assert visit.visited_at == at(WORKDAY + dt.timedelta(days=1), 10)


def test_only_the_scheduled_staff_record_the_visit(elder, centre, admin, officer, version):
    visit = scheduled(elder, centre, admin, [officer])
    colleague = orgs_factories.staff(roles=(Role.WINDOW_OFFICER,), centre=centre)

    with pytest.raises(Forbidden) as raised:
        home_visits.home_visit_record(
            user=colleague.user, visit=visit, record="记录", item_version=version
        )
    assert raised.value.code == "not_scheduled_staff"
    with pytest.raises(NotFound):
        home_visits.home_visit_record(
            user=elder.user, visit=visit, record="记录", item_version=version
        )


def test_an_unscheduled_visit_cannot_be_recorded(elder, centre, officer, version):
    visit = requested(elder, centre)
    visit.staff.add(officer)

    with pytest.raises(Conflict) as raised:
        home_visits.home_visit_record(
            user=officer.user, visit=visit, record="记录", item_version=version
        )
    assert raised.value.code == "home_visit_not_scheduled"


def test_a_failed_case_opening_leaves_the_visit_scheduled_and_no_case(
    elder, centre, admin, officer, version
):
    visit = scheduled(elder, centre, admin, [officer])
    failure = CaseError(code="boom", message="开件失败")

    with (
        mock.patch("yichuang.hall.services.home_visits.case_open", side_effect=failure),
        pytest.raises(CaseError),
    ):
        home_visits.home_visit_record(
            user=officer.user, visit=visit, record="记录", item_version=version
        )

    visit.refresh_from_db()
    assert (visit.status, visit.case, visit.visited_at, visit.record) == (
        HomeVisitStatus.SCHEDULED,
        None,
        None,
        "",
    )
    assert not Case.objects.exists()


def test_a_failure_after_the_case_row_is_written_rolls_the_case_back(
    elder, centre, admin, officer, version
):
    visit = scheduled(elder, centre, admin, [officer])

    with (
        mock.patch.object(HomeVisit, "save", side_effect=RuntimeError("disk full")),
        pytest.raises(RuntimeError),
    ):
        home_visits.home_visit_record(
            user=officer.user, visit=visit, record="记录", item_version=version
        )

    visit.refresh_from_db()
    assert visit.status == HomeVisitStatus.SCHEDULED
    assert not Case.objects.exists()


def test_a_scheduled_member_without_a_case_role_cannot_open_the_case(elder, centre, admin, version):
    visit = scheduled(elder, centre, admin, [admin])

    with pytest.raises(DomainError):
        home_visits.home_visit_record(
            user=admin.user, visit=visit, record="记录", item_version=version
        )

    visit.refresh_from_db()
    assert visit.status == HomeVisitStatus.SCHEDULED
    assert not Case.objects.exists()


# -- who sees what -----------------------------------------------------------------------


def test_the_applicant_sees_their_own_visits_and_staff_their_centres(elder, centre, admin, officer):
    mine = requested(elder, centre)
    stranger = case_factories.applicant(with_user=True)
    elsewhere = orgs_factories.staff(roles=(Role.CENTRE_ADMIN,))

    assert list(home_visits.home_visits_visible_to(elder.user)) == [mine]
    assert list(home_visits.home_visits_visible_to(officer.user)) == [mine]
    assert not home_visits.home_visits_visible_to(stranger.user).exists()
    assert not home_visits.home_visits_visible_to(elsewhere.user).exists()
    with pytest.raises(NotFound):
        home_visits.home_visit_get_for(user=stranger.user, pk=mine.pk)
