"""The calling screen's page: public, no personal data, the calls present at load known."""

from __future__ import annotations

import pytest
from django.test import Client

from yichuang.cases.tests import factories as case_factories
from yichuang.common import clock
from yichuang.hall.models import TakenVia
from yichuang.hall.services import calling
from yichuang.hall.services.tickets import ticket_take
from yichuang.hall.tests import factories as hall_factories
from yichuang.orgs.tests import factories as orgs_factories

pytestmark = pytest.mark.django_db


@pytest.fixture
def called():
    """Window 3 has called 张三's ticket A001."""
    with clock.frozen(hall_factories.at(hour=10)):
        centre = orgs_factories.centre(code="blzq")
        window = hall_factories.window(centre=centre, number=3)
        hall_factories.queue(centre=centre, code="A", windows=[window])
        person = case_factories.applicant(name="张三")
        ticket_take(centre=centre, queue_code="A", via=TakenVia.KIOSK, applicant=person)
        officer = orgs_factories.staff(centre=centre).user
        calling.window_sign_in(user=officer, window=window)
        calling.ticket_call_next(user=officer, window=window)
        yield {"centre": centre, "person": person}


def test_the_screen_needs_no_login_and_shows_the_current_call(called):
    with clock.frozen(hall_factories.at(hour=10, minute=1)):
        response = Client().get("/hall/screen/", {"centre": "blzq"})

    page = response.content.decode()
    assert response.status_code == 200
    assert 'data-window="3"' in page and "A001" in page
    assert 'data-api="/api/v1/hall/screen?centre=blzq"' in page


def test_the_screen_shows_no_personal_data(called):
    with clock.frozen(hall_factories.at(hour=10, minute=1)):
        page = Client().get("/hall/screen/", {"centre": "blzq"}).content.decode()

    assert "张三" not in page
    assert called["person"].id_number not in page


def test_the_calls_present_at_load_are_marked_seen(called):
    from yichuang.hall.models import TicketEvent

    last = TicketEvent.objects.filter(kind="called").latest("id").pk
    with clock.frozen(hall_factories.at(hour=10, minute=1)):
        page = Client().get("/hall/screen/", {"centre": "blzq"}).content.decode()

    assert f'data-last-event-id="{last}"' in page


@pytest.mark.parametrize("code", ["nope", "x" * 5000])
def test_an_unknown_centre_is_a_404_page(called, code):
    response = Client().get("/hall/screen/", {"centre": code})

    assert response.status_code == 404
    assert 'data-error="centre_not_found"' in response.content.decode()
