# S2Cart: `make run` serves the API, `make test` runs every check. Both create .venv when it is missing.
PYTHON ?= python3
VENV   ?= .venv
BIN     = $(VENV)/bin
STAMP   = $(VENV)/.installed-stamp
HOST   ?= 127.0.0.1
PORT   ?= 8000
SIM_PORT ?= 9100

.PHONY: install run migrate test check lint unit integration fuzz clean bench image-test clients scale-test

$(STAMP): pyproject.toml
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	@touch $(STAMP)

install: $(STAMP)

migrate: install
	$(BIN)/s2cart db upgrade

# Payments go to the local gateway simulator unless GATEWAYS=real: it serves Paytm and PhonePe on SIM_PORT,
# S2Cart is pointed at it (test credentials where none are set), and a reconciler runs beside the API.
# Gateways call back at S2CART_PUBLIC_BASE_URL, which defaults to the address served here.
GATEWAYS ?= simulator
RECONCILE_EVERY ?= 15

run: migrate
	$(BIN)/s2cart catalog load --demo
	@set -e; pids=""; trap 'kill $$pids 2>/dev/null || true' EXIT INT TERM; \
	export S2CART_PUBLIC_BASE_URL="$${S2CART_PUBLIC_BASE_URL:-http://$(HOST):$(PORT)}"; \
	export S2CART_CORS_ALLOWED_ORIGINS="$${S2CART_CORS_ALLOWED_ORIGINS:-http://localhost:*,http://127.0.0.1:*}"; \
	if [ "$(GATEWAYS)" = simulator ]; then \
	  eval "$$($(BIN)/s2cart gateways env --url http://$(HOST):$(SIM_PORT))"; \
	  $(BIN)/s2cart gateways simulate --host $(HOST) --port $(SIM_PORT) & pids="$$pids $$!"; \
	fi; \
	$(BIN)/s2cart payments reconcile --every $(RECONCILE_EVERY) & pids="$$pids $$!"; \
	$(BIN)/s2cart serve --host $(HOST) --port $(PORT)

.PHONY: simulator
simulator: install
	$(BIN)/s2cart simulator all --host $(HOST) --port $(SIM_PORT)

# The checks that keep the layers honest come first: they are fast and fail loudly.
lint: install
	$(BIN)/lint-imports
	$(BIN)/ruff check src tests
	$(BIN)/ruff format --check src tests
	$(BIN)/mypy src/s2cart/domain src/s2cart/application

# The suite runs over TEST_WORKERS processes (pytest-xdist; `auto` is one per core), then the tests marked
# `serial` (they share the tests' Redis database, fixed ports or most PostgreSQL connections) in one process.
# TEST_WORKERS=0 runs everything in one process, in one pass (decision 0050).
TEST_WORKERS ?= auto
test: lint clients
ifeq ($(TEST_WORKERS),0)
	$(BIN)/pytest -q
else
	$(BIN)/pytest -q -n $(TEST_WORKERS) -m "not serial"
	$(BIN)/pytest -q -m serial
endif

# The npm tools the generated-client test uses (openapi-typescript, tsc), pinned by tests/clients/package-lock.json.
# Without npm the TypeScript check is skipped; under CI a missing npm fails here.
CLIENTS = tests/clients
clients: $(CLIENTS)/node_modules/.installed

$(CLIENTS)/node_modules/.installed: $(CLIENTS)/package-lock.json
	@if command -v npm >/dev/null 2>&1; then \
		cd $(CLIENTS) && npm ci --no-audit --no-fund && touch node_modules/.installed; \
	elif [ -n "$$CI" ]; then echo "npm is required in CI: tests/clients (TypeScript client check)" >&2; exit 1; \
	else echo "npm not found: the TypeScript client check will be skipped"; fi

unit: install
	$(BIN)/pytest -q tests/unit

integration: install
	$(BIN)/pytest -q tests/integration

# Deeper contract fuzzing than `make test` (same suite, more examples per operation and more stateful scenarios;
# override with FUZZ_EXAMPLES= and FUZZ_SCENARIOS=). PostgreSQL too when S2CART_TEST_DATABASE_URL is set.
FUZZ_EXAMPLES ?= 300
FUZZ_SCENARIOS ?= 100
fuzz: install
	S2CART_FUZZ_EXAMPLES=$(FUZZ_EXAMPLES) S2CART_FUZZ_SCENARIOS=$(FUZZ_SCENARIOS) $(BIN)/pytest -q tests/integration/http/test_contract_fuzzing.py
# A benchmark, not a test: PostgreSQL and Redis on 127.0.0.1, wrk (installed with apt-get when missing and
# root). BENCH_ARGS passes options, e.g. BENCH_ARGS="--seconds 20 --only carts_get". See bench/README.md.
bench: install
	$(BIN)/python -m pip install --quiet 'py-spy>=0.4,<0.5'  # for --profile; the bench alone needs nothing more
	$(BIN)/python bench/run.py $(BENCH_ARGS)

# Builds the container image (Dockerfile) and runs it against the machine's PostgreSQL and Redis: Docker from
# Debian's docker.io in a temp dir, a debootstrap base image, no registry. Root only; outside `make test`.
image-test:
	deploy/docker/smoke-test.sh

clean:
	rm -rf $(VENV) .pytest_cache .mypy_cache .ruff_cache .hypothesis var

# Two S2Cart hosts in network namespaces of their own, against a PostgreSQL primary and standby and a Redis the
# test starts on 10.200.0.1 (a bridge it makes): logout, rate limits, the cart limit, one order per cart and a
# payment callback, across hosts. Root only (ip netns); outside `make test`. See docs/operations.md.
.PHONY: scale-test
scale-test: install
	S2CART_SCALE_TEST=1 $(BIN)/pytest -q -p no:cacheprovider tests/scale
