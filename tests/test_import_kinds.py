"""Every import kind other than the staff list: a good file, every kind of row error, hostile files, another
school's people, and the layouts people actually have (title rows, two-row headers, extra columns, ФИО in
three columns, dates as text / ISO / Excel serials / real dates)."""
import io
import re
import zipfile
from datetime import date, datetime

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from openpyxl import Workbook

from teachers import models as m
from teachers.importing import kinds
from teachers.importing.reader import ImportFileError, read_workbook
from teachers.importing.service import ImportRejected, analyse_kind, apply_kind
from teachers.importing.template import build_template

from .factories import CampaignFactory, EventFactory, make_teacher
from .import_support import snils_with_checksum

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
S1 = snils_with_checksum(123456789)
S2 = snils_with_checksum(223456789)
S3 = snils_with_checksum(323456789)
PERSON = ["ФИО", "Дата рождения", "СНИЛС"]
PETROVA = ["Петрова Анна Ивановна", "12.03.1985", S1]
KOZLOV = ["Козлов Иван Сергеевич", "01.02.1979", None]
SIDOROVA = ["Сидорова Ольга Николаевна", "05.06.1990", S2]  # works at school B only
UNKNOWN = ["Неизвестный Пётр Петрович", "01.01.1980", None]
BAD_NAME = ["Петрова", "12.03.1985", None]
BAD_DATE = ["Козлов Иван Сергеевич", "31.02.1979", None]
BAD_SNILS = ["Петрова Анна Ивановна", "12.03.1985", S1[:-1] + str((int(S1[-1]) + 1) % 10)]
PERSON_ERRORS = [  # (row cells, column, message) — the same for every kind that names a person
    (BAD_NAME, "ФИО", "нужны хотя бы фамилия и имя"),
    (["Петрова Анна Ивановна", "12.03.1985", S3], "СНИЛС", "в базе есть педагог с такими ФИО и датой рождения, но с "
                                                           "другим СНИЛС"),
    (["Козлов Иван Сергеевич", None, None], "Дата рождения", "без СНИЛС педагог находится по ФИО и дате рождения"),
    (BAD_DATE, "Дата рождения", "нет такой даты"),
    (BAD_SNILS, "СНИЛС", "неверная контрольная сумма"),
    (UNKNOWN, "ФИО", "не найден в базе"),
]


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


@pytest.fixture
def world(municipality, school_a, school_b, head_a, methodologist):
    petrova = make_teacher(school_a, last_name="Петрова", first_name="Анна", middle_name="Ивановна",
                           birth_date=date(1985, 3, 12), snils=S1)
    kozlov = make_teacher(school_a, last_name="Козлов", first_name="Иван", middle_name="Сергеевич",
                          birth_date=date(1979, 2, 1))
    sidorova = make_teacher(school_b, last_name="Сидорова", first_name="Ольга", middle_name="Николаевна",
                            birth_date=date(1990, 6, 5), snils=S2)
    association = m.Association.objects.create(name="РМО учителей математики", municipality=municipality,
                                               kind=m.AssociationKind.objects.get(code="rmo"))
    return {
        "petrova": petrova, "kozlov": kozlov, "sidorova": sidorova, "school": school_a,
        "municipality": municipality, "campaign": CampaignFactory(municipality=municipality, max_score=50),
        "event": EventFactory(municipality=municipality, kind=m.EventKind.objects.get(code="contest"),
                              title="Учитель года — 2025"),
        "association": association,
    }


def target_for(code, world):
    return {"diagnostics": world["campaign"], "courses": world["municipality"], "participants": world["event"],
            "memberships": world["association"], "mentorships": None, "vacancies": world["school"]}[code]


