"""The teachers' requests questionnaire: who may open it, the personal links, the public answer page (closed,
throttled, tampered, CSRF), the registry rows it writes and the one summary the pages and documents read."""
import logging
from datetime import date, timedelta

import pytest
from django.core.cache import cache
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.test import Client, override_settings
from django.urls import reverse
from django.utils import timezone

from teachers import models as m
from teachers import surveys

from .factories import AppointmentFactory, SchoolFactory, make_teacher

TODAY = timezone.localdate()


@pytest.fixture(autouse=True)
def _clear_cache():
    cache.clear()
    yield
    cache.clear()


def _open(user, school=None, **kw):
    params = {"title": "Запросы педагогов", "year": TODAY.year, "opens_on": TODAY, "closes_on": TODAY + timedelta(days=10)}
    params.update(kw)
    return surveys.open_survey(user, school=school, **params)


def _post(client, token, rows, **extra):
    data = {"r-TOTAL_FORMS": str(len(rows)), "r-INITIAL_FORMS": "0", "r-MIN_NUM_FORMS": "0", "r-MAX_NUM_FORMS": "5"}
    for i, row in enumerate(rows):
        for k, v in row.items():
            data[f"r-{i}-{k}"] = v
    data.update(extra)
    return client.post(reverse("survey-answer", args=[token]), data)


@pytest.fixture
def staff(school_a, school_b):
    """Two teachers at A, one at B, and one shared: main at A, external part-timer at B."""
    a1, a2 = make_teacher(school_a), make_teacher(school_a)
    b1 = make_teacher(school_b)
    shared = make_teacher(school_a)
    AppointmentFactory(teacher=shared, school=school_b, employment=m.Employment.EXTERNAL)
    gone = make_teacher(school_a, dismissed=TODAY - timedelta(days=30))
    return {"a1": a1, "a2": a2, "b1": b1, "shared": shared, "gone": gone}


# --- who may open for which school ---------------------------------------------------------------------------

def test_head_opens_for_own_school_only_and_invites_its_current_staff(head_a, school_a, school_b, staff):
    survey = _open(head_a, school_a)
    invited = set(survey.invitations.values_list("teacher_id", flat=True))
    assert invited == {staff["a1"].pk, staff["a2"].pk, staff["shared"].pk}  # not B's, not the dismissed
    with pytest.raises(PermissionDenied):
        _open(head_a, school_b)
    with pytest.raises(PermissionDenied):
        _open(head_a, None)  # the district-wide survey is the methodologist's
    assert m.RequestSurvey.objects.count() == 1


def test_viewer_and_other_district_may_not_open(viewer, school_a, school_far, methodologist, staff):
    with pytest.raises(PermissionDenied):
        _open(viewer, school_a)
    with pytest.raises(PermissionDenied):
        _open(methodologist, school_far)
    assert not m.RequestSurvey.objects.exists()


def test_district_survey_gives_a_shared_teacher_one_link_at_the_main_school(methodologist, school_a, staff):
    survey = _open(methodologist, None, municipality=methodologist.municipality)
    assert survey.invitations.count() == 4
    link = survey.invitations.get(teacher=staff["shared"])
    assert link.school == school_a  # main position at A, external at B
    assert surveys.invite_staff(methodologist, survey) == 0  # idempotent


def test_dates_are_checked(head_a, school_a):
    with pytest.raises(ValidationError):
        _open(head_a, school_a, closes_on=TODAY - timedelta(days=1), opens_on=TODAY - timedelta(days=5))
    with pytest.raises(ValidationError):
        _open(head_a, school_a, opens_on=TODAY + timedelta(days=5), closes_on=TODAY + timedelta(days=1))


def test_head_sees_links_of_own_people_only(client, head_a, head_b, methodologist, viewer, staff):
    survey = _open(methodologist, None, municipality=methodologist.municipality)
    assert {i.teacher_id for i in surveys.invitations_for(head_b, survey)} == {staff["b1"].pk}
    assert not surveys.invitations_for(viewer, survey).exists()
    client.force_login(viewer)
    page = client.get(reverse("survey-detail", args=[survey.pk])).content.decode()
    assert "/a/" not in page  # no links for the read-only role
    client.force_login(head_b)
    page = client.get(reverse("survey-detail", args=[survey.pk])).content.decode()
    assert staff["b1"].last_name in page and staff["a1"].last_name not in page


