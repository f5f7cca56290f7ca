"""Reminders of pending materials due soon: once per commitment, in working days."""

from __future__ import annotations

import datetime as dt
import threading

import pytest
from django.db import connection

from yichuang.cases import hooks
from yichuang.cases.workflow import Status
from yichuang.common import clock
from yichuang.notifications.models import Message, Reminder
from yichuang.notifications.services import pending_reminders_send, reminder_key
from yichuang.notifications.tests import factories

pytestmark = pytest.mark.django_db

THURSDAY = dt.date(2026, 3, 5)


def remind(capture, today=THURSDAY) -> int:
    with capture(execute=True):
        return pending_reminders_send(today=today)


@pytest.mark.parametrize(
    ("supply_by", "reminded"),
    [
        (dt.date(2026, 3, 4), False),  # already past: overdue, not due soon
        (dt.date(2026, 3, 5), True),  # today
        (dt.date(2026, 3, 6), True),  # Friday: 1 working day left
        (dt.date(2026, 3, 8), True),  # Sunday: still 1 working day left
        (dt.date(2026, 3, 9), True),  # Monday: 2 working days left
        (dt.date(2026, 3, 10), False),  # Tuesday: 3 working days left
    ],
)
def test_commitments_within_two_working_days_are_reminded(
    supply_by, reminded, django_capture_on_commit_callbacks, sms_outbox
):
    case = factories.case()
    factories.commitment(case=case, supply_by=supply_by)

    count = remind(django_capture_on_commit_callbacks)

    assert count == int(reminded)
    assert len(sms_outbox) == int(reminded)
    assert Message.objects.filter(kind=hooks.PENDING_DUE_SOON).count() == 2 * int(reminded)


def test_the_reminder_names_the_date_and_the_materials(django_capture_on_commit_callbacks):
    case = factories.case()
    factories.commitment(case=case, supply_by=dt.date(2026, 3, 9))

    remind(django_capture_on_commit_callbacks)

    (message,) = factories.messages_of(case.applicant.user)
    assert message.title == "容缺材料补交提醒"
    assert message.body.endswith("请于2026年3月9日前补交：申请材料1、申请材料2，逾期将暂停办理。")


def test_a_commitment_is_reminded_only_once(django_capture_on_commit_callbacks, sms_outbox):
    case = factories.case()
    commitment = factories.commitment(case=case, supply_by=dt.date(2026, 3, 6))

    first = remind(django_capture_on_commit_callbacks)
    second = remind(django_capture_on_commit_callbacks, today=dt.date(2026, 3, 6))

    assert (first, second) == (1, 0)
    assert len(sms_outbox) == 1
    assert Reminder.objects.get().key == reminder_key(commitment)


def test_a_commitment_claimed_by_another_run_is_not_reminded(
    django_capture_on_commit_callbacks, sms_outbox
):
    case = factories.case()
    commitment = factories.commitment(case=case, supply_by=dt.date(2026, 3, 6))
    Reminder.objects.create(
        key=reminder_key(commitment), case=case, event=hooks.PENDING_DUE_SOON, sent_at=clock.now()
    )

    assert remind(django_capture_on_commit_callbacks) == 0
    assert sms_outbox == []


@pytest.mark.parametrize(
    "state",
    [
        {"fulfilled_at": factories.AT},
        {"broken_at": factories.AT},
    ],
)
def test_fulfilled_or_broken_commitments_are_not_reminded(
    state, django_capture_on_commit_callbacks
):
    factories.commitment(case=factories.case(), supply_by=THURSDAY, **state)

    assert remind(django_capture_on_commit_callbacks) == 0


@pytest.mark.parametrize("status", [Status.CONCLUDED, Status.WITHDRAWN, Status.RETURNED])
def test_commitments_of_finished_cases_are_not_reminded(status, django_capture_on_commit_callbacks):
    factories.commitment(case=factories.case(status=status), supply_by=THURSDAY)

    assert remind(django_capture_on_commit_callbacks) == 0


def test_the_reminder_period_is_a_setting(settings, django_capture_on_commit_callbacks):
    settings.YICHUANG = {**settings.YICHUANG, "PENDING_REMIND_DAYS": 0}
    factories.commitment(case=factories.case(), supply_by=THURSDAY)
    factories.commitment(case=factories.case(), supply_by=dt.date(2026, 3, 6))

    assert remind(django_capture_on_commit_callbacks) == 1


def test_a_holiday_does_not_count_as_a_working_day(django_capture_on_commit_callbacks):
    from yichuang.workdays.services import day_override_set

    day_override_set(day=dt.date(2026, 3, 6), kind="holiday", name="测试假日")
    factories.commitment(case=factories.case(), supply_by=dt.date(2026, 3, 10))

    assert remind(django_capture_on_commit_callbacks) == 1  # Mon 1, Tue 2 working days left


@pytest.mark.postgres_only
@pytest.mark.django_db(transaction=True)
def test_two_concurrent_runs_send_each_reminder_once(sms_outbox):
    if connection.vendor != "postgresql":
        pytest.skip("concurrent transactions need PostgreSQL")
    cases = [factories.case() for _ in range(3)]
    for case in cases:
        factories.commitment(case=case, supply_by=dt.date(2026, 3, 6))
    count = 4
    barrier = threading.Barrier(count)
    results: list[int] = []

    def run() -> None:
        try:
            barrier.wait()
            results.append(pending_reminders_send(today=THURSDAY))
        finally:
            connection.close()

    threads = [threading.Thread(target=run) for _ in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert sum(results) == 3
    assert sorted(s.phone for s in sms_outbox) == ["13812345678"] * 3
    assert Message.objects.count() == 6  # applicant and agent of each case
