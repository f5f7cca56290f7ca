"""Departments acting at the same moment, each on its own database connection (PostgreSQL).

The case row lock serialises them: exactly one sees the stage complete, the history stays
one chain, and a task approved twice at once is approved once.
"""

from __future__ import annotations

import datetime as dt
import threading
from collections.abc import Callable
from typing import Any

import pytest
from django.db import connection

from yichuang.cases import services
from yichuang.cases.errors import CaseConflict
from yichuang.cases.history import history_verify
from yichuang.cases.models import Case, Task, TaskStatus
from yichuang.cases.tests import factories
from yichuang.cases.workflow import Status
from yichuang.common import clock

pytestmark = [pytest.mark.postgres_only, pytest.mark.django_db(transaction=True)]

MON, TUE = dt.date(2026, 3, 2), dt.date(2026, 3, 3)


@pytest.fixture(autouse=True)
def _postgres_only():
    if connection.vendor != "postgresql":
        pytest.skip("row locks need PostgreSQL")


def _at_once(count: int, work: Callable[[int], Any]) -> list[Any]:
    """Run `work(0)`…`work(count-1)` in threads released together, each with its own
    connection; the result or the exception of each, in index order."""
    barrier = threading.Barrier(count)
    outcomes: list[Any] = [None] * count

    def run(i: int) -> None:
        try:
            barrier.wait()
            outcomes[i] = work(i)
        except Exception as exc:  # the outcome under test
            outcomes[i] = exc
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(i,)) for i in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return outcomes


def _case_with_reviewers(stages: tuple[int, ...]) -> tuple[Case, list[Task], list[Any]]:
    version = factories.review_item(stages=stages)
    case = factories.case_in_review(item_version=version, accepted_on=MON)
    tasks = list(case.tasks.order_by("id"))
    return case, tasks, [factories.reviewer(department=t.department) for t in tasks]


def _approve_all_at_once(tasks: list[Task], users: list[Any]) -> list[Any]:
    with clock.frozen(factories.moment(TUE)):
        return _at_once(
            len(tasks),
            lambda i: services.task_approve(user=users[i], task=tasks[i]).status,
        )


def test_three_departments_approving_at_once_start_the_next_stage_exactly_once():
    case, tasks, users = _case_with_reviewers(stages=(3, 1))

    outcomes = _approve_all_at_once(tasks, users)

    assert outcomes == [TaskStatus.APPROVED] * 3
    assert list(case.stages.order_by("number").values_list("number", "template_stage")) == [
        (1, 1),
        (2, 2),
    ]
    assert case.tasks.filter(stage__number=2, status=TaskStatus.PENDING).count() == 1
    kinds = list(case.events.values_list("kind", flat=True))
    assert (kinds.count("task_approved"), kinds.count("stage_completed")) == (3, 1)
    assert kinds.count("stage_started") == 2
    assert Case.objects.get(pk=case.pk).status == Status.IN_REVIEW
    assert history_verify(case=case) is None


def test_three_departments_approving_the_last_stage_at_once_end_the_review_once():
    case, tasks, users = _case_with_reviewers(stages=(3,))

    outcomes = _approve_all_at_once(tasks, users)

    assert outcomes == [TaskStatus.APPROVED] * 3
    assert Case.objects.get(pk=case.pk).status == Status.PENDING_DECISION
    assert list(case.events.values_list("kind", flat=True)).count("review_completed") == 1
    assert history_verify(case=case) is None


def test_one_task_approved_twice_at_once_is_approved_once():
    case, (task,), (user,) = _case_with_reviewers(stages=(1,))
    colleague = factories.reviewer(department=task.department)
    users = [user, colleague]

    with clock.frozen(factories.moment(TUE)):
        outcomes = _at_once(2, lambda i: services.task_approve(user=users[i], task=task).status)

    approved = [o for o in outcomes if o == TaskStatus.APPROVED]
    conflicts = [o for o in outcomes if isinstance(o, CaseConflict)]
    assert (len(approved), [c.code for c in conflicts]) == (1, ["task_not_pending"])
    assert list(case.events.values_list("kind", flat=True)).count("task_approved") == 1
    assert history_verify(case=case) is None
