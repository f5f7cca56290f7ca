"""Due dates and lights of cases and tasks from their stored facts (RULES.md §1).

Every expected date is worked out by hand from the 2026 State Council notice (RULES.md):
中秋 9/25–9/27, 国庆 10/1–10/7 (make-up working days 9/20 Sun and 10/10 Sat); 2027 has no
calendar data, so Monday–Friday count and the result is provisional. The day of acceptance
(or of a stage's start) is not counted.
"""

from __future__ import annotations

import datetime as dt

import pytest

from yichuang.cases import services
from yichuang.cases.deadlines import Light
from yichuang.cases.models import Case, SuspensionKind, Task, TaskStatus
from yichuang.cases.services import timing
from yichuang.cases.tests import factories
from yichuang.cases.workflow import Status
from yichuang.catalog.models import HandlingKind
from yichuang.common import clock

pytestmark = pytest.mark.django_db

D = dt.date


def on(day: dt.date, hour: int = 10):
    return clock.frozen(factories.moment(day, hour))


def _case(*, accepted_on: dt.date, promised: int, limit: int = 3, stages=(1,), **fields) -> Case:
    version = factories.review_item(
        stages=stages, promised_limit=promised, limit_workdays=limit, **fields
    )
    return factories.case_in_review(item_version=version, accepted_on=accepted_on)


def _task(case: Case, stage: int = 1) -> Task:
    return Task.objects.get(case=case, stage__number=stage)


def _fresh(case: Case) -> Case:
    return Case.objects.get(pk=case.pk)


# -- due dates -----------------------------------------------------------------------------


def test_the_due_dates_at_acceptance_skip_the_mid_autumn_and_national_day_holidays():
    case = _case(accepted_on=D(2026, 9, 21), promised=10, limit=5)

    # Case: 9/22, 9/23, 9/24, 9/28, 9/29, 9/30, 10/8, 10/9, 10/10 (make-up Sat), 10/12.
    # Task: 9/22, 9/23, 9/24, 9/28, 9/29.
    assert (case.due_date, case.due_provisional) == (D(2026, 10, 12), False)
    assert _task(case).due_date == D(2026, 9, 29)


def test_a_special_procedure_across_national_day_stops_only_its_working_days():
    case = _case(accepted_on=D(2026, 9, 21), promised=10, limit=5)
    task = _task(case)
    reviewer = factories.reviewer(department=task.department)
    with on(D(2026, 9, 29)):
        services.case_suspend(user=reviewer, task=task, kind=SuspensionKind.TESTING, reason="送检")

    with on(D(2026, 10, 9)):
        services.case_resume(user=reviewer, case=case)

    # Stopped 9/29–10/9: four working days (9/29, 9/30, 10/8, 10/9), the holidays between
    # them were never counted. Case: 10 + 4 = 14 working days → 10/16. Task: 5 + 4 = 9
    # working days → 9/22, 9/23, 9/24, 9/28, 9/29, 9/30, 10/8, 10/9, 10/10 (make-up Sat).
    task.refresh_from_db()
    assert (_fresh(case).due_date, task.due_date) == (D(2026, 10, 16), D(2026, 10, 10))


def test_a_running_suspension_moves_the_stored_due_date_to_its_start_day():
    case = _case(accepted_on=D(2026, 9, 21), promised=10, limit=5)
    task = _task(case)

    with on(D(2026, 9, 29)):
        services.case_suspend(
            user=factories.reviewer(department=task.department),
            task=task,
            kind=SuspensionKind.APPRAISAL,
            reason="鉴定",
        )

    # Counted up to today (9/29): one working day stopped, 10/12 → 10/13.
    assert _fresh(case).due_date == D(2026, 10, 13)


def test_a_correction_restarts_the_clock_the_day_after_a_saturday_supplement():
    person = factories.applicant(with_user=True)
    version = factories.review_item(promised_limit=5, limit_workdays=3)
    case = factories.case_in_review(
        item_version=version, accepted_on=D(2026, 3, 2), applicant=person
    )
    task = _task(case)
    with on(D(2026, 3, 4)):
        services.task_request_correction(
            user=factories.reviewer(department=task.department),
            task=task,
            items=[(None, "补充现场照片")],
        )
    with on(D(2026, 3, 7)):  # Saturday, online
        services.case_material_add(user=person.user, case=case, content=factories.PDF)

    with on(D(2026, 3, 7), 11):
        services.case_supplement_submit(user=person.user, case=case)

    # Received on Saturday = received Monday 3/9; the clock restarts on 3/10. Stopped
    # 3/4–3/9 (3/4, 3/5, 3/6, 3/9). Case: 3/3 used, then 3/10, 3/11, 3/12, 3/13 → 3/13.
    # Task: 3/3 used, then 3/10, 3/11 → 3/11.
    task.refresh_from_db()
    assert _fresh(case).suspensions.get().ended_on == D(2026, 3, 9)
    assert (_fresh(case).due_date, task.due_date) == (D(2026, 3, 13), D(2026, 3, 11))


