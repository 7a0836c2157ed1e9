"""Аналитическая справка по итогам мониторинга: the numbers of monitoring.briefing with the edited text."""

from indicators.models import Indicator
from monitoring.briefing import briefing_for, facts

from .base import municipality_for, year_of
from .cycle import responsible
from .reproducible import document_date
from .render import Sheet, document, summary_sheet, workbook, xlsx_bytes


def build(user, params, fmt, progress):
    municipality = municipality_for(user, params)
    year = year_of(params)
    data = facts(municipality, year)
    progress(50)
    doc = briefing_for(municipality, year, data)
    title = f"Аналитическая справка по итогам мониторинга системы обеспечения профессионального развития " \
            f"педагогических работников за {year} год"
    name = f"analiticheskaya-spravka-{year}"
    directions = [(d, doc.conclusions.get(d.direction.code, d.conclusion)) for d in data["directions"]]
    for m in data["measures"]:
        m.people = responsible(m)
    if fmt != "xlsx":
        return name, document("reports/briefing.html", {
            "title": title, "footer": f"Аналитическая справка за {year} год", "municipality": municipality,
            "year": year, "doc": doc, "facts": data, "directions": directions,
            "today": document_date(municipality.pk, year)}, fmt)
    wb = workbook()
    summary_sheet(wb, title, [
        ("Муниципалитет", str(municipality)), ("Год", year), ("ОО", data["schools"]),
        ("Вводная часть", doc.intro), ("Общие выводы", doc.summary),
        ("Как считали", "Доли — сумма числителей к сумме знаменателей по всем ОО уровня (объединённые значения); "
                        "«нет данных» — знаменатель равен нулю. Проценты в ячейках — числа.")])
    clusters = data["cluster_entities"]
    columns = [("Направление", "wrap", 30), ("Код", "text", 6), ("Показатель", "wrap", 50), ("Ед.", "text", 6),
               (str(year), "decimal", 10), ("Цель", "decimal", 9), ("Достигнута", "text", 10),
               (str(year - 1), "decimal", 10), ("Числитель", "int", 10), ("Знаменатель", "int", 11)]
    columns += [(c.name, "decimal", 10) for c in clusters]
    sheet = Sheet(wb, "Район и кластеры", columns)
    for d, _text in directions:
        for f in d.indicators:
            ind = f.indicator
            pct = ind.unit == "%"
            row = [d.direction.name, ind.code, ind.name, ind.unit, f.value.value, f.target,
                   {True: "да", False: "нет"}.get(f.reached, ""), f.previous.value if f.previous else None,
                   f.value.numerator, f.value.denominator]
            row += [c.value if c else None for _, c, _, _ in f.clusters]
            value = "percent" if pct else "decimal"
            sheet.append(row, ["wrap", "text", "wrap", "text", value, value, "text", value, "int", "int"]
                         + [value] * len(clusters))
    sheet.finish()
    progress(75)
    result = data["result"]
    shares = [ind for ind in result.indicators if ind.kind == Indicator.Kind.SHARE]
    schools = Sheet(wb, "ОО", [("ОО", "text", 34), ("Кластер", "text", 10)]
                    + [(f"{ind.code}, %", "percent", 9) for ind in shares])
    cluster_names = {c.key: c.name for c in clusters}
    for ent in data["school_entities"]:
        row = [ent.name, cluster_names.get((ent.municipality_id, ent.cluster_id), "")]
        for ind in shares:
            cell = result.get(ind.code, "school", ent.key)
            row.append(cell.value if cell else None)
        schools.append(row)
    schools.finish()
    return name, xlsx_bytes(wb)

