"""The XLSX template a school fills in: data sheet «Педагоги», reference sheet «Справочники», «Инструкция».

Allowed values come from the reference tables at the moment of download, and
the columns with a fixed set of values get drop-down validation lists pointing
at «Справочники». Formats and validations are set per column, not per cell, so
the empty template has no rows beyond the header for the reader to count.
"""
from io import BytesIO

from django.conf import settings
from openpyxl import Workbook
from openpyxl.comments import Comment
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.utils import get_column_letter, quote_sheetname
from openpyxl.worksheet.datavalidation import DataValidation

from teachers.models import EducationLevel, Employment, Position, QualificationCategory, Subject, Teacher

from .columns import BY_KEY, STAFF, TEMPLATE_KEYS, required_headers_text
from .reader import DATA_SHEET_TITLE

REFERENCE_SHEET_TITLE = "Справочники"
INSTRUCTION_SHEET_TITLE = "Инструкция"
HEADER_FILL = PatternFill("solid", fgColor="DDEBF7")
REQUIRED_FILL = PatternFill("solid", fgColor="FCE4D6")
THIN = Side(style="thin", color="9BA7B4")
DATE_FORMAT = "DD.MM.YYYY"


def reference_lists():
    """{column key: [allowed values]} for the columns with a fixed set of values."""
    def names(model):
        return list(model.objects.order_by("order", "name").values_list("name", flat=True))

    return {
        "gender": [label for _, label in Teacher.Gender.choices],
        "position": names(Position),
        "employment": [label for _, label in Employment.choices],
        "subjects": names(Subject),
        "education_level": names(EducationLevel),
        "category": names(QualificationCategory),
    }


def build_template(kind=None):
    """The template of an import kind (the staff list by default) as bytes."""
    if kind is None or kind.staff:
        return _staff_template()
    wb = Workbook()
    data = wb.active
    data.title = kind.columns.sheet_title
    refs = wb.create_sheet(REFERENCE_SHEET_TITLE)
    guide = wb.create_sheet(INSTRUCTION_SHEET_TITLE)
    lists = kind.reference_lists()
    ranges = _write_lists(refs, lists, kind.columns, data.title)
    _write_data_sheet(data, ranges, kind.columns)
    _write_kind_instruction(guide, kind)
    wb.active = 0
    buffer = BytesIO()
    wb.save(buffer)
    return buffer.getvalue()


def _staff_template():
    wb = Workbook()
    data = wb.active
    data.title = DATA_SHEET_TITLE
    refs = wb.create_sheet(REFERENCE_SHEET_TITLE)
    guide = wb.create_sheet(INSTRUCTION_SHEET_TITLE)
    lists = reference_lists()
    ranges = _write_reference_sheet(refs, lists)
    _write_data_sheet(data, ranges)
    _write_instruction_sheet(guide, lists)
    _write_columns_table(guide, STAFF, guide.max_row + 2)
    wb.active = 0
    buffer = BytesIO()
    wb.save(buffer)
    return buffer.getvalue()


def _write_reference_sheet(ws, lists):
    titles = {
        "position": "Должность", "employment": "Вид занятости", "subjects": "Предметы",
        "education_level": "Образование", "category": "Категория", "gender": "Пол",
    }
    ranges = {}
    for col, key in enumerate(titles, start=1):
        letter = get_column_letter(col)
        cell = ws.cell(row=1, column=col, value=titles[key])
        cell.font = Font(bold=True)
        cell.fill = HEADER_FILL
        values = lists[key]
        for row, value in enumerate(values, start=2):
            ws.cell(row=row, column=col, value=value)
        ws.column_dimensions[letter].width = max(14, min(48, max(len(v) for v in values) + 2))
        ranges[key] = f"{quote_sheetname(ws.title)}!${letter}$2:${letter}${len(values) + 1}"
    ws.freeze_panes = "A2"
    ws.cell(row=1, column=len(titles) + 2, value=(
        "Значения для выпадающих списков листа «Педагоги». Принимаются и привычные сокращения: "
        "«высшая категория», «1 кат.», «СЗД», «совм.», «высшее пед.» и т. п."
    )).alignment = Alignment(wrap_text=True, vertical="top")
    ws.column_dimensions[get_column_letter(len(titles) + 2)].width = 50
    return ranges


def _write_lists(ws, lists, columnset, data_title):
    """«Справочники» of a kind: one column per list, named by the data column it serves."""
    ranges = {}
    for col, (key, values) in enumerate(lists.items(), start=1):
        letter = get_column_letter(col)
        cell = ws.cell(row=1, column=col, value=columnset.label(key))
        cell.font = Font(bold=True)
        cell.fill = HEADER_FILL
        for row, value in enumerate(values, start=2):
            ws.cell(row=row, column=col, value=value)
        ws.column_dimensions[letter].width = max(14, min(48, max((len(v) for v in values), default=10) + 2))
        ranges[key] = f"{quote_sheetname(ws.title)}!${letter}$2:${letter}${max(len(values), 1) + 1}"
    ws.freeze_panes = "A2"
    note = ws.cell(row=1, column=len(lists) + 2, value=(
        f"Значения для выпадающих списков листа «{data_title}». Регистр, «ё»/«е» и привычные сокращения "
        "не важны."))
    note.alignment = Alignment(wrap_text=True, vertical="top")
    ws.column_dimensions[get_column_letter(len(lists) + 2)].width = 50
    return ranges


