# Baton — `make run` to try it, `make test` to check it. Everything installs into the checkout.
SHELL := /bin/bash
VENV := .venv
PY := $(VENV)/bin/python
BATON := $(VENV)/bin/baton
STAMP := $(VENV)/.installed
BUNDLE := baton/static/baton/build/app.js
NODE_STAMP := frontend/node_modules/.installed
MO := baton/locale/zh_Hans/LC_MESSAGES/django.mo
HOST ?= 127.0.0.1
PORT ?= 8000
# The suite runs on every core (pytest-xdist): browser tests wait on Chromium and the server.
PYTEST_ARGS ?= -n auto

.PHONY: run install test test-deps check lint format messages clean

# Links in mails point at the address served on (baton serve sets BATON_SITE_URL when not given).
SITE_URL = $(or $(BATON_SITE_URL),http://$(if $(filter 0.0.0.0,$(HOST)),127.0.0.1,$(HOST)):$(PORT))

run: install
	@$(BATON) migrate --noinput -v 0
	@BATON_SITE_URL=$(SITE_URL) $(BATON) demo --if-empty
	@BATON_SITE_URL=$(SITE_URL) $(BATON) serve --host $(HOST) --port $(PORT)

install: $(STAMP) $(BUNDLE) $(MO)

# A Python of 3.12 or newer: the first found among the usual names and pyenv's versions.
$(STAMP): pyproject.toml
	@set -e; \
	if [ ! -x $(PY) ]; then \
	  for candidate in python3.14 python3.13 python3.12 python3 $$(ls -d $$HOME/.pyenv/versions/3.1[2-9]*/bin/python3 2>/dev/null | sort -rV); do \
	    if $$candidate -c 'import sys; sys.exit(sys.version_info < (3, 12))' 2>/dev/null; then found=$$candidate; break; fi; \
	  done; \
	  if [ -z "$$found" ]; then \
	    echo "Baton needs Python 3.12 or newer; none was found (tried python3.13, python3.12, python3, ~/.pyenv)."; \
	    echo "Install one (e.g. 'apt-get install python3.12' or 'pyenv install 3.12') and run make again."; \
	    exit 1; \
	  fi; \
	  echo "Creating $(VENV) with $$found ($$($$found --version))"; \
	  $$found -m venv $(VENV); \
	fi
	@echo "Installing Python packages into $(VENV)…"
	@# Quiet unless it fails: pip's notices would bury the address and the demo login.
	@{ $(PY) -m pip install -q --upgrade pip && $(PY) -m pip install -q -e '.[dev]'; } \
	  > $(VENV)/pip.log 2>&1 || { cat $(VENV)/pip.log; exit 1; }
	@touch $@

$(NODE_STAMP): frontend/package.json frontend/package-lock.json
	@command -v npm >/dev/null || { echo "Baton builds its front end with Node.js and npm; install them (e.g. 'apt-get install nodejs npm')."; exit 1; }
	@cd frontend && npm ci --no-audit --no-fund --loglevel=error
	@touch $@

$(BUNDLE): $(NODE_STAMP) $(wildcard frontend/src/*) frontend/build.mjs
	@cd frontend && node build.mjs

$(MO): baton/locale/zh_Hans/LC_MESSAGES/django.po $(STAMP)
	@$(PY) -m baton.lib.msgfmt $< $@

# Debian's Chromium for the browser tests (Playwright's own download cannot work offline).
test-deps:
	@if [ ! -x /usr/bin/chromium ]; then \
	  if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null; then SUDO=; \
	  elif command -v sudo >/dev/null && sudo -n true 2>/dev/null; then SUDO=sudo; \
	  else SUDO=none; fi; \
	  if [ "$$SUDO" != none ]; then \
	    echo "Installing Debian's chromium for the browser tests…"; \
	    $$SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq chromium fonts-noto-cjk >/dev/null; \
	  else \
	    echo "!!! /usr/bin/chromium is missing and cannot be installed here: BROWSER TESTS WILL BE SKIPPED."; \
	    echo "!!! Install it with 'apt-get install chromium fonts-noto-cjk' to run them."; \
	  fi; \
	fi

test: install test-deps check
	@$(PY) -m pytest $(PYTEST_ARGS)

# The layers (import-linter's contracts in pyproject.toml) and the types (mypy, django-stubs).
check: install
	@out=$$($(VENV)/bin/lint-imports --no-cache --no-logo) || { echo "$$out"; exit 1; }; \
	  echo "$$out" | grep -E "^Contracts:"
	@$(VENV)/bin/mypy

lint: install
	@$(VENV)/bin/ruff check .
	@$(VENV)/bin/ruff format --check .

format: install
	@$(VENV)/bin/ruff format .
	@$(VENV)/bin/ruff check --fix .

# Refresh the catalogue after changing user-visible strings (needs GNU gettext's xgettext).
messages: install
	@cd baton && ../$(BATON) makemessages -l zh_Hans --no-obsolete --no-location -i "static/*"

clean:
	rm -rf $(VENV) frontend/node_modules baton/static/baton/build $(MO)
