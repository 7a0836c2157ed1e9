"""Shared rendering: PDF through WeasyPrint from a template, XLSX sheets with openpyxl."""
import io
from datetime import date, datetime
from decimal import Decimal

from django.conf import settings
from django.template.loader import render_to_string
from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter

from teachers.exporting import neutralise

PERCENT = "0.0%"
DATE = "DD.MM.YYYY"
HEADER_FILL = PatternFill("solid", fgColor="DDE6F5")


def pdf(template, context, *, landscape=False):
    """A4 PDF (landscape for wide tables) from a template extending reports/pdf_base.html."""
    from weasyprint import HTML

    html = render_to_string(template, {**context, "landscape": landscape})
    return HTML(string=html, base_url=str(settings.BASE_DIR)).write_pdf()


def share(value):
    """A percentage as a spreadsheet number (0.547 shown as 54,7 %), never as text."""
    return None if value is None else float(Decimal(value) / 100)


class Sheet:
    """One worksheet: a title row block, a header row frozen and filtered, typed cells, sensible widths."""

    def __init__(self, wb, title, columns, *, caption=None):
        self.ws = wb.create_sheet(title=title[:31])
        self.columns = columns  # [(header, kind, width)], kind: text/int/decimal/percent/date
        self.row = 1
        if caption:
            self.ws.cell(row=1, column=1, value=neutralise(caption)).font = Font(bold=True, size=12)
            self.row = 3
        self.header_row = self.row
        for col, (header, _kind, width) in enumerate(columns, start=1):
            cell = self.ws.cell(row=self.row, column=col, value=header)
            cell.font = Font(bold=True)
            cell.fill = HEADER_FILL
            cell.alignment = Alignment(wrap_text=True, vertical="top")
            self.ws.column_dimensions[get_column_letter(col)].width = width
        self.ws.freeze_panes = self.ws.cell(row=self.row + 1, column=1)
        self.row += 1

    def append(self, values, kinds=None):
        """One row; `kinds` overrides the columns' kinds for this row (shares and counts in one column)."""
        kinds = kinds or [k for _h, k, _w in self.columns]
        for col, (value, kind) in enumerate(zip(values, kinds), start=1):
            if isinstance(value, str):
                value = neutralise(value)
            if kind == "percent":
                value = share(value)
            elif kind == "decimal" and isinstance(value, Decimal):
                value = float(value)
            elif isinstance(value, datetime):
                value = value.replace(tzinfo=None)
            cell = self.ws.cell(row=self.row, column=col, value=value)
            if kind == "percent":
                cell.number_format = PERCENT
            elif kind == "date" or isinstance(value, date):
                cell.number_format = DATE
            elif kind == "decimal":
                cell.number_format = "0.0"
            elif kind == "wrap":
                cell.alignment = Alignment(wrap_text=True, vertical="top")
        self.row += 1

    def finish(self):
        last = get_column_letter(len(self.columns))
        self.ws.auto_filter.ref = f"A{self.header_row}:{last}{max(self.row - 1, self.header_row)}"
        return self


def workbook():
    wb = Workbook()
    wb.remove(wb.active)
    return wb


def summary_sheet(wb, title, lines):
    """The first sheet: what the document is, for whom, as of when, and how the numbers were made."""
    ws = wb.create_sheet(title="Сводка", index=0)
    ws.column_dimensions["A"].width = 34
    ws.column_dimensions["B"].width = 90
    ws.cell(row=1, column=1, value=neutralise(title)).font = Font(bold=True, size=13)
    for i, (label, value) in enumerate(lines, start=3):
        ws.cell(row=i, column=1, value=label).font = Font(bold=True)
        cell = ws.cell(row=i, column=2, value=neutralise(value) if isinstance(value, str) else value)
        cell.alignment = Alignment(wrap_text=True, vertical="top")
        if isinstance(value, date):
            cell.number_format = DATE
    return ws


def xlsx_bytes(wb):
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()
