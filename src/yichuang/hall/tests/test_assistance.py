"""Assisted handling (帮办代办): assigning helpers, the applicant's authorisation, and the
helper opening cases as agent."""

from __future__ import annotations

import pytest

from yichuang.cases.models import Channel
from yichuang.cases.tests import factories as case_factories
from yichuang.catalog.models import VersionStatus
from yichuang.catalog.tests import factories as catalog_factories
from yichuang.common import clock
from yichuang.common.errors import Conflict, DomainError, Forbidden, NotFound
from yichuang.hall.models import Assignment, AssignmentStatus
from yichuang.hall.services import assistance
from yichuang.hall.tests.factories import WORKDAY, at
from yichuang.identity.models import ApplicantKind
from yichuang.orgs.models import Role
from yichuang.orgs.tests import factories as orgs_factories

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _frozen():
    with clock.frozen(at(WORKDAY, 10)):
        yield


@pytest.fixture
def centre():
    return orgs_factories.centre(name="巴林左旗政务服务中心")


@pytest.fixture
def admin(centre):
    return orgs_factories.staff(roles=(Role.CENTRE_ADMIN,), centre=centre, name="管理员")


@pytest.fixture
def helper(centre):
    return orgs_factories.staff(roles=(Role.HELPER,), centre=centre, name="帮办员小李")


@pytest.fixture
def version(centre):
    department = orgs_factories.department(centre=centre)
    return catalog_factories.published_item(department=department, for_legal_persons=True)


@pytest.fixture
def enterprise():
    return case_factories.applicant(
        kind=ApplicantKind.LEGAL_PERSON,
        id_number=orgs_factories.valid_uscc(777, prefix="91150422"),
        name="林西县草原牧业有限公司",
        legal_representative="王建国",
    )


def assigned(admin, helper, applicant, **kwargs) -> Assignment:
    return assistance.assignment_create(
        user=admin.user, helper=helper, applicant=applicant, **kwargs
    )


def authorised(admin, helper, applicant) -> Assignment:
    row = assigned(admin, helper, applicant)
    return assistance.assignment_authorise(user=helper.user, assignment=row, scope="企业开办全流程")


# -- assigning ---------------------------------------------------------------------------


def test_a_centre_admin_assigns_a_helper_to_an_enterprise(admin, helper, enterprise):
    row = assigned(admin, helper, enterprise, note="企业开办帮办")

    assert (row.centre, row.helper, row.applicant, row.case) == (
        admin.centre,
        helper,
        enterprise,
        None,
    )
    assert row.status == AssignmentStatus.ACTIVE
    assert row.assigned_by == admin
    assert row.authorised_at is None


def test_a_window_officer_may_assign_too(centre, helper, enterprise):
    officer = orgs_factories.staff(roles=(Role.WINDOW_OFFICER,), centre=centre)

    assert assigned(officer, helper, enterprise).assigned_by == officer


def test_a_helper_cannot_assign(centre, helper, enterprise):
    other = orgs_factories.staff(roles=(Role.HELPER,), centre=centre)

    with pytest.raises(Forbidden) as raised:
        assigned(helper, other, enterprise)
    assert raised.value.code == "not_assigner"


def test_only_a_helper_of_the_same_centre_can_be_assigned(admin, enterprise):
    elsewhere = orgs_factories.staff(roles=(Role.HELPER,))
    officer = orgs_factories.staff(roles=(Role.WINDOW_OFFICER,), centre=admin.centre)

    for wrong in (elsewhere, officer):
        with pytest.raises(DomainError) as raised:
            assigned(admin, wrong, enterprise)
        assert raised.value.code == "not_a_helper"


def test_one_active_assignment_per_helper_and_applicant(admin, helper, enterprise):
    assigned(admin, helper, enterprise)

    with pytest.raises(Conflict) as raised:
        assigned(admin, helper, enterprise)
    assert raised.value.code == "assignment_exists"


def test_a_helper_is_assigned_to_a_case_of_the_centre(admin, helper, version):
    case = case_factories.case(item_version=version, centre=admin.centre)

    row = assigned(admin, helper, case.applicant, case=case)

    assert row.case == case
    assert list(assistance.assignment_cases(row)) == [case]


def test_a_case_of_another_centre_cannot_be_assigned(admin, helper):
    case = case_factories.case()

    with pytest.raises(NotFound):
        assigned(admin, helper, case.applicant, case=case)


def test_a_case_gets_one_active_helper(admin, helper, version):
    case = case_factories.case(item_version=version, centre=admin.centre)
    assigned(admin, helper, case.applicant, case=case)
    second = orgs_factories.staff(roles=(Role.HELPER,), centre=admin.centre)

    with pytest.raises(Conflict):
        assigned(admin, second, case.applicant, case=case)


# -- authorisation -----------------------------------------------------------------------


def test_the_enterprise_authorisation_is_signed_by_its_legal_representative(
    admin, helper, enterprise
):
    row = assigned(admin, helper, enterprise)

    row = assistance.assignment_authorise(user=helper.user, assignment=row, scope="营业执照办理")

    assert row.authorised_at == at(WORKDAY, 10)
    assert (row.authorisation_scope, row.authorisation_by) == ("营业执照办理", "王建国")


