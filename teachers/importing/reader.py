"""Reading an uploaded workbook without trusting it.

Checks run from cheapest to dearest and the first failure ends the read with
`ImportFileError` carrying a Russian message:

1. size (settings.IMPORT_MAX_FILE_BYTES) and emptiness;
2. the first bytes: an XLSX is a ZIP archive — a CSV, PDF, old .xls or
   password-protected book is named as such;
3. the ZIP directory, before anything is decompressed: macros (vbaProject.bin,
   a macro-enabled content type), encrypted members, too many members, the
   declared uncompressed total (IMPORT_MAX_UNCOMPRESSED_BYTES) and any large
   member's compression ratio (IMPORT_MAX_COMPRESSION_RATIO) — zip bombs stop
   here; Python's zipfile never inflates a member past its declared size;
4. a DOCTYPE in any XML part (entity tricks) is refused;
5. openpyxl in read_only + data_only mode streams the data sheet row by row:
   formulas are never evaluated (a formula cell yields the value Excel stored,
   a text starting with «=» is rejected by the row checks), and reading stops
   at the first row past IMPORT_MAX_ROWS or wider than IMPORT_MAX_COLUMNS.
"""
import logging
import zipfile
from dataclasses import dataclass, field

from django.conf import settings
from openpyxl import load_workbook
from openpyxl.utils import column_index_from_string, get_column_letter
from openpyxl.utils.datetime import from_excel, from_ISO8601
from openpyxl.worksheet._reader import _cast_number
from openpyxl.xml.constants import SHEET_MAIN_NS
from openpyxl.xml.functions import iterparse

from .columns import STAFF
from .values import clean_text, display

logger = logging.getLogger(__name__)

DATA_SHEET_TITLE = "Педагоги"
SERVICE_SHEETS = {"справочники", "инструкция"}
MAX_MEMBERS = 1000
# Small members (styles, themes) may legitimately compress far better than data; only large ones are judged.
RATIO_CHECK_FROM_BYTES = 1024 * 1024
HEADER_SEARCH_ROWS = 10


class ImportFileError(Exception):
    """The file as a whole cannot be imported; str(exc) is the message for the user."""


@dataclass
class SheetData:
    sheet_title: str
    header_row: int
    columns: dict  # column key → 0-based index in the row
    headers: dict  # column key → header as written in the file
    rows: list = field(default_factory=list)  # [(spreadsheet row number, tuple of raw values)]
    unknown: list = field(default_factory=list)  # [(0-based index, header text)] of columns that are ignored
    columnset: object = None

    def understood(self):
        """[(letter, header in the file, what it was understood as or None)] in the file's order."""
        found = [(index, self.headers[key], self.columnset.label(key) if self.columnset else key)
                 for key, index in self.columns.items()]
        found += [(index, text, None) for index, text in self.unknown]
        return [(_letter(index), text, label) for index, text, label in sorted(found)]


def _size(n):
    """File sizes the way people read them: «12,5 МБ», «800 КБ»."""
    if n >= 1024 * 1024:
        text = f"{n / 1024 / 1024:.1f}".rstrip("0").rstrip(".")
        return f"{text} МБ".replace(".", ",")
    return f"{max(1, round(n / 1024))} КБ"


def check_upload_size(size):
    if size == 0:
        raise ImportFileError("Файл пустой (0 байт). Выберите заполненный файл XLSX.")
    limit = settings.IMPORT_MAX_FILE_BYTES
    if size > limit:
        raise ImportFileError(
            f"Файл слишком большой: {_size(size)} при допустимых {_size(limit)}. "
            "Разбейте список на несколько файлов или удалите лишние листы и картинки."
        )


