"""Review of issue 16: every id the import start forms and the questionnaire forms take from a POST or a URL,
tampered by a head who shares a teacher with another school and by a methodologist of another municipality's
neighbour; and a staged upload that cannot be used twice (two applies of one token racing)."""
import io
from datetime import date, timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.utils import timezone
from openpyxl import Workbook

from teachers import models as m
from teachers import surveys
from teachers.importing import kinds
from teachers.importing.template import build_template

from .factories import AppointmentFactory, CampaignFactory, EventFactory, make_teacher

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
TODAY = timezone.localdate()


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


def _xlsx(headers, rows):
    wb = Workbook()
    ws = wb.active
    ws.append(headers)
    for values in rows:
        ws.append(list(values))
    buffer = io.BytesIO()
    wb.save(buffer)
    return buffer.getvalue()


def _records(school):
    """One target of every import context owned by `school` (the school itself, its campaign, event, ШМО)."""
    return {
        "school": school,
        "campaign": CampaignFactory(municipality=school.municipality, school=school,
                                    organizer=m.DiagnosticCampaign.Organizer.SCHOOL),
        "event": EventFactory(municipality=school.municipality, school=school),
        "association": m.Association.objects.create(name=f"ШМО {school.short_name}", school=school,
                                                    municipality=school.municipality,
                                                    kind=m.AssociationKind.objects.get(code="shmo")),
        "municipality": school.municipality,
    }


@pytest.fixture
def world(school_a, school_b, school_far):
    shared = make_teacher(school_b, last_name="Ковалёва", first_name="Нина", birth_date=date(1979, 3, 4))
    AppointmentFactory(teacher=shared, school=school_a, employment=m.Employment.EXTERNAL)
    make_teacher(school_far)
    return {"own": _records(school_a), "b": _records(school_b), "far": _records(school_far)}


KIND_FIELDS = [("diagnostics", "campaign"), ("participants", "event"), ("memberships", "association"),
               ("vacancies", "school"), ("courses", "municipality"), ("staff", "school")]


def _upload(client, code, field, pk, content=None):
    content = content or _xlsx(["ФИО"], [["Петрова Анна Ивановна"]])
    return client.post(f"/teachers/import/k/{code}/", {
        field: pk, "file": SimpleUploadedFile("f.xlsx", content, content_type=XLSX)})


@pytest.mark.parametrize("persona", ["head_a", "methodologist"])
def test_import_start_forms_refuse_every_target_outside_the_scope(client, world, persona, head_a, methodologist,
                                                                  media):
    user = {"head_a": head_a, "methodologist": methodologist}[persona]
    client.force_login(user)
    outsiders = ["b", "far"] if persona == "head_a" else ["far"]
    problems = []
    for code, field in KIND_FIELDS:
        for where in outsiders:
            if persona == "head_a" and field == "municipality" and where == "b":
                continue  # the same municipality: the head's own
            target = world[where][field]
            response = _upload(client, code, field, target.pk)
            staged = list((media / "imports").glob("*.xlsx")) if (media / "imports").exists() else []
            if response.status_code != 400 or staged:
                problems.append(f"{persona} {code}.{field}={where}#{target.pk}: {response.status_code}, {staged}")
    assert not problems, "\n".join(problems)


@pytest.mark.parametrize("persona", ["head_a", "methodologist"])
def test_import_start_forms_accept_the_own_targets(client, world, persona, head_a, methodologist):
    """The refusals above are the tampering's doing: the same POST with the persona's own target goes through
    to the preview (the file's own problems are the preview's business)."""
    user = {"head_a": head_a, "methodologist": methodologist}[persona]
    client.force_login(user)
    for code, field in KIND_FIELDS:
        template = build_template(kinds.get(code))
        response = _upload(client, code, field, world["own"][field].pk, template)
        # The target passed: the upload goes on to the preview, or stops at the (empty) file itself.
        body = response.content.decode()
        assert response.status_code == 302 or 'data-testid="file-error"' in body, code
        assert "загрузить можно только" not in body and "можно только в свою ОО" not in body, code


