# Duban: `make run` starts the service with demo data, `make test` runs the tests, `make check` the checks
# (Django's, migrations, ruff, and the layer contracts of .importlinter).
PYTHON ?= python3
VENV ?= .venv
PY := $(VENV)/bin/python

.PHONY: run test lint check bench fuzz clean

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
	$(VENV)/bin/lint-imports

# Against this machine's PostgreSQL and Redis; creates, migrates and fills duban_bench when missing or empty.
bench: $(VENV)/.installed
	DATABASE_URL=$${BENCH_DATABASE_URL:-postgres://postgres@127.0.0.1:5432/duban_bench} \
	REDIS_URL=$${BENCH_REDIS_URL:-redis://127.0.0.1:6379/15} \
	$(PY) bench/run_all.py

# Long runs of the generated-input tests (CI runs a short version in `make test`); see docs/reliability.md.
fuzz: $(VENV)/.installed
	SCHEMATHESIS_FULL=1 SCHEMATHESIS_EXAMPLES=$${SCHEMATHESIS_EXAMPLES:-200} FUZZ_EXAMPLES=$${FUZZ_EXAMPLES:-3000} \
		bin/run-tests tests/reliability/test_schemathesis.py tests/reliability/test_fuzz_uploads.py \
		tests/importing/test_fuzz_perf.py -q

clean:
	rm -rf $(VENV) var db.sqlite3 staticfiles
