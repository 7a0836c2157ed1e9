from datetime import date

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from teachers import models as m

from .factories import CampaignFactory, SchoolFactory, make_teacher


def new_teacher_post(school, **extra):
    data = {
        "last_name": "Новикова", "first_name": "Анна", "middle_name": "Сергеевна", "gender": "f",
        "birth_date": "12.03.1990", "snils": "", "education_level": m.EducationLevel.objects.get(code="higher-ped").pk,
        "category": m.QualificationCategory.objects.get(code="first").pk, "ped_experience_start": "01.09.2012",
        "appointments-TOTAL_FORMS": "1", "appointments-INITIAL_FORMS": "0",
        "appointments-MIN_NUM_FORMS": "0", "appointments-MAX_NUM_FORMS": "1000",
        "appointments-0-school": school.pk, "appointments-0-position": m.Position.objects.get(code="teacher").pk,
        "appointments-0-employment": "main", "appointments-0-weekly_hours": "18", "appointments-0-rate": "1",
        "appointments-0-hired": "01.09.2020",
    }
    data.update(extra)
    return data


def test_head_adds_a_teacher_to_their_school(client, head_a, school_a):
    client.force_login(head_a)
    response = client.post("/teachers/new/", new_teacher_post(school_a))
    assert response.status_code == 302, response.content.decode()[:2000]
    teacher = m.Teacher.objects.get(last_name="Новикова")
    assert teacher.appointments.get().school == school_a
    assert teacher.history.first().history_user == head_a


def test_post_naming_another_school_is_refused_and_changes_nothing(client, head_a, school_b):
    client.force_login(head_a)
    response = client.post("/teachers/new/", new_teacher_post(school_b))
    assert response.status_code == 200
    assert "Выберите корректный вариант" in response.content.decode()
    assert not m.Teacher.objects.filter(last_name="Новикова").exists()


def test_bad_snils_gets_a_russian_error(client, methodologist, school_a):
    client.force_login(methodologist)
    response = client.post("/teachers/new/", new_teacher_post(school_a, snils="112-233-445 96"))
    assert "контрольная сумма" in response.content.decode()
    assert not m.Teacher.objects.exists()


def test_other_schools_teacher_is_404_and_viewer_cannot_edit(client, head_a, viewer, school_b):
    teacher = make_teacher(school_b)
    client.force_login(head_a)
    assert client.get(f"/teachers/{teacher.pk}/").status_code == 404
    assert client.post(f"/teachers/{teacher.pk}/delete/").status_code == 404
    client.force_login(viewer)
    assert client.get(f"/teachers/{teacher.pk}/").status_code == 200
    assert client.get(f"/teachers/{teacher.pk}/edit/").status_code == 403
    assert client.post(f"/teachers/{teacher.pk}/delete/").status_code == 403
    assert m.Teacher.objects.filter(pk=teacher.pk).exists()


def test_teacher_page_tells_the_story_in_time_order(client, methodologist, school_a):
    teacher = make_teacher(school_a, last_name="Историева")
    camp = CampaignFactory(municipality=school_a.municipality, title="Диагностика ЦНППМ", start_date=date(2024, 4, 1),
                          end_date=date(2024, 4, 20))
    result = m.DiagnosticResult.objects.create(campaign=camp, teacher=teacher)
    result.deficit_areas.add(m.DeficitArea.objects.get(code="methodical"))
    m.IndividualRoute.objects.create(teacher=teacher, year=2024, diagnostic_result=result, approved_on=date(2024, 5, 10))
    client.force_login(methodologist)
    body = client.get(f"/teachers/{teacher.pk}/").content.decode()
    assert body.index("ИОМ на 2024") < body.index("Диагностика: Диагностика ЦНППМ")  # newest first
    assert "выявлены дефициты: методические" in body


def test_filters(client, methodologist, school_a, school_b):
    young = make_teacher(school_a, last_name="Молодая", ped_experience_start=date(2025, 9, 1), birth_date=date(2002, 1, 1))
    make_teacher(school_b, last_name="Опытная")
    client.force_login(methodologist)
    body = client.get("/teachers/", {"young": "true"}).content.decode()
    assert "Молодая" in body and "Опытная" not in body
    body = client.get("/teachers/", {"school": school_b.pk}).content.decode()
    assert "Опытная" in body and "Молодая" not in body
    body = client.get("/teachers/", {"without_mentor": "true"}).content.decode()
    assert "Молодая" in body
    body = client.get("/teachers/", {"age": "lt25"}).content.decode()
    assert "Молодая" in body and "Опытная" not in body
    assert young.pk


