"""Redis or the database down: pages still answer (or say plainly what is down), nothing is left half-done."""
import logging
import os
import subprocess
import sys
import time
from pathlib import Path

import pytest
from django.db import OperationalError
from django.db.backends.base.base import BaseDatabaseWrapper
from django.test import Client
from django.urls import reverse

from mskoko.cache import ResilientRedisCache
from reports import tasks
from reports.models import Job

from .factories import make_teacher

ROOT = Path(__file__).resolve().parent.parent
DEAD_REDIS = "redis://127.0.0.1:1/13"  # nothing listens on port 1: connections are refused at once


@pytest.fixture
def no_breaker():
    ResilientRedisCache._down_until = 0.0
    yield
    ResilientRedisCache._down_until = 0.0


def test_healthz_names_what_is_up(client, db, settings):
    settings.REDIS_URL = None  # the embedded default (CI sets REDIS_URL)
    response = client.get("/healthz/")
    assert response.status_code == 200
    assert response.json() == {"status": "ok", "database": "ok", "redis": "не используется (встроенный режим)"}


def test_healthz_answers_the_containers_own_probe_under_production_settings(client, db, settings):
    """Production refuses unknown hosts (400) and redirects plain HTTP (301); the probe is neither."""
    settings.ALLOWED_HOSTS = ["mskoko.example.ru"]
    settings.SECURE_SSL_REDIRECT = True
    assert client.get("/accounts/login/", HTTP_HOST="127.0.0.1:8000").status_code == 400
    assert client.get("/healthz/", HTTP_HOST="127.0.0.1:8000").status_code == 200
    assert client.get("/accounts/login/", HTTP_HOST="mskoko.example.ru").status_code == 301


def test_healthz_reports_a_down_redis(client, db, settings):
    settings.REDIS_URL = DEAD_REDIS
    response = client.get("/healthz/")
    assert response.status_code == 503
    assert response.json() == {"status": "fail", "database": "ok", "redis": "недоступен"}


@pytest.mark.django_db(transaction=True)
def test_healthz_reports_a_down_database(client, monkeypatch):
    def refuse(self):
        raise OperationalError("connection to server failed: Connection refused")

    monkeypatch.setattr(BaseDatabaseWrapper, "ensure_connection", refuse)
    response = client.get("/healthz/")
    assert response.status_code == 503 and response.json()["database"] == "недоступна"


@pytest.mark.django_db(transaction=True)
def test_a_down_database_gives_a_plain_russian_503_page(methodologist, monkeypatch):
    client = Client(raise_request_exception=False)
    client.force_login(methodologist)

    def refuse(self):
        raise OperationalError("connection to server failed: Connection refused")

    monkeypatch.setattr(BaseDatabaseWrapper, "ensure_connection", refuse)
    response = client.get("/")
    assert response.status_code == 503 and response["Retry-After"] == "60"
    assert "Нет связи с базой данных" in response.content.decode()


def test_a_down_redis_cache_is_a_logged_miss(no_breaker, caplog):
    cache = ResilientRedisCache(DEAD_REDIS, {"OPTIONS": {"socket_connect_timeout": 1, "socket_timeout": 1}})
    with caplog.at_level(logging.WARNING, logger="mskoko.cache"):
        assert cache.get("k") is None and cache.get("k", 7) == 7
        cache.set("k", 1)
        assert cache.get_many(["a"]) == {} and cache.delete("k") is False
    assert "Redis cache unavailable" in caplog.text
    assert caplog.text.count("Redis cache unavailable") == 1  # once per outage interval, not per call
    started = time.monotonic()
    for _ in range(100):
        cache.get("k")
    assert time.monotonic() - started < 0.5  # Redis is not asked again while it is known to be down


def test_dashboards_and_the_api_answer_with_redis_down(client, methodologist, school_a, settings, no_breaker):
    make_teacher(school_a)
    settings.CACHES = {"default": {"BACKEND": "mskoko.cache.ResilientRedisCache", "LOCATION": DEAD_REDIS,
                                   "OPTIONS": {"socket_connect_timeout": 1, "socket_timeout": 1}}}
    settings.ENGINE_CACHE_SECONDS = 3600
    client.force_login(methodologist)
    assert client.get("/indicators/").status_code == 200
    data = client.get("/indicators/api/values.json", {"period": "2025"}).json()
    assert next(r for r in data["rows"] if r["code"] == "K1")["value"] == 1


def test_ordering_with_the_broker_down_says_so_and_leaves_no_job(client, methodologist, municipality, monkeypatch,
                                                                 django_capture_on_commit_callbacks):
    from kombu.exceptions import OperationalError as BrokerError

    def refuse(job_id):
        raise BrokerError("Error 111 connecting to 127.0.0.1:6379. Connection refused.")

    monkeypatch.setattr(tasks, "send", refuse)
    client.force_login(methodologist)
    # The view runs outside a transaction in production, where on_commit sends at once; here the test's
    # transaction defers it to the end of the block, so the error surfaces from the callback.
    with pytest.raises(tasks.JobsUnavailable), django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("documents"), {"kind": "vacancies", "fmt": "xlsx", "municipality": municipality.pk})
    assert not Job.objects.exists()


@pytest.mark.django_db(transaction=True)
def test_ordering_with_the_broker_down_answers_503_in_russian(methodologist, municipality, monkeypatch):
    from kombu.exceptions import OperationalError as BrokerError

    def refuse(job_id):
        raise BrokerError("Connection refused.")

    monkeypatch.setattr(tasks, "send", refuse)
    client = Client()
    client.force_login(methodologist)
    response = client.post(reverse("documents"), {"kind": "vacancies", "fmt": "xlsx",
                                                  "municipality": municipality.pk})
    assert response.status_code == 503
    assert "Фоновые задания сейчас недоступны" in response.content.decode()
    assert not Job.objects.exists()


@pytest.mark.parametrize("url,cause", [
    # PostgreSQL refusing connections is run by .ci/smoke.py production (a second here would cost 4 s).
    ("sqlite:////nonexistent-folder/db.sqlite3", "файл SQLite нельзя открыть"),
])
def test_a_command_with_the_database_down_prints_one_russian_line(url, cause):
    env = {**os.environ, "DATABASE_URL": url, "DJANGO_SETTINGS_MODULE": "mskoko.settings"}
    env.pop("REDIS_URL", None)
    result = subprocess.run([sys.executable, "manage.py", "migrate", "--noinput"], cwd=ROOT, env=env,
                            capture_output=True, text=True, timeout=60)
    assert result.returncode == 1
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and "Traceback" not in result.stderr, result.stderr
    assert cause in lines[0] and "DATABASE_URL" in lines[0]
