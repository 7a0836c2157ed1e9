"""Shared rendering: PDF through WeasyPrint from a template, XLSX sheets with openpyxl."""
import io
import re
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
TOP = Alignment(vertical="top")
WRAP = Alignment(wrap_text=True, vertical="top")


def html(template, context, *, landscape=False, gost=False):
    return render_to_string(template, {**context, "landscape": landscape, "gost": gost})


def pdf(template, context, *, landscape=False, gost=False):
    """A4 PDF (landscape for wide tables) from a template extending reports/pdf_base.html."""
    from weasyprint import HTML

    return HTML(string=html(template, context, landscape=landscape, gost=gost),
                base_url=str(settings.BASE_DIR)).write_pdf()


def document(template, context, fmt, *, landscape=False, gost=False):
    """The PDF or the DOCX of one template: the text is written once, in the template and its context.

    `gost`: an organisational document (приказ, письмо) — page numbers at the top from page 2, no running footer."""
    if fmt == "docx":
        from .docx import from_html

        return from_html(html(template, context, landscape=landscape, gost=gost), landscape=landscape, gost=gost,
                         footer="" if gost else str(context.get("footer") or context.get("title") or ""))
    return pdf(template, context, landscape=landscape, gost=gost)


def share(value):
    """A percentage as a spreadsheet number (0.547 shown as 54,7 %), never as text."""
    return None if value is None else float(Decimal(value) / 100)


INVALID_TITLE = re.compile(r"[\\/*?:\[\]]")
# Wider than this (in character widths) the sheet prints landscape; A4 portrait holds about 95 at 100 %.
PORTRAIT_WIDTH = 100


def sheet_title(wb, title):
    """A sheet name Excel accepts (31 characters, no []:*?/\\), cut at a whole word and unique in the book."""
    title = INVALID_TITLE.sub(" ", title).strip()
    if len(title) > 31:
        cut = title[:31]
        title = cut[:cut.rfind(" ")] if " " in cut else cut
        title = title.rstrip(" ,;—–-")
    base, n = title, 2
    while title in wb.sheetnames:
        suffix = f" ({n})"
        title = base[:31 - len(suffix)].rstrip() + suffix
        n += 1
    return title


def print_setup(ws, *, width, header_row=None, title=""):
    """A4, fit to one page wide (as many tall as needed), landscape when wide, the header row repeated on every
    page, the title and «стр. N из M» in the footer."""
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.page_setup.orientation = "landscape" if width > PORTRAIT_WIDTH else "portrait"
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0
    ws.print_options.gridLines = False
    ws.page_margins.left, ws.page_margins.right = 0.8, 0.4
    ws.page_margins.top = ws.page_margins.bottom = 0.8
    if header_row:
        ws.print_title_rows = f"{header_row}:{header_row}"
    footer = ws.oddFooter
    footer.left.text = title[:120].replace("&", "&&")
    footer.left.size = 8
    footer.right.text = "стр. &P из &N"
    footer.right.size = 8


def weight(value):
    """A weight or a decimal in a header as Russians write it: 3 or 2,5, never «3.0»."""
    if value is None:
        return ""
    text = f"{Decimal(str(value)).normalize():f}"
    return text.replace(".", ",")


class Sheet:
    """One worksheet: a title row block, a header row frozen and filtered, typed cells, sensible widths, print
    settings (A4, fit to width, header repeated)."""

    def __init__(self, wb, title, columns, *, caption=None):
        self.ws = wb.create_sheet(title=sheet_title(wb, title))
        self.title = caption or title
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
        lines = 1
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
            if kind != "wrap":
                cell.alignment = TOP
            else:
                cell.alignment = WRAP
                if isinstance(value, str):
                    width = max(4, self.columns[col - 1][2] - 2) if col <= len(self.columns) else 40
                    lines = max(lines, sum(max(1, -(-len(part) // width)) for part in value.splitlines() or [""]))
        if lines > 1:
            # openpyxl cannot measure wrapped text and LibreOffice keeps a stored sheet's rows 15 pt high:
            # the height of the lines, so wrapped text does not run over the next row when printed.
            self.ws.row_dimensions[self.row].height = 15 * min(lines, 25)
        self.row += 1

    def finish(self):
        last = get_column_letter(len(self.columns))
        self.ws.auto_filter.ref = f"A{self.header_row}:{last}{max(self.row - 1, self.header_row)}"
        print_setup(self.ws, width=sum(w for _h, _k, w in self.columns), header_row=self.header_row,
                    title=self.title)
        return self


def workbook():
    wb = Workbook()
    wb.remove(wb.active)
    return wb


def summary_sheet(wb, title, lines):
    """The first sheet: what the document is, for whom, as of when, and how the numbers were made."""
    ws = wb.create_sheet(title="Сводка", index=0)
    # 30 + 62 characters fit A4 portrait at 100 %: long texts wrap inside column B instead of running over.
    ws.column_dimensions["A"].width = 30
    ws.column_dimensions["B"].width = 62
    ws.merge_cells("A1:B1")
    head = ws.cell(row=1, column=1, value=neutralise(title))
    head.font = Font(bold=True, size=13)
    head.alignment = Alignment(wrap_text=True, vertical="top")
    ws.row_dimensions[1].height = 18 * max(1, -(-len(title) // 70))
    for i, (label, value) in enumerate(lines, start=3):
        label_cell = ws.cell(row=i, column=1, value=label)
        label_cell.font = Font(bold=True)
        label_cell.alignment = Alignment(wrap_text=True, vertical="top")
        cell = ws.cell(row=i, column=2, value=neutralise(value) if isinstance(value, str) else value)
        cell.alignment = Alignment(wrap_text=True, vertical="top", horizontal="left")
        if isinstance(value, date):
            cell.number_format = DATE
        if isinstance(value, str) and len(value) > 62:
            # openpyxl cannot measure wrapped text: give the row the height of its lines so nothing overlaps.
            lines_needed = sum(max(1, -(-len(part) // 58)) for part in value.splitlines() or [""])
            ws.row_dimensions[i].height = 15 * lines_needed
    print_setup(ws, width=92, title=title)
    return ws


def xlsx_bytes(wb):
    from .reproducible import stable_zip

    buf = io.BytesIO()
    wb.save(buf)
    return stable_zip(buf.getvalue())


def percent_widths(columns, total=None):
    """Column specs (header, weight, kind…) with weights scaled to `total` per cent: a fixed-layout table adds
    each cell's padding and border (about 1.7 % of the portrait text width) to its width, so the columns get
    what is left and the table fits the text width instead of running over the right margin."""
    total = total or 100 - 1.7 * len(columns)
    weights = sum(c[1] for c in columns) or 1
    # Whole numbers: a float would be printed «3,8» by the Russian locale, which CSS does not read.
    return [(c[0], max(1, round(c[1] * total / weights)), *c[2:]) for c in columns]


def cell_text(value):
    """A value as a PDF/DOCX table cell shows it: dates as 03.12.2026, None as empty."""
    if value is None:
        return ""
    if isinstance(value, date):
        return f"{value:%d.%m.%Y}"
    return value


def display_rows(rows):
    return [[cell_text(v) for v in row] for row in rows]
