"""Schema-driven fuzzing of the identity check API: answers as documented, never a 500."""

import schemathesis
from hypothesis import HealthCheck, settings

from yichuang.config.wsgi import application

schema = schemathesis.openapi.from_wsgi("/api/openapi.json", application).include(
    path_regex=r"^/api/v1/identity/"
)


@schema.parametrize()
@settings(
    max_examples=150,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
def test_identity_api_answers_every_request_as_documented(case, db, keep_connection):
    case.call_and_validate()