def test_a_staged_token_of_another_user_is_neither_previewable_nor_appliable(client, world, head_a, head_b, media):
    client.force_login(head_a)
    content = _xlsx(["Должность", "Дата открытия"], [["учитель", "01.06.2025"]])
    response = client.post("/teachers/import/k/vacancies/", {
        "file": SimpleUploadedFile("v.xlsx", content, content_type=XLSX)})
    token = response["Location"].rstrip("/").rsplit("/", 1)[-1]
    other = Client()
    other.force_login(head_b)
    for url in (f"/teachers/import/{token}/", f"/teachers/import/{token}/problems.xlsx"):
        assert other.get(url).status_code == 302
    assert other.post(f"/teachers/import/{token}/apply/").status_code == 302
    assert m.Vacancy.objects.count() == 0
    assert (media / "imports" / f"{token}.xlsx").exists(), "another user's attempt leaves the file alone"


def test_two_applies_of_one_staged_token_write_once(client, world, head_a, school_a, monkeypatch):
    """The second apply arrives while the first is still writing (the same session, as a double click does):
    it finds the staged file taken and writes nothing."""
    from teachers.importing import service

    client.force_login(head_a)
    mentor = make_teacher(school_a, last_name="Петрова", first_name="Анна", middle_name="",
                          birth_date=date(1985, 3, 12))
    mentee = make_teacher(school_a, last_name="Козлов", first_name="Иван", middle_name="",
                          birth_date=date(1979, 2, 1))
    content = _xlsx(["ФИО наставника", "Дата рождения наставника", "ФИО наставляемого", "Дата рождения наставляемого",
                     "Дата начала"], [["Петрова Анна", "12.03.1985", "Козлов Иван", "01.02.1979", "01.09.2025"]])
    response = client.post("/teachers/import/k/mentorships/", {
        "file": SimpleUploadedFile("n.xlsx", content, content_type=XLSX)})
    assert response.status_code == 302, response.content.decode()[:800]
    apply_url = response["Location"] + "apply/"
    real = service.apply_kind
    seen = []

    def racing(*args, **kwargs):
        if not seen:
            seen.append("first")
            seen.append(client.post(apply_url).status_code)  # the double click, while the first one writes
        return real(*args, **kwargs)

    monkeypatch.setattr(service, "apply_kind", racing)
    assert client.post(apply_url).status_code == 302
    assert m.Mentorship.objects.filter(mentor=mentor, mentee=mentee).count() == 1
    assert m.ImportLog.objects.count() == 1


# -- the questionnaire ----------------------------------------------------------------------------------------


def _survey(user, school=None):
    return surveys.open_survey(user, school=school, title="Запросы", year=TODAY.year, opens_on=TODAY,
                               closes_on=TODAY + timedelta(days=7))


def test_survey_form_refuses_another_schools_and_another_districts_school(client, world, head_a, methodologist,
                                                                          school_b, school_far):
    data = {"title": "Анкета", "year": TODAY.year, "opens_on": TODAY.strftime("%d.%m.%Y"),
            "closes_on": (TODAY + timedelta(days=5)).strftime("%d.%m.%Y")}
    for user, school in ((head_a, school_b), (head_a, school_far), (methodologist, school_far)):
        client.force_login(user)
        response = client.post("/surveys/new/", {**data, "school": school.pk})
        assert response.status_code == 200 and "Выберите корректный вариант" in response.content.decode()
        assert not m.RequestSurvey.objects.exists()
    client.force_login(head_a)
    response = client.post("/surveys/new/", {**data, "school": ""})
    assert not m.RequestSurvey.objects.exists(), "a head cannot open a district-wide survey by leaving ОО empty"


def test_survey_pages_of_another_school_are_refused(client, world, head_a, head_b, school_b):
    survey = _survey(head_b, school_b)
    client.force_login(head_a)
    assert client.get(f"/surveys/{survey.pk}/").status_code == 404
    assert client.get(f"/surveys/{survey.pk}/links.xlsx").status_code == 404
    before = survey.invitations.count()
    assert client.post(f"/surveys/{survey.pk}/invite/").status_code == 404
    assert survey.invitations.count() == before


