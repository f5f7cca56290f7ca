"""POST /api/v1/identity/check."""

from __future__ import annotations

import json
import logging

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

URL = "/api/v1/identity/check"


def post(client, body):
    data = body if isinstance(body, str) else json.dumps(body)
    return client.post(URL, data=data, content_type="application/json")


@pytest.mark.parametrize(
    ("kind", "number", "valid", "code", "normalized"),
    [
        ("resident_id", "11010519491231002x", True, "ok", "11010519491231002X"),
        ("resident_id", "110105194912310021", False, "bad_check_digit", None),
        ("resident_id", "110105491231002", False, "old_format", None),
        ("resident_id", "11010520990101001X", False, "future_birth_date", None),
        ("uscc", "91350100m000100y43", True, "ok", "91350100M000100Y43"),
        ("uscc", "91350100M000100Y44", False, "bad_check_digit", None),
        ("uscc", "", False, "empty", None),
    ],
)
def test_check_answers_200_with_the_verdict(client, kind, number, valid, code, normalized):
    response = post(client, {"kind": kind, "number": number})

    body = response.json()
    assert response.status_code == 200
    assert (body["valid"], body["code"], body["normalized"]) == (valid, code, normalized)
    assert body["message"]


@pytest.mark.parametrize(
    "body",
    [
        {"kind": "passport", "number": "E12345678"},
        {"kind": "resident_id"},
        {"number": "11010519491231002X"},
        {"kind": "resident_id", "number": 110105194912310021},
        {"kind": "resident_id", "number": "1" * 65},
        "not json",
        "[]",
    ],
)
def test_malformed_body_is_422_with_the_error_format(client, body):
    response = post(client, body)

    assert response.status_code == 422
    assert response.json()["code"] == "invalid_input"
    assert response.json()["message"]


def test_the_number_is_not_logged(client, caplog):
    with caplog.at_level(logging.DEBUG):
        post(client, {"kind": "resident_id", "number": "110105194912310021"})

    assert "110105194912310021" not in caplog.text


@settings(max_examples=60, deadline=None)
@given(kind=st.sampled_from(["resident_id", "uscc"]), number=st.text(max_size=64))
def test_any_text_gets_a_200_verdict(kind, number):
    from django.test import Client

    response = post(Client(), {"kind": kind, "number": number})

    assert response.status_code == 200
    assert response.json()["valid"] in (True, False)
