"""Taking a number: daily numbers per queue, the priority lane, people ahead, the estimate."""

from __future__ import annotations

import datetime as dt

import pytest

from yichuang.cases.tests import factories as case_factories
from yichuang.common import clock
from yichuang.common.errors import DomainError
from yichuang.hall.models import Priority, TakenVia, Ticket, TicketEvent, TicketStatus
from yichuang.hall.services import calling, tickets
from yichuang.hall.tests import factories as f
from yichuang.identity.validation import resident_id_check_character
from yichuang.orgs.tests import factories as orgs_factories

pytestmark = pytest.mark.django_db


def _id_born(birth: dt.date, n: int = 1) -> str:
    body = f"150422{birth:%Y%m%d}{n:03d}"
    return body + resident_id_check_character(body)


@pytest.fixture
def hall():
    centre = orgs_factories.centre()
    window = f.window(centre=centre)
    queue_a = f.queue(centre=centre, code="A", windows=[window])
    queue_b = f.queue(centre=centre, code="B")
    return centre, window, queue_a, queue_b


def _take(centre, code="A", **kwargs) -> Ticket:
    return tickets.ticket_take(centre=centre, queue_code=code, via=TakenVia.KIOSK, **kwargs)


def test_numbers_are_the_letter_and_a_daily_sequence_per_queue(hall):
    centre, *_ = hall
    with clock.frozen(f.at()):
        numbers = [_take(centre, "A").number, _take(centre, "b").number, _take(centre, "A").number]
    with clock.frozen(f.at(f.WORKDAY + dt.timedelta(days=1))):
        numbers.append(_take(centre, "A").number)

    assert numbers == ["A001", "B001", "A002", "A001"]


def test_past_999_the_sequence_grows_a_digit():
    assert tickets.ticket_number_format(code="A", sequence=1000) == "A1000"


@pytest.mark.django_db(transaction=True)
def test_a_number_is_only_taken_inside_a_transaction(hall):
    _centre, _window, queue_a, _ = hall

    with pytest.raises(RuntimeError):
        tickets.ticket_number_next(queue=queue_a, day=f.WORKDAY)


def test_an_unknown_or_inactive_queue_is_not_found(hall):
    centre, _window, _queue_a, queue_b = hall
    queue_b.is_active = False
    queue_b.save()

    with clock.frozen(f.at()):
        for code in ("Z", "B", "", "AA"):
            with pytest.raises(DomainError) as caught:
                _take(centre, code)
            assert caught.value.code == "queue_not_found"
    assert not Ticket.objects.exists()


def test_taking_records_the_event(hall):
    centre, *_ = hall
    with clock.frozen(f.at()):
        ticket = _take(centre, priority=Priority.PREGNANT)

    event = TicketEvent.objects.get(ticket=ticket)
    assert (event.kind, event.data) == ("taken", {"via": "kiosk", "priority": "pregnant"})


def test_the_elderly_get_the_priority_lane_from_their_id_number(hall, settings):
    centre, *_ = hall
    settings.YICHUANG = {**settings.YICHUANG, "HALL_PRIORITY_AGE": 65}
    with clock.frozen(f.at()):  # 2026-03-04
        turned_65_today = _take(centre, id_number=_id_born(dt.date(1961, 3, 4)))
        turns_65_tomorrow = _take(centre, "B", id_number=_id_born(dt.date(1961, 3, 5)))

    assert (turned_65_today.priority, turned_65_today.rank) == ("elderly", 0)
    assert (turns_65_tomorrow.priority, turns_65_tomorrow.rank) == ("", 1)


def test_claiming_the_elderly_lane_needs_an_id_number_old_enough(hall):
    centre, *_ = hall
    with clock.frozen(f.at()):
        with pytest.raises(DomainError) as without:
            _take(centre, priority=Priority.ELDERLY)
        with pytest.raises(DomainError) as too_young:
            _take(centre, priority=Priority.ELDERLY, id_number=_id_born(dt.date(1990, 1, 1)))

    assert (without.value.code, too_young.value.code) == ("age_unverified", "not_elderly")