def _sniff(head):
    """Refuse what is plainly not an XLSX, naming what it looks like."""
    if head.startswith(b"PK\x03\x04"):
        return
    if head.startswith(b"PK\x05\x06"):
        raise ImportFileError("Файл — пустой ZIP-архив, а не книга Excel.")
    if head.startswith(b"\xd0\xcf\x11\xe0"):
        raise ImportFileError(
            "Файл в старом формате Excel 97–2003 (.xls) или защищён паролем. Откройте его в Excel или LibreOffice, "
            "снимите пароль и сохраните как «Книга Excel (.xlsx)»."
        )
    if head.startswith(b"%PDF"):
        raise ImportFileError("Это PDF-документ, а не книга Excel. Загрузите файл XLSX, заполненный по шаблону.")
    if head.startswith(b"{\\rtf"):
        raise ImportFileError("Это документ RTF, а не книга Excel. Загрузите файл XLSX, заполненный по шаблону.")
    lowered = head.lstrip(b"\xef\xbb\xbf \r\n\t").lower()
    if lowered.startswith((b"<html", b"<!doctype", b"<?xml", b"<table")):
        raise ImportFileError(
            "Файл — веб-страница или XML, хотя назван как Excel. Откройте его в Excel и сохраните "
            "как «Книга Excel (.xlsx)»."
        )
    if _looks_like_text(head):
        raise ImportFileError(
            "Файл текстовый (похоже на CSV), а не книга Excel. Откройте его в Excel или LibreOffice "
            "и сохраните как «Книга Excel (.xlsx)»."
        )
    raise ImportFileError(
        "Файл не является книгой Excel (.xlsx). Скачайте шаблон, заполните его и загрузите снова."
    )


def _looks_like_text(head):
    if not head:
        return False
    for encoding in ("utf-8", "cp1251"):
        try:
            text = head.decode(encoding)
        except UnicodeDecodeError:
            continue
        printable = sum(ch.isprintable() or ch in "\r\n\t" for ch in text)
        return printable / max(len(text), 1) > 0.95
    return False


def _check_archive(archive, file_name):
    infos = archive.infolist()
    if len(infos) > MAX_MEMBERS:
        raise ImportFileError(f"В архиве файла слишком много частей ({len(infos)}); это не похоже на таблицу Excel.")
    names = {info.filename for info in infos}
    lowered = {n.lower() for n in names}
    if file_name.lower().endswith((".xlsm", ".xltm", ".xlsb")) or any("vbaproject" in n for n in lowered):
        raise ImportFileError(
            "Файл содержит макросы (VBA). Книги с макросами не принимаются: сохраните данные как "
            "«Книга Excel (.xlsx)» без макросов и загрузите снова."
        )
    if "[content_types].xml" not in lowered or "xl/workbook.xml" not in lowered:
        if "content.xml" in lowered and "mimetype" in lowered:
            raise ImportFileError("Это таблица OpenDocument (.ods). Сохраните её как «Книга Excel (.xlsx)».")
        if "word/document.xml" in lowered:
            raise ImportFileError("Это документ Word, а не таблица Excel.")
        raise ImportFileError("Файл — ZIP-архив, но не книга Excel (.xlsx).")
    total = 0
    limit = settings.IMPORT_MAX_UNCOMPRESSED_BYTES
    ratio_limit = settings.IMPORT_MAX_COMPRESSION_RATIO
    for info in infos:
        if info.flag_bits & 0x1:
            raise ImportFileError("Файл зашифрован. Снимите пароль и сохраните как «Книга Excel (.xlsx)».")
        total += info.file_size
        if info.file_size >= RATIO_CHECK_FROM_BYTES and info.file_size > ratio_limit * max(info.compress_size, 1):
            logger.warning("Import refused a zip bomb: %s declares %s bytes from %s", info.filename,
                           info.file_size, info.compress_size)
            raise ImportFileError(
                "Файл отклонён как опасный: после распаковки он стал бы в сотни раз больше "
                "(признак «ZIP-бомбы»). Сохраните таблицу заново в Excel и загрузите снова."
            )
    if total > limit:
        raise ImportFileError(
            f"Файл отклонён: в распакованном виде он занимает {_size(total)}, допустимо не больше {_size(limit)}. "
            "Удалите лишние листы, картинки и оформление или разбейте список на части."
        )
    content_types = archive.read(_member(infos, "[content_types].xml"))
    if b"macroenabled" in content_types.lower() or b"vbaproject" in content_types.lower():
        raise ImportFileError(
            "Файл сохранён как книга с макросами. Сохраните его как «Книга Excel (.xlsx)» без макросов."
        )
    for info in infos:
        if info.filename.lower().endswith((".xml", ".rels")):
            with archive.open(info) as member:
                prologue = member.read(2048)
            if b"<!DOCTYPE" in prologue or b"<!ENTITY" in prologue:
                raise ImportFileError("Файл отклонён как опасный: в его XML-частях есть объявления DOCTYPE/ENTITY.")


