"""Journeys of the roles in a real browser, from the home page, asserting what the person sees at the end:
the УО specialist finds and downloads a document; the admin prepares next year; a head whose teacher also
works at another school changes their own position of that teacher and cannot touch the person's data."""
from datetime import date

import pytest

from monitoring.calendar import create_year_with_defaults
from monitoring.models import MonitoringYear
from teachers import models as m

from .browser_support import login, page, reference_data  # noqa: F401
from .conftest import PASSWORD
from .factories import AppointmentFactory, MunicipalityFactory, SchoolFactory, TeacherFactory, UserFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_viewer_finds_and_downloads_the_vacancies_base(page, live_server, reference_data):  # noqa: F811
    municipality = MunicipalityFactory(name="Район")
    school = SchoolFactory(short_name="СОШ №1", municipality=municipality)
    m.Vacancy.objects.create(school=school, position=m.Position.objects.first(), opened=date(2026, 9, 1))
    UserFactory(username="uo", role=m.Role.VIEWER, municipality=municipality)

    login(page, live_server, "uo", PASSWORD)  # 1: the home page
    page.click("nav >> text=Документы")  # 2
    page.select_option("select[name=kind]", "vacancies")
    page.select_option("select[name=fmt]", "xlsx")
    page.click("[data-testid=order-form] button[type=submit]")  # 3
    page.wait_for_selector("[data-testid=job-download]:not(.d-none)", timeout=60_000)
    with page.expect_download() as info:
        page.click("[data-testid=job-download]")  # 4
    download = info.value
    assert download.suggested_filename.endswith(".xlsx")
    from openpyxl import load_workbook

    with open(download.path(), "rb") as f:
        book = load_workbook(f)
    cells = [str(c.value) for sheet in book.worksheets for row in sheet.iter_rows() for c in row if c.value]
    assert any("СОШ №1" in c for c in cells)
    # The viewer sees no edit buttons and no personal data on the way: the teacher list has no «Добавить».
    page.goto(f"{live_server.url}/teachers/")
    assert page.locator("text=Добавить").count() == 0


def test_admin_prepares_next_year_after_a_preview(page, live_server, reference_data):  # noqa: F811
    municipality = MunicipalityFactory(name="Район")
    create_year_with_defaults(municipality, 2026)
    UserFactory(username="root", role=m.Role.ADMIN, is_staff=True, is_superuser=True)

    login(page, live_server, "root", PASSWORD)
    page.click("nav >> text=Администрирование")
    page.click("#content-main a:text-is('Календарь мониторинга')")
    page.check("input[name=_selected_action]")
    page.select_option("select[name=action]", "prepare_next_year")
    page.click("button[name=index]")
    preview = page.inner_text("[data-testid=year-preview]")
    assert "Этапы мониторинга" in preview and "2027" in preview
    assert not MonitoringYear.objects.filter(year=2027).exists()
    page.click("[data-testid=year-preview] input[type=submit]")
    page.wait_for_selector("text=Подготовлен 2027 год", timeout=30_000)  # the admin's message after the redirect
    assert MonitoringYear.objects.get(year=2027).periods.count() == 4


def test_head_changes_own_position_of_a_shared_teacher(page, live_server, reference_data):  # noqa: F811
    municipality = MunicipalityFactory(name="Район")
    a = SchoolFactory(short_name="СОШ №1", municipality=municipality)
    b = SchoolFactory(short_name="СОШ №2", municipality=municipality)
    teacher = TeacherFactory(last_name="Ковалёва", first_name="Нина", phone="+7 900 000-00-01")
    AppointmentFactory(teacher=teacher, school=b, hired=date(2010, 9, 1))
    mine = AppointmentFactory(teacher=teacher, school=a, hired=date(2020, 9, 1), employment="external",
                              weekly_hours=6)
    UserFactory(username="head", role=m.Role.SCHOOL_HEAD, school=a, municipality=municipality)

    login(page, live_server, "head", PASSWORD)
    page.click("nav >> text=Кадры")
    page.click("text=Педагоги")
    page.click("text=Ковалёва")
    page.click("text=Изменить")
    assert "СОШ №2" in page.inner_text("[data-testid=identity-locked]")
    assert page.is_disabled("input[name=last_name]")
    page.fill("input[name=appointments-0-weekly_hours]", "9")
    page.click("[data-testid=crud-form] button[type=submit]")
    page.wait_for_selector("text=Должности в вашей ОО сохранены", timeout=30_000)
    mine.refresh_from_db()
    teacher.refresh_from_db()
    assert mine.weekly_hours == 9 and teacher.phone == "+7 900 000-00-01"