# Per kind: headers, good rows, how many records they make, the kind's own bad rows, the model counted.
SPECS = {
    "diagnostics": {
        "headers": PERSON + ["Балл", "Дефициты"],
        "good": [PETROVA + [34, "методические, ИКТ"], KOZLOV + ["41,5", "нет"]],
        "model": m.DiagnosticResult,
        "bad": [(KOZLOV + [60, None], "Балл", "должно быть от 0 до 50"),
                (KOZLOV + [10, "телепатия"], "Дефициты", "«телепатия» — нет в справочнике")],
        "tail": [10, None],
    },
    "courses": {
        "headers": PERSON + ["Программа", "Часов", "Организация", "Дата начала", "Дата окончания",
                             "Номер удостоверения", "Дата выдачи"],
        "good": [PETROVA + ["Обновлённые ФГОС", 72, "ИРО", "10.02.2025", "21.02.2025", "231200001", "21.02.2025"],
                 KOZLOV + ["Обновлённые ФГОС", 72, "ИРО", "10.02.2025", "21.02.2025", "231200002", "21.02.2025"]],
        "model": m.Participation,
        "bad": [(KOZLOV + ["Курс", "много", "ИРО", None, "21.02.2025", None, None], "Часов", "нужно число"),
                (KOZLOV + ["Курс", 36, "ИРО", "22.02.2025", "21.02.2025", None, None], "Дата начала",
                 "дата начала позже даты окончания"),
                (KOZLOV + [None, 36, "ИРО", None, "21.02.2025", None, None], "Программа",
                 "не заполнено (обязательный столбец)")],
        "tail": ["Курс", 36, "ИРО", None, "21.02.2025", None, None],
    },
    "participants": {
        "headers": PERSON + ["Роль", "Результат"],
        "good": [PETROVA + ["победитель", "1 место"], KOZLOV + ["лауреат", None]],
        "model": m.Participation,
        "bad": [(KOZLOV + ["зритель", None], "Роль", "нет в справочнике «Роль»")],
        "tail": [None, None],
    },
    "memberships": {
        "headers": PERSON + ["Роль", "Дата включения", "Дата выхода"],
        "good": [PETROVA + ["руководитель", "01.09.2024", None], KOZLOV + [None, "01.09.2024", "31.05.2025"]],
        "model": m.Membership,
        "bad": [(KOZLOV + [None, "01.09.2024", "31.05.2024"], "Дата выхода", "дата выхода раньше даты включения"),
                (KOZLOV + [None, None, None], "Дата включения", "не заполнено (обязательный столбец)")],
        "tail": [None, "01.09.2024", None],
    },
}
MENTOR_HEADERS = ["ФИО наставника", "Дата рождения наставника", "СНИЛС наставника", "ФИО наставляемого",
                  "Дата рождения наставляемого", "СНИЛС наставляемого", "Уровень", "Дата начала"]
VACANCY_HEADERS = ["Должность", "Предмет", "Нагрузка, ч/нед", "Дата открытия", "Дата закрытия", "Жильё"]
PERSON_KINDS = list(SPECS)


def xlsx(headers, rows, title_rows=(), sheet="Лист1"):
    wb = Workbook()
    ws = wb.active
    ws.title = sheet
    for line in title_rows:
        ws.append(line)
    ws.append(headers)
    for values in rows:
        ws.append(list(values))
    buffer = io.BytesIO()
    wb.save(buffer)
    return buffer.getvalue()


def analyse(tmp_path, code, content, world, user):
    path = tmp_path / f"{code}.xlsx"
    path.write_bytes(content)
    return path, analyse_kind(kinds.get(code), path, target_for(code, world), path.name, user=user)


def problems_text(plan):
    return [str(p) for p in plan.problems]


# -- good files ---------------------------------------------------------------------------------------------


