"""Acceptance at the window: accept, one-time notice, refusal (RULES.md §1 and §4)."""

from __future__ import annotations

import datetime as dt

import pytest

from yichuang.cases import hooks, services
from yichuang.cases.errors import CaseConflict, CaseError, CaseForbidden, CaseNotFound
from yichuang.cases.history import history_verify
from yichuang.cases.models import NoticeKind, TaskStatus
from yichuang.cases.tests import factories
from yichuang.cases.workflow import Status
from yichuang.catalog.models import HandlingKind, Material, MaterialSource, ProcessStageTask
from yichuang.catalog.tests import factories as catalog_factories
from yichuang.common import clock
from yichuang.orgs.models import Role
from yichuang.orgs.tests import factories as orgs_factories

pytestmark = pytest.mark.django_db

TZ_OFFSET = dt.timedelta(hours=8)


def at(day: str, hour: int = 10) -> dt.datetime:
    """A moment on a Shanghai calendar day."""
    local = dt.datetime.fromisoformat(day).replace(hour=hour)
    return (local - TZ_OFFSET).replace(tzinfo=dt.UTC)


@pytest.fixture
def version():
    department = orgs_factories.department(centre=orgs_factories.centre(code="blzq"))
    return catalog_factories.published_item(
        department=department, materials=3, promised_limit=5, handled_online=True
    )


@pytest.fixture
def officer(version):
    return orgs_factories.staff(centre=version.item.centre).user


def _open(officer, version, when: str = "2026-03-02"):
    with clock.frozen(at(when)):
        return services.case_open(
            user=officer, item_version=version, applicant=factories.applicant()
        )


def _hand_in(user, case, materials, when: str = "2026-03-02", hour: int = 10):
    with clock.frozen(at(when, hour)):
        for material in materials:
            services.case_material_add(
                user=user, case=case, content=factories.PDF, material=material
            )


def _accept(officer, case, when: str = "2026-03-02", hour: int = 11):
    with clock.frozen(at(when, hour)):
        return services.case_accept(user=officer, case=case)


def test_a_complete_case_is_accepted_and_starts_its_first_stage(version, officer):
    case = _open(officer, version)
    _hand_in(officer, case, version.materials.all())

    case = _accept(officer, case)

    assert case.status == Status.IN_REVIEW
    assert case.accepted_on == dt.date(2026, 3, 2)
    assert (case.due_date, case.due_provisional) == (dt.date(2026, 3, 9), False)  # 5 working days
    task = case.tasks.get()
    assert (task.department, task.status, task.started_on, task.due_date) == (
        version.item.department,
        TaskStatus.PENDING,
        dt.date(2026, 3, 2),
        dt.date(2026, 3, 5),
    )
    assert case.notices.get().number == f"{case.number}-SL01"
    kinds = list(case.events.values_list("kind", "to_status", "actor_kind"))
    assert kinds[-2:] == [
        ("accepted", "accepted", "staff"),
        ("stage_started", "in_review", "system"),
    ]
    assert history_verify(case=case) is None


def test_the_due_date_skips_holidays(version, officer):
    case = _open(officer, version, when="2026-09-29")
    _hand_in(officer, case, version.materials.all(), when="2026-09-29")

    case = _accept(officer, case, when="2026-09-29")

    # 9/30 is day 1; 10/1–10/7 are holidays; 10/8, 10/9, 10/10 (make-up Saturday), 10/12.
    assert case.due_date == dt.date(2026, 10, 12)


def test_a_parallel_first_stage_gets_one_task_per_department_and_no_later_stage(version, officer):
    second = orgs_factories.department(centre=version.item.centre)
    third = orgs_factories.department(centre=version.item.centre)
    ProcessStageTask.objects.create(
        version=version, stage=1, stage_name="审查", department=second, limit_workdays=2
    )
    ProcessStageTask.objects.create(
        version=version, stage=2, stage_name="决定", department=third, limit_workdays=1
    )
    case = _open(officer, version)
    _hand_in(officer, case, version.materials.all())

    case = _accept(officer, case)

    assert case.stages.get().number == 1
    assert {t.department for t in case.tasks.all()} == {version.item.department, second}


def test_an_item_without_review_stages_waits_for_the_decision(version, officer):
    version.stage_tasks.all().delete()
    case = _open(officer, version)
    _hand_in(officer, case, version.materials.all())

    case = _accept(officer, case)

    assert case.status == Status.PENDING_DECISION


