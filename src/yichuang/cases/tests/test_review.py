"""Department review (联审联办): who may act on a task, stages completing in any order,
rejection, correction, special procedures, extensions and deemed consent."""

from __future__ import annotations

import contextlib
import datetime as dt
import itertools

import pytest

from yichuang.cases import hooks, services
from yichuang.cases.errors import CaseConflict, CaseError, CaseForbidden, CaseNotFound
from yichuang.cases.history import history_verify
from yichuang.cases.models import (
    Case,
    Decision,
    ExtensionStatus,
    NoticeKind,
    Outcome,
    Stage,
    StageOutcome,
    Suspension,
    SuspensionKind,
    Task,
    TaskStatus,
)
from yichuang.cases.tests import factories
from yichuang.cases.workflow import Status
from yichuang.catalog.models import ProcessStageTask, RejectionPolicy
from yichuang.catalog.tests import factories as catalog_factories
from yichuang.common import clock
from yichuang.orgs.models import Role
from yichuang.orgs.tests import factories as orgs_factories

pytestmark = pytest.mark.django_db

MON = dt.date(2026, 3, 2)  # a plain working week: 3/2–3/6, then 3/9–3/13
TUE, WED, THU, FRI, SAT = (MON + dt.timedelta(days=n) for n in range(1, 6))
NEXT_MON = MON + dt.timedelta(days=7)

ANNOUNCED = (
    hooks.STAGE_STARTED,
    hooks.DECIDED,
    hooks.CORRECTION_REQUESTED,
    hooks.SUSPENDED,
    hooks.RESUMED,
    hooks.EXTENSION_REQUESTED,
    hooks.EXTENSION_APPROVED,
)


def on(day: dt.date, hour: int = 10):
    return clock.frozen(factories.moment(day, hour))


@pytest.fixture
def announced(django_capture_on_commit_callbacks):
    """`with announced() as calls:` runs the after-commit hooks of the block and records
    (event, case id) for each."""
    calls: list[tuple[str, int]] = []

    def recorder(event):
        return lambda *, case_id: calls.append((event, case_id))

    registered = [(event, recorder(event)) for event in ANNOUNCED]
    for event, hook in registered:
        hooks.hook_register(event=event, hook=hook)

    @contextlib.contextmanager
    def capture():
        with django_capture_on_commit_callbacks(execute=True):
            yield calls

    yield capture
    for event, hook in registered:
        hooks.hook_unregister(event=event, hook=hook)


def _case(*, stages=(1,), accepted_on: dt.date = MON, **version_fields) -> Case:
    version = factories.review_item(stages=stages, **version_fields)
    return factories.case_in_review(item_version=version, accepted_on=accepted_on)


def _tasks(case: Case, stage: int = 1) -> list[Task]:
    return list(Task.objects.filter(case=case, stage__number=stage).order_by("id"))


def _reviewer(task: Task):
    return factories.reviewer(department=task.department)


def _approve(task: Task, day: dt.date = TUE, user=None) -> Task:
    with on(day):
        return services.task_approve(user=user or _reviewer(task), task=task)


def _fresh(case: Case) -> Case:
    return Case.objects.get(pk=case.pk)


def _kinds(case: Case) -> list[str]:
    return list(case.events.order_by("seq").values_list("kind", flat=True))


# -- who may act on a task -------------------------------------------------------------------


def test_a_reviewer_of_the_tasks_department_approves_it():
    case = _case()
    (task,) = _tasks(case)
    user = _reviewer(task)

    task = _approve(task, user=user)

    task.refresh_from_db()
    assert (task.status, task.decided_by, task.decided_at) == (
        TaskStatus.APPROVED,
        user,
        factories.moment(TUE),
    )
    event = case.events.get(kind="task_approved")
    assert (event.actor, event.actor_kind, event.data["department"]) == (
        user,
        "staff",
        task.department.name,
    )


def test_a_reviewer_of_another_department_gets_not_found():
    case = _case()
    (task,) = _tasks(case)
    other = orgs_factories.department(centre=case.centre)

    with pytest.raises(CaseNotFound):
        _approve(task, user=factories.reviewer(department=other))

    task.refresh_from_db()
    assert task.status == TaskStatus.PENDING


@pytest.mark.parametrize("role", [Role.WINDOW_OFFICER, Role.HELPER, Role.LEADER, Role.CENTRE_ADMIN])
def test_staff_of_the_department_without_the_reviewer_role_get_not_found(role):
    case = _case()
    (task,) = _tasks(case)
    member = orgs_factories.staff(roles=(role,), department=task.department)

    with pytest.raises(CaseNotFound):
        _approve(task, user=member.user)