def test_open_through_the_page_and_download_links(client, head_a, school_a, staff):
    client.force_login(head_a)
    response = client.post(reverse("survey-create"), {
        "title": "Анкета 2026", "year": TODAY.year, "opens_on": TODAY.strftime("%d.%m.%Y"),
        "closes_on": (TODAY + timedelta(days=7)).strftime("%d.%m.%Y"), "school": school_a.pk})
    survey = m.RequestSurvey.objects.get()
    assert response.status_code == 302 and response.url == reverse("survey-detail", args=[survey.pk])
    xlsx = client.get(reverse("survey-links-xlsx", args=[survey.pk]))
    assert xlsx.status_code == 200 and xlsx["Content-Type"].startswith("application/vnd.openxml")
    assert m.ExportLog.objects.filter(user=head_a, rows=3).exists()


# --- the public answer page ------------------------------------------------------------------------------------

@pytest.fixture
def link(head_a, school_a, staff):
    survey = _open(head_a, school_a)
    return survey.invitations.get(teacher=staff["a1"])


def test_good_answer_creates_registry_rows(link):
    client = Client(enforce_csrf_checks=True)
    page = client.get(reverse("survey-answer", args=[link.token]))
    assert page.status_code == 200
    html = page.content.decode()
    assert link.survey.title in html and link.school.short_name in html
    assert link.teacher.last_name not in html  # no personal data on the public page
    assert "no-store" in page["Cache-Control"] and page["Referrer-Policy"] == "same-origin"
    area = m.DeficitArea.objects.first()
    response = _post(client, link.token, [
        {"topic": "  Функциональная   грамотность ", "format": "distance", "deficit_area": area.pk, "comment": ""},
        {"topic": "Работа с детьми с ОВЗ", "format": "in_person", "deficit_area": "", "comment": "по возможности"},
        {"topic": "", "format": "in_person", "deficit_area": "", "comment": ""},  # an empty row is skipped
    ], csrfmiddlewaretoken=client.cookies["csrftoken"].value)
    assert response.status_code == 200 and "Спасибо" in response.content.decode()
    rows = m.DevelopmentRequest.objects.filter(teacher=link.teacher).order_by("pk")
    assert [(r.topic, r.format, r.source, r.status, r.submitted_on) for r in rows] == [
        ("Функциональная грамотность", "distance", "survey", "new", TODAY),
        ("Работа с детьми с ОВЗ", "in_person", "survey", "new", TODAY)]
    link.refresh_from_db()
    assert link.answered_at is not None


def test_answer_again_replaces_new_requests_and_keeps_processed_ones(link):
    client = Client()
    _post(client, link.token, [{"topic": "Тема 1", "format": "in_person"}, {"topic": "Тема 2", "format": "mixed"}])
    taken = m.DevelopmentRequest.objects.get(topic="Тема 1")
    taken.status = m.DevelopmentRequest.Status.PLANNED
    taken.save()
    page = client.get(reverse("survey-answer", args=[link.token])).content.decode()
    assert "Тема 2" in page and "включён в план" in page
    _post(client, link.token, [{"topic": "Тема 3", "format": "distance"}])
    assert sorted(m.DevelopmentRequest.objects.values_list("topic", flat=True)) == ["Тема 1", "Тема 3"]


def test_shared_teacher_answers_once_per_survey(methodologist, staff):
    survey = _open(methodologist, None, municipality=methodologist.municipality)
    assert survey.invitations.filter(teacher=staff["shared"]).count() == 1
    with pytest.raises(IntegrityError), transaction.atomic():
        m.SurveyInvitation.objects.create(survey=survey, teacher=staff["shared"], school=staff["shared"]
                                          .appointments.last().school)


def test_csrf_is_enforced(link):
    client = Client(enforce_csrf_checks=True)
    response = _post(client, link.token, [{"topic": "Тема", "format": "in_person"}])
    assert response.status_code == 403
    assert not m.DevelopmentRequest.objects.exists()


def test_bad_input_is_refused_and_nothing_saved(link, staff):
    client = Client()
    foreign = {"topic": "Тема", "format": "in_person", "deficit_area": "999999"}
    response = _post(client, link.token, [foreign])
    assert response.status_code == 200 and "Выберите корректный вариант" in response.content.decode()
    response = _post(client, link.token, [{"topic": "Тема", "format": "by-pigeon"}])
    assert "Выберите корректный вариант" in response.content.decode()
    response = _post(client, link.token, [{"topic": "", "format": "in_person"}])
    assert "хотя бы один запрос" in response.content.decode()
    response = _post(client, link.token, [{"topic": "", "format": "in_person", "comment": "без темы"}])
    assert "Укажите направление" in response.content.decode()
    assert not m.DevelopmentRequest.objects.exists()
    # A teacher id slipped into the POST is ignored: the request belongs to the link's teacher.
    _post(client, link.token, [{"topic": "Тема", "format": "in_person", "teacher": staff["b1"].pk}],
          teacher=staff["b1"].pk)
    assert list(m.DevelopmentRequest.objects.values_list("teacher_id", flat=True)) == [link.teacher_id]


