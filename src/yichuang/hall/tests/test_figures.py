"""The hall's figures: counts, waiting and handling time with percentiles, per queue, per
window and per day, and who may read them."""

from __future__ import annotations

import datetime as dt
import itertools
import secrets

import pytest
from django.db import connection

from yichuang.common import clock
from yichuang.hall.errors import HallError, HallForbidden, HallNotFound
from yichuang.hall.models import TakenVia, Ticket, TicketStatus
from yichuang.hall.selectors_figures import (
    MAX_RANGE_DAYS,
    figures_centre_for,
    figures_range,
    hall_figures,
    percentile,
)
from yichuang.hall.services import calling, tickets
from yichuang.hall.tests import factories
from yichuang.hall.tests.factories import WORKDAY, at
from yichuang.orgs.models import Role
from yichuang.orgs.tests import factories as orgs_factories

pytestmark = pytest.mark.django_db

_seq = itertools.count(1)


def ticket(
    *,
    queue,
    taken,
    called=None,
    finished=None,
    status=TicketStatus.DONE,
    window=None,
    via=TakenVia.KIOSK,
    day=None,
) -> Ticket:
    """A ticket with the given history, written directly so the times are exact."""
    return Ticket.objects.create(
        centre=queue.centre,
        day=day or taken.date(),
        number=f"{queue.code}{next(_seq):03d}",
        origin_queue=queue,
        queue=queue,
        status=status,
        queued_at=taken,
        taken_at=taken,
        taken_via=via,
        window=window,
        call_count=1 if called else 0,
        first_called_at=called,
        called_at=called,
        finished_at=finished,
        public_token=secrets.token_hex(16),
    )


def minutes_after(moment, minutes: float):
    return moment + dt.timedelta(minutes=minutes)


@pytest.fixture
def hall():
    centre = orgs_factories.centre(code="county")
    w1 = factories.window(centre=centre, number=1, name="综合受理1")
    w2 = factories.window(centre=centre, number=2, name="综合受理2")
    w9 = factories.window(centre=centre, number=9, name="不动产登记窗口", kind="specialist")
    a = factories.queue(centre=centre, code="A", name="综合受理", windows=[w1, w2])
    b = factories.queue(centre=centre, code="B", name="不动产登记", windows=[w9], sort_order=2)
    return {"centre": centre, "A": a, "B": b, "w1": w1, "w2": w2, "w9": w9}


def figures_of(hall, start=WORKDAY, end=WORKDAY):
    return hall_figures(centre=hall["centre"], start=start, end=end)


# --- percentiles -------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("values", "fraction", "expected"),
    [
        ([], 0.5, None),
        ([7.0], 0.5, 7.0),
        ([7.0], 0.9, 7.0),
        ([1.0, 2.0, 3.0, 4.0], 0.5, 2.5),
        ([1.0, 2.0, 3.0, 4.0], 0.9, 3.7),
        ([float(n) for n in range(1, 11)], 0.5, 5.5),
        ([float(n) for n in range(1, 11)], 0.9, 9.1),
        ([10.0, 1.0, 5.0], 0.5, 5.0),  # sorted first
        ([3.0, 1.0], 0.0, 1.0),
        ([3.0, 1.0], 1.0, 3.0),
    ],
)
def test_percentiles_interpolate_linearly_between_closest_ranks(values, fraction, expected):
    assert percentile(values, fraction) == pytest.approx(expected)


def test_a_percentile_outside_zero_to_one_is_a_programming_error():
    with pytest.raises(ValueError):
        percentile([1.0], 1.5)


# --- per queue ---------------------------------------------------------------------------


def test_waiting_and_handling_time_of_a_queue(hall):
    # Ten served tickets of A, taken at 9:00, called after 1 … 10 minutes, each handled
    # for twice its wait.
    start = at(WORKDAY, 9)
    for n in range(1, 11):
        called = minutes_after(start, n)
        ticket(queue=hall["A"], taken=start, called=called, finished=minutes_after(called, 2 * n))

    row = next(r for r in figures_of(hall).queues if r.key == "A")

    assert (row.taken, row.served, row.missed, row.unserved) == (10, 10, 0, 0)
    assert row.waiting.count == 10
    assert row.waiting.mean == pytest.approx(5.5)
    assert row.waiting.p50 == pytest.approx(5.5)
    assert row.waiting.p90 == pytest.approx(9.1)
    assert row.handling.mean == pytest.approx(11.0)
    assert row.handling.p50 == pytest.approx(11.0)
    assert row.handling.p90 == pytest.approx(18.2)