def test_an_applicant_gets_not_found():
    case = _case()
    (task,) = _tasks(case)

    with pytest.raises(CaseNotFound):
        _approve(task, user=factories.applicant_user())


def test_an_inactive_reviewer_gets_not_found():
    case = _case()
    (task,) = _tasks(case)
    member = orgs_factories.staff(
        roles=(Role.REVIEWER,), department=task.department, is_active=False
    )

    with pytest.raises(CaseNotFound):
        _approve(task, user=member.user)


def test_a_task_already_approved_is_a_conflict():
    case = _case()
    (task,) = _tasks(case)
    user = _reviewer(task)
    _approve(task, user=user)

    with pytest.raises(CaseConflict) as caught:
        _approve(task, day=WED, user=user)

    assert (caught.value.code, caught.value.status) == ("task_not_pending", 409)


def test_a_stale_task_object_is_re_read_under_the_lock():
    case = _case(stages=(2,))
    first, second = _tasks(case)
    stale = Task.objects.get(pk=first.pk)
    _approve(first)

    with pytest.raises(CaseConflict) as caught:
        _approve(stale, day=WED)

    assert caught.value.code == "task_not_pending"
    assert _tasks(case)[1].status == TaskStatus.PENDING == second.status


def test_a_task_of_a_suspended_case_cannot_be_approved():
    case = _case(stages=(2,))
    first, second = _tasks(case)
    with on(TUE):
        services.case_suspend(
            user=_reviewer(first), task=first, kind=SuspensionKind.HEARING, reason="听证"
        )

    with pytest.raises(CaseConflict) as caught:
        _approve(second, day=WED)

    assert caught.value.code == "case_not_in_review"


# -- stages complete in any order ----------------------------------------------------------


def test_the_last_stage_approved_leaves_the_case_pending_decision(announced):
    case = _case()
    (task,) = _tasks(case)

    with announced() as calls:
        _approve(task, day=WED)

    case = _fresh(case)
    stage = case.stages.get()
    assert case.status == Status.PENDING_DECISION
    assert (stage.outcome, stage.completed_at) == (StageOutcome.APPROVED, factories.moment(WED))
    assert _kinds(case)[-3:] == ["task_approved", "stage_completed", "review_completed"]
    last = case.events.order_by("-seq").first()
    assert (last.actor_kind, last.from_status, last.to_status) == (
        "system",
        "in_review",
        "pending_decision",
    )
    assert calls == []
    assert history_verify(case=case) is None


def test_a_stage_waits_for_every_department():
    case = _case(stages=(3, 1))
    first, second, _third = _tasks(case)

    _approve(first)
    _approve(second)

    assert list(case.stages.values_list("number", "outcome")) == [(1, "")]
    assert _fresh(case).status == Status.IN_REVIEW


@pytest.mark.parametrize("order", list(itertools.permutations(range(3))))
def test_three_departments_approving_in_any_order_start_the_next_stage_once(order, announced):
    case = _case(stages=(3, 1))
    tasks = _tasks(case)
    days = [TUE, WED, THU]
    stage_counts = []

    with announced() as calls:
        for day, index in zip(days, order, strict=True):
            _approve(tasks[index], day=day)
            stage_counts.append(case.stages.count())

    assert stage_counts == [1, 1, 2]
    first, second = case.stages.order_by("number")
    assert (first.outcome, first.completed_at) == (StageOutcome.APPROVED, factories.moment(THU))
    assert (second.number, second.template_stage, second.name, second.started_on) == (
        2,
        2,
        "第2环节",
        THU,
    )
    (next_task,) = second.tasks.all()
    template = ProcessStageTask.objects.get(version=case.item_version, stage=2)
    # 3 working days from Thursday 3/5, the start day not counted: 3/6, 3/9, 3/10.
    assert (next_task.department, next_task.status, next_task.started_on, next_task.due_date) == (
        template.department,
        TaskStatus.PENDING,
        THU,
        dt.date(2026, 3, 10),
    )
    assert _kinds(case).count("stage_started") == 2
    assert calls == [(hooks.STAGE_STARTED, case.pk)]
    assert _fresh(case).status == Status.IN_REVIEW
    assert history_verify(case=case) is None