def _member(infos, lowered_name):
    return next(info for info in infos if info.filename.lower() == lowered_name)


def _pick_sheet(workbook, sheet_title=DATA_SHEET_TITLE):
    sheets = [ws for ws in workbook.worksheets if getattr(ws, "sheet_state", "visible") == "visible"]
    for ws in sheets:
        if ws.title.strip().lower() == sheet_title.lower():
            return ws
    for ws in sheets:
        if ws.title.strip().lower() not in SERVICE_SHEETS:
            return ws
    raise ImportFileError(f"В книге нет листа с данными. Заполните лист «{sheet_title}» шаблона.")


def _match_headers(row, columnset=STAFF):
    """(columns, headers, unknown, duplicates, blanks) for one candidate header row."""
    columns, headers, unknown, duplicates, blanks = {}, {}, [], [], []
    for index, value in enumerate(row):
        text = clean_text(value)
        if not text:
            blanks.append(index)
            continue
        column = columnset.for_header(text)
        if column is None:
            unknown.append((index, text))
        elif column.key in columns:
            duplicates.append((index, text))
        else:
            columns[column.key] = index
            headers[column.key] = text
    return columns, headers, unknown, duplicates, blanks


def _two_row_header(upper, lower, columnset):
    """A header of two rows (a merged «ФИО» over «Фамилия»/«Имя»/«Отчество», «Курсы» over «Программа»/«Часов»):
    the combined row, or None when `lower` is not a second header row but data."""
    found = _match_headers(lower, columnset)
    recognised = len(found[0]) + len(found[3])
    filled = sum(1 for v in lower if clean_text(v))
    if not recognised or recognised * 2 < filled:
        return None
    combined = []
    for index in range(max(len(upper), len(lower))):
        top = upper[index] if index < len(upper) else None
        bottom = lower[index] if index < len(lower) else None
        # The lower row names the column when it can; a merged cell above it is only the group's title.
        if clean_text(bottom) and (columnset.for_header(clean_text(bottom)) or not clean_text(top)):
            combined.append(bottom)
        else:
            combined.append(top)
    # A group title recognised as a column of its own («ФИО» over the three parts) gives way to its parts.
    columns = _match_headers(combined, columnset)[0]
    for slot in columnset.persons:
        fio = f"{slot}fio"
        if fio in columns and any(p in columns for p in columnset.name_parts(slot)):
            combined[columns[fio]] = None
    return combined


def _letter(index):
    return get_column_letter(index + 1)


def read_workbook(path, file_name="", columnset=STAFF):
    """The data sheet's header map and non-empty rows; raises ImportFileError for anything unreadable."""
    with open(path, "rb") as fh:
        fh.seek(0, 2)
        check_upload_size(fh.tell())
        fh.seek(0)
        _sniff(fh.read(512))
        fh.seek(0)
        try:
            archive = zipfile.ZipFile(fh)
        except (zipfile.BadZipFile, OSError, EOFError, ValueError):
            raise ImportFileError(
                "Файл повреждён: архив XLSX не читается (возможно, файл скачан или скопирован не полностью). "
                "Откройте его в Excel, сохраните заново и загрузите."
            ) from None
        with archive:
            try:
                _check_archive(archive, file_name)
                return _read_rows(fh, columnset)
            except ImportFileError:
                raise
            except Exception:
                # Anything openpyxl or zipfile trips over in a malformed book: a clear message, details in the log.
                logger.warning("Import could not read %r", file_name, exc_info=True)
                raise ImportFileError(
                    "Файл повреждён или не является книгой Excel: его не удалось прочитать. "
                    "Откройте его в Excel, сохраните как «Книга Excel (.xlsx)» и загрузите снова."
                ) from None


def _num(n):
    return f"{n:,}".replace(",", "\u00a0")


_ROW, _CELL, _VALUE, _INLINE, _TEXT = (f"{{{SHEET_MAIN_NS}}}{tag}" for tag in ("row", "c", "v", "is", "t"))


