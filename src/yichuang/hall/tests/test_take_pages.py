"""The visitor's pages: taking a number on the portal, the ticket page, cancelling."""

from __future__ import annotations

import pytest
import segno
from django.core.cache import cache
from django.urls import reverse

from yichuang.cases.tests import factories as case_factories
from yichuang.common import clock
from yichuang.hall.models import Priority, TakenVia, Ticket, TicketEvent, TicketStatus
from yichuang.hall.services import calling, tickets
from yichuang.hall.tests import factories
from yichuang.identity.validation import resident_id_check_character
from yichuang.orgs.tests import factories as orgs_factories

pytestmark = pytest.mark.django_db

ELDERLY_BODY = "15042219500307123"  # born 1950-03-07: 76 on the test day
ELDERLY_ID = ELDERLY_BODY + resident_id_check_character(ELDERLY_BODY)


@pytest.fixture(autouse=True)
def _nine_o_clock():
    cache.clear()
    with clock.frozen(factories.at(hour=9)):
        yield
    cache.clear()


@pytest.fixture
def hall():
    centre = orgs_factories.centre(name="巴林左旗政务服务中心")
    one = factories.window(centre=centre, number=1)
    factories.queue(centre=centre, code="A", name="综合受理", windows=[one])
    factories.queue(centre=centre, code="B", name="不动产登记")
    return {"centre": centre, "one": one}


def take(client, **data):
    return client.post(reverse("hall:take"), data)


def test_the_take_page_lists_the_queues_with_the_people_waiting(client, hall):
    tickets.ticket_take(centre=hall["centre"], queue_code="A", via=TakenVia.KIOSK)

    page = client.get(reverse("hall:take")).content.decode()

    assert 'data-queue="A"' in page and 'data-queue="B"' in page
    assert "等候 1 人" in page
    assert "残疾人" in page  # a claimable priority reason
    assert ">预约<" not in page  # set by the platform, not claimable


def test_the_portal_nav_links_to_taking_a_number(client, hall):
    page = client.get(reverse("web:home")).content.decode()

    assert f'href="{reverse("hall:take")}"' in page


def test_taking_a_number_leads_to_the_ticket_page(client, hall):
    response = take(client, queue="A")

    ticket = Ticket.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("hall:ticket", args=[ticket.public_token])
    assert (ticket.number, ticket.taken_via, ticket.priority) == ("A001", TakenVia.PORTAL, "")


def test_the_take_page_remembers_the_visitors_tickets_of_today(client, hall):
    take(client, queue="B")

    page = client.get(reverse("hall:take")).content.decode()

    assert "我今天的号" in page and "B001" in page


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({}, "请选择要办理的业务"),
        ({"queue": "Z"}, "请选择要办理的业务"),
        ({"queue": "A" * 5000}, "请选择要办理的业务"),
        ({"queue": "A", "priority": "appointment"}, "优先原因不在允许范围内"),
        ({"queue": "A", "priority": "elderly"}, "老年人优先须提供身份证号码以核验年龄"),
        ({"queue": "A", "id_number": "1" * 40}, "身份证号码为18位"),
        ({"queue": "A", "id_number": "150422199003071230"}, "校验"),
        (
            {"queue": "A", "priority": "elderly", "id_number": case_factories.resident_id(3)},
            "未满65周岁",
        ),
    ],
)
def test_invalid_takes_are_refused_with_a_message(client, hall, data, message):
    response = take(client, **data)

    assert response.status_code == 422
    assert message in response.content.decode()
    assert not Ticket.objects.exists()


def test_an_elderly_visitor_gets_the_priority_lane_by_id_number(client, hall):
    take(client, queue="A")

    take(client, queue="A", priority="elderly", id_number=ELDERLY_ID)

    elderly = Ticket.objects.get(number="A002")
    assert (elderly.priority, elderly.rank) == (Priority.ELDERLY, 0)
    assert tickets.tickets_ahead(elderly) == 0


def test_an_elderly_id_number_alone_gives_the_priority_lane(client, hall):
    take(client, queue="A", id_number=ELDERLY_ID.lower())

    assert Ticket.objects.get().priority == Priority.ELDERLY


def test_anonymous_takers_are_rate_limited_with_a_message(client, hall, settings):
    settings.YICHUANG = {**settings.YICHUANG, "HALL_ANONYMOUS_TICKETS_PER_HOUR": 2}
    take(client, queue="A")
    take(client, queue="B")

    response = take(client, queue="A")

    assert response.status_code == 429
    page = response.content.decode()
    assert 'data-error-code="too_many_tickets"' in page
    assert "取号过于频繁" in page
    assert Ticket.objects.count() == 2