def test_statuses_are_counted_and_only_called_tickets_have_a_wait(hall):
    start = at(WORKDAY, 9)
    ticket(
        queue=hall["A"],
        taken=start,
        called=minutes_after(start, 4),
        finished=start.replace(hour=10),
    )
    ticket(
        queue=hall["A"],
        taken=start,
        called=minutes_after(start, 8),
        finished=minutes_after(start, 12),
        status=TicketStatus.MISSED,
    )
    ticket(queue=hall["A"], taken=start, status=TicketStatus.EXPIRED)
    ticket(queue=hall["A"], taken=start, status=TicketStatus.CANCELLED)
    ticket(queue=hall["A"], taken=start, status=TicketStatus.WAITING)
    ticket(
        queue=hall["A"], taken=start, called=minutes_after(start, 30), status=TicketStatus.CALLED
    )

    row = next(r for r in figures_of(hall).queues if r.key == "A")

    assert (row.taken, row.served, row.missed, row.unserved) == (6, 1, 1, 2)
    assert (row.waiting_now, row.serving_now) == (1, 1)
    assert row.waiting.count == 3  # done, missed and the one being served
    assert row.waiting.mean == pytest.approx(14.0)
    assert row.handling.count == 1  # only the served ticket
    assert row.handling.mean == pytest.approx(56.0)


def test_share_over_the_wait_target(hall, settings):
    settings.YICHUANG = {**settings.YICHUANG, "HALL_WAIT_TARGET_MINUTES": 20}
    start = at(WORKDAY, 9)
    for wait in (5, 20, 21, 45):  # exactly 20 minutes is within the target
        ticket(
            queue=hall["A"],
            taken=start,
            called=minutes_after(start, wait),
            finished=at(WORKDAY, 11),
        )
    ticket(queue=hall["A"], taken=start, status=TicketStatus.WAITING)  # no wait measured yet

    figures = figures_of(hall)
    row = next(r for r in figures.queues if r.key == "A")

    assert figures.target_minutes == 20
    assert row.over_target == 2
    assert row.over_target_share == pytest.approx(0.5)


def test_share_of_self_service(hall):
    start = at(WORKDAY, 9)
    for via in (TakenVia.KIOSK, TakenVia.PORTAL, TakenVia.API, TakenVia.APPOINTMENT):
        ticket(queue=hall["B"], taken=start, via=via, status=TicketStatus.WAITING)
    for _ in range(4):
        ticket(queue=hall["B"], taken=start, via=TakenVia.WINDOW, status=TicketStatus.WAITING)

    row = next(r for r in figures_of(hall).queues if r.key == "B")

    assert row.self_service == 4
    assert row.self_service_share == pytest.approx(0.5)


def test_an_empty_queue_has_a_row_with_nothing_to_measure(hall):
    row = next(r for r in figures_of(hall).queues if r.key == "B")

    assert row.taken == 0
    assert row.waiting.mean is None and row.waiting.p90 is None
    assert row.over_target_share is None and row.self_service_share is None


def test_another_centres_and_other_days_tickets_are_not_counted(hall):
    other = factories.queue(centre=orgs_factories.centre(), code="A")
    ticket(queue=other, taken=at(WORKDAY, 9), status=TicketStatus.WAITING)
    ticket(
        queue=hall["A"], taken=at(WORKDAY + dt.timedelta(days=1), 9), status=TicketStatus.WAITING
    )

    assert figures_of(hall).total.taken == 0


# --- per window, total, per day ----------------------------------------------------------


def test_per_window_counts_the_tickets_the_window_served(hall):
    start = at(WORKDAY, 9)
    ticket(
        queue=hall["A"],
        taken=start,
        called=minutes_after(start, 10),
        finished=minutes_after(start, 15),
        window=hall["w1"],
    )
    ticket(
        queue=hall["A"],
        taken=start,
        called=minutes_after(start, 20),
        finished=minutes_after(start, 40),
        window=hall["w1"],
    )
    ticket(
        queue=hall["B"],
        taken=start,
        called=minutes_after(start, 6),
        finished=minutes_after(start, 9),
        window=hall["w9"],
    )

    windows = {r.key: r for r in figures_of(hall).windows}

    assert set(windows) == {"1", "2", "9"}  # window 2 serves a queue, so it is listed
    assert windows["1"].served == 2
    assert windows["1"].waiting.mean == pytest.approx(15.0)
    assert windows["1"].handling.p50 == pytest.approx(12.5)
    assert windows["2"].taken == 0
    assert windows["9"].handling.mean == pytest.approx(3.0)
    assert windows["9"].label == "9号窗口 不动产登记窗口"