def test_an_extension_for_one_task_moves_the_case_and_that_task_only():
    case = _case(accepted_on=D(2026, 3, 2), promised=5, stages=(2,))
    first, second = Task.objects.filter(case=case).order_by("id")
    with on(D(2026, 3, 3)):
        extension = services.extension_request(
            user=factories.reviewer(department=first.department),
            task=first,
            workdays=2,
            reason="需现场核查",
        )

    with on(D(2026, 3, 4)):
        services.extension_decide(
            user=factories.leader(centre=case.centre), extension=extension, approve=True
        )

    # Case 5 + 2 → 3/11; first task 3 + 2 → 3/9; second task unchanged 3/5.
    first.refresh_from_db()
    second.refresh_from_db()
    assert (_fresh(case).due_date, first.due_date, second.due_date) == (
        D(2026, 3, 11),
        D(2026, 3, 9),
        D(2026, 3, 5),
    )


def test_a_due_date_crossing_into_2027_is_provisional():
    case = _case(accepted_on=D(2026, 12, 21), promised=10)

    # 12/22–12/25, 12/28–12/31 (8), then 2027 without data: Fri 1/1 (9), Mon 1/4 (10).
    assert (case.due_date, case.due_provisional) == (D(2027, 1, 4), True)
    task = _task(case)
    assert (task.due_date, task.due_provisional) == (D(2026, 12, 24), False)


def test_a_stage_started_late_in_2026_gets_a_provisional_task_due_date():
    case = _case(accepted_on=D(2026, 12, 21), promised=10, stages=(1, 1))
    first = _task(case)

    with on(D(2026, 12, 30)):
        services.task_approve(user=factories.reviewer(department=first.department), task=first)

    # From 12/30: 12/31, 1/1 (a weekday of 2027, counted), 1/4.
    second = _task(case, stage=2)
    assert (second.due_date, second.due_provisional) == (D(2027, 1, 4), True)


def test_an_extension_into_2027_stays_provisional():
    case = _case(accepted_on=D(2026, 12, 21), promised=10)
    task = _task(case)
    with on(D(2026, 12, 22)):
        extension = services.extension_request(
            user=factories.reviewer(department=task.department),
            task=task,
            workdays=2,
            reason="专家意见未到",
        )

    with on(D(2026, 12, 23)):
        services.extension_decide(
            user=factories.leader(centre=case.centre), extension=extension, approve=True
        )

    case = _fresh(case)
    assert (case.due_date, case.due_provisional) == (D(2027, 1, 6), True)
    assert case.notices.get(kind="extension").body["due_date"] == "2027-01-06"


def test_an_immediate_item_is_due_on_its_acceptance_day():
    version = factories.review_item(handling_kind=HandlingKind.IMMEDIATE, promised_limit=0)
    row = factories.case(item_version=version, status=Status.ACCEPTED, accepted_on=D(2026, 3, 2))

    with on(D(2026, 3, 2)):
        services.case_due_refresh(case=row)

    assert (_fresh(row).due_date, _fresh(row).due_provisional) == (D(2026, 3, 2), False)


def test_a_case_not_accepted_has_no_due_date_to_refresh():
    row = factories.case(status=Status.SUBMITTED)

    services.case_due_refresh(case=row)

    assert _fresh(row).due_date is None


def test_a_decided_task_keeps_its_due_date():
    case = _case(accepted_on=D(2026, 3, 2), promised=5, stages=(2,))
    first, second = Task.objects.filter(case=case).order_by("id")
    with on(D(2026, 3, 3)):
        services.task_approve(user=factories.reviewer(department=first.department), task=first)

    with on(D(2026, 3, 4)):
        services.case_suspend(
            user=factories.reviewer(department=second.department),
            task=second,
            kind=SuspensionKind.HEARING,
            reason="听证",
        )
    with on(D(2026, 3, 6)):
        services.case_resume(user=factories.reviewer(department=second.department), case=case)

    first.refresh_from_db()
    second.refresh_from_db()
    # Stopped 3/4–3/6; the pending task: 3/3, then 3/9, 3/10 → 3/10.
    assert (first.status, first.due_date) == (TaskStatus.APPROVED, D(2026, 3, 5))
    assert second.due_date == D(2026, 3, 10)