@pytest.mark.parametrize("code", PERSON_KINDS)
def test_good_file_is_applied_once_and_a_repeat_changes_nothing(tmp_path, world, head_a, code):
    spec = SPECS[code]
    path, plan = analyse(tmp_path, code, xlsx(spec["headers"], spec["good"]), world, head_a)
    assert plan.ok, problems_text(plan)
    assert plan.counts()["created"] == 2
    log = apply_kind(kinds.get(code), path, target_for(code, world), head_a, path.name)
    assert (log.kind, log.records_created, log.user) == (code, 2, head_a)
    assert spec["model"].objects.count() == 2
    assert spec["model"].history.filter(history_user=head_a).count() == 2
    _, again = analyse(tmp_path, code, xlsx(spec["headers"], spec["good"]), world, head_a)
    assert again.ok and again.counts()["rows_unchanged"] == 2


def test_diagnostic_results_keep_deficits_score_and_flag(tmp_path, world, methodologist):
    spec = SPECS["diagnostics"]
    path, plan = analyse(tmp_path, "diagnostics", xlsx(spec["headers"], spec["good"]), world, methodologist)
    apply_kind(kinds.get("diagnostics"), path, world["campaign"], methodologist, path.name)
    petrova = m.DiagnosticResult.objects.get(teacher=world["petrova"])
    assert petrova.score == 34 and petrova.has_deficits
    assert sorted(petrova.deficit_areas.values_list("code", flat=True)) == ["digital", "methodical"]
    assert petrova.history.get().deficit_areas.count() == 2, "the history row snapshots the deficit areas"
    kozlov = m.DiagnosticResult.objects.get(teacher=world["kozlov"])
    assert str(kozlov.score) == "41.50" and not kozlov.has_deficits
    # A second file updates the score and only adds deficit areas.
    rows = [PETROVA + [40, "предметные"]]
    path, plan = analyse(tmp_path, "diagnostics", xlsx(spec["headers"], rows), world, methodologist)
    assert plan.counts()["updated"] == 1
    changes = {c.label: (c.old, c.new) for c in plan.items[0].changes}
    assert changes["Балл"] == ("34", "40") and "предметные" in changes["Дефициты"][1]
    apply_kind(kinds.get("diagnostics"), path, world["campaign"], methodologist, path.name)
    petrova.refresh_from_db()
    assert petrova.score == 40 and petrova.deficit_areas.count() == 3


def test_course_completions_find_or_create_the_course(tmp_path, world, methodologist):
    spec = SPECS["courses"]
    existing = m.Event.objects.create(title="обновлённые фгос", organizer="ИРО", municipality=world["municipality"],
                                      kind=m.EventKind.objects.get(code="course"),
                                      level=m.EventLevel.objects.get(code="regional"),
                                      start_date=date(2025, 2, 10), end_date=date(2025, 2, 21), hours=72)
    rows = spec["good"] + [["Петрова Анна Ивановна", "12.03.1985", S1, "Цифровая школа", "36 ч", "ЦНППМ",
                            "01.03.2025", "15.03.2025", "№ 77", "15.03.2025"]]
    path, plan = analyse(tmp_path, "courses", xlsx(spec["headers"], rows), world, methodologist)
    assert plan.ok, problems_text(plan)
    assert plan.counts()["events_created"] == 1
    apply_kind(kinds.get("courses"), path, world["municipality"], methodologist, path.name)
    assert m.Event.objects.count() == 3  # the contest, the course found, the new one
    assert existing.participations.count() == 2
    new = m.Event.objects.get(title="Цифровая школа")
    assert (new.hours, new.organizer, new.kind.code, new.level.code) == (36, "ЦНППМ", "course", "regional")
    participation = new.participations.get()
    assert (participation.certificate, participation.certificate_date) == ("№ 77", date(2025, 3, 15))


