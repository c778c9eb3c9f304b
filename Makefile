# Duban: `make run` starts the service with demo data, `make test` runs the tests.
PYTHON ?= python3
VENV ?= .venv
PY := $(VENV)/bin/python

.PHONY: run test lint check bench clean

$(VENV)/.installed: requirements.txt requirements-dev.txt
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --disable-pip-version-check -r requirements-dev.txt
	touch $@

run: $(VENV)/.installed
	bin/run-demo

test: $(VENV)/.installed
	bin/ensure-chromium
	bin/run-tests

lint: $(VENV)/.installed
	$(VENV)/bin/ruff check .

check: $(VENV)/.installed
	DEBUG=true $(PY) manage.py check
	DEBUG=true $(PY) manage.py makemigrations --check --dry-run
	$(VENV)/bin/ruff check .

bench: $(VENV)/.installed
	$(PY) bench/bench_import.py

clean:
	rm -rf $(VENV) var db.sqlite3 staticfiles
