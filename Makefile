# `make run`: set up and serve the demo; `make test`: the whole suite. Both work on a fresh machine.
PY ?= python3
VENV := .venv
BIN := $(VENV)/bin
HOST ?= 127.0.0.1
PORT ?= 8000

.PHONY: run test test-py lint format lock upgrade bench fuzz clean frontend frontend-test

# The PWA (frontend/): npm ci when the lock file changes, a build when its sources change (stamps skip the rest).
NPM ?= npm
FE := frontend
FE_SRC := $(shell find $(FE)/src $(FE)/public -type f 2>/dev/null) $(FE)/index.html $(FE)/vite.config.ts $(FE)/tsconfig.json
NODE_MISSING := Node.js 20 and npm are needed to build the app (frontend/): apt-get install -y nodejs npm

$(BIN)/python:
	$(PY) -m venv $(VENV)
	$(BIN)/pip install -q --upgrade pip

# Installs come from the lock files only (pinned, with hashes); the app itself goes in editable, without deps.
$(VENV)/.installed: requirements.lock pyproject.toml | $(BIN)/python
	$(BIN)/pip install -q -r requirements.lock
	$(BIN)/pip install -q --no-deps -e .
	touch $@

$(VENV)/.installed-dev: requirements-dev.lock pyproject.toml | $(BIN)/python
	$(BIN)/pip install -q -r requirements-dev.lock
	$(BIN)/pip install -q --no-deps -e .
	touch $@ $(VENV)/.installed

$(FE)/node_modules/.stamp: $(FE)/package-lock.json
	@command -v node >/dev/null && command -v $(NPM) >/dev/null || { echo "$(NODE_MISSING)"; exit 1; }
	cd $(FE) && $(NPM) ci --no-audit --no-fund --loglevel=error
	touch $@

$(FE)/dist/.stamp: $(FE)/node_modules/.stamp $(FE_SRC)
	cd $(FE) && $(NPM) run build --silent
	touch $@

frontend: $(FE)/dist/.stamp

# lint (types), unit tests, build, then end-to-end in Debian's Chromium against the real server
frontend-test: $(FE)/node_modules/.stamp $(VENV)/.installed
	cd $(FE) && $(NPM) run lint --silent && $(NPM) run api:check --silent && $(NPM) test --silent
	$(MAKE) frontend
	cd $(FE) && $(NPM) run size --silent && $(NPM) run e2e --silent

run: $(VENV)/.installed frontend
	$(BIN)/xuncha migrate
	$(BIN)/xuncha seed-demo
	$(BIN)/xuncha serve --host $(HOST) --port $(PORT)

test: frontend-test test-py

test-py: $(VENV)/.installed-dev
	$(BIN)/pytest

lint: $(VENV)/.installed-dev
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy

format: $(VENV)/.installed-dev
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

# After editing the dependencies in pyproject.toml: `make lock` (keeps every other pin); `make upgrade` moves all
# pins to the newest releases the bounds allow. Commit pyproject.toml and both lock files together.
UV_COMPILE = $(BIN)/uv pip compile -q --universal --python-version 3.11 --generate-hashes pyproject.toml
lock: $(VENV)/.installed-dev
	$(UV_COMPILE) $(UPGRADE) -o requirements.lock
	$(UV_COMPILE) $(UPGRADE) --extra dev -c requirements.lock -o requirements-dev.lock

upgrade:
	$(MAKE) lock UPGRADE=--upgrade

bench: $(VENV)/.installed-dev
	$(BIN)/python -m benchmarks

# schemathesis against the served OpenAPI as office and grid_worker, SQLite then PostgreSQL; no 5xx allowed
fuzz: $(VENV)/.installed-dev
	$(BIN)/pip install -q "schemathesis>=4,<5"
	$(BIN)/python -m benchmarks.fuzz

clean:
	rm -rf $(VENV) var build *.egg-info $(FE)/node_modules $(FE)/dist