def test_mentorship_pairs_and_vacancies(tmp_path, world, head_a, school_a):
    rows = [PETROVA + KOZLOV + ["школьный", "01.09.2025"]]
    path, plan = analyse(tmp_path, "mentorships", xlsx(MENTOR_HEADERS, rows), world, head_a)
    assert plan.ok, problems_text(plan)
    apply_kind(kinds.get("mentorships"), path, None, head_a, path.name)
    pair = m.Mentorship.objects.get()
    assert (pair.mentor, pair.mentee, pair.level, pair.start) == (world["petrova"], world["kozlov"], "school",
                                                                 date(2025, 9, 1))
    same = [PETROVA + PETROVA + [None, "01.09.2025"]]
    _, plan = analyse(tmp_path, "mentorships", xlsx(MENTOR_HEADERS, same), world, head_a)
    assert "строка 2, «ФИО наставляемого»: Петрова Анна Ивановна — наставник и наставляемый — один и тот же " \
           "человек" in problems_text(plan)

    rows = [["учитель", "математика", 18, "01.06.2025", None, "да"], ["педагог-психолог", None, "0,5", "01.06.2025",
                                                                       None, "нет"]]
    path, plan = analyse(tmp_path, "vacancies", xlsx(VACANCY_HEADERS, rows), world, head_a)
    assert plan.ok, problems_text(plan)
    apply_kind(kinds.get("vacancies"), path, school_a, head_a, path.name)
    assert m.Vacancy.objects.filter(school=school_a, housing=True, subject__code="math").count() == 1
    bad = [["директор школы", None, 18, "01.06.2025", None, None], ["учитель", None, 100, "01.06.2025", None, "может"],
           ["учитель", None, 18, "01.06.2025", "01.05.2025", None]]
    _, plan = analyse(tmp_path, "vacancies", xlsx(VACANCY_HEADERS, bad), world, head_a)
    text = "\n".join(problems_text(plan))
    assert "строка 2, «Должность»: директор школы — нет в справочнике «Должности»" in text
    assert "строка 3, «Нагрузка, ч/нед»: 100 — должно быть от 0 до 72" in text
    assert "строка 3, «Жильё»: может — укажите «да» или «нет»" in text
    assert "строка 4, «Дата закрытия»: 01.05.2025 — дата закрытия раньше даты открытия (01.06.2025)" in text


# -- every kind of row error --------------------------------------------------------------------------------


@pytest.mark.parametrize("code", PERSON_KINDS)
def test_every_kind_of_row_error_is_reported_and_nothing_is_written(tmp_path, world, methodologist, code):
    spec = SPECS[code]
    rows = [spec["good"][0]]  # row 2 is valid; its repeat below is an error
    expected = []
    for cells, column, message in PERSON_ERRORS:
        rows.append(cells + spec["tail"])
        expected.append((len(rows) + 1, column, message))
    for cells, column, message in spec["bad"]:
        rows.append(cells)
        expected.append((len(rows) + 1, column, message))
    rows.append(spec["good"][0])
    expected.append((len(rows) + 1, "", "повтор: та же запись уже есть в строке 2"))
    path, plan = analyse(tmp_path, code, xlsx(spec["headers"], rows), world, methodologist)
    found = [(p.row, p.column, p.message) for p in plan.problems]
    for number, column, message in expected:
        assert any(r == number and c == column and message in text for r, c, text in found), (
            number, column, message, found)
    with pytest.raises(ImportRejected):
        apply_kind(kinds.get(code), path, target_for(code, world), methodologist, path.name)
    assert spec["model"].objects.count() == 0 and m.ImportLog.objects.count() == 0


# -- another school's people ----------------------------------------------------------------------------------