def test_the_total_covers_every_queue(hall):
    start = at(WORKDAY, 9)
    ticket(
        queue=hall["A"],
        taken=start,
        called=minutes_after(start, 2),
        finished=minutes_after(start, 5),
    )
    ticket(
        queue=hall["B"],
        taken=start,
        called=minutes_after(start, 4),
        finished=minutes_after(start, 9),
    )

    total = figures_of(hall).total

    assert (total.taken, total.served) == (2, 2)
    assert total.waiting.mean == pytest.approx(3.0)
    assert total.handling.p50 == pytest.approx(4.0)


def test_one_row_per_day_of_the_range_including_days_without_tickets(hall):
    monday, wednesday = WORKDAY - dt.timedelta(days=2), WORKDAY
    ticket(
        queue=hall["A"], taken=at(monday, 9), called=at(monday, 9, 30), finished=at(monday, 9, 40)
    )
    ticket(
        queue=hall["A"],
        taken=at(wednesday, 9),
        called=at(wednesday, 9, 10),
        finished=at(wednesday, 9, 20),
    )
    ticket(queue=hall["B"], taken=at(wednesday, 9), status=TicketStatus.EXPIRED)

    days = figures_of(hall, start=monday, end=wednesday).days

    assert [d.key for d in days] == ["2026-03-02", "2026-03-03", "2026-03-04"]
    assert [d.taken for d in days] == [1, 0, 1 + 1]
    assert days[0].waiting.mean == pytest.approx(30.0)
    assert days[1].waiting.mean is None
    assert days[2].waiting.mean == pytest.approx(10.0)
    assert days[2].unserved == 1


def test_figures_from_the_real_calling_services(hall):
    """Taken at 9:00 and 9:05 through the services, called and finished at one window; a
    transferred ticket still counts under the queue it was taken in."""
    officer = orgs_factories.staff(roles=(Role.WINDOW_OFFICER,), centre=hall["centre"])
    with clock.frozen(at(WORKDAY, 9)):
        first = tickets.ticket_take(centre=hall["centre"], queue_code="A", via=TakenVia.KIOSK)
    with clock.frozen(at(WORKDAY, 9, 5)):
        second = tickets.ticket_take(centre=hall["centre"], queue_code="A", via=TakenVia.WINDOW)
        calling.window_sign_in(user=officer.user, window=hall["w1"])
    with clock.frozen(at(WORKDAY, 9, 12)):
        calling.ticket_call_next(user=officer.user, window=hall["w1"])  # first: waited 12
    with clock.frozen(at(WORKDAY, 9, 20)):
        calling.ticket_call_next(
            user=officer.user, window=hall["w1"]
        )  # first done (8); second waited 15
    with clock.frozen(at(WORKDAY, 9, 26)):
        calling.ticket_transfer(user=officer.user, window=hall["w1"], to_queue="B")

    figures = figures_of(hall)
    a = next(r for r in figures.queues if r.key == "A")
    b = next(r for r in figures.queues if r.key == "B")

    assert Ticket.objects.get(pk=second.pk).queue == hall["B"]
    assert Ticket.objects.get(pk=first.pk).status == TicketStatus.DONE
    assert (a.taken, a.served, a.waiting_now) == (2, 1, 1)
    assert a.waiting.mean == pytest.approx(13.5)
    assert a.handling.mean == pytest.approx(8.0)
    assert a.self_service_share == pytest.approx(0.5)
    assert b.taken == 0


def test_the_query_count_does_not_grow_with_the_tickets(hall, django_assert_max_num_queries):
    start = at(WORKDAY, 8)
    for n in range(60):
        queue = hall["A"] if n % 2 else hall["B"]
        window = hall["w1"] if n % 2 else hall["w9"]
        called = minutes_after(start, n)
        ticket(
            queue=queue,
            taken=start,
            called=called,
            finished=minutes_after(called, 3),
            window=window,
        )

    with django_assert_max_num_queries(3):
        figures = figures_of(hall, start=WORKDAY - dt.timedelta(days=30), end=WORKDAY)

    assert figures.total.taken == 60
    assert len(figures.days) == 31


