"""Document jobs in the embedded mode (in-process): ordering, progress, download with audit, errors, the reaper."""
from datetime import timedelta

from django.test import Client
from django.urls import reverse
from django.utils import timezone

from reports import tasks
from reports.documents import registry as documents
from reports.models import Job
from teachers.models import ExportLog


def order(client, municipality, **data):
    payload = {"kind": "vacancies", "fmt": "xlsx", "municipality": municipality.pk if municipality else "", **data}
    return client.post(reverse("documents"), payload)


def test_order_watch_download(client, methodologist, municipality, django_capture_on_commit_callbacks):
    client.force_login(methodologist)
    with django_capture_on_commit_callbacks(execute=True):
        response = order(client, municipality, kind="rating", fmt="pdf", year=2025)
    job = Job.objects.get()
    assert response.status_code == 302 and response.url == reverse("document-job", args=[job.pk])
    assert job.status == "done" and job.progress == 100 and job.file_name == "reiting-vklad-oo-2025.pdf"
    assert job.params == {"municipality": municipality.pk, "year": 2025}  # ids and years only
    status = client.get(reverse("document-job-status", args=[job.pk])).json()
    assert status["status"] == "done" and status["download_url"] == reverse("document-download", args=[job.pk])
    page = client.get(reverse("document-job", args=[job.pk])).content.decode()
    assert "Скачать" in page and "js/jobs.js" in page
    download = client.get(reverse("document-download", args=[job.pk]))
    assert download["Content-Type"] == "application/pdf"
    assert b"".join(download.streaming_content).startswith(b"%PDF")
    assert "reiting-vklad-oo-2025.pdf" in download["Content-Disposition"]
    log = ExportLog.objects.get()
    assert log.user == methodologist and "Рейтинг" in log.what
    assert "Рейтинг «Вклад ОО» за 2025 год" in client.get(reverse("documents")).content.decode()


def test_admin_orders_the_region_briefing_without_a_municipality(client, admin_user, municipality,
                                                                  django_capture_on_commit_callbacks):
    client.force_login(admin_user)
    with django_capture_on_commit_callbacks(execute=True):
        response = order(client, municipality, kind="region", fmt="xlsx", year=2025)
    job = Job.objects.get()
    assert response.status_code == 302 and job.status == "done", job.error
    assert job.params == {"year": 2025} and job.file_name == "analiticheskaya-spravka-region-2025.xlsx"
    assert "по региону" in client.get(reverse("documents")).content.decode()


def test_another_users_job_is_not_found(client, methodologist, viewer, municipality, django_capture_on_commit_callbacks):
    client.force_login(methodologist)
    with django_capture_on_commit_callbacks(execute=True):
        order(client, municipality)
    job = Job.objects.get()
    client.force_login(viewer)
    for name in ("document-job", "document-job-status", "document-download"):
        assert client.get(reverse(name, args=[job.pk])).status_code == 404
    assert client.post(reverse("document-retry", args=[job.pk])).status_code == 404
    assert Job.objects.count() == 1


def test_bad_orders_get_russian_errors_and_create_nothing(client, methodologist, head_a, municipality):
    client.force_login(methodologist)
    page = order(client, municipality, kind="briefing", year="").content.decode()
    assert "Укажите год." in page
    page = order(client, municipality, kind="briefing", year=timezone.localdate().year + 1).content.decode()
    assert "не позже текущего" in page
    assert "Выберите муниципалитет." in order(client, None, kind="briefing", year=2025).content.decode()
    assert "Выберите корректный вариант" in order(client, municipality, kind="region", year=2025).content.decode()
    client.force_login(head_a)
    page = order(client, municipality, kind="briefing", year=2025).content.decode()
    assert "Выберите корректный вариант" in page  # a head is not offered the district's documents
    assert not Job.objects.exists()


def test_start_needs_csrf(methodologist, municipality):
    client = Client(enforce_csrf_checks=True)
    client.force_login(methodologist)
    assert order(client, municipality).status_code == 403
    assert not Job.objects.exists()


def test_the_task_rechecks_the_owners_rights(methodologist, municipality, other_municipality):
    job = Job.objects.create(owner=methodologist, kind="rating", fmt="pdf", title="x",
                             params={"municipality": municipality.pk, "year": 2025})
    methodologist.municipality = other_municipality  # moved to another district after ordering
    methodologist.save()
    tasks.build_document(job.pk)
    job.refresh_from_db()
    assert job.status == "failed" and "недоступен" in job.message and not job.file


