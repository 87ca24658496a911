# The two set-up commands of the README: `make lab` and `make test`.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
TEST_STAMP := $(VENV)/.installed-test

.PHONY: lab test lint release benchmarks hub clean-venv

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

$(STAMP): $(BIN)/python pyproject.toml
	$(BIN)/python -m pip install --quiet -e .
	$(BIN)/python -m autograder install-lab-settings
	touch $@

$(TEST_STAMP): $(STAMP)
	$(BIN)/python -m pip install --quiet -e '.[test]'
	touch $@

# The venv's bin goes first on PATH: nbgrader's formgrader runs the `alembic` program.
lab: $(STAMP)
	PATH="$(abspath $(BIN)):$$PATH" $(BIN)/jupyter lab --notebook-dir=notebooks $(if $(filter 0,$(shell id -u)),--allow-root,)

test: $(TEST_STAMP)
	$(BIN)/python -m ruff check .
	$(BIN)/python -m pytest -n 2 --dist loadfile $(PYTEST_ARGS)

# The course for a class on this machine: JupyterHub on 127.0.0.1:8000 (as root; deploy/jupyterhub).
hub: $(TEST_STAMP)
	$(BIN)/python deploy/jupyterhub/hub.py start

release: $(STAMP)
	$(BIN)/python -m autograder release

benchmarks: $(STAMP)
	$(BIN)/python -m benchmarks

clean-venv:
	rm -rf $(VENV)
