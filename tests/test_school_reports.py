"""Quarterly school reports: content, warnings, every transition and who may make it, frozen values, completeness,
reminders sent once."""
from datetime import date, timedelta

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from monitoring import school_reports as service
from monitoring.calendar import create_year_with_defaults
from monitoring.models import Reminder, ReportingPeriod, SchoolReport, Transition
from teachers import models as m

from .factories import CampaignFactory, make_teacher


@pytest.fixture
def period(municipality):
    create_year_with_defaults(municipality, 2026)
    return ReportingPeriod.objects.get(monitoring_year__municipality=municipality, monitoring_year__year=2026, quarter=1)


@pytest.fixture
def staffed(school_a):
    """School A on 31.03.2026: a veteran, a young specialist without a mentor, one hired and one dismissed in Q1."""
    veteran = make_teacher(school_a, last_name="Старова", hired=date(2000, 9, 1), ped_experience_start=date(2000, 9, 1))
    young = make_teacher(school_a, last_name="Новикова", hired=date(2025, 9, 1), ped_experience_start=date(2025, 9, 1))
    hired = make_teacher(school_a, last_name="Принятова", hired=date(2026, 2, 1), ped_experience_start=date(2010, 9, 1))
    left = make_teacher(school_a, last_name="Ушедшая", hired=date(2010, 9, 1), dismissed=date(2026, 3, 10),
                        ped_experience_start=date(2010, 9, 1))
    return {"veteran": veteran, "young": young, "hired": hired, "left": left}


def names(rows, field="name"):
    return sorted(r[field].split()[0] for r in rows)


def test_content_is_built_from_the_records_as_of_the_period_end(school_a, period, staffed):
    m.Vacancy.objects.create(school=school_a, position=m.Position.objects.first(), opened=date(2024, 9, 1))
    route = m.IndividualRoute.objects.create(teacher=staffed["veteran"], year=2026, approved_on=date(2026, 2, 1))
    content = service.build_content(school_a, period)
    s = content["sections"]
    assert names(s["staff"]) == ["Новикова", "Принятова", "Старова"]  # the dismissed one left before 31.03
    assert names(s["hired"]) == ["Принятова"]
    assert names(s["left"]) == ["Ушедшая"]
    assert len(s["vacancies"]) == 1 and s["vacancies"][0]["stale"]
    assert [r["key"] for r in s["routes"]] == [f"r{route.pk}"]
    kinds = sorted(w["kind"] for w in content["warnings"])
    assert kinds == ["route_without_diagnostics", "stale_vacancy", "young_without_mentor"]
    k1 = next(r for r in content["indicators"] if r["code"] == "K1")
    assert k1["value"] == "3"


def test_warnings_go_away_when_the_records_are_complete(school_a, period, staffed):
    m.Mentorship.objects.create(mentor=staffed["veteran"], mentee=staffed["young"], level="school",
                                start=date(2025, 9, 1))
    campaign = CampaignFactory(municipality=school_a.municipality, start_date=date(2026, 1, 10),
                               end_date=date(2026, 1, 20))
    result = m.DiagnosticResult.objects.create(campaign=campaign, teacher=staffed["veteran"])
    result.deficit_areas.add(m.DeficitArea.objects.first())
    m.IndividualRoute.objects.create(teacher=staffed["veteran"], year=2026, approved_on=date(2026, 2, 1))
    content = service.build_content(school_a, period)
    assert content["warnings"] == []
    assert len(content["sections"]["diagnostics"]) == 1


def test_share_over_100_is_a_warning():
    content = {"sections": {k: [] for k, _ in service.SECTIONS},
               "indicators": [{"code": "D1", "name": "x", "unit": "%", "value": "112.5", "display": "112,5 %"}]}
    assert [w["kind"] for w in service.warnings(content)] == ["share_over_100"]


def report(school, period, user):
    return service.report_for(user, school, period)