def test_a_stage_event_names_the_departments_and_their_due_dates():
    case = _case(stages=(2,))

    event = case.events.get(kind="stage_started")

    assert event.data["departments"] == [t.department.name for t in _tasks(case)]
    assert event.data["due_dates"] == ["2026-03-05", "2026-03-05"]
    assert (event.from_status, event.to_status, event.actor_kind) == (
        "accepted",
        "in_review",
        "system",
    )


# -- rejection ---------------------------------------------------------------------------


def test_a_rejection_refuses_the_case_and_cancels_the_other_pending_tasks(announced):
    case = _case(stages=(3,))
    first, second, third = _tasks(case)
    _approve(first)
    user = _reviewer(second)

    with announced() as calls, on(WED):
        services.task_reject(user=user, task=second, reason="  不符合规划条件  ")

    assert [t.status for t in _tasks(case)] == [
        TaskStatus.APPROVED,
        TaskStatus.REJECTED,
        TaskStatus.CANCELLED,
    ]
    case = _fresh(case)
    assert case.status == Status.REFUSED
    assert case.stages.get().outcome == StageOutcome.REJECTED
    decision = case.decision
    assert (decision.outcome, decision.reason, decision.decided_by, decision.decided_at) == (
        Outcome.REFUSED,
        "不符合规划条件",
        user,
        factories.moment(WED),
    )
    refused = case.events.get(kind="refused")
    assert (refused.actor_kind, refused.from_status, refused.to_status, refused.reason) == (
        "staff",
        "in_review",
        "refused",
        "不符合规划条件",
    )
    assert case.events.get(kind="task_rejected").data["cancelled"] == [third.department.name]
    assert calls == [(hooks.DECIDED, case.pk)]
    assert history_verify(case=case) is None


@pytest.mark.parametrize("reason", ["", "   "])
def test_a_rejection_needs_a_reason(reason):
    case = _case()
    (task,) = _tasks(case)

    with pytest.raises(CaseError) as caught, on(TUE):
        services.task_reject(user=_reviewer(task), task=task, reason=reason)

    assert (caught.value.code, caught.value.status, caught.value.field) == (
        "reason_required",
        422,
        "reason",
    )


def test_a_rejection_by_another_department_is_not_found():
    case = _case()
    (task,) = _tasks(case)
    stranger = factories.reviewer(department=orgs_factories.department(centre=case.centre))

    with pytest.raises(CaseNotFound), on(TUE):
        services.task_reject(user=stranger, task=task, reason="不同意")


def test_a_return_policy_runs_the_previous_stage_again(announced):
    case = _case(stages=(1, 2), rejection_policy=RejectionPolicy.RETURN_TO_PREVIOUS_STAGE)
    (first,) = _tasks(case)
    _approve(first, day=TUE)
    rejecting, other = _tasks(case, stage=2)

    with announced() as calls, on(WED):
        services.task_reject(user=_reviewer(rejecting), task=rejecting, reason="需重新审查")

    case = _fresh(case)
    assert case.status == Status.IN_REVIEW
    assert list(case.stages.order_by("number").values_list("number", "template_stage")) == [
        (1, 1),
        (2, 2),
        (3, 1),
    ]
    assert Stage.objects.get(case=case, number=2).outcome == StageOutcome.RETURNED
    assert [t.status for t in _tasks(case, stage=2)] == [TaskStatus.REJECTED, TaskStatus.CANCELLED]
    (again,) = _tasks(case, stage=3)
    assert (again.department, again.status, again.started_on) == (
        first.department,
        TaskStatus.PENDING,
        WED,
    )
    assert not Decision.objects.filter(case=case).exists()
    assert calls == [(hooks.STAGE_STARTED, case.pk)]
    assert other.department.name in case.events.get(kind="task_rejected").data["cancelled"]


def test_after_a_return_the_stages_run_forward_again():
    case = _case(stages=(1, 1), rejection_policy=RejectionPolicy.RETURN_TO_PREVIOUS_STAGE)
    _approve(_tasks(case)[0], day=TUE)
    (second,) = _tasks(case, stage=2)
    with on(WED):
        services.task_reject(user=_reviewer(second), task=second, reason="需重新审查")

    _approve(_tasks(case, stage=3)[0], day=THU)

    assert list(case.stages.order_by("number").values_list("template_stage", flat=True)) == [
        1,
        2,
        1,
        2,
    ]


