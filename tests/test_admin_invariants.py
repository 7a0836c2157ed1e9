"""The admin keeps the rules the pages keep: derived flags and states are computed, a school report moves only
through the workflow (with a history row), audit logs cannot be added, changed or deleted — superuser included."""
import os
from datetime import timedelta

import pytest
from django.core.files.base import ContentFile
from django.utils import timezone

from monitoring import school_reports as workflow
from monitoring.calendar import create_year_with_defaults
from monitoring.models import Reminder, ReportingPeriod, SchoolReport, Stage, Transition
from reports.models import Job
from teachers import models as m

from .factories import CampaignFactory, make_teacher


@pytest.fixture
def admin_client(client, admin_user):
    client.force_login(admin_user)
    return client


@pytest.fixture
def result(school_a):
    teacher = make_teacher(school_a)
    campaign = CampaignFactory(municipality=school_a.municipality)
    return m.DiagnosticResult.objects.create(campaign=campaign, teacher=teacher)


def result_form(result, areas, **extra):
    return {"campaign": result.campaign_id, "teacher": result.teacher_id, "score": "", "comment": "",
            "deficit_areas": [a.pk for a in areas], **extra}


# --- DiagnosticResult.has_deficits --------------------------------------------------------------------------------

def test_it_clears_the_flag_when_the_admin_removes_every_deficit_area(admin_client, result):
    result.deficit_areas.add(m.DeficitArea.objects.first())
    result.refresh_from_db()
    assert result.has_deficits
    response = admin_client.post(f"/admin/teachers/diagnosticresult/{result.pk}/change/",
                                 result_form(result, [], has_deficits="on"))
    assert response.status_code == 302
    result.refresh_from_db()
    assert not result.deficit_areas.exists() and result.has_deficits is False


def test_it_sets_the_flag_when_the_admin_adds_a_deficit_area(admin_client, result):
    area = m.DeficitArea.objects.first()
    response = admin_client.post(f"/admin/teachers/diagnosticresult/{result.pk}/change/", result_form(result, [area]))
    assert response.status_code == 302
    result.refresh_from_db()
    assert result.has_deficits is True


def test_a_result_added_in_the_admin_gets_its_flag_from_its_areas(admin_client, school_a):
    teacher = make_teacher(school_a)
    campaign = CampaignFactory(municipality=school_a.municipality)
    new = m.DiagnosticResult(campaign=campaign, teacher=teacher)
    response = admin_client.post("/admin/teachers/diagnosticresult/add/",
                                 result_form(new, [m.DeficitArea.objects.first()]))
    assert response.status_code == 302
    assert m.DiagnosticResult.objects.get(teacher=teacher).has_deficits is True
    other = make_teacher(school_a)
    admin_client.post("/admin/teachers/diagnosticresult/add/",
                      result_form(m.DiagnosticResult(campaign=campaign, teacher=other), [], has_deficits="on"))
    assert m.DiagnosticResult.objects.get(teacher=other).has_deficits is False


def test_the_flag_follows_the_areas_on_every_orm_path(result):
    area, other = m.DeficitArea.objects.all()[:2]
    flag = lambda: m.DiagnosticResult.objects.get(pk=result.pk).has_deficits  # noqa: E731
    result.has_deficits = True
    result.save()
    assert flag() is False  # typed in without areas: not kept
    result.deficit_areas.set([area, other])
    assert flag() is True
    result.deficit_areas.remove(area, other)
    assert flag() is False
    result.deficit_areas.add(other)
    assert flag() is True
    result.deficit_areas.clear()
    assert flag() is False
    lone = m.DeficitArea.objects.create(name="временная", code="temporary")
    result.deficit_areas.add(lone)
    lone.delete()  # takes its link rows with it, without m2m signals
    assert flag() is False
    assert m.DiagnosticResult.objects.create(campaign=result.campaign, teacher=make_teacher(
        m.School.objects.first()), has_deficits=True).has_deficits is False


