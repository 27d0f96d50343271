# comex-territoires — every target sets up .venv/ from the lock file first.
PYTHON ?= python3.11
VENV := .venv
BIN := $(VENV)/bin
UV := $(BIN)/uv
UV_VERSION := 0.13.8
STAMP := $(VENV)/.installed
SUDO := $(shell [ "$$(id -u)" = 0 ] || echo sudo)
BENCH_ARGS ?=

.DEFAULT_GOAL := help
.PHONY: help setup run test test-thrift lint fmt bench docs dagster lock clean browser java fiches

help: ## List the targets
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  make %-8s %s\n", $$1, $$2}'

$(UV):
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --disable-pip-version-check uv==$(UV_VERSION)

# --compile-bytecode: .pyc files made once at install time. Without them every process compiles
# its imports again when the machine sets PYTHONDONTWRITEBYTECODE (this one does): +10 s a refresh.
$(STAMP): requirements.lock pyproject.toml | $(UV)
	$(UV) pip sync --quiet --compile-bytecode --python $(BIN)/python requirements.lock
	$(UV) pip install --quiet --python $(BIN)/python --no-deps -e .
	$(BIN)/comex prepare
	$(BIN)/python -m orchestration.sample --bundled
	@touch $@

setup: $(STAMP) ## Create .venv/ and install the locked dependencies

run: setup ## Refresh the warehouse and exports from the bundled sample
	$(BIN)/comex refresh --sample

# Two workers (pytest-xdist), one test module each at a time (its fixtures stay in one worker),
# handed out in collection order: the slowest modules first (tests/conftest.py). The Spark Thrift
# server test (~3 min) is its own target: with it the suite takes ~6 min, CI's budget is 5.
test: setup browser java ## Run the test suite (pytest drives dbt build and the Dagster job)
	$(BIN)/pytest -n 2 --dist loadfile --no-loadscope-reorder -m "not thrift"

test-thrift: setup java ## The refresh through a real Spark Thrift server started from pyspark's jars (~3 min)
	$(BIN)/pytest -m thrift

browser: ## Install headless Chromium for the fiche browser tests (Debian package, no browser download)
	@test -x /usr/bin/chromium || { $(SUDO) apt-get update -qq && DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -qq chromium; }

# pyspark 4 runs on Java 17 or later: a Java already on PATH that is recent enough is kept.
java: ## Install a Java runtime for the Spark engine and its parity test (Debian package openjdk-17-jre-headless)
	@java -version 2>&1 | grep -Eq 'version "(1[7-9]|[2-9][0-9])' || { $(SUDO) apt-get update -qq && DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -qq openjdk-17-jre-headless; }

fiches: setup ## Render every fiche (départements, régions, France) of the latest year into fiches/
	$(BIN)/comex fiche --all

lint: setup ## ruff + sqlfluff
	$(BIN)/ruff check orchestration tests scripts
	$(BIN)/ruff format --check orchestration tests scripts
	$(BIN)/sqlfluff lint models macros

fmt: setup ## Auto-format Python and SQL
	$(BIN)/ruff check --fix orchestration tests scripts
	$(BIN)/ruff format orchestration tests scripts
	$(BIN)/sqlfluff fix models macros

bench: setup ## Benchmarks on full-scale generated data (budgets: docs/architecture.md); options in BENCH_ARGS="..."
	$(BIN)/python -m orchestration.bench $(BENCH_ARGS)

docs: setup ## Generate and serve the dbt docs on http://localhost:8080
	$(BIN)/dbt docs generate --project-dir . --profiles-dir .
	$(BIN)/dbt docs serve --project-dir . --profiles-dir . --port 8080

dagster: setup ## Start the Dagster UI on http://localhost:3000, with the history of every refresh (DAGSTER_HOME, else beside the warehouse)
	$(BIN)/comex prepare
	DAGSTER_HOME="$${DAGSTER_HOME:-$$($(BIN)/python -m orchestration.dagster_home --import-pending)}" $(BIN)/dagster dev -m orchestration.definitions

lock: $(UV) ## Re-resolve requirements.lock from pyproject.toml
	$(UV) pip compile pyproject.toml --group dev --python-version 3.11 --generate-hashes --universal -q -o requirements.lock

clean: ## Remove generated files (keeps the bundled sample)
	rm -rf target logs data/warehouse data/bench fiches .pytest_cache .tmp_dagster_home_*
	find exports -mindepth 1 -not -name README.md -not -name .gitkeep -exec rm -rf {} +
