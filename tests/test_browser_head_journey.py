"""Issue 14 in a real browser: the head's daily journeys from the home page, with the clicks they take.

1. Report: home → «Заполнить и отправить» → type the explanations → «Отправить» (2 clicks); the methodologist
   sees it on their home page → «Проверить» → the school → «Принять» (3 clicks); the head finds it accepted with
   the text (menu «Мониторинг» → «Отчёты ОО» → the school: 3 clicks).
2. Recommendation: home → type a note → «Принято к исполнению» (1 click) → later «Выполнено» (1 click).
3. Unsaved explanations: leaving the page asks first (beforeunload).
"""
import os
from datetime import timedelta

import pytest
from django.utils import timezone

from monitoring.calendar import create_year_with_defaults
from monitoring.models import Recommendation, RecommendationResponse, ReportingPeriod, SchoolReport
from teachers import models as m

from .browser_support import login, page, reference_data  # noqa: F401
from .conftest import PASSWORD
from .factories import MunicipalityFactory, SchoolFactory, UserFactory, make_teacher

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SHOTS = "var/screenshots"


def logout(page):
    page.click("nav form button:has-text('Выйти')")


def shot(page, name):
    os.makedirs(SHOTS, exist_ok=True)
    page.screenshot(path=f"{SHOTS}/{name}.png", full_page=True)


@pytest.fixture
def district(reference_data):  # noqa: F811
    municipality = MunicipalityFactory(name="Район")
    school = SchoolFactory(short_name="СОШ № 1", municipality=municipality)
    make_teacher(school, last_name="Учителева")
    today = timezone.localdate()
    for year in (today.year - 1, today.year):
        create_year_with_defaults(municipality, year)
    head = UserFactory(username="head", role=m.Role.SCHOOL_HEAD, school=school, municipality=municipality,
                       first_name="Ирина")
    metod = UserFactory(username="metod", role=m.Role.METHODOLOGIST, municipality=municipality, first_name="Юлия")
    period = ReportingPeriod.objects.filter(end__lt=today).order_by("-end").first()
    return {"municipality": municipality, "school": school, "head": head, "metod": metod, "period": period}


class Clicks:
    """Counts the user's clicks of a journey (typing is not a click)."""

    def __init__(self, page):
        self.page, self.n = page, 0

    def __call__(self, selector):
        self.page.click(selector)
        self.n += 1


def test_head_sends_the_report_from_home_and_it_is_accepted_with_the_text(page, live_server, district):  # noqa: F811
    school, period = district["school"], district["period"]
    login(page, live_server, "head", PASSWORD)
    click = Clicks(page)
    click("[data-testid=todo-send] [data-testid=open-report]")
    assert f"Отчёт {school.short_name} за {period}" in page.inner_text("h1")
    page.fill("textarea[name=problems]", "Нет учителя физики")
    page.fill("textarea[name=measures]", "Объявлен конкурс на вакансию")
    click("button[data-action=submit]")  # straight away, without saving a draft first
    assert page.inner_text("[data-testid=status]") == "отправлен"
    assert "Нет учителя физики" in page.inner_text("[data-testid=narrative-text]")
    assert click.n == 2
    logout(page)

    login(page, live_server, "metod", PASSWORD)
    review = page.inner_text("[data-testid=todo-review]")
    assert "1 отчёт ждёт проверки" in review and str(period) in review
    shot(page, "home-methodologist")
    click = Clicks(page)
    click("[data-testid=todo-review] a:has-text('Проверить')")
    click(f"[data-testid=completeness] a:has-text('{school.short_name}')")
    assert "Объявлен конкурс на вакансию" in page.inner_text("[data-testid=narrative-text]")
    click("button[data-action=accept]")
    assert page.inner_text("[data-testid=status]") == "принят"
    assert click.n == 3
    logout(page)

    login(page, live_server, "head", PASSWORD)
    click = Clicks(page)
    click("nav a.dropdown-toggle:has-text('Мониторинг')")
    click("nav a[data-url-name=school-report-list]")
    click(f"[data-testid=completeness] a:has-text('{school.short_name}')")
    assert page.inner_text("[data-testid=status]") == "принят"
    text = page.inner_text("[data-testid=narrative-text]")
    assert "Нет учителя физики" in text and "Объявлен конкурс на вакансию" in text
    assert click.n == 3
    shot(page, "report-accepted")
    report = SchoolReport.objects.get()
    assert report.status == "accepted" and report.problems == "Нет учителя физики"


def test_head_answers_a_recommendation_from_home(page, live_server, district):  # noqa: F811
    school = district["school"]
    rec = Recommendation.objects.create(municipality=district["municipality"], year=timezone.localdate().year,
                                        text="Закрепить муниципальных наставников за молодыми специалистами",
                                        due=timezone.localdate() + timedelta(days=20))
    rec.schools.set([school])
    login(page, live_server, "head", PASSWORD)
    shot(page, "home-head")
    item = "[data-testid=todo-recommendation]"
    assert "Закрепить муниципальных наставников" in page.inner_text(item)
    click = Clicks(page)
    page.fill(f"{item} input[name=note]", "Наставники подобраны, приказ готовится")
    click(f"{item} button[data-answer=accepted]")
    assert "Рекомендация отмечена: принято к исполнению." in page.inner_text("main")
    in_work = page.inner_text("[data-testid=todo-recommendation-in-work]")
    assert "принято к исполнению" in in_work
    page.fill("[data-testid=todo-recommendation-in-work] input[name=note]", "Приказ № 12 от 01.12")
    click("[data-testid=todo-recommendation-in-work] button[data-answer=done]")
    assert "Рекомендация отмечена: выполнено." in page.inner_text("main")
    assert page.locator("[data-testid=todo-recommendation], [data-testid=todo-recommendation-in-work]").count() == 0
    assert click.n == 2
    response = RecommendationResponse.objects.get()
    assert (response.school, response.status, response.note) == (school, "done", "Приказ № 12 от 01.12")
    assert response.history.count() == 2


def test_leaving_with_unsaved_explanations_asks_first(page, live_server, district):  # noqa: F811
    school, period = district["school"], district["period"]
    login(page, live_server, "head", PASSWORD)
    page.goto(f"{live_server.url}/monitoring/reports/{school.pk}/{period.pk}/")
    page.click("textarea[name=problems]")
    page.keyboard.type("Черновик, который легко потерять")
    seen = []

    def on_dialog(dialog):
        seen.append(dialog.type)
        dialog.dismiss()  # «остаться на странице»

    page.on("dialog", on_dialog)
    try:
        page.goto(f"{live_server.url}/", timeout=3000)
    except Exception:
        pass  # the navigation is cancelled by staying on the page
    assert seen == ["beforeunload"]
    assert page.input_value("textarea[name=problems]") == "Черновик, который легко потерять"
    # Sending clears the warning: no dialog on the way out.
    page.remove_listener("dialog", on_dialog)
    page.on("dialog", lambda d: seen.append(d.type) or d.accept())
    page.click("button[data-action=submit]")
    assert page.inner_text("[data-testid=status]") == "отправлен"
    page.goto(f"{live_server.url}/")
    assert seen == ["beforeunload"]
