"""The home page as each role's to-do list, and the school's answer to an addressed recommendation."""
from datetime import date

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from monitoring import recommendations as answers
from monitoring import school_reports as service
from monitoring.calendar import create_year_with_defaults
from monitoring.models import Recommendation, RecommendationResponse, ReportingPeriod, SchoolReport
from reports.models import Job
from teachers import models as m

from .factories import SchoolFactory, UserFactory, make_teacher


@pytest.fixture
def calendar(municipality):
    """This year's and last year's calendars: some quarters ended, one running."""
    today = timezone.localdate()
    for year in (today.year - 1, today.year):
        create_year_with_defaults(municipality, year)
    return ReportingPeriod.objects.filter(monitoring_year__municipality=municipality)


def last_ended(calendar):
    return calendar.filter(end__lt=timezone.localdate()).order_by("-end").first()


def recommendation(municipality, schools=(), cluster=None, status="new", text="Закрепить наставников"):
    rec = Recommendation.objects.create(municipality=municipality, year=timezone.localdate().year, text=text,
                                        due=date(timezone.localdate().year, 12, 31), status=status, cluster=cluster)
    rec.schools.set(schools)
    return rec


# --- The school's answer to a recommendation -------------------------------------------------------------------

def test_the_addressed_head_answers_and_history_is_kept(school_a, head_a):
    rec = recommendation(school_a.municipality, [school_a])
    answers.respond(head_a, rec, "accepted", "Составлен план", date(2026, 11, 1))
    response = answers.respond(head_a, rec, "done", "Наставники закреплены приказом № 12", date(2026, 11, 20))
    assert RecommendationResponse.objects.count() == 1
    assert (response.status, response.note, response.on, response.answered_by) == (
        "done", "Наставники закреплены приказом № 12", date(2026, 11, 20), head_a)
    history = list(response.history.order_by("history_date").values_list("status", "history_user_id"))
    assert history == [("accepted", head_a.pk), ("done", head_a.pk)]


@pytest.mark.parametrize("who", ["head_b", "methodologist", "viewer", "admin_user"])
def test_nobody_else_answers_for_the_school(request, school_a, school_b, who):
    rec = recommendation(school_a.municipality, [school_a])
    with pytest.raises(PermissionDenied):
        answers.respond(request.getfixturevalue(who), rec, "accepted")
    assert not RecommendationResponse.objects.exists()


def test_a_cluster_recommendation_reaches_its_schools_and_a_cancelled_one_is_refused(school_a, head_a):
    rec = recommendation(school_a.municipality, cluster=school_a.cluster)
    assert list(rec.addressed_schools()) == [school_a]
    answers.respond(head_a, rec, "accepted")
    rec.status = Recommendation.Status.CANCELLED
    rec.save()
    with pytest.raises(ValidationError, match="отменена"):
        answers.respond(head_a, rec, "done")
    assert RecommendationResponse.objects.get().status == "accepted"


def test_respond_page_for_the_head_and_the_methodologist_sees_the_answers(client, school_a, school_b, head_a,
                                                                          head_b, methodologist):
    rec = recommendation(school_a.municipality, [school_a, school_b])
    url = reverse("recommendation-respond", args=[rec.pk])
    client.force_login(head_a)
    response = client.post(url, {"status": "accepted", "note": "План на декабрь", "on": "01.12.2026", "next": "/"})
    assert response.status_code == 302 and response.url == "/"
    assert RecommendationResponse.objects.get(school=school_a).note == "План на декабрь"
    # An off-site «next» is not followed.
    response = client.post(url, {"status": "done", "on": "02.12.2026", "next": "https://evil.example/"})
    assert response.url == reverse("recommendation-detail", args=[rec.pk])
    page = client.get(response.url).content.decode()
    assert 'data-testid="own-response"' in page and "выполнено" in page
    client.force_login(methodologist)
    assert client.post(url, {"status": "done"}).status_code == 403
    page = client.get(reverse("recommendation-detail", args=[rec.pk])).content.decode()
    table = page[page.index('data-testid="school-answers"'):]
    assert "выполнено" in table and "нет ответа" in table  # school B has not answered


# --- The home page ---------------------------------------------------------------------------------------------

def test_head_home_lists_the_report_to_send_the_returned_one_and_the_recommendations(client, calendar, school_a,
                                                                                     head_a, methodologist):
    periods = list(calendar.filter(end__lt=timezone.localdate()).order_by("-end"))
    returned = service.transition(head_a, service.report_for(head_a, school_a, periods[1]), "submit")
    service.transition(methodologist, returned, "return", "Уточните сведения о наставниках")
    rec = recommendation(school_a.municipality, [school_a])
    client.force_login(head_a)
    page = client.get("/").content.decode()
    assert "возвращён на доработку" in page and "Уточните сведения о наставниках" in page
    assert reverse("school-report", args=[school_a.pk, periods[1].pk]) in page
    send = page[page.index('data-testid="todo-send"'):]
    assert f"Отчёт за {periods[0]}" in send and reverse("school-report", args=[school_a.pk, periods[0].pk]) in send
    assert 'data-testid="todo-recommendation"' in page and reverse("recommendation-respond", args=[rec.pk]) in page
    answers.respond(head_a, rec, "done")
    page = client.get("/").content.decode()
    assert 'data-testid="todo-recommendation"' not in page


def test_the_current_quarter_links_to_its_report(client, calendar, school_a, head_a):
    current = calendar.filter(start__lte=timezone.localdate(), end__gte=timezone.localdate()).get()
    client.force_login(head_a)
    page = client.get("/").content.decode()
    item = page[page.index('data-testid="todo-current"'):]
    assert reverse("school-report", args=[school_a.pk, current.pk]) in item[:600]


