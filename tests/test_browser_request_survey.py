"""Issue 16 (part 2) in a real browser: the head opens the requests questionnaire from the home page and gets the
links; a teacher answers through a link without an account; the head sees the answer in the registry and the
summary number changes.

Clicks: head — menu «Развитие» → «Анкеты «Запросы педагогов»» → «Открыть анкету» → «Открыть и выдать ссылки»
(4 clicks; the form comes filled: title, year, dates, the head's school). Teacher — type the topic, choose the form
→ «Отправить ответ» (1 click). Head — «Сводка по темам» (1 click from the survey page), «Реестр запросов» (1 click).
"""
import pytest
from django.utils import timezone

from teachers import models as m

from .browser_support import login, page, reference_data  # noqa: F401
from .conftest import PASSWORD
from .factories import MunicipalityFactory, SchoolFactory, UserFactory, make_teacher

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_head_opens_survey_teacher_answers_head_sees_summary(page, live_server, reference_data):  # noqa: F811
    municipality = MunicipalityFactory(name="Район")
    school = SchoolFactory(short_name="СОШ № 1", municipality=municipality)
    teacher = make_teacher(school, last_name="Учителева")
    UserFactory(username="head", role=m.Role.SCHOOL_HEAD, school=school, municipality=municipality)

    login(page, live_server, "head", PASSWORD)
    page.click("nav .dropdown-toggle:has-text('Развитие')")
    page.click("a.dropdown-item[data-url-name=survey-list]")
    page.click("[data-testid=open-survey]")
    page.click("[data-testid=survey-create-submit]")
    page.wait_for_selector("[data-testid=survey-links]")
    assert "Учителева" in page.inner_text("[data-testid=survey-links]")
    link = page.inner_text("[data-testid=survey-link]").strip()

    page.click("[data-testid=to-summary]")
    assert page.inner_text("[data-testid=own-requests]").strip() == "0"

    teacher_page = page.context.browser.new_context(locale="ru-RU").new_page()
    teacher_page.goto(link)
    assert "Учителева" not in teacher_page.content()  # the public page names nobody
    teacher_page.fill("#id_r-0-topic", "Функциональная грамотность")
    teacher_page.select_option("#id_r-0-format", "distance")
    teacher_page.click("[data-testid=survey-submit]")
    teacher_page.wait_for_selector("[data-testid=survey-thanks]")

    page.reload()
    assert page.inner_text("[data-testid=own-requests]").strip() == "1"
    assert "Функциональная грамотность" in page.inner_text("[data-testid=by-topic]")
    page.click("[data-testid=to-registry]")
    page.wait_for_selector("td:has-text('Функциональная грамотность')")
    assert "анкета" in page.inner_text("main")
    request = m.DevelopmentRequest.objects.get()
    assert (request.teacher_id, request.source, request.submitted_on) == (teacher.pk, "survey", timezone.localdate())