def test_a_return_policy_in_the_first_stage_refuses():
    case = _case(stages=(2,), rejection_policy=RejectionPolicy.RETURN_TO_PREVIOUS_STAGE)
    task, _other = _tasks(case)

    with on(TUE):
        services.task_reject(user=_reviewer(task), task=task, reason="不符合条件")

    case = _fresh(case)
    assert (case.status, case.decision.outcome) == (Status.REFUSED, Outcome.REFUSED)
    assert case.stages.get().outcome == StageOutcome.REJECTED


# -- correction during review (补正) -------------------------------------------------------


def _case_with_applicant(**kwargs):
    person = factories.applicant(with_user=True)
    version = factories.review_item(**kwargs)
    case = factories.case_in_review(item_version=version, accepted_on=MON, applicant=person)
    return case, person.user


def _request_correction(case, task, day=WED, items=None):
    items = items if items is not None else [(case.item_version.materials.first(), "盖章不清晰")]
    with on(day):
        return services.task_request_correction(user=_reviewer(task), task=task, items=items)


def test_a_correction_notice_lists_the_items_and_stops_the_clock(announced):
    case = _case(stages=(2,))
    task, _other = _tasks(case)
    material = case.item_version.materials.first()

    with announced() as calls:
        _request_correction(case, task, items=[(material, " 盖章不清晰 "), (None, "补充现场照片")])

    notice = case.notices.get(kind=NoticeKind.CORRECTION)
    assert notice.body == {
        "items": [
            {"material": material.pk, "name": material.name, "note": "盖章不清晰"},
            {"material": None, "name": "", "note": "补充现场照片"},
        ],
        "department": task.department.name,
    }
    suspension = case.suspensions.get()
    assert (
        suspension.kind,
        suspension.task,
        suspension.started_on,
        suspension.ended_on,
        suspension.resume_status,
    ) == (SuspensionKind.CORRECTION, task, WED, None, Status.IN_REVIEW)
    task.refresh_from_db()
    assert task.status == TaskStatus.CORRECTION_REQUESTED
    case = _fresh(case)
    assert case.status == Status.SUSPENDED
    event = case.events.get(kind="correction_requested")
    assert (event.actor_kind, event.from_status, event.to_status, event.data["notice"]) == (
        "staff",
        "in_review",
        "suspended",
        notice.number,
    )
    assert calls == [(hooks.CORRECTION_REQUESTED, case.pk)]


@pytest.mark.parametrize(
    ("items", "code"),
    [
        ([], "correction_items_required"),
        ([(None, "  ")], "correction_note_required"),
    ],
)
def test_a_correction_needs_items_with_notes(items, code):
    case = _case()
    (task,) = _tasks(case)

    with pytest.raises(CaseError) as caught:
        _request_correction(case, task, items=items)

    assert (caught.value.code, caught.value.status) == (code, 422)
    assert _fresh(case).status == Status.IN_REVIEW


def test_a_correction_names_only_materials_of_the_cases_item():
    case = _case()
    (task,) = _tasks(case)
    foreign = catalog_factories.published_item().materials.first()

    with pytest.raises(CaseError) as caught:
        _request_correction(case, task, items=[(foreign, "不清晰")])

    assert caught.value.code == "material_not_of_item"


def test_a_supplement_without_a_new_material_is_refused():
    case, applicant_user = _case_with_applicant()
    (task,) = _tasks(case)
    with on(TUE):
        services.case_material_add(user=applicant_user, case=case, content=factories.PDF)
    _request_correction(case, task, day=WED)

    with pytest.raises(CaseError) as caught, on(THU):
        services.case_supplement_submit(user=applicant_user, case=case)

    assert (caught.value.code, caught.value.status) == ("supplement_missing", 422)
    assert _fresh(case).status == Status.SUSPENDED


def test_the_applicants_supplement_restarts_the_clock_and_the_task(announced):
    case, applicant_user = _case_with_applicant()
    (task,) = _tasks(case)
    _request_correction(case, task, day=WED)
    with on(FRI):
        services.case_material_add(
            user=applicant_user,
            case=case,
            content=factories.PDF,
            material=case.item_version.materials.first(),
        )

    with announced() as calls, on(FRI, 15):
        services.case_supplement_submit(user=applicant_user, case=case)

    case = _fresh(case)
    assert case.status == Status.IN_REVIEW
    assert case.suspensions.get().ended_on == FRI
    task.refresh_from_db()
    assert (task.status, task.decided_at, task.decided_by) == (TaskStatus.PENDING, None, None)
    # Case: 5 days from 3/2; 3/3 used, 3/4–3/6 stopped, restarts 3/9: 3/9…3/12 → 3/12.
    # Task: 3 days; 3/3 used, restarts 3/9: 3/9, 3/10 → 3/10.
    assert (case.due_date, task.due_date) == (dt.date(2026, 3, 12), dt.date(2026, 3, 10))
    kinds = list(case.events.order_by("seq").values_list("kind", "actor_kind"))
    assert kinds[-2:] == [("supplement_submitted", "applicant"), ("resumed", "system")]
    assert calls == [(hooks.RESUMED, case.pk)]
    assert history_verify(case=case) is None


