"""XLSX export of any table exactly as the user sees it filtered and sorted.

Rows are read with a server-side iterator and written by openpyxl in
write-only mode to a temporary file, so memory stays flat for 60,000 rows.
Text that a spreadsheet would take for a formula (= + - @, tab, CR) is
neutralised with a leading apostrophe.
"""
import tempfile
from datetime import date, datetime
from decimal import Decimal

from django.http import FileResponse
from django.utils import timezone
from django.utils.html import strip_tags
import django_tables2 as tables
from django_tables2.rows import BoundRow
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter

FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r")
XLSX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def neutralise(value):
    """A cell value safe to open in a spreadsheet: text never starts a formula."""
    if isinstance(value, str) and value.startswith(FORMULA_TRIGGERS):
        return "'" + value
    return value


def cell_value(value):
    if value is None:
        return None
    if isinstance(value, bool):
        return "да" if value else "нет"
    if isinstance(value, datetime):
        return timezone.localtime(value).replace(tzinfo=None) if timezone.is_aware(value) else value
    if isinstance(value, (int, float, Decimal, date)):
        return value
    return neutralise(strip_tags(str(value)).strip())


def export_columns(table):
    # Hidden columns (visible=False) are part of the export: the spreadsheet carries the whole record.
    return [bc for bc in table.columns.iterall() if not bc.column.exclude_from_export]


# Column classes whose export value is the record's attribute itself (a date stays a date).
PLAIN_COLUMNS = (tables.Column, tables.DateColumn, tables.LinkColumn, tables.BooleanColumn)


def _extractor(table, bound_column):
    """A fast `record -> value` for one column, or None to go through django-tables2's BoundRow.

    BoundRow inspects the signature of every value/render method for every cell; at 60,000 rows × 20 columns
    that is most of an export's time. Tables here declare `value_<column>(record)` or plain accessors.
    """
    name = bound_column.name
    method = getattr(table, f"value_{name}", None)
    if method is not None:
        return method
    if getattr(table, f"render_{name}", None) is not None or type(bound_column.column) not in PLAIN_COLUMNS:
        return None
    accessor = bound_column.accessor

    def value(record):
        try:
            return accessor.resolve(record)
        except (AttributeError, KeyError, IndexError, TypeError, ValueError):
            return None

    return value


def iter_table_rows(table, queryset, chunk_size=2000):
    """Header, then one list of plain values per record, computed like the table's cells."""
    columns = export_columns(table)
    yield [str(bc.header) for bc in columns]
    extractors = [_extractor(table, bc) for bc in columns]
    slow = any(e is None for e in extractors)
    for record in queryset.iterator(chunk_size=chunk_size):
        row = BoundRow(record=record, table=table) if slow else None
        yield [cell_value(extract(record) if extract is not None else row.get_cell_value(bc.name))
               for extract, bc in zip(extractors, columns)]


def write_xlsx(rows, target, *, title):
    wb = Workbook(write_only=True)
    ws = wb.create_sheet(title=title[:31])
    ws.freeze_panes = "A2"
    header = None
    width = 0
    date_format = "DD.MM.YYYY"
    count = 0
    for i, values in enumerate(rows):
        if i == 0:
            header = values
            width = len(values)
            for col, text in enumerate(values, start=1):
                ws.column_dimensions[get_column_letter(col)].width = max(12, min(45, len(str(text)) + 4))
            bold = []
            for text in values:
                cell = WriteOnlyCell(ws, value=neutralise(text))
                cell.font = Font(bold=True)
                bold.append(cell)
            ws.append(bold)
            continue
        cells = []
        for value in values:
            if isinstance(value, date):
                cell = WriteOnlyCell(ws, value=value)
                cell.number_format = date_format
                cells.append(cell)
            else:
                cells.append(value)
        ws.append(cells)
        count += 1
    if header:
        ws.auto_filter.ref = f"A1:{get_column_letter(max(width, 1))}{count + 1}"
    wb.save(target)
    return count


def export_table_response(request, table, queryset, *, filename, title):
    from .models import ExportLog

    order = request.GET.get("sort")
    if order:
        try:
            table.order_by = order
            queryset = table.data.data
        except Exception:  # unknown sort key: export unsorted rather than fail
            pass
    tmp = tempfile.TemporaryFile(suffix=".xlsx")
    count = write_xlsx(iter_table_rows(table, queryset), tmp, title=title)
    tmp.seek(0)
    query = request.GET.copy()
    query.pop("_export", None)
    ExportLog.objects.create(user=request.user, what=str(title), query=query.urlencode()[:2000], rows=count)
    stamp = timezone.localdate().strftime("%Y-%m-%d")
    return FileResponse(tmp, as_attachment=True, filename=f"{filename}-{stamp}.xlsx", content_type=XLSX_CONTENT_TYPE)
