"""Strict settings: a bad environment value stops start-up with a clear message."""
import os
import secrets
import subprocess
import sys
from pathlib import Path

import pytest
from django.db import connection

ROOT = Path(__file__).resolve().parent.parent


def run_check(env_overrides, *args, settings="mskoko.settings"):
    env = {k: v for k, v in os.environ.items() if k not in ("DATABASE_URL", "REDIS_URL", "DJANGO_SETTINGS_MODULE")}
    env.update(env_overrides)
    return subprocess.run([sys.executable, "manage.py", "check", f"--settings={settings}", *args],
                          cwd=ROOT, env=env, capture_output=True, text=True, timeout=120)


@pytest.mark.parametrize("name,value,message", [
    ("DEBUG", "maybe", "DEBUG='maybe' is not a boolean"),
    ("DATABASE_URL", "mysql://u@localhost/db", "переменная DATABASE_URL называет неподдерживаемую базу данных"),
    ("DATABASE_URL", "not a url", "DATABASE_URL"),
    ("REDIS_URL", "http://localhost:6379", "REDIS_URL='http://localhost:6379' must start with redis://"),
    ("EMAIL_PORT", "abc", "EMAIL_PORT='abc' is not an integer"),
    ("AXES_FAILURE_LIMIT", "0", "out of range"),
])
def test_bad_value_stops_start_up(name, value, message):
    result = run_check({name: value})
    assert result.returncode != 0
    assert message in result.stderr


def test_production_requires_a_real_secret_key():
    result = run_check({"ALLOWED_HOSTS": "mskoko.example.ru"}, settings="mskoko.settings_production")
    assert result.returncode != 0 and "SECRET_KEY is required" in result.stderr
    result = run_check({"SECRET_KEY": "short", "ALLOWED_HOSTS": "x.ru"}, settings="mskoko.settings_production")
    assert result.returncode != 0 and "at least 50 characters" in result.stderr


def test_production_settings_pass_check_deploy_without_warnings():
    env = {"SECRET_KEY": secrets.token_urlsafe(60), "ALLOWED_HOSTS": "mskoko.example.ru"}
    result = run_check(env, "--deploy", "--fail-level", "WARNING", settings="mskoko.settings_production")
    assert result.returncode == 0, result.stderr
    assert "no issues" in result.stdout


def test_embedded_default_is_sqlite_with_a_serverless_broker_for_a_real_worker():
    code = ("import django, os; os.environ['DJANGO_SETTINGS_MODULE']='mskoko.settings'; django.setup(); "
            "from django.conf import settings as s; "
            "print(s.DATABASES['default']['ENGINE'], s.CELERY_TASK_ALWAYS_EAGER, s.CELERY_BROKER_URL)")
    env = {k: v for k, v in os.environ.items() if k not in ("DATABASE_URL", "REDIS_URL")}
    out = subprocess.run([sys.executable, "-c", code], cwd=ROOT, env=env, capture_output=True, text=True, timeout=60)
    # Jobs go to a worker (started by `make run`) over a folder under var/, never run inside the request.
    assert out.stdout.split() == ["django.db.backends.sqlite3", "False", "filesystem://"]


@pytest.mark.django_db
def test_postgres_connections_run_without_jit():
    if connection.vendor != "postgresql":
        pytest.skip("JIT is a PostgreSQL setting; this run uses SQLite")
    with connection.cursor() as cursor:
        cursor.execute("SHOW jit")
        assert cursor.fetchone()[0] == "off"
        cursor.execute("SHOW random_page_cost")
        assert cursor.fetchone()[0] == "1.1"


@pytest.mark.parametrize("raw", ["fast", "0", "-1"])
def test_a_bad_page_cost_stops_start_up(monkeypatch, raw):
    from django.core.exceptions import ImproperlyConfigured

    from mskoko.env import env_database

    monkeypatch.setenv("PG_RANDOM_PAGE_COST", raw)
    monkeypatch.setenv("DATABASE_URL", "postgres://u@h/db")
    with pytest.raises(ImproperlyConfigured, match="PG_RANDOM_PAGE_COST"):
        env_database()
