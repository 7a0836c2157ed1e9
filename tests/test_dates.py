"""One leap-day rule for full years (teachers.dates), the same on the card, in the import, in the engine's SQL
(mean age, ОО-1 age bands, young specialists) and in the demo."""
from datetime import date, timedelta

import pytest

from indicators.engine import Period, compute
from teachers import models as m
from teachers.dates import add_years, birthday_cutoff, full_years, is_young_specialist, years_before
from teachers.importing.rows import date_problems

from .factories import SchoolFactory, make_teacher

LEAP_BORN = date(2000, 2, 29)


def test_born_on_29_february_completes_a_year_on_28_february():
    assert full_years(LEAP_BORN, date(2025, 2, 27)) == 24
    assert full_years(LEAP_BORN, date(2025, 2, 28)) == 25
    assert full_years(LEAP_BORN, date(2028, 2, 28)) == 27  # a leap year: the birthday is the 29th
    assert full_years(LEAP_BORN, date(2028, 2, 29)) == 28
    assert birthday_cutoff(date(2025, 2, 28)) == (2, 29)
    assert add_years(LEAP_BORN, 1) == date(2001, 2, 28)


def test_years_before_is_the_exact_inverse_of_full_years():
    starts = [date(1999, 12, 31) + timedelta(days=i) for i in range(0, 3 * 366 + 5)]
    for on in (date(2025, 2, 28), date(2025, 3, 1), date(2028, 2, 28), date(2028, 2, 29), date(2024, 12, 31)):
        for years in (1, 3, 25):
            threshold = years_before(on, years)
            for start in starts:
                if start <= on:
                    assert (full_years(start, on) >= years) == (start <= threshold), (start, on, years)


def test_young_specialist_ends_on_the_third_anniversary():
    start = date(2022, 9, 1)
    assert is_young_specialist(start, date(2025, 8, 31))
    assert not is_young_specialist(start, date(2025, 9, 1))


@pytest.fixture
def leap_school(municipality):
    school = SchoolFactory(short_name="Високосная", municipality=municipality)
    teacher = make_teacher(school, last_name="Високосная", birth_date=LEAP_BORN,
                           ped_experience_start=date(2022, 2, 28))
    return school, teacher


def test_card_import_and_engine_agree_on_29_february(leap_school):
    school, teacher = leap_school
    on = date(2025, 2, 28)
    assert teacher.age_on(on) == 25
    result = compute(Period.as_of(on), schools=[school.pk])
    assert result.get("K6", "school", school.pk).value == 25  # the mean age, computed in SQL
    bands = dict(result.get("K7", "school", school.pk).bands)
    assert bands["25–29"] == 1 and bands["моложе 25 лет"] == 0  # the ОО-1 band
    # Pedagogical experience from 28.02.2022 is three full years on 28.02.2025: no longer young, in SQL too.
    assert not teacher.is_young_specialist_on(on)
    assert not m.Teacher.objects.young_specialists(on).filter(pk=teacher.pk).exists()
    assert result.get("Y1", "school", school.pk).denominator == 0
    # The import's age check uses the same rule: 14 on 28.02.2026 for someone born on 29.02.2012.
    assert not date_problems({"birth_date": date(2012, 2, 29)}, {}, date(2026, 2, 28))
    assert date_problems({"birth_date": date(2012, 2, 29)}, {}, date(2026, 2, 27))


# -- facts with history: a past year keeps its numbers when today's data change --------------------------------

def test_a_past_year_keeps_its_category_and_education_when_todays_data_change(municipality):
    from teachers.models import CategoryAssignment, EducationRecord

    school = SchoolFactory(short_name="История", municipality=municipality)
    teacher = make_teacher(school, category=m.QualificationCategory.objects.get(code="first"),
                           category_date=date(2019, 12, 20),
                           education_level=m.EducationLevel.objects.get(code="spo-ped"))
    y2023 = Period.calendar_year(2023)
    before = compute(y2023, schools=[school.pk])
    assert before.get("Q2", "school", school.pk).numerator == 1  # first category in 2023
    assert before.get("Q1", "school", school.pk).numerator == 0
    # Today: attested for the highest category, and a university diploma entered on the card.
    teacher.category = m.QualificationCategory.objects.get(code="highest")
    teacher.category_date = date(2026, 5, 15)
    teacher.education_level = m.EducationLevel.objects.get(code="higher-ped")
    teacher.save()
    assert CategoryAssignment.objects.filter(teacher=teacher).count() == 2
    assert EducationRecord.objects.filter(teacher=teacher).count() == 2
    after = compute(y2023, schools=[school.pk])
    for code in ("Q1", "Q2", "K3"):
        assert after.get(code, "school", school.pk).numerator == before.get(code, "school", school.pk).numerator, code
        assert after.get(code, "school", school.pk).bands == before.get(code, "school", school.pk).bands, code
    now = compute(Period.calendar_year(2026), schools=[school.pk])
    assert now.get("Q1", "school", school.pk).numerator == 1 and now.get("Q2", "school", school.pk).numerator == 0
    # The first category ran for five years, to 19.12.2024, and the highest came in 2026: 2025 counts neither.
    y2025 = compute(Period.calendar_year(2025), schools=[school.pk])
    assert y2025.get("Q1", "school", school.pk).numerator == 0 and y2025.get("Q2", "school", school.pk).numerator == 0


def test_the_teacher_list_filters_by_the_category_in_force_today(client, methodologist, school_a):
    first = m.QualificationCategory.objects.get(code="first")
    lapsed = make_teacher(school_a, last_name="Истекла", category=first, category_date=date(2015, 3, 1))
    valid = make_teacher(school_a, last_name="Действует", category=first, category_date=date(2024, 3, 1))
    client.force_login(methodologist)
    page = client.get(f"/teachers/?category={first.pk}").content.decode()
    assert valid.last_name in page and lapsed.last_name not in page
    none = m.QualificationCategory.objects.get(code="none")
    assert lapsed.last_name in client.get(f"/teachers/?category={none.pk}").content.decode()