def test_an_immediate_item_stays_accepted_due_the_same_day(version, officer):
    version.handling_kind, version.promised_limit = HandlingKind.IMMEDIATE, 0
    version.save(update_fields=["handling_kind", "promised_limit"])
    case = _open(officer, version)
    _hand_in(officer, case, version.materials.all())

    case = _accept(officer, case)

    assert (case.status, case.due_date) == (Status.ACCEPTED, dt.date(2026, 3, 2))
    assert not case.tasks.exists()


def test_missing_materials_are_all_named_and_nothing_changes(version, officer):
    case = _open(officer, version)
    first, second, third = version.materials.all()
    _hand_in(officer, case, [second])

    with pytest.raises(CaseError) as caught:
        _accept(officer, case)

    assert caught.value.code == "materials_incomplete"
    assert [d["name"] for d in caught.value.details] == [first.name, third.name]
    case.refresh_from_db()
    assert (case.status, case.accepted_on) == (Status.SUBMITTED, None)


def test_optional_and_data_sharing_materials_are_not_demanded(version, officer):
    first, second, third = version.materials.all()
    Material.objects.filter(pk=second.pk).update(required=False)
    Material.objects.filter(pk=third.pk).update(source=MaterialSource.DATA_SHARING)
    case = _open(officer, version)
    _hand_in(officer, case, [first])

    assert _accept(officer, case).status == Status.IN_REVIEW


def test_an_online_submission_on_a_saturday_is_accepted_from_monday(version, officer):
    user = factories.applicant_user()
    case = services.case_open(user=user, item_version=version, applicant=user.applicant)
    _hand_in(user, case, version.materials.all(), when="2026-03-07")
    with clock.frozen(at("2026-03-07", 12)):
        case = services.case_submit(user=user, case=case)

    case = _accept(officer, case, when="2026-03-09")

    assert case.accepted_on == dt.date(2026, 3, 9)


def test_a_case_not_decided_within_5_working_days_counts_as_accepted_on_receipt(version, officer):
    case = _open(officer, version, when="2026-09-30")
    _hand_in(officer, case, version.materials.all(), when="2026-09-30")

    # 9/30 received; 10/8, 10/9, 10/10, 10/12, 10/13 are the 5 working days to decide.
    late = _accept(officer, case, when="2026-10-14")

    assert late.accepted_on == dt.date(2026, 9, 30)


def test_a_case_decided_within_5_working_days_is_accepted_on_the_day(version, officer):
    case = _open(officer, version, when="2026-09-30")
    _hand_in(officer, case, version.materials.all(), when="2026-09-30")

    assert _accept(officer, case, when="2026-10-13").accepted_on == dt.date(2026, 10, 13)


def test_only_a_window_officer_of_the_cases_centre_accepts(version, officer):
    case = _open(officer, version)
    _hand_in(officer, case, version.materials.all())
    elsewhere = orgs_factories.staff(centre=orgs_factories.centre()).user
    reviewer = orgs_factories.staff(centre=case.centre, roles=(Role.REVIEWER,)).user

    with pytest.raises(CaseNotFound):
        _accept(elsewhere, case)
    with pytest.raises(CaseForbidden):
        _accept(reviewer, case)
    with pytest.raises(CaseNotFound):
        _accept(factories.applicant_user(), case)


def test_acceptance_is_announced_only_after_commit(
    version, officer, django_capture_on_commit_callbacks
):
    calls = []
    hook = lambda *, case_id: calls.append(case_id)  # noqa: E731
    hooks.hook_register(event=hooks.ACCEPTED, hook=hook)
    try:
        case = _open(officer, version)
        _hand_in(officer, case, version.materials.all())
        with django_capture_on_commit_callbacks(execute=False) as callbacks:
            _accept(officer, case)
        assert calls == []
        for callback in callbacks:
            callback()
    finally:
        hooks.hook_unregister(event=hooks.ACCEPTED, hook=hook)

    assert calls == [case.pk]


def test_a_one_time_notice_lists_every_missing_material_and_every_defect(version, officer):
    case = _open(officer, version)
    first, second, third = version.materials.all()
    _hand_in(officer, case, [second])

    with clock.frozen(at("2026-03-02", 11)):
        case = services.case_issue_one_time_notice(
            user=officer, case=case, defects=[(second, "复印件不清晰")]
        )

    assert case.status == Status.AWAITING_MATERIALS
    notice = case.notices.get(kind=NoticeKind.ONE_TIME)
    assert notice.number == f"{case.number}-GZ01"
    assert [(i["name"], i["problem"], i["note"]) for i in notice.body["items"]] == [
        (first.name, "missing", "未提交"),
        (third.name, "missing", "未提交"),
        (second.name, "defective", "复印件不清晰"),
    ]
    assert case.events.last().kind == "one_time_notice"