def test_an_unknown_error_is_logged_and_shown_plainly(monkeypatch, methodologist, municipality, caplog):
    doc = documents.REGISTRY["vacancies"]

    def boom(*args):
        raise ZeroDivisionError("internal detail")

    monkeypatch.setitem(documents.REGISTRY, "vacancies", doc.__class__(**{**doc.__dict__, "build": boom}))
    job = Job.objects.create(owner=methodologist, kind="vacancies", fmt="pdf", title="x",
                             params={"municipality": municipality.pk})
    tasks.build_document(job.pk)
    job.refresh_from_db()
    assert job.status == "failed" and job.message == tasks.UNKNOWN_ERROR and "internal detail" not in job.message
    assert "ZeroDivisionError" in caplog.text


def test_reaper_restarts_once_then_fails_and_removes_expired(methodologist, municipality, settings):
    old = timezone.now() - timedelta(seconds=settings.REPORTS_STALE_SECONDS + 5)
    params = {"municipality": municipality.pk}
    retried = Job.objects.create(owner=methodologist, kind="vacancies", fmt="xlsx", title="a", params=params,
                                 status="running", heartbeat=old, attempts=1)
    given_up = Job.objects.create(owner=methodologist, kind="vacancies", fmt="xlsx", title="b", params=params,
                                  status="running", heartbeat=old, attempts=settings.REPORTS_MAX_ATTEMPTS)
    alive = Job.objects.create(owner=methodologist, kind="vacancies", fmt="xlsx", title="c", params=params,
                               status="running", heartbeat=timezone.now(), attempts=1)
    result = tasks.reap_jobs()
    assert result["requeued"] == 1 and result["failed"] == 1
    retried.refresh_from_db()
    given_up.refresh_from_db()
    alive.refresh_from_db()
    assert retried.status == "done" and retried.attempts == 2  # started again (in-process here)
    assert given_up.status == "failed" and given_up.message == tasks.STOPPED
    assert alive.status == "running"  # a live worker's job is left alone
    path = retried.file.path
    Job.objects.filter(pk=retried.pk).update(expires_at=timezone.now() - timedelta(minutes=1))
    assert tasks.reap_jobs()["removed"] == 1
    assert not Job.objects.filter(pk=retried.pk).exists()
    import os

    assert not os.path.exists(path)


def test_a_duplicate_message_does_not_run_a_live_job_twice(methodologist, municipality):
    job = Job.objects.create(owner=methodologist, kind="vacancies", fmt="xlsx", title="a",
                             params={"municipality": municipality.pk}, status="running",
                             heartbeat=timezone.now(), attempts=1)
    assert tasks.build_document(job.pk) is None
    job.refresh_from_db()
    assert job.status == "running" and job.attempts == 1


def test_failed_job_can_be_ordered_again(client, methodologist, municipality, django_capture_on_commit_callbacks):
    job = Job.objects.create(owner=methodologist, kind="vacancies", fmt="xlsx", title="a",
                             params={"municipality": municipality.pk}, status="failed", message=tasks.STOPPED)
    client.force_login(methodologist)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("document-retry", args=[job.pk]))
    new = Job.objects.exclude(pk=job.pk).get()
    assert response.url == reverse("document-job", args=[new.pk]) and new.status == "done"


def test_reaper_is_scheduled(settings):
    assert any(e["task"] == "reports.reap_jobs" for e in settings.CELERY_BEAT_SCHEDULE.values())


def test_a_job_waiting_or_silent_too_long_says_why(client, methodologist, municipality, settings):
    old = timezone.now() - timedelta(seconds=settings.REPORTS_STALE_SECONDS + 5)
    params = {"municipality": municipality.pk}
    waiting = Job.objects.create(owner=methodologist, kind="vacancies", fmt="xlsx", title="a", params=params)
    Job.objects.filter(pk=waiting.pk).update(created_at=old)
    silent = Job.objects.create(owner=methodologist, kind="vacancies", fmt="xlsx", title="b", params=params,
                                status="running", heartbeat=old, attempts=1)
    fresh = Job.objects.create(owner=methodologist, kind="vacancies", fmt="xlsx", title="c", params=params)
    client.force_login(methodologist)

    def notice(job):
        return client.get(reverse("document-job-status", args=[job.pk])).json()["notice"]

    assert "ждёт обработчика фоновых заданий" in notice(waiting)
    assert "будет подготовлен заново" in notice(silent)
    assert notice(fresh) == ""
