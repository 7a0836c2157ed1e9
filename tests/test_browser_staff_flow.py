"""Issue 3 in a real browser: a head adds a teacher, finds them with a filter, opens their page;
the head of another school cannot reach it."""
import re

import pytest

from teachers import models as m

from .browser_support import login, page, reference_data  # noqa: F401
from .conftest import PASSWORD
from .factories import MunicipalityFactory, SchoolFactory, UserFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_head_adds_finds_and_opens_a_teacher(page, live_server, reference_data):  # noqa: F811
    municipality = MunicipalityFactory(name="Район")
    a = SchoolFactory(short_name="СОШ №1", municipality=municipality)
    b = SchoolFactory(short_name="СОШ №2", municipality=municipality)
    UserFactory(username="head_a", role=m.Role.SCHOOL_HEAD, school=a, municipality=municipality)
    UserFactory(username="head_b", role=m.Role.SCHOOL_HEAD, school=b, municipality=municipality)

    login(page, live_server, "head_a", PASSWORD)
    page.goto(f"{live_server.url}/teachers/new/")
    page.fill("input[name=last_name]", "Браузерова")
    page.fill("input[name=first_name]", "Анна")
    page.fill("input[name=middle_name]", "Петровна")
    page.fill("input[name=birth_date]", "12.03.1991")
    page.fill("input[name=ped_experience_start]", "01.09.2024")
    page.select_option("select[name=appointments-0-school]", str(a.pk))
    page.select_option("select[name=appointments-0-position]", label="учитель")
    page.fill("input[name=appointments-0-hired]", "01.09.2024")
    page.fill("input[name=appointments-0-weekly_hours]", "18")
    page.click("[data-testid=crud-form] button[type=submit]")
    assert "Сохранено" in page.content()

    page.goto(f"{live_server.url}/teachers/")
    page.select_option("select[name=young]", "true")
    page.click("[data-testid=filters] button[type=submit]")
    page.click("text=Браузерова Анна Петровна")
    assert page.locator("h1").inner_text() == "Браузерова Анна Петровна"
    teacher_url = page.url
    assert re.search(r"/teachers/\d+/$", teacher_url)

    page.click("text=Выйти")
    login(page, live_server, "head_b", PASSWORD)
    response = page.goto(teacher_url)
    assert response.status == 404
    assert "Страница не найдена" in page.content()
