"""Today's hall in the demo: queues mapped to the demo windows, a morning of served
tickets (non-empty figures), people waiting with one in the priority lane; played once a
day."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from django.core.management import call_command
from django.utils import timezone

from yichuang.demo import data
from yichuang.demo.hall import demo_hall_seed
from yichuang.hall.models import (
    Priority,
    Queue,
    Ticket,
    TicketEvent,
    TicketStatus,
    WindowSession,
)
from yichuang.hall.selectors import screen_state
from yichuang.hall.selectors_figures import hall_figures
from yichuang.orgs.models import Centre

pytestmark = pytest.mark.django_db

# A Wednesday, 15:00 in Shanghai.
NOW = timezone.make_aware(dt.datetime(2026, 3, 4, 15))
TODAY = NOW.date()


@pytest.fixture(autouse=True)
def demo_install(settings):
    settings.DEMO = True
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def seeded():
    call_command("seed_demo", "--without-cases", stdout=io.StringIO())
    return Centre.objects.get(code=data.COUNTY)


def test_the_queues_are_served_by_the_demo_windows(seeded):
    queues = {
        q.code: (q.name, sorted(w.number for w in q.windows.all()))
        for q in Queue.objects.filter(centre=seeded)
    }

    assert queues == {
        "A": ("综合受理", [1, 2, 3, 4, 5]),
        "B": ("不动产登记", [9]),
        "C": ("税务", [7]),
        "D": ("社保医保", [4, 5]),
        "E": ("公安户政/出入境", [8]),
        "F": ("出件", [13]),
    }


def test_a_morning_of_served_tickets_gives_figures(seeded):
    made = demo_hall_seed(now=NOW)

    figures = hall_figures(centre=seeded, start=TODAY, end=TODAY)
    assert made == Ticket.objects.filter(centre=seeded, day=TODAY).count() > 40
    assert figures.total.served >= 20
    assert figures.total.missed == 1
    assert figures.total.waiting.p90 is not None
    assert figures.total.handling.mean > 0
    assert 0 < figures.total.self_service_share < 1
    assert all(q.taken > 0 for q in figures.queues)
    assert not TicketEvent.objects.filter(at__gt=NOW).exists()  # nothing in the future


def test_people_wait_with_one_elderly_in_the_priority_lane(seeded):
    demo_hall_seed(now=NOW)

    waiting = Ticket.objects.filter(centre=seeded, day=TODAY, status=TicketStatus.WAITING)
    assert waiting.count() >= 10
    assert waiting.filter(priority=Priority.ELDERLY, rank=0).exists()
    assert set(waiting.values_list("queue__code", flat=True)) >= {"A", "B", "C", "D", "E", "F"}


def test_the_screen_shows_windows_serving_and_the_last_calls(seeded, monkeypatch):
    demo_hall_seed(now=NOW)

    from yichuang.common import clock

    with clock.frozen(NOW):
        state = screen_state(centre=seeded)
    serving = {w["window_number"] for w in state["windows"] if w["number"]}
    assert {1, 2, 9, 13} <= serving
    assert len(state["last_calls"]) == 8
    assert WindowSession.objects.filter(ended_at=None, window__centre=seeded).count() == 9


def test_a_second_run_the_same_day_changes_nothing(seeded):
    demo_hall_seed(now=NOW)
    tickets = list(Ticket.objects.values_list("pk", "status", "finished_at"))
    events = TicketEvent.objects.count()

    assert demo_hall_seed(now=NOW + dt.timedelta(hours=1)) == 0
    assert list(Ticket.objects.values_list("pk", "status", "finished_at")) == tickets
    assert TicketEvent.objects.count() == events


def test_the_next_day_sweeps_yesterday_and_plays_a_new_morning(seeded):
    first = demo_hall_seed(now=NOW)

    second = demo_hall_seed(now=NOW + dt.timedelta(days=1))

    tomorrow = TODAY + dt.timedelta(days=1)
    assert second == first
    assert not Ticket.objects.filter(day=TODAY, status=TicketStatus.WAITING).exists()
    assert Ticket.objects.filter(day=TODAY, status=TicketStatus.EXPIRED).exists()
    assert Ticket.objects.filter(day=tomorrow, number="A001").exists()
    assert not WindowSession.objects.filter(ended_at=None, started_at__date=TODAY).exists()


def test_before_opening_time_the_morning_happens_before_now(seeded):
    early = timezone.make_aware(dt.datetime(2026, 3, 4, 7, 10))

    demo_hall_seed(now=early)

    latest = TicketEvent.objects.order_by("-at").first().at
    earliest = TicketEvent.objects.order_by("at").first().at
    assert latest <= early
    assert timezone.localtime(earliest).date() == early.date()


def test_seed_demo_reports_todays_tickets(seeded, monkeypatch):
    from yichuang.demo.management.commands import seed_demo

    monkeypatch.setattr(seed_demo, "demo_cases_seed", lambda: 0)
    out = io.StringIO()

    from yichuang.common import clock

    with clock.frozen(NOW):
        call_command("seed_demo", stdout=out)
        again = io.StringIO()
        call_command("seed_demo", stdout=again)

    assert "今天的排队号：新建 0" not in out.getvalue()
    assert "/hall/screen/" in out.getvalue()
    assert "今天的排队号：新建 0" in again.getvalue()
    assert "无需改动" in again.getvalue()