@pytest.mark.postgres_only
def test_the_python_percentiles_match_postgresql_percentile_cont(hall):
    if connection.vendor != "postgresql":
        pytest.skip("PERCENTILE_CONT is PostgreSQL's")
    start = at(WORKDAY, 9)
    waits = [3, 17, 4, 9, 41, 12, 12, 8, 25, 6, 2, 30, 11]
    for wait in waits:
        ticket(
            queue=hall["A"],
            taken=start,
            called=minutes_after(start, wait),
            finished=at(WORKDAY, 12),
        )
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT percentile_cont(0.5) WITHIN GROUP (ORDER BY w),"
            " percentile_cont(0.9) WITHIN GROUP (ORDER BY w)"
            " FROM (SELECT EXTRACT(EPOCH FROM first_called_at - taken_at) / 60 AS w"
            " FROM hall_ticket WHERE origin_queue_id = %s) AS waits",
            [hall["A"].pk],
        )
        p50, p90 = cursor.fetchone()

    row = next(r for r in figures_of(hall).queues if r.key == "A")

    assert row.waiting.p50 == pytest.approx(float(p50))
    assert row.waiting.p90 == pytest.approx(float(p90))


# --- the range and who may read ----------------------------------------------------------


def test_the_range_defaults_to_today():
    with clock.frozen(at(WORKDAY, 15)):
        assert figures_range(start=None, end=None) == (WORKDAY, WORKDAY)


def test_one_end_given_is_a_single_day():
    assert figures_range(start=WORKDAY, end=None) == (WORKDAY, WORKDAY)
    assert figures_range(start=None, end=WORKDAY) == (WORKDAY, WORKDAY)


def test_a_reversed_range_is_refused():
    with pytest.raises(HallError) as error:
        figures_range(start=WORKDAY, end=WORKDAY - dt.timedelta(days=1))
    assert error.value.code == "range_reversed"


def test_a_range_of_366_days_is_allowed_and_367_refused():
    end = WORKDAY
    allowed = end - dt.timedelta(days=MAX_RANGE_DAYS - 1)
    assert figures_range(start=allowed, end=end) == (allowed, end)
    with pytest.raises(HallError) as error:
        figures_range(start=allowed - dt.timedelta(days=1), end=end)
    assert error.value.code == "range_too_long"


@pytest.fixture
def tree():
    county = orgs_factories.centre(code="county")
    township = orgs_factories.centre(parent=county, code="township")
    other = orgs_factories.centre(code="other")
    return {"county": county, "township": township, "other": other}


@pytest.mark.parametrize("role", [Role.LEADER, Role.CENTRE_ADMIN])
def test_leaders_and_centre_admins_read_their_centre_and_the_ones_below(tree, role):
    user = orgs_factories.staff(roles=(role,), centre=tree["county"]).user

    assert figures_centre_for(user=user) == tree["county"]
    assert figures_centre_for(user=user, code="township") == tree["township"]
    with pytest.raises(HallNotFound):
        figures_centre_for(user=user, code="other")


def test_a_township_leader_does_not_read_the_county(tree):
    user = orgs_factories.staff(roles=(Role.LEADER,), centre=tree["township"]).user

    with pytest.raises(HallNotFound) as error:
        figures_centre_for(user=user, code="county")
    assert error.value.code == "centre_not_found"


@pytest.mark.parametrize("role", [Role.WINDOW_OFFICER, Role.REVIEWER, Role.HELPER])
def test_other_staff_are_forbidden(tree, role):
    department = orgs_factories.department(centre=tree["county"]) if role == Role.REVIEWER else None
    user = orgs_factories.staff(roles=(role,), centre=tree["county"], department=department).user

    with pytest.raises(HallForbidden) as error:
        figures_centre_for(user=user)
    assert error.value.code == "figures_forbidden"


def test_someone_who_is_not_staff_finds_nothing(tree, django_user_model):
    user = django_user_model.objects.create_user(username="citizen", password="x" * 12)

    with pytest.raises(HallNotFound):
        figures_centre_for(user=user)
