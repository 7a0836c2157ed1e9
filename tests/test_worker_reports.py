"""Documents on a real Celery worker over Redis: a job built by the worker, and a worker killed mid-job."""
from datetime import timedelta

import pytest
from django.utils import timezone

from mskoko.celery import app
from reports import tasks
from reports.models import Job

from .factories import MunicipalityFactory, UserFactory
from .worker_support import Worker, wait_for, worker  # noqa: F401

pytestmark = [pytest.mark.worker]


@pytest.fixture
def owner(transactional_db):
    from django.core.management import call_command

    from teachers import models as m

    if not m.Position.objects.exists():
        call_command("loaddata", "fixtures/reference.json", verbosity=0)
    municipality = MunicipalityFactory(name="Район")
    return UserFactory(username="metod", role=m.Role.METHODOLOGIST, municipality=municipality)


def status(job):
    job.refresh_from_db()
    return job.status


def test_a_real_worker_builds_the_document(worker, owner, settings):  # noqa: F811
    job = Job.objects.create(owner=owner, kind="vacancies", fmt="pdf", title="База вакансий",
                             params={"municipality": owner.municipality_id})
    app.send_task("reports.build_document", args=[job.pk], queue=worker.queue)
    assert wait_for(lambda: status(job) in ("done", "failed"), timeout=90), worker.output()[-3000:]
    assert job.status == "done", job.message
    with job.file.open("rb") as f:
        assert f.read(4) == b"%PDF"


def test_killed_worker_leaves_no_job_running_forever(owner, settings):
    from .worker_support import require_real_services

    require_real_services()
    first = Worker().start()
    try:
        job = Job.objects.create(owner=owner, kind="vacancies", fmt="xlsx", title="База вакансий",
                                 params={"municipality": owner.municipality_id, "_test_sleep": 6})
        app.send_task("reports.build_document", args=[job.pk], queue=first.queue)
        assert wait_for(lambda: status(job) == "running", timeout=60), first.output()[-3000:]
        first.kill()  # SIGKILL to the whole process group, mid-job
    finally:
        first.stop()
    assert status(job) == "running" and job.attempts == 1
    # The beat's reaper, once the heartbeat is stale, sends the job again to a (new) worker.
    settings.REPORTS_QUEUE = first.queue
    eager = app.conf.task_always_eager
    app.conf.task_always_eager = False
    try:
        later = timezone.now() + timedelta(seconds=settings.REPORTS_STALE_SECONDS + 1)
        assert tasks.reap_jobs(now=later)["requeued"] == 1
    finally:
        app.conf.task_always_eager = eager
    assert status(job) == "queued"
    second = Worker(queue=first.queue).start()
    try:
        assert wait_for(lambda: status(job) in ("done", "failed"), timeout=90), second.output()[-3000:]
    finally:
        second.stop()
    assert job.status == "done" and job.attempts == 2