def test_the_whole_workflow_with_history(school_a, period, staffed, head_a, methodologist):
    r = report(school_a, period, head_a)
    assert r.status == "draft"
    r = service.transition(head_a, r, "submit")
    assert r.status == "submitted" and r.submitted_by == head_a and r.content["sections"]["staff"]
    with pytest.raises(ValidationError, match="комментарий обязателен"):
        service.transition(methodologist, r, "return", "  ")
    assert SchoolReport.objects.get(pk=r.pk).status == "submitted"
    r = service.transition(methodologist, r, "return", "Дополните раздел о наставниках.")
    assert r.status == "returned" and r.return_comment == "Дополните раздел о наставниках."
    r = service.transition(head_a, r, "submit")
    r = service.transition(methodologist, r, "accept")
    assert r.status == "accepted" and r.decided_by == methodologist
    steps = list(Transition.objects.filter(report=r).values_list("action", "from_status", "to_status"))
    assert steps == [("create", "draft", "draft"), ("submit", "draft", "submitted"),
                     ("return", "submitted", "returned"), ("submit", "returned", "submitted"),
                     ("accept", "submitted", "accepted")]


@pytest.mark.parametrize("who, action, status, error", [
    ("head_a", "accept", "submitted", PermissionDenied),  # a head never accepts their own
    ("head_a", "return", "submitted", PermissionDenied),
    ("viewer", "submit", "draft", PermissionDenied),
    ("viewer", "accept", "submitted", PermissionDenied),
    ("head_b", "submit", "draft", PermissionDenied),  # another school's head
    ("methodologist", "accept", "draft", ValidationError),  # not yet submitted
    ("methodologist", "accept", "accepted", ValidationError),
    ("head_a", "submit", "accepted", ValidationError),  # accepted is final
    ("head_a", "submit", "submitted", ValidationError),
    ("methodologist", "frobnicate", "submitted", ValidationError),
])
def test_refused_transitions_change_nothing(personas, school_a, period, who, action, status, error):
    r = report(school_a, period, personas["head_a"])
    SchoolReport.objects.filter(pk=r.pk).update(status=status)
    r.refresh_from_db()
    before = Transition.objects.count()
    with pytest.raises(error):
        service.transition(personas[who], r, action, "комментарий")
    r.refresh_from_db()
    assert r.status == status and Transition.objects.count() == before


def test_accepted_values_are_frozen_and_changes_counted(school_a, period, staffed, head_a, methodologist):
    r = service.transition(head_a, report(school_a, period, head_a), "submit")
    r = service.transition(methodologist, r, "accept")
    frozen = r.content
    assert service.changes_since(r) == 0
    # Later edits to the records: a new teacher hired in the period, another's category changed.
    make_teacher(school_a, last_name="Поздняя", hired=date(2026, 3, 1))
    staffed["veteran"].category = m.QualificationCategory.objects.first()
    staffed["veteran"].save()
    r.refresh_from_db()
    assert r.content == frozen
    assert names(r.content["sections"]["staff"]) == ["Новикова", "Принятова", "Старова"]
    assert service.changes_since(r) == 3  # staff row added, staff row changed, "hired" row added