def _sheet_values(ws):
    """The sheet's rows as tuples of values — what `ws.iter_rows(values_only=True)` yields on a read-only sheet
    with reset dimensions (missing rows as empty tuples, cached formula results, dates by the cell's number
    format) — read straight from the sheet's XML. openpyxl builds a dict and a cell per value first, which
    was a third of a 10,000-row import."""
    workbook = ws.parent
    strings = ws._shared_strings
    date_styles, timedelta_styles, epoch = workbook._date_formats, workbook._timedelta_formats, workbook.epoch
    expected = 1
    with ws._get_source() as source:
        for _, element in iterparse(source):
            if element.tag != _ROW:
                continue
            number = element.get("r")
            number = int(number) if number else expected
            if number < expected:  # a repeated or out-of-order row, skipped as openpyxl does
                element.clear()
                continue
            while expected < number:
                expected += 1
                yield ()
            expected += 1
            values = []
            column = 0
            for cell in element.iterfind(_CELL):
                ref = cell.get("r")
                column = column_index_from_string(ref.rstrip("0123456789")) if ref else column + 1
                kind = cell.get("t", "n")
                if kind == "inlineStr":
                    inline = cell.find(_INLINE)
                    value = "".join(t.text or "" for t in inline.iter(_TEXT)) if inline is not None else None
                else:
                    value = cell.findtext(_VALUE) or None
                    if value is None:
                        pass
                    elif kind == "n":
                        value = _cast_number(value)
                        style = cell.get("s")
                        if style and int(style) in date_styles:
                            try:
                                value = from_excel(value, epoch, timedelta=int(style) in timedelta_styles)
                            except (OverflowError, ValueError):
                                value = "#VALUE!"
                    elif kind == "s":
                        value = strings[int(value)]
                    elif kind == "b":
                        value = bool(int(value))
                    elif kind == "d":
                        value = from_ISO8601(value)
                if value is None:
                    continue
                if len(values) < column - 1:
                    values.extend([None] * (column - 1 - len(values)))
                if len(values) == column - 1:
                    values.append(value)
                else:
                    values[column - 1] = value
            element.clear()
            yield tuple(values)


def _rows_of(ws):
    if hasattr(ws, "_get_source") and hasattr(ws, "_shared_strings"):
        return _sheet_values(ws)
    return ws.iter_rows(values_only=True)


def _read_rows(fh, columnset=STAFF):
    max_rows = settings.IMPORT_MAX_ROWS
    workbook = load_workbook(fh, read_only=True, data_only=True, keep_links=False, rich_text=False)
    try:
        ws = _pick_sheet(workbook, columnset.sheet_title)
        # The <dimension> a writer declares may be wrong; rows are counted as they stream by instead.
        ws.reset_dimensions()
        header = None
        header_values = None
        second_row_checked = False
        pending = []  # the first rows, searched for the header
        rows = []
        physical = 0
        for values in _rows_of(ws):
            physical += 1
            values = _within_width(ws.title, values)
            if header is None:
                pending.append((physical, values))
                found = _match_headers(values, columnset)
                if len(found[0]) >= 3 or (len(found[0]) >= 2 and _complete(found[0], columnset)):
                    header = (physical, found)
                    header_values = values
                    if len(pending) > 1 and _match_headers(pending[-2][1], columnset)[0]:
                        # The row above names some columns too: the header is the two rows together.
                        combined = _two_row_header(pending[-2][1], values, columnset)
                        if combined is not None:
                            header = (physical, _match_headers(combined, columnset))
                            second_row_checked = True
                elif physical >= HEADER_SEARCH_ROWS:
                    break
                continue
            if not second_row_checked:
                second_row_checked = True
                combined = _two_row_header(header_values, values, columnset)
                if combined is not None:
                    header = (physical, _match_headers(combined, columnset))
                    continue
            if physical - header[0] > max_rows:
                raise ImportFileError(
                    f"На листе «{ws.title}» больше {_num(max_rows)} строк данных (считая пустые, но оформленные "
                    "строки). Удалите пустые строки под таблицей или разбейте список на несколько файлов."
                )
            if any(clean_text(v) for v in values):
                rows.append((physical, values))
    finally:
        workbook.close()
    if header is None:
        filled = [(n, v) for n, v in pending if any(clean_text(x) for x in v)]
        if not filled:
            raise ImportFileError(f"Лист «{ws.title}» пустой: нет ни заголовков, ни данных.")
        number, values = filled[0]
        columns, headers, unknown, duplicates, blanks = _match_headers(values, columnset)
        _check_headers(ws.title, number, columns, duplicates, columnset, unknown)
        raise ImportFileError(
            f"На листе «{ws.title}» не найдена строка заголовков. В одной из первых {HEADER_SEARCH_ROWS} строк "
            f"должны быть названия столбцов из шаблона; обязательны {columnset.required_headers_text()}."
        )
    header_row, (columns, headers, unknown, duplicates, blanks) = header
    _check_headers(ws.title, header_row, columns, duplicates, columnset, unknown)
    # Data under a column without a header would be lost silently; say so instead.
    orphan = {i for _, values in rows for i in blanks if i < len(values) and clean_text(values[i])}
    width = _header_width(header)
    orphan |= {i for _, values in rows for i in range(width, len(values)) if clean_text(values[i])}
    if orphan:
        letters = ", ".join(_letter(i) for i in sorted(orphan))
        raise ImportFileError(
            f"На листе «{ws.title}» в столбцах {letters} есть данные, но нет заголовка в строке {header_row}. "
            "Подпишите столбец по шаблону или удалите его."
        )
    if not rows:
        raise ImportFileError(f"На листе «{ws.title}» есть заголовки, но нет ни одной строки с данными.")
    return SheetData(ws.title, header_row, columns, headers, rows, unknown=unknown, columnset=columnset)