def _write_data_sheet(ws, ranges, columnset=STAFF):
    last_row = settings.IMPORT_MAX_ROWS + 1
    ws.freeze_panes = "B2"
    ws.row_dimensions[1].height = 45
    template_keys = columnset.template_keys
    for col, key in enumerate(template_keys, start=1):
        column = columnset.by_key[key]
        letter = get_column_letter(col)
        cell = ws.cell(row=1, column=col, value=column.header)
        cell.font = Font(bold=True)
        cell.fill = REQUIRED_FILL if (column.required or key.endswith("fio")) else HEADER_FILL
        cell.alignment = Alignment(wrap_text=True, vertical="center", horizontal="center")
        cell.border = Border(bottom=THIN, right=THIN)
        if column.note:
            cell.comment = Comment(column.note, "МСОКО", width=260, height=90)
        dimension = ws.column_dimensions[letter]
        dimension.width = column.width
        if column.kind == "date":
            dimension.number_format = DATE_FORMAT
        elif column.kind == "snils" or key in ("phone", "certificate"):
            dimension.number_format = "@"  # text: leading zeros and dashes stay as typed
        cells = f"{letter}2:{letter}{last_row}"
        validation = _validation_for(column, ranges)
        if validation is not None:
            ws.add_data_validation(validation)
            validation.add(cells)
    ws.auto_filter.ref = f"A1:{get_column_letter(len(template_keys))}1"


def _validation_for(column, ranges):
    if column.kind == "list" and column.key in ranges:
        dv = DataValidation(type="list", formula1=f"={ranges[column.key]}", allow_blank=True)
        dv.error = "Выберите значение из списка (лист «Справочники»)."
        dv.errorTitle = column.header
        # A warning, not a stop: typed abbreviations («высшая кат.», «совм.») are understood by the import.
        dv.errorStyle = "warning"
        dv.prompt = column.note or "Выберите из списка."
        dv.promptTitle = column.header
        return dv
    if column.kind == "date":
        dv = DataValidation(type="date", operator="between", formula1="DATE(1900,1,1)", formula2="DATE(2100,12,31)",
                            allow_blank=True)
        dv.error = "Введите дату в виде дд.мм.гггг."
        dv.errorTitle = column.header
        dv.errorStyle = "warning"
        return dv
    if column.kind == "decimal":
        maximum = {"weekly_hours": "72", "rate": "3", "hours": "3000"}.get(column.key, "100000")
        dv = DataValidation(type="decimal", operator="between", formula1="0", formula2=maximum, allow_blank=True)
        dv.error = column.note
        dv.errorTitle = column.header
        dv.errorStyle = "warning"
        return dv
    if column.kind in ("subjects", "many"):
        dv = DataValidation(type="textLength", operator="lessThanOrEqual", formula1="500", allow_blank=True)
        dv.prompt = "Через запятую, названия — с листа «Справочники», например: Математика, Информатика."
        dv.promptTitle = column.header
        return dv
    return None


