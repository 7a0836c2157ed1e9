"""Document jobs on Celery (in-process when no REDIS_URL): build, store, report progress; reap the stuck."""
import logging
import threading
import time
from datetime import timedelta

from celery import shared_task
from django.conf import settings
from django.core.files.base import ContentFile
from django.db import DatabaseError, connection, transaction
from django.db.models import Q
from django.utils import timezone

from .documents.base import JobError
from .documents.registry import check
from .models import Job, Status

logger = logging.getLogger(__name__)
UNKNOWN_ERROR = "Внутренняя ошибка при подготовке документа. Администратор уведомлён; попробуйте позже."
STOPPED = "Подготовка документа прервалась: обработчик заданий остановился. Закажите документ заново."


UNAVAILABLE = ("Фоновые задания сейчас недоступны: нет связи с очередью заданий (Redis). Документ не заказан; "
               "попробуйте позже или сообщите администратору.")


class JobsUnavailable(Exception):
    """The broker refused the job; the message is for people (Russian)."""


def send(job_id):
    build_document.apply_async((job_id,), queue=settings.REPORTS_QUEUE)


def _send_or_withdraw(job_id):
    """Send the job; if the broker cannot take it, delete the job (no orphan «в очереди») and say so."""
    try:
        send(job_id)
    except Exception as exc:  # kombu/redis raise many types for an unreachable broker
        logger.error("Document job %s not queued, broker unavailable: %s: %s", job_id, type(exc).__name__, exc)
        Job.objects.filter(pk=job_id, status=Status.QUEUED).delete()
        raise JobsUnavailable(UNAVAILABLE) from None


def start(owner, kind, fmt, params, title):
    """A new job for `owner`, sent to the worker (ids only) once it is committed — at once outside a transaction.
    Raises JobsUnavailable, leaving no job behind, when the broker is down."""
    job = Job.objects.create(owner=owner, kind=kind, fmt=fmt, params=params, title=title)
    transaction.on_commit(lambda: _send_or_withdraw(job.pk))
    return job


class Heartbeat(threading.Thread):
    """Writes the job's heartbeat every REPORTS_HEARTBEAT_SECONDS while the render runs (a PDF of a region can
    take minutes without calling back), so the reaper never takes a live job for a dead one."""

    def __init__(self, job_id):
        super().__init__(name=f"heartbeat-{job_id}", daemon=True)
        self.job_id = job_id
        self.stopped = threading.Event()

    def run(self):
        try:
            while not self.stopped.wait(settings.REPORTS_HEARTBEAT_SECONDS):
                try:
                    Job.objects.filter(pk=self.job_id, status=Status.RUNNING).update(heartbeat=timezone.now())
                except DatabaseError as exc:  # a busy SQLite, a dropped connection: try again next beat
                    logger.warning("Heartbeat of job %s not written: %s", self.job_id, exc)
        finally:
            connection.close()  # this thread's own connection

    def __enter__(self):
        self.start()
        return self

    def __exit__(self, *exc):
        self.stopped.set()
        self.join(timeout=10)


def _claim(job_id):
    """Mark the job running if it is waiting (or was left running by a dead worker); None if nothing to do."""
    with transaction.atomic():
        job = Job.objects.select_for_update().filter(pk=job_id).first()
        if job is None or job.status not in (Status.QUEUED, Status.RUNNING):
            return None
        now = timezone.now()
        if job.status == Status.RUNNING and job.heartbeat and \
                job.heartbeat > now - timedelta(seconds=settings.REPORTS_STALE_SECONDS):
            return None  # a live worker has it (a duplicate message)
        job.status, job.started_at, job.heartbeat, job.progress = Status.RUNNING, now, now, 5
        job.attempts += 1
        job.message = ""
        job.save(update_fields=["status", "started_at", "heartbeat", "progress", "attempts", "message"])
        return job


# The outcome is kept on the Job row; no result backend is asked (nothing to subscribe to when ordering).
@shared_task(name="reports.build_document", acks_late=True, reject_on_worker_lost=True, ignore_result=True)
def build_document(job_id):
    job = _claim(job_id)
    if job is None:
        return None

    def progress(percent):
        Job.objects.filter(pk=job.pk, status=Status.RUNNING).update(progress=min(int(percent), 95),
                                                                    heartbeat=timezone.now())

    try:
        with Heartbeat(job.pk):
            if settings.REPORTS_TEST_HOOKS and job.params.get("_test_sleep"):
                for _ in range(int(job.params["_test_sleep"] * 10)):
                    progress(10)
                    time.sleep(0.1)
            if settings.REPORTS_TEST_HOOKS and job.params.get("_test_silent_sleep"):
                time.sleep(job.params["_test_silent_sleep"])  # a long render that never reports progress
            doc = check(job.owner, job.kind, job.params)  # the owner's rights now, not when ordered
            name, content = doc.build(job.owner, job.params, job.fmt, progress)
    except JobError as exc:
        Job.objects.filter(pk=job.pk).update(status=Status.FAILED, message=str(exc), finished_at=timezone.now())
        return "failed"
    except Exception:
        logger.exception("Document job %s (%s) failed", job.pk, job.kind)
        Job.objects.filter(pk=job.pk).update(status=Status.FAILED, message=UNKNOWN_ERROR, finished_at=timezone.now())
        return "failed"
    job.refresh_from_db()
    if job.status != Status.RUNNING:  # reaped meanwhile: its file would belong to nobody
        return None
    file_name = f"{name}.{job.fmt}"
    job.file.save(file_name, ContentFile(content), save=False)
    job.file_name, job.size = file_name, len(content)
    job.status, job.progress, job.finished_at = Status.DONE, 100, timezone.now()
    job.save(update_fields=["file", "file_name", "size", "status", "progress", "finished_at"])
    return "done"


@shared_task(name="reports.reap_jobs")
def reap_jobs(now=None):
    """Jobs whose worker went silent are started again (up to REPORTS_MAX_ATTEMPTS) or failed; old files go."""
    now = now or timezone.now()
    stale = now - timedelta(seconds=settings.REPORTS_STALE_SECONDS)
    requeued = failed = 0
    # Queued but never picked up (the message was lost with a broker restart): to be sent again below.
    waiting = list(Job.objects.filter(status=Status.QUEUED, created_at__lt=stale,
                                      attempts__lt=settings.REPORTS_MAX_ATTEMPTS).filter(
        Q(heartbeat__isnull=True) | Q(heartbeat__lt=stale)))
    for job in Job.objects.filter(status=Status.RUNNING, heartbeat__lt=stale):
        if job.attempts < settings.REPORTS_MAX_ATTEMPTS:
            updated = Job.objects.filter(pk=job.pk, status=Status.RUNNING, heartbeat__lt=stale).update(
                status=Status.QUEUED, progress=0, heartbeat=now)
            if updated:
                requeued += 1
                send(job.pk)
        else:
            failed += Job.objects.filter(pk=job.pk, status=Status.RUNNING, heartbeat__lt=stale).update(
                status=Status.FAILED, message=STOPPED, finished_at=now)
    for job in waiting:
        Job.objects.filter(pk=job.pk).update(heartbeat=now)  # resent at most once per stale interval
        send(job.pk)
        requeued += 1
    removed = 0
    for job in Job.objects.filter(expires_at__lt=now):
        if job.file:
            job.file.delete(save=False)
        job.delete()
        removed += 1
    return {"requeued": requeued, "failed": failed, "removed": removed}
