# The two commands of README.md: `make run` and `make test`. Both set up everything they need.
PYTHON ?= python3
VENV   ?= .venv
BIN     = $(VENV)/bin
HOST   ?= 127.0.0.1
PORT   ?= 5000

.PHONY: run test lint translations install install-test mutation static

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip

install: $(BIN)/python
	$(BIN)/pip install --quiet -e .
	$(BIN)/pybabel compile --use-fuzzy -d lms/translations >/dev/null
	$(MAKE) --no-print-directory static

# Fingerprinted copies of the static files and their manifest (Flask-Static-Digest), redone when one changes.
STATIC_SOURCES := $(shell find lms/static -type f ! -name cache_manifest.json ! -regex '.*-[0-9a-f]\{32\}\.[^/]*')
static: lms/static/cache_manifest.json

lms/static/cache_manifest.json: $(STATIC_SOURCES)
	$(BIN)/flask --app wsgi digest clean >/dev/null
	$(BIN)/flask --app wsgi digest compile >/dev/null

# Reinstalled only when the package's metadata or a catalogue changed (CI runs two suites at once).
install-test: $(VENV)/.installed-test
	$(MAKE) --no-print-directory static

$(VENV)/.installed-test: $(BIN)/python setup.cfg pyproject.toml $(wildcard lms/translations/*/LC_MESSAGES/messages.po)
	$(BIN)/pip install --quiet -e '.[test]'
	$(BIN)/pybabel compile --use-fuzzy -d lms/translations >/dev/null
	touch $@

## Install, migrate a SQLite database, import courses/, create demo accounts, serve on http://127.0.0.1:5000
run: install
	$(BIN)/flask --app wsgi lms bootstrap
	@echo "Emails (no SMTP server): http://$(HOST):$(PORT)/admin/mail as the admin, or $(BIN)/flask --app wsgi lms outbox"
	$(BIN)/flask --app wsgi run --host $(HOST) --port $(PORT)

## Install the test extras and run the whole test suite (set DATABASE_URL to test on PostgreSQL)
test: install-test
	$(BIN)/ruff check lms tests bench
	$(BIN)/ruff format --check lms tests bench
	$(BIN)/pytest

## Mutation testing of the correctness core (slow, not in CI): `make mutation MODULE=grading`
mutation: install-test
	$(BIN)/python scripts/mutation.py $(MODULE)

## Re-extract the interface texts into the catalogues after changing templates or code
translations: install-test
	$(BIN)/pybabel extract -F babel.cfg -k _l -k lazy_gettext -o lms/translations/messages.pot --no-location --sort-output .
	$(BIN)/pybabel update -i lms/translations/messages.pot -d lms/translations --no-fuzzy-matching
