# Two commands do everything: `make run` and `make test`.
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-stamp

CATALOGS := $(wildcard locale/*/LC_MESSAGES/*.po)
COMPILED_CATALOGS := $(CATALOGS:.po=.mo)

.PHONY: install run test test-serial lint typecheck bench fuzz load clean vendor screenshots browser deploy-check demo-images

$(STAMP): pyproject.toml
	@$(PYTHON) -c 'import sys; sys.exit("Python 3.11 or newer is needed") if sys.version_info < (3, 11) else None'
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	@touch $(STAMP)

# The browser tests drive Debian's Chromium (never a browser downloaded by Playwright).
/usr/bin/chromium:
	@if [ "$$(id -u)" = 0 ]; then \
		apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium; \
	else \
		echo "Debian's chromium package is needed: sudo apt-get install chromium"; exit 1; \
	fi

# The deployment checks put Debian's nginx in front of the servers (deploy/nginx.conf).
/usr/sbin/nginx:
	@if [ "$$(id -u)" = 0 ]; then \
		apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq nginx; \
	else \
		echo "Debian's nginx package is needed: sudo apt-get install nginx"; exit 1; \
	fi

# Translations are compiled with polib: GNU gettext is not needed.
%.mo: %.po $(STAMP)
	$(BIN)/python scripts/compile_translations.py $<

install: $(STAMP) $(COMPILED_CATALOGS)

# Refresh the committed front-end libraries from the npm registry (needs npm; see
# konnaxion/web/static/web/vendor/README.md).
vendor:
	python3 scripts/vendor_frontend.py

# Real pictures for the demo artworks (Debian's mate-backgrounds, installed when root; see
# docs/demo-data.md). Without them the demo draws its own, so `run` goes on either way.
demo-images: install
	$(BIN)/python scripts/demo_images.py

run: install
	-$(BIN)/python scripts/demo_images.py
	$(BIN)/konnaxion up --demo

lint: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/lint-imports --no-cache

# mypy with the Django and DRF plugins (pyproject.toml, [tool.mypy]): services, selectors and the
# file store strictly. Its settings (config/settings/typecheck.py) start and reach no server.
typecheck: install
	$(BIN)/mypy

# pytest spreads the test files over TEST_WORKERS processes (pytest-xdist; one more than the
# cores: many tests wait on servers, workers and browsers), each on its own embedded PostgreSQL
# and Redis in var/test-gw<n>; a file runs whole in one worker, so a module's servers, topology
# and browser start once, and the long files are spread over the run (conftest.py).
TEST_WORKERS ?= $(shell echo $$(( $$(nproc) + 1 > 8 ? 8 : $$(nproc) + 1 )))

test: lint typecheck /usr/bin/chromium /usr/sbin/nginx
	$(BIN)/konnaxion manage makemigrations --check --dry-run
	$(BIN)/pytest -n $(TEST_WORKERS) --dist loadfile --no-loadscope-reorder

# The same checks, the tests in one process (var/test/), in pytest-django's order.
test-serial: lint typecheck /usr/bin/chromium /usr/sbin/nginx
	$(BIN)/konnaxion manage makemigrations --check --dry-run
	$(BIN)/pytest

# The production topology of deploy/ on this machine (standalone PostgreSQL and Redis, SeaweedFS,
# nginx, two servers, two workers, two beats) and every journey across it, with the production
# defaults (docs/deploy.md, "Checking a deployment on one machine"). About 4 minutes.
deploy-check: install /usr/sbin/nginx
	$(BIN)/python scripts/deploy_check.py

# Only the real-browser journeys.
browser: install /usr/bin/chromium
	$(BIN)/pytest -m browser

# PNGs of the main pages, in English and Arabic, into screenshots/ (ignored by git).
screenshots: install /usr/bin/chromium
	$(BIN)/python scripts/screenshots.py

# Every bench/*.py script but the shared modules (_*.py) and the load run (`make load`).
bench: install
	@set -e; for script in bench/*.py; do \
		[ -e "$$script" ] || continue; \
		case "$$(basename "$$script")" in _*|load.py) continue;; esac; \
		echo "== $$script"; $(BIN)/python "$$script"; \
	done

# A long property-based run of the API against its OpenAPI schema (FUZZ_EXAMPLES per operation),
# and of malformed HTTP and WebSocket input against the raw ASGI application (FUZZ_EXAMPLES x 10
# requests, x 3 socket sessions); then a long run of the access lifecycle against its reference
# model (ACCESS_EXAMPLES sequences of ACCESS_STEPS changes, failures shrunk to their shortest).
fuzz: install
	FUZZ_EXAMPLES=$${FUZZ_EXAMPLES:-400} $(BIN)/pytest -q tests/security/test_api_fuzz.py \
		tests/security/test_asgi_fuzz.py
	ACCESS_EXAMPLES=$${ACCESS_EXAMPLES:-200} ACCESS_STEPS=$${ACCESS_STEPS:-15} ACCESS_SHRINK=1 \
		$(BIN)/pytest -q tests/security/test_access_lifecycle.py

# Mixed traffic against `konnaxion up` from a second process, at increasing concurrency
# (LOAD_LEVELS clients, LOAD_SECONDS per level).
load: install
	$(BIN)/python bench/load.py --levels $${LOAD_LEVELS:-1,4,16,32} --seconds $${LOAD_SECONDS:-10}

clean:
	rm -rf $(VENV) var
