"""Settings of a multi-server deployment: a read replica for reports, object storage for
files. Settings are read once at start, so each case starts a fresh interpreter."""

from __future__ import annotations

import json
import os
import subprocess
import sys

import pytest
from django.conf import settings

from yichuang.common.db import reporting_db

PROBE = """
import django
from django.conf import settings
django.setup()
print(__import__("json").dumps({
    "databases": sorted(settings.DATABASES),
    "replica_mirror": settings.DATABASES.get("replica", {}).get("TEST", {}).get("MIRROR"),
    "storage": settings.STORAGES["default"],
}))
"""


def _settings_with(**env: str) -> subprocess.CompletedProcess[str]:
    environment = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "yichuang.config.settings",
        "YICHUANG_TEST": "1",
        "DATABASE_URL": "postgres://postgres@127.0.0.1:5432/primary",
        **env,
    }
    return subprocess.run(
        [sys.executable, "-c", PROBE], env=environment, capture_output=True, text=True, timeout=60
    )


def test_without_a_replica_reports_read_the_primary():
    assert "replica" not in settings.DATABASES
    assert reporting_db() == "default"


def test_with_a_replica_reports_read_it(monkeypatch):
    monkeypatch.setitem(settings.DATABASES, "replica", dict(settings.DATABASES["default"]))
    assert reporting_db() == "replica"


def test_a_replica_url_adds_the_replica_database():
    result = _settings_with(DATABASE_REPLICA_URL="postgres://postgres@10.0.0.2:5432/yichuang")
    assert result.returncode == 0, result.stderr
    found = json.loads(result.stdout.strip().splitlines()[-1])
    assert found["databases"] == ["default", "replica"]
    assert found["replica_mirror"] == "default"  # tests read the primary through it


def test_a_replica_beside_sqlite_is_refused():
    result = _settings_with(
        DATABASE_URL="sqlite:///:memory:", DATABASE_REPLICA_URL="postgres://h/yichuang"
    )
    assert result.returncode != 0
    assert "DATABASE_REPLICA_URL needs PostgreSQL" in result.stderr


def test_object_storage_is_chosen_by_environment():
    options = {"bucket_name": "yichuang-files", "endpoint_url": "https://oss.example.cn"}
    result = _settings_with(
        YICHUANG_MEDIA_STORAGE="storages.backends.s3.S3Storage",
        YICHUANG_MEDIA_STORAGE_OPTIONS=json.dumps(options),
    )
    assert result.returncode == 0, result.stderr
    storage = json.loads(result.stdout.strip().splitlines()[-1])["storage"]
    assert storage == {"BACKEND": "storages.backends.s3.S3Storage", "OPTIONS": options}


@pytest.mark.parametrize(
    ("value", "message"),
    [("{bucket", "is not JSON"), ('["a"]', "must be a JSON object")],
)
def test_bad_storage_options_stop_the_start_with_a_clear_message(value, message):
    result = _settings_with(YICHUANG_MEDIA_STORAGE_OPTIONS=value)
    assert result.returncode != 0
    assert f"YICHUANG_MEDIA_STORAGE_OPTIONS {message}" in result.stderr
