"""Suite-wide test configuration. App-specific fixtures live in each app's tests/."""

import os

import pytest

os.environ.setdefault("YICHUANG_TEST", "1")


@pytest.fixture
def keep_connection():
    """Requests made straight through the WSGI app (schemathesis) keep the test's DB connection.

    Django closes connections at the end of each request; the test client avoids that, and so
    must any test that calls the WSGI application directly inside a test transaction.
    """
    from django.core.signals import request_finished, request_started
    from django.db import close_old_connections

    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


@pytest.fixture(autouse=True)
def _fresh_cache():
    """Counters kept in the cache (the public lookup's brake) start empty in every test."""
    from django.core.cache import cache

    cache.clear()
    yield
    cache.clear()
