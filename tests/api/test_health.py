"""`GET /api/v1/health`: the load balancer's question, answered without the database.

No test here has database access (no `django_db` mark): a query would fail it.
"""

from __future__ import annotations


def test_health_answers_ok_to_anyone_without_touching_the_database(client):
    response = client.get("/api/v1/health")

    assert response.status_code == 200
    assert response.json() == {"status": "ok"}


def test_health_is_in_the_openapi_document(client):
    paths = client.get("/api/openapi.json").json()["paths"]

    assert "get" in paths["/api/v1/health"]