def test_report_page_for_each_role(client, personas, school_a, school_b, period, staffed):
    url = reverse("school-report", args=[school_a.pk, period.pk])
    client.force_login(personas["head_b"])
    assert client.get(url).status_code == 404
    client.force_login(personas["viewer"])
    page = client.get(url)
    assert page.status_code == 200 and "Старова" in page.content.decode() and 'data-action=' not in page.content.decode()
    assert client.post(url, {"problems": "x"}).status_code == 403
    assert not SchoolReport.objects.exists()
    client.force_login(personas["head_a"])
    assert client.post(url, {"problems": "Нет учителя физики", "measures": "", "requests": ""}).status_code == 302
    assert SchoolReport.objects.get().problems == "Нет учителя физики"
    action = reverse("school-report-action", args=[school_a.pk, period.pk])
    assert client.post(action, {"action": "accept"}).status_code == 403
    client.post(action, {"action": "submit"})
    assert SchoolReport.objects.get().status == "submitted"
    # Submitted: the narrative is locked.
    client.post(url, {"problems": "переписано", "measures": "", "requests": ""})
    assert SchoolReport.objects.get().problems == "Нет учителя физики"
    client.force_login(personas["methodologist"])
    response = client.post(action, {"action": "return", "comment": ""}, follow=True)
    assert "комментарий обязателен" in response.content.decode()
    client.post(action, {"action": "return", "comment": "Уточните вакансии"})
    client.force_login(personas["head_a"])
    page = client.get(url).content.decode()
    assert "Уточните вакансии" in page and 'data-action="submit"' in page
    # A period of another municipality is not this school's.
    other = ReportingPeriod.objects.exclude(monitoring_year__municipality=school_a.municipality).first()
    if other:
        assert client.get(reverse("school-report", args=[school_a.pk, other.pk])).status_code == 404


def test_completeness_and_timeliness(school_a, school_b, period, head_a, head_b, methodologist):
    on_time = service.transition(head_a, report(school_a, period, head_a), "submit")
    late_day = period.deadline + timedelta(days=3)
    rows, summary = service.completeness(methodologist, period, today=late_day)
    by_school = {r.school: r for r in rows}
    assert by_school[school_a].state == "submitted"
    assert by_school[school_b].state == "not_started" and by_school[school_b].overdue
    SchoolReport.objects.filter(pk=on_time.pk).update(submitted_at=on_time.submitted_at.replace(
        year=late_day.year, month=late_day.month, day=late_day.day))
    rows, summary = service.completeness(methodologist, period, today=late_day)
    assert summary == {"total": 2, "submitted": 1, "accepted": 0, "returned": 0, "late": 1, "overdue": 1,
                       "not_started": 1}
    # A head sees only their own school's row.
    rows, _ = service.completeness(head_b, period, today=late_day)
    assert [r.school for r in rows] == [school_b]


def test_reminders_are_sent_once_per_school_period_and_kind(school_a, school_b, period, head_a, head_b):
    m.User.objects.filter(pk=head_a.pk).update(email="a@school.ru")
    m.User.objects.filter(pk=head_b.pk).update(email="b@school.ru")
    service.transition(head_b, report(school_b, period, head_b), "submit")
    before = period.deadline - timedelta(days=2)
    assert service.send_reminders(before) == 1
    assert service.send_reminders(before) == 0  # the task running twice sends nothing more
    assert len(mail.outbox) == 1 and mail.outbox[0].to == ["a@school.ru"]
    assert "до " + period.deadline.strftime("%d.%m.%Y") in mail.outbox[0].body
    after = period.deadline + timedelta(days=1)
    assert service.send_reminders(after) == 1
    assert service.send_reminders(after) == 0
    assert len(mail.outbox) == 2 and "истёк" in mail.outbox[1].body
    assert Reminder.objects.count() == 2
    # Too early: nothing.
    assert service.send_reminders(period.deadline - timedelta(days=30)) == 0


def test_reminder_task_is_scheduled(settings):
    assert any(e["task"] == "monitoring.send_report_reminders" for e in settings.CELERY_BEAT_SCHEDULE.values())


def test_report_list_page_query_count_does_not_grow(client, methodologist, municipality, period,
                                                     django_assert_max_num_queries):
    from .factories import SchoolFactory

    client.force_login(methodologist)
    for i in range(3):
        SchoolFactory(short_name=f"ООШ №{i + 40}", municipality=municipality)
    with django_assert_max_num_queries(12):
        assert client.get(reverse("school-report-list")).status_code == 200
    for i in range(10):
        SchoolFactory(short_name=f"ООШ №{i + 60}", municipality=municipality)
    with django_assert_max_num_queries(12):
        assert client.get(reverse("school-report-list")).status_code == 200
