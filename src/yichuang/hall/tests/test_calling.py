"""The window's side: sign in, call next in order, recall, missed, transfer, pause, finish."""

from __future__ import annotations

import pytest

from yichuang.common import clock
from yichuang.common.errors import DomainError
from yichuang.hall.models import (
    Priority,
    TakenVia,
    Ticket,
    TicketEvent,
    TicketStatus,
    WindowSession,
)
from yichuang.hall.services import calling, tickets
from yichuang.hall.tests import factories as f
from yichuang.orgs.models import Role, WindowKind
from yichuang.orgs.tests import factories as orgs_factories

pytestmark = pytest.mark.django_db


class Hall:
    def __init__(self):
        self.centre = orgs_factories.centre()
        self.window = f.window(centre=self.centre, kind=WindowKind.SPECIALIST)
        self.other_window = f.window(centre=self.centre, kind=WindowKind.SPECIALIST)
        self.queue_a = f.queue(centre=self.centre, code="A", windows=[self.window])
        self.queue_b = f.queue(centre=self.centre, code="B", windows=[self.other_window])
        self.officer = orgs_factories.staff(centre=self.centre).user
        self.colleague = orgs_factories.staff(centre=self.centre).user

    def take(self, code="A", **kwargs) -> Ticket:
        return tickets.ticket_take(
            centre=self.centre, queue_code=code, via=TakenVia.KIOSK, **kwargs
        )

    def sign_in(self, user=None, window=None):
        return calling.window_sign_in(user=user or self.officer, window=window or self.window)

    def next(self, user=None, window=None) -> Ticket | None:
        return calling.ticket_call_next(user=user or self.officer, window=window or self.window)


@pytest.fixture
def hall():
    with clock.frozen(f.at()):
        yield Hall()


def _codes(caught) -> str:
    return caught.value.code


def test_call_next_takes_the_priority_lane_first_then_first_come(hall):
    normal_1, normal_2 = hall.take(), hall.take()
    priority = hall.take(priority=Priority.MILITARY)
    hall.sign_in()

    called = [hall.next(), hall.next(), hall.next(), hall.next()]

    assert called[:3] == [priority, normal_1, normal_2]
    assert called[3] is None


def test_calling_the_next_finishes_the_one_being_served(hall):
    first = hall.take()
    hall.take()
    hall.sign_in()
    hall.next()

    second = hall.next()
    first.refresh_from_db()

    assert (first.status, second.status) == (TicketStatus.DONE, TicketStatus.CALLED)
    assert (second.window, second.call_count) == (hall.window, 1)
    assert list(TicketEvent.objects.filter(ticket=first).values_list("kind", flat=True)) == [
        "taken",
        "called",
        "done",
    ]


def test_a_window_calls_only_its_own_queues(hall):
    hall.take("B")
    hall.sign_in()

    assert hall.next() is None


def test_a_comprehensive_window_helps_a_queue_with_more_than_the_threshold_waiting(hall, settings):
    settings.YICHUANG = {**settings.YICHUANG, "HALL_HELP_QUEUE_ABOVE": 2}
    hall.window.kind = WindowKind.COMPREHENSIVE
    hall.window.save()
    hall.sign_in()
    oldest_b = hall.take("B")
    hall.take("B")

    assert hall.next() is None  # two waiting: not more than the threshold
    hall.take("B")
    assert hall.next() == oldest_b


def test_one_must_sign_in_before_calling(hall):
    hall.take()

    with pytest.raises(DomainError) as caught:
        hall.next()

    assert _codes(caught) == "not_signed_in"


def test_a_window_has_one_officer_at_a_time(hall):
    hall.sign_in()

    with pytest.raises(DomainError) as caught:
        hall.sign_in(user=hall.colleague)

    assert _codes(caught) == "window_taken"


def test_signing_in_elsewhere_ends_the_previous_session(hall):
    first = hall.sign_in()
    hall.sign_in(window=hall.other_window)
    first.refresh_from_db()

    assert first.ended_at is not None
    assert WindowSession.objects.filter(ended_at=None).count() == 1


