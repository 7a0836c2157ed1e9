"""The аналитическая справка по итогам мониторинга: numbers per direction, conclusions drafted from them
(for a municipality, or for the whole region: `region_facts`).

`facts()` gathers everything the справка states — per direction the district's values against targets and last
year, the clusters, the schools that fell short, charts — from two engine runs (the year and the one before).
`draft()` writes the conclusions a methodologist would write from those numbers; the methodologist edits them
(`Briefing`) before the PDF is made. Documents (reports/) render `facts()` with the edited text.
"""
from dataclasses import dataclass, field
from decimal import Decimal

from django.utils.safestring import mark_safe

from indicators import charts
from indicators.engine import Period, compute, format_number
from indicators.models import Direction, Indicator
from teachers.models import School
from teachers.naming import plural
from teachers.surveys import request_summary

from .models import Briefing, Measure, Recommendation


@dataclass
class IndicatorFacts:
    indicator: Indicator
    value: object  # Cell
    previous: object  # Cell or None
    target: Decimal | None
    reached: bool | None
    change: Decimal | None
    clusters: list  # [(name, Cell, target, reached)]
    short_schools: list  # [(name, Cell)] schools below the target (or above it where lower is better)
    chart: str = ""


@dataclass
class DirectionFacts:
    direction: Direction
    indicators: list = field(default_factory=list)
    conclusion: str = ""


def _change(cell, before):
    if cell is None or before is None or cell.value is None or before.value is None:
        return None
    return Decimal(cell.value) - Decimal(before.value)


def facts(municipality, year, *, user=None):
    """Per direction: every share, mean and count of the year with its target, last year and the clusters."""
    period = Period.calendar_year(year)
    school_ids = list(School.objects.filter(municipality=municipality, is_active=True).values_list("pk", flat=True))
    result = compute(period, schools=school_ids)
    previous = compute(period.previous_year(), schools=school_ids)
    clusters = [e for e in result.entities["cluster"] if e.municipality_id == municipality.pk]
    schools = [e for e in result.entities["school"] if e.municipality_id == municipality.pk]
    out = {}
    for ind in result.indicators:
        if ind.kind == Indicator.Kind.DISTRIBUTION:
            continue
        cell = result.get(ind.code, "municipality", municipality.pk)
        if cell is None:
            continue
        before = previous.get(ind.code, "municipality", municipality.pk)
        target = result.target(ind.code, municipality.pk)
        cluster_rows = []
        for c in clusters:
            c_cell = result.get(ind.code, "cluster", c.key)
            c_target = result.target(ind.code, municipality.pk, c.cluster_id)
            cluster_rows.append((c.name, c_cell, c_target, ind.reached(c_cell.value if c_cell else None, c_target)))
        short = []
        if target is not None and ind.kind == Indicator.Kind.SHARE:
            for s in schools:
                s_cell = result.get(ind.code, "school", s.key)
                if s_cell and ind.reached(s_cell.value, result.target(ind.code, municipality.pk, s.cluster_id)) \
                        is False:
                    short.append((s.name, s_cell))
        chart = ""
        if ind.kind == Indicator.Kind.SHARE:
            chart = mark_safe(charts.bar_chart([(name, c_cell.value if c_cell else None)
                                                for name, c_cell, _, _ in cluster_rows]
                                               + [("район", cell.value)], target=target, width=460, bar_height=13,
                                               higher_is_better=ind.higher_is_better))
        item = IndicatorFacts(ind, cell, before, target, ind.reached(cell.value, target), _change(cell, before),
                              cluster_rows, short, chart)
        out.setdefault(ind.direction_id, DirectionFacts(ind.direction)).indicators.append(item)
    directions = sorted(out.values(), key=lambda d: d.direction.order)
    for d in directions:
        d.conclusion = draft_direction(d)
    return {"period": period, "directions": directions, "schools": len(schools),
            "recommendations": list(Recommendation.objects.filter(municipality=municipality, year=year)
                                    .select_related("direction").prefetch_related("schools", "teachers")),
            "measures": list(Measure.objects.filter(municipality=municipality, year=year)
                             .select_related("direction").order_by("start")),
            "staff": result.get("K1", "municipality", municipality.pk),
            "requests": request_summary(municipality, year),
            "result": result, "school_entities": schools, "cluster_entities": clusters}


