"""Issue 14 in a real browser: the methodologist's whole loop for one teacher, from the teacher card, choosing
records by typing into the pickers — diagnostic result with deficits → an ИОМ answering them → an activity done
through an event → a mentor (a namesake told apart by school and birth date) → an РМО membership. At the end
the card's story lists all of it. The clicks are counted (the old interface needed ~51 over 25 pages)."""
from datetime import date

import pytest

from teachers import models as m

from .browser_support import login, page, reference_data  # noqa: F401
from .conftest import PASSWORD
from .factories import CampaignFactory, EventFactory, MunicipalityFactory, SchoolFactory, UserFactory, make_teacher

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


class Clicks:
    def __init__(self, page):
        self.page, self.count, self.pages = page, 0, set()

    def click(self, selector, navigate=False):
        self.count += 1
        if navigate:
            with self.page.expect_navigation():
                self.page.click(selector)
            self.pages.add(self.page.url.split("?")[0])
        else:
            self.page.click(selector)

    def pick(self, field, typed, option_text):
        """Open a picker, type, choose the option showing `option_text`: two clicks."""
        self.click(f"#id_{field}-ts-control")
        self.page.keyboard.type(typed, delay=30)
        option = self.page.locator(f"#id_{field}-ts-dropdown .option", has_text=option_text)
        option.first.wait_for()
        self.click(f"#id_{field}-ts-dropdown .option:has-text('{option_text}')")

    def add(self, title):
        """The card's «Добавить» menu, then one of its records."""
        self.click("[data-testid=add-record]")
        self.click(f".dropdown-menu a:has-text('{title}')", navigate=True)

    def save(self):
        self.click("[data-testid=crud-form] button[type=submit]", navigate=True)
        assert "Сохранено" in self.page.content(), self.page.locator(".errorlist, .alert-danger").all_inner_texts()


def test_methodologist_loop_from_the_teacher_card(page, live_server, reference_data):  # noqa: F811
    district = MunicipalityFactory(name="Район")
    a = SchoolFactory(short_name="СОШ №1", municipality=district)
    b = SchoolFactory(short_name="СОШ №2", municipality=district)
    UserFactory(username="metod", role=m.Role.METHODOLOGIST, municipality=district)
    teacher = make_teacher(a, last_name="Журавлёва", first_name="Ольга", middle_name="Сергеевна",
                           ped_experience_start=date(2024, 9, 1))
    make_teacher(a, last_name="Сомова", first_name="Ирина", middle_name="Петровна", birth_date=date(1970, 2, 1))
    make_teacher(b, last_name="Сомова", first_name="Ирина", middle_name="Петровна", birth_date=date(1985, 4, 3))
    CampaignFactory(municipality=district, title="Диагностика предметных компетенций учителей математики",
                    start_date=date(2026, 3, 2), end_date=date(2026, 3, 20))
    EventFactory(municipality=district, title="Семинар «Функциональная грамотность на уроках математики»",
                 start_date=date(2026, 10, 14), end_date=date(2026, 10, 14), hours=6)
    m.Association.objects.create(name="РМО учителей математики", kind=m.AssociationKind.objects.get(code="rmo"),
                                 municipality=district)
    subject_area = m.DeficitArea.objects.get(code="subject")
    method_area = m.DeficitArea.objects.exclude(pk=subject_area.pk).first()

    login(page, live_server, "metod", PASSWORD)
    you = Clicks(page)
    page.goto(f"{live_server.url}/teachers/")
    page.fill("input[name=q]", "Журавлёва")
    you.click("[data-testid=filters] button[type=submit]", navigate=True)
    you.click("text=Журавлёва Ольга Сергеевна", navigate=True)
    card = page.url

    # 1. The diagnostic result, with two deficits.
    you.add("Результат диагностики")
    assert page.locator("select[name=teacher] option:checked").inner_text() == "Журавлёва Ольга Сергеевна"
    you.pick("campaign", "математики", "Диагностика предметных компетенций")
    page.select_option("select[name=deficit_areas]", [str(subject_area.pk), str(method_area.pk)])
    you.count += 2  # two areas chosen in the list
    you.save()
    assert page.url == card

    # 2. The event the teacher attended.
    you.add("Участие в мероприятии")
    you.pick("event", "грамотность", "Функциональная грамотность")
    you.save()

    # 3. The ИОМ from the result, and its activity done through that event.
    you.click("[data-testid=story] a:has-text('Диагностика предметных компетенций')", navigate=True)
    you.click("[data-testid=add-route]", navigate=True)
    page.fill("input[name=approved_on]", "01.04.2026")
    you.save()
    assert "нет мероприятия" in page.locator("[data-testid=route-deficits]").inner_text()
    you.click("[data-testid=add-activity]", navigate=True)
    page.fill("input[name=title]", "Семинар по функциональной грамотности")
    page.select_option("select[name=deficit_area]", str(subject_area.pk))
    you.count += 1
    page.fill("input[name=planned_date]", "15.10.2026")
    page.fill("input[name=done_on]", "14.10.2026")
    you.pick("participation", "Семинар", "Функциональная грамотность")
    you.save()
    deficits = page.locator("[data-testid=route-deficits]").inner_text()
    assert subject_area.name in deficits and f"{subject_area.name} — нет мероприятия" not in deficits
    assert "Семинар по функциональной грамотности" in page.locator("[data-testid=route-activities]").inner_text()
    you.click("dd a:has-text('Журавлёва Ольга Сергеевна')", navigate=True)
    assert page.url == card

    # 4. A municipal mentor: two namesakes, told apart by school and birth date.
    you.add("Наставника")
    you.click("#id_mentor-ts-control")
    page.keyboard.type("Сомова", delay=30)
    options = page.locator("#id_mentor-ts-dropdown .option")
    options.nth(1).wait_for()
    shown = options.all_inner_texts()
    assert any("СОШ №1" in o and "01.02.1970" in o for o in shown), shown
    assert any("СОШ №2" in o and "03.04.1985" in o for o in shown), shown
    you.click("#id_mentor-ts-dropdown .option:has-text('01.02.1970')")
    page.select_option("select[name=level]", "municipal")
    you.count += 1
    page.fill("input[name=start]", "01.09.2026")
    you.save()

    # 5. The network: membership of the РМО.
    you.add("Членство в объединении")
    you.pick("association", "РМО", "РМО учителей математики")
    page.fill("input[name=start]", "01.09.2026")
    you.save()

    assert page.url == card
    story = page.locator("[data-testid=story]").inner_text()
    for expected in ("Диагностика: Диагностика предметных компетенций учителей математики",
                     "ИОМ на 2026 г. (реализуется)", "мероприятий: 1, выполнено: 1",
                     "Выполнено мероприятие ИОМ: Семинар по функциональной грамотности",
                     "Семинар «Функциональная грамотность на уроках математики»",
                     "Закреплён наставник (муниципальный): Сомова Ирина Петровна",
                     "РМО учителей математики: участник"):
        assert expected in story, (expected, story)
    route = m.IndividualRoute.objects.get(teacher=teacher)
    assert route.diagnostic_result.teacher_id == teacher.pk
    assert route.activities.get().participation.teacher_id == teacher.pk
    print(f"\nclicks: {you.count}, pages: {len(you.pages)}")
    assert you.count <= 40, you.count