def test_school_and_position_filters_describe_one_current_appointment(client, methodologist, school_a, school_b):
    """Main job at school A, part-time at school B: filtering by B and main employment does not find them; a
    dismissal at B takes them out of B's list."""
    from tests.factories import AppointmentFactory

    both = make_teacher(school_a, last_name="Двухместная")
    AppointmentFactory(teacher=both, school=school_b, hired=date(2016, 9, 1), employment=m.Employment.EXTERNAL)
    left = make_teacher(school_a, last_name="Ушедшая")
    AppointmentFactory(teacher=left, school=school_b, hired=date(2016, 9, 1), dismissed=date(2020, 6, 30),
                       employment=m.Employment.EXTERNAL)
    client.force_login(methodologist)

    def names(**params):
        body = client.get("/teachers/", params).content.decode()
        return {n for n in ("Двухместная", "Ушедшая") if n in body}

    assert names(school=school_a.pk, employment="main") == {"Двухместная", "Ушедшая"}
    assert names(school=school_b.pk, employment="main") == set()
    assert names(school=school_b.pk, employment="external") == {"Двухместная"}
    assert names(school=school_b.pk, include_dismissed="true") == {"Двухместная"}


@pytest.mark.parametrize("count", [5, 30])
def test_teacher_list_query_count_is_constant(client, methodologist, municipality, count, django_assert_max_num_queries):
    school = SchoolFactory(municipality=municipality)
    for _ in range(count):
        make_teacher(school)
    client.force_login(methodologist)
    # session, user, count, page, prefetch positions, mentorships, routes, six filter choice lists, municipality
    with django_assert_max_num_queries(15):
        assert client.get("/teachers/").status_code == 200


def test_export_query_count_is_constant(client, methodologist, municipality):
    school = SchoolFactory(municipality=municipality)
    client.force_login(methodologist)
    counts = []
    for more in (3, 25):
        for _ in range(more):
            teacher = make_teacher(school)
            teacher.subjects.set(m.Subject.objects.all()[:2])
            teacher.education_level = m.EducationLevel.objects.first()
            teacher.save()
        with CaptureQueriesContext(connection) as captured:
            response = client.get("/teachers/", {"_export": "xlsx"})
            b"".join(response.streaming_content)
        counts.append(len(captured))
    assert counts[0] == counts[1], counts


def test_export_of_the_filtered_teacher_list(client, methodologist, school_a, school_b):
    from io import BytesIO

    from openpyxl import load_workbook

    make_teacher(school_a, last_name="=HYPERLINK(1)")
    make_teacher(school_b, last_name="Вторая")
    client.force_login(methodologist)
    response = client.get("/teachers/", {"school": school_a.pk, "_export": "xlsx"})
    rows = list(load_workbook(BytesIO(b"".join(response.streaming_content))).active.iter_rows(values_only=True))
    assert len(rows) == 2 and len(rows[0]) >= 19
    assert rows[1][0].startswith("'=HYPERLINK")


def test_export_carries_the_whole_card(client, methodologist, school_a):
    from datetime import date
    from io import BytesIO

    from openpyxl import load_workbook

    teacher = make_teacher(school_a, last_name="Полнова", birth_date=date(1985, 2, 28),
                           ped_experience_start=date(2010, 9, 1))
    teacher.subjects.set(m.Subject.objects.order_by("name")[:2])
    teacher.category = m.QualificationCategory.objects.get(code="highest")
    teacher.save()
    client.force_login(methodologist)
    response = client.get("/teachers/", {"_export": "xlsx"})
    rows = list(load_workbook(BytesIO(b"".join(response.streaming_content))).active.iter_rows(values_only=True))
    row = dict(zip(rows[0], next(r for r in rows[1:] if r[0].startswith("Полнова"))))
    assert row["ОО"] == school_a.short_name and row["Категория"] == "высшая"
    assert row["Дата рождения"].date() == date(1985, 2, 28)
    assert row["Предметы"] == ", ".join(teacher.subjects.values_list("name", flat=True))  # catalogue order
    assert row["Должность"] and row["Занятость"] == "основной работник"
    assert isinstance(row["Возраст"], int) and isinstance(row["Педстаж"], int)
