"""The downloadable template: headers, the reference sheet, validation lists, formats; and it imports as filled."""
import io
from datetime import datetime

from openpyxl import load_workbook

from teachers.importing import analyse
from teachers.importing.template import build_template
from teachers.models import Position, QualificationCategory


def template_workbook(client, user):
    client.force_login(user)
    response = client.get("/teachers/import/template.xlsx")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
    assert "attachment" in response["Content-Disposition"]
    return load_workbook(io.BytesIO(response.content))


def test_template_has_russian_headers_reference_sheet_and_instructions(client, head_a):
    wb = template_workbook(client, head_a)
    assert wb.sheetnames == ["Педагоги", "Справочники", "Инструкция"]
    data = wb["Педагоги"]
    headers = [c.value for c in data[1]]
    assert headers == [
        "ФИО", "Дата рождения", "СНИЛС", "Пол", "Должность", "Вид занятости", "Предметы", "Образование", "Категория",
        "Дата присвоения категории", "Педстаж с", "Общий стаж с", "Нагрузка, ч/нед", "Ставка", "Дата приёма",
        "Дата увольнения", "Эл. почта", "Телефон",
    ]
    assert data.freeze_panes == "B2"
    assert data.max_row == 1, "the empty template must not carry pre-formatted rows"
    refs = wb["Справочники"]
    columns = {refs.cell(1, c).value: [refs.cell(r, c).value for r in range(2, refs.max_row + 1)
                                       if refs.cell(r, c).value]
               for c in range(1, 7)}
    assert columns["Должность"] == list(Position.objects.order_by("order", "name").values_list("name", flat=True))
    assert columns["Категория"] == ["высшая", "первая", "соответствие занимаемой должности", "без категории"]
    assert columns["Вид занятости"] == ["основной работник", "внешний совместитель"]
    assert columns["Пол"] == ["женский", "мужской"]
    assert "Математика" in columns["Предметы"]
    guide = [c.value for r in wb["Инструкция"].iter_rows() for c in r if c.value]
    assert any("Пустая ячейка" in str(v) or "пустая ячейка ничего не стирает" in str(v) for v in guide)
    assert "Иванова Мария Петровна" in guide


def test_template_has_validation_lists_and_date_formats(client, head_a):
    wb = template_workbook(client, head_a)
    data = wb["Педагоги"]
    lists = {}
    for dv in data.data_validations.dataValidation:
        lists[str(dv.sqref).split(":")[0]] = (dv.type, dv.formula1)
    assert lists["E2"] == ("list", "='Справочники'!$A$2:$A$16")  # Должность
    assert lists["F2"] == ("list", "='Справочники'!$B$2:$B$3")  # Вид занятости
    assert lists["H2"] == ("list", "='Справочники'!$D$2:$D$6")  # Образование
    assert lists["I2"] == ("list", "='Справочники'!$E$2:$E$5")  # Категория
    assert lists["D2"] == ("list", "='Справочники'!$F$2:$F$3")  # Пол
    assert lists["B2"][0] == "date" and lists["O2"][0] == "date"
    assert data.column_dimensions["B"].number_format == "DD.MM.YYYY"
    assert data.column_dimensions["C"].number_format == "@"


def test_filled_template_imports_cleanly(tmp_path, school_a):
    wb = load_workbook(io.BytesIO(build_template()))
    ws = wb["Педагоги"]
    ws.append(["Иванова Мария Петровна", datetime(1980, 5, 17), "112-233-445 95", "женский", "учитель",
               "основной работник", "Математика, Информатика", "высшее педагогическое",
               QualificationCategory.objects.get(code="first").name, datetime(2022, 12, 25), datetime(2003, 9, 1),
               datetime(2002, 9, 1), 18, 1, datetime(2015, 9, 1), None, "ivanova@example.ru", "+7 918 123-45-67"])
    path = tmp_path / "filled.xlsx"
    wb.save(path)
    plan = analyse(path, school_a, "filled.xlsx")
    assert plan.ok, [str(p) for p in plan.problems]
    assert plan.counts()["teachers_created"] == 1


def test_viewer_cannot_download_the_template(client, viewer):
    client.force_login(viewer)
    assert client.get("/teachers/import/template.xlsx").status_code == 403
