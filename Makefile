# The few targets a newcomer needs. `make run` and `make test` work on a fresh clone
# with nothing but Python 3.11+ installed.

PYTHON ?= python3
VENV ?= .venv
PY := $(VENV)/bin/python
PYTEST_ARGS ?=
# pytest-xdist workers for `make test` and `make test-all`: one per core (0 runs in this process alone).
PYTEST_JOBS ?= auto
# What `make test` selects: everything but the slow suites (browser, fuzzing, faults), which `make test-all` adds.
TEST_MARKS ?= not slow
BENCH_ARGS ?=
HOST ?= 127.0.0.1
PORT ?= 8000

.PHONY: run setup test test-all lint imports format check bench clean lock

$(VENV)/.python-ok:
	@$(PYTHON) -c 'import sys; sys.exit(0 if sys.version_info >= (3, 11) else "Python 3.11 or newer is needed (set PYTHON=...)")'
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	@touch $@

# PYTHONWARNINGS=ignore: setuptools prints a banner about editable installs otherwise, whatever the mode.
# requirements.lock pins every package at the versions exports were checked with (see docs/exports.md).
$(VENV)/.installed: $(VENV)/.python-ok pyproject.toml requirements.lock
	PYTHONWARNINGS=ignore $(PY) -m pip install --quiet -c requirements.lock -e .
	@touch $@

$(VENV)/.installed-dev: $(VENV)/.python-ok pyproject.toml requirements.lock
	PYTHONWARNINGS=ignore $(PY) -m pip install --quiet -c requirements.lock -e '.[dev]'
	@touch $@ $(VENV)/.installed

## lock: pin the dependencies again, from pyproject.toml, in a throwaway virtual environment
lock:
	rm -rf .lock-venv && $(PYTHON) -m venv .lock-venv
	.lock-venv/bin/pip install --quiet --upgrade pip
	PYTHONWARNINGS=ignore .lock-venv/bin/pip install --quiet -e '.[dev]'
	{ sed -n '1,3p' requirements.lock; .lock-venv/bin/pip freeze --exclude-editable; } > requirements.lock.new
	mv requirements.lock.new requirements.lock && rm -rf .lock-venv

## run: set up, load the vocabulary, speakers and seed corpus, and serve on http://127.0.0.1:8000/
# Beside the server runs the webhook sender (docs/webhooks.md): tasks run in the server's process here,
# so a delivery's retry waits for it; it ends with the server.
WEBHOOKS_EVERY ?= 30
run: export DEBUG ?= 1
run: setup
	$(PY) manage.py send_webhooks --every $(WEBHOOKS_EVERY) & sender=$$!; trap 'kill $$sender 2>/dev/null' EXIT INT TERM; $(PY) manage.py runserver $(HOST):$(PORT)

## setup: everything `run` does before serving, in one process that skips what is done (safe to repeat)
setup: export DEBUG ?= 1
setup: $(VENV)/.installed
	$(PY) manage.py setup_demo

## test: set up and run the tests but the slow suites, on every core (DATABASE_URL=postgres://... for PostgreSQL)
test: $(VENV)/.installed-dev
	$(PY) -m pytest -n $(PYTEST_JOBS) -m '$(TEST_MARKS)' $(PYTEST_ARGS)

## test-all: every test, the slow suites (browser, fuzzing, faults) included; what CI runs on PostgreSQL
test-all: $(VENV)/.installed-dev
	$(PY) -m pytest -n $(PYTEST_JOBS) $(PYTEST_ARGS)

## lint: ruff, and the layers (import-linter contracts in pyproject.toml)
lint: $(VENV)/.installed-dev imports
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .

# The layers: annotations builds on corpus, both on api; config imports no app but in its URLs.
imports: $(VENV)/.installed-dev
	$(VENV)/bin/lint-imports

format: $(VENV)/.installed-dev
	$(VENV)/bin/ruff check --fix .
	$(VENV)/bin/ruff format .

check: export DEBUG ?= 1
check: $(VENV)/.installed
	$(PY) manage.py check
	$(PY) manage.py makemigrations --check --dry-run

## bench: the benchmark suite, one table on SQLite and PostgreSQL (BENCH_ARGS=--quick for a smoke run)
bench: $(VENV)/.installed
	$(PY) -m bench.suite $(BENCH_ARGS)

clean:
	rm -rf $(VENV) var .pytest_cache
