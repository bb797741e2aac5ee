# portalspider: the two commands of the README, plus helpers.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
PYVERSION := import sys; print("%d.%d.%d" % sys.version_info[:3])
# Evaluated once per make run: the Python asked for, and the one the existing .venv runs.
PY_VERSION := $(shell $(PYTHON) -c '$(PYVERSION)' 2>/dev/null)
PY_OK := $(shell $(PYTHON) -c 'import sys; print(int(sys.version_info >= (3, 11)))' 2>/dev/null)
VENV_VERSION := $(shell $(BIN)/python -c '$(PYVERSION)' 2>/dev/null)
COMPILE := $(BIN)/uv pip compile --quiet --python-version 3.11 \
	--custom-compile-command "make requirements" $(if $(UPGRADE),--upgrade)

.PHONY: demo test test-fast lint typecheck bench requirements clean venv

# A .venv made by another Python (or none) is rebuilt: the stamp is forced out of date.
ifneq ($(VENV_VERSION)-$(PY_OK),$(PY_VERSION)-1)
.PHONY: $(STAMP)
endif

$(STAMP): requirements.txt requirements-dev.txt
	$(if $(filter 1,$(PY_OK)),,$(error portalspider needs Python 3.11 or newer; $(PYTHON) is $(or $(PY_VERSION),not found) (run make PYTHON=python3.11 ...)))
	@if [ "$(VENV_VERSION)" != "$(PY_VERSION)" ]; then \
		echo "creating $(VENV) with $(PYTHON) $(PY_VERSION)$(if $(VENV_VERSION), (it was made by Python $(VENV_VERSION)))"; \
		rm -rf $(VENV) && $(PYTHON) -m venv $(VENV); \
	fi
	$(BIN)/python -m pip install --quiet -r requirements-dev.txt
	touch $(STAMP)

venv: $(STAMP)

demo: $(STAMP)
	$(BIN)/python -m demo run

# Everything CI runs (.ci/run calls this): lint, format, types, then the whole suite.
test: lint typecheck
	$(BIN)/python -m pytest -n 2

# The tests not marked slow (no whole-portal crawls, no scrapyd, no package builds).
test-fast: $(STAMP)
	$(BIN)/python -m pytest -n 2 -m "not slow"

lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

# mypy on the files listed in pyproject.toml ([tool.mypy] files).
typecheck: $(STAMP)
	$(BIN)/mypy

bench: $(STAMP)
	$(BIN)/python -m demo bench

# requirements*.txt from requirements*.in; existing pins are kept unless UPGRADE=1.
requirements: $(STAMP)
	$(COMPILE) requirements.in -o requirements.txt
	$(COMPILE) requirements-dev.in -o requirements-dev.txt

clean:
	rm -rf $(VENV) var/*.db
