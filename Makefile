# The two commands of the README: `make run` and `make test`. Everything else supports them.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
PYTEST_ARGS ?=

.PHONY: run test lint format system-runtime system-test system-bench bench bench-search screenshots clean

run: system-runtime $(STAMP)
	$(BIN)/jianbao demo --if-missing
	$(BIN)/jianbao serve --with-worker

test: system-test $(STAMP)
	$(BIN)/pytest -n 2 $(PYTEST_ARGS)

lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy jianbao bench
	DATABASE_URL=sqlite://:memory: $(BIN)/python -m django makemigrations --check --dry-run --settings=jianbao.config.settings

format: $(STAMP)
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

# Each benchmark prints its figures; docs/benchmarks.md records the latest run of each.
# The search benchmark builds a 1,000,000-entry archive (tens of minutes); run it on its own.
BENCHES := typeset_bench parse_bench import_bench inbox_bench proofread_bench proofread_eval

bench: system-bench $(STAMP)
	for b in $(BENCHES); do $(BIN)/python -m bench.$$b || exit 1; done

bench-search: system-bench $(STAMP)
	$(BIN)/python -m bench.search_bench

screenshots: system-test $(STAMP)
	$(BIN)/python scripts/screenshots.py

system-runtime:
	@scripts/install-system-deps.sh runtime

system-test:
	@scripts/install-system-deps.sh test

system-bench:
	@scripts/install-system-deps.sh bench

$(STAMP): pyproject.toml
	test -d $(VENV) || $(PYTHON) -m venv $(VENV)
	$(BIN)/pip install -q --upgrade pip setuptools wheel
	$(BIN)/pip install -q -e '.[dev]'
	touch $(STAMP)

clean:
	rm -rf $(VENV) var/static .pytest_cache .mypy_cache .ruff_cache
