"""Requisites of organisational documents (приказ, письмо) per ГОСТ Р 7.0.97-2016, shared by every order and letter.

The signer, the executor and the approvers are chosen when ordering (params) and remembered per municipality
(`reports.models.Signatories`); a field left empty falls back on what was remembered, then on the municipality.
"""
import re
from dataclasses import dataclass, field
from datetime import date

from django.utils import timezone

from .base import JobError

NBSP = "\u00a0"
DEFAULT_SIGNER_TITLE = "Начальник управления образованием"
SIGNATORY_FIELDS = ("signer_title", "signer_name", "executor_name", "executor_phone", "approvers")


def initials_surname(name):
    """«Ковалёва Наталья Александровна», «Ковалёва Н. А.» or «Н.А. Ковалёва» → «Н. А. Ковалёва» (ГОСТ Р 7.0.97-2016,
    5.23: the signature is deciphered as initials and surname), non-breaking so it never splits across lines."""
    words = [w for w in re.split(r"[\s\u00a0]+", (name or "").strip()) if w]
    if not words:
        return ""
    parts = []
    for w in words:  # «Н.А.» is two initials
        parts += [p + "." for p in w.split(".") if p] if re.fullmatch(r"(\w\.)+\w?\.?", w) and len(w) <= 6 else [w]
    initials = [p for p in parts if re.fullmatch(r"\w\.", p)]
    others = [p for p in parts if p not in initials]
    if initials and others:
        return NBSP.join(initials + [others[0]])
    if len(others) >= 2:  # Фамилия Имя [Отчество]
        surname, *given = others
        return NBSP.join([g[0].upper() + "." for g in given[:2]] + [surname])
    return others[0] if others else NBSP.join(initials)


def parse_approvers(text):
    """Lines «должность; ФИО» (or «должность — ФИО») → [(title, И. О. Фамилия)]."""
    out = []
    for line in (text or "").splitlines():
        line = line.strip()
        if not line:
            continue
        parts = re.split(r";|\s[—–-]\s", line, maxsplit=1)
        title, name = (parts[0], parts[1]) if len(parts) == 2 else (line, "")
        out.append((title.strip(), initials_surname(name.strip())))
    return out[:12]


@dataclass
class Requisites:
    organisation: str
    place: str
    date: date
    number: str
    signer_title: str
    signer: str  # И. О. Фамилия
    executor: str
    executor_phone: str
    approvers: list = field(default_factory=list)  # [(title, И. О. Фамилия)]

    @property
    def number_display(self):
        return self.number or "____"


def remembered(municipality):
    from ..models import Signatories

    return Signatories.objects.filter(municipality=municipality).first()


def requisites(municipality, params):
    try:
        signed = date.fromisoformat(params["date"]) if params.get("date") else timezone.localdate()
    except ValueError:
        raise JobError("Неверная дата документа.") from None
    saved = remembered(municipality)

    def pick(name, default=""):
        value = (params.get(name) or "").strip()
        return value or (getattr(saved, name, "") if saved else "") or default

    return Requisites(
        organisation=municipality.office_name or f"Управление образованием {municipality}",
        place=municipality.place or str(municipality), date=signed,
        number=(params.get("number") or "").strip()[:30],
        signer_title=pick("signer_title", DEFAULT_SIGNER_TITLE),
        signer=initials_surname(pick("signer_name", municipality.office_head or "")),
        executor=pick("executor_name"), executor_phone=pick("executor_phone"),
        approvers=parse_approvers(pick("approvers")),
    )


def remember(municipality, params):
    """Keep the signer, executor and approvers the user chose for the municipality's next document."""
    from ..models import Signatories

    values = {name: (params.get(name) or "").strip() for name in SIGNATORY_FIELDS}
    if not any(values.values()):
        return None
    obj, _ = Signatories.objects.update_or_create(municipality=municipality, defaults=values)
    return obj