def test_a_signed_in_applicant_takes_with_their_own_record_and_is_not_limited(
    client, hall, settings
):
    settings.YICHUANG = {**settings.YICHUANG, "HALL_ANONYMOUS_TICKETS_PER_HOUR": 1}
    person = case_factories.applicant(with_user=True, name="李四")
    client.force_login(person.user)

    take(client, queue="A")
    take(client, queue="B")

    assert [t.applicant for t in Ticket.objects.order_by("number")] == [person, person]


def test_a_signed_in_applicant_cannot_wait_twice_in_one_queue(client, hall):
    person = case_factories.applicant(with_user=True)
    client.force_login(person.user)
    take(client, queue="A")

    response = take(client, queue="A")

    assert response.status_code == 409
    assert "您在该队列已有等候中的号" in response.content.decode()


def test_without_any_centre_the_take_page_says_so(client):
    response = client.get(reverse("hall:take"))

    assert response.status_code == 404
    assert "没有这个服务中心" in response.content.decode()


# -- the ticket page ------------------------------------------------------------------


@pytest.fixture
def ticket(hall):
    tickets.ticket_take(centre=hall["centre"], queue_code="A", via=TakenVia.KIOSK)
    return tickets.ticket_take(centre=hall["centre"], queue_code="A", via=TakenVia.PORTAL)


def test_the_ticket_page_shows_number_people_ahead_and_the_wait(client, ticket):
    page = client.get(reverse("hall:ticket", args=[ticket.public_token])).content.decode()

    assert 'class="ticket-number">A002<' in page
    assert "综合受理" in page
    assert "data-ticket-status>等候中<" in page
    assert "<strong data-ahead>1</strong>" in page
    assert "<strong data-minutes>10</strong>" in page
    assert 'hx-trigger="every 15s"' in page
    assert '<meta http-equiv="refresh" content="15">' in page
    assert "@page { size: 80mm auto" in page


def test_the_qr_code_is_the_pages_own_absolute_address(client, ticket):
    url = f"http://testserver/hall/tickets/{ticket.public_token}/"

    page = client.get(reverse("hall:ticket", args=[ticket.public_token])).content.decode()

    expected = segno.make(url, error="m").svg_inline(scale=4, border=2, title=url)
    assert expected in page


def test_the_polled_fragment_shows_the_window_once_called(client, hall, ticket):
    officer = orgs_factories.staff(centre=hall["centre"])
    calling.window_sign_in(user=officer.user, window=hall["one"])
    calling.ticket_call_next(user=officer.user, window=hall["one"])
    calling.ticket_call_next(user=officer.user, window=hall["one"])

    fragment = client.get(
        reverse("hall:ticket", args=[ticket.public_token]), HTTP_HX_REQUEST="true"
    ).content.decode()

    assert fragment.lstrip().startswith('<div id="ticket-status"')
    assert "办理中" in fragment
    assert 'data-ticket-window="1"' in fragment
    assert "请A002号到1号窗口办理" in fragment
    assert "取消排队" not in fragment


def test_a_finished_ticket_page_stops_refreshing(client, ticket):
    tickets.ticket_cancel(ticket=ticket)

    page = client.get(reverse("hall:ticket", args=[ticket.public_token])).content.decode()

    assert "已取消" in page
    assert "hx-trigger" not in page
    assert 'http-equiv="refresh"' not in page


def test_an_unknown_ticket_is_not_found(client, hall):
    assert client.get(reverse("hall:ticket", args=["nope"])).status_code == 404
    assert client.post(reverse("hall:ticket_cancel", args=["x" * 100])).status_code == 404


def test_the_holder_cancels_a_waiting_ticket(client, ticket):
    response = client.post(reverse("hall:ticket_cancel", args=[ticket.public_token]))

    ticket.refresh_from_db()
    assert response.status_code == 302
    assert ticket.status == TicketStatus.CANCELLED
    assert TicketEvent.objects.filter(ticket=ticket, kind="cancelled").count() == 1


def test_a_ticket_no_longer_waiting_cannot_be_cancelled(client, hall, ticket):
    tickets.ticket_cancel(ticket=ticket)

    response = client.post(reverse("hall:ticket_cancel", args=[ticket.public_token]))

    assert response.status_code == 409
    assert "只有等候中的号可以取消" in response.content.decode()
    assert TicketEvent.objects.filter(ticket=ticket, kind="cancelled").count() == 1


def test_cancelling_needs_a_post(client, ticket):
    response = client.get(reverse("hall:ticket_cancel", args=[ticket.public_token]))

    assert response.status_code == 405
