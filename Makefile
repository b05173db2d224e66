# gridmgmt: `make demo` installs everything and serves the demo; `make test` installs and tests.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
GM := $(BIN)/gridmgmt
STAMP := var/stamps
HOST ?= 127.0.0.1
PORT ?= 8000

.PHONY: setup debs venv assets db demo serve test lint bench bench-scale clean

setup: debs venv assets

debs:
	@scripts/install-debs.sh

venv: $(STAMP)/venv
$(STAMP)/venv: pyproject.toml
	@mkdir -p $(STAMP)
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/pip install -q --upgrade pip
	$(BIN)/pip install -q -e '.[test]' --config-settings editable_mode=compat
	@touch $@

assets: $(STAMP)/assets
$(STAMP)/assets: package.json package-lock.json
	@mkdir -p $(STAMP)
	npm ci --no-progress --loglevel=error
	@touch $@

db: setup
	$(GM) init
	$(GM) db up
	$(GM) db migrate

# The demo's public layers (villages, groups, roads, cells, venues, sites) are open to
# GIS clients without login; households always need one.
demo: db
	$(GM) demo --if-empty --plan
	$(GM) user demo
	GRIDMGMT_PUBLIC_LAYERS=$${GRIDMGMT_PUBLIC_LAYERS:-true} $(GM) serve --host $(HOST) --port $(PORT)

serve: db
	$(GM) serve --host $(HOST) --port $(PORT)

# One pytest-xdist worker per core, at most 4 (each holds a browser, a server and database
# connections), each on its own test database (tests/conftest.py).
TEST_WORKERS ?= $(shell n=$$(nproc); echo $$((n < 4 ? n : 4)))

test: db lint
	$(BIN)/pytest -q -n $(TEST_WORKERS)

# Style and layer rules: ruff (lint and format) and the import contracts in pyproject.toml.
lint: $(STAMP)/venv
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/lint-imports --no-cache

bench: db $(STAMP)/bench-deps
	$(BIN)/python -m bench

# Opt-in, not part of `make bench`: the demo city (10 counties, ≈2,000,000 households, ≈15 min
# and several GB the first time, then reused) beside the county demo; writes var/bench/scale.md.
bench-scale: db $(STAMP)/bench-deps
	$(BIN)/python -m bench.scale

# Baselines (tipg, spopt) are only needed by the benchmarks.
$(STAMP)/bench-deps: pyproject.toml
	$(BIN)/pip install -q -e '.[test,bench]' --config-settings editable_mode=compat
	@touch $@

clean:
	-$(GM) db down
	rm -rf var $(VENV) node_modules
