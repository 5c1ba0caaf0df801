# The two commands a newcomer needs: `make run` and `make test` (see README).
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: run test install web lint clean

$(STAMP): setup.cfg pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[test]'
	touch $(STAMP)

install: $(STAMP)

web:
	@if [ -f web/package.json ]; then npm --prefix web ci --no-audit --no-fund && npm --prefix web run build; fi

run: install web
	$(BIN)/peerchat migrate
	$(BIN)/peerchat seed
	$(BIN)/peerchat serve

test: install web
	./scripts/ensure-chromium.sh
	$(BIN)/python -m pytest $(PYTEST_ARGS)

lint: install
	$(BIN)/flake8 server tests bench
	$(BIN)/mypy

clean:
	rm -rf $(VENV) web/node_modules web/dist
