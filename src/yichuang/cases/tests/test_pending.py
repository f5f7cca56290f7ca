"""Acceptance with pending materials (容缺受理, RULES.md §4): who may, until when, and what
happens when the materials come — or do not."""

from __future__ import annotations

import datetime as dt

import pytest

from yichuang.cases import services
from yichuang.cases.errors import CaseError
from yichuang.cases.history import history_verify
from yichuang.cases.models import NoticeKind, SuspensionKind, TaskStatus
from yichuang.cases.tests import factories
from yichuang.cases.tests.test_acceptance import at
from yichuang.cases.workflow import Status
from yichuang.catalog.models import HandlingKind, Material
from yichuang.catalog.tests import factories as catalog_factories
from yichuang.common import clock
from yichuang.orgs.models import Role
from yichuang.orgs.tests import factories as orgs_factories

pytestmark = pytest.mark.django_db

NOTHING = {"pending_overdue": 0, "returned": 0, "deemed_consent": 0}


@pytest.fixture
def version():
    """Three required materials, the last two pendable; 5 working days promised."""
    department = orgs_factories.department(centre=orgs_factories.centre(code="blzq"))
    v = catalog_factories.published_item(department=department, materials=3, promised_limit=5)
    Material.objects.filter(version=v, position__gte=2).update(pendable=True)
    return v


@pytest.fixture
def officer(version):
    return orgs_factories.staff(centre=version.item.centre).user


def _materials(version):
    key, *pendable = version.materials.order_by("position")
    return key, pendable


def _case_with_key_material(officer, version, *, applicant=None, when="2026-03-02"):
    key, _pendable = _materials(version)
    with clock.frozen(at(when)):
        case = services.case_open(
            user=officer, item_version=version, applicant=applicant or factories.applicant()
        )
        services.case_material_add(user=officer, case=case, content=factories.PDF, material=key)
    return case


def _accept_pending(officer, case, pending, *, when="2026-03-02", supply_by=None, signer=None):
    signer = signer or case.applicant
    with clock.frozen(at(when, 11)):
        return services.case_accept(
            user=officer,
            case=case,
            pending=pending,
            signed_by_name=signer.name,
            signed_by_id_number=signer.id_number,
            supply_by=supply_by,
        )


def _sweep(when: str):
    day = dt.date.fromisoformat(when)
    with clock.frozen(at(when, 1)):
        return services.cases_sweep(today=day)


def test_pending_acceptance_signs_a_commitment_due_by_the_case_due_date(version, officer):
    case = _case_with_key_material(officer, version)
    _key, pendable = _materials(version)

    case = _accept_pending(officer, case, pendable)

    assert (case.status, case.due_date) == (Status.IN_REVIEW, dt.date(2026, 3, 9))
    commitment = case.commitments.get()
    assert commitment.supply_by == dt.date(2026, 3, 9)
    assert set(commitment.materials.all()) == set(pendable)
    notice = case.notices.get()
    assert (notice.kind, notice.number) == (NoticeKind.PENDING_MATERIALS, f"{case.number}-RQ01")
    assert [item["name"] for item in notice.body["items"]] == [m.name for m in pendable]
    assert notice.body["supply_by"] == "2026-03-09"
    assert "15个工作日" in notice.body["consequence"]
    assert history_verify(case=case) is None


def test_a_material_not_marked_pendable_is_refused(version, officer):
    key, pendable = _materials(version)
    with clock.frozen(at("2026-03-02")):
        case = services.case_open(
            user=officer, item_version=version, applicant=factories.applicant()
        )

    with pytest.raises(CaseError) as caught:
        _accept_pending(officer, case, [key, *pendable])

    assert caught.value.code == "material_not_pendable"
    case.refresh_from_db()
    assert (case.status, case.accepted_on) == (Status.SUBMITTED, None)
    assert not case.commitments.exists() and not case.notices.exists()


def test_every_missing_material_not_declared_pending_blocks_acceptance(version, officer):
    case = _case_with_key_material(officer, version)
    _key, pendable = _materials(version)

    with pytest.raises(CaseError) as caught:
        _accept_pending(officer, case, pendable[:1])

    assert caught.value.code == "materials_incomplete"
    assert pendable[1].name in caught.value.message


