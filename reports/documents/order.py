"""Приказ об итогах мониторинга with the requisites of ГОСТ Р 7.0.97-2016 and the values as appendix."""
from datetime import date

from django.utils import timezone

from monitoring.briefing import facts

from . import JobError, municipality_for
from .briefing import _year
from .render import Sheet, pdf, summary_sheet, workbook, xlsx_bytes


def _requisites(municipality, params):
    try:
        signed = date.fromisoformat(params["date"]) if params.get("date") else timezone.localdate()
    except ValueError:
        raise JobError("Неверная дата приказа.") from None
    number = (params.get("number") or "").strip()[:30]
    return {
        "organisation": municipality.office_name or f"Управление образованием {municipality}",
        "date": signed, "number": number or "____", "place": municipality.place or str(municipality),
        "head": municipality.office_head or "", "head_title": "Начальник управления образованием",
    }


def items(municipality, year, data):
    """The order's numbered items, drafted from the results."""
    reached = [f for d in data["directions"] for f in d.indicators if f.reached is True]
    missed = [f for d in data["directions"] for f in d.indicators if f.reached is False]
    misses = {}
    for d in data["directions"]:
        for f in d.indicators:
            for name, _ in f.short_schools:
                misses[name] = misses.get(name, 0) + 1
    worst = max(misses.values(), default=0)
    # The schools furthest behind: those missing the most targets (at least two).
    short = sorted(name for name, n in misses.items() if n >= max(2, worst - 1))
    out = [f"Утвердить аналитическую справку по итогам мониторинга системы обеспечения профессионального "
           f"развития педагогических работников за {year} год (приложение 1)."]
    if reached:
        out.append("Признать достигнутыми целевые значения показателей: "
                   + "; ".join(f"{f.indicator.code} «{f.indicator.short_name}» ({f.value.display})" for f in reached)
                   + ".")
    if missed:
        out.append("Признать не достигнутыми целевые значения показателей: "
                   + "; ".join(f"{f.indicator.code} «{f.indicator.short_name}» ({f.value.display} при цели "
                               f"{_fmt(f.target, f.indicator.unit)})" for f in missed) + ".")
    if short:
        out.append(f"Руководителям ОО, не достигшим целевых значений по {max(2, worst - 1)} и более показателям ("
                   + ", ".join(short) + "), разработать и "
                   f"представить в муниципальную методическую службу план мер по устранению отставания в срок до "
                   f"01.03.{year + 1}.")
    out.append("Муниципальной методической службе направить ОО адресные рекомендации по результатам анализа, "
               "обеспечить методическое сопровождение педагогов с выявленными профессиональными дефицитами "
               "и молодых специалистов без наставника.")
    out.append("Руководителям ОО обеспечить своевременное внесение сведений о профессиональном развитии "
               "педагогов и сдачу квартальных отчётов в установленные сроки.")
    out.append("Контроль за исполнением настоящего приказа оставляю за собой.")
    return out


def _fmt(value, unit):
    from indicators.engine import format_number

    return format_number(value, unit)


def build(user, params, fmt, progress):
    municipality = municipality_for(user, params)
    year = _year(params)
    req = _requisites(municipality, params)
    data = facts(municipality, year)
    progress(60)
    title = (f"Об итогах мониторинга системы обеспечения профессионального развития педагогических работников "
             f"за {year} год")
    name = f"prikaz-itogi-monitoringa-{year}"
    order_items = items(municipality, year, data)
    if fmt == "pdf":
        return name, pdf("reports/order.html", {"title": title, "footer": f"Приказ № {req['number']}",
                                                 "municipality": municipality, "year": year, "req": req,
                                                 "items": order_items, "facts": data})
    wb = workbook()
    summary_sheet(wb, "ПРИКАЗ: " + title, [
        ("Организация", req["organisation"]), ("Дата", req["date"]), ("Номер", req["number"]),
        ("Место издания", req["place"]),
        *[(f"Пункт {i}", text) for i, text in enumerate(order_items, start=1)],
        ("Подпись", f"{req['head_title']} {req['head']}".strip())])
    clusters = data["cluster_entities"]
    sheet = Sheet(wb, "Приложение 2", [("Код", "text", 6), ("Показатель", "wrap", 50), ("Район", "decimal", 10),
                                       ("Цель", "decimal", 9), ("Достигнута", "text", 10)]
                  + [(c.name, "decimal", 10) for c in clusters], caption="Значения показателей по району и кластерам")
    for d in data["directions"]:
        for f in d.indicators:
            kind = "percent" if f.indicator.unit == "%" else "decimal"
            sheet.append([f.indicator.code, f.indicator.name, f.value.value, f.target,
                          {True: "да", False: "нет"}.get(f.reached, "")] + [c.value if c else None
                                                                            for _, c, _, _ in f.clusters],
                         ["text", "wrap", kind, kind, "text"] + [kind] * len(clusters))
    sheet.finish()
    return name, xlsx_bytes(wb)
