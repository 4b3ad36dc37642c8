# Video Creator — the two commands: `make run` and `make test`.
PYTHON ?= python3.11
VENV := .venv
PY := $(VENV)/bin/python
PIP := $(VENV)/bin/pip
MANAGE := $(PY) manage.py
HOST ?= 127.0.0.1
PORT ?= 8000

.PHONY: fonts browser run test bench lint format messages catalogs check-translations install install-dev clean

$(VENV)/bin/activate:
	$(PYTHON) -m venv $(VENV)
	$(PIP) install --quiet --upgrade pip

$(VENV)/.installed: requirements.txt $(VENV)/bin/activate
	$(PIP) install --quiet -r requirements.txt
	touch $@

$(VENV)/.installed-dev: requirements.txt requirements-dev.txt $(VENV)/.installed
	$(PIP) install --quiet -r requirements-dev.txt
	touch $@

install: $(VENV)/.installed
install-dev: $(VENV)/.installed-dev

fonts:
	./scripts/install-fonts.sh

browser:
	./scripts/install-browser.sh

catalogs: install
	DEBUG=1 $(MANAGE) compile_catalogs

## Install, migrate, compile messages, sync schedules, seed demo data, then serve
## web + Celery worker (with embedded beat) until Ctrl-C.
run: export DEBUG ?= 1
run: install catalogs fonts
	$(MANAGE) migrate --noinput
	@mkdir -p var/static  # WhiteNoise's root; production fills it with collectstatic
	$(MANAGE) setup_periodic_tasks
	$(MANAGE) seed_demo
	$(MANAGE) render_template_previews
	$(MANAGE) run_dev --host $(HOST) --port $(PORT)

## Install the dev requirements and run every test (PostgreSQL if DATABASE_URL is set).
test: install-dev catalogs fonts browser
	$(VENV)/bin/pytest

bench: install-dev
	$(VENV)/bin/pytest tests/perf -p no:cacheprovider --override-ini="addopts=" -s

lint: install-dev
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .

format: install-dev
	$(VENV)/bin/ruff check --fix .
	$(VENV)/bin/ruff format .

## Re-extract strings into every catalog (needs GNU gettext), then compile them.
messages: install
	DEBUG=1 $(MANAGE) makemessages --all --no-obsolete --ignore=.venv --ignore=var --ignore=tests
	DEBUG=1 $(MANAGE) compile_catalogs

check-translations: install
	$(MANAGE) check_translations

clean:
	rm -rf $(VENV) var
