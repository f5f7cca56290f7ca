"""Opening a case from the ticket being served (开办件): the desk's case-open form carries
the ticket, the applicant is prefilled when known, and the case is linked to the ticket
in the same transaction — a ticket that is not the officer's current one is refused and
no case is left behind."""

from __future__ import annotations

import pytest
from django.urls import reverse

from yichuang.cases.models import Case
from yichuang.cases.tests import factories as case_factories
from yichuang.catalog.tests import factories as catalog_factories
from yichuang.common import clock
from yichuang.hall.errors import HallConflict
from yichuang.hall.models import TakenVia, TicketCase
from yichuang.hall.services import calling, linking, tickets
from yichuang.hall.tests import factories
from yichuang.orgs.tests import factories as orgs_factories

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _nine_o_clock():
    with clock.frozen(factories.at(hour=9)):
        yield


@pytest.fixture
def hall():
    centre = orgs_factories.centre()
    version = catalog_factories.published_item(
        department=orgs_factories.department(centre=centre), name="食品经营许可（新办）"
    )
    one = factories.window(centre=centre, number=1)
    two = factories.window(centre=centre, number=2)
    factories.queue(centre=centre, code="A", windows=[one, two])
    officer = orgs_factories.staff(centre=centre, name="窗口一号")
    calling.window_sign_in(user=officer.user, window=one)
    return {"centre": centre, "version": version, "one": one, "two": two, "officer": officer}


def called(hall, *, applicant=None, user=None, window=None):
    tickets.ticket_take(
        centre=hall["centre"], queue_code="A", via=TakenVia.KIOSK, applicant=applicant
    )
    return calling.ticket_call_next(user=user or hall["officer"].user, window=window or hall["one"])


def open_form(hall, current, **overrides):
    data = {
        "item_version": hall["version"].pk,
        "kind": "natural_person",
        "id_number": case_factories.resident_id(7),
        "name": "王五",
        "phone": "13800001111",
        "ticket": current.pk,
    }
    data.update(overrides)
    return data


def test_open_case_from_the_ticket_prefills_the_known_applicant(client, hall):
    person = case_factories.applicant(name="李四")
    ticket = called(hall, applicant=person)
    client.force_login(hall["officer"].user)

    page = client.get(reverse("cases:desk"), {"ticket": ticket.pk}).content.decode()

    assert 'data-desk-ticket="A001"' in page
    assert f'name="ticket" value="{ticket.pk}"' in page
    assert f'value="{person.id_number}"' in page
    assert 'value="李四"' in page


def test_the_ticket_travels_with_the_item_search(client, hall):
    ticket = called(hall)
    client.force_login(hall["officer"].user)

    page = client.get(reverse("cases:desk"), {"ticket": ticket.pk, "q": "食品"}).content.decode()

    assert f"&amp;ticket={ticket.pk}#open-case" in page


def test_the_opened_case_is_linked_to_the_ticket(client, hall):
    ticket = called(hall)
    client.force_login(hall["officer"].user)

    response = client.post(reverse("cases:case_open"), open_form(hall, ticket))

    case = Case.objects.get()
    assert response.status_code == 302
    assert TicketCase.objects.get().ticket == ticket
    assert case.ticket_link.ticket == ticket


def test_a_case_opened_without_a_ticket_is_not_linked(client, hall):
    ticket = called(hall)
    client.force_login(hall["officer"].user)

    client.post(reverse("cases:case_open"), open_form(hall, ticket, ticket=""))

    assert Case.objects.count() == 1
    assert not TicketCase.objects.exists()


def test_another_officers_ticket_is_refused_and_no_case_is_left(client, hall):
    other = orgs_factories.staff(centre=hall["centre"])
    calling.window_sign_in(user=other.user, window=hall["two"])
    foreign = called(hall, user=other.user, window=hall["two"])
    client.force_login(hall["officer"].user)

    response = client.post(reverse("cases:case_open"), open_form(hall, foreign))

    assert response.status_code == 200
    assert "该排队号不是您窗口当前办理的号" in response.content.decode()
    assert not Case.objects.exists()
    assert not TicketCase.objects.exists()


@pytest.mark.parametrize("value", ["abc", "-5", str(10**30)])
def test_a_garbage_ticket_is_refused(client, hall, value):
    ticket = called(hall)
    client.force_login(hall["officer"].user)

    response = client.post(reverse("cases:case_open"), open_form(hall, ticket, ticket=value))

    assert response.status_code == 200
    assert not Case.objects.exists()


def test_a_finished_ticket_can_no_longer_be_linked(hall):
    ticket = called(hall)
    calling.ticket_finish(user=hall["officer"].user, window=hall["one"])
    case = Case(centre=hall["centre"])  # never saved: the ticket is refused first

    with pytest.raises(HallConflict) as refused:
        linking.ticket_case_link(user=hall["officer"].user, ticket=ticket, case=case)

    assert refused.value.code == "not_current_ticket"


def test_a_foreign_tickets_id_on_the_desk_is_ignored_for_prefill(client, hall):
    other = orgs_factories.staff(centre=hall["centre"])
    calling.window_sign_in(user=other.user, window=hall["two"])
    foreign = called(
        hall, user=other.user, window=hall["two"], applicant=case_factories.applicant(name="赵六")
    )
    client.force_login(hall["officer"].user)

    page = client.get(reverse("cases:desk"), {"ticket": foreign.pk}).content.decode()

    assert "data-desk-ticket" not in page
    assert "赵六" not in page