# -- lights --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("today", "expected"),
    [
        (D(2026, 3, 2), Light.GREEN),  # 5 working days left
        (D(2026, 3, 5), Light.GREEN),  # 3 of 5 used (60 %), 2 left
        (D(2026, 3, 6), Light.YELLOW),  # 1 working day left
        (D(2026, 3, 9), Light.YELLOW),  # the due day
        (D(2026, 3, 10), Light.RED),
    ],
)
def test_the_case_light_follows_the_due_date(today, expected):
    case = _case(accepted_on=D(2026, 3, 2), promised=5)

    assert services.case_light(case=case, today=today) == expected


@pytest.mark.parametrize(
    ("today", "expected"),
    [
        (D(2026, 3, 11), Light.GREEN),  # 7 of 10 used, 3 left
        (D(2026, 3, 12), Light.YELLOW),  # 8 of 10 used: 80 %
    ],
)
def test_the_case_light_turns_yellow_at_80_percent_used(today, expected):
    case = _case(accepted_on=D(2026, 3, 2), promised=10)  # due 3/16

    assert services.case_light(case=case, today=today) == expected


def test_the_yellow_thresholds_are_settings(settings):
    settings.YICHUANG = {**settings.YICHUANG, "LIGHT_YELLOW_DAYS_LEFT": 3}
    case = _case(accepted_on=D(2026, 3, 2), promised=10)  # due 3/16

    # 3/11: 3/12, 3/13, 3/16 left.
    assert services.case_light(case=case, today=D(2026, 3, 11)) == Light.YELLOW


def test_a_suspended_case_is_never_red():
    case = _case(accepted_on=D(2026, 3, 2), promised=5)
    task = _task(case)
    with on(D(2026, 3, 3)):
        services.case_suspend(
            user=factories.reviewer(department=task.department),
            task=task,
            kind=SuspensionKind.EXPERT_REVIEW,
            reason="专家评审",
        )

    assert services.case_light(case=_fresh(case), today=D(2026, 4, 20)) == Light.GREEN


def test_a_late_task_is_red_while_the_case_is_still_in_time():
    case = _case(accepted_on=D(2026, 3, 2), promised=10)  # case due 3/16, task due 3/5

    today = D(2026, 3, 6)

    assert services.task_light(task=_task(case), today=today) == Light.RED
    assert services.case_light(case=case, today=today) == Light.GREEN


def test_a_decided_task_and_a_case_not_accepted_have_no_light():
    case = _case(accepted_on=D(2026, 3, 2), promised=5)
    task = _task(case)
    with on(D(2026, 3, 3)):
        services.task_approve(user=factories.reviewer(department=task.department), task=task)
    task.refresh_from_db()

    assert services.task_light(task=task, today=D(2026, 3, 3)) is None
    assert services.case_light(case=factories.case(), today=D(2026, 3, 3)) is None


def test_clock_facts_read_for_a_list_give_the_same_lights_as_the_case_rows(
    django_assert_num_queries,
):
    """`clock_facts_load` (two queries for a whole page) and the case's own suspensions and
    extensions give the same due dates and lights."""
    suspended = _case(accepted_on=D(2026, 3, 2), promised=5)
    extended = _case(accepted_on=D(2026, 3, 2), promised=5, stages=(2,))
    plain = _case(accepted_on=D(2026, 3, 2), promised=10)
    with on(D(2026, 3, 3)):
        services.case_suspend(
            user=factories.reviewer(department=_task(suspended).department),
            task=_task(suspended),
            kind=SuspensionKind.EXPERT_REVIEW,
            reason="专家评审",
        )
        first = Task.objects.filter(case=extended).order_by("id").first()
        extension = services.extension_request(
            user=factories.reviewer(department=first.department),
            task=first,
            workdays=2,
            reason="需现场核查",
        )
    with on(D(2026, 3, 4)):
        services.extension_decide(
            user=factories.leader(centre=extended.centre), extension=extension, approve=True
        )
    ids = [suspended.pk, extended.pk, plain.pk]
    today = D(2026, 3, 10)

    def lights(cases):
        return [
            (
                services.case_light(case=case, today=today),
                [services.task_light(task=t, today=today) for t in case.tasks.order_by("id")],
            )
            for case in cases
        ]

    loaded = list(Case.objects.filter(pk__in=ids).order_by("pk"))
    timing.clock_facts_load(loaded)
    with django_assert_num_queries(0):  # read once for the list, kept on each case
        facts = [(timing._suspensions(case), timing._approved_extensions(case)) for case in loaded]
    assert [len(suspensions) for suspensions, _extensions in facts] == [1, 0, 0]
    assert [extensions for _suspensions, extensions in facts] == [[], [(first.pk, 2)], []]
    assert lights(loaded) == lights(Case.objects.filter(pk__in=ids).order_by("pk"))