def _header_width(header):
    columns, headers, unknown, duplicates, blanks = header[1]
    used = list(columns.values()) + [i for i, _ in unknown] + [i for i, _ in duplicates] + blanks
    return max(used) + 1 if used else 0


def _within_width(title, values):
    max_columns = settings.IMPORT_MAX_COLUMNS
    if len(values) <= max_columns:
        return values
    trimmed = _trim(values)
    if len(trimmed) > max_columns:
        raise ImportFileError(
            f"На листе «{title}» слишком много столбцов: заполнен столбец {_letter(len(trimmed) - 1)} "
            f"(№ {len(trimmed)}), допустимо не больше {max_columns}. Удалите лишние столбцы справа."
        )
    if len(values) > 16 * max_columns:
        raise ImportFileError(
            f"На листе «{title}» оформлено слишком много столбцов ({_num(len(values))}). "
            "Удалите пустые оформленные столбцы справа от таблицы."
        )
    return trimmed


def _trim(values):
    end = len(values)
    while end and (values[end - 1] is None or values[end - 1] == ""):
        end -= 1
    return values[:end]


def _complete(columns, columnset):
    """Does a row name every required column? (A two-column list — «ФИО», «СНИЛС» — is a header too.)"""
    for slot in columnset.persons:
        if f"{slot}fio" not in columns and not (f"{slot}last_name" in columns and f"{slot}first_name" in columns):
            return False
    return all(c.key in columns for c in columnset.columns if c.required)


def _check_headers(title, header_row, columns, duplicates, columnset=STAFF, unknown=()):
    """Missing required columns and repeated ones stop the file; unknown columns are only listed as ignored."""
    problems = []
    missing = []
    for slot in columnset.persons:
        fio, last, first = f"{slot}fio", f"{slot}last_name", f"{slot}first_name"
        has_parts = any(k in columns for k in columnset.name_parts(slot))
        if fio in columns and has_parts:
            problems.append(
                f"указаны и «{columnset.label(fio)}», и отдельные «{columnset.label(last)}»/«{columnset.label(first)}»"
                f"/«{columnset.label(slot + 'middle_name')}» — оставьте один вариант")
        elif fio not in columns and not (last in columns and first in columns):
            missing.append(columnset.person_text(slot))
    missing += [f"«{c.header}»" for c in columnset.columns if c.required and c.key not in columns]
    if missing:
        problems.append(f"нет обязательных столбцов: {', '.join(missing)}")
        if unknown:
            # A required column may be there under a spelling we do not know: name what was not understood.
            listed = ", ".join(f"«{display(text, 40)}» ({_letter(i)}{header_row})" for i, text in unknown)
            problems.append(f"не распознаны столбцы: {listed} — переименуйте их как в шаблоне")
    if duplicates:
        listed = ", ".join(f"«{text}» ({_letter(i)}{header_row})" for i, text in duplicates)
        problems.append(f"столбцы повторяются: {listed}")
    if problems:
        raise ImportFileError(f"Заголовки листа «{title}» не подходят: " + "; ".join(problems) + ".")
