"""The staff import in a real browser (Debian chromium through Playwright): upload, preview, apply, history."""
import os

import pytest
from django.core.management import call_command

from datetime import date

from teachers.models import DiagnosticResult, ImportLog, Position, Teacher

from .conftest import PASSWORD
from .factories import CampaignFactory, MunicipalityFactory, SchoolFactory, UserFactory, make_teacher
from .import_support import row, snils_with_checksum, xlsx_bytes

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

CHROMIUM_ARGS = [
    "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
]


@pytest.fixture
def page():
    from playwright.sync_api import sync_playwright

    # Playwright's sync API runs an event loop in this thread; the test's own ORM calls are still synchronous.
    os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path="/usr/bin/chromium", headless=True, args=CHROMIUM_ARGS)
        page = browser.new_page(viewport={"width": 1280, "height": 900})
        yield page
        browser.close()


@pytest.fixture
def head(db):
    if not Position.objects.exists():  # a transactional test may run after another one flushed the tables
        call_command("loaddata", "fixtures/reference.json", verbosity=0)
    from teachers import models as m

    school = SchoolFactory(short_name="СОШ №1", municipality=MunicipalityFactory(name="Усть-Лабинский район"))
    return UserFactory(username="head_browser", role=m.Role.SCHOOL_HEAD, school=school,
                       municipality=school.municipality)


def test_head_imports_a_staff_list_in_the_browser(page, live_server, head, tmp_path, settings):
    settings.MEDIA_ROOT = tmp_path / "media"
    bad = tmp_path / "с ошибкой.xlsx"
    bad.write_bytes(xlsx_bytes([row(**{"Дата рождения": "31.02.1980"})]))
    good = tmp_path / "штат.xlsx"
    good.write_bytes(xlsx_bytes([row(), row(ФИО="Петров Пётр Петрович", СНИЛС=snils_with_checksum(900000001))]))

    page.goto(f"{live_server.url}/accounts/login/")
    page.fill("input[name=username]", "head_browser")
    page.fill("input[name=password]", PASSWORD)
    page.click("button[type=submit]")
    page.click("a[href='/teachers/import/']")
    page.click("[data-testid=kind-staff] >> text=Загрузить")
    assert page.locator("[data-testid=fixed-school]").inner_text() == "СОШ №1"

    page.set_input_files("input[type=file]", str(bad))
    page.click("[data-testid=upload-form] button[type=submit]")
    problems = page.locator("[data-testid=problems]")
    assert "31.02.1980" in problems.inner_text() and "Нет такой даты" in problems.inner_text()
    assert page.locator("[data-testid=apply-form]").count() == 0

    page.click("text=Загрузить исправленный файл")
    page.set_input_files("input[type=file]", str(good))
    page.click("[data-testid=upload-form] button[type=submit]")
    assert page.locator("[data-testid=count-teachers-created]").inner_text() == "2"
    page.click("[data-testid=apply-form] button[type=submit]")
    page.wait_for_selector("[data-testid=log-summary]")
    assert page.locator("[data-testid=log-teachers-created]").inner_text() == "2"

    assert Teacher.objects.count() == 2
    assert ImportLog.objects.get().user == head
    page.click("text=Загрузить ещё файл")
    assert "штат.xlsx" in page.locator("[data-testid=import-history]").inner_text()