def test_a_window_officer_of_the_centre_may_declare_the_supplement():
    case, _applicant_user = _case_with_applicant()
    (task,) = _tasks(case)
    _request_correction(case, task, day=WED)
    officer = orgs_factories.staff(centre=case.centre).user
    with on(THU):
        services.case_material_add(user=officer, case=case, content=factories.PNG)

    with on(THU, 11):
        services.case_supplement_submit(user=officer, case=case)

    assert _fresh(case).status == Status.IN_REVIEW
    assert case.events.get(kind="supplement_submitted").actor_kind == "staff"


@pytest.mark.parametrize("who", ["stranger", "other_centre_officer", "other_applicant"])
def test_only_the_applicant_or_the_centres_officer_declares_a_supplement(who):
    case, _applicant_user = _case_with_applicant()
    (task,) = _tasks(case)
    _request_correction(case, task, day=WED)
    user = {
        "stranger": lambda: None,
        "other_centre_officer": lambda: orgs_factories.staff().user,
        "other_applicant": factories.applicant_user,
    }[who]()

    with pytest.raises(CaseNotFound), on(THU):
        services.case_supplement_submit(user=user, case=case)


def test_a_reviewer_of_the_centre_may_not_declare_a_supplement():
    case, _applicant_user = _case_with_applicant()
    (task,) = _tasks(case)
    _request_correction(case, task, day=WED)

    with pytest.raises(CaseForbidden), on(THU):
        services.case_supplement_submit(user=_reviewer(task), case=case)


def test_a_supplement_without_a_correction_is_a_conflict():
    case, applicant_user = _case_with_applicant()

    with pytest.raises(CaseConflict) as caught, on(THU):
        services.case_supplement_submit(user=applicant_user, case=case)

    assert caught.value.code == "no_correction_pending"


# -- special procedures (特别程序) -----------------------------------------------------------


def _suspend(task, day=TUE, kind=SuspensionKind.EXPERT_REVIEW, reason="组织专家评审", user=None):
    with on(day):
        return services.case_suspend(
            user=user or _reviewer(task), task=task, kind=kind, reason=reason
        )


def test_a_special_procedure_suspends_the_case_with_a_written_notice(announced):
    case = _case()
    (task,) = _tasks(case)

    with announced() as calls:
        suspension = _suspend(task, day=TUE)

    assert (suspension.kind, suspension.started_on, suspension.ended_on) == (
        SuspensionKind.EXPERT_REVIEW,
        TUE,
        None,
    )
    assert case.notices.get(kind=NoticeKind.SUSPENSION).body == {
        "kind": "expert_review",
        "kind_label": "专家评审",
        "reason": "组织专家评审",
        "started_on": "2026-03-03",
    }
    case = _fresh(case)
    assert case.status == Status.SUSPENDED
    event = case.events.get(kind="suspended")
    assert (event.actor_kind, event.reason, event.data["procedure"]) == (
        "staff",
        "组织专家评审",
        "expert_review",
    )
    assert calls == [(hooks.SUSPENDED, case.pk)]


@pytest.mark.parametrize(
    ("kind", "reason", "code"),
    [
        (SuspensionKind.CORRECTION, "补正", "suspension_kind_invalid"),
        (SuspensionKind.PENDING_MATERIALS, "逾期", "suspension_kind_invalid"),
        ("holiday", "休假", "suspension_kind_invalid"),
        (SuspensionKind.HEARING, " ", "reason_required"),
    ],
)
def test_a_special_procedure_needs_a_known_kind_and_a_reason(kind, reason, code):
    case = _case()
    (task,) = _tasks(case)

    with pytest.raises(CaseError) as caught:
        _suspend(task, kind=kind, reason=reason)

    assert (caught.value.code, caught.value.status) == (code, 422)
    assert not case.suspensions.exists()


def test_a_special_procedure_by_another_department_is_not_found():
    case = _case()
    (task,) = _tasks(case)
    stranger = factories.reviewer(department=orgs_factories.department(centre=case.centre))

    with pytest.raises(CaseNotFound):
        _suspend(task, user=stranger)


