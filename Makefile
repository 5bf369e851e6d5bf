# Two commands: `make demo` (set up, load the demo board, serve on 127.0.0.1:8000) and
# `make test` (set up, run the whole suite). Both share the virtual environment in .venv.
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed-stamp

.PHONY: setup demo test lint format bench messages clean

$(STAMP): requirements/base.txt requirements/test.txt pyproject.toml
	@$(PYTHON) -c 'import sys; sys.exit(0 if sys.version_info >= (3, 11) else "Stelsel needs Python 3.11 or newer")'
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --disable-pip-version-check -r requirements/test.txt
	@# The package runs from src/ through a path file: nothing to build, edits apply at once.
	$(PY) -c 'import pathlib, site; pathlib.Path(site.getsitepackages()[0], "stelsel.pth").write_text(str(pathlib.Path("src").resolve()) + "\n")'
	@touch $(STAMP)

setup: $(STAMP)

demo: setup
	$(PY) -m stelsel migrate --noinput
	$(PY) -m stelsel demo
	$(PY) -m stelsel runserver 127.0.0.1:8000

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
	$(PY) bench/board_overview.py
	$(PY) bench/results.py
	$(PY) bench/calendar_feed.py
	$(PY) bench/coach.py
	$(PY) bench/insight_import.py
	$(PY) bench/signals_json.py

# Needs GNU gettext; the compiled catalogues are committed, so users never need it.
messages: setup
	cd src/stelsel && ../../$(PY) -m django makemessages -l nl --no-obsolete --no-wrap \
		--settings=stelsel.settings --ignore='*/migrations/*'
	cd src/stelsel && ../../$(PY) -m django compilemessages --settings=stelsel.settings

clean:
	rm -rf $(VENV) var stelsel.sqlite3*