def test_every_form_page_starts_its_pickers(page, live_server, reference_data):  # noqa: F811
    """Each create page and an edit page of each kind: the pickers start (no script error), the chosen record
    shows, and typing lists choices."""
    from django.urls import reverse

    from .cycle_support import cycle_sample
    from .test_pages_records import sample
    from .test_permission_matrix import crud_names

    from monitoring.views.cycle import SPECS as CYCLE_SPECS
    from teachers.views.records import SPECS

    district = MunicipalityFactory(name="Район")
    school = SchoolFactory(short_name="СОШ №1", municipality=district)
    UserFactory(username="metod", role=m.Role.METHODOLOGIST, municipality=district)
    objects = {"school": school, "teacher": make_teacher(school)}
    for spec in SPECS:
        objects[spec.name] = sample(spec.model, school)
    for spec in CYCLE_SPECS:
        objects[spec.name] = cycle_sample(spec.model, school)
    errors = []
    page.on("pageerror", lambda error: errors.append(f"{page.url}: {error}"))
    login(page, live_server, "metod", PASSWORD)
    started = 0
    for name in sorted(crud_names()):
        for url in (reverse(f"{name}-create"), reverse(f"{name}-update", args=[objects[name].pk])):
            page.goto(f"{live_server.url}{url}")
            pickers = page.locator("select[data-picker-url]")
            for i in range(pickers.count()):
                select = pickers.nth(i)
                assert select.evaluate("s => !!s.tomselect"), (url, select.get_attribute("name"))
                started += 1
    assert not errors, errors
    assert started > 30, started
    page.goto(f"{live_server.url}{reverse('recommendation-create')}")
    page.click("#id_teachers-ts-control")
    page.keyboard.type(objects["teacher"].last_name[:5], delay=30)
    page.locator("#id_teachers-ts-dropdown .option").first.wait_for()