# --- School reports -----------------------------------------------------------------------------------------------

@pytest.fixture
def period(municipality):
    create_year_with_defaults(municipality, 2026)
    return ReportingPeriod.objects.get(monitoring_year__municipality=municipality, monitoring_year__year=2026,
                                       quarter=1)


def report_form(report, **fields):
    data = {"problems": report.problems, "measures": report.measures, "requests": report.requests,
            "transitions-TOTAL_FORMS": "0", "transitions-INITIAL_FORMS": "0",
            "transitions-MIN_NUM_FORMS": "0", "transitions-MAX_NUM_FORMS": "1000"}
    data.update(fields)
    return data


def test_a_reports_status_cannot_be_changed_in_the_change_form(admin_client, school_a, period):
    report = SchoolReport.objects.create(school=school_a, period=period)
    page = admin_client.get(f"/admin/monitoring/schoolreport/{report.pk}/change/").content.decode()
    assert 'name="problems"' in page and 'name="status"' not in page
    response = admin_client.post(f"/admin/monitoring/schoolreport/{report.pk}/change/",
                                 report_form(report, status="accepted", content='{"x": 1}', problems="Нет кадров"))
    assert response.status_code == 302
    report.refresh_from_db()
    assert report.status == SchoolReport.Status.DRAFT and report.content == {}
    assert report.problems == "Нет кадров"  # the draft's narrative stays editable
    assert not Transition.objects.filter(report=report).exists()


def test_a_submitted_reports_narrative_is_frozen_in_the_admin(admin_client, school_a, period, head_a):
    report = workflow.report_for(head_a, school_a, period)
    workflow.transition(head_a, report, "submit")
    report.transitions.all().delete()  # the inline's management form then needs no rows
    admin_client.post(f"/admin/monitoring/schoolreport/{report.pk}/change/", report_form(report, problems="Другое"))
    report.refresh_from_db()
    assert report.problems == "" and report.status == SchoolReport.Status.SUBMITTED


def test_reports_are_not_added_or_deleted_in_the_admin(admin_client, school_a, period):
    report = SchoolReport.objects.create(school=school_a, period=period)
    assert admin_client.get("/admin/monitoring/schoolreport/add/").status_code == 403
    assert admin_client.post(f"/admin/monitoring/schoolreport/{report.pk}/delete/", {"post": "yes"}).status_code == 403
    assert SchoolReport.objects.filter(pk=report.pk).exists()


def test_the_admin_accepts_through_the_workflow(admin_client, admin_user, school_a, school_b, period, head_a):
    submitted = workflow.report_for(head_a, school_a, period)
    workflow.transition(head_a, submitted, "submit")
    draft = SchoolReport.objects.create(school=school_b, period=period)
    response = admin_client.post("/admin/monitoring/schoolreport/", {
        "action": "accept", "_selected_action": [submitted.pk, draft.pk]}, follow=True)
    assert response.status_code == 200
    submitted.refresh_from_db()
    draft.refresh_from_db()
    assert submitted.status == SchoolReport.Status.ACCEPTED and submitted.decided_by == admin_user
    assert draft.status == SchoolReport.Status.DRAFT  # not submitted: the workflow refuses, the admin says why
    assert "недоступно" in response.content.decode()
    last = submitted.transitions.last()
    assert (last.action, last.from_status, last.to_status, last.user) == ("accept", "submitted", "accepted", admin_user)


def test_the_admin_returns_with_a_comment_through_the_workflow(admin_client, admin_user, school_a, period, head_a):
    report = workflow.report_for(head_a, school_a, period)
    workflow.transition(head_a, report, "submit")
    url = "/admin/monitoring/schoolreport/"
    page = admin_client.post(url, {"action": "return_for_rework", "_selected_action": [report.pk]})
    assert page.status_code == 200 and "Что нужно доработать" in page.content.decode()
    report.refresh_from_db()
    assert report.status == SchoolReport.Status.SUBMITTED
    admin_client.post(url, {"action": "return_for_rework", "_selected_action": [report.pk], "apply": "1",
                            "comment": "Заполните раздел о наставниках"})
    report.refresh_from_db()
    assert report.status == SchoolReport.Status.RETURNED
    assert report.return_comment == "Заполните раздел о наставниках"
    last = report.transitions.last()
    assert (last.action, last.user, last.comment) == ("return", admin_user, "Заполните раздел о наставниках")


