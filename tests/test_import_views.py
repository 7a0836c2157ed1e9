"""Upload → preview → apply through the pages: roles, scoping, CSRF, the uploader-only rule, history of uploads."""
import io
import re
from datetime import date

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from openpyxl import load_workbook

from teachers.importing import analyse
from teachers.models import Appointment, ImportLog, Teacher

from .factories import make_teacher
from .import_support import row, snils_with_checksum, write, xlsx_bytes

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


def xlsx_file(rows, name="штат.xlsx"):
    return SimpleUploadedFile(name, xlsx_bytes(rows), content_type=XLSX)


def upload(client, rows, **data):
    return client.post("/teachers/import/k/staff/", {"file": xlsx_file(rows), **data})


def token_of(response):
    assert response.status_code == 302, response.content.decode()[:1000]
    match = re.match(r"^/teachers/import/([A-Za-z0-9_-]+)/$", response["Location"])
    assert match, response["Location"]
    return match.group(1)


def test_head_uploads_previews_and_applies(client, head_a, school_a, media):
    client.force_login(head_a)
    page = client.get("/teachers/import/k/staff/").content.decode()
    assert "Импорт штата из XLSX" in page and "СОШ №1" in page and "Загрузок ещё не было" in page
    token = token_of(upload(client, [row(), row(ФИО="Петров Пётр Петрович", СНИЛС=snils_with_checksum(900000001))]))
    assert (media / "imports" / f"{token}.xlsx").exists()

    preview = client.get(f"/teachers/import/{token}/")
    body = preview.content.decode()
    assert preview.status_code == 200
    assert "Ошибок нет" in body and "Применить" in body
    assert 'data-testid="count-teachers-created">2<' in body
    assert "Петров Пётр Петрович" in body
    assert Teacher.objects.count() == 0, "the preview writes nothing"

    response = client.post(f"/teachers/import/{token}/apply/")
    log = ImportLog.objects.get()
    assert response.status_code == 302 and response["Location"] == f"/teachers/import/log/{log.pk}/"
    assert (log.user, log.school, log.file_name, log.teachers_created, log.appointments_created) == (
        head_a, school_a, "штат.xlsx", 2, 2)
    assert Teacher.objects.count() == 2 and Appointment.objects.filter(school=school_a).count() == 2
    assert set(Teacher.history.values_list("history_user", flat=True)) == {head_a.pk}
    assert not (media / "imports" / f"{token}.xlsx").exists(), "an applied file is removed"

    result = client.get(response["Location"]).content.decode()
    assert "Загрузка применена" in result and "Петров Пётр Петрович" in result and "новый педагог" in result
    start = client.get("/teachers/import/k/staff/").content.decode()
    assert "История загрузок" in start and "штат.xlsx" in start
    # The token is spent: applying again changes nothing.
    again = client.post(f"/teachers/import/{token}/apply/", follow=True)
    assert "больше недоступен" in again.content.decode()
    assert ImportLog.objects.count() == 1


def test_preview_lists_problems_and_refuses_to_apply(client, head_a, school_a):
    client.force_login(head_a)
    token = token_of(upload(client, [row(), row(ФИО="Петров Пётр", СНИЛС="112-233-445 96",
                                                **{"Дата рождения": "31.02.1980"})]))
    body = client.get(f"/teachers/import/{token}/").content.decode()
    assert "Найдено <strong>2 ошибки</strong> в <strong>1 строке</strong>" in body
    assert "«Дата рождения»" in body and "31.02.1980" in body and "Нет такой даты" in body
    assert "Неверная контрольная сумма СНИЛС" in body
    assert 'data-testid="apply-form"' not in body
    response = client.post(f"/teachers/import/{token}/apply/")
    assert response.status_code == 400
    assert "ничего не записано" in response.content.decode()
    assert Teacher.objects.count() == 0 and ImportLog.objects.count() == 0

    problems = client.get(f"/teachers/import/{token}/problems.xlsx")
    assert problems.status_code == 200
    sheet = load_workbook(io.BytesIO(problems.content)).active
    assert [c.value for c in sheet[1]] == ["Строка", "Столбец", "Значение", "Что не так"]
    assert [c.value for c in sheet[2]] == [3, "Дата рождения", "31.02.1980", "нет такой даты"]


