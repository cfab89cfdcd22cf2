# The commands people type. `make run` and `make test` work on a fresh machine.
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
HOST ?= 127.0.0.1
PORT ?= 8000

.PHONY: run test test-fast setup lint format messages translations-check migrations-check screenshots bench profile scale drills two-servers proxy-limits limits-redis fault mail-fault soak restore-drill backup restore clean

# The development environment: runtime, the S3 stack and the tools (production installs only
# requirements.txt, and requirements-s3.txt with a bucket).
$(VENV)/.installed: requirements.txt requirements-s3.txt requirements-dev.txt
	$(PYTHON) -m venv $(VENV)
	$(VENV)/bin/pip install --quiet --upgrade pip
	$(VENV)/bin/pip install --quiet -r requirements-dev.txt
	touch $@

# A development .env (DEBUG on, a random key) unless one exists; never used by the tests.
.env:
	printf 'DEBUG=true\nSECRET_KEY=%s\n' "$$($(PYTHON) -c 'import secrets; print(secrets.token_urlsafe(50))')" > .env

# Compile the catalogues (what `manage.py compilemessages` does, without needing settings).
messages:
	for po in locale/*/LC_MESSAGES/django.po; do msgfmt --check -o "$${po%.po}.mo" "$$po" || exit 1; done

setup: $(VENV)/.installed .env messages

## Set up, migrate the SQLite database, load the demo data, print log-ins and serve.
run: export DEVTOOLS = true
run: setup
	$(PY) manage.py migrate --verbosity 0
	EMAIL_URL=dummymail:// $(PY) manage.py load_demo
	@echo "Serving Mumaris at http://$(HOST):$(PORT)/ (and a task worker: emails print here)"
	@# The worker and the server together; Ctrl-C (or either one ending) stops both.
	$(PY) manage.py db_worker --queue-name '*' --interval 1 & worker=$$!; \
	trap 'kill $$worker 2>/dev/null' EXIT INT TERM; \
	$(PY) manage.py runserver $(HOST):$(PORT)

lint: $(VENV)/.installed
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(VENV)/bin/bandit --quiet --recursive mumaris $$($(PY) -c 'from mumaris.floors import DEVELOPMENT_APPS, PROJECT_APPS; print(*PROJECT_APPS, *DEVELOPMENT_APPS)')
	# The benchmarks, drills and tools run fixed commands (PostgreSQL service, gunicorn, manage.py,
	# pyftsubset) with argument lists and no shell: bandit's subprocess warnings are expected there.
	$(VENV)/bin/bandit --quiet --recursive bench tools --skip B404,B603,B607
	# The drills are pytest tests as well: their checks are asserts (B101).
	$(VENV)/bin/bandit --quiet --recursive tests/drills --skip B101,B404,B603,B607

format: $(VENV)/.installed
	$(VENV)/bin/ruff check --fix .
	$(VENV)/bin/ruff format .

migrations-check: $(VENV)/.installed
	DJANGO_SETTINGS_MODULE=mumaris.test_settings $(PY) manage.py makemigrations --check --dry-run

translations-check: $(VENV)/.installed
	$(PY) -m pytest -q tests/portal/test_translations.py

## Set up, then lint, migrations check and the whole suite (on DATABASE_URL if set); prints its wall time.
test: $(VENV)/.installed messages lint migrations-check
	@started=$$(date +%s); $(PY) -m pytest; status=$$?; \
	echo "make test: $$(( $$(date +%s) - started )) s wall time"; exit $$status

## The edit-and-run loop: everything but the browser tests and the drills, on every core (pytest-xdist).
test-fast: $(VENV)/.installed messages
	@started=$$(date +%s); $(PY) -m pytest -q -n auto -m "not browser and not drill"; status=$$?; \
	echo "make test-fast: $$(( $$(date +%s) - started )) s wall time"; exit $$status

## Screenshots of the home page for the README (needs Debian chromium).
screenshots: setup
	$(PY) tools/screenshots.py

## Throughput against gunicorn + PostgreSQL with wrk, as ratios to a bare view (needs root, wrk).
bench: $(VENV)/.installed messages
	$(PY) -m bench.bench

## Where pages' time goes, in one process on PostgreSQL (needs root): make profile PAGES="/ /eligibility/"
PAGES ?= / /eligibility/ /accounts/login/ /accounts/signup/
profile: $(VENV)/.installed messages
	$(PY) -m bench.profile_page --nodes $(PAGES)

## A million practitioners and applicants, then the admin's server times (needs DATABASE_URL).
scale: export DEVTOOLS = true
scale: setup
	$(PY) manage.py migrate --verbosity 0
	DEBUG=false $(PY) manage.py collectstatic --noinput --verbosity 0
	$(PY) manage.py seed_bulk 1000000
	$(PY) -m bench.admin_scale

## The drills (tests/drills/, pytest marker `drill`): the portal on a real stack, as root with
## PostgreSQL (they start it), nginx-light and redis-server. Prints their figures; prints its wall time.
DRILL := $(PY) -m pytest -m drill -s
drills: $(VENV)/.installed messages
	@started=$$(date +%s); $(DRILL) tests/drills; status=$$?; \
	echo "make drills: $$(( $$(date +%s) - started )) s wall time"; exit $$status

## One drill each: two gunicorn instances on one PostgreSQL (captcha, sessions and lockout shared).
two-servers: $(VENV)/.installed messages
	$(DRILL) tests/drills/test_two_servers.py

## nginx in front of two gunicorns: rate limits and lockout per client; PROXY_CACHE=redis keeps the
## counters in a Redis it starts (`make drills` runs both).
PROXY_CACHE ?= db
proxy-limits: $(VENV)/.installed messages
	$(DRILL) tests/drills/test_proxy_limits.py -k limits_in_$(PROXY_CACHE)

## The limit contract, the limits' view tests and the API's counts with the counters in Redis (needs redis-server).
LIMITS_REDIS_PORT ?= 6391
limits-redis: $(VENV)/.installed messages
	redis-server --port $(LIMITS_REDIS_PORT) --bind 127.0.0.1 --save '' --appendonly no \
		--maxmemory-policy noeviction --daemonize yes --pidfile /tmp/mumaris-limits-redis.pid
	until redis-cli -p $(LIMITS_REDIS_PORT) ping >/dev/null 2>&1; do sleep 0.2; done
	LIMITS_CACHE_URL=redis://127.0.0.1:$(LIMITS_REDIS_PORT)/0 $(PY) -m pytest -q tests/core/test_limits.py \
		tests/accounts/test_current_password.py tests/accounts/test_lockout.py tests/accounts/test_signup.py \
		tests/api tests/portal/test_access_log.py; \
		status=$$?; kill $$(cat /tmp/mumaris-limits-redis.pid); exit $$status

## Stop PostgreSQL for 10 s under load and check nothing is lost (needs root and PostgreSQL).
fault: $(VENV)/.installed messages
	$(PY) -m bench.fault

## Stop the mail server for 30 s, then slow it, then a tarpit, under sign-ups and decisions: pages
## unaffected, every email delivered exactly once (a drill; needs root and PostgreSQL).
mail-fault: $(VENV)/.installed messages
	$(DRILL) tests/drills/test_mail_fault.py

## Back up, restore into a fresh database and folder, compare everything (a drill; needs root and PostgreSQL).
restore-drill: $(VENV)/.installed messages
	$(DRILL) tests/drills/test_backup_restore.py

## One dated archive of the database (pg_dump) and the documents, with SHA-256 checksums, into
## BACKUP_DIR; with the environment of the service (DATABASE_URL, MEDIA_ROOT or DOCUMENTS_BUCKET).
BACKUP_DIR ?= backups
backup:
	$(PY) manage.py backup --output-dir $(BACKUP_DIR)

## make restore ARCHIVE=backups/mumaris-backup-….tar: into the empty database and document storage
## the environment names; refused when either is not empty or a checksum differs.
restore:
	@test -n "$(ARCHIVE)" || { echo "make restore ARCHIVE=path/to/mumaris-backup-….tar"; exit 2; }
	$(PY) manage.py restore "$(ARCHIVE)"

## Ten minutes of mixed traffic: no 5xx, workers' memory flat (needs root and PostgreSQL).
soak: $(VENV)/.installed messages
	$(PY) -m bench.soak

clean:
	rm -rf $(VENV) staticfiles .test-media .pytest_cache .ruff_cache
