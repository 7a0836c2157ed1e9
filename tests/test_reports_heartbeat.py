"""A long render that never reports progress still shows it is alive, so the reaper leaves it alone."""
from datetime import timedelta

import pytest
from django.utils import timezone

from reports import tasks
from reports.documents import registry as documents
from reports.models import Job

pytestmark = pytest.mark.django_db(transaction=True)


def test_the_heartbeat_is_kept_during_a_silent_render(monkeypatch, settings, methodologist, municipality):
    settings.REPORTS_HEARTBEAT_SECONDS = 0.2
    settings.REPORTS_STALE_SECONDS = 1
    doc = documents.REGISTRY["vacancies"]
    seen = {}

    def slow_build(owner, params, fmt, progress):
        import time

        time.sleep(1.5)  # WeasyPrint laying out a long PDF: no progress calls meanwhile
        job = Job.objects.get()
        seen["beat_age"] = timezone.now() - job.heartbeat
        seen["reaped"] = tasks.reap_jobs()  # what beat's reaper would do at this moment
        return "x", b"data"

    monkeypatch.setitem(documents.REGISTRY, "vacancies", doc.__class__(**{**doc.__dict__, "build": slow_build}))
    job = Job.objects.create(owner=methodologist, kind="vacancies", fmt="xlsx", title="x",
                             params={"municipality": municipality.pk})
    assert tasks.build_document(job.pk) == "done"
    assert seen["beat_age"] < timedelta(seconds=0.8), seen
    assert seen["reaped"]["requeued"] == 0 and seen["reaped"]["failed"] == 0
    job.refresh_from_db()
    assert job.status == "done" and job.attempts == 1


def test_a_dead_workers_job_is_noticed_within_a_minute(settings):
    """Beat's reaper runs every REPORTS_REAP_SECONDS; a job is stale after REPORTS_STALE_SECONDS of silence."""
    reap = next(e for e in settings.CELERY_BEAT_SCHEDULE.values() if e["task"] == "reports.reap_jobs")
    assert settings.REPORTS_STALE_SECONDS + reap["schedule"] <= 60
    assert settings.REPORTS_STALE_SECONDS >= 3 * 5  # several default heartbeats (5 s) may be missed first