def test_closed_survey_answers_410_and_saves_nothing(link):
    survey = link.survey
    survey.opens_on, survey.closes_on = TODAY - timedelta(days=20), TODAY - timedelta(days=1)
    survey.save()
    client = Client()
    assert client.get(reverse("survey-answer", args=[link.token])).status_code == 410
    response = _post(client, link.token, [{"topic": "Тема", "format": "in_person"}])
    assert response.status_code == 410 and "Анкета закрыта" in response.content.decode()
    assert not m.DevelopmentRequest.objects.exists()
    with pytest.raises(ValidationError):
        surveys.save_answer(link, [{"topic": "Тема", "format": "in_person"}])


def test_last_day_is_still_open(link):
    assert link.survey.is_open(link.survey.closes_on)
    assert not link.survey.is_open(link.survey.closes_on + timedelta(days=1))


def test_unknown_or_tampered_token_is_404_in_russian_and_not_logged(link, caplog):
    client = Client()
    with caplog.at_level(logging.WARNING):
        for token in (link.token[:-1] + ("A" if link.token[-1] != "A" else "B"), "short", "x" * 300,
                      link.token + "'; drop"):
            response = client.get(reverse("survey-answer", args=[token]))
            assert response.status_code == 404
            assert "Ссылка на анкету не найдена" in response.content.decode()
        csrf = Client(enforce_csrf_checks=True)
        assert _post(csrf, link.token, [{"topic": "Тема", "format": "in_person"}]).status_code == 403
    assert "/a/…/" in caplog.text  # logged, without the token
    assert link.token not in caplog.text and link.token[:-1] not in caplog.text


@override_settings(SURVEY_THROTTLE={"token": (3, 600)})
def test_throttled_per_token(link):
    client = Client()
    url = reverse("survey-answer", args=[link.token])
    assert [client.get(url).status_code for _ in range(4)] == [200, 200, 200, 429]
    assert "Слишком много запросов" in client.get(url).content.decode()


@override_settings(SURVEY_THROTTLE={"ip": (5, 600)}, TRUSTED_PROXY_COUNT=1)
def test_throttled_per_client_address_behind_the_proxy(link):
    url = reverse("survey-answer", args=[link.token])
    one = Client(HTTP_X_FORWARDED_FOR="203.0.113.7")
    other = Client(HTTP_X_FORWARDED_FOR="203.0.113.8")
    assert [one.get(url).status_code for _ in range(6)][-1] == 429
    assert other.get(url).status_code == 200  # another client behind the same proxy is not blocked


@override_settings(SURVEY_THROTTLE={"miss": (3, 600)})
def test_guessing_tokens_is_throttled(link):
    client = Client()
    codes = [client.get(reverse("survey-answer", args=[f"guess{i:020d}"])).status_code for i in range(4)]
    assert codes == [404, 404, 404, 429]


# --- the summary -----------------------------------------------------------------------------------------------

def test_summary_per_school_cluster_and_district(methodologist, school_a, school_b, staff):
    """school_a is a gymnasium, school_b an МКШ; a third school of the gymnasium cluster has nothing."""
    SchoolFactory(municipality=school_a.municipality, cluster=school_a.cluster)
    survey = _open(methodologist, None, municipality=methodologist.municipality)
    links = {i.teacher_id: i for i in survey.invitations.all()}
    surveys.save_answer(links[staff["a1"].pk], [{"topic": "Функциональная грамотность", "format": "distance"},
                                                {"topic": "ОВЗ", "format": "in_person"}])
    surveys.save_answer(links[staff["b1"].pk], [{"topic": "функциональная  грамотность", "format": "mixed"}])
    surveys.save_answer(links[staff["shared"].pk], [{"topic": "ОВЗ", "format": "distance"}])
    # Entered by hand for the B teacher, outside the survey.
    m.DevelopmentRequest.objects.create(teacher=staff["b1"], year=TODAY.year, topic="ОВЗ",
                                        submitted_on=TODAY, format="distance")
    m.DevelopmentRequest.objects.create(teacher=staff["b1"], year=TODAY.year - 1, topic="Прошлый год",
                                        submitted_on=date(TODAY.year - 1, 3, 1))
    s = surveys.request_summary(school_a.municipality, TODAY.year)
    a, b = s.schools[school_a.pk], s.schools[school_b.pk]
    assert (a.invited, a.answered, a.requests, a.teacher_count) == (3, 2, 3, 2)  # the shared teacher counts at A
    assert (b.invited, b.answered, b.requests, b.teacher_count) == (1, 1, 2, 1)
    assert s.clusters[school_a.cluster_id].requests == 3 and s.clusters[school_b.cluster_id].requests == 2
    assert (s.district.requests, s.district.teacher_count, s.district.invited, s.district.answered) == (5, 3, 4, 3)
    assert s.district.topics == {"Функциональная грамотность": 2, "ОВЗ": 3}
    assert s.district.formats == {"дистанционно": 3, "очно": 1, "очно-заочно": 1}
    assert [r["label"] for r in s.rows("topics")] == ["ОВЗ", "Функциональная грамотность"]


