"""`yichuang serve`: the server, worker model and access log are chosen on the command line
or by environment variables (docs/configuration.md)."""

from __future__ import annotations

import pytest

from yichuang import cli


@pytest.fixture
def started(monkeypatch):
    calls = []
    monkeypatch.setattr(cli, "_serve_gunicorn", lambda args: calls.append(("gunicorn", args)))
    monkeypatch.setattr(cli, "_serve_granian", lambda args: calls.append(("granian", args)))
    return calls


def test_the_server_named_on_the_command_line_is_started(started):
    cli.serve(["--server", "granian", "--workers", "3", "--threads", "8", "--no-access-log"])

    [(server, args)] = started
    assert (server, args.workers, args.threads, args.access_log) == ("granian", 3, 8, False)


def test_the_environment_chooses_when_the_command_line_does_not(started, monkeypatch):
    monkeypatch.setenv("YICHUANG_SERVER", "gunicorn")
    monkeypatch.setenv("YICHUANG_WORKER_CLASS", "sync")
    monkeypatch.setenv("YICHUANG_ACCESS_LOG", "0")

    cli.serve([])

    [(server, args)] = started
    assert (server, args.worker_class, args.access_log) == ("gunicorn", "sync", False)


def test_an_unknown_server_is_refused(started):
    with pytest.raises(SystemExit):
        cli.serve(["--server", "uwsgi"])

    assert started == []