def test_a_second_special_procedure_while_suspended_is_a_conflict():
    case = _case(stages=(2,))
    first, second = _tasks(case)
    _suspend(first)

    with pytest.raises(CaseConflict) as caught:
        _suspend(second, day=WED)

    assert caught.value.code == "case_not_in_review"


def test_an_open_suspension_left_by_a_race_is_a_conflict_not_a_crash():
    case = _case()
    (task,) = _tasks(case)
    Suspension.objects.create(case=case, kind=SuspensionKind.HEARING, reason="x", started_on=MON)

    with pytest.raises(CaseConflict) as caught:
        _suspend(task)

    assert caught.value.code == "suspension_open"
    assert _fresh(case).status == Status.IN_REVIEW


def test_a_reviewer_of_the_current_stage_resumes_the_case(announced):
    case = _case(stages=(2,))
    first, second = _tasks(case)
    _suspend(first, day=TUE)

    with announced() as calls, on(THU):
        services.case_resume(user=_reviewer(second), case=case)

    case = _fresh(case)
    assert case.status == Status.IN_REVIEW
    assert case.suspensions.get().ended_on == THU
    # 5 working days from 3/2, the clock stopped 3/3–3/5: 3/6, 3/9, 3/10, 3/11, 3/12.
    assert case.due_date == dt.date(2026, 3, 12)
    resumed = case.events.get(kind="resumed")
    assert (resumed.actor_kind, resumed.from_status, resumed.to_status) == (
        "system",
        "suspended",
        "in_review",
    )
    assert resumed.data["due_date"] == "2026-03-12"
    assert case.events.get(kind="special_procedure_ended").actor_kind == "staff"
    assert calls == [(hooks.RESUMED, case.pk)]
    assert history_verify(case=case) is None


def test_a_reviewer_outside_the_current_stage_may_not_resume():
    case = _case(stages=(1, 1))
    (first,) = _tasks(case)
    _suspend(first)
    later = ProcessStageTask.objects.get(version=case.item_version, stage=2).department

    with pytest.raises(CaseNotFound), on(THU):
        services.case_resume(user=factories.reviewer(department=later), case=case)


def test_a_window_officer_may_not_resume():
    case = _case()
    (task,) = _tasks(case)
    _suspend(task)
    officer = orgs_factories.staff(roles=(Role.WINDOW_OFFICER,), department=task.department)

    with pytest.raises(CaseNotFound), on(THU):
        services.case_resume(user=officer.user, case=case)


def test_resuming_a_case_that_is_not_suspended_is_a_conflict():
    case = _case()
    (task,) = _tasks(case)

    with pytest.raises(CaseConflict) as caught, on(THU):
        services.case_resume(user=_reviewer(task), case=case)

    assert caught.value.code == "no_special_procedure"


def test_a_correction_is_not_ended_by_resuming():
    case = _case()
    (task,) = _tasks(case)
    _request_correction(case, task, day=TUE)

    with pytest.raises(CaseConflict) as caught, on(THU):
        services.case_resume(user=_reviewer(task), case=case)

    assert caught.value.code == "no_special_procedure"


# -- extensions (延期) ------------------------------------------------------------------------


def _request_extension(task, workdays=3, day=WED, reason="需补充勘验", user=None):
    with on(day):
        return services.extension_request(
            user=user or _reviewer(task), task=task, workdays=workdays, reason=reason
        )


def _decide(extension, user, approve=True, day=THU, note=""):
    with on(day):
        return services.extension_decide(user=user, extension=extension, approve=approve, note=note)


def test_a_reviewer_requests_an_extension(announced):
    case = _case()
    (task,) = _tasks(case)
    user = _reviewer(task)

    with announced() as calls:
        extension = _request_extension(task, workdays=3, user=user)

    assert (
        extension.status,
        extension.workdays,
        extension.task,
        extension.requested_by,
        extension.requested_at,
    ) == (ExtensionStatus.REQUESTED, 3, task, user, factories.moment(WED))
    event = case.events.get(kind="extension_requested")
    assert (event.reason, event.data["workdays"]) == ("需补充勘验", 3)
    assert calls == [(hooks.EXTENSION_REQUESTED, case.pk)]
    assert _fresh(case).due_date == dt.date(2026, 3, 9)  # unchanged until approved


def test_an_extension_needs_a_reason():
    case = _case()
    (task,) = _tasks(case)

    with pytest.raises(CaseError) as caught:
        _request_extension(task, reason="")

    assert (caught.value.code, caught.value.status) == ("reason_required", 422)


