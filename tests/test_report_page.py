"""The quarterly report page as the head uses it: one form whose «Отправить» keeps the explanations, no sending
before the quarter ends, the list opening on the report that needs action, periods newest-ended first."""
from datetime import date, timedelta

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from monitoring import school_reports as service
from monitoring.calendar import create_year_with_defaults
from monitoring.models import ReportingPeriod, SchoolReport

from .factories import SchoolFactory, make_teacher

NARRATIVE = {"problems": "Нет учителя физики", "measures": "Объявлен конкурс на вакансию",
             "requests": "Курсы для молодых педагогов"}


@pytest.fixture
def period(municipality):
    """1st quarter 2026: ended."""
    create_year_with_defaults(municipality, 2026)
    return ReportingPeriod.objects.get(monitoring_year__municipality=municipality, monitoring_year__year=2026, quarter=1)


@pytest.fixture
def running(municipality):
    """A quarter that has not ended yet (next year's first)."""
    year = create_year_with_defaults(municipality, timezone.localdate().year + 1)
    return year.periods.get(quarter=1)


def url(school, period):
    return reverse("school-report", args=[school.pk, period.pk])


def test_submit_from_the_form_keeps_the_explanations(client, school_a, period, head_a, methodologist):
    make_teacher(school_a, last_name="Учителева")
    client.force_login(head_a)
    response = client.post(url(school_a, period), {**NARRATIVE, "action": "submit"}, follow=True)
    assert "отправлен в методическую службу" in response.content.decode()
    report = SchoolReport.objects.get()
    assert report.status == "submitted"
    assert (report.problems, report.measures, report.requests) == tuple(NARRATIVE.values())
    assert list(report.transitions.values_list("action", flat=True)) == ["create", "edit", "submit"]
    service.transition(methodologist, report, "accept")
    page = client.get(url(school_a, period)).content.decode()
    assert "принят" in page and "Нет учителя физики" in page and "Курсы для молодых педагогов" in page
    report.refresh_from_db()
    assert report.status == "accepted" and report.problems == "Нет учителя физики"


def test_one_form_holds_the_explanations_and_both_buttons(client, school_a, period, head_a):
    client.force_login(head_a)
    page = client.get(url(school_a, period)).content.decode()
    form = page[page.index('data-testid="narrative"'):]
    form = form[:form.index("</form>")]
    assert 'name="problems"' in form and 'value="submit"' in form and 'value="save"' in form
    assert "data-warn-unsaved" in page and "unsaved-warning.js" in page


def test_save_draft_then_submit_without_changes_adds_no_edit_row(client, school_a, period, head_a):
    client.force_login(head_a)
    client.post(url(school_a, period), {**NARRATIVE, "action": "save"})
    report = SchoolReport.objects.get()
    assert report.status == "draft" and report.problems == "Нет учителя физики"
    client.post(url(school_a, period), {**NARRATIVE, "action": "submit"})
    report.refresh_from_db()
    assert report.status == "submitted"
    assert list(report.transitions.values_list("action", flat=True)) == ["create", "edit", "submit"]


def test_a_report_is_not_sent_before_its_quarter_ends(client, school_a, running, head_a):
    report = service.report_for(head_a, school_a, running)
    with pytest.raises(ValidationError, match="после окончания квартала"):
        service.transition(head_a, report, "submit")
    assert service.allowed_actions(head_a, report) == []
    client.force_login(head_a)
    page = client.get(url(school_a, running)).content.decode()
    assert 'value="submit"' not in page and 'data-testid="not-yet"' in page
    assert f"с {running.end + timedelta(days=1):%d.%m.%Y}" in page
    # Pressing «Отправить» anyway (a stale page): refused, and the text is kept in the draft.
    response = client.post(url(school_a, running), {**NARRATIVE, "action": "submit"}, follow=True)
    assert "после окончания квартала" in response.content.decode()
    report.refresh_from_db()
    assert report.status == "draft" and report.problems == "Нет учителя физики"
    action = reverse("school-report-action", args=[school_a.pk, running.pk])
    client.post(action, {"action": "submit"})
    report.refresh_from_db()
    assert report.status == "draft"


def test_the_submitted_text_cannot_be_changed_by_a_late_post(client, school_a, period, head_a):
    client.force_login(head_a)
    client.post(url(school_a, period), {**NARRATIVE, "action": "submit"})
    response = client.post(url(school_a, period), {**NARRATIVE, "problems": "переписано", "action": "save"},
                           follow=True)
    assert "Отчёт уже отправлен" in response.content.decode()
    assert SchoolReport.objects.get().problems == "Нет учителя физики"


def test_periods_are_listed_newest_ended_first_and_future_last(client, methodologist, municipality, period,
                                                               running):
    client.force_login(methodologist)
    response = client.get(reverse("school-report-list"))
    ended = response.context["ended_periods"]
    assert ended and all(p.end < timezone.localdate() for p in ended)
    assert [p.end for p in ended] == sorted((p.end for p in ended), reverse=True)
    assert all(p.end >= timezone.localdate() for p in response.context["running_periods"])
    # It opens on the last ended quarter.
    assert response.context["period"] == ended[0]
    page = response.content.decode()
    assert page.index("Завершившиеся кварталы") < page.index("Текущий и следующие")


def test_the_head_lands_on_the_returned_report(client, school_a, period, head_a, methodologist):
    report = service.transition(head_a, service.report_for(head_a, school_a, period), "submit")
    service.transition(methodologist, report, "return", "Дополните раздел о наставниках.")
    client.force_login(head_a)
    response = client.get(reverse("school-report-list"))
    assert response.context["period"] == period


def test_completeness_orders_school_numbers_naturally(methodologist, municipality, period):
    for name in ("СОШ № 10", "СОШ № 4", "СОШ № 1"):
        SchoolFactory(short_name=name, municipality=municipality)
    rows, _ = service.completeness(methodologist, period, today=date(2026, 4, 1))
    assert [r.school.short_name for r in rows] == ["СОШ № 1", "СОШ № 4", "СОШ № 10"]


def test_report_page_query_count_does_not_grow(client, school_a, period, head_a, django_assert_max_num_queries):
    """The report page: session, user, school, period, report, transitions and the content (a fixed number of
    queries per section) plus the engine's constant number — more teachers, same count."""
    client.force_login(head_a)
    for i in range(3):
        make_teacher(school_a, last_name=f"Учителева{i}")
    client.get(url(school_a, period))  # warm the reference caches
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as few:
        assert client.get(url(school_a, period)).status_code == 200
    for i in range(15):
        make_teacher(school_a, last_name=f"Новикова{i}")
    with django_assert_max_num_queries(len(few.captured_queries)):
        assert client.get(url(school_a, period)).status_code == 200
