"""Whole-project behaviour: the API root, the language of every page."""


def test_openapi_schema_is_served(client):
    response = client.get("/api/openapi.json")

    assert response.status_code == 200
    assert response.json()["info"]["title"].startswith("一窗")


def test_api_answers_chinese_as_utf8_not_escapes(client):
    response = client.get("/api/v1/calendar/deadline?start=2026-02-30&workdays=1")

    assert response.status_code == 422
    assert "日期不存在".encode() in response.content


def test_admin_speaks_chinese_whatever_the_browser_asks_for(client):
    response = client.get("/admin/login/", HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9")

    assert "用户名" in response.content.decode()
