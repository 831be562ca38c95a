# Two commands matter: `make run` and `make test`. Everything they need is installed
# into .venv from pyproject.toml, with a Python >= 3.12 found by scripts/find-python.
VENV := .venv
BIN := $(VENV)/bin
PYTHON := $(BIN)/python
INSTALLED := $(VENV)/.installed
HOST ?= 127.0.0.1
PORT ?= 8000
WORKERS ?= 2

.PHONY: run test lint format install migrate seed secret bench loadtest clean

$(PYTHON):
	@interpreter=$$(scripts/find-python) || exit 1; \
	echo "Creating $(VENV) with $$interpreter"; \
	"$$interpreter" -m venv $(VENV)

$(INSTALLED): pyproject.toml | $(PYTHON)
	$(PYTHON) -m pip install --quiet --disable-pip-version-check --upgrade pip
	$(PYTHON) -m pip install --quiet --disable-pip-version-check -e '.[dev]'
	@touch $(INSTALLED)

install: $(INSTALLED)

# make run serves with DEBUG off, as in production; its secret key is made once
# per checkout and kept out of git.
.secret_key:
	@$(PYTHON) -c 'import secrets; print(secrets.token_urlsafe(50))' > .secret_key

migrate: install .secret_key
	SECRET_KEY=$$(cat .secret_key) $(PYTHON) manage.py migrate --noinput

seed: migrate
	SECRET_KEY=$$(cat .secret_key) $(PYTHON) manage.py import_cables seeds/

run: seed
	SECRET_KEY=$$(cat .secret_key) $(PYTHON) manage.py collectstatic --noinput --verbosity 0
	@echo "Serving the archive on http://$(HOST):$(PORT)/"
	SECRET_KEY=$$(cat .secret_key) $(BIN)/gunicorn archive.wsgi \
		--bind $(HOST):$(PORT) --workers $(WORKERS) --access-logfile -

test: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(PYTHON) manage.py makemigrations --check --dry-run --settings=tests.settings
	$(BIN)/pytest -n 2

# The serving benchmark (bench/serve_benchmark.py): builds BENCH_COUNT synthetic cables
# once (kept in bench/results/, git-ignored), serves them with gunicorn as `make run` does
# and times every page, against Datasette too. The full release: make bench BENCH_COUNT=251287
BENCH_COUNT ?= 20000
BENCH_SEED ?= 1
BENCH_ARGS ?=

bench: install
	$(PYTHON) bench/serve_benchmark.py --count $(BENCH_COUNT) --seed $(BENCH_SEED) \
		--workers $(WORKERS) $(BENCH_ARGS)

# The fault and load tests: an import killed half-way (tests/test_faults.py, also in
# make test), then bench/loadtest.py: LOADTEST_CLIENTS readers for LOADTEST_SECONDS on the
# benchmark's database (LOADTEST_COUNT cables, built as make bench builds it) while
# LOADTEST_IMPORT more cables are imported. The issue's run: make loadtest LOADTEST_COUNT=251287
LOADTEST_COUNT ?= $(BENCH_COUNT)
LOADTEST_CLIENTS ?= 50
LOADTEST_SECONDS ?= 120
LOADTEST_IMPORT ?= 10000
LOADTEST_ARGS ?=

loadtest: install
	$(BIN)/pytest -q -p no:cacheprovider tests/test_faults.py
	$(PYTHON) bench/loadtest.py --count $(LOADTEST_COUNT) --seed $(BENCH_SEED) \
		--clients $(LOADTEST_CLIENTS) --duration $(LOADTEST_SECONDS) \
		--import-count $(LOADTEST_IMPORT) --workers $(WORKERS) $(LOADTEST_ARGS)

lint: install
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

clean:
	rm -rf $(VENV) staticfiles .pytest_cache
