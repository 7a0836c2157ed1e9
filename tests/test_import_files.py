"""Hostile or broken files: each gets a clear Russian message within seconds, and nothing is written or kept."""
import io
import os
import time
import zipfile

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from openpyxl import Workbook

from teachers.importing.reader import ImportFileError, read_workbook
from teachers.models import Appointment, ImportLog, Teacher

from .import_support import HEADERS, row, xlsx_bytes

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
FEW_SECONDS = 5


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


def upload(client, user, content, name="staff.xlsx"):
    client.force_login(user)
    started = time.perf_counter()
    response = client.post("/teachers/import/k/staff/", {"file": SimpleUploadedFile(name, content, content_type=XLSX)})
    return response, time.perf_counter() - started


def assert_refused(client, head_a, media, content, message, name="staff.xlsx"):
    response, seconds = upload(client, head_a, content, name)
    body = response.content.decode()
    assert response.status_code == 400, body[:500]
    assert message in body, body[body.find("alert"):body.find("alert") + 600]
    assert seconds < FEW_SECONDS
    assert Teacher.objects.count() == 0 and Appointment.objects.count() == 0 and ImportLog.objects.count() == 0
    staged = media / "imports"
    assert not staged.exists() or not any(staged.iterdir()), "a refused file must not be kept"
    return body


def valid_xlsx():
    return xlsx_bytes([row()])


def rezip(content, add=None, drop=(), compress=zipfile.ZIP_DEFLATED):
    """A copy of the XLSX archive with members added or dropped."""
    source = zipfile.ZipFile(io.BytesIO(content))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", compress) as target:
        for info in source.infolist():
            if info.filename not in drop:
                target.writestr(info.filename, source.read(info.filename))
        for name, data in (add or {}).items():
            target.writestr(name, data)
    return out.getvalue()


def test_random_bytes_named_xlsx(client, head_a, media):
    assert_refused(client, head_a, media, os.urandom(20_000).replace(b"PK", b"pk"),
                   "Файл не является книгой Excel (.xlsx)")


def test_csv_renamed_to_xlsx(client, head_a, media):
    content = "ФИО;Дата рождения;Должность;Дата приёма\nИванова Мария;17.05.1980;учитель;01.09.2015\n".encode("cp1251")
    assert_refused(client, head_a, media, content, "Файл текстовый (похоже на CSV)")


def test_pdf_renamed_to_xlsx(client, head_a, media):
    assert_refused(client, head_a, media, b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj\n<<>>\nendobj\n" * 20,
                   "Это PDF-документ, а не книга Excel")


def test_old_xls_or_password_protected_book(client, head_a, media):
    assert_refused(client, head_a, media, b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 5000,
                   "старом формате Excel 97–2003 (.xls) или защищён паролем")


