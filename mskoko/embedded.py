"""`python -m mskoko.embedded HOST:PORT` (run by `make run` without REDIS_URL): the web server with a Celery
worker and an embedded beat beside it, over kombu's filesystem transport (a folder under var/celery), so
documents are built in the background and periodic tasks run with no server to install.

The worker runs in a session of its own: Ctrl+C (or a TERM to the whole group) reaches the web server and this
launcher, which then stops the worker with one TERM to its main process and waits for its warm shutdown (a
signal landing on the worker's pool and beat processes at once can leave Celery waiting for them forever).
"""
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
STOP_SECONDS = 30


def main(address):
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "mskoko.settings")
    var_dir = Path(os.environ.get("MSKOKO_VAR_DIR") or ROOT / "var")
    celery_dir = var_dir / "celery"
    celery_dir.mkdir(parents=True, exist_ok=True)
    log = celery_dir / "worker.log"
    bin_dir = Path(sys.executable).parent
    worker = subprocess.Popen(
        [str(bin_dir / "celery"), "-A", "mskoko", "--quiet", "worker", "--beat",
         f"--schedule={celery_dir / 'beat-schedule'}", "--concurrency=2", "--without-gossip", "--without-mingle",
         "-l", "info", f"--logfile={log}"],
        cwd=ROOT, start_new_session=True, stdout=subprocess.DEVNULL, stderr=subprocess.STDOUT)
    print(f"Фоновые задания: Celery worker и beat работают в фоне (очередь — папка {celery_dir}, сервер не "
          f"нужен); журнал {log}", flush=True)
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(0))
    try:
        # --insecure: serve static/ from the dev server while DEBUG stays off (real 404/403 pages, as in production)
        return subprocess.call([sys.executable, "manage.py", "runserver", "--insecure", address], cwd=ROOT)
    except KeyboardInterrupt:
        return 0
    finally:
        stop(worker)


def stop(worker):
    if worker.poll() is not None:
        return
    worker.terminate()  # warm shutdown: the job in hand is finished or, if it takes too long, left to the reaper
    deadline = time.monotonic() + STOP_SECONDS
    while worker.poll() is None and time.monotonic() < deadline:
        try:
            worker.wait(timeout=0.5)
        except subprocess.TimeoutExpired:
            pass
        except KeyboardInterrupt:
            break
    if worker.poll() is None:
        os.killpg(worker.pid, signal.SIGKILL)
        worker.wait()


if __name__ == "__main__":
    sys.exit(main(sys.argv[1] if len(sys.argv) > 1 else "127.0.0.1:8000"))