@pytest.mark.parametrize("reason", ["appointment", "transfer", "vip", "ELDERLY"])
def test_only_the_green_channel_reasons_can_be_claimed(hall, reason):
    centre, *_ = hall
    with clock.frozen(f.at()), pytest.raises(DomainError) as caught:
        _take(centre, priority=reason)

    assert caught.value.code == "invalid_priority"


def test_a_bad_id_number_is_refused_with_its_code(hall):
    centre, *_ = hall
    with clock.frozen(f.at()), pytest.raises(DomainError) as caught:
        _take(centre, id_number="150422199003070000")

    assert caught.value.code == "bad_check_digit"
    assert not Ticket.objects.exists()


def test_a_known_person_holds_one_waiting_ticket_per_queue(hall):
    centre, *_ = hall
    person = case_factories.applicant()
    with clock.frozen(f.at()):
        _take(centre, id_number=person.id_number)
        with pytest.raises(DomainError) as caught:
            _take(centre, id_number=person.id_number)
        other_queue = _take(centre, "B", id_number=person.id_number)

    assert caught.value.code == "already_waiting"
    assert other_queue.applicant == person


def test_ahead_counts_the_priority_lane_first_then_first_come(hall):
    centre, *_ = hall
    with clock.frozen(f.at(minute=0)):
        first = _take(centre)
    with clock.frozen(f.at(minute=1)):
        second = _take(centre)
    with clock.frozen(f.at(minute=2)):
        priority = _take(centre, priority=Priority.DISABLED)
        other_queue = _take(centre, "B")

    assert [tickets.tickets_ahead(t) for t in (priority, first, second, other_queue)] == [
        0,
        1,
        2,
        0,
    ]


def test_the_estimate_uses_the_queue_figure_until_tickets_are_finished(hall):
    centre, window, queue_a, _ = hall
    officer = orgs_factories.staff(centre=centre)
    with clock.frozen(f.at(hour=9, minute=0)):
        for _ in range(4):
            _take(centre)
        last = _take(centre)
        assert tickets.ticket_estimate_minutes(ticket=last, ahead=4) == 4 * queue_a.service_minutes
        calling.window_sign_in(user=officer.user, window=window)
        calling.ticket_call_next(user=officer.user, window=window)
    with clock.frozen(f.at(hour=9, minute=4)):  # the first took 4 minutes
        calling.ticket_call_next(user=officer.user, window=window)
        last.refresh_from_db()

        assert tickets.ticket_estimate_minutes(ticket=last, ahead=2) == 8


def test_a_second_open_window_halves_the_estimate(hall):
    centre, window, queue_a, _ = hall
    second_window = f.window(centre=centre)
    queue_a.windows.add(second_window)
    officers = [orgs_factories.staff(centre=centre) for _ in range(2)]
    with clock.frozen(f.at()):
        ticket = _take(centre)
        calling.window_sign_in(user=officers[0].user, window=window)
        calling.window_sign_in(user=officers[1].user, window=second_window)

        assert tickets.ticket_estimate_minutes(ticket=ticket, ahead=6) == 30
        calling.window_pause(user=officers[1].user, window=second_window, paused=True)
        assert tickets.ticket_estimate_minutes(ticket=ticket, ahead=6) == 60


def test_anonymous_takers_are_limited_per_client_per_hour(settings):
    settings.YICHUANG = {**settings.YICHUANG, "HALL_ANONYMOUS_TICKETS_PER_HOUR": 2}
    with clock.frozen(f.at(hour=9, minute=0)):
        tickets.anonymous_take_check(client="10.0.0.1")
        tickets.anonymous_take_check(client="10.0.0.1")
        tickets.anonymous_take_check(client="10.0.0.2")
        with pytest.raises(DomainError) as caught:
            tickets.anonymous_take_check(client="10.0.0.1")
    with clock.frozen(f.at(hour=10, minute=0)):
        tickets.anonymous_take_check(client="10.0.0.1")  # a new hour

    assert (caught.value.code, caught.value.status) == ("too_many_tickets", 429)


def test_a_ticket_waits_until_called(hall):
    centre, *_ = hall
    with clock.frozen(f.at()):
        ticket = _take(centre)

    assert ticket.status == TicketStatus.WAITING
    assert len(ticket.public_token) == 32