def test_summary_page_head_sees_own_school_and_totals_without_names(client, head_b, methodologist, staff):
    survey = _open(methodologist, None, municipality=methodologist.municipality)
    link = survey.invitations.get(teacher=staff["a1"])
    client.force_login(head_b)
    url = reverse("request-summary") + f"?year={TODAY.year}"
    before = client.get(url)
    assert before.context["summary"].district.requests == 0
    surveys.save_answer(link, [{"topic": "Наставничество", "format": "in_person"}])
    page = client.get(url)
    html = page.content.decode()
    assert page.context["own"].requests == 0 and page.context["summary"].district.requests == 1
    assert "Наставничество" in html and staff["a1"].last_name not in html
    assert not page.context["school_rows"]  # the per-school table is for district roles
    client.force_login(methodologist)
    assert len(client.get(url).context["school_rows"]) == 2


@pytest.mark.parametrize("query", ["?year=abc", "?year=20255", "?municipality=-1"])
def test_summary_bad_parameters_are_400(client, methodologist, query):
    client.force_login(methodologist)
    assert client.get(reverse("request-summary") + query).status_code == 400


def test_school_report_and_briefing_carry_the_requests(head_a, school_a, staff, methodologist, monkeypatch):
    from monitoring.calendar import create_year_with_defaults
    from monitoring.school_reports import build_content

    survey = _open(head_a, school_a)
    surveys.save_answer(survey.invitations.get(teacher=staff["a1"]),
                        [{"topic": "Цифровая образовательная среда", "format": "distance"}])
    year = create_year_with_defaults(school_a.municipality, TODAY.year)
    period = year.periods.order_by("-quarter").first()
    content = build_content(school_a, period)
    assert content["requests"]["answered"] == 1 and content["requests"]["invited"] == 3
    assert content["requests"]["top_topics"] == [["Цифровая образовательная среда", 1]]

    from reports.documents import briefing, render

    monkeypatch.setattr(briefing, "document", lambda template, context, fmt: render.html(template, context))
    _name, text = briefing.build(methodologist, {"municipality": school_a.municipality_id, "year": TODAY.year},
                                 "pdf", lambda p: None)
    assert "Выявление запросов педагогов" in text and "Цифровая образовательная среда" in text


def test_summary_costs_the_same_queries_for_any_number_of_schools(django_assert_num_queries, methodologist,
                                                                   school_a, staff):
    survey = _open(methodologist, None, municipality=methodologist.municipality)
    surveys.save_answer(survey.invitations.first(), [{"topic": "Тема", "format": "in_person"}])
    # schools with their clusters; the year's requests with their school; invitations counted per school
    with django_assert_num_queries(3):
        surveys.request_summary(school_a.municipality, TODAY.year)
    for _ in range(3):
        make_teacher(SchoolFactory(municipality=school_a.municipality))
    with django_assert_num_queries(3):
        surveys.request_summary(school_a.municipality, TODAY.year)


def test_other_methods_are_405(link):
    assert Client().put(reverse("survey-answer", args=[link.token])).status_code == 405


def test_topic_suggestions_never_show_what_others_typed(link, staff):
    m.DevelopmentRequest.objects.create(teacher=staff["b1"], year=TODAY.year, topic="Личное: Петрова просит перевод",
                                        submitted_on=TODAY)
    html = Client().get(reverse("survey-answer", args=[link.token])).content.decode()
    assert "Петрова просит" not in html and surveys.TYPICAL_TOPICS[0] in html


@pytest.mark.parametrize("logger", ["django.request", "django.security.csrf", "django.server"])
def test_loggers_that_write_paths_leave_out_the_link_token(logger, caplog):
    """The link is a personal credential: the request, CSRF and runserver access logs write `/a/…/`."""
    log = logging.getLogger(logger)
    log.addHandler(caplog.handler)
    try:
        log.warning('"%s" %s', "POST /a/Zr8_secret-token/ HTTP/1.1", 403, extra={"server_time": "-"})
    finally:
        log.removeHandler(caplog.handler)
    assert "Zr8_secret-token" not in caplog.text
    assert "/a/…/" in caplog.text
