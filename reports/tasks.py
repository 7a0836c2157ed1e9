"""Document jobs on Celery (in-process when no REDIS_URL): build, store, report progress; reap the stuck."""
import logging
from datetime import timedelta

from celery import shared_task
from django.conf import settings
from django.core.files.base import ContentFile
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from .documents import JobError, check
from .models import Job, Status

logger = logging.getLogger(__name__)
UNKNOWN_ERROR = "Внутренняя ошибка при подготовке документа. Администратор уведомлён; попробуйте позже."
STOPPED = "Подготовка документа прервалась: обработчик заданий остановился. Закажите документ заново."


def send(job_id):
    build_document.apply_async((job_id,), queue=settings.REPORTS_QUEUE)


def queue(job):
    """Send the job to the worker once the transaction that created it commits (ids only)."""
    transaction.on_commit(lambda: send(job.pk))


def start(owner, kind, fmt, params, title):
    """A new job for `owner`, sent to the worker when it is committed."""
    with transaction.atomic():
        job = Job.objects.create(owner=owner, kind=kind, fmt=fmt, params=params, title=title)
        queue(job)
    return job


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


@shared_task(name="reports.build_document", acks_late=True, reject_on_worker_lost=True)
def build_document(job_id):
    job = _claim(job_id)
    if job is None:
        return None

    def progress(percent):
        Job.objects.filter(pk=job.pk, status=Status.RUNNING).update(progress=min(int(percent), 95),
                                                                    heartbeat=timezone.now())

    if settings.REPORTS_TEST_HOOKS and job.params.get("_test_sleep"):
        import time

        for _ in range(int(job.params["_test_sleep"] * 10)):
            progress(10)
            time.sleep(0.1)
    try:
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
