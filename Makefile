# Lodestar: `make run` serves the demo, `make test` runs every check.
# Both install what they need on a fresh Debian 12 machine (as root) and reuse it after.

SHELL := /bin/bash
.SHELLFLAGS := -eu -o pipefail -c
PYTHON_SYSTEM ?= /usr/bin/python3.11
VENV := .venv
PY := $(VENV)/bin/python
MANAGE := $(PY) manage.py
HOST ?= 127.0.0.1
PORT ?= 8000

# WeasyPrint's libraries, CJK fonts for PDFs, gettext for the translation catalogue.
SYSTEM_PACKAGES := python3-venv gettext libpango-1.0-0 libpangoft2-1.0-0 \
	libharfbuzz-subset0 fonts-noto-cjk
# Browser tests drive Debian's Chromium; PDFs are checked as PNG pages (QR codes with zbar).
TEST_SYSTEM_PACKAGES := chromium poppler-utils zbar-tools

# `make serve`: the production profile (PostgreSQL, Redis, gunicorn, several job
# clusters) on this machine; docs/deploy.md explains each setting.
.PHONY: serve backup restore run test install install-dev system-packages test-system-packages prepare \
	lint messages translations pytest benchmarks clean

run: system-packages install prepare
	@scripts/serve.sh $(HOST) $(PORT)

serve: system-packages install messages
	@HOST=$(HOST) PORT=$(PORT) scripts/serve-production.sh

# Database + media into backups/lodestar-<time>/; `make restore BACKUP=that/folder`.
BACKUP_DIR ?= backups
backup: install
	$(MANAGE) backup $(BACKUP_DIR)

restore: install
	@test -n "$(BACKUP)" || { echo "Usage: make restore BACKUP=backups/lodestar-…"; exit 2; }
	$(MANAGE) restore "$(BACKUP)" --yes

test: system-packages test-system-packages install-dev
	$(MAKE) --no-print-directory lint messages
	$(MAKE) --no-print-directory pytest

system-packages:
	@scripts/ensure-system-packages.sh $(SYSTEM_PACKAGES)

test-system-packages:
	@scripts/ensure-system-packages.sh $(TEST_SYSTEM_PACKAGES)

$(VENV)/bin/python:
	$(PYTHON_SYSTEM) -m venv $(VENV)
	$(VENV)/bin/pip install --quiet --upgrade pip==25.3

$(VENV)/.installed: requirements.txt | $(VENV)/bin/python
	$(VENV)/bin/pip install --quiet -r requirements.txt
	touch $@

$(VENV)/.installed-dev: requirements-dev.txt requirements.txt | $(VENV)/bin/python
	$(VENV)/bin/pip install --quiet -r requirements-dev.txt
	touch $@ $(VENV)/.installed

install: $(VENV)/.installed

install-dev: $(VENV)/.installed-dev

# Rebuilt only when their inputs change, so a second `make run` starts in seconds.
CATALOGUES := $(shell find . -name django.po -not -path './.venv/*' -not -path './staticfiles/*')
STATIC_SOURCES := $(shell find static -type f) $(shell find . -path '*/static/*' -type f \
	-not -path './.venv/*' -not -path './staticfiles/*' -not -path './static/*')

$(VENV)/.messages: $(CATALOGUES) | $(VENV)/bin/python
	$(MANAGE) compilemessages --ignore=.venv --ignore=staticfiles --ignore=node_modules -v 0
	touch $@

staticfiles/.collected: $(STATIC_SOURCES) $(VENV)/.installed
	$(MANAGE) collectstatic --noinput -v 0
	touch $@

messages: $(VENV)/.messages

translations:
	scripts/translations.sh

prepare: messages staticfiles/.collected
	$(MANAGE) migrate --noinput -v 0
	$(MANAGE) createcachetable
	$(MANAGE) seed_demo

lint:
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	DJANGO_SETTINGS_MODULE=config.settings.test $(MANAGE) makemigrations --check --dry-run
	$(VENV)/bin/mypy

# Two workers (the machine has two cores); a file's tests stay on one worker.
PYTEST_ARGS ?= -n 2 --dist loadfile
pytest:
	DJANGO_SETTINGS_MODULE=config.settings.test $(VENV)/bin/pytest $(PYTEST_ARGS)

benchmarks: install-dev
	for bench in benchmarks/*.py; do $(PY) $$bench; done

clean:
	rm -rf $(VENV) staticfiles .pytest_cache .mypy_cache .ruff_cache test-artifacts