def test_only_window_officers_of_the_centre_call(hall):
    reviewer = orgs_factories.staff(centre=hall.centre, roles=(Role.REVIEWER,)).user
    elsewhere = orgs_factories.staff().user

    with pytest.raises(DomainError) as not_officer:
        hall.sign_in(user=reviewer)
    with pytest.raises(DomainError) as other_centre:
        hall.sign_in(user=elsewhere)

    assert (not_officer.value.status, _codes(not_officer)) == (403, "not_window_officer")
    assert (other_centre.value.status, _codes(other_centre)) == (404, "window_not_found")


def test_a_paused_window_does_not_call(hall):
    hall.take()
    hall.sign_in()
    calling.window_pause(user=hall.officer, window=hall.window, paused=True)

    with pytest.raises(DomainError) as caught:
        hall.next()
    calling.window_pause(user=hall.officer, window=hall.window, paused=False)

    assert _codes(caught) == "window_paused"
    assert hall.next() is not None


def test_missed_only_after_the_configured_number_of_calls(hall, settings):
    settings.YICHUANG = {**settings.YICHUANG, "HALL_CALLS_BEFORE_MISSED": 3}
    ticket = hall.take()
    hall.sign_in()
    hall.next()
    calling.ticket_recall(user=hall.officer, window=hall.window)

    with pytest.raises(DomainError) as too_early:
        calling.ticket_mark_missed(user=hall.officer, window=hall.window)
    calling.ticket_recall(user=hall.officer, window=hall.window)
    missed = calling.ticket_mark_missed(user=hall.officer, window=hall.window)

    assert _codes(too_early) == "not_called_enough"
    assert (missed.pk, missed.status, missed.call_count) == (ticket.pk, "missed", 3)
    assert hall.next() is None  # a missed ticket does not come back by itself


def _missed(hall) -> Ticket:
    hall.next()
    for _ in range(2):
        calling.ticket_recall(user=hall.officer, window=hall.window)
    return calling.ticket_mark_missed(user=hall.officer, window=hall.window)


def test_a_recently_missed_ticket_can_be_recalled_at_the_window(hall):
    hall.take()
    hall.sign_in()
    missed = _missed(hall)

    assert calling.tickets_recallable(hall.window) == [missed]
    recalled = calling.ticket_recall_missed(
        user=hall.officer, window=hall.window, ticket_id=missed.pk
    )

    assert (recalled.status, recalled.call_count, recalled.finished_at) == ("called", 1, None)
    assert calling.tickets_recallable(hall.window) == []


def test_only_the_last_few_missed_tickets_can_be_recalled(hall, settings):
    settings.YICHUANG = {**settings.YICHUANG, "HALL_RECALLABLE_MISSED": 2}
    for _ in range(3):
        hall.take()
    hall.sign_in()
    oldest = _missed(hall)
    _missed(hall)
    _missed(hall)

    with pytest.raises(DomainError) as caught:
        calling.ticket_recall_missed(user=hall.officer, window=hall.window, ticket_id=oldest.pk)

    assert _codes(caught) == "not_recallable"


def test_a_missed_ticket_reinserted_queues_behind_those_waiting(hall):
    hall.take()
    hall.sign_in()
    missed = _missed(hall)
    waiting = hall.take()

    with clock.frozen(f.at(minute=5)):
        calling.ticket_reinsert(user=hall.officer, window=hall.window, ticket_id=missed.pk)

    assert [hall.next(), hall.next()] == [waiting, missed]


def test_another_windows_missed_ticket_of_another_queue_is_not_recallable(hall):
    hall.take("B")
    hall.sign_in(user=hall.colleague, window=hall.other_window)
    hall.next(user=hall.colleague, window=hall.other_window)
    for _ in range(2):
        calling.ticket_recall(user=hall.colleague, window=hall.other_window)
    missed = calling.ticket_mark_missed(user=hall.colleague, window=hall.other_window)
    hall.sign_in()

    with pytest.raises(DomainError) as caught:
        calling.ticket_reinsert(user=hall.officer, window=hall.window, ticket_id=missed.pk)

    assert _codes(caught) == "not_recallable"


