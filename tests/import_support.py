"""Helpers for the staff import tests: workbooks built in the test, valid rows, valid СНИЛС numbers."""
import io
from datetime import datetime

from openpyxl import Workbook

from teachers.snils import snils_with_control

HEADERS = [
    "ФИО", "Дата рождения", "СНИЛС", "Пол", "Должность", "Вид занятости", "Предметы", "Образование", "Категория",
    "Дата присвоения категории", "Педстаж с", "Общий стаж с", "Нагрузка, ч/нед", "Ставка", "Дата приёма",
    "Дата увольнения", "Эл. почта", "Телефон",
]


def snils_with_checksum(number):
    """A valid 11-digit СНИЛС for a 9-digit number above 001-001-998."""
    return snils_with_control(f"{number:09d}")


def row(**overrides):
    """One valid row as a dict keyed by header."""
    values = {
        "ФИО": "Иванова Мария Петровна",
        "Дата рождения": "17.05.1980",
        "СНИЛС": "112-233-445 95",
        "Пол": "женский",
        "Должность": "учитель",
        "Вид занятости": "основной работник",
        "Предметы": "Математика",
        "Образование": "высшее педагогическое",
        "Категория": "первая",
        "Дата присвоения категории": "25.12.2022",
        "Педстаж с": "01.09.2003",
        "Общий стаж с": "01.09.2002",
        "Нагрузка, ч/нед": 18,
        "Ставка": 1,
        "Дата приёма": "01.09.2015",
        "Дата увольнения": None,
        "Эл. почта": "ivanova@example.ru",
        "Телефон": "+7 918 123-45-67",
    }
    values.update(overrides)
    return values


def xlsx_bytes(rows, headers=HEADERS, sheet_title="Педагоги", formulas=False):
    """A workbook with a header row and `rows`; text starting with «=» stays text unless `formulas`."""
    wb = Workbook()
    ws = wb.active
    ws.title = sheet_title
    ws.append(headers)
    for item in rows:
        values = [item.get(h) for h in headers] if isinstance(item, dict) else list(item)
        ws.append(values)
        if not formulas:
            for cell in ws[ws.max_row]:
                if isinstance(cell.value, str) and cell.value.startswith("="):
                    cell.data_type = "s"
    buffer = io.BytesIO()
    wb.save(buffer)
    return buffer.getvalue()


def write(tmp_path, rows, name="staff.xlsx", **kwargs):
    path = tmp_path / name
    path.write_bytes(xlsx_bytes(rows, **kwargs))
    return path


def excel_date(y, m, d):
    return datetime(y, m, d)
