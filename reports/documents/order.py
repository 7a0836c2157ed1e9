"""Приказ об итогах мониторинга with the requisites of ГОСТ Р 7.0.97-2016 and the values as appendix."""
from monitoring.briefing import facts

from .base import municipality_for, year_of
from .gost import Appendix, deadline, order_document, requisites


def items(municipality, year, data, due=None):
    """The order's numbered items, drafted from the results; `due` from the monitoring calendar (or none)."""
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
                   "представить в муниципальную методическую службу план мер по устранению отставания"
                   + (f" в срок до {due:%d.%m.%Y}." if due else "."))
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


def plan_deadline(municipality, year, signed):
    """When the lagging schools' plans are due: the end of the next monitoring year's initial stage
    (актуализация целей и мер), or of the first stage still ahead of the order's date; None if the calendar has
    neither."""
    from monitoring.models import Stage

    return (deadline(municipality, signed, kinds=[Stage.Kind.INITIAL], years=[year + 1])
            or deadline(municipality, signed, years=[year, year + 1]))


def build(user, params, fmt, progress):
    municipality = municipality_for(user, params)
    year = year_of(params)
    req = requisites(municipality, params)
    data = facts(municipality, year)
    progress(60)
    heading = (f"Об итогах мониторинга системы обеспечения профессионального развития педагогических работников "
               f"за {year} год")
    name = f"prikaz-itogi-monitoringa-{year}"
    order_items = items(municipality, year, data, plan_deadline(municipality, year, req.date))
    clusters = data["cluster_entities"]
    rows = []
    for d in data["directions"]:
        rows.append({"group": d.direction.name})
        for f in d.indicators:
            rows.append([f.indicator.code, f.indicator.name, f.value.display,
                         _fmt(f.target, f.indicator.unit) if f.target is not None else "",
                         {True: "да", False: "нет"}.get(f.reached, "")]
                        + [c.display if c else "" for _, c, _, _ in f.clusters])
    values = Appendix(
        f"Значения показателей мониторинга за {year} год по району и кластерам",
        [("Код", 6, "nowrap"), ("Показатель", 40, "text"), ("Район", 10, "num"), ("Цель", 9, "num"),
         ("Достиг­нута", 9, "text")] + [(c.name, 10, "num") for c in clusters],
        rows, sheet="Приложение 2", number=2,
        note=f"Приложение 1 — аналитическая справка по итогам мониторинга за {year} год (отдельный документ).")
    preamble = [f"В соответствии с положением о муниципальной системе оценки качества образования, программой "
                f"мониторинга системы обеспечения профессионального развития педагогических работников и на "
                f"основании результатов мониторинга за {year} год"]
    return order_document(name, fmt, municipality=municipality, req=req, heading=heading, preamble=preamble,
                          items=order_items, appendices=[values])