def test_a_two_column_list_is_read(tmp_path, school_a, head_a):
    """«ФИО» + «СНИЛС» (participants) or «Должность» + «Дата открытия» (vacancies) name every required column:
    such a header row is found although it has fewer than three known columns."""
    from teachers.importing.reader import read_workbook

    for code, headers, values in (("participants", ["ФИО", "СНИЛС"], ["Петрова Анна", "112-233-445 95"]),
                                  ("vacancies", ["Должность", "Дата открытия"], ["учитель", "01.06.2025"])):
        path = tmp_path / f"{code}.xlsx"
        path.write_bytes(_xlsx(headers, [values]))
        sheet = read_workbook(path, path.name, kinds.get(code).columns)
        assert len(sheet.rows) == 1 and sheet.header_row == 1, code


# -- the district's vacancies from one sheet ------------------------------------------------------------------

VACANCY_HEADERS = ["ОО", "Должность", "Предмет", "Дата открытия"]


def _vacancies(tmp_path, rows, target, user):
    from teachers.importing.service import analyse_kind

    path = tmp_path / "v.xlsx"
    path.write_bytes(_xlsx(VACANCY_HEADERS, rows))
    return path, analyse_kind(kinds.get("vacancies"), path, target, path.name, user=user)


def test_methodologist_imports_the_districts_vacancies_from_one_sheet(client, tmp_path, methodologist, school_a,
                                                                      school_b, school_far):
    from teachers.importing.service import apply_kind

    school_b.full_name = "Муниципальное бюджетное общеобразовательное учреждение СОШ № 2"
    school_b.save()
    rows = [["сош № 1", "учитель", "математика", "01.06.2025"],
            [school_b.full_name.upper(), "учитель", "математика", "01.06.2025"],
            [school_far.short_name, "учитель", None, "01.06.2025"],
            [None, "учитель", None, "01.06.2025"]]
    _, plan = _vacancies(tmp_path, rows, None, methodologist)
    assert [(p.row, p.column, p.message[:40]) for p in plan.problems] == [
        (4, "ОО", "нет среди ОО, вакансии которых вы ведёте"),
        (5, "ОО", "не указана ОО: заполните столбец «ОО» ил")]
    path, plan = _vacancies(tmp_path, rows[:2], None, methodologist)
    assert plan.ok and plan.counts()["created"] == 2
    log = apply_kind(kinds.get("vacancies"), path, None, methodologist, path.name)
    assert {v.school for v in m.Vacancy.objects.all()} == {school_a, school_b}
    assert log.school is None and log.records_created == 2
    _, again = _vacancies(tmp_path, rows[:2], None, methodologist)
    assert again.counts()["rows_unchanged"] == 2, "a re-import changes nothing"
    # Into a chosen school, a row of another school is refused, not moved.
    _, plan = _vacancies(tmp_path, rows[:2], school_a, methodologist)
    assert [(p.row, p.column) for p in plan.problems] == [(3, "ОО")]
    # Through the page: the ОО field may stay empty.
    client.force_login(methodologist)
    response = client.post("/teachers/import/k/vacancies/", {
        "school": "", "file": SimpleUploadedFile("v.xlsx", _xlsx(VACANCY_HEADERS, rows[:2]), content_type=XLSX)})
    assert response.status_code == 302, response.content.decode()[:500]
    preview = client.get(response["Location"]).content.decode()
    assert "по столбцу «ОО» файла" in preview and "СОШ №2" in preview


def test_head_cannot_name_another_school_in_the_oo_column(client, tmp_path, head_a, school_a, school_b):
    rows = [[school_b.short_name, "учитель", None, "01.06.2025"]]
    _, plan = _vacancies(tmp_path, rows, None, head_a)
    assert [(p.row, p.column) for p in plan.problems] == [(2, "ОО")]
    assert school_b.short_name in plan.problems[0].value and "нет среди ОО" in plan.problems[0].message
    client.force_login(head_a)
    response = client.post("/teachers/import/k/vacancies/", {
        "school": "", "file": SimpleUploadedFile("v.xlsx", _xlsx(VACANCY_HEADERS, rows), content_type=XLSX)})
    assert response.status_code == 302
    apply = client.post(response["Location"] + "apply/")
    assert apply.status_code == 400 and not m.Vacancy.objects.exists()


