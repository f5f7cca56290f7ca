"""The demo cases: every status, real histories, played once."""

from __future__ import annotations

import io

import pytest
from django.core.management import call_command

from yichuang.cases.history import histories_verify
from yichuang.cases.models import Case
from yichuang.cases.selectors import cases_visible_to, tasks_inbox_for
from yichuang.cases.services.timing import case_light
from yichuang.cases.workflow import Status
from yichuang.common import clock
from yichuang.demo.cases import SCENARIOS
from yichuang.identity.models import User

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def demo_install(settings):
    settings.DEMO = True


def test_the_demo_has_a_case_in_every_status_and_a_second_run_adds_none():
    out = io.StringIO()
    call_command("seed_demo", stdout=out)

    assert f"演示办件：新建 {len(SCENARIOS)}" in out.getvalue()
    assert set(Case.objects.values_list("status", flat=True)) == set(Status.values)
    assert list(histories_verify()) == []
    lights = {case_light(case=c, today=clock.today()) for c in Case.objects.all()}
    assert {"green", "yellow", "red"} <= lights

    again = io.StringIO()
    call_command("seed_demo", stdout=again)
    assert "演示办件：新建 0" in again.getvalue()
    assert Case.objects.count() == len(SCENARIOS)

    citizen = User.objects.get(username="citizen1")
    assert cases_visible_to(citizen).count() >= 5
    reviewer = User.objects.get(username="reviewer_zr")
    assert tasks_inbox_for(user=reviewer).exists()


def test_the_pending_materials_case_is_still_within_its_supplement_deadline():
    call_command("seed_demo", stdout=io.StringIO())

    commitment = Case.objects.get(form_data__demo="pending").commitments.get()

    assert commitment.supply_by > clock.today()
    assert commitment.broken_at is None
