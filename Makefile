# The README's commands. Each target bootstraps .venv by itself on a fresh machine.
PYTHON ?= python3
PORT ?= 8000
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: venv demo serve test test-fast lint format bench eval clean

venv: $(STAMP)

$(STAMP): pyproject.toml
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	@touch $(STAMP)

demo: venv
	$(BIN)/ar-agent demo --port $(PORT)

serve: venv
	$(BIN)/ar-agent serve --port $(PORT)

test: venv
	$(BIN)/python -m pytest -n 2 --dist loadgroup -q

test-fast: venv
	$(BIN)/python -m pytest -q -x -m "not browser and not postgres"

lint: venv
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy

format: venv
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

bench: venv
	$(BIN)/python -m bench

eval: venv
	$(BIN)/ar-agent eval evals/suites/*.yaml

clean:
	rm -rf $(VENV) .pytest_cache .ruff_cache .mypy_cache *.egg-info