@pytest.mark.parametrize("code", PERSON_KINDS)
def test_head_cannot_touch_another_schools_people(tmp_path, world, head_a, methodologist, school_a, code):
    spec = SPECS[code]
    rows = [spec["good"][0], SIDOROVA + spec["tail"]]
    path, plan = analyse(tmp_path, code, xlsx(spec["headers"], rows), world, head_a)
    assert [str(p) for p in plan.problems] == [
        f"строка 3, «СНИЛС»: {S2[:3]}-{S2[3:6]}-{S2[6:9]} {S2[9:]} — не найден среди педагогов, доступных вам "
        "(поиск по СНИЛС, иначе по ФИО и дате рождения)"] or plan.problems[0].message.startswith("не найден среди")
    assert plan.problems[0].row == 3 and "Сидорова" not in str(plan.problems[0].message)
    # The methodologist of the district may write the same file.
    _, plan = analyse(tmp_path, code, xlsx(spec["headers"], rows), world, methodologist)
    assert plan.ok, problems_text(plan)
    # A person who works at both schools is the head's too; one who left school A is not.
    m.Appointment.objects.create(teacher=world["sidorova"], school=school_a,
                                 position=m.Position.objects.get(code="teacher"), hired=date(2020, 9, 1))
    m.Appointment.objects.filter(teacher=world["kozlov"]).update(dismissed=date(2024, 6, 1))
    rows = [SIDOROVA + spec["tail"], KOZLOV + spec["tail"]]
    _, plan = analyse(tmp_path, code, xlsx(spec["headers"], rows), world, head_a)
    assert [(p.row, p.message) for p in plan.problems] == [
        (3, "педагог сейчас не работает в вашей ОО — эту запись вносит ОО, где он работает, или методист района")]


def test_head_cannot_import_into_another_schools_targets(client, world, head_a, school_b):
    client.force_login(head_a)
    content = xlsx(VACANCY_HEADERS, [["учитель", None, 18, "01.06.2025", None, None]])
    response = client.post("/teachers/import/k/vacancies/", {
        "school": school_b.pk, "file": SimpleUploadedFile("v.xlsx", content, content_type=XLSX)})
    # A head has one school: the field is fixed to it, another school's id is refused.
    assert response.status_code == 400 and "загрузить можно только туда, что вам доступно" in response.content.decode()
    own_shmo = m.Association.objects.create(name="ШМО СОШ №2", municipality=world["municipality"], school=school_b,
                                            kind=m.AssociationKind.objects.get(code="shmo"))
    response = client.post("/teachers/import/k/memberships/", {
        "association": own_shmo.pk, "file": SimpleUploadedFile("m.xlsx", content, content_type=XLSX)})
    assert response.status_code == 400 and m.Membership.objects.count() == 0


# -- hostile files ---------------------------------------------------------------------------------------------


def zip_bomb():
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("xl/workbook.xml", "<workbook/>")
        with archive.open("xl/worksheets/sheet1.xml", "w") as member:
            for _ in range(50):
                member.write(b"\0" * (1024 * 1024))
    return out.getvalue()


def with_macros(content):
    source = zipfile.ZipFile(io.BytesIO(content))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            target.writestr(info.filename, source.read(info.filename))
        target.writestr("xl/vbaProject.bin", b"\0" * 100)
    return out.getvalue()


HOSTILE = {
    "csv": (lambda good: "ФИО;Балл\nИванова;1\n".encode("cp1251"), "Файл текстовый (похоже на CSV)"),
    "zip-bomb": (lambda good: zip_bomb(), "признак «ZIP-бомбы»"),
    "macros": (with_macros, "Файл содержит макросы (VBA)"),
    "too-large": (lambda good: good + b"\0" * (300 * 1024), "Файл слишком большой"),
    "no-header": (lambda good: xlsx(["Что-то", "Другое"], [["1", "2"]]), "не распознаны столбцы: «Что-то» (A1)"),
}


@pytest.mark.parametrize("hostile", list(HOSTILE))
@pytest.mark.parametrize("code", [k.code for k in kinds.KINDS if not k.staff])
def test_hostile_files_are_refused_for_every_kind(client, world, methodologist, settings, media, code, hostile):
    settings.IMPORT_MAX_FILE_BYTES = 200 * 1024
    headers = SPECS[code]["headers"] if code in SPECS else (MENTOR_HEADERS if code == "mentorships"
                                                             else VACANCY_HEADERS)
    good = xlsx(headers, [])
    make, message = HOSTILE[hostile]
    client.force_login(methodologist)
    target = target_for(code, world)
    data = {kinds.get(code).context.name: target.pk} if kinds.get(code).context else {}
    response = client.post(f"/teachers/import/k/{code}/", {
        **data, "file": SimpleUploadedFile("file.xlsx", make(good), content_type=XLSX)})
    body = response.content.decode()
    assert response.status_code == 400 and message in body, body[body.find("alert"):body.find("alert") + 400]
    assert not (media / "imports").exists() or not any((media / "imports").iterdir())
    assert m.ImportLog.objects.count() == 0