def test_a_transfer_keeps_the_number_and_waits_first_in_the_new_queue(hall):
    ticket = hall.take()
    hall.take("B")
    hall.sign_in()
    hall.next()

    moved = calling.ticket_transfer(user=hall.officer, window=hall.window, to_queue="b")
    hall.sign_in(user=hall.colleague, window=hall.other_window)
    called = hall.next(user=hall.colleague, window=hall.other_window)

    assert (moved.number, moved.queue, moved.origin_queue) == (
        ticket.number,
        hall.queue_b,
        hall.queue_a,
    )
    assert (called, called.priority, called.window) == (ticket, "transfer", hall.other_window)
    assert (
        TicketEvent.objects.filter(ticket=ticket, kind="transferred").get().data["to_queue"] == "B"
    )


def test_a_ticket_sent_to_a_window_is_called_only_there(hall):
    third = f.window(centre=hall.centre, kind=WindowKind.SPECIALIST)
    hall.queue_a.windows.add(third)
    ticket = hall.take()
    hall.sign_in()
    hall.next()
    calling.ticket_transfer(user=hall.officer, window=hall.window, to_window=third.pk)
    third_officer = orgs_factories.staff(centre=hall.centre).user
    calling.window_sign_in(user=third_officer, window=third)

    assert hall.next() is None  # back at the first window: not for it
    assert calling.ticket_call_next(user=third_officer, window=third) == ticket


@pytest.mark.parametrize(
    ("target", "code"),
    [
        ({}, "transfer_target_missing"),
        ({"to_queue": "A"}, "transfer_target_invalid"),
        ({"to_queue": "Q"}, "queue_not_found"),
    ],
)
def test_a_transfer_needs_another_queue_or_window(hall, target, code):
    hall.take()
    hall.sign_in()
    hall.next()

    with pytest.raises(DomainError) as caught:
        calling.ticket_transfer(user=hall.officer, window=hall.window, **target)

    assert _codes(caught) == code


def test_transferring_to_the_same_window_is_refused(hall):
    hall.take()
    hall.sign_in()
    hall.next()

    with pytest.raises(DomainError) as caught:
        calling.ticket_transfer(user=hall.officer, window=hall.window, to_window=hall.window.pk)

    assert _codes(caught) == "transfer_target_invalid"


def test_actions_on_the_current_ticket_need_one(hall):
    hall.sign_in()

    for action in (calling.ticket_recall, calling.ticket_mark_missed, calling.ticket_finish):
        with pytest.raises(DomainError) as caught:
            action(user=hall.officer, window=hall.window)
        assert _codes(caught) == "no_current_ticket"


def test_finishing_leaves_the_window_free(hall):
    hall.take()
    hall.sign_in()
    hall.next()

    done = calling.ticket_finish(user=hall.officer, window=hall.window)
    session = WindowSession.objects.get(ended_at=None)

    assert (done.status, session.current_ticket) == ("done", None)


def test_signing_out_finishes_the_current_ticket(hall):
    ticket = hall.take()
    hall.sign_in()
    hall.next()

    calling.window_sign_out(user=hall.officer, window=hall.window)
    ticket.refresh_from_db()

    assert ticket.status == "done"
    assert not WindowSession.objects.filter(ended_at=None).exists()


def test_yesterdays_waiting_tickets_expire_and_sessions_close(hall):
    ticket = hall.take()
    hall.sign_in()
    with clock.frozen(f.at(f.WORKDAY.replace(day=5))):
        expired = calling.tickets_expire(before=clock.today())
    ticket.refresh_from_db()

    assert (expired, ticket.status) == (1, "expired")
    assert not WindowSession.objects.filter(ended_at=None).exists()