def test_the_supplement_deadline_may_not_exceed_the_promised_limit(version, officer):
    case = _case_with_key_material(officer, version)
    _key, pendable = _materials(version)

    with pytest.raises(CaseError) as caught:
        _accept_pending(officer, case, pendable, supply_by=dt.date(2026, 3, 10))

    assert caught.value.code == "supply_by_out_of_range"
    case.refresh_from_db()
    assert (case.status, case.due_date) == (Status.SUBMITTED, None)


def test_an_earlier_supplement_deadline_is_kept(version, officer):
    case = _case_with_key_material(officer, version)
    _key, pendable = _materials(version)

    case = _accept_pending(officer, case, pendable, supply_by=dt.date(2026, 3, 4))

    assert case.commitments.get().supply_by == dt.date(2026, 3, 4)


def test_an_applicant_with_a_credit_restriction_is_excluded(version, officer):
    person = factories.applicant(credit_restricted=True)
    case = _case_with_key_material(officer, version, applicant=person)
    _key, pendable = _materials(version)

    with pytest.raises(CaseError) as caught:
        _accept_pending(officer, case, pendable)

    assert caught.value.code == "credit_restricted"


def test_someone_else_may_not_sign_the_commitment(version, officer):
    case = _case_with_key_material(officer, version)
    _key, pendable = _materials(version)
    stranger = factories.applicant()

    with pytest.raises(CaseError) as caught:
        _accept_pending(officer, case, pendable, signer=stranger)

    assert caught.value.code == "commitment_signer_not_entitled"


def test_supplying_every_pending_material_fulfils_the_commitment(version, officer):
    case = _accept_pending(
        officer, _case_with_key_material(officer, version), _materials(version)[1]
    )
    _key, pendable = _materials(version)

    with clock.frozen(at("2026-03-04")):
        for material in pendable:
            services.case_material_add(
                user=officer, case=case, content=factories.PNG, material=material
            )

    commitment = case.commitments.get()
    assert commitment.fulfilled_at is not None and commitment.broken_at is None
    assert list(case.events.values_list("kind", flat=True))[-1] == "pending_supplied"


def test_not_supplied_in_time_suspends_then_returns_after_15_working_days(version, officer):
    case = _accept_pending(
        officer, _case_with_key_material(officer, version), _materials(version)[1]
    )

    assert _sweep("2026-03-09") == NOTHING  # due day: still in time
    assert _sweep("2026-03-10")["pending_overdue"] == 1
    case.refresh_from_db()
    suspension = case.suspensions.get()
    assert (case.status, suspension.kind, suspension.started_on) == (
        Status.SUSPENDED,
        SuspensionKind.PENDING_MATERIALS,
        dt.date(2026, 3, 10),
    )
    assert case.commitments.get().broken_at is not None
    assert case.tasks.get().status == TaskStatus.PENDING  # stopped, not cancelled

    assert _sweep("2026-03-30") == NOTHING  # 14 working days
    assert _sweep("2026-03-31")["returned"] == 1  # the 15th working day after 3/10
    case.refresh_from_db()
    assert case.status == Status.RETURNED
    assert case.suspensions.get().ended_on == dt.date(2026, 3, 31)
    assert case.tasks.get().status == TaskStatus.CANCELLED
    assert _sweep("2026-04-01") == NOTHING  # idempotent
    assert history_verify(case=case) is None


def test_a_late_supplement_resumes_a_suspended_case_and_the_stop_moves_the_due_date(
    version, officer
):
    case = _accept_pending(
        officer,
        _case_with_key_material(officer, version),
        _materials(version)[1],
        supply_by=dt.date(2026, 3, 4),
    )
    _sweep("2026-03-05")

    with clock.frozen(at("2026-03-12")):
        for material in _materials(version)[1]:
            services.case_material_add(
                user=officer, case=case, content=factories.PDF, material=material
            )

    case.refresh_from_db()
    assert case.status == Status.IN_REVIEW
    assert case.suspensions.get().ended_on == dt.date(2026, 3, 12)
    # 3/3 and 3/4 were used; 3/5–3/12 stopped the clock; 3 days left: 3/13, 3/16, 3/17.
    assert case.due_date == dt.date(2026, 3, 17)
    assert _sweep("2026-04-30") == NOTHING


