"""Schema-driven fuzzing of the messages and token API: answers as documented, never a 500."""

import pytest
import schemathesis
from hypothesis import HealthCheck, settings

from yichuang.cases.tests import factories as case_factories
from yichuang.config.wsgi import application
from yichuang.identity.tokens import token_issue
from yichuang.notifications.models import Message
from yichuang.notifications.tests.factories import AT

openapi = schemathesis.openapi.from_wsgi("/api/openapi.json", application)
messages_api = openapi.include(path_regex=r"^/api/v1/messages")
auth_api = openapi.include(path_regex=r"^/api/v1/auth/")

FUZZ = settings(
    max_examples=80,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)


@pytest.fixture
def bearer(db):
    user = case_factories.applicant_user()
    for n in range(3):
        Message.objects.create(
            recipient=user, kind="accepted", title=f"消息{n}", body="内容", created_at=AT
        )
    token = token_issue(username=user.username, password="correct-horse-battery").token
    return {"Authorization": f"Bearer {token}"}


@messages_api.parametrize()
@FUZZ
def test_messages_api_answers_every_request_as_documented(case, bearer, keep_connection):
    case.call_and_validate(headers=bearer)


@auth_api.parametrize()
@FUZZ
def test_token_api_answers_every_request_as_documented(case, db, keep_connection):
    case.call_and_validate()