def test_an_extension_by_another_department_is_not_found():
    case = _case()
    (task,) = _tasks(case)
    stranger = factories.reviewer(department=orgs_factories.department(centre=case.centre))

    with pytest.raises(CaseNotFound):
        _request_extension(task, user=stranger)


@pytest.mark.parametrize(("stages", "allowed"), [((1,), 10), ((1, 2), 15)])
def test_an_extension_is_at_most_10_working_days_or_15_for_joint_handling(stages, allowed):
    case = _case(stages=stages)
    (task,) = _tasks(case)

    with pytest.raises(CaseError) as caught:
        _request_extension(task, workdays=allowed + 1)
    extension = _request_extension(task, workdays=allowed)

    assert (caught.value.code, caught.value.details) == (
        "extension_too_long",
        {"limit": allowed, "used": 0},
    )
    assert extension.workdays == allowed


def test_approved_extensions_count_towards_the_limit():
    case = _case()
    (task,) = _tasks(case)
    leader = factories.leader(centre=case.centre)
    _decide(_request_extension(task, workdays=6, day=TUE), leader, day=TUE)

    with pytest.raises(CaseError) as caught:
        _request_extension(task, workdays=5, day=WED)

    assert (caught.value.code, caught.value.details) == (
        "extension_too_long",
        {"limit": 10, "used": 6},
    )


def test_one_open_extension_request_per_case():
    case = _case(stages=(2,))
    first, second = _tasks(case)
    _request_extension(first)

    with pytest.raises(CaseConflict) as caught:
        _request_extension(second)

    assert (caught.value.code, caught.value.status) == ("extension_open", 409)


def test_an_extension_may_be_requested_on_the_due_date_but_not_after():
    case = _case()  # due 3/9
    (task,) = _tasks(case)

    with pytest.raises(CaseError) as caught:
        _request_extension(task, day=dt.date(2026, 3, 10))
    on_time = _request_extension(task, day=NEXT_MON)

    assert caught.value.code == "extension_too_late"
    assert on_time.status == ExtensionStatus.REQUESTED


def test_a_leader_approves_an_extension_and_the_applicant_is_told_the_new_date(announced):
    case = _case()  # due 3/9; the task 3/5
    (task,) = _tasks(case)
    extension = _request_extension(task, workdays=3, day=WED)
    leader = factories.leader(centre=case.centre)

    with announced() as calls:
        extension = _decide(extension, leader, day=THU, note="同意")

    assert (
        extension.status,
        extension.approved_by,
        extension.approved_at,
        extension.applicant_notified_at,
        extension.decision_note,
    ) == (
        ExtensionStatus.APPROVED,
        leader,
        factories.moment(THU),
        factories.moment(THU),
        "同意",
    )
    case = _fresh(case)
    task.refresh_from_db()
    # 5 + 3 working days from 3/2: 3/12; the task's 3 + 3 from 3/2: 3/10.
    assert (case.due_date, task.due_date) == (dt.date(2026, 3, 12), dt.date(2026, 3, 10))
    assert case.notices.get(kind=NoticeKind.EXTENSION).body == {
        "workdays": 3,
        "reason": "需补充勘验",
        "due_date": "2026-03-12",
    }
    assert case.events.get(kind="extension_approved").data["due_date"] == "2026-03-12"
    assert calls == [(hooks.EXTENSION_APPROVED, case.pk)]


def test_a_leader_of_a_centre_above_may_decide():
    county = orgs_factories.centre()
    township = orgs_factories.centre(parent=county)
    case = _case(centre=township)
    (task,) = _tasks(case)
    extension = _request_extension(task)

    assert _decide(extension, factories.leader(centre=county)).status == ExtensionStatus.APPROVED


def test_a_leader_of_a_centre_below_or_beside_gets_not_found():
    county = orgs_factories.centre()
    township = orgs_factories.centre(parent=county)
    case = _case(centre=county)
    (task,) = _tasks(case)
    extension = _request_extension(task)

    for centre in (township, orgs_factories.centre()):
        with pytest.raises(CaseNotFound):
            _decide(extension, factories.leader(centre=centre))


@pytest.mark.parametrize("role", [Role.REVIEWER, Role.WINDOW_OFFICER, Role.CENTRE_ADMIN])
def test_staff_of_the_centre_without_the_leader_role_are_forbidden(role):
    case = _case()
    (task,) = _tasks(case)
    extension = _request_extension(task)
    member = orgs_factories.staff(roles=(role,), centre=case.centre)

    with pytest.raises(CaseForbidden) as caught:
        _decide(extension, member.user)

    assert (caught.value.code, caught.value.status) == ("not_leader", 403)