def test_preview_shows_updates_with_old_and_new_values(client, head_a, school_a):
    make_teacher(school_a, last_name="Иванова", first_name="Мария", middle_name="Петровна", snils="11223344595",
                 birth_date=date(1980, 5, 17))
    client.force_login(head_a)
    token = token_of(upload(client, [row(Категория="высшая")]))
    body = client.get(f"/teachers/import/{token}/").content.decode()
    assert "найден по СНИЛС" in body
    assert re.search(r"Категория: <span[^>]*>первая</span> → <strong>высшая</strong>", body)


def test_viewer_gets_403_everywhere(client, viewer, school_a):
    client.force_login(viewer)
    assert client.get("/teachers/import/").status_code == 403
    assert upload(client, [row()], school=school_a.pk).status_code == 403
    assert client.get("/teachers/import/" + "x" * 32 + "/").status_code == 403
    assert client.post("/teachers/import/" + "x" * 32 + "/apply/").status_code == 403
    assert Teacher.objects.count() == 0


def test_menu_item_for_importers_only(client, head_a, viewer):
    client.force_login(head_a)
    assert 'href="/teachers/import/"' in client.get("/").content.decode()
    client.force_login(viewer)
    assert 'href="/teachers/import/"' not in client.get("/").content.decode()


def test_head_cannot_import_into_another_school(client, head_a, school_b, media):
    client.force_login(head_a)
    response = upload(client, [row()], school=school_b.pk)
    assert response.status_code == 400
    assert "Загрузить штат можно только в свою ОО" in response.content.decode()
    assert Teacher.objects.count() == 0
    assert not (media / "imports").exists() or not any((media / "imports").iterdir())


def test_methodologist_picks_a_school_of_their_municipality(client, methodologist, school_b, school_far):
    client.force_login(methodologist)
    page = client.get("/teachers/import/k/staff/").content.decode()
    assert "СОШ №2" in page and "СОШ №9" not in page
    refused = upload(client, [row()], school=school_far.pk)
    assert refused.status_code == 400
    assert "Загрузить штат можно только в свою ОО" in refused.content.decode()
    token = token_of(upload(client, [row()], school=school_b.pk))
    client.post(f"/teachers/import/{token}/apply/")
    assert Appointment.objects.get().school == school_b


def test_only_the_uploader_can_apply(client, head_a, methodologist, school_a):
    client.force_login(head_a)
    token = token_of(upload(client, [row()]))
    other = Client()
    other.force_login(methodologist)
    assert "больше недоступен" in other.get(f"/teachers/import/{token}/", follow=True).content.decode()
    other.post(f"/teachers/import/{token}/apply/")
    # Even a second session of the same person does not know the token.
    same_person_elsewhere = Client()
    same_person_elsewhere.force_login(head_a)
    same_person_elsewhere.post(f"/teachers/import/{token}/apply/")
    assert Teacher.objects.count() == 0
    client.post(f"/teachers/import/{token}/apply/")
    assert Teacher.objects.count() == 1


def test_scope_is_checked_again_at_apply(client, head_a, school_a, school_b):
    client.force_login(head_a)
    token = token_of(upload(client, [row()]))
    head_a.school = school_b
    head_a.save()
    assert client.post(f"/teachers/import/{token}/apply/").status_code == 404
    assert Teacher.objects.count() == 0


def test_outsider_cannot_see_an_import_log(client, head_a, head_b, school_a, tmp_path):
    client.force_login(head_a)
    token = token_of(upload(client, [row()]))
    client.post(f"/teachers/import/{token}/apply/")
    log = ImportLog.objects.get()
    client.force_login(head_b)
    assert client.get(f"/teachers/import/log/{log.pk}/").status_code == 404
    assert "штат.xlsx" not in client.get("/teachers/import/k/staff/").content.decode()


