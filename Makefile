# yichuang — the two commands a newcomer needs are `make demo` and `make test`.
SHELL := /bin/bash
PYTHON ?= python3
export UV_PYTHON_DOWNLOADS := never
export UV_PROJECT_ENVIRONMENT := $(CURDIR)/.venv
UV := $(shell command -v uv 2>/dev/null || echo $(CURDIR)/.tools/bin/uv)
RUN := $(UV) run --frozen --no-sync

.PHONY: demo test lint bench serve clean help

help:
	@echo "make demo   - install, migrate a SQLite database, load the demo centre, serve on http://127.0.0.1:8000"
	@echo "make test   - install test dependencies and run the whole suite (DATABASE_URL selects the engine)"
	@echo "make lint   - ruff"
	@echo "make bench  - benchmarks (quick variant; BENCH_FULL=1 for the long one)"

$(CURDIR)/.tools/bin/uv:
	$(PYTHON) -m venv $(CURDIR)/.tools
	$(CURDIR)/.tools/bin/pip install --quiet "uv==0.13.9"

.venv/.synced-dev: uv.lock pyproject.toml | $(UV)
	$(UV) sync --frozen
	@touch $@

.venv/.synced-run: uv.lock pyproject.toml | $(UV)
	$(UV) sync --frozen --no-dev --inexact
	@touch $@

demo: .venv/.synced-run
	YICHUANG_DEMO=1 $(RUN) yichuang demo

# Test processes (pytest-xdist); the PostgreSQL concurrency tests open up to ~40 connections
# of their own, so stay well below the server's max_connections (100 by default).
TEST_WORKERS ?= 2

test: .venv/.synced-dev
	$(RUN) pytest -n $(TEST_WORKERS) $(PYTEST_ARGS)

lint: .venv/.synced-dev
	$(RUN) ruff check .
	$(RUN) ruff format --check .

bench: .venv/.synced-dev
	YICHUANG_TEST=1 $(RUN) python -m bench

clean:
	rm -rf .venv .tools .pytest_cache demo.sqlite3*