def test_a_second_notice_needs_new_materials(version, officer):
    case = _open(officer, version)
    first = version.materials.first()
    with clock.frozen(at("2026-03-02", 11)):
        services.case_issue_one_time_notice(user=officer, case=case)

    with clock.frozen(at("2026-03-02", 12)), pytest.raises(CaseConflict) as caught:
        services.case_issue_one_time_notice(user=officer, case=case)
    assert caught.value.code == "notice_already_issued"

    _hand_in(officer, case, [first], hour=13)
    with clock.frozen(at("2026-03-02", 14)):
        services.case_issue_one_time_notice(user=officer, case=case, defects=[(first, "未签字")])
    assert case.notices.filter(kind=NoticeKind.ONE_TIME).count() == 2


def test_a_notice_with_nothing_to_say_is_refused(version, officer):
    case = _open(officer, version)
    _hand_in(officer, case, version.materials.all())

    with pytest.raises(CaseError, match="nothing_to_notify"):
        services.case_issue_one_time_notice(user=officer, case=case)


def test_after_a_notice_acceptance_counts_from_the_day_the_materials_arrive(version, officer):
    case = _open(officer, version, when="2026-03-02")
    with clock.frozen(at("2026-03-02", 11)):
        services.case_issue_one_time_notice(user=officer, case=case)
    _hand_in(officer, case, version.materials.all(), when="2026-03-16")

    case = _accept(officer, case, when="2026-03-16")

    assert case.accepted_on == dt.date(2026, 3, 16)


def test_a_refusal_needs_a_reason_and_ends_the_case_with_a_notice(version, officer):
    case = _open(officer, version)

    with pytest.raises(CaseError, match="reason_required"):
        services.case_refuse(user=officer, case=case, reason="  ")
    case = services.case_refuse(user=officer, case=case, reason="不属于本机关职权范围")

    assert case.status == Status.NOT_ACCEPTED
    assert case.notices.get().body == {"reason": "不属于本机关职权范围"}
    event = case.events.last()
    assert (event.kind, event.reason) == ("not_accepted", "不属于本机关职权范围")


def test_an_accepted_case_cannot_be_refused_acceptance(version, officer):
    case = _open(officer, version)
    _hand_in(officer, case, version.materials.all())
    case = _accept(officer, case)

    with pytest.raises(CaseError, match="transition_not_allowed"):
        services.case_refuse(user=officer, case=case, reason="迟到的理由")


def test_a_one_time_notice_given_after_5_working_days_makes_acceptance_count_from_receipt(
    version, officer
):
    case = _open(officer, version, when="2026-03-02")
    # Received 3/2; the 5 working days to give the notice end on 3/9.
    with clock.frozen(at("2026-03-10", 11)):
        services.case_issue_one_time_notice(user=officer, case=case)
    _hand_in(officer, case, version.materials.all(), when="2026-03-11")

    case = _accept(officer, case, when="2026-03-11")

    assert case.accepted_on == dt.date(2026, 3, 2)


def test_a_pre_review_correction_given_after_5_working_days_makes_acceptance_count_from_receipt(
    version, officer
):
    user = factories.applicant_user()
    case = services.case_open(user=user, item_version=version, applicant=user.applicant)
    with clock.frozen(at("2026-03-02", 9)):
        case = services.case_submit(user=user, case=case)
    with clock.frozen(at("2026-03-12", 9)):
        case = services.case_request_correction(
            user=officer, case=case, items=[(None, "申请表未签字")]
        )
    _hand_in(user, case, version.materials.all(), when="2026-03-13")
    with clock.frozen(at("2026-03-13", 12)):
        case = services.case_submit(user=user, case=case)

    case = _accept(officer, case, when="2026-03-13", hour=14)

    assert case.accepted_on == dt.date(2026, 3, 2)


def test_a_one_time_notice_after_a_pre_review_correction_needs_new_materials(version, officer):
    user = factories.applicant_user()
    case = services.case_open(user=user, item_version=version, applicant=user.applicant)
    with clock.frozen(at("2026-03-02", 9)):
        case = services.case_submit(user=user, case=case)
    with clock.frozen(at("2026-03-02", 10)):
        case = services.case_request_correction(
            user=officer, case=case, items=[(None, "申请表未签字")]
        )

    with clock.frozen(at("2026-03-03", 10)), pytest.raises(CaseConflict) as caught:
        services.case_issue_one_time_notice(user=officer, case=case)

    assert caught.value.code == "notice_already_issued"
    case.refresh_from_db()
    assert case.status == Status.CORRECTION_REQUESTED
