"""The error format: a machine code and a message, mapped to 4xx by the API."""

from __future__ import annotations

import pytest

from yichuang.common.errors import Conflict, DomainError, Forbidden, NotFound


@pytest.mark.parametrize(
    ("error_class", "status"),
    [(DomainError, 422), (NotFound, 404), (Forbidden, 403), (Conflict, 409)],
)
def test_status_per_error_class(error_class, status):
    assert error_class(code="x", message="消息").status == status


def test_as_dict_carries_code_and_message_only_when_nothing_else_is_set():
    error = DomainError(code="bad_thing", message="出错了")

    assert error.as_dict() == {"code": "bad_thing", "message": "出错了"}


def test_as_dict_carries_field_and_details_when_set():
    error = DomainError(code="bad_thing", message="出错了", field="number", details=[1])

    assert error.as_dict() == {
        "code": "bad_thing",
        "message": "出错了",
        "field": "number",
        "details": [1],
    }


def test_lazy_message_becomes_text():
    from django.utils.translation import gettext_lazy

    assert DomainError(code="x", message=gettext_lazy("出错了")).message == "出错了"


@pytest.mark.django_db
def test_domain_error_reaches_the_client_as_json(client):
    response = client.get("/api/v1/orgs/centres/no-such-centre")

    assert response.status_code == 404
    assert response.json() == {"code": "centre_not_found", "message": "未找到该服务中心"}


def test_validation_error_reaches_the_client_as_invalid_input(client):
    response = client.post(
        "/api/v1/identity/check", data='{"kind": "passport"}', content_type="application/json"
    )

    body = response.json()
    assert response.status_code == 422
    assert body["code"] == "invalid_input"
    assert body["message"]
    assert {tuple(d["loc"]) for d in body["details"]} == {
        ("body", "payload", "kind"),
        ("body", "payload", "number"),
    }


def test_body_that_is_not_json_is_invalid_input(client):
    response = client.post("/api/v1/identity/check", data="{", content_type="application/json")

    assert response.status_code == 422
    assert response.json() == {"code": "invalid_input", "message": "请求体不是合法的 JSON"}
