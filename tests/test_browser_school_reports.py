"""Issue 5 in a real browser: a head submits the quarterly report, a methodologist returns it with a comment, the
head sees the comment, fixes and resubmits, the methodologist accepts."""
import pytest

from monitoring.calendar import create_year_with_defaults
from monitoring.models import SchoolReport
from teachers import models as m

from .browser_support import login, page, reference_data  # noqa: F401
from .conftest import PASSWORD
from .factories import MunicipalityFactory, SchoolFactory, UserFactory, make_teacher

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def logout(page):
    page.click("nav form button:has-text('Выйти')")


def test_report_goes_round_the_workflow(page, live_server, reference_data):  # noqa: F811
    municipality = MunicipalityFactory(name="Район")
    school = SchoolFactory(short_name="СОШ №1", municipality=municipality)
    make_teacher(school, last_name="Учителева")
    UserFactory(username="head", role=m.Role.SCHOOL_HEAD, school=school, municipality=municipality)
    UserFactory(username="metod", role=m.Role.METHODOLOGIST, municipality=municipality)
    period = create_year_with_defaults(municipality, 2026).periods.get(quarter=1)
    url = f"{live_server.url}/monitoring/reports/{school.pk}/{period.pk}/"

    login(page, live_server, "head", PASSWORD)
    page.goto(url)
    assert "Учителева" in page.content()
    page.fill("textarea[name=problems]", "Нет учителя физики")
    page.click("button[data-action=save]")
    page.click("button[data-action=submit]")
    assert page.inner_text("[data-testid=status]") == "отправлен"
    logout(page)

    login(page, live_server, "metod", PASSWORD)
    page.goto(f"{live_server.url}/monitoring/reports/?period={period.pk}")
    page.click("text=СОШ №1")
    assert "Нет учителя физики" in page.content()
    page.fill("textarea[name=comment]", "Укажите, какие меры приняты по вакансии")
    page.click("button[data-action=return]")
    assert page.inner_text("[data-testid=status]") == "возвращён на доработку"
    logout(page)

    login(page, live_server, "head", PASSWORD)
    page.goto(url)
    assert "Укажите, какие меры приняты по вакансии" in page.inner_text("[data-testid=return-comment]")
    page.fill("textarea[name=measures]", "Объявлен конкурс на вакансию, запрос в ЦЗН")
    page.click("button[data-action=save]")
    page.click("button[data-action=submit]")
    assert page.inner_text("[data-testid=status]") == "отправлен"
    logout(page)

    login(page, live_server, "metod", PASSWORD)
    page.goto(url)
    page.click("button[data-action=accept]")
    assert page.inner_text("[data-testid=status]") == "принят"
    report = SchoolReport.objects.get()
    assert report.status == "accepted" and report.measures.startswith("Объявлен конкурс")
    assert list(report.transitions.values_list("action", flat=True)) == [
        "create", "edit", "submit", "return", "edit", "submit", "accept"]
    page.screenshot(path="var/screenshots/school-report-accepted.png", full_page=True)