def test_a_refused_extension_leaves_the_due_date():
    case = _case()
    (task,) = _tasks(case)
    extension = _request_extension(task)

    extension = _decide(
        extension, factories.leader(centre=case.centre), approve=False, note="理由不足"
    )

    assert (extension.status, extension.decision_note) == (ExtensionStatus.REFUSED, "理由不足")
    assert _fresh(case).due_date == dt.date(2026, 3, 9)
    assert not case.notices.filter(kind=NoticeKind.EXTENSION).exists()
    assert case.events.get(kind="extension_refused").reason == "理由不足"


def test_an_extension_is_decided_once():
    case = _case()
    (task,) = _tasks(case)
    leader = factories.leader(centre=case.centre)
    extension = _request_extension(task)
    _decide(extension, leader)

    with pytest.raises(CaseConflict) as caught:
        _decide(extension, leader, approve=False)

    assert caught.value.code == "extension_not_requested"


def test_an_extension_is_not_approved_after_the_due_date():
    case = _case()  # due 3/9
    (task,) = _tasks(case)
    extension = _request_extension(task, day=NEXT_MON)

    with pytest.raises(CaseError) as caught:
        _decide(extension, factories.leader(centre=case.centre), day=dt.date(2026, 3, 10))

    assert caught.value.code == "extension_too_late"


# -- deemed consent on timeout (超时默认) ------------------------------------------------------


def _deemed_option(task: Task) -> None:
    ProcessStageTask.objects.filter(
        version=task.case.item_version, department=task.department
    ).update(deemed_consent_on_timeout=True)


def _deem(today: dt.date) -> int:
    with on(today, 1):
        return services.tasks_deem_consent(today=today)


def test_an_overdue_task_of_a_department_with_the_option_is_deemed_approved():
    case = _case(stages=(2,))  # tasks due 3/5
    first, second = _tasks(case)
    _deemed_option(first)
    _approve(second, day=TUE)

    count = _deem(FRI)

    first.refresh_from_db()
    assert count == 1
    assert (first.status, first.deemed_consent, first.opinion, first.decided_by) == (
        TaskStatus.APPROVED,
        True,
        "超时默认同意",
        None,
    )
    event = case.events.get(kind="task_deemed_approved")
    assert (event.actor, event.actor_kind) == (None, "system")
    assert _fresh(case).status == Status.PENDING_DECISION
    assert history_verify(case=case) is None


def test_deemed_consent_runs_once():
    case = _case()
    (task,) = _tasks(case)
    _deemed_option(task)

    assert [_deem(FRI), _deem(FRI), _deem(NEXT_MON)] == [1, 0, 0]


def test_deemed_consent_is_off_by_default():
    case = _case()
    (task,) = _tasks(case)

    assert _deem(NEXT_MON) == 0
    task.refresh_from_db()
    assert task.status == TaskStatus.PENDING


def test_a_task_is_not_deemed_approved_on_its_due_date():
    case = _case()
    (task,) = _tasks(case)
    _deemed_option(task)

    assert _deem(THU) == 0


def test_a_suspended_case_is_not_deemed_approved():
    case = _case(stages=(2,))
    first, second = _tasks(case)
    _deemed_option(first)
    _suspend(second, day=TUE)

    assert _deem(NEXT_MON) == 0


def test_only_the_departments_with_the_option_are_deemed_to_agree():
    case = _case(stages=(2,))
    first, _second = _tasks(case)
    _deemed_option(first)

    assert _deem(FRI) == 1
    assert [t.status for t in _tasks(case)] == [TaskStatus.APPROVED, TaskStatus.PENDING]
    assert _fresh(case).status == Status.IN_REVIEW


def test_an_extension_of_a_withdrawn_case_lapses_and_cannot_be_approved():
    case, applicant_user = _case_with_applicant()
    (task,) = _tasks(case)
    extension = _request_extension(task, day=WED)
    with on(WED):
        services.case_withdraw(user=applicant_user, case=_fresh(case), reason="不再办理")

    with pytest.raises(CaseConflict) as caught:
        _decide(extension, factories.leader(centre=case.centre), day=THU)

    assert caught.value.code == "extension_not_requested"
    assert not _fresh(case).notices.filter(kind=NoticeKind.EXTENSION).exists()
