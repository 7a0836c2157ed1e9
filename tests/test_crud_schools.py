from io import BytesIO

import pytest
from openpyxl import load_workbook

from teachers.models import ExportLog, School

from .factories import SchoolFactory, make_teacher


def test_it_lists_only_schools_in_scope(client, head_a, school_b, methodologist, school_far):
    client.force_login(head_a)
    body = client.get("/schools/").content.decode()
    assert "СОШ №1" in body and "СОШ №2" not in body
    client.force_login(methodologist)
    body = client.get("/schools/").content.decode()
    assert "СОШ №1" in body and "СОШ №2" in body and "СОШ №9" not in body


def test_it_hides_another_school_with_404(client, head_a, school_b):
    client.force_login(head_a)
    assert client.get(f"/schools/{school_b.pk}/").status_code == 404


def test_viewer_cannot_create_school(client, viewer):
    client.force_login(viewer)
    assert client.get("/schools/new/").status_code == 403


def test_methodologist_cannot_create_school_in_other_municipality(client, methodologist, other_municipality, school_a):
    client.force_login(methodologist)
    response = client.post("/schools/new/", {
        "short_name": "Новая", "full_name": "МБОУ Новая", "municipality": other_municipality.pk,
        "cluster": school_a.cluster_id, "is_active": "on",
    })
    assert response.status_code == 200
    assert "Выберите корректный вариант" in response.content.decode()
    assert not School.objects.filter(short_name="Новая").exists()


def test_it_counts_staff_without_n_plus_one(client, methodologist, municipality, django_assert_max_num_queries):
    for _ in range(6):
        school = SchoolFactory(municipality=municipality)
        make_teacher(school)
    client.force_login(methodologist)
    # session, user, count, page of schools (with subqueries), filter choices (cluster, municipality)
    with django_assert_max_num_queries(8):
        response = client.get("/schools/")
    assert response.status_code == 200


def test_export_is_filtered_and_logged(client, methodologist, school_a, school_b):
    client.force_login(methodologist)
    response = client.get("/schools/", {"q": "№1", "_export": "xlsx"})
    assert response.status_code == 200
    wb = load_workbook(BytesIO(b"".join(response.streaming_content)))
    rows = list(wb.active.iter_rows(values_only=True))
    assert rows[0][0] == "ОО"
    assert [r[0] for r in rows[1:]] == ["СОШ №1"]
    log = ExportLog.objects.get()
    assert log.user == methodologist and log.rows == 1


@pytest.mark.parametrize("text", ["=1+1", "+7 999", "-2", "@SUM(A1)"])
def test_export_neutralises_formulas(client, methodologist, school_a, text):
    School.objects.filter(pk=school_a.pk).update(head_name=text)
    client.force_login(methodologist)
    response = client.get("/schools/", {"_export": "xlsx"})
    wb = load_workbook(BytesIO(b"".join(response.streaming_content)))
    values = [c for row in wb.active.iter_rows(values_only=True) for c in row]
    assert "'" + text in values
    assert text not in values
