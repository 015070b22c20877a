# `make run` and `make test` work on a fresh machine: each sets up .venv first.
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed

.PHONY: install run test lint format bench charts clean

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e '.[dev]'
	touch $(STAMP)

install: $(STAMP)

run: install
	$(PY) -m bot

test: install lint
	$(PY) -m pytest

lint: install
	$(PY) -m ruff format --check .
	$(PY) -m ruff check .
	$(PY) -m mypy bot handlers models charts web
	$(VENV)/bin/lint-imports

format: install
	$(PY) -m ruff format .
	$(PY) -m ruff check --fix .

# Every benchmark present: parser, charts, the load test (Penny vs a bare PTB echo bot), and
# the dashboard (summary API with 100,000 transactions, page weight).
bench: install
	for script in bench/parser_bench.py bench/scheduler_bench.py bench/summary_bench.py bench/charts_bench.py bench/load_bench.py bench/dashboard_bench.py; do \
		if [ -f $$script ]; then $(PY) $$script || exit 1; fi; \
	done

# Renders every chart kind from sample data into charts-gallery/ to look at.
charts: install
	$(PY) -m charts.gallery charts-gallery

# The fuzz and a steady load against one long-running bot: SOAK_SECONDS (300), SOAK_UPDATES
# (3000 per round), DATABASE_URL (a throwaway SQLite file unless set). Replay a failing round
# with PENNY_FUZZ_SEED=<seed> PENNY_FUZZ_UPDATES=<n> $(PY) -m pytest tests/system/test_fuzz.py.
soak: install
	$(PY) bench/soak.py

clean:
	rm -rf $(VENV) .pytest_cache .mypy_cache .ruff_cache local_chat_files charts-gallery
