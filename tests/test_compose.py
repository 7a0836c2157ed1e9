"""No Docker engine runs here, so the deployment files are checked against what the project really has."""
import importlib
import re
from pathlib import Path

import yaml
from django.conf import settings
from django.core.management import get_commands

ROOT = Path(__file__).resolve().parent.parent
COMPOSE = yaml.safe_load((ROOT / "docker-compose.yml").read_text())
SETTINGS_SOURCE = "".join(p.read_text() for p in (ROOT / "mskoko").glob("*.py"))


def command_text(service):
    cmd = COMPOSE["services"][service]["command"]
    return " ".join(cmd) if isinstance(cmd, list) else cmd


def test_services_are_all_there():
    assert set(COMPOSE["services"]) == {"postgres", "redis", "web", "worker", "beat"}
    for name in ("postgres", "redis", "web"):
        assert "healthcheck" in COMPOSE["services"][name], name


def test_web_runs_gunicorn_on_the_real_wsgi_module():
    text = command_text("web")
    module, attr = re.search(r"gunicorn (\S+):(\S+)", text).groups()
    assert hasattr(importlib.import_module(module), attr)
    for command in re.findall(r"manage\.py (\w+)", text):
        assert command in get_commands(), command


def test_worker_and_beat_use_the_project_celery_app_with_the_settings_limits():
    from mskoko.celery import app

    assert app.main == "mskoko"
    worker = command_text("worker")
    assert "celery -A mskoko worker" in worker and "celery -A mskoko beat" in command_text("beat")
    assert f"--max-tasks-per-child {settings.CELERY_WORKER_MAX_TASKS_PER_CHILD}" in worker
    assert f"--max-memory-per-child {settings.CELERY_WORKER_MAX_MEMORY_PER_CHILD}" in worker


def test_environment_names_are_ones_the_settings_read():
    env = COMPOSE["services"]["web"]["environment"]
    settings_module = env.pop("DJANGO_SETTINGS_MODULE")
    assert (ROOT / (settings_module.replace(".", "/") + ".py")).exists()
    for name in env:
        assert f'"{name}"' in SETTINGS_SOURCE, f"{name} is set by docker-compose.yml but never read by the settings"
    assert env["DATABASE_URL"].startswith("postgres://") and env["REDIS_URL"].startswith("redis://")


def test_services_share_one_app_definition():
    web, worker, beat = (COMPOSE["services"][n] for n in ("web", "worker", "beat"))
    assert web["environment"] == worker["environment"] == beat["environment"]
    assert web["depends_on"]["postgres"]["condition"] == "service_healthy"


def test_dockerfile_installs_with_the_constraints_and_runs_as_a_user():
    dockerfile = (ROOT / "Dockerfile").read_text()
    assert "-c constraints.txt" in dockerfile and "USER mskoko" in dockerfile
    assert "mskoko.settings_production" in dockerfile
    assert (ROOT / "constraints.txt").exists()


def test_dockerfile_installs_what_reproducible_documents_need():
    """WeasyPrint subsets fonts through libharfbuzz-subset; without it every PDF carries the time it was built, so
    a closed year's documents would not rebuild byte for byte in production (CI has it through chromium)."""
    dockerfile = (ROOT / "Dockerfile").read_text()
    assert "libharfbuzz-subset0" in dockerfile