def _pp(change):
    text = format_number(abs(change).quantize(Decimal("0.1"))).replace("\u00a0", " ")
    return f"на {text} п. п."


def draft_direction(d):
    """Conclusions for one direction in the words a district methodologist writes."""
    sentences = []
    for f in d.indicators:
        ind = f.indicator
        if ind.kind != Indicator.Kind.SHARE or f.value.value is None:
            continue
        value = format_number(f.value.value, "%")
        text = f"{ind.short_name} ({ind.code}) — {value}"
        if f.target is not None:
            target = format_number(f.target, "%")
            text += f": целевое значение {target} {'достигнуто' if f.reached else 'не достигнуто'}"
        if f.change is not None:
            if f.change == 0:
                text += ", на уровне прошлого года"
            else:
                text += f", {'рост' if f.change > 0 else 'снижение'} к прошлому году {_pp(f.change)}"
        sentences.append(text.rstrip(".") + ".")
        behind = [name for name, _, _, reached in f.clusters if reached is False]
        if behind:
            sentences.append(f"Ниже целевого значения: {', '.join(behind)}.")
        if f.short_schools:
            names = ", ".join(name for name, _ in f.short_schools[:8])
            more = f" и ещё {len(f.short_schools) - 8}" if len(f.short_schools) > 8 else ""
            sentences.append(f"Не достигли целевого значения {len(f.short_schools)} ОО: {names}{more}.")
    if not sentences:
        return "Данных за период нет."
    return " ".join(sentences)


def draft(municipality, year, facts_=None):
    """A new справка's text drafted from the numbers."""
    facts_ = facts_ or facts(municipality, year)
    reached = sum(1 for d in facts_["directions"] for f in d.indicators if f.reached is True)
    missed = sum(1 for d in facts_["directions"] for f in d.indicators if f.reached is False)
    staff = facts_["staff"].value if facts_["staff"] else None
    organisations = plural(facts_["schools"], "общеобразовательной организации", "общеобразовательным организациям",
                           "общеобразовательным организациям")
    intro = (f"Мониторинг системы обеспечения профессионального развития педагогических работников "
             f"(муниципальное образование «{municipality}») за {year} год проведён по {facts_['schools']} "
             f"{organisations} "
             f"(педагогических работников — {format_number(staff)}). Значения показателей рассчитаны по "
             f"объединённым данным ОО (сумма числителей к сумме знаменателей) и сопоставлены с целевыми значениями "
             f"и результатами {year - 1} года, в том числе по кластерам (МКШ, УМКШ, гимназии).")
    summary = (f"Из показателей с установленными целевыми значениями достигнуто {reached}, не достигнуто {missed}. "
               "Предлагается: направить адресные рекомендации ОО, не достигшим целевых значений; включить "
               "педагогов с выявленными дефицитами в ИОМ; закрепить наставников за молодыми специалистами без "
               "наставника; рассмотреть итоги на совещании руководителей ОО.")
    return {"intro": intro, "summary": summary,
            "conclusions": {d.direction.code: d.conclusion for d in facts_["directions"]}}


def briefing_for(municipality, year, facts_):
    """The saved справка, or a new one drafted from the numbers (not saved until edited)."""
    saved = Briefing.objects.filter(municipality=municipality, year=year).first()
    if saved:
        return saved
    text = draft(municipality, year, facts_)
    return Briefing(municipality=municipality, year=year, intro=text["intro"], summary=text["summary"],
                    conclusions=text["conclusions"])


# --- The region ---------------------------------------------------------------------------------------------

