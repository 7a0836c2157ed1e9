"""Аналитическая справка по итогам мониторинга: the numbers of monitoring.briefing with the edited text."""

from indicators.models import Indicator
from monitoring.briefing import briefing_for, facts
from teachers.naming import plural

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
    requests = data["requests"]
    req_topics = requests.rows("topics")[:15]
    total = requests.district
    req_text = (f"В {year} году в реестр запросов на повышение квалификации и профессиональное развитие поступило "
                f"{total.requests} {plural(total.requests, 'запрос', 'запроса', 'запросов')} от {total.teacher_count} "
                f"{plural(total.teacher_count, 'педагога', 'педагогов', 'педагогов')}")
    if total.invited:
        req_text += (f"; на анкеты «Запросы педагогов» ответили {total.answered} из {total.invited} "
                     f"{plural(total.invited, 'приглашённого', 'приглашённых', 'приглашённых')}")
    req_text += ". Наиболее частые темы — в таблице (число запросов по кластерам и району)."
    if fmt != "xlsx":
        return name, document("reports/briefing.html", {
            "req_topics": req_topics, "req_text": req_text, "req_clusters": [requests.cluster_names[c] for c in requests.clusters], "req_formats": requests.rows("formats"), "req_areas": requests.rows("areas"),
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
    names = [requests.cluster_names[c] for c in requests.clusters]
    sheet = Sheet(wb, "Запросы педагогов", [("Тема (направление)", "wrap", 60)] + [(n, "int", 10) for n in names]
                  + [("Район", "int", 10)])
    for r in requests.rows("topics"):
        sheet.append([r["label"], *r["clusters"], r["district"]])
    sheet.finish()
    return name, xlsx_bytes(wb)

