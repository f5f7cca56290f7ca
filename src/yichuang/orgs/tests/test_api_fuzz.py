"""Schema-driven fuzzing of the public centre API: answers as documented, never a 500."""

import pytest
import schemathesis
from hypothesis import HealthCheck, settings

from yichuang.config.wsgi import application
from yichuang.orgs.tests import factories

schema = schemathesis.openapi.from_wsgi("/api/openapi.json", application).include(
    path_regex=r"^/api/v1/orgs/"
)


@pytest.fixture
def centres(db):
    county = factories.centre(code="zuoqi")
    factories.department(centre=county)
    factories.window(centre=county)


@schema.parametrize()
@settings(
    max_examples=40,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
def test_centre_api_answers_every_request_as_documented(case, centres, keep_connection):
    case.call_and_validate()
