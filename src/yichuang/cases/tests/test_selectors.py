"""Who sees which case (the access functions every read goes through)."""

from __future__ import annotations

import pytest

from yichuang.cases.errors import CaseNotFound
from yichuang.cases.models import Extension, NoticeKind, Stage, Task
from yichuang.cases.selectors import (
    case_get_for,
    case_lookup_public,
    cases_visible_to,
    extension_get_for,
    notice_get_for,
    task_get_for,
    tasks_inbox_for,
)
from yichuang.cases.tests import factories
from yichuang.cases.workflow import Status
from yichuang.catalog.tests import factories as catalog_factories
from yichuang.identity.models import User
from yichuang.orgs.models import Role
from yichuang.orgs.tests import factories as orgs_factories

pytestmark = pytest.mark.django_db


@pytest.fixture
def world():
    """A city centre with a county below it; one case at the county with a task of the
    county's department; an applicant with an agent holding a power of attorney."""
    city = orgs_factories.centre()
    county = orgs_factories.centre(parent=city)
    other_county = orgs_factories.centre(parent=city)
    department = orgs_factories.department(centre=county)
    other_department = orgs_factories.department(centre=county)
    version = catalog_factories.published_item(department=department)
    owner = factories.applicant(with_user=True, phone="13912345678")
    agent = factories.applicant(with_user=True)
    case = factories.case(
        item_version=version,
        centre=county,
        applicant=owner,
        agent=agent,
        power_of_attorney=True,
        status=Status.IN_REVIEW,
    )
    stage = Stage.objects.create(
        case=case, number=1, template_stage=1, name="审查", started_on="2026-03-02"
    )
    Task.objects.create(
        stage=stage,
        case=case,
        department=department,
        limit_workdays=3,
        started_on="2026-03-02",
        due_date="2026-03-05",
    )

    def staff(roles, centre=county, department=None):
        return orgs_factories.staff(roles=roles, centre=centre, department=department).user

    users = {
        "owner": owner.user,
        "agent": agent.user,
        "other_applicant": factories.applicant(with_user=True).user,
        "window_officer": staff((Role.WINDOW_OFFICER,)),
        "helper": staff((Role.HELPER,)),
        "other_centre_officer": staff((Role.WINDOW_OFFICER,), centre=other_county),
        "reviewer": staff((Role.REVIEWER,), department=department),
        "other_reviewer": staff((Role.REVIEWER,), department=other_department),
        "leader": staff((Role.LEADER,)),
        "city_leader": staff((Role.LEADER,), centre=city),
        "other_county_leader": staff((Role.LEADER,), centre=other_county),
        "centre_admin": staff((Role.CENTRE_ADMIN,)),
        "superuser": User.objects.create_superuser("root", password="x-long-password"),
        "nobody": User.objects.create_user("nobody", password="x-long-password"),
    }
    return case, users


SEES = {
    "owner": True,
    "agent": True,
    "other_applicant": False,
    "window_officer": True,
    "helper": True,
    "other_centre_officer": False,
    "reviewer": True,
    "other_reviewer": False,
    "leader": True,
    "city_leader": True,
    "other_county_leader": False,
    "centre_admin": True,
    "superuser": True,
    "nobody": False,
}


@pytest.mark.parametrize(("who", "sees"), sorted(SEES.items()))
def test_each_role_sees_exactly_the_cases_it_should(world, who, sees):
    case, users = world

    visible = list(cases_visible_to(users[who]))

    assert visible == ([case] if sees else [])


@pytest.mark.parametrize("who", sorted(w for w, sees in SEES.items() if not sees))
def test_a_forbidden_case_looks_exactly_like_a_missing_one(world, who):
    case, users = world

    with pytest.raises(CaseNotFound) as forbidden:
        case_get_for(user=users[who], number=case.number)
    with pytest.raises(CaseNotFound) as missing:
        case_get_for(user=users[who], number="no-such-case")

    assert (forbidden.value.code, forbidden.value.message) == (
        missing.value.code,
        missing.value.message,
    )


def test_an_agent_without_a_power_of_attorney_sees_nothing(world):
    case, users = world
    case.power_of_attorney = False
    case.save(update_fields=["power_of_attorney"])

    assert not cases_visible_to(users["agent"]).exists()


def test_the_reviewer_inbox_holds_only_the_department_tasks(world):
    case, users = world

    assert [t.case for t in tasks_inbox_for(user=users["reviewer"])] == [case]
    assert not tasks_inbox_for(user=users["other_reviewer"]).exists()
    assert not tasks_inbox_for(user=users["leader"]).exists()