@dataclass
class RegionIndicator:
    indicator: Indicator
    value: object  # region Cell
    previous: object
    change: Decimal | None
    clusters: list  # [(cluster name, pooled value, numerator, denominator)]
    municipalities: list  # [(name, Cell, previous Cell, change, below the region value)]
    chart: str = ""


def _pooled(cells):
    num = sum(c.numerator or 0 for c in cells if c is not None)
    den = sum(c.denominator or 0 for c in cells if c is not None)
    return (None if not den else (Decimal(num) * 100 / Decimal(den)).quantize(Decimal("0.1"))), num, den


def region_facts(year):
    """The whole region for the year: per share every municipality against the region and last year, the
    clusters pooled across the region, charts; two engine runs over every school."""
    period = Period.calendar_year(year)
    codes = [i.code for i in Indicator.objects.valid_in(year).filter(kind=Indicator.Kind.SHARE)] + ["K1"]
    result = compute(period, codes=codes)
    previous = compute(period.previous_year(), codes=codes)
    municipalities = sorted(result.entities["municipality"], key=lambda e: e.name)
    clusters = result.entities["cluster"]
    cluster_kinds = {}
    for c in clusters:
        cluster_kinds.setdefault(c.cluster_id, []).append(c)
    names = {c.cluster_id: c.name.split(" — ")[0] for c in clusters}
    directions = {}
    for ind in result.indicators:
        if ind.kind != Indicator.Kind.SHARE:
            continue
        cell = result.get(ind.code, "region", "region")
        before = previous.get(ind.code, "region", "region")
        rows = []
        for m in municipalities:
            m_cell = result.get(ind.code, "municipality", m.key)
            m_before = previous.get(ind.code, "municipality", m.key)
            reached = ind.reached(m_cell.value if m_cell else None, cell.value)
            below = None if reached is None else not reached
            rows.append((m.name, m_cell, m_before, _change(m_cell, m_before), below))
        pooled = []
        for cid, ents in sorted(cluster_kinds.items(), key=lambda kv: names[kv[0]]):
            value, num, den = _pooled([result.get(ind.code, "cluster", e.key) for e in ents])
            pooled.append((names[cid], value, num, den))
        chart = mark_safe(charts.bar_chart([(name, c.value if c else None) for name, c, _, _, _ in rows],
                                           target=cell.value, width=520, bar_height=9,
                                           higher_is_better=ind.higher_is_better, target_label="регион",
                                           title=f"{ind.code}. {ind.short_name}"))
        item = RegionIndicator(ind, cell, before, _change(cell, before), pooled, rows, chart)
        directions.setdefault(ind.direction_id, DirectionFacts(ind.direction)).indicators.append(item)
    ordered = sorted(directions.values(), key=lambda d: d.direction.order)
    for d in ordered:
        d.conclusion = draft_region_direction(d)
    return {"period": period, "directions": ordered, "municipalities": len(municipalities),
            "schools": len(result.entities["school"]), "staff": result.get("K1", "region", "region")}


def draft_region_direction(d):
    sentences = []
    for f in d.indicators:
        ind = f.indicator
        if f.value.value is None:
            continue
        present = [(name, c) for name, c, _, _, _ in f.municipalities if c and c.value is not None]
        text = f"{ind.short_name} ({ind.code}) по региону — {format_number(f.value.value, '%')}"
        if f.change is not None:
            text += (", на уровне прошлого года" if f.change == 0 else
                     f", {'рост' if f.change > 0 else 'снижение'} к прошлому году {_pp(f.change)}")
        sentences.append(text + ".")
        if present:
            best = max(present, key=lambda p: p[1].value)
            worst = min(present, key=lambda p: p[1].value)
            below = sum(1 for *_, b in f.municipalities if b)
            sentences.append(f"Наибольшее значение — {best[0]} ({format_number(best[1].value, '%')}), наименьшее — "
                             f"{worst[0]} ({format_number(worst[1].value, '%')}); ниже регионального значения "
                             f"{below} из {len(present)} муниципалитетов.")
    return " ".join(sentences) or "Данных за период нет."
