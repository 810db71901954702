# LandHub: set-up and tests. `make run` and `make test` are all a newcomer needs.
PYTHON ?= python3.11
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
PYTEST_WORKERS ?= 2

BENCH_SCALES ?= 0.1 1 10
BENCH_REPEAT ?= 40

FUZZ_EXAMPLES ?= 25

.PHONY: fuzz bench bench-mel load run serve venv migrate demo test lint test-sqlite test-pg test-e2e test-all chromium lock clean messages

$(STAMP): requirements.lock pyproject.toml
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -r requirements.lock
	$(BIN)/pip install --quiet --no-deps -e .
	@touch $(STAMP)

venv: $(STAMP)

migrate: venv
	$(BIN)/landhub migrate --noinput

demo: migrate
	$(BIN)/landhub seed-demo --if-empty

## make run: install, migrate the SQLite database in var/, load the demo (once), start the
## background-task worker and the web server on http://127.0.0.1:8000.
run: demo
	@$(BIN)/landhub demo-logins
	@echo "Starting the task worker and the web server on http://127.0.0.1:8000 (Ctrl+C stops both)"
	@trap 'kill 0' INT TERM EXIT; \
	  $(BIN)/landhub worker --queue-name='*' >var/worker.log 2>&1 & \
	  $(BIN)/landhub runserver 127.0.0.1:8000

lint: venv
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/landhub makemigrations --check --dry-run >/dev/null

## make test: ruff and the whole suite on SQLite.
test: lint test-sqlite

test-sqlite: venv
	$(BIN)/pytest landhub -n $(PYTEST_WORKERS) -q

## make test-pg: the same suite on a temporary PostgreSQL server.
test-pg: venv
	scripts/with-postgres $(BIN)/pytest landhub -n $(PYTEST_WORKERS) -q

chromium:
	@command -v chromium >/dev/null || (apt-get update -qq && apt-get install -y -qq chromium fonts-liberation >/dev/null)

## make test-e2e: browser tests in Debian's Chromium.
test-e2e: venv chromium
	$(BIN)/pytest e2e -q

## make fuzz: schemathesis against every API operation (no 5xx, responses match the schema).
fuzz: venv
	LANDHUB_FUZZ_EXAMPLES=$(FUZZ_EXAMPLES) $(BIN)/pytest fuzz -q

## make test-all: everything CI runs.
test-all: test test-pg test-e2e fuzz

## make bench: scale data + server time of every main page and API list, on SQLite and on a
## throw-away PostgreSQL; results in bench/results/ (see docs/performance.md).
bench: venv
	scripts/with-postgres $(BIN)/python bench/run.py --scales $(BENCH_SCALES) --repeat $(BENCH_REPEAT) --dbs sqlite postgres

## make bench-mel: the MEL dashboards at 2,000,000 values (300 indicators) against raw SQL, and
## the import of 1,000,000 values, on SQLite and a throw-away PostgreSQL (docs/performance.md).
bench-mel: venv
	scripts/with-postgres $(BIN)/python bench/mel.py --dbs sqlite postgres --repeat $(BENCH_REPEAT)

## make load: gunicorn (2 workers) and the task worker on loopback, 50 simulated users for 60 s,
## on SQLite and on a throw-away PostgreSQL; results in bench/results/load-latest.md.
load: venv
	scripts/with-postgres $(BIN)/python bench/load.py --dbs sqlite postgres $(LOAD_ARGS)

messages: venv
	cd landhub && ../$(BIN)/django-admin makemessages -l es -l fr -l pt --ignore='static/*' && ../$(BIN)/django-admin compilemessages

## make lock: refresh requirements.lock from pyproject.toml (newest allowed versions).
lock:
	rm -rf /tmp/landhub-lock && $(PYTHON) -m venv /tmp/landhub-lock
	/tmp/landhub-lock/bin/pip install --quiet --upgrade pip
	/tmp/landhub-lock/bin/pip install --quiet -e '.[dev]'
	/tmp/landhub-lock/bin/pip freeze --exclude-editable | grep -v '^landhub' > requirements.lock

clean:
	rm -rf $(VENV) var/static
