"""Рейтинг «Вклад ОО»: the rating of indicators.rating with its criteria, weights and normalisation printed."""
from indicators.engine import Period
from indicators.rating import rating
from teachers.scoping import schools_for

from .base import municipality_for, year_of
from .render import Sheet, document, weight, summary_sheet, workbook, xlsx_bytes


def build(user, params, fmt, progress):
    municipality = municipality_for(user, params)
    year = year_of(params)
    schools = list(schools_for(user).filter(municipality=municipality, is_active=True).values_list("pk", flat=True))
    result = rating(Period.calendar_year(year), schools)
    progress(60)
    title = f"Рейтинг «Вклад ОО» за {year} год"
    name = f"reiting-vklad-oo-{year}"
    if fmt != "xlsx":
        return name, document("reports/rating.html", {"title": title, "municipality": municipality, "year": year,
                                                  "rating": result}, fmt, landscape=True)
    wb = workbook()
    summary_sheet(wb, title, [("Муниципалитет", str(municipality)), ("Год", year),
                              *[(f"{ind.code}. {ind.short_name}", f"вес {weight(c.weight)}") for c, ind in result.criteria],
                              ("Нормирование", result.normalisation)])
    columns = [("Место", "int", 7), ("Место разделено", "text", 9), ("ОО", "text", 34), ("Кластер", "text", 10),
               ("Педагогов", "int", 10), ("Балл", "decimal", 8)]
    columns += [(f"{ind.code} (вес {weight(c.weight)}), %", "percent", 11) for c, ind in result.criteria]
    sheet = Sheet(wb, "Рейтинг ОО", columns)
    for row in result.schools:
        sheet.append([row.place, "да" if row.shared else "", row.name, row.cluster, row.staff, row.score]
                     + [p.value for p in row.parts])
    sheet.finish()
    clusters = Sheet(wb, "Кластеры", [c for c in columns if c[0] not in ("ОО", "Кластер")][:2]
                     + [("Кластер", "text", 14), ("Педагогов", "int", 10), ("Балл", "decimal", 8)]
                     + columns[6:])
    for row in result.clusters:
        clusters.append([row.place, "да" if row.shared else "", row.name, row.staff, row.score]
                        + [p.value for p in row.parts])
    clusters.finish()
    return name, xlsx_bytes(wb)