# -- course completions: one district course, not a copy per school ----------------------------------------------

COURSE_HEADERS = ["ФИО", "Дата рождения", "Программа", "Часов", "Организация", "Дата начала", "Дата окончания"]


def _courses(tmp_path, user, rows, municipality):
    from teachers.importing.service import analyse_kind, apply_kind

    path = tmp_path / "k.xlsx"
    path.write_bytes(_xlsx(COURSE_HEADERS, rows))
    plan = analyse_kind(kinds.get("courses"), path, municipality, path.name, user=user)
    assert plan.ok, [str(p) for p in plan.problems]
    apply_kind(kinds.get("courses"), path, municipality, user, path.name)
    return plan


def test_course_completions_join_the_district_course_before_making_a_schools_copy(
        tmp_path, municipality, school_a, school_b, head_a, head_b, methodologist):
    make_teacher(school_a, last_name="Петрова", first_name="Анна", middle_name="", birth_date=date(1985, 3, 12))
    make_teacher(school_b, last_name="Козлов", first_name="Иван", middle_name="", birth_date=date(1979, 2, 1))
    make_teacher(school_b, last_name="Сидорова", first_name="Ольга", middle_name="", birth_date=date(1990, 6, 5))
    course = ["ФГОС-2025", 72, "ИРО", "10.02.2025", "21.02.2025"]
    # Head A first: no district course yet — the head's school gets its own (the head may not write the district's).
    _courses(tmp_path, head_a, [["Петрова Анна", "12.03.1985", *course]], municipality)
    copy = m.Event.objects.get(title="ФГОС-2025")
    assert copy.school == school_a
    # The methodologist does not hang school B's people on school A's copy (head A could edit or delete it), and
    # does not add a second completion for A's teacher already in A's copy.
    rows = [["Козлов Иван", "01.02.1979", *course], ["Петрова Анна", "12.03.1985", *course]]
    plan = _courses(tmp_path, methodologist, rows, municipality)
    assert (plan.counts()["events_created"], plan.counts()["created"], plan.counts()["rows_unchanged"]) == (1, 1, 1)
    district = m.Event.objects.get(title="ФГОС-2025", school__isnull=True)
    assert district.participations.get().teacher.last_name == "Козлов"
    assert copy.participations.get().teacher.last_name == "Петрова"
    # Head B (and head A from now on) join the district course; a file without the start date finds it too.
    plan = _courses(tmp_path, head_b, [["Сидорова Ольга", "05.06.1990", "фгос-2025", 72, "ИРО", None, "21.02.2025"]],
                    municipality)
    assert plan.counts()["events_created"] == 0
    assert m.Event.objects.filter(title__iexact="ФГОС-2025").count() == 2
    assert district.participations.count() == 2


# -- all or nothing at 9,000 rows ---------------------------------------------------------------------------------

def test_row_9000_failing_writes_nothing_and_a_repeat_changes_nothing(client, head_a, school_a, monkeypatch):
    from django.db import DatabaseError

    from teachers.importing.kinds.vacancies import Vacancies

    first = date(2000, 1, 1)
    rows = [["учитель", (first + timedelta(days=i)).strftime("%d.%m.%Y")] for i in range(9000)]
    good = _xlsx(["Должность", "Дата открытия"], rows[:2500])
    bad = _xlsx(["Должность", "Дата открытия"], rows[:-1] + [["учитель", "31.02.2025"]])
    client.force_login(head_a)

    def stage(content):
        response = client.post("/teachers/import/k/vacancies/", {
            "file": SimpleUploadedFile("v.xlsx", content, content_type=XLSX)})
        assert response.status_code == 302, response.content.decode()[:500]
        return response["Location"]

    url = stage(bad)
    response = client.post(url + "apply/")
    assert response.status_code == 400 and "9001" in response.content.decode()  # the row number of the bad row
    assert not m.Vacancy.objects.exists() and not m.ImportLog.objects.exists()

    # A database error while writing the last record: nothing stays, and the file can be applied again.
    url = stage(good)
    real, seen = Vacancies.derive, []

    def failing(self, obj, item):
        seen.append(1)
        if len(seen) == 2500:
            raise DatabaseError("disk full")
        return real(self, obj, item)

    monkeypatch.setattr(Vacancies, "derive", failing)
    response = client.post(url + "apply/")
    assert response.status_code == 500 and "ничего не записано" in response.content.decode()
    assert not m.Vacancy.objects.exists() and not m.ImportLog.objects.exists()
    monkeypatch.setattr(Vacancies, "derive", real)
    assert client.post(url + "apply/").status_code == 302
    assert m.Vacancy.objects.filter(school=school_a).count() == 2500

    url = stage(good)
    client.post(url + "apply/")
    assert m.Vacancy.objects.count() == 2500
    assert m.ImportLog.objects.order_by("-pk").first().rows_unchanged == 2500


