"""POST/DELETE /api/v1/auth/token, the login throttle, and bearer authentication."""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import threading
import zoneinfo

import pytest
from django.db import connection

from yichuang.common import clock
from yichuang.identity.models import ApiToken, LoginThrottle, User
from yichuang.orgs.tests import factories as orgs_factories

URL = "/api/v1/auth/token"
MESSAGES = "/api/v1/messages"
PASSWORD = "correct-horse-battery"
AT = dt.datetime(2026, 3, 2, 9, 0, tzinfo=zoneinfo.ZoneInfo("Asia/Shanghai"))

pytestmark = pytest.mark.django_db


@pytest.fixture
def user():
    return User.objects.create_user(username="officer1", password=PASSWORD)


def login(client, username, password):
    body = json.dumps({"username": username, "password": password})
    return client.post(URL, data=body, content_type="application/json")


def bearer(token: str) -> dict[str, str]:
    return {"HTTP_AUTHORIZATION": f"Bearer {token}"}


def test_right_credentials_answer_a_token_valid_for_12_hours(client, user):
    with clock.frozen(AT):
        response = login(client, "officer1", PASSWORD)

    body = response.json()
    assert response.status_code == 200
    assert dt.datetime.fromisoformat(body["expires_at"]) == AT + dt.timedelta(hours=12)
    assert len(body["token"]) >= 43


def test_only_the_hash_and_prefix_of_the_token_are_stored(client, user):
    token = login(client, "officer1", PASSWORD).json()["token"]

    row = ApiToken.objects.get(user=user)
    assert row.key_hash == hashlib.sha256(token.encode()).hexdigest()
    assert row.prefix == token[:8]


def test_wrong_password_answers_401_invalid_credentials(client, user):
    response = login(client, "officer1", "wrong-password")

    assert response.status_code == 401
    assert response.json() == {"code": "invalid_credentials", "message": "用户名或密码错误"}


def test_unknown_user_answers_exactly_like_a_wrong_password(client, user):
    wrong_password = login(client, "officer1", "wrong-password")
    unknown = login(client, "nobody", "wrong-password")

    assert (unknown.status_code, unknown.json()) == (
        wrong_password.status_code,
        wrong_password.json(),
    )


def test_unknown_user_runs_the_password_hasher(client, monkeypatch):
    calls = []
    original = User.set_password
    monkeypatch.setattr(
        User, "set_password", lambda self, raw: calls.append(raw) or original(self, raw)
    )

    login(client, "nobody", "guess")

    assert calls == ["guess"]


def test_inactive_user_is_refused_with_the_right_password(client, user):
    user.is_active = False
    user.save(update_fields=["is_active"])

    response = login(client, "officer1", PASSWORD)

    assert response.status_code == 401
    assert response.json()["code"] == "invalid_credentials"


def test_fifth_failure_locks_the_name_even_for_the_right_password(client, user):
    with clock.frozen(AT):
        for _ in range(5):
            login(client, "officer1", "wrong-password")
        response = login(client, "officer1", PASSWORD)

    assert response.status_code == 429
    assert response.json() == {
        "code": "account_locked",
        "message": "登录失败次数过多，账号已暂时锁定，请15分钟后再试",
    }


def test_four_failures_do_not_lock(client, user):
    for _ in range(4):
        login(client, "officer1", "wrong-password")

    response = login(client, "officer1", PASSWORD)

    assert response.status_code == 200


def test_the_lock_message_counts_the_minutes_left(client, user):
    with clock.frozen(AT):
        for _ in range(5):
            login(client, "officer1", "wrong-password")
    with clock.frozen(AT + dt.timedelta(minutes=10, seconds=30)):
        response = login(client, "officer1", PASSWORD)

    assert response.json()["message"].endswith("请5分钟后再试")


def test_the_name_unlocks_after_the_lock_period(client, user):
    with clock.frozen(AT):
        for _ in range(5):
            login(client, "officer1", "wrong-password")
    with clock.frozen(AT + dt.timedelta(minutes=15)):
        response = login(client, "officer1", PASSWORD)

    assert response.status_code == 200


def test_unknown_names_are_locked_the_same_way(client):
    for _ in range(5):
        login(client, "nobody", "wrong-password")

    response = login(client, "nobody", "wrong-password")

    assert response.status_code == 429
    assert response.json()["code"] == "account_locked"


def test_a_success_resets_the_failure_count(client, user):
    for _ in range(4):
        login(client, "officer1", "wrong-password")
    login(client, "officer1", PASSWORD)
    for _ in range(4):
        login(client, "officer1", "wrong-password")

    response = login(client, "officer1", PASSWORD)

    assert response.status_code == 200
    assert LoginThrottle.objects.get(username="officer1").failures == 0


@pytest.mark.parametrize(
    "body",
    [
        {},
        {"username": "officer1"},
        {"username": "", "password": "x"},
        {"username": 1, "password": []},
    ],
)
def test_malformed_body_answers_422(client, body):
    response = client.post(URL, data=json.dumps(body), content_type="application/json")

    assert response.status_code == 422
    assert response.json()["code"] == "invalid_input"