def test_cancel_removes_the_staged_file(client, head_a, media):
    client.force_login(head_a)
    token = token_of(upload(client, [row()]))
    client.post(f"/teachers/import/{token}/cancel/")
    assert not (media / "imports" / f"{token}.xlsx").exists()
    assert client.post(f"/teachers/import/{token}/apply/").status_code == 302
    assert Teacher.objects.count() == 0


def test_stale_staged_files_are_purged(client, head_a, media, settings):
    import os
    import time

    client.force_login(head_a)
    old = token_of(upload(client, [row()]))
    path = media / "imports" / f"{old}.xlsx"
    stale = time.time() - (settings.IMPORT_STAGED_FILE_HOURS * 3600 + 60)
    os.utime(path, (stale, stale))
    token_of(upload(client, [row()]))
    assert not path.exists()


def test_csrf_is_required(head_a, school_a):
    client = Client(enforce_csrf_checks=True)
    client.force_login(head_a)
    assert upload(client, [row()]).status_code == 403
    page = client.get("/teachers/import/k/staff/").content.decode()
    csrf = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page).group(1)
    token = token_of(upload(client, [row()], csrfmiddlewaretoken=csrf))
    assert client.post(f"/teachers/import/{token}/apply/").status_code == 403
    assert Teacher.objects.count() == 0
    assert client.post(f"/teachers/import/{token}/apply/", {"csrfmiddlewaretoken": csrf}).status_code == 302
    assert Teacher.objects.count() == 1


def test_checking_does_not_query_per_row(tmp_path, school_a):
    """Reference tables, people and positions are fetched up front: the query count does not grow with rows."""
    for i in range(3):
        make_teacher(school_a, last_name=f"Старожил{'абв'[i]}", snils=snils_with_checksum(100200300 + i))

    def queries(n):
        rows = [row(ФИО=f"Учитель{i} Иван Иванович".replace(str(i), "абвгдежзиклмнопрстуф"[i % 20] * (1 + i // 20)),
                    СНИЛС=snils_with_checksum(300000000 + i)) for i in range(n)]
        path = write(tmp_path, rows, name=f"{n}.xlsx")
        with CaptureQueriesContext(connection) as captured:
            plan = analyse(path, school_a)
        assert plan.ok, [str(p) for p in plan.problems][:3]
        return len(captured)

    # positions, subjects, education levels, categories; people by СНИЛС; by birth date; positions at the school
    assert queries(5) == queries(60) <= 8


def test_a_database_error_at_apply_is_reported_and_nothing_is_written(client, head_a, school_a, monkeypatch):
    from django.db import IntegrityError

    from teachers.importing import applier

    def broken(*args, **kwargs):
        raise IntegrityError("simulated")

    client.force_login(head_a)
    token = token_of(upload(client, [row()]))
    monkeypatch.setattr(applier, "bulk_create_with_history", broken)
    response = client.post(f"/teachers/import/{token}/apply/")
    assert response.status_code == 500
    assert "ошибки базы данных — ничего не записано" in response.content.decode()
    assert Teacher.objects.count() == 0 and ImportLog.objects.count() == 0
    monkeypatch.undo()
    # The file is still there: once the database is fine again, the same upload can be applied.
    assert client.post(f"/teachers/import/{token}/apply/").status_code == 302
    assert Teacher.objects.count() == 1


@pytest.mark.parametrize("kind, factory", [("participants", "EventFactory"), ("diagnostics", "CampaignFactory")])
def test_upload_page_does_not_grow_with_the_districts_events_and_campaigns(client, methodologist, municipality,
                                                                           kind, factory):
    """What a file goes into is a picker: the page renders none of the district's events or campaigns and costs
    the same queries whether there are 2 or 40 of them."""
    from . import factories

    make = getattr(factories, factory)
    client.force_login(methodologist)
    url = f"/teachers/import/k/{kind}/"

    def measure():
        with CaptureQueriesContext(connection) as ctx:
            page = client.get(url)
        assert page.status_code == 200
        return len(ctx.captured_queries), len(page.content)

    for _ in range(2):
        make(municipality=municipality)
    queries, size = measure()
    for _ in range(38):
        make(municipality=municipality)
    assert measure() == (queries, size)
