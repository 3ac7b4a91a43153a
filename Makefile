# The README's commands. Each target bootstraps .venv by itself on a fresh machine.
PYTHON ?= python3
PORT ?= 8000
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: venv demo serve test test-fast lint format bench eval clean lock audit

venv: $(STAMP)

# Every dependency comes from requirements.lock: exact versions, checked against their hashes.
$(STAMP): pyproject.toml requirements.lock
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet --require-hashes -r requirements.lock
	$(BIN)/python -m pip install --quiet --no-deps -e .
	@touch $(STAMP)

# Re-resolve the lock after changing pyproject.toml's dependencies (needs PyPI).
lock: venv
	$(BIN)/uv pip compile pyproject.toml --extra dev --generate-hashes --universal \
		--python-version 3.11 --quiet -o requirements.lock

# Known vulnerabilities in the locked versions (asks PyPI's vulnerability API).
audit: venv
	$(BIN)/pip-audit --strict --disable-pip --require-hashes -r requirements.lock

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
	rm -rf $(VENV) .pytest_cache .ruff_cache .mypy_cache .hypothesis *.egg-info
