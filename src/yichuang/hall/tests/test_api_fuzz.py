"""Schema-driven fuzzing of the hall API: every answer as documented, never a 500.

Once anonymously (queues, taking a number, the screen answer; the window actions ask to log
in) and once as a window officer signed in to a window through the session cookie, with
people waiting.
"""

import pytest
import schemathesis
from django.conf import settings as django_settings
from django.test import Client
from hypothesis import HealthCheck, settings
from schemathesis.specs.openapi.checks import ignored_auth

from yichuang.common import clock
from yichuang.config.wsgi import application
from yichuang.hall.services import calling, tickets
from yichuang.hall.tests import factories as f
from yichuang.orgs.tests import factories as orgs_factories

schema = schemathesis.openapi.from_wsgi("/api/openapi.json", application).include(
    path_regex=r"^/api/v1/hall/(queues|tickets|screen|windows)"
)
SESSION = django_settings.SESSION_COOKIE_NAME
CSRF = "fuzz" * 8
FUZZ = settings(
    max_examples=50,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)


@pytest.fixture
def hall(db, settings):
    settings.YICHUANG = {**settings.YICHUANG, "HALL_ANONYMOUS_TICKETS_PER_HOUR": 10**6}
    with clock.frozen(f.at()):
        centre = orgs_factories.centre()
        window = f.window(centre=centre)
        f.queue(centre=centre, code="A", windows=[window])
        officer = orgs_factories.staff(centre=centre)
        calling.window_sign_in(user=officer.user, window=window)
        for _ in range(3):
            tickets.ticket_take(centre=centre, queue_code="A", via="kiosk")
        settings.YICHUANG = {**settings.YICHUANG, "PORTAL_CENTRE": centre.code}
        yield officer


@pytest.fixture
def officer_session(hall):
    client = Client()
    client.force_login(hall.user)
    return {
        "headers": {"X-CSRFToken": CSRF},
        "cookies": {
            SESSION: client.cookies[SESSION].value,
            django_settings.CSRF_COOKIE_NAME: CSRF,
        },
    }


@schema.parametrize()
@FUZZ
def test_hall_api_answers_anonymous_requests_as_documented(case, hall, keep_connection):
    case.call_and_validate()


@schema.parametrize()
@FUZZ
def test_hall_api_answers_a_window_officer_as_documented(case, officer_session, keep_connection):
    if case.cookies and SESSION in case.cookies:
        case.cookies = {**case.cookies, **officer_session["cookies"]}
        case.call_and_validate(headers=officer_session["headers"], excluded_checks=[ignored_auth])
    else:
        case.call_and_validate()