def test_someone_else_cannot_sign_for_the_enterprise(admin, helper, enterprise):
    row = assigned(admin, helper, enterprise)

    with pytest.raises(DomainError) as raised:
        assistance.assignment_authorise(
            user=helper.user, assignment=row, scope="营业执照办理", signed_by="张会计"
        )
    assert raised.value.code == "signer_mismatch"


def test_a_person_signs_for_themselves(admin, helper):
    person = case_factories.applicant(name="赵大爷")
    row = assigned(admin, helper, person)

    row = assistance.assignment_authorise(
        user=helper.user, assignment=row, scope="补领结婚证", signed_by="赵大爷"
    )

    assert row.authorisation_by == "赵大爷"


def test_the_authorisation_needs_a_scope_and_is_recorded_once(admin, helper, enterprise):
    row = assigned(admin, helper, enterprise)
    with pytest.raises(DomainError) as raised:
        assistance.assignment_authorise(user=helper.user, assignment=row, scope="  ")
    assert raised.value.code == "scope_required"

    assistance.assignment_authorise(user=helper.user, assignment=row, scope="全部事项")
    with pytest.raises(Conflict) as raised:
        assistance.assignment_authorise(user=helper.user, assignment=row, scope="全部事项")
    assert raised.value.code == "already_authorised"


def test_another_helper_cannot_touch_the_assignment(admin, helper, enterprise):
    row = assigned(admin, helper, enterprise)
    other = orgs_factories.staff(roles=(Role.HELPER,), centre=admin.centre)

    with pytest.raises(NotFound):
        assistance.assignment_authorise(user=other.user, assignment=row, scope="全部事项")


# -- acting as agent ---------------------------------------------------------------------


def test_the_helper_opens_an_assisted_case_as_agent_with_power_of_attorney(
    admin, helper, enterprise, version
):
    row = authorised(admin, helper, enterprise)

    case = assistance.assisted_case_open(user=helper.user, assignment=row, item_version=version)

    assert case.channel == Channel.ASSISTED
    assert (case.applicant, case.agent_name, case.power_of_attorney) == (
        enterprise,
        "帮办员小李",
        True,
    )
    assert case.opened_by == helper.user
    assert list(assistance.assignment_cases(row)) == [case]
    linked = Assignment.objects.get(case=case)
    assert (linked.helper, linked.authorisation_by) == (helper, "王建国")


def test_without_authorisation_the_helper_cannot_open_a_case(admin, helper, enterprise, version):
    row = assigned(admin, helper, enterprise)

    with pytest.raises(Conflict) as raised:
        assistance.assisted_case_open(user=helper.user, assignment=row, item_version=version)

    assert raised.value.code == "not_authorised"
    assert "授权" in raised.value.message
    assert not enterprise.cases.exists()


def test_only_the_assigned_helper_opens_cases(admin, helper, enterprise, version):
    row = authorised(admin, helper, enterprise)

    with pytest.raises(NotFound):
        assistance.assisted_case_open(user=admin.user, assignment=row, item_version=version)


def test_an_ended_assignment_opens_nothing(admin, helper, enterprise, version):
    row = authorised(admin, helper, enterprise)
    assistance.assignment_end(user=admin.user, assignment=row)

    with pytest.raises(Conflict) as raised:
        assistance.assisted_case_open(user=helper.user, assignment=row, item_version=version)
    assert raised.value.code == "assignment_ended"


def test_a_failed_opening_leaves_no_case_and_no_link(admin, helper, enterprise, version):
    row = authorised(admin, helper, enterprise)
    version.status = VersionStatus.ARCHIVED
    version.save(update_fields=["status"])

    with pytest.raises(DomainError) as raised:
        assistance.assisted_case_open(user=helper.user, assignment=row, item_version=version)

    assert raised.value.code == "item_not_published"
    assert Assignment.objects.filter(case__isnull=False).count() == 0


# -- who sees what -----------------------------------------------------------------------


def test_a_helper_sees_only_their_assignments_and_the_admin_the_centres(admin, helper, enterprise):
    mine = assigned(admin, helper, enterprise)
    other_helper = orgs_factories.staff(roles=(Role.HELPER,), centre=admin.centre)
    theirs = assigned(admin, other_helper, enterprise)
    elsewhere_admin = orgs_factories.staff(roles=(Role.CENTRE_ADMIN,))

    assert list(assistance.assignments_visible_to(helper.user)) == [mine]
    assert set(assistance.assignments_visible_to(admin.user)) == {mine, theirs}
    assert not assistance.assignments_visible_to(elsewhere_admin.user).exists()
    with pytest.raises(NotFound):
        assistance.assignment_get_for(user=elsewhere_admin.user, pk=mine.pk)


def test_ending_is_once(admin, helper, enterprise):
    row = assigned(admin, helper, enterprise)
    row = assistance.assignment_end(user=helper.user, assignment=row)
    assert (row.status, row.ended_at) == (AssignmentStatus.ENDED, at(WORKDAY, 10))

    with pytest.raises(Conflict):
        assistance.assignment_end(user=admin.user, assignment=row)
    # A new assignment of the same helper may follow the ended one.
    assert assigned(admin, helper, enterprise).status == AssignmentStatus.ACTIVE