def _write_instruction_sheet(ws, lists):
    ws.column_dimensions["A"].width = 30
    ws.column_dimensions["B"].width = 95
    lines = [
        ("Как заполнить", None),
        ("1.", f"Заполните лист «{DATA_SHEET_TITLE}»: одна строка — один человек и его должность в вашей ОО. "
               "Если человек занимает две должности, сделайте две строки."),
        ("2.", f"Обязательные столбцы: {required_headers_text()}. Остальные можно оставить пустыми "
               "или удалить; порядок столбцов не важен."),
        ("3.", "Даты — в виде дд.мм.гггг (17.05.1980); подойдут и настоящие даты Excel, и 17.5.80."),
        ("4.", "Значения справочников выбирайте из выпадающих списков (лист «Справочники»); регистр, «ё»/«е» "
               "и лишние пробелы не важны, привычные сокращения понимаются."),
        ("5.", "СНИЛС необязателен, но по нему человек находится надёжнее всего; контрольная сумма проверяется."),
        ("Как загружается", None),
        ("Поиск", "Человек, уже внесённый в базу, находится по СНИЛС, а без СНИЛС — по ФИО и дате рождения; "
                  "его должность в ОО — по должности."),
        ("Обновление", "Заполненная ячейка заменяет сохранённое значение; пустая ячейка ничего не стирает; "
                       "предметы только добавляются."),
        ("Проверка", "Перед записью показывается список всех ошибок (строка, столбец, что не так) и что будет "
                     "добавлено и изменено. Запись — целиком или никак: при любой ошибке ничего не сохраняется."),
        ("Ограничения", f"Не больше {settings.IMPORT_MAX_ROWS:,} строк, {settings.IMPORT_MAX_COLUMNS} столбцов, "
                        f"{settings.IMPORT_MAX_FILE_BYTES // 1024 // 1024} МБ; файлы с макросами не принимаются; "
                        "формулы не вычисляются.".replace(",", "\u00a0", 1)),
        ("Пример строки", None),
    ]
    row = 1
    ws.cell(row=row, column=1, value="Шаблон для загрузки штата педагогических работников").font = Font(bold=True,
                                                                                                     size=13)
    row += 2
    for label, text in lines:
        if text is None:
            ws.cell(row=row, column=1, value=label).font = Font(bold=True)
        else:
            ws.cell(row=row, column=1, value=label).alignment = Alignment(vertical="top")
            cell = ws.cell(row=row, column=2, value=text)
            cell.alignment = Alignment(wrap_text=True, vertical="top")
        row += 1
    for key in TEMPLATE_KEYS:
        column = BY_KEY[key]
        ws.cell(row=row, column=1, value=column.header).font = Font(bold=True)
        example = column.example
        cell = ws.cell(row=row, column=2, value="" if example is None else example)
        cell.alignment = Alignment(horizontal="left")
        if column.kind == "date" or key in ("snils", "phone"):
            cell.number_format = "@"
        row += 1


def _write_kind_instruction(ws, kind):
    ws.column_dimensions["A"].width = 30
    ws.column_dimensions["B"].width = 95
    columnset = kind.columns
    ws.cell(row=1, column=1, value=f"Шаблон загрузки: {kind.title.lower()}").font = Font(bold=True, size=13)
    ws.cell(row=2, column=1, value=kind.description).alignment = Alignment(wrap_text=True)
    lines = [("Как заполнить", None),
             ("1.", f"Заполните лист «{columnset.sheet_title}»: одна строка — одна запись."),
             ("2.", f"Обязательные столбцы: {columnset.required_headers_text()}. Остальные можно оставить пустыми "
                    "или удалить; порядок столбцов не важен, лишние столбцы не учитываются."),
             ("3.", "Даты — дд.мм.гггг (17.05.1980); подойдут и настоящие даты Excel, и 17.5.80, и 1980-05-17."),
             ("4.", "Над таблицей можно оставить заголовок документа; шапка может быть в две строки "
                    "(например, «ФИО», объединённое над «Фамилия», «Имя», «Отчество»)."),
             ]
    if columnset.persons:
        lines.append(("Поиск педагога", "По СНИЛС, а без СНИЛС — по ФИО и дате рождения. Педагог должен быть "
                                         "уже внесён в систему (загрузка штата); руководитель ОО вносит записи "
                                         "только педагогов своей ОО."))
    lines += [(label, text) for label, text in kind.instruction()]
    lines += [("Проверка", "Перед записью показывается список всех ошибок (строка, столбец, что не так) и что будет "
                           "добавлено и изменено. Запись — целиком или никак."),
              ("Ограничения", f"Не больше {settings.IMPORT_MAX_ROWS:,} строк, {settings.IMPORT_MAX_COLUMNS} столбцов, "
                              f"{settings.IMPORT_MAX_FILE_BYTES // 1024 // 1024} МБ; файлы с макросами не "
                              "принимаются; формулы не вычисляются.".replace(",", "\u00a0", 1))]
    row = 4
    for label, text in lines:
        if text is None:
            ws.cell(row=row, column=1, value=label).font = Font(bold=True)
        else:
            ws.cell(row=row, column=1, value=label).alignment = Alignment(vertical="top")
            ws.cell(row=row, column=2, value=text).alignment = Alignment(wrap_text=True, vertical="top")
        row += 1
    _write_columns_table(ws, columnset, row + 1)


def _write_columns_table(ws, columnset, row):
    """Which headers the import understands: the template's name, the other spellings, an example."""
    ws.cell(row=row, column=1, value="Столбцы, которые понимает загрузка").font = Font(bold=True)
    row += 1
    for column in columnset.columns:
        if column.ignored:
            continue
        ws.cell(row=row, column=1, value=column.header + (" *" if column.required else "")).font = Font(bold=True)
        parts = []
        if column.aliases:
            parts.append("также: " + ", ".join(f"«{a}»" for a in column.aliases))
        if column.note:
            parts.append(column.note.rstrip("."))
        if column.example not in (None, ""):
            parts.append(f"пример: {column.example}")
        cell = ws.cell(row=row, column=2, value="; ".join(parts))
        cell.alignment = Alignment(wrap_text=True, vertical="top")
        row += 1
    ws.cell(row=row, column=1, value="* — обязательный столбец. Столбцы с другими названиями не учитываются "
                                      "(в проверке файла они отмечены как «не распознан»).")