# -- a lost link -------------------------------------------------------------------------------------------------

def test_head_reissues_a_lost_link_and_the_old_one_stops_opening(client, head_a, head_b, school_a, school_b,
                                                                  methodologist, viewer):
    from django.core.cache import cache

    cache.clear()
    mine, theirs = make_teacher(school_a), make_teacher(school_b)
    survey = _survey(methodologist)  # a district survey: both schools' people
    own = survey.invitations.get(teacher=mine)
    other = survey.invitations.get(teacher=theirs)
    old = own.token
    surveys.save_answer(own, [{"topic": "Функциональная грамотность", "format": "online"}])
    client.force_login(head_a)
    page = client.get(f"/surveys/{survey.pk}/").content.decode()
    assert f"/surveys/{survey.pk}/links/{own.pk}/reissue/" in page
    assert f"/links/{other.pk}/reissue/" not in page
    response = client.post(f"/surveys/{survey.pk}/links/{own.pk}/reissue/")
    assert response.status_code == 302 and response["Location"].endswith(f"#link-{own.pk}")
    own.refresh_from_db()
    assert own.token != old and own.requests.count() == 1, "the answer stays with the teacher"
    anonymous = Client()
    assert anonymous.get(f"/a/{old}/").status_code == 404
    assert anonymous.get(f"/a/{own.token}/").status_code == 200
    # Another school's person's link: not the head's to replace.
    token = other.token
    assert client.post(f"/surveys/{survey.pk}/links/{other.pk}/reissue/").status_code == 404
    other.refresh_from_db()
    assert other.token == token
    client.force_login(viewer)
    assert client.post(f"/surveys/{survey.pk}/links/{own.pk}/reissue/").status_code == 403
    # Once the survey is closed no link is replaced.
    m.RequestSurvey.objects.filter(pk=survey.pk).update(opens_on=TODAY - timedelta(days=9),
                                                        closes_on=TODAY - timedelta(days=1))
    client.force_login(methodologist)
    assert client.post(f"/surveys/{survey.pk}/links/{own.pk}/reissue/").status_code == 403
    assert client.get(f"/surveys/{survey.pk}/").content.decode().count("/reissue/") == 0


def test_a_forged_x_forwarded_for_does_not_escape_the_throttle(client, settings, methodologist, school_a):
    from django.core.cache import cache

    cache.clear()
    make_teacher(school_a)
    link = _survey(methodologist, school_a).invitations.get()
    settings.SURVEY_THROTTLE = {"ip": (3, 600), "token": (100, 600)}
    url = f"/a/{link.token}/"
    # No proxy configured: X-Forwarded-For is the client's own words, the connection's address counts.
    codes = [Client(HTTP_X_FORWARDED_FOR=f"198.51.100.{i}").get(url).status_code for i in range(4)]
    assert codes == [200, 200, 200, 429]
    cache.clear()
    # Behind one proxy: the entry the proxy appended counts, whatever the client wrote to the left of it.
    settings.TRUSTED_PROXY_COUNT = 1
    codes = [Client(HTTP_X_FORWARDED_FOR=f"198.51.100.{i}, 203.0.113.7").get(url).status_code for i in range(4)]
    assert codes == [200, 200, 200, 429]
    for response in (Client().get(url), Client().get("/a/" + "x" * 40 + "/")):
        assert "no-store" in response["Cache-Control"]


