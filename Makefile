# Two commands on a fresh machine with Python 3.11+: `make run` and `make test`.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: install run test fuzz bench lint format clean

$(STAMP): requirements.lock pyproject.toml
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -r requirements.lock
	$(BIN)/python -m pip install --quiet --disable-pip-version-check --no-deps -e .
	@touch $(STAMP)

# The identity provider the tests start (oidc-provider on Node.js); without npm those tests skip.
OIDC := tests/oidc/node_modules/.installed
$(OIDC): tests/oidc/package.json tests/oidc/package-lock.json
	@if command -v npm >/dev/null 2>&1; then \
		npm ci --prefix tests/oidc --no-audit --no-fund --silent && touch $(OIDC); \
	else echo "npm not found: the identity provider's tests will skip"; fi

install: $(STAMP) $(OIDC)

## the embedded broker and the four services on SQLite files under var/
run: install
	$(BIN)/irp dev

## the whole suite (PostgreSQL tests use IRP_TEST_POSTGRES_URL; REQUIRE_POSTGRES=1 makes them mandatory)
test: install
	$(BIN)/python -m pytest -q

## schemathesis against every service's OpenAPI over real HTTP (bounded; fails on 5xx,
## schema mismatches and requests accepted without their authentication)
fuzz: install
	$(BIN)/python -m tests.fuzz.run

## throughput, freshness and memory figures, each beside its baseline
bench: install
	$(BIN)/python -m tests.bench.machine
	$(BIN)/python -m tests.bench.backbone
	$(BIN)/python -m tests.bench.reports
	$(BIN)/python -m tests.bench.rebuild
	$(BIN)/python -m tests.bench.mixed
	$(BIN)/python -m tests.bench.idle

lint: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/check-jsonschema --builtin-schema vendor.compose-spec docker-compose.yml
	$(BIN)/kubernetes-validate --strict --quiet $(filter-out %kustomization.yaml,$(wildcard deploy/kubernetes/*.yaml))

format: install
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

clean:
	rm -rf $(VENV) var .pytest_cache .ruff_cache