# -- layouts -------------------------------------------------------------------------------------------------


def test_layouts_title_rows_two_row_header_extra_columns_and_date_forms(tmp_path, world, head_a):
    """A regional centre's file: a title above, «ФИО» merged over three columns, «Дата рождения» merged down,
    extra columns, dates as ISO text, a two-digit year, a real date and an Excel serial."""
    wb = Workbook()
    ws = wb.active
    ws.append(["Результаты диагностики профессиональных дефицитов, ЦНППМ, апрель 2025"])
    ws.append([])
    ws.append(["№", "ФИО", None, None, "Дата рождения", "ОО", "Результаты", None])
    ws.append([None, "Фамилия", "Имя", "Отчество", None, None, "Балл", "Дефициты"])
    ws.merge_cells("B3:D3")
    ws.merge_cells("E3:E4")
    ws.merge_cells("G3:H3")
    ws.append([1, "ПЕТРОВА", "анна", "Ивановна", "1985-03-12", "СОШ №1", 30, "методические"])
    ws.append([2, "Козлов", "Иван", "Сергеевич", "01.02.79", "СОШ №1", 25, None])
    ws.append([3, "Петрова", "Анна", "Ивановна", datetime(1985, 3, 12), "СОШ №1", 30, None])
    buffer = io.BytesIO()
    wb.save(buffer)
    path, plan = analyse(tmp_path, "diagnostics", buffer.getvalue(), world, head_a)
    understood = {header: label for _, header, label in plan.sheet.understood()}
    assert understood == {"№": "№ п/п", "Фамилия": "Фамилия", "Имя": "Имя", "Отчество": "Отчество",
                          "Дата рождения": "Дата рождения", "ОО": None, "Балл": "Балл", "Дефициты": "Дефициты"}
    assert problems_text(plan) == ["строка 7: повтор: та же запись уже есть в строке 5"]
    assert plan.sheet.header_row == 4 and [r.number for r in plan.rows] == [5, 6, 7]
    # An Excel serial number (as a date cell stored without a format) is a date too.
    ws.delete_rows(7)
    ws.cell(row=6, column=5, value=28887)  # 1979-02-01
    buffer = io.BytesIO()
    wb.save(buffer)
    _, plan = analyse(tmp_path, "diagnostics", buffer.getvalue(), world, head_a)
    assert plan.ok, problems_text(plan)
    assert {item.values["teacher_id"] for item in plan.items} == {world["petrova"].pk, world["kozlov"].pk}


@pytest.mark.parametrize("code", PERSON_KINDS)
def test_fio_in_three_columns_and_a_title_row_for_every_kind(tmp_path, world, head_a, code):
    spec = SPECS[code]
    headers = ["Фамилия", "Имя", "Отчество"] + spec["headers"][1:] + ["Примечание методиста"]
    rows = [row[0].split() + row[1:] + ["что угодно"] for row in spec["good"]]
    content = xlsx(headers, rows, title_rows=[["Сведения для загрузки"], []])
    _, plan = analyse(tmp_path, code, content, world, head_a)
    assert plan.ok, problems_text(plan)
    assert plan.counts()["created"] == 2
    assert ("Примечание методиста", None) in [(h, label) for _, h, label in plan.sheet.understood()]