def deadline(municipality, after, *, kinds=None, years=None):
    """The end of the first monitoring stage (of `kinds`, in the municipality's calendar for `years`) that ends on
    or after `after`; None when the calendar has no such stage — the document then names no date rather than
    an invented one."""
    from monitoring.models import Stage

    qs = Stage.objects.filter(monitoring_year__municipality=municipality, end__gte=after)
    if kinds:
        qs = qs.filter(kind__in=kinds)
    if years:
        qs = qs.filter(monitoring_year__year__in=years)
    stage = qs.order_by("end").first()
    return stage.end if stage else None


def window_deadline(municipality, year, direction_code, after):
    """The end of the direction's monitoring window in the year's calendar that ends on or after `after`."""
    from monitoring.models import DirectionWindow

    window = (DirectionWindow.objects.filter(monitoring_year__municipality=municipality, monitoring_year__year=year,
                                             direction__code=direction_code, end__gte=after)
              .order_by("end").first())
    return window


@dataclass
class Appendix:
    """A table appended to an order: the PDF/DOCX table and the XLSX sheet come from the same rows.

    columns: [(header, relative width, kind)] — kind "num", "nowrap" or "text" (PDF/DOCX), with `xlsx` kinds
    derived (num → int/decimal by value); rows: lists of cells, or {"group": text} for a heading row."""
    title: str
    columns: list
    rows: list
    sheet: str = "Приложение"
    note: str = ""
    empty: str = "Записей нет."
    number: int | None = None

    def template_rows(self):
        out = []
        for row in self.rows:
            if isinstance(row, dict):
                out.append(row)
            else:
                out.append({"cells": list(zip([_display(v) for v in row], self.columns))})
        return out


def _display(value):
    from .render import cell_text

    return cell_text(value)


def order_document(name, fmt, *, municipality, req, heading, preamble, items, appendices, progress=None):
    """(name, bytes) of an order in the format asked: PDF and DOCX from the template, XLSX from the same parts."""
    from .render import Sheet, document, summary_sheet, workbook, xlsx_bytes

    if fmt != "xlsx":
        from .render import percent_widths

        apps = [{"title": a.title, "columns": percent_widths(a.columns), "rows": a.template_rows(), "note": a.note,
                 "empty": a.empty, "number": a.number} for a in appendices]
        return name, document("reports/gost_order.html", {
            "title": f"Приказ «{heading}»", "heading": heading, "req": req, "preamble": preamble, "items": items,
            "appendices": apps, "municipality": municipality}, fmt, gost=True)
    wb = workbook()
    summary_sheet(wb, "ПРИКАЗ: " + heading, [
        ("Организация", req.organisation), ("Дата", req.date), ("Номер", req.number_display),
        ("Место издания", req.place), *[("Основание" if i == 0 else "", p) for i, p in enumerate(preamble)],
        *[(f"Пункт {i}", text) for i, text in enumerate(items, start=1)],
        ("Подпись", f"{req.signer_title} {req.signer}".strip()),
        *[("Согласовано", f"{t} {n}".strip()) for t, n in req.approvers],
        ("Исполнитель", f"{req.executor} {req.executor_phone}".strip())])
    for i, app in enumerate(appendices, start=1):
        sheet = Sheet(wb, app.sheet, [(h, "wrap" if kind == "text" else "text", max(6, int(w * 1.1)))
                                      for h, w, kind in app.columns], caption=app.title)
        for row in app.rows:
            if isinstance(row, dict):
                sheet.append([row["group"]] + [None] * (len(app.columns) - 1))
            else:
                sheet.append(list(row), [_xlsx_kind(v, kind) for v, (_h, _w, kind) in zip(row, app.columns)])
        sheet.finish()
    return name, xlsx_bytes(wb)


def _xlsx_kind(value, kind):
    if isinstance(value, date):
        return "date"
    if isinstance(value, int):
        return "int"
    return "wrap" if kind == "text" else "text"