def test_a_row_lists_all_its_problems_at_once(tmp_path, municipality, school_a, methodologist):
    """A bad number and an unknown person in one row: both at the first preview, not the second after a fix."""
    from teachers.importing.service import analyse_kind

    path = tmp_path / "k.xlsx"
    path.write_bytes(_xlsx(COURSE_HEADERS, [["Неизвестная Мария", "01.01.1980", "Курс", "много", "ИРО", None,
                                             "21.02.2025"]]))
    plan = analyse_kind(kinds.get("courses"), path, municipality, path.name, user=methodologist)
    assert [(p.row, p.column, p.message[:20]) for p in plan.problems] == [
        (2, "ФИО", "не найден в базе (по"), (2, "Часов", "нужно число, наприме")]


def test_an_import_without_a_target_locks_the_municipality_while_it_writes(head_a, school_a, tmp_path, monkeypatch):
    """Two different uploads of the same pairs applied at once: the second waits for the first and then finds its
    rows stored (PostgreSQL; SQLite writes one transaction at a time anyway)."""
    from django.db.models import QuerySet

    from teachers.importing.service import apply_kind

    make_teacher(school_a, last_name="Петрова", first_name="Анна", middle_name="", birth_date=date(1985, 3, 12))
    make_teacher(school_a, last_name="Козлов", first_name="Иван", middle_name="", birth_date=date(1979, 2, 1))
    locked, real = [], QuerySet.select_for_update

    def recording(self, *args, **kwargs):
        locked.append(self.model)
        return real(self, *args, **kwargs)

    monkeypatch.setattr(QuerySet, "select_for_update", recording)
    path = tmp_path / "n.xlsx"
    path.write_bytes(_xlsx(["ФИО наставника", "Дата рождения наставника", "ФИО наставляемого",
                            "Дата рождения наставляемого", "Дата начала"],
                           [["Петрова Анна", "12.03.1985", "Козлов Иван", "01.02.1979", "01.09.2025"]]))
    apply_kind(kinds.get("mentorships"), path, None, head_a, path.name)
    assert m.Municipality in locked


def test_no_page_of_the_link_names_the_teacher(settings, methodologist, school_a):
    """The answer page, its source, and the 404 / 410 / 429 answers carry neither the name nor any other data of
    the person the link belongs to."""
    from django.core.cache import cache

    cache.clear()
    teacher = make_teacher(school_a, last_name="Ковалёва", first_name="Нина", middle_name="Андреевна",
                           birth_date=date(1979, 3, 4), email="kovaleva@example.ru", phone="+7 900 000-00-01")
    link = _survey(methodologist, school_a).invitations.get()
    secret = [teacher.last_name, teacher.first_name, teacher.middle_name, teacher.email, teacher.phone, "04.03.1979"]
    if teacher.snils:
        secret.append(teacher.snils)
    client = Client()
    pages = {"answer": client.get(f"/a/{link.token}/")}
    pages["thanks"] = client.post(f"/a/{link.token}/", {
        "r-TOTAL_FORMS": "1", "r-INITIAL_FORMS": "0", "r-MIN_NUM_FORMS": "0", "r-MAX_NUM_FORMS": "5",
        "r-0-topic": "Функциональная грамотность", "r-0-format": "online"})
    pages["again"] = client.get(f"/a/{link.token}/")
    pages["404"] = client.get("/a/" + "y" * 43 + "/")
    settings.SURVEY_THROTTLE = {"token": (1, 600)}
    pages["429"] = client.get(f"/a/{link.token}/")
    cache.clear()
    settings.SURVEY_THROTTLE = {}
    m.RequestSurvey.objects.update(opens_on=TODAY - timedelta(days=9), closes_on=TODAY - timedelta(days=1))
    pages["410"] = client.get(f"/a/{link.token}/")
    assert [(k, r.status_code) for k, r in pages.items()] == [
        ("answer", 200), ("thanks", 200), ("again", 200), ("404", 404), ("429", 429), ("410", 410)]
    for name, response in pages.items():
        body = response.content.decode()
        assert not [s for s in secret if s in body], name
        assert "no-store" in response["Cache-Control"], name
