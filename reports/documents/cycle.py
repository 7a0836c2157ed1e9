"""The section-2.2 table of the management cycle for a year (landscape)."""
from monitoring import cycle
from monitoring.cycle_views import describe

from . import municipality_for
from .briefing import _year
from .render import Sheet, document, summary_sheet, workbook, xlsx_bytes


def build(user, params, fmt, progress):
    municipality = municipality_for(user, params)
    year = _year(params)
    rows = cycle.table(municipality, year)
    for row in rows:
        row.display = [(key, [describe(key, item) for item in row.cells.get(key, [])]) for key, _ in cycle.STEPS]
    progress(60)
    title = f"2.2. Система обеспечения профессионального развития педагогических работников — {year} год"
    name = f"tablica-2-2-{year}"
    if fmt != "xlsx":
        return name, document("reports/cycle.html", {"title": title, "municipality": municipality, "year": year,
                                                 "rows": rows, "steps": cycle.STEPS}, fmt, landscape=True)
    wb = workbook()
    complete = [r.direction.name for r in rows if r.complete]
    summary_sheet(wb, title, [("Муниципалитет", str(municipality)), ("Год", year),
                              ("Полный цикл", ", ".join(complete) or "ни по одному направлению"),
                              *[(r.direction.name, "не хватает: " + ", ".join(r.missing)) for r in rows if r.missing]])
    sheet = Sheet(wb, "Таблица 2.2", [("Направление", "wrap", 28)] + [(t, "wrap", 40) for _, t in cycle.STEPS])
    for row in rows:
        sheet.append([row.direction.name] + ["\n".join(f"• {text}" + (f" ({note})" if note else "")
                                                       for text, note, _ in items) for _, items in row.display])
    sheet.finish()
    return name, xlsx_bytes(wb)