def test_methodologist_home_counts_reports_to_review_and_overdue_schools(client, calendar, school_a, school_b,
                                                                         head_a, methodologist):
    period = last_ended(calendar)
    service.transition(head_a, service.report_for(head_a, school_a, period), "submit")
    client.force_login(methodologist)
    page = client.get("/").content.decode()
    review = page[page.index('data-testid="todo-review"'):]
    assert "<strong>1</strong> отчёт ждёт проверки" in review
    assert f"{reverse('school-report-list')}?period={period.pk}" in review
    if period.deadline < timezone.localdate():
        assert 'data-testid="todo-overdue"' in page


def test_ready_documents_are_on_the_home_page_of_their_owner_only(client, school_a, viewer, methodologist):
    job = Job.objects.create(owner=viewer, kind="vacancies", fmt="xlsx", title="База вакансий",
                             status=Job.Status.DONE, finished_at=timezone.now())
    client.force_login(viewer)
    page = client.get("/").content.decode()
    assert "База вакансий" in page and reverse("document-download", args=[job.pk]) in page
    assert reverse("dashboard-district") in page
    client.force_login(methodologist)
    assert "База вакансий" not in client.get("/").content.decode()


def test_admin_home_points_at_next_years_calendar(client, calendar, municipality, admin_user):
    from monitoring import worklist

    year = timezone.localdate().year
    autumn = worklist.for_district(admin_user, date(year, 10, 1), prepare_next_year=True)
    assert (autumn.next_year, autumn.years_missing) == (year + 1, [municipality.name])
    assert worklist.for_district(admin_user, date(year, 3, 1), prepare_next_year=True).years_missing == []
    create_year_with_defaults(municipality, year + 1)
    assert worklist.for_district(admin_user, date(year, 10, 1), prepare_next_year=True).years_missing == []
    if timezone.localdate().month >= worklist.PREPARE_FROM_MONTH:
        client.force_login(admin_user)
        page = client.get("/").content.decode()
        assert 'data-testid="todo-next-year"' not in page  # made above


def _grow(municipality, calendar, n, start):
    """n more schools, each with a head, a teacher, reports in several states and a recommendation."""
    periods = list(calendar.filter(end__lt=timezone.localdate()).order_by("-end")[:2])
    for i in range(start, start + n):
        school = SchoolFactory(short_name=f"ООШ № {i}", municipality=municipality)
        make_teacher(school)
        head = UserFactory(username=f"head{i}", role=m.Role.SCHOOL_HEAD, school=school, municipality=municipality)
        for period in periods:
            service.transition(head, service.report_for(head, school, period), "submit")
        recommendation(municipality, [school], text=f"Рекомендация {i}")


@pytest.mark.parametrize("who", ["head_a", "methodologist", "viewer", "admin_user"])
def test_home_query_count_does_not_grow_with_the_district(request, client, calendar, municipality, school_a, who):
    """Home: session, user, municipality; the calendar overview (year + 3 prefetches); ready documents (1); a head's
    work (school, last ended and current period, returned reports, last and current report, recommendations and
    the school's answers, the header's municipality: 9); a methodologist's (waiting per period, the passed period,
    the periods named, overdue count) — none of them per school, report or recommendation."""
    user = request.getfixturevalue(who)
    client.force_login(user)
    recommendation(municipality, [school_a])
    _grow(municipality, calendar, 2, 100)
    client.get("/")
    with CaptureQueriesContext(connection) as small:
        assert client.get("/").status_code == 200
    _grow(municipality, calendar, 6, 200)
    with CaptureQueriesContext(connection) as large:
        assert client.get("/").status_code == 200
    assert len(large.captured_queries) == len(small.captured_queries)
    assert len(small.captured_queries) <= 18


def test_report_list_query_count_does_not_grow_with_reports(client, calendar, municipality, methodologist):
    client.force_login(methodologist)
    _grow(municipality, calendar, 2, 100)
    with CaptureQueriesContext(connection) as small:
        assert client.get(reverse("school-report-list")).status_code == 200
    _grow(municipality, calendar, 6, 200)
    with CaptureQueriesContext(connection) as large:
        assert client.get(reverse("school-report-list")).status_code == 200
    assert len(large.captured_queries) == len(small.captured_queries)
    assert SchoolReport.objects.count() == 16


def test_a_closed_year_keeps_its_answers_and_reports(client, school_a, head_a, municipality):
    from indicators.models import YearClosure

    year = timezone.localdate().year - 1
    create_year_with_defaults(municipality, year)
    rec = Recommendation.objects.create(municipality=municipality, year=year, text="Прошлогодняя", status="new")
    rec.schools.set([school_a])
    period = ReportingPeriod.objects.get(monitoring_year__municipality=municipality, monitoring_year__year=year,
                                         quarter=4)
    YearClosure.objects.create(municipality=municipality, year=year)
    with pytest.raises(ValidationError, match="закрыт"):
        answers.respond(head_a, rec, "done")
    client.force_login(head_a)
    page = client.get(reverse("school-report", args=[school_a.pk, period.pk])).content.decode()
    assert 'data-testid="closed-year"' in page and 'value="submit"' not in page
    response = client.post(reverse("school-report", args=[school_a.pk, period.pk]), {"problems": "x"}, follow=True)
    assert "закрыт" in response.content.decode()
    assert not SchoolReport.objects.filter(problems="x").exists()
    action = reverse("school-report-action", args=[school_a.pk, period.pk])
    response = client.post(action, {"action": "submit"}, follow=True)
    assert response.status_code == 200 and "закрыт" in response.content.decode()