def test_methodologist_imports_diagnostic_results_from_the_home_page(page, live_server, db, tmp_path, settings):
    """Home → «Импорт» → «Результаты диагностики» → campaign + file → preview → «Применить»: five clicks."""
    if not Position.objects.exists():
        call_command("loaddata", "fixtures/reference.json", verbosity=0)
    from teachers import models as m

    settings.MEDIA_ROOT = tmp_path / "media"
    municipality = MunicipalityFactory(name="Усть-Лабинский район")
    school = SchoolFactory(short_name="СОШ №1", municipality=municipality)
    make_teacher(school, last_name="Петрова", first_name="Анна", middle_name="Ивановна", birth_date=date(1985, 3, 12))
    make_teacher(school, last_name="Козлов", first_name="Иван", middle_name="Сергеевич", birth_date=date(1979, 2, 1))
    campaign = CampaignFactory(municipality=municipality, title="Диагностика ЦНППМ", max_score=50)
    UserFactory(username="metod_browser", role=m.Role.METHODOLOGIST, municipality=municipality)
    good = tmp_path / "результаты ЦНППМ.xlsx"
    good.write_bytes(xlsx_bytes([["Петрова Анна Ивановна", "12.03.1985", 30, "методические"],
                                 ["Козлов Иван Сергеевич", "01.02.1979", 44, "нет"]],
                                headers=["ФИО", "Дата рождения", "Балл", "Дефициты"], sheet_title="Лист1"))

    page.goto(f"{live_server.url}/accounts/login/")
    page.fill("input[name=username]", "metod_browser")
    page.fill("input[name=password]", PASSWORD)
    page.click("button[type=submit]")
    clicks = 0
    page.click("a[href='/teachers/import/']")
    clicks += 1
    page.click("[data-testid=kind-diagnostics] >> text=Загрузить")
    clicks += 1
    pick(page, "campaign", "ЦНППМ", "Диагностика ЦНППМ")
    page.set_input_files("input[type=file]", str(good))
    page.click("[data-testid=upload-form] button[type=submit]")
    clicks += 1
    assert page.locator("[data-testid=count-created]").inner_text() == "2"
    assert "Балл" in page.locator("[data-testid=understood]").inner_text()
    page.click("[data-testid=apply-form] button[type=submit]")
    clicks += 1
    page.wait_for_selector("[data-testid=log-summary]")
    assert page.locator("[data-testid=log-created]").inner_text() == "2"
    assert DiagnosticResult.objects.filter(campaign=campaign).count() == 2
    page.click("text=Загрузить ещё файл")
    clicks += 1
    assert "результаты ЦНППМ.xlsx" in page.locator("[data-testid=import-history]").inner_text()
    assert clicks == 5


def pick(page, field, typed, option_text):
    """What the file goes into is a picker (events and campaigns grow with the district): open, type, choose —
    the two clicks a select takes too."""
    page.click(f"#id_{field}-ts-control")
    page.keyboard.type(typed, delay=30)
    option = page.locator(f"#id_{field}-ts-dropdown .option", has_text=option_text)
    option.first.wait_for()
    option.first.click()


def test_head_imports_participants_of_a_school_event_on_a_phone(page, live_server, head, tmp_path, settings):
    """Home → «Импорт» → «Участники мероприятия» → the school's event + file → preview (a row with two problems,
    both listed, as cards at 390 px) → the fixed file → «Применить»."""
    from teachers import models as m

    from .factories import EventFactory

    settings.MEDIA_ROOT = tmp_path / "media"
    school = head.school
    make_teacher(school, last_name="Петрова", first_name="Анна", middle_name="Ивановна", birth_date=date(1985, 3, 12))
    event = EventFactory(municipality=school.municipality, school=school, title="Школьный конкурс «Дебют»",
                         kind=m.EventKind.objects.get(code="contest"))
    headers = ["ФИО", "Дата рождения", "Роль", "Результат"]
    bad = tmp_path / "конкурс.xlsx"
    bad.write_bytes(xlsx_bytes([["Петрова Анна Ивановна", "12.03.1985", "победитель", "1 место"],
                                ["Неизвестная Мария", "01.01.1980", "зритель", None]],
                               headers=headers, sheet_title="Лист1"))
    good = tmp_path / "конкурс-исправленный.xlsx"
    good.write_bytes(xlsx_bytes([["Петрова Анна Ивановна", "12.03.1985", "победитель", "1 место"]],
                                headers=headers, sheet_title="Лист1"))
    page.set_viewport_size({"width": 390, "height": 800})
    page.goto(f"{live_server.url}/accounts/login/")
    page.fill("input[name=username]", head.username)
    page.fill("input[name=password]", PASSWORD)
    page.click("button[type=submit]")
    page.goto(f"{live_server.url}/")
    page.click(".navbar-toggler")
    page.click("a[href='/teachers/import/']")
    page.click("[data-testid=kind-participants] >> text=Загрузить")
    pick(page, "event", "Дебют", "Школьный конкурс «Дебют»")
    page.set_input_files("input[type=file]", str(bad))
    page.click("[data-testid=upload-form] button[type=submit]")
    problems = page.locator("[data-testid=problems] tbody tr")
    assert problems.count() == 2, "the unknown person and the unknown role, both at once"
    assert page.evaluate("document.documentElement.scrollWidth") <= 390, "nothing wider than the phone"
    page.click("text=Загрузить исправленный файл")
    pick(page, "event", "Дебют", "Школьный конкурс «Дебют»")
    page.set_input_files("input[type=file]", str(good))
    page.click("[data-testid=upload-form] button[type=submit]")
    page.click("[data-testid=apply-form] button[type=submit]")
    page.wait_for_selector("[data-testid=log-summary]")
    assert event.participations.get().role == "winner"
