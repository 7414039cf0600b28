# Two commands do all the set-up on a fresh machine:  make run  and  make test.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-$(shell cat pyproject.toml | cksum | cut -d' ' -f1)
HOST ?= 127.0.0.1
PORT ?= 8000
CHROMIUM ?= /usr/bin/chromium
# Only for serve-production when SECRET_KEY is unset; computed once, when first used.
LOCAL_SECRET_KEY = $(eval LOCAL_SECRET_KEY := $(shell python3 -c 'import secrets; print(secrets.token_urlsafe(50))'))$(LOCAL_SECRET_KEY)

.PHONY: run test install setup messages browser lint format migrations-check bench serve-production clean

$(STAMP): pyproject.toml
	@$(PYTHON) -c 'import sys; sys.exit(sys.version_info < (3, 11) and "Python 3.11+ is required")'
	test -d $(VENV) || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	rm -f $(VENV)/.installed-* && touch $@

install: $(STAMP)

## The database (embedded unless DATABASE_URL is set), its schema, the shipped reports.
setup: install messages
	$(BIN)/python manage.py migrate --noinput
	$(BIN)/python manage.py load_shipped_reports
	$(BIN)/python manage.py write_bulk_data

## The interface's message catalogues (locale/*.po -> .mo), with gettext's msgfmt.
messages: install
	@if [ -d locale ]; then $(BIN)/python manage.py compilemessages --ignore=.venv -v 0; fi

## 1. Serve the site at http://127.0.0.1:8000/ with the seed report loaded, and the background
## worker that runs the admin's imports beside it (stopped when runserver stops).
run: setup
	@export DEBUG=$${DEBUG:-1}; \
	$(BIN)/python manage.py db_worker & worker=$$!; \
	$(BIN)/python manage.py runserver $(HOST):$(PORT) & server=$$!; \
	trap 'kill $$worker $$server 2>/dev/null; wait' EXIT; trap 'exit 130' INT TERM; \
	wait $$server

## The background worker alone (the admin's Publish queues imports for it); `make run` has one.
.PHONY: worker
worker: setup
	DEBUG=$${DEBUG:-1} $(BIN)/python manage.py db_worker

# $(call debian_package,PROGRAM,PACKAGE,WHAT FOR): install PACKAGE when PROGRAM is missing and
# we are root (as in CI); otherwise say how to install it.
define debian_package
@if [ ! -x $(1) ]; then \
  if [ "$$(id -u)" = 0 ]; then \
    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $(2) >/dev/null; \
  else \
    echo "note: $(1) is missing; run 'sudo apt-get install $(2)' for the $(3)"; \
  fi; \
fi
endef

## Debian's chromium for the browser tests (Playwright cannot download its own here).
browser:
	$(call debian_package,$(CHROMIUM),chromium,browser tests)

## Debian's nginx for the serving tests (tests/test_serving.py) and `make serve-nginx`.
NGINX ?= /usr/sbin/nginx
.PHONY: nginx serve-nginx
nginx:
	$(call debian_package,$(NGINX),nginx,serving tests)

## 2. Run the whole test suite (browser tests included) against real PostgreSQL.
test: install browser nginx messages
	$(BIN)/python -m pytest $(PYTEST_ARGS)

lint:
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

format:
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

migrations-check: install
	$(BIN)/python manage.py makemigrations --check --dry-run

bench: setup
	$(BIN)/python bench/relevance.py
	$(BIN)/python bench/search.py

## Production-style serving on this machine: DEBUG off, collected and hashed static files
## served by WhiteNoise under gunicorn. Plain HTTP, so no HTTPS redirect or HSTS here, and a
## throw-away SECRET_KEY unless one is set.
serve-production: export DEBUG = 0
serve-production: export SECURE_SSL_REDIRECT = 0
serve-production: export SECURE_HSTS_SECONDS = 0
serve-production: export SECRET_KEY ?= $(LOCAL_SECRET_KEY)
# Facing clients without nginx, each slow client holds a thread (deploy/gunicorn.conf.py).
serve-production: export GUNICORN_THREADS ?= 8
serve-production: setup
	$(BIN)/python manage.py collectstatic --noinput -v 0
	$(BIN)/gunicorn -c deploy/gunicorn.conf.py --bind $(HOST):$(PORT)

## The same behind nginx, as deployed (deploy/): gunicorn on a Unix socket, Debian's nginx on
## http://127.0.0.1:8080/ (NGINX_PORT=…) in front, serving the static files itself; Ctrl-C stops both.
serve-nginx: export DEBUG = 0
serve-nginx: export SECURE_SSL_REDIRECT = 0
serve-nginx: export SECURE_HSTS_SECONDS = 0
serve-nginx: export SECRET_KEY ?= $(LOCAL_SECRET_KEY)
serve-nginx: setup nginx
	$(BIN)/python manage.py collectstatic --noinput -v 0
	$(BIN)/python deploy/serve.py local --listen $(HOST):$(or $(NGINX_PORT),8080)

clean:
	rm -rf $(VENV) staticfiles .pytest_cache .ruff_cache

.PHONY: stop backup restore

## Stop the embedded PostgreSQL server now (fast shutdown: open sessions are disconnected).
## Without it, the server stops when the last process using it exits.
stop:
	@$(BIN)/python -m reportsite.embedded_db stop

## A consistent dump of the database (pg_dump -Fc) into backups/, or OUTPUT=path.
backup: install
	$(BIN)/python manage.py backup_database $(if $(OUTPUT),--output '$(OUTPUT)')

## Restore a dump into an empty database: make restore FILE=backups/NAME.dump
## (DB=name restores into another database, created when missing; FORCE=1 replaces).
restore: install
	@test -n '$(FILE)' || { echo 'usage: make restore FILE=backups/NAME.dump [DB=name] [FORCE=1]' >&2; exit 2; }
	$(BIN)/python manage.py restore_database '$(FILE)' $(if $(DB),--database '$(DB)') $(if $(FORCE),--force)
