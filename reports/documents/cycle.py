"""The section-2.2 table of the management cycle for a year, in the seed's layout (landscape): a block per step
(цели, показатели, методы…), a row per direction and record, with the seed's columns Мероприятия, Документ, Сроки,
Ответственные/участники — what a reviewer under letter 08-70 asks for. One row generator feeds PDF, DOCX and XLSX."""
from monitoring import cycle

from .base import municipality_for, year_of
from .render import Sheet, document, percent_widths, summary_sheet, workbook, xlsx_bytes

COLUMNS = [("Направление", 15, "text"), ("Содержание", 35, "text"), ("Мероприятия", 18, "text"),
           ("Документ", 12, "text"), ("Сроки", 9, "text"), ("Ответственные / участники", 11, "text")]
ALL_DIRECTIONS = "Все направления"


def _date(d):
    return f"{d:%d.%m.%Y}" if d else ""


def _join(*parts):
    return "\n".join(p.strip() for p in parts if p and p.strip())


def responsible(item):
    """Responsible and participants once each: the seed writes them in one cell, records often repeat them."""
    names = []
    for part in (getattr(item, "responsible", ""), getattr(item, "participants", "")):
        for piece in (part or "").replace(";", ",").split(","):
            piece = piece.strip()
            if piece and piece.lower() not in {n.lower() for n in names}:
                names.append(piece)
    return ", ".join(names)


def cells(key, item):
    """(содержание, мероприятия, документ, сроки, ответственные) of one record of a step."""
    timing = getattr(item, "timing", "") or ""
    doc = getattr(item, "document", "") or ""
    if key == "indicators":
        return f"{item.code}. {item.name}", "", "каталог показателей мониторинга", "", ""
    if key == "monitoring":
        return item.subject or "мониторинг", "", "календарь мониторинга", f"{item.start:%d.%m}–{item.end:%d.%m.%Y}", ""
    if key == "goals":
        content = _join(item.text, f"Обоснование: {item.justification}" if item.justification else "",
                        f"Соответствие региональной цели: {item.get_regional_agreement_display()}")
        return content, item.activities, doc, timing, responsible(item)
    if key == "methods":
        content = _join(f"Сбор: {item.collection}", f"Обработка: {item.processing}" if item.processing else "",
                        f"Информационные системы: {item.information_systems}" if item.information_systems else "")
        return content, "", doc, timing, responsible(item)
    if key == "analysis":
        content = _join(item.text, f"Кластерный анализ: {item.cluster_notes}" if item.cluster_notes else "",
                        f"Факторы: {item.factors}" if item.factors else "")
        return content, "", doc, timing or _date(item.written_on), responsible(item)
    if key == "recommendations":
        content = _join(item.text, f"Кому: {item.addressees()}")
        return content, "", doc, timing or _date(item.due), responsible(item)
    if key == "measures":
        dates = _date(item.start) + (f"–{_date(item.end)}" if item.end else "")
        return item.title, item.get_status_display(), doc, timing or dates, responsible(item)
    if key == "decisions":
        return item.text, "", doc, timing or _date(item.decided_on), responsible(item)
    content = _join(item.conclusions, f"Проблемы: {item.problems}" if item.problems else "")
    return content, "", doc, timing or _date(item.reviewed_on), responsible(item)


def table_rows(rows):
    """[{"group": step}, [direction, content, activities, document, timing, responsible], …]; a record for all
    directions once, under «Все направления»."""
    out = []
    for key, title in cycle.STEPS:
        out.append({"group": title})
        seen = set()
        for row in rows:
            first = True
            for item in row.cells.get(key, []):
                if getattr(item, "direction_id", "x") is None:
                    if item.pk in seen:
                        continue
                    seen.add(item.pk)
                    out.append([ALL_DIRECTIONS, *cells(key, item)])
                    continue
                out.append([row.direction.name if first else "", *cells(key, item)])
                first = False
            if first and not any(getattr(i, "direction_id", "x") is None for i in row.cells.get(key, [])):
                out.append([row.direction.name, "нет", "", "", "", ""])
    return out


def build(user, params, fmt, progress):
    municipality = municipality_for(user, params)
    year = year_of(params)
    rows = cycle.table(municipality, year)
    body = table_rows(rows)
    progress(60)
    title = f"2.2. Система обеспечения профессионального развития педагогических работников — {year} год"
    name = f"tablica-2-2-{year}"
    check = [[r.direction.name, "полный цикл" if r.complete else "нет: " + ", ".join(r.missing)] for r in rows]
    if fmt != "xlsx":
        display = [r if isinstance(r, dict) else {"cells": list(zip(r, COLUMNS))} for r in body]
        return name, document("reports/cycle.html", {"title": title, "municipality": municipality, "year": year,
                                                      "rows": display, "columns": percent_widths(COLUMNS), "check": check},
                              fmt, landscape=True)
    wb = workbook()
    complete = [r.direction.name for r in rows if r.complete]
    summary_sheet(wb, title, [("Муниципалитет", str(municipality)), ("Год", year),
                              ("Полный цикл", ", ".join(complete) or "ни по одному направлению"),
                              *[(r.direction.name, "не хватает: " + ", ".join(r.missing)) for r in rows if r.missing]])
    sheet = Sheet(wb, "Таблица 2.2", [("Этап", "wrap", 18)] + [(h, "wrap", int(w * 1.6)) for h, w, _k in COLUMNS])
    step = ""
    for r in body:
        if isinstance(r, dict):
            step = r["group"]
            continue
        sheet.append([step, *r])
    sheet.finish()
    return name, xlsx_bytes(wb)
