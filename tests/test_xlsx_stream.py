"""The streaming XLSX writer: what it writes reads back in openpyxl exactly, with the header frozen and filtered."""
import io
from datetime import date, datetime
from decimal import Decimal

from openpyxl import load_workbook

from teachers.xlsx_stream import write


def test_values_types_and_layout_read_back():
    buf = io.BytesIO()
    rows = [["ФИО", "Дата", "Часы", "Ставка", "Пусто", "Приём"],
            ["Ёлкина <Анна> & «Ко»", date(1980, 2, 29), 18, Decimal("1.25"), None, datetime(2024, 9, 1, 12, 0)],
            ["  пробелы  ", date(2026, 11, 25), 0, 0.5, None, None],
            ["управляющие\x01символы\x0b", None, -3, Decimal("0"), "", None]]
    assert write(rows, buf, title="Педагоги: список/2026") == 3
    wb = load_workbook(io.BytesIO(buf.getvalue()))
    ws = wb.active
    assert ws.title == "Педагоги  список 2026"
    got = [list(r) for r in ws.iter_rows(values_only=True)]
    assert got[0] == rows[0]
    assert got[1][:4] == ["Ёлкина <Анна> & «Ко»", datetime(1980, 2, 29), 18, 1.25]
    assert got[1][5] == datetime(2024, 9, 1, 12, 0)
    assert got[2][0] == "  пробелы  " and got[2][1] == datetime(2026, 11, 25)
    assert got[3][0] == "управляющиесимволы" and got[3][2] == -3
    assert ws["B2"].number_format == "DD.MM.YYYY" and ws["A1"].font.b
    assert ws.freeze_panes == "A2" and ws.auto_filter.ref == "A1:F4"
    assert ws.column_dimensions["A"].width >= 12


def test_an_empty_table_is_still_a_valid_workbook():
    buf = io.BytesIO()
    assert write(iter([["A", "B"]]), buf, title="x") == 0
    ws = load_workbook(io.BytesIO(buf.getvalue())).active
    assert [c.value for c in ws[1]] == ["A", "B"] and ws.max_row == 1
