"""Аналитическая справка по региону: every municipality against the region, for the regional office (admins)."""
from django.utils import timezone

from monitoring.briefing import region_facts

from .base import year_of
from .render import Sheet, document, summary_sheet, workbook, xlsx_bytes


def build(user, params, fmt, progress):
    year = year_of(params)
    data = region_facts(year)
    progress(60)
    title = (f"Аналитическая справка по итогам мониторинга системы обеспечения профессионального развития "
             f"педагогических работников региона за {year} год")
    name = f"analiticheskaya-spravka-region-{year}"
    if fmt != "xlsx":
        return name, document("reports/briefing_region.html", {
            "title": title, "footer": f"Справка по региону за {year} год", "year": year, "facts": data,
            "today": timezone.localdate()}, fmt)
    wb = workbook()
    summary_sheet(wb, title, [("Год", year), ("Муниципалитетов", data["municipalities"]), ("ОО", data["schools"]),
                              ("Как считали", "Доли по региону, муниципалитетам и кластерам — сумма числителей к "
                                              "сумме знаменателей; проценты в ячейках — числа.")])
    for d in data["directions"]:
        columns = [("Муниципалитет", "text", 30)]
        for f in d.indicators:
            columns += [(f"{f.indicator.code}, %", "percent", 9), (f"{f.indicator.code} числ.", "int", 8),
                        (f"{f.indicator.code} знам.", "int", 8)]
        sheet = Sheet(wb, d.direction.name, columns)  # cut at a whole word by sheet_title
        sheet.append(["Регион"] + [v for f in d.indicators
                                   for v in (f.value.value, f.value.numerator, f.value.denominator)])
        for i, (mname, *_rest) in enumerate(d.indicators[0].municipalities if d.indicators else []):
            row = [mname]
            for f in d.indicators:
                cell = f.municipalities[i][1]
                row += [cell.value if cell else None, cell.numerator if cell else None,
                        cell.denominator if cell else None]
            sheet.append(row)
        sheet.finish()
    return name, xlsx_bytes(wb)