# --- Calendar states ----------------------------------------------------------------------------------------------

def test_a_stages_state_follows_its_dates_not_the_form(admin_client, period):
    stage = Stage.objects.filter(monitoring_year=period.monitoring_year).first()
    page = admin_client.get(f"/admin/monitoring/monitoringyear/{stage.monitoring_year_id}/change/").content.decode()
    assert 'name="stages-0-start"' in page and 'name="stages-0-state"' not in page
    today = timezone.localdate()
    start, end = today - timedelta(days=20), today - timedelta(days=10)
    response = admin_client.post(f"/admin/monitoring/stage/{stage.pk}/change/", {
        "monitoring_year": stage.monitoring_year_id, "kind": stage.kind, "tasks": stage.tasks,
        "start": f"{start:%d.%m.%Y}", "end": f"{end:%d.%m.%Y}", "state": "active"})
    assert response.status_code == 302
    stage.refresh_from_db()
    assert (stage.start, stage.end, stage.state) == (start, end, "closed")


# --- Audit logs and jobs ------------------------------------------------------------------------------------------

@pytest.mark.parametrize("model", ["exportlog", "accesslog", "importlog", "reminder"])
def test_audit_logs_are_read_only_for_a_superuser(admin_client, admin_user, school_a, period, model):
    teacher = make_teacher(school_a)
    row = {
        "exportlog": lambda: m.ExportLog.objects.create(user=admin_user, what="педагоги", rows=3),
        "accesslog": lambda: m.AccessLog.objects.create(user=admin_user, teacher=teacher, path="/teachers/1/"),
        "importlog": lambda: m.ImportLog.objects.create(user=admin_user, school=school_a, school_name="СОШ №1",
                                                        file_name="штат.xlsx", rows=1),
        "reminder": lambda: Reminder.objects.create(school=school_a, period=period, kind="late"),
    }[model]()
    app = "monitoring" if model == "reminder" else "teachers"
    base = f"/admin/{app}/{model}/"
    assert admin_client.get(base).status_code == 200
    assert admin_client.get(f"{base}{row.pk}/change/").status_code == 200  # view only
    assert admin_client.get(f"{base}add/").status_code == 403
    assert admin_client.post(f"{base}{row.pk}/delete/", {"post": "yes"}).status_code == 403
    admin_client.post(base, {"action": "delete_selected", "_selected_action": [row.pk], "post": "yes"})
    assert type(row).objects.filter(pk=row.pk).exists()


def test_jobs_are_not_edited_in_the_admin_and_go_with_their_files(admin_client, methodologist):
    running = Job.objects.create(owner=methodologist, kind="vacancies", fmt="xlsx", title="a", status="running")
    done = Job.objects.create(owner=methodologist, kind="vacancies", fmt="xlsx", title="b", status="done")
    done.file.save("b.xlsx", ContentFile(b"xlsx"), save=True)
    path = done.file.path
    assert admin_client.get("/admin/reports/job/add/").status_code == 403
    assert admin_client.post(f"/admin/reports/job/{running.pk}/change/", {"status": "done"}).status_code == 403
    assert admin_client.post(f"/admin/reports/job/{running.pk}/delete/", {"post": "yes"}).status_code == 403
    assert admin_client.post(f"/admin/reports/job/{done.pk}/delete/", {"post": "yes"}).status_code == 302
    assert not Job.objects.filter(pk=done.pk).exists() and Job.objects.filter(pk=running.pk).exists()
    assert not os.path.exists(path)
