# Two commands: `make demo` (set up, load the demo board, serve on 127.0.0.1:8000) and
# `make test` (set up, run the whole suite). Both share the virtual environment in .venv.
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed-stamp
# The suite runs on every core (pytest-xdist: one database per worker); `PYTEST_ARGS=` runs it in one
# process, `PYTEST_ARGS=tests/web` runs a part.
PYTEST_ARGS ?= -n auto

.PHONY: setup demo test lint format bench messages clean

$(STAMP): requirements/base.txt requirements/test.txt pyproject.toml
	@$(PYTHON) -c 'import sys; sys.exit(0 if sys.version_info >= (3, 11) else "Stelsel needs Python 3.11 or newer")'
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --disable-pip-version-check -r requirements/test.txt
	@# The package runs from src/ through a path file: nothing to build, edits apply at once.
	$(PY) -c 'import pathlib, site; pathlib.Path(site.getsitepackages()[0], "stelsel.pth").write_text(str(pathlib.Path("src").resolve()) + "\n")'
	@touch $(STAMP)

setup: $(STAMP)

# The demo runs as the product does, not as a developer's server: no debug pages, a secret key
# made once and kept in var/ (never in git), plain http on this machine only, static files
# collected and served by the app (WhiteNoise), the cache in the database.
DEMO_SECRET ?= var/demo-secret-key
DEMO_ADDRESS ?= 127.0.0.1:8000
DEMO_ENV = STELSEL_DEBUG=false STELSEL_SECURE=false ALLOWED_HOSTS=127.0.0.1,localhost \
	SECRET_KEY="$$(cat $(DEMO_SECRET))"

$(DEMO_SECRET):
	@mkdir -p $(dir $@)
	@umask 077 && $(PYTHON) -c 'import secrets; print(secrets.token_urlsafe(50))' > $@

demo: setup $(DEMO_SECRET)
	$(DEMO_ENV) $(PY) -m stelsel migrate --noinput
	$(DEMO_ENV) $(PY) -m stelsel createcachetable
	$(DEMO_ENV) $(PY) -m stelsel collectstatic --noinput -v0
	$(DEMO_ENV) $(PY) -m stelsel demo
	@# The task worker makes report files and sends the emails beside the server; it stops with it.
	$(DEMO_ENV) $(PY) -m stelsel db_worker > var/worker.log 2>&1 & worker=$$!; \
	trap 'kill $$worker 2>/dev/null' EXIT INT TERM; \
	$(DEMO_ENV) $(PY) -m stelsel runserver $(DEMO_ADDRESS)

test: setup
	$(PY) -m pytest $(PYTEST_ARGS)

lint: setup
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .

format: setup
	$(VENV)/bin/ruff format .
	$(VENV)/bin/ruff check --fix .

bench: setup
	$(PY) bench/duo_import.py
	$(PY) bench/board_home.py
	$(PY) bench/pages.py
	$(PY) bench/board_overview.py
	$(PY) bench/results.py
	$(PY) bench/calendar_feed.py
	$(PY) bench/coach.py
	$(PY) bench/insight_import.py
	$(PY) bench/signals_json.py
	$(PY) bench/programme.py
	$(PY) bench/markdown.py

# Needs GNU gettext; the compiled catalogues are committed, so users never need it.
messages: setup
	cd src/stelsel && ../../$(PY) -m django makemessages -l nl --no-obsolete --no-wrap \
		--settings=stelsel.settings --ignore='*/migrations/*'
	cd src/stelsel && ../../$(PY) -m django compilemessages --settings=stelsel.settings

clean:
	rm -rf $(VENV) var stelsel.sqlite3*
