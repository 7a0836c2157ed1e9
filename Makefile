# Two commands do all the set-up: `make run` and `make test`.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-stamp
HOST ?= 127.0.0.1
PORT ?= 8000

.PHONY: run test install bench worker beat check-deploy clean

$(STAMP): pyproject.toml constraints.txt
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install -q --upgrade "pip>=24"
	$(BIN)/python -m pip install -q -c constraints.txt -e ".[test]"
	touch $(STAMP)

install: $(STAMP)

# Without REDIS_URL (the embedded default) a Celery worker with an embedded beat runs beside the web server over
# a folder under var/ (kombu's filesystem transport): documents are built in the background and periodic tasks
# run, with no server to install; stopping `make run` stops it too (mskoko/embedded.py). With REDIS_URL,
# `make worker` and `make beat`.
run: install
	$(BIN)/python manage.py migrate --noinput
	$(BIN)/python manage.py bootstrap
	@if [ -n "$$REDIS_URL" ]; then \
	  echo "REDIS_URL задан: фоновые задания выполняют make worker и make beat (запустите их в других окнах)."; \
	  exec $(BIN)/python manage.py runserver --insecure $(HOST):$(PORT); \
	fi; \
	exec $(BIN)/python -m mskoko.embedded $(HOST):$(PORT)

# The suite on both cores (pytest-xdist): one worker per core, each with its own test database (test_<name>_gw0,
# …), whole files per worker so module fixtures are set up once. `make test TEST_WORKERS=0` runs it in one process.
TEST_WORKERS ?= 2

test: install
	$(BIN)/python -m pytest -n $(TEST_WORKERS) --dist loadfile

BENCH_DATABASE_URL ?= postgres://postgres@127.0.0.1:5432/mskoko_bench

bench: install
	@DATABASE_URL=$${DATABASE_URL:-$(BENCH_DATABASE_URL)} $(BIN)/python -c "import os, psycopg2, dj_database_url as d; c = d.parse(os.environ['DATABASE_URL']); conn = psycopg2.connect(dbname='postgres', user=c['USER'] or 'postgres', host=c['HOST'] or '127.0.0.1', port=c['PORT'] or 5432, password=c['PASSWORD'] or None); conn.autocommit = True; cur = conn.cursor(); cur.execute('SELECT 1 FROM pg_database WHERE datname=%s', [c['NAME']]); cur.fetchone() or cur.execute('CREATE DATABASE \"%s\"' % c['NAME'])"
	DATABASE_URL=$${DATABASE_URL:-$(BENCH_DATABASE_URL)} $(BIN)/python manage.py bench

worker: install
	$(BIN)/celery -A mskoko worker -l info

beat: install
	$(BIN)/celery -A mskoko beat -l info

check-deploy: install
	SECRET_KEY=$$($(BIN)/python -c 'import secrets; print(secrets.token_urlsafe(60))') ALLOWED_HOSTS=mskoko.example.ru \
	  $(BIN)/python manage.py check --deploy --fail-level WARNING --settings=mskoko.settings_production

clean:
	rm -rf $(VENV) var/staticfiles
