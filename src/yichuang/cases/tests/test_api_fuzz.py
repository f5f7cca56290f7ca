"""Schema-driven fuzzing of the case API and the task inbox: every answer as documented,
never a 500.

Once anonymously (the public lookup answers; everything else asks to log in) and once
as a window officer signed in through the session cookie, with a case to act on.
"""

import datetime as dt

import pytest
import schemathesis
from django.conf import settings as django_settings
from django.test import Client
from hypothesis import HealthCheck, settings
from schemathesis.specs.openapi.checks import ignored_auth

from yichuang.cases import services
from yichuang.cases.tests import factories
from yichuang.catalog.tests import factories as catalog_factories
from yichuang.common import clock
from yichuang.config.wsgi import application
from yichuang.orgs.tests import factories as orgs_factories

schema = schemathesis.openapi.from_wsgi("/api/openapi.json", application).include(
    path_regex=r"^/api/v1/(cases|tasks)"
)
SESSION = django_settings.SESSION_COOKIE_NAME
CSRF = "fuzz" * 8  # a well-formed token: the session's POSTs pass the CSRF check
FUZZ = settings(
    max_examples=60,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)


@pytest.fixture
def officer_session(db, settings, tmp_path):
    """A window officer's session and CSRF headers, and a submitted case of their centre."""
    settings.MEDIA_ROOT = tmp_path / "media"
    version = catalog_factories.published_item(handled_online=True)
    member = orgs_factories.staff(centre=version.item.centre)
    with clock.frozen(dt.datetime(2026, 3, 2, 2, tzinfo=dt.UTC)):
        services.case_open(user=member.user, item_version=version, applicant=factories.applicant())
    client = Client()
    client.force_login(member.user)
    session = client.cookies[django_settings.SESSION_COOKIE_NAME].value
    return {
        "headers": {"X-CSRFToken": CSRF},
        "cookies": {
            django_settings.SESSION_COOKIE_NAME: session,
            django_settings.CSRF_COOKIE_NAME: CSRF,
        },
    }


@schema.parametrize()
@FUZZ
def test_case_api_answers_anonymous_requests_as_documented(case, db, keep_connection):
    case.call_and_validate()


@schema.parametrize()
@FUZZ
def test_case_api_answers_a_window_officer_as_documented(case, officer_session, keep_connection):
    if case.cookies and SESSION in case.cookies:
        # A request meant to carry a session carries the officer's; one generated without a
        # session (or with a broken one) is sent as generated and must be refused.
        # The generated cookie is replaced by a real session, which schemathesis still takes
        # for generated (invalid) credentials; auth enforcement is checked anonymously above
        # and, role by role, in tests/api/test_access_matrix.py.
        case.cookies = {**case.cookies, **officer_session["cookies"]}
        case.call_and_validate(headers=officer_session["headers"], excluded_checks=[ignored_auth])
    else:
        case.call_and_validate()