def test_truncated_zip(client, head_a, media):
    content = valid_xlsx()
    assert_refused(client, head_a, media, content[: len(content) // 2], "Файл повреждён")


def test_corrupt_member_inside_a_valid_directory(client, head_a, media):
    content = bytearray(valid_xlsx())
    # Damage the compressed bytes of the first member but keep the central directory intact.
    start = 30 + content[26] + content[28] + 10
    content[start:start + 40] = b"\xff" * 40
    assert_refused(client, head_a, media, bytes(content), "повреждён")


def test_zip_bomb_is_refused_before_inflating(client, head_a, media):
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("xl/workbook.xml", "<workbook/>")
        with archive.open("xl/worksheets/sheet1.xml", "w") as member:
            chunk = b"\0" * (1024 * 1024)
            for _ in range(50):  # 50 MB of zeros, a few dozen kilobytes compressed
                member.write(chunk)
    content = out.getvalue()
    assert len(content) < 200_000
    body = assert_refused(client, head_a, media, content, "признак «ZIP-бомбы»")
    assert "Ничего не записано" in body


def test_declared_uncompressed_total_is_capped(settings, client, head_a, media):
    settings.IMPORT_MAX_UNCOMPRESSED_BYTES = 2 * 1024 * 1024
    content = rezip(valid_xlsx(), add={"xl/media/image1.bin": os.urandom(3 * 1024 * 1024)},
                    compress=zipfile.ZIP_STORED)
    settings.IMPORT_MAX_FILE_BYTES = 10 * 1024 * 1024
    assert_refused(client, head_a, media, content, "в распакованном виде он занимает 3 МБ, допустимо не больше 2 МБ")


def test_lying_declared_size_fails_the_read(client, head_a, media):
    """A member that inflates past the size its header declares is cut off and fails its CRC check."""
    content = bytearray(valid_xlsx())
    archive = zipfile.ZipFile(io.BytesIO(bytes(content)))
    info = next(i for i in archive.infolist() if i.filename == "xl/worksheets/sheet1.xml")
    # Rewrite the sheet's declared size (local header and central directory) to something smaller.
    offset = info.header_offset
    content[offset + 22:offset + 26] = (100).to_bytes(4, "little")
    pos = content.find(b"PK\x01\x02")
    while pos != -1:
        name_len = int.from_bytes(content[pos + 28:pos + 30], "little")
        if content[pos + 46:pos + 46 + name_len] == b"xl/worksheets/sheet1.xml":
            content[pos + 24:pos + 28] = (100).to_bytes(4, "little")
        pos = content.find(b"PK\x01\x02", pos + 4)
    assert_refused(client, head_a, media, bytes(content), "повреждён")


def test_xlsm_with_vba_project(client, head_a, media):
    content = rezip(valid_xlsx(), add={"xl/vbaProject.bin": b"\xd0\xcf\x11\xe0" + os.urandom(2000)})
    assert_refused(client, head_a, media, content, "Файл с макросами (.xlsm) не принимается", name="staff.xlsm")
    # Renamed to .xlsx, the macros are still found inside.
    assert_refused(client, head_a, media, content, "Файл содержит макросы (VBA)")


def test_macro_enabled_content_type(client, head_a, media):
    source = zipfile.ZipFile(io.BytesIO(valid_xlsx()))
    types = source.read("[Content_Types].xml").replace(
        b"spreadsheetml.sheet.main+xml", b"ms-excel.sheet.macroEnabled.main+xml")
    content = rezip(valid_xlsx(), drop={"[Content_Types].xml"}, add={"[Content_Types].xml": types})
    assert_refused(client, head_a, media, content, "сохранён как книга с макросами")


def test_doctype_in_xml_is_refused(client, head_a, media):
    source = zipfile.ZipFile(io.BytesIO(valid_xlsx()))
    workbook = source.read("xl/workbook.xml")
    evil = b'<?xml version="1.0"?><!DOCTYPE lol [<!ENTITY a "aaaaaaaaaa">]>' + workbook.split(b"?>", 1)[-1]
    content = rezip(valid_xlsx(), drop={"xl/workbook.xml"}, add={"xl/workbook.xml": evil})
    assert_refused(client, head_a, media, content, "объявления DOCTYPE/ENTITY")


def test_hundred_thousand_present_but_empty_rows_beyond_the_limit(client, head_a, media):
    wb = Workbook(write_only=True)
    ws = wb.create_sheet("Педагоги")
    ws.append(HEADERS)
    ws.append([row()[h] for h in HEADERS])
    for _ in range(100_000):
        ws.append([None])
    buffer = io.BytesIO()
    wb.save(buffer)
    assert_refused(client, head_a, media, buffer.getvalue(), "больше 20\u00a0000 строк данных")


def test_too_many_columns(client, head_a, media):
    values = [row()[h] for h in HEADERS] + [None] * 60 + ["лишнее"]
    content = xlsx_bytes([values])
    assert_refused(client, head_a, media, content,
                   "слишком много столбцов: заполнен столбец CA (№ 79), допустимо не больше 60")


def test_missing_and_unknown_headers_are_named(client, head_a, media):
    headers = ["ФИО", "Дата рожд.", "Должн.", "Стаж", "Дата приёма"]
    content = xlsx_bytes([["Иванова Мария", "17.05.1980", "учитель", "10", "01.09.2015"]], headers=headers)
    body = assert_refused(client, head_a, media, content, "нет обязательных столбцов: «Должность»")
    assert "не распознаны столбцы: «Должн.» (C1), «Стаж» (D1)" in body


def test_both_full_name_and_parts(client, head_a, media):
    headers = HEADERS + ["Фамилия"]
    assert_refused(client, head_a, media, xlsx_bytes([], headers=headers),
                   "указаны и «ФИО», и отдельные «Фамилия»/«Имя»/«Отчество» — оставьте один вариант")


def test_data_without_a_header(client, head_a, media):
    content = xlsx_bytes([[row()[h] for h in HEADERS] + [None, "что-то"]], headers=HEADERS)
    assert_refused(client, head_a, media, content, "в столбцах T есть данные, но нет заголовка в строке 1")


def test_empty_file(client, head_a, media):
    response, _ = upload(client, head_a, b"")
    assert response.status_code == 400
    assert "Отправленный файл пуст" in response.content.decode() or "Файл пустой" in response.content.decode()
    assert Teacher.objects.count() == 0


def test_empty_workbook(client, head_a, media):
    wb = Workbook()
    buffer = io.BytesIO()
    wb.save(buffer)
    assert_refused(client, head_a, media, buffer.getvalue(), "пустой: нет ни заголовков, ни данных")


def test_headers_without_rows(client, head_a, media):
    assert_refused(client, head_a, media, xlsx_bytes([]), "есть заголовки, но нет ни одной строки с данными")


def test_file_too_large(settings, client, head_a, media):
    settings.IMPORT_MAX_FILE_BYTES = 2048
    assert_refused(client, head_a, media, valid_xlsx() + b"\0" * 4000, "Файл слишком большой")


def test_opendocument_and_word_files_are_named(client, head_a, media):
    ods = io.BytesIO()
    with zipfile.ZipFile(ods, "w") as archive:
        archive.writestr("mimetype", "application/vnd.oasis.opendocument.spreadsheet")
        archive.writestr("content.xml", "<office:document-content/>")
    assert_refused(client, head_a, media, ods.getvalue(), "Это таблица OpenDocument (.ods)")


def test_reader_alone_answers_quickly_for_the_row_limit(tmp_path, settings):
    settings.IMPORT_MAX_ROWS = 50
    path = tmp_path / "many.xlsx"
    path.write_bytes(xlsx_bytes([row()] * 51))
    with pytest.raises(ImportFileError, match="больше 50 строк данных"):
        read_workbook(path, "many.xlsx")
    path.write_bytes(xlsx_bytes([row()] * 50))
    assert len(read_workbook(path, "ok.xlsx").rows) == 50


def test_fast_sheet_reader_gives_what_openpyxl_gives(tmp_path):
    """The reader parses the sheet XML itself; on every kind of cell it must agree with openpyxl's own reader."""
    from datetime import date, datetime

    from openpyxl import load_workbook
    from openpyxl.cell.rich_text import CellRichText, TextBlock
    from openpyxl.cell.text import InlineFont

    from teachers.importing.reader import _sheet_values, _trim

    wb = Workbook()
    ws = wb.active
    ws.append(["текст", 1, 2.5, True, datetime(2020, 1, 2), date(2021, 3, 4), None, "=1+2", "x"])
    ws["B5"] = "после пропуска"
    ws["E6"] = 44000
    ws["E6"].number_format = "DD.MM.YYYY"  # an Excel serial shown as a date is a date
    ws["C6"] = CellRichText(["обычный ", TextBlock(InlineFont(b=True), "жирный")])
    ws["A7"].number_format = "0.00"  # a formatted empty cell
    ws["D7"] = 12
    path = tmp_path / "cells.xlsx"
    wb.save(path)
    book = load_workbook(path, read_only=True, data_only=True, rich_text=False)
    sheet = book.active
    sheet.reset_dimensions()
    expected = [_trim(tuple(r)) for r in sheet.iter_rows(values_only=True)]
    assert [_trim(r) for r in _sheet_values(sheet)] == expected
    assert expected[5][2] == "обычный жирный" and expected[5][4] == datetime(2020, 6, 18)
    book.close()
