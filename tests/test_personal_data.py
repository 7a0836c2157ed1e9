"""Personal data (birth date, СНИЛС, e-mail, phone): only for the roles that need them; never cached; every card
view and download logged with the user, the time and the client's address."""
from datetime import date
from io import BytesIO

import pytest
from django.core.files.base import ContentFile
from django.test import RequestFactory, override_settings
from openpyxl import load_workbook

from mskoko.client_ip import client_address
from reports.models import Job
from teachers import models as m
from teachers.personal_data import may_see_personal_data

from .factories import make_teacher

PERSONAL_HEADERS = {"Дата рождения", "СНИЛС", "Эл. почта", "Телефон"}
SNILS = "11223344595"


@pytest.fixture
def teacher(school_a):
    return make_teacher(school_a, last_name="Личнова", birth_date=date(1979, 2, 3), snils=SNILS,
                        email="lichnova@example.ru", phone="+7 900 111-22-33")


def export_headers(client, user, **params):
    client.force_login(user)
    response = client.get("/teachers/", {"_export": "xlsx", **params})
    assert response.status_code == 200
    sheet = load_workbook(BytesIO(b"".join(response.streaming_content))).active
    rows = list(sheet.iter_rows(values_only=True))
    return rows[0], rows[1:]


def test_the_viewers_teacher_export_has_no_personal_data(client, viewer, teacher):
    header, rows = export_headers(client, viewer)
    assert not PERSONAL_HEADERS & set(header)
    assert "ФИО" in header and "Возраст" in header and len(rows) == 1
    flat = " ".join(str(v) for v in rows[0])
    assert SNILS not in flat and "lichnova@example.ru" not in flat and "1979" not in flat


@pytest.mark.parametrize("persona", ["methodologist", "head_a", "admin"])
def test_roles_that_need_them_export_personal_data(client, personas, teacher, persona):
    header, rows = export_headers(client, personas[persona])
    assert PERSONAL_HEADERS <= set(header)
    assert rows[0][header.index("СНИЛС")] == SNILS


def test_the_rule_is_one_function_of_the_role(personas):
    assert {name: may_see_personal_data(user) for name, user in personas.items()} == {
        "admin": True, "methodologist": True, "head_a": True, "head_b": True, "viewer": False}


def test_the_viewers_card_shows_age_but_no_personal_data(client, viewer, methodologist, teacher):
    client.force_login(viewer)
    body = client.get(f"/teachers/{teacher.pk}/").content.decode()
    assert "Личнова" in body and "полных лет" in body
    for secret in ("03.02.1979", teacher.snils_display, "lichnova@example.ru", "111-22-33"):
        assert secret not in body
    client.force_login(methodologist)
    body = client.get(f"/teachers/{teacher.pk}/").content.decode()
    assert "03.02.1979" in body and teacher.snils_display in body and "lichnova@example.ru" in body


def test_the_viewer_sees_no_personal_values_in_the_card_history(client, viewer, teacher):
    teacher.phone = "+7 900 999-88-77"
    teacher.save()
    client.force_login(viewer)
    body = client.get(f"/teachers/{teacher.pk}/").content.decode()
    assert "999-88-77" not in body and "111-22-33" not in body and "скрыто" in body


def test_the_viewer_cannot_find_people_by_snils(client, viewer, methodologist, teacher):
    client.force_login(viewer)
    assert "Личнова" not in client.get("/teachers/", {"q": SNILS}).content.decode()
    client.force_login(methodologist)
    assert "Личнова" in client.get("/teachers/", {"q": SNILS}).content.decode()


# --- Cache-Control ------------------------------------------------------------------------------------------------

def no_store(response):
    directives = {d.strip() for d in response.get("Cache-Control", "").split(",")}
    return {"no-store", "private"} <= directives


@pytest.fixture
def done_job(methodologist):
    job = Job.objects.create(owner=methodologist, kind="vacancies", fmt="xlsx", title="База вакансий",
                             status="done", file_name="vakansii.xlsx")
    job.file.save("vakansii.xlsx", ContentFile(b"PK"), save=True)
    return job


def test_pages_exports_json_and_downloads_with_personal_data_are_not_stored(client, methodologist, teacher,
                                                                          done_job):
    client.force_login(methodologist)
    for url in [f"/teachers/{teacher.pk}/", "/teachers/?_export=xlsx", "/teachers/",
                "/indicators/api/values.json?period=2025&level=school", f"/reports/jobs/{done_job.pk}/download/"]:
        response = client.get(url)
        assert response.status_code == 200, url
        assert no_store(response), url


# --- Audit --------------------------------------------------------------------------------------------------------

def test_a_card_view_is_logged_with_user_time_and_address(client, methodologist, teacher):
    client.force_login(methodologist)
    client.get(f"/teachers/{teacher.pk}/", REMOTE_ADDR="10.1.2.3")
    log = m.AccessLog.objects.get()
    assert (log.user, log.teacher, log.address, log.path) == (methodologist, teacher, "10.1.2.3",
                                                              f"/teachers/{teacher.pk}/")
    assert log.created is not None


def test_a_card_view_does_not_refresh_the_indicator_cache(client, methodologist, teacher):
    from indicators.freshness import current

    client.force_login(methodologist)
    before = current()
    client.get(f"/teachers/{teacher.pk}/")
    assert current() == before


def test_an_outsider_gets_404_and_leaves_no_card_view(client, head_b, teacher):
    client.force_login(head_b)
    assert client.get(f"/teachers/{teacher.pk}/").status_code == 404
    assert not m.AccessLog.objects.exists()


@override_settings(TRUSTED_PROXY_COUNT=1)
def test_exports_and_downloads_are_logged_with_the_address_behind_the_proxy(client, methodologist, teacher,
                                                                          done_job):
    client.force_login(methodologist)
    proxied = {"REMOTE_ADDR": "127.0.0.1", "HTTP_X_FORWARDED_FOR": "6.6.6.6, 203.0.113.7"}
    client.get("/teachers/?_export=xlsx", **proxied)
    client.get(f"/reports/jobs/{done_job.pk}/download/", **proxied)
    client.get("/teachers/import/template.xlsx", **proxied)
    logs = list(m.ExportLog.objects.order_by("pk"))
    assert [(log.user, log.address) for log in logs] == [(methodologist, "203.0.113.7")] * 3
    assert logs[0].rows == 1 and logs[1].what == "База вакансий"


@pytest.mark.parametrize("count, forwarded, remote, expected", [
    (0, "6.6.6.6", "10.0.0.1", "10.0.0.1"),  # no proxies trusted: the header is the client's word
    (1, "6.6.6.6, 203.0.113.7", "10.0.0.1", "203.0.113.7"),
    (2, "6.6.6.6, 203.0.113.7, 10.0.0.9", "10.0.0.1", "203.0.113.7"),
    (2, "203.0.113.7", "10.0.0.1", "10.0.0.1"),  # shorter than the proxy chain: not through our proxies
    (1, "not-an-address", "10.0.0.1", "10.0.0.1"),
    (1, "203.0.113.7:51000", "10.0.0.1", "203.0.113.7"),
    (1, "[2001:db8::1]:443", "10.0.0.1", "2001:db8::1"),
    (0, "", "", None),
])
def test_client_address_believes_only_the_trusted_proxies(settings, count, forwarded, remote, expected):
    settings.TRUSTED_PROXY_COUNT = count
    request = RequestFactory().get("/", REMOTE_ADDR=remote, HTTP_X_FORWARDED_FOR=forwarded)
    assert client_address(request) == expected