def test_a_broken_commitment_excludes_the_applicant_next_time(version, officer):
    person = factories.applicant()
    _accept_pending(
        officer, _case_with_key_material(officer, version, applicant=person), _materials(version)[1]
    )
    _sweep("2026-03-10")
    case = _case_with_key_material(officer, version, applicant=person, when="2026-03-11")

    with pytest.raises(CaseError) as caught:
        _accept_pending(officer, case, _materials(version)[1], when="2026-03-11")

    assert caught.value.code == "commitment_broken_before"


def test_the_terminate_setting_returns_the_case_at_once(version, officer, settings):
    settings.YICHUANG = {**settings.YICHUANG, "PENDING_OVERDUE_ACTION": "terminate"}
    case = _accept_pending(
        officer, _case_with_key_material(officer, version), _materials(version)[1]
    )

    assert case.notices.get().body["consequence"].startswith("逾期未补齐的，终止办理")
    _sweep("2026-03-10")

    case.refresh_from_db()
    assert case.status == Status.RETURNED
    assert not case.suspensions.exists()


def test_the_result_is_held_until_the_pending_materials_are_in(version, officer):
    leader = orgs_factories.staff(roles=(Role.LEADER,), centre=version.item.centre).user
    version.stage_tasks.all().delete()
    case = _accept_pending(
        officer, _case_with_key_material(officer, version), _materials(version)[1]
    )
    with clock.frozen(at("2026-03-03")):
        case = services.case_decide(user=leader, case=case, outcome="approved")

        with pytest.raises(CaseError) as caught:
            services.case_conclude(user=officer, case=case, result_name="许可证")
        assert caught.value.code == "materials_pending"

        for material in _materials(version)[1]:
            services.case_material_add(
                user=officer, case=case, content=factories.PDF, material=material
            )
        case = services.case_conclude(user=officer, case=case, result_name="许可证")

    assert case.status == Status.CONCLUDED


def test_the_daily_command_sweeps_and_reports_every_count(version, officer, capsys):
    from django.core.management import call_command

    _accept_pending(officer, _case_with_key_material(officer, version), _materials(version)[1])

    with clock.frozen(at("2026-03-10", 1)):
        call_command("sweep_cases", "--today", "2026-03-10")

    out = capsys.readouterr().out
    assert "pending_overdue: 1" in out
    assert "pending_reminders: 0" in out


def test_the_daily_command_refuses_a_bad_date():
    from django.core.management import CommandError, call_command

    with pytest.raises(CommandError):
        call_command("sweep_cases", "--today", "2026-02-30")


def test_a_commitment_of_a_withdrawn_case_is_not_broken_by_the_sweep(version, officer):
    person = factories.applicant(with_user=True)
    case = _accept_pending(
        officer, _case_with_key_material(officer, version, applicant=person), _materials(version)[1]
    )
    with clock.frozen(at("2026-03-04")):
        services.case_withdraw(user=person.user, case=case, reason="不再办理")

    _sweep("2026-03-10")

    assert case.commitments.get().broken_at is None
    later = _case_with_key_material(officer, version, applicant=person, when="2026-03-11")
    later = _accept_pending(officer, later, _materials(version)[1], when="2026-03-11")
    assert later.commitments.count() == 1


def test_an_immediate_item_suspended_for_overdue_materials_resumes_when_they_come(officer):
    department = orgs_factories.department(centre=officer.staff.centre)
    version = catalog_factories.published_item(
        department=department, materials=2, handling_kind=HandlingKind.IMMEDIATE
    )
    Material.objects.filter(version=version, position__gte=2).update(pendable=True)
    case = _accept_pending(
        officer, _case_with_key_material(officer, version), _materials(version)[1]
    )
    assert case.status == Status.ACCEPTED
    _sweep("2026-03-03")
    case.refresh_from_db()
    assert case.status == Status.SUSPENDED

    with clock.frozen(at("2026-03-04")):
        for material in _materials(version)[1]:
            services.case_material_add(
                user=officer, case=case, content=factories.PDF, material=material
            )

    case.refresh_from_db()
    assert case.status == Status.ACCEPTED
    assert history_verify(case=case) is None
