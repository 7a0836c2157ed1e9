"""A real Celery worker over Redis, started as a subprocess against the test database (run by .ci/run)."""
import os
import signal
import subprocess
import sys
import time
import uuid
from pathlib import Path

import pytest
from django.conf import settings
from django.db import connection

ROOT = Path(__file__).resolve().parent.parent


def require_real_services():
    if not os.environ.get("REDIS_URL") or connection.vendor != "postgresql":
        pytest.skip("needs REDIS_URL and PostgreSQL (.ci/run provides both)")


class Worker:
    """`celery worker` on its own queue, in its own process group so a test can kill it hard."""

    def __init__(self, queue=None, concurrency=1):
        self.queue = queue or f"test-{uuid.uuid4().hex[:8]}"
        self.concurrency = concurrency
        self.process = None
        self.log = ROOT / "var" / f"worker-{self.queue}.log"

    def env(self):
        db = settings.DATABASES["default"]
        url = f"postgres://{db['USER'] or 'postgres'}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}"
        # The test settings (same media folder as the test process) with tasks really queued, not eager.
        return {**os.environ, "DJANGO_SETTINGS_MODULE": "mskoko.settings_test", "TEST_REAL_WORKER": "1",
                "DATABASE_URL": url, "REDIS_URL": os.environ["REDIS_URL"], "DEBUG": "false",
                "PYTHONUNBUFFERED": "1"}

    def start(self):
        self.log.parent.mkdir(exist_ok=True)
        celery = Path(sys.executable).with_name("celery")
        self.process = subprocess.Popen(
            [str(celery), "-A", "mskoko", "worker", "-Q", self.queue, "-c", str(self.concurrency),
             "--pool=prefork", "-l", "info", "--without-gossip", "--without-mingle", "--without-heartbeat",
             "-n", f"{self.queue}@%h"],
            cwd=ROOT, env=self.env(), stdout=self.log.open("w"), stderr=subprocess.STDOUT, start_new_session=True)
        return self

    def kill(self):
        if self.process and self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGKILL)
            self.process.wait(timeout=10)

    def stop(self):
        if self.process and self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGTERM)
            try:
                self.process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                self.kill()

    def output(self):
        return self.log.read_text(errors="replace") if self.log.exists() else ""


def wait_for(check, timeout=60, interval=0.3):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = check()
        if value:
            return value
        time.sleep(interval)
    return None


@pytest.fixture
def worker(transactional_db):
    require_real_services()
    w = Worker().start()
    yield w
    w.stop()