# -- bearer authentication -----------------------------------------------------------------


def test_bearer_token_authenticates_the_messages_list(client, user):
    token = login(client, "officer1", PASSWORD).json()["token"]

    response = client.get(MESSAGES, **bearer(token))

    assert response.status_code == 200
    assert response.json()["count"] == 0


def test_no_credentials_answer_401(client):
    response = client.get(MESSAGES)

    assert response.status_code == 401
    assert response.json()["code"] == "unauthenticated"


@pytest.mark.parametrize("token", ["garbage", "x" * 500, ""])
def test_garbage_token_answers_401(client, user, token):
    response = client.get(MESSAGES, **bearer(token))

    assert response.status_code == 401


def test_expired_token_answers_401(client, user):
    with clock.frozen(AT):
        token = login(client, "officer1", PASSWORD).json()["token"]
    with clock.frozen(AT + dt.timedelta(hours=12)):
        response = client.get(MESSAGES, **bearer(token))

    assert response.status_code == 401


def test_token_of_a_deactivated_user_answers_401(client, user):
    token = login(client, "officer1", PASSWORD).json()["token"]
    user.is_active = False
    user.save(update_fields=["is_active"])

    response = client.get(MESSAGES, **bearer(token))

    assert response.status_code == 401


def test_revoked_token_answers_401(client, user):
    token = login(client, "officer1", PASSWORD).json()["token"]

    revoke = client.delete(URL, **bearer(token))
    response = client.get(MESSAGES, **bearer(token))

    assert revoke.status_code == 204
    assert response.status_code == 401


def test_revoking_one_token_keeps_the_others(client, user):
    first = login(client, "officer1", PASSWORD).json()["token"]
    second = login(client, "officer1", PASSWORD).json()["token"]

    client.delete(URL, **bearer(first))

    assert client.get(MESSAGES, **bearer(second)).status_code == 200


def test_last_use_is_written_at_most_once_a_minute(client, user):
    with clock.frozen(AT):
        token = login(client, "officer1", PASSWORD).json()["token"]
        client.get(MESSAGES, **bearer(token))
    with clock.frozen(AT + dt.timedelta(seconds=59)):
        client.get(MESSAGES, **bearer(token))
    first = ApiToken.objects.get().last_used_at
    with clock.frozen(AT + dt.timedelta(seconds=60)):
        client.get(MESSAGES, **bearer(token))

    assert first == AT
    assert ApiToken.objects.get().last_used_at == AT + dt.timedelta(seconds=60)


# -- session authentication ----------------------------------------------------------------


def test_session_authenticates_a_get(client, user):
    client.force_login(user)

    assert client.get(MESSAGES).status_code == 200


def test_session_post_without_csrf_token_is_refused(user):
    from django.test import Client

    browser = Client(enforce_csrf_checks=True)
    browser.force_login(user)

    response = browser.post(f"{MESSAGES}/1/read")

    assert response.status_code == 403


def test_bearer_post_needs_no_csrf_token(user):
    from django.test import Client

    browser = Client(enforce_csrf_checks=True)
    token = login(browser, "officer1", PASSWORD).json()["token"]

    response = browser.post(f"{MESSAGES}/1/read", **bearer(token))

    assert response.status_code == 404  # authenticated; the message does not exist


# -- concurrency ---------------------------------------------------------------------------


@pytest.mark.postgres_only
@pytest.mark.django_db(transaction=True)
def test_concurrent_failures_all_count():
    if connection.vendor != "postgresql":
        pytest.skip("row locks need PostgreSQL")
    from django.test import Client

    User.objects.create_user(username="officer1", password=PASSWORD)
    count = 4
    barrier = threading.Barrier(count)
    statuses: list[int] = []

    def fail() -> None:
        try:
            barrier.wait()
            statuses.append(login(Client(), "officer1", "wrong-password").status_code)
        finally:
            connection.close()

    threads = [threading.Thread(target=fail) for _ in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert statuses == [401] * count
    assert LoginThrottle.objects.get(username="officer1").failures == count


@pytest.mark.postgres_only
@pytest.mark.django_db(transaction=True)
def test_concurrent_failures_past_the_limit_lock_the_name():
    if connection.vendor != "postgresql":
        pytest.skip("row locks need PostgreSQL")
    from django.test import Client

    User.objects.create_user(username="officer1", password=PASSWORD)
    count = 7
    barrier = threading.Barrier(count)
    statuses: list[int] = []

    def fail() -> None:
        try:
            barrier.wait()
            statuses.append(login(Client(), "officer1", "wrong-password").status_code)
        finally:
            connection.close()

    threads = [threading.Thread(target=fail) for _ in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert sorted(statuses) == [401] * 5 + [429] * 2
    assert login(Client(), "officer1", PASSWORD).status_code == 429


def test_a_wrong_bearer_token_is_refused_even_with_a_session(client):
    member = orgs_factories.staff()
    client.force_login(member.user)

    with_session = client.get("/api/v1/cases")
    with_bad_token = client.get("/api/v1/cases", HTTP_AUTHORIZATION="Bearer not-a-token")

    assert (with_session.status_code, with_bad_token.status_code) == (200, 401)
