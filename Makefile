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

run: install
	$(BIN)/python manage.py migrate --noinput
	$(BIN)/python manage.py bootstrap
	@# --insecure: serve static/ from the dev server while DEBUG stays off (real 404/403 pages, as in production)
	$(BIN)/python manage.py runserver --insecure $(HOST):$(PORT)

test: install
	$(BIN)/python -m pytest

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