@pytest.mark.parametrize("kind", kinds.KINDS, ids=lambda k: k.code)
def test_each_template_reads_back_and_lists_the_columns(tmp_path, world, kind):
    content = build_template(kind)
    path = tmp_path / "template.xlsx"
    path.write_bytes(content)
    with pytest.raises(ImportFileError, match="нет ни одной строки с данными"):
        read_workbook(path, "template.xlsx", kind.columns)
    from openpyxl import load_workbook

    wb = load_workbook(io.BytesIO(content))
    assert wb.sheetnames == [kind.columns.sheet_title, "Справочники", "Инструкция"]
    guide = "\n".join(str(c.value) for row in wb["Инструкция"].iter_rows() for c in row if c.value)
    assert "Столбцы, которые понимает загрузка" in guide
    for key in kind.columns.template_keys:
        assert kind.columns.by_key[key].header in guide
    validations = wb[kind.columns.sheet_title].data_validations.dataValidation
    lists = [key for key in kind.reference_lists() if kind.columns.by_key[key].kind == "list"]
    assert any(v.type == "list" for v in validations) == bool(lists)


# -- pages -------------------------------------------------------------------------------------------------


def test_import_page_lists_kinds_by_role(client, world, head_a, viewer):
    client.force_login(head_a)
    page = client.get("/teachers/import/").content.decode()
    for kind in kinds.KINDS:
        assert kind.title in page and f"/teachers/import/k/{kind.code}/template.xlsx" in page
    assert client.get("/teachers/import/k/nonsense/").status_code == 404
    client.force_login(viewer)
    assert client.get("/teachers/import/").status_code == 403
    assert client.get("/teachers/import/k/diagnostics/").status_code == 403


def test_upload_preview_apply_through_the_pages(client, world, methodologist):
    spec = SPECS["participants"]
    client.force_login(methodologist)
    page = client.get("/teachers/import/k/participants/").content.decode()
    picker = re.search(r'data-picker-url="([^"]+)"', page).group(1)  # the events come as the user types
    found = [r["text"] for r in client.get(picker, {"q": "Учитель"}).json()["results"]]
    assert any(text.startswith("Учитель года — 2025") for text in found), found
    content = xlsx(spec["headers"] + ["Стаж"], [r + ["10"] for r in spec["good"]])
    response = client.post("/teachers/import/k/participants/", {
        "event": world["event"].pk, "file": SimpleUploadedFile("конкурс.xlsx", content, content_type=XLSX)})
    assert response.status_code == 302, response.content.decode()[:500]
    preview = client.get(response["Location"]).content.decode()
    assert 'data-testid="count-created">2<' in preview and "не распознан" in preview and "Стаж" in preview
    assert "победитель, 1 место" in preview
    applied = client.post(response["Location"] + "apply/", follow=True).content.decode()
    assert "Загрузка применена" in applied and 'data-testid="log-created">2<' in applied
    assert world["event"].participations.filter(role="winner").count() == 1
    assert "конкурс.xlsx" in client.get("/teachers/import/").content.decode()
    assert "конкурс.xlsx" in client.get("/teachers/import/k/participants/").content.decode()


def test_mentorship_rows_touching_another_schools_people(tmp_path, world, head_a, methodologist):
    rows = [PETROVA + SIDOROVA + [None, "01.09.2025"],  # the mentee works at school B: not the head's to write
            SIDOROVA + KOZLOV + [None, "01.09.2025"]]  # a mentor from school B is not visible to the head
    _, plan = analyse(tmp_path, "mentorships", xlsx(MENTOR_HEADERS, rows), world, head_a)
    assert [(p.row, p.column, p.message) for p in plan.problems] == [
        (2, "СНИЛС наставляемого", "не найден среди педагогов, доступных вам (поиск по СНИЛС, иначе по ФИО и дате "
                                   "рождения)"),
        (3, "СНИЛС наставника", "не найден среди педагогов, доступных вам (поиск по СНИЛС, иначе по ФИО и дате "
                                "рождения)")]
    _, plan = analyse(tmp_path, "mentorships", xlsx(MENTOR_HEADERS, rows), world, methodologist)
    assert plan.ok, problems_text(plan)
