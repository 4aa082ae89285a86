# baocao: `make report` renders the 2024 national report; `make test` runs the test suite.
# Both create .venv from the machine's python3 on first use and reuse it afterwards.
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
YEAR ?= 2024
UNIT ?= toan-quoc

.DEFAULT_GOAL := help

$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[test]'
	$(BIN)/python -m ipykernel install --sys-prefix --name baocao --display-name "baocao (.venv)" >/dev/null
	touch $(STAMP)

.PHONY: help install report check test lab bench mutation clean
help: ## List the targets
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  make %-8s %s\n", $$1, $$2}'

install: $(STAMP) ## Create .venv and install baocao with its dependencies

report: $(STAMP) ## Render the report (YEAR=2024 UNIT=toan-quoc) to outputs/YEAR/UNIT/
	$(BIN)/baocao render --year $(YEAR) --unit $(UNIT)

check: $(STAMP) ## Validate the data of YEAR without rendering
	$(BIN)/baocao check --year $(YEAR)

test: $(STAMP) ## Run the test suite
	$(BIN)/python -m pytest

lab: $(STAMP) ## Open the master notebook in JupyterLab with the project's kernel
	$(BIN)/python -m pip install --quiet -e '.[lab]'
	$(BIN)/jupyter lab notebooks/bao_cao.ipynb

bench: $(STAMP) ## Run the batch benchmark (UNITS="16 32 64"); prints figures, see benchmarks/README.md
	$(BIN)/python -m pip install --quiet -e '.[bench]'
	$(BIN)/python benchmarks/batch.py --year $(YEAR) --units $(or $(UNITS),16 32 64)

mutation: $(STAMP) ## Mutation score per module (MODULES="vnformat yoy", JOBS=2; ~30 min), see tests/README.md
	$(BIN)/python -m pip install --quiet -e '.[mutation]'
	$(BIN)/python tests/mutation.py $(MODULES) --jobs $(or $(JOBS),2)

clean: ## Remove generated outputs (keeps .venv)
	find outputs -mindepth 1 -maxdepth 1 ! -name README.md -exec rm -rf {} +
