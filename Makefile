# The two commands a newcomer needs: `make run` and `make test` (see README).
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: run test install web lint clean compiled test-compiled

$(STAMP): setup.cfg pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[test]'
	touch $(STAMP)

install: $(STAMP)

# `npm install` honours package-lock.json's versions; `npm ci` is not used because npm here records no
# entries for other platforms' optional packages (rollup's native builds) and then refuses its own lock.
web:
	@if [ -f web/package.json ]; then npm --prefix web install --no-audit --no-fund && npm --prefix web run build; fi

run: install web
	$(BIN)/peerchat migrate
	$(BIN)/peerchat seed
	$(BIN)/peerchat serve

test: install web
	./scripts/ensure-chromium.sh
	$(BIN)/python -m pytest $(PYTEST_ARGS)
	$(MAKE) test-compiled

# A copy of the tree with the moderation pipeline compiled by mypyc in place (setup.py), as production
# images run it: its moderation tests must pass too, and bench/moderation.py run there measures it.
COMPILED := build/compiled
compiled: install
	rm -rf $(COMPILED) && mkdir -p $(COMPILED)
	git ls-files -z --cached --others --exclude-standard server tests bench scripts migrations setup.py setup.cfg pyproject.toml alembic.ini \
		| xargs -0 cp --parents -t $(COMPILED)
	cd $(COMPILED) && PEERCHAT_COMPILE=1 $(CURDIR)/$(BIN)/python setup.py --quiet build_ext --inplace

test-compiled: compiled
	cd $(COMPILED) && PEERCHAT_EXPECT_COMPILED=1 $(CURDIR)/$(BIN)/python -m pytest -p no:cacheprovider tests/moderation

lint: install
	$(BIN)/flake8 server tests bench
	$(BIN)/mypy

clean:
	rm -rf $(VENV) web/node_modules web/dist
