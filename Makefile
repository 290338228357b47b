# `make run`: set up and serve the demo; `make test`: the whole suite. Both work on a fresh machine.
PY ?= python3
VENV := .venv
BIN := $(VENV)/bin
HOST ?= 127.0.0.1
PORT ?= 8000

.PHONY: run test test-py lint format bench clean frontend frontend-test

# The PWA (frontend/): npm ci when the lock file changes, a build when its sources change (stamps skip the rest).
NPM ?= npm
FE := frontend
FE_SRC := $(shell find $(FE)/src $(FE)/public -type f 2>/dev/null) $(FE)/index.html $(FE)/vite.config.ts $(FE)/tsconfig.json
NODE_MISSING := Node.js 20 and npm are needed to build the app (frontend/): apt-get install -y nodejs npm

$(BIN)/python:
	$(PY) -m venv $(VENV)
	$(BIN)/pip install -q --upgrade pip

$(VENV)/.installed: pyproject.toml | $(BIN)/python
	$(BIN)/pip install -q -e .
	touch $@

$(VENV)/.installed-dev: pyproject.toml $(VENV)/.installed
	$(BIN)/pip install -q -e '.[dev]'
	touch $@

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

format: $(VENV)/.installed-dev
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

bench: $(VENV)/.installed-dev
	$(BIN)/python -m benchmarks

clean:
	rm -rf $(VENV) var build *.egg-info $(FE)/node_modules $(FE)/dist
