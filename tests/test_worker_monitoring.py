"""The monitoring's periodic tasks on a real Celery worker over Redis: reminders are sent once even when the
beat fires twice, and the calendar moves on."""
from datetime import timedelta

import pytest
from django.core.management import call_command
from django.utils import timezone

from monitoring.models import MonitoringYear, Reminder, ReportingPeriod
from mskoko.celery import app
from teachers import models as m

from .factories import MunicipalityFactory, SchoolFactory, UserFactory
from .worker_support import wait_for, worker  # noqa: F401

pytestmark = [pytest.mark.worker]


def test_reminders_go_once_through_a_real_worker(worker):  # noqa: F811
    if not m.Position.objects.exists():
        call_command("loaddata", "fixtures/reference.json", verbosity=0)
    today = timezone.localdate()
    municipality = MunicipalityFactory(name="Район")
    schools = [SchoolFactory(short_name=f"СОШ №{i}", municipality=municipality) for i in (1, 2)]
    for i, school in enumerate(schools):
        UserFactory(username=f"head{i}", role=m.Role.SCHOOL_HEAD, school=school, municipality=municipality,
                    email=f"head{i}@school.ru")
    year = MonitoringYear.objects.create(municipality=municipality, year=today.year)
    ReportingPeriod.objects.create(monitoring_year=year, quarter=1, start=today - timedelta(days=60),
                                   end=today - timedelta(days=2), deadline=today + timedelta(days=3))
    # The beat fires twice (say, two beat processes after a failover): both go to the worker.
    results = [app.send_task("monitoring.send_report_reminders", queue=worker.queue) for _ in range(2)]
    assert wait_for(lambda: all(r.ready() for r in results), timeout=60), worker.output()[-3000:]
    assert sorted(r.get(timeout=5) for r in results) == [0, 2]
    assert Reminder.objects.count() == 2
    assert sorted(Reminder.objects.values_list("recipients", flat=True)) == ["head0@school.ru", "head1@school.ru"]


def test_calendar_advances_through_a_real_worker(worker):  # noqa: F811
    from monitoring.calendar import create_year_with_defaults

    municipality = MunicipalityFactory(name="Район")
    today = timezone.localdate()
    my = create_year_with_defaults(municipality, today.year)
    ReportingPeriod.objects.filter(monitoring_year=my).update(state="planned")
    result = app.send_task("monitoring.advance_calendar", queue=worker.queue)
    assert wait_for(result.ready, timeout=60), worker.output()[-3000:]
    states = dict(ReportingPeriod.objects.filter(monitoring_year=my).values_list("quarter", "state"))
    expected = {p.quarter: p.state_on(today) for p in ReportingPeriod.objects.filter(monitoring_year=my)}
    assert states == expected and "planned" != states[1]