@pytest.mark.parametrize("check", ["345678", "13912345678"[-6:]])
def test_the_public_lookup_takes_the_phone_tail(world, check):
    case, _users = world

    assert case_lookup_public(number=case.number, check=check) == case


def test_the_public_lookup_takes_the_id_number_tail_in_any_case(world):
    case, _users = world
    tail = case.applicant.id_number[-6:].lower()

    assert case_lookup_public(number=f" {case.number} ", check=tail) == case


@pytest.mark.parametrize("check", ["000000", "", "12345", "3456789", "ABCDEF"])
def test_a_wrong_check_is_answered_like_an_unknown_number(world, check):
    case, _users = world

    with pytest.raises(CaseNotFound) as wrong:
        case_lookup_public(number=case.number, check=check)
    with pytest.raises(CaseNotFound) as unknown:
        case_lookup_public(number="no-such-case", check="345678")

    assert wrong.value.message == unknown.value.message


def test_a_draft_is_not_found_publicly(world):
    case, _users = world
    case.status = Status.DRAFT
    case.save(update_fields=["status"])

    with pytest.raises(CaseNotFound):
        case_lookup_public(number=case.number, check="345678")


def test_ten_wrong_checks_brake_the_number_for_every_caller(world):
    case, _users = world
    for _ in range(10):
        with pytest.raises(CaseNotFound):
            case_lookup_public(number=case.number, check="000000")

    with pytest.raises(CaseNotFound):
        case_lookup_public(number=case.number, check="345678")


@pytest.mark.parametrize(
    "who", ["window_officer", "helper", "leader", "city_leader", "centre_admin"]
)
def test_staff_do_not_see_an_applicant_s_draft(world, who):
    case, users = world
    case.status = Status.DRAFT
    case.save(update_fields=["status"])

    assert not cases_visible_to(users[who]).exists()
    assert list(cases_visible_to(users["owner"])) == [case]


# -- the parts of a case: tasks, extensions, notices ---------------------------------------


@pytest.mark.parametrize("who", sorted(w for w, sees in SEES.items() if sees))
def test_every_reader_of_a_case_finds_its_task(world, who):
    case, users = world
    task = case.tasks.get()

    found = task_get_for(user=users[who], case=case, task_id=task.pk)

    assert (found, found.case) == (task, case)


def test_a_task_of_another_case_is_not_found(world):
    case, users = world
    other = factories.case(item_version=case.item_version, centre=case.centre)
    stage = Stage.objects.create(
        case=other, number=1, template_stage=1, name="审查", started_on="2026-03-02"
    )
    foreign = Task.objects.create(
        stage=stage,
        case=other,
        department=case.tasks.get().department,
        limit_workdays=3,
        started_on="2026-03-02",
    )

    with pytest.raises(CaseNotFound) as caught:
        task_get_for(user=users["reviewer"], case=case, task_id=foreign.pk)

    assert caught.value.code == "task_not_found"


@pytest.mark.parametrize("who", sorted(w for w, sees in SEES.items() if not sees))
def test_a_task_of_a_case_the_user_may_not_read_is_not_found(world, who):
    case, users = world

    with pytest.raises(CaseNotFound) as caught:
        task_get_for(user=users[who], case=case, task_id=case.tasks.get().pk)

    assert caught.value.code == "task_not_found"


def test_an_extension_is_found_through_its_case_only(world):
    case, users = world
    extension = Extension.objects.create(
        case=case, workdays=3, reason="核查", requested_at="2026-03-03T02:00:00Z"
    )

    found = extension_get_for(user=users["leader"], case=case, extension_id=extension.pk)
    with pytest.raises(CaseNotFound) as hidden:
        extension_get_for(user=users["other_applicant"], case=case, extension_id=extension.pk)

    assert found == extension
    assert hidden.value.code == "extension_not_found"


def test_a_notice_is_found_by_its_number_within_its_case(world):
    case, users = world
    notice = factories.notice(case=case, kind=NoticeKind.ACCEPTANCE)
    foreign = factories.notice(kind=NoticeKind.ACCEPTANCE)

    found = notice_get_for(user=users["owner"], case=case, number=notice.number)
    with pytest.raises(CaseNotFound) as elsewhere:
        notice_get_for(user=users["owner"], case=case, number=foreign.number)

    assert found == notice
    assert elsewhere.value.code == "notice_not_found"


def test_a_notice_of_a_case_the_user_may_not_read_is_not_found(world):
    case, users = world
    notice = factories.notice(case=case, kind=NoticeKind.ACCEPTANCE)

    with pytest.raises(CaseNotFound):
        notice_get_for(user=users["other_applicant"], case=case, number=notice.number)
