"""Dashboards: district (with the cluster comparison), cluster (schools side by side), school, drill-down."""
from decimal import Decimal
from statistics import quantiles

from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import render
from django.utils.text import capfirst
from django.utils import timezone
from django.utils.safestring import mark_safe

from mskoko.params import MAX_ID, BadParameter, query_id
from teachers.models import Municipality, School, Teacher
from teachers.naming import natural_key
from teachers.scoping import (
    DISTRICT_ROLES, for_roles, get_scoped_object_or_404, is_school_head, municipalities_for, pick_municipality, scoped,
)

from .. import charts
from ..engine import Period, compute, explain
from ..models import Indicator

FIRST_YEAR = 2023
TREND_CODES = ("D1", "M1", "M5", "Y1", "N1")


def _period(request):
    today = timezone.localdate()
    text = request.GET.get("period") or str(today.year)
    try:
        return Period.parse(text)
    except ValueError as exc:
        raise BadParameter(str(exc)) from None


def _years():
    return list(range(timezone.localdate().year, FIRST_YEAR - 1, -1))


def _change(value, previous):
    if value is None or previous is None or isinstance(value, int) and isinstance(previous, int) is False:
        return None
    try:
        return (Decimal(value) - Decimal(previous)).quantize(Decimal("0.1"))
    except Exception:
        return None


def indicator_order(ind):
    """Direction, then the code read naturally: K1, K2, K5, K9, K10."""
    return (ind.direction.order, natural_key(ind.code))


def _rows(result, previous, level, key, municipality_id, cluster_id=None):
    """Per indicator, in the natural order of codes: value, target, reached, change against last year."""
    rows = []
    for ind in sorted(result.indicators, key=indicator_order):
        cell = result.get(ind.code, level, key)
        if cell is None:
            continue
        before = previous.get(ind.code, level, key) if previous else None
        target = result.target(ind.code, municipality_id, cluster_id)
        rows.append({
            "indicator": ind, "cell": cell, "target": target,
            "reached": ind.reached(cell.value, target),
            "previous": before, "change": _change(cell.value, before.value if before else None)
            if ind.kind in (Indicator.Kind.SHARE, Indicator.Kind.MEAN, Indicator.Kind.COUNT) else None,
        })
    return rows


def _by_direction(rows):
    groups = {}
    for row in rows:
        groups.setdefault(row["indicator"].direction, []).append(row)
    return list(groups.items())


def district(request):
    if is_school_head(request.user):
        # A head's «Показатели» is their school against its cluster and the district (the same page as
        # dashboard-school, so the menu item opens it for them as for everyone else).
        return school(request, request.user.school_id)
    period = _period(request)
    municipality = pick_municipality(request.user, query_id(request.GET, "municipality"))
    schools = list(municipality.schools.values_list("pk", flat=True))
    user = request.user
    result = compute(period, schools=schools)
    previous = compute(period.previous_year(), schools=schools)
    rows = _rows(result, previous, "municipality", municipality.pk, municipality.pk)
    clusters = [e for e in result.entities["cluster"] if e.municipality_id == municipality.pk]
    comparison = []
    for row in rows:
        ind = row["indicator"]
        if ind.kind == Indicator.Kind.DISTRIBUTION:
            continue
        values = [result.get(ind.code, "cluster", c.key) for c in clusters]
        target = row["target"]
        chart = None
        if ind.kind == Indicator.Kind.SHARE:
            bars = [(capfirst(c.name), v.value if v else None) for c, v in zip(clusters, values)]
            chart = mark_safe(charts.bar_chart(bars, target=target, width=420, bar_height=14,
                                               higher_is_better=ind.higher_is_better))
        comparison.append({"indicator": ind, "values": values, "district": row["cell"], "chart": chart})
    distributions = [row for row in rows if row["indicator"].kind == Indicator.Kind.DISTRIBUTION]
    return render(request, "indicators/district.html", {
        "period": period, "years": _years(), "municipality": municipality,
        "municipalities": municipalities_for(user).order_by("name"),
        "directions": _by_direction([r for r in rows if r["indicator"].kind != Indicator.Kind.DISTRIBUTION]),
        "clusters": clusters, "comparison": comparison, "distributions": distributions,
        "can_drill": True,
    })


def outliers(values):
    """Indices of values outside [Q1 − 1,5·IQR; Q3 + 1,5·IQR] of the cluster's school values (Tukey's fences)."""
    present = [float(v) for v in values if v is not None]
    if len(present) < 4:
        return set()
    q1, _, q3 = quantiles(present, n=4, method="inclusive")
    low, high = q1 - 1.5 * (q3 - q1), q3 + 1.5 * (q3 - q1)
    return {i for i, v in enumerate(values) if v is not None and (float(v) < low or float(v) > high)}


@for_roles(*DISTRICT_ROLES, message="Сравнение школ кластера доступно методистам и специалистам УО.")
def cluster(request, municipality_id, cluster_id):
    period = _period(request)
    municipality = get_scoped_object_or_404(request.user, Municipality.objects.all(), pk=municipality_id)
    schools = list(municipality.schools.filter(cluster_id=cluster_id).values_list("pk", flat=True))
    if not schools:
        raise Http404("В кластере нет ОО.")
    result = compute(period, schools=schools)
    key = (municipality.pk, cluster_id)
    entity = result.entity("cluster", key)
    school_entities = sorted(result.entities["school"], key=lambda e: natural_key(e.name))
    shares = sorted((i for i in result.indicators if i.kind == Indicator.Kind.SHARE), key=indicator_order)
    table = []
    for ind in shares:
        cells = [result.get(ind.code, "school", s.key) for s in school_entities]
        marked = outliers([c.value for c in cells])
        table.append({
            "indicator": ind, "cluster": result.get(ind.code, "cluster", key),
            "target": result.target(ind.code, municipality.pk, cluster_id),
            "cells": [{"cell": c, "outlier": i in marked, "school": s} for i, (c, s) in enumerate(zip(cells, school_entities))],
        })
    k1 = [result.get("K1", "school", s.key) for s in school_entities]
    return render(request, "indicators/cluster.html", {
        "period": period, "years": _years(), "municipality": municipality, "entity": entity,
        "schools": list(zip(school_entities, k1)), "table": table,
    })


def trend_series(school_id, period, result, previous):
    """The school's TREND_CODES values for every calendar year from FIRST_YEAR to the period's: (years,
    {code: [value per year]}). The years already computed for the table (this one and the last) are reused."""
    years = list(range(FIRST_YEAR, period.year + 1))
    computed = {period.year: result, period.year - 1: previous} if period.kind == "year" else {}
    series = {code: [] for code in TREND_CODES}
    for year in years:
        r = computed.get(year) or compute(Period.calendar_year(year), schools=[school_id], codes=list(TREND_CODES))
        for code in TREND_CODES:
            cell = r.get(code, "school", school_id)
            series[code].append(cell.value if cell else None)
    return years, series


def school(request, pk):
    school = get_scoped_object_or_404(request.user, School.objects.select_related("municipality", "cluster"), pk=pk)
    period = _period(request)
    user = request.user
    peers = list(school.municipality.schools.values_list("pk", flat=True))
    result = compute(period, schools=peers)
    previous = compute(period.previous_year(), schools=peers)
    cluster_key = (school.municipality_id, school.cluster_id)
    rows = []
    for row in _rows(result, previous, "school", school.pk, school.municipality_id, school.cluster_id):
        row["cluster_cell"] = result.get(row["indicator"].code, "cluster", cluster_key)
        row["district_cell"] = result.get(row["indicator"].code, "municipality", school.municipality_id)
        rows.append(row)
    trend_years, series = trend_series(school.pk, period, result, previous)
    trend = mark_safe(charts.line_chart([(c, series[c]) for c in TREND_CODES],
                                        trend_years, title="Динамика по годам, %"))
    return render(request, "indicators/school.html", {
        "school": school, "period": period, "years": _years(), "rows": rows, "trend": trend,
        "directions": _by_direction([r for r in rows if r["indicator"].kind != Indicator.Kind.DISTRIBUTION]),
        "distributions": [r for r in rows if r["indicator"].kind == Indicator.Kind.DISTRIBUTION],
        "can_see_cluster": not is_school_head(user),
    })


def drilldown(request):
    period = _period(request)
    code, level, raw_key = request.GET.get("code", ""), request.GET.get("level", ""), request.GET.get("key", "")
    user = request.user
    if level not in ("school", "cluster", "municipality"):
        raise BadParameter(f"Неизвестный уровень «{level[:40]}»: ожидается school, cluster или municipality.")
    parts = raw_key.split("-") if level == "cluster" else [raw_key]
    if len(parts) != (2 if level == "cluster" else 1) or not all(
            p.isascii() and p.isdigit() and 1 <= int(p) <= MAX_ID for p in parts):
        raise BadParameter(f"Неверный ключ «{raw_key[:40]}»: ожидается номер записи"
                           f"{' (муниципалитет-кластер, например 3-1)' if level == 'cluster' else ''}.")
    if level == "school":
        key = int(raw_key)
        get_scoped_object_or_404(user, School.objects.all(), pk=key)
    elif level == "cluster":
        key = tuple(int(p) for p in parts)
        get_scoped_object_or_404(user, Municipality.objects.all(), pk=key[0])
    else:
        key = int(raw_key)
        get_scoped_object_or_404(user, Municipality.objects.all(), pk=key)
    if is_school_head(user) and level != "school":
        # Heads see aggregates of their cluster and district, never the people of other schools.
        raise PermissionDenied("Руководитель ОО может раскрыть только показатели своей школы.")
    ex = explain(code, period, level, key, user=user)
    if ex is None:
        raise Http404("Показатель не найден.")
    people = {item[1].pk for item in [*ex.denominator, *ex.numerator, *ex.excluded]
              if isinstance(item, tuple) and isinstance(item[1], Teacher)}
    # Cards the user may open (a head: their school's people only); other names are shown without a link.
    linked = set(scoped(user, Teacher.objects.filter(pk__in=people)).values_list("pk", flat=True)) if people else set()
    def by_school(items):  # «№ 4» before «№ 10»; within a school the engine's order (surname) is kept
        return sorted(items, key=lambda i: natural_key((i[0] if isinstance(i, tuple) else i).short_name))

    ex.numerator, ex.excluded = by_school(ex.numerator), by_school(ex.excluded)
    return render(request, "indicators/drilldown.html", {
        "period": period, "ex": ex, "cell": ex.cell, "linked": linked, "not_counted": by_school(ex.not_counted),
        "is_share": ex.indicator.kind == Indicator.Kind.SHARE,
    })


@for_roles(*DISTRICT_ROLES, message="Рейтинг ОО доступен методистам и специалистам УО.")
def rating_page(request):
    """The «Вклад ОО» rating of a municipality's schools with each school's breakdown and the clusters."""
    from ..rating import rating

    period = _period(request)
    municipality = pick_municipality(request.user, query_id(request.GET, "municipality"))
    result = rating(period, list(municipality.schools.filter(is_active=True).values_list("pk", flat=True)))
    return render(request, "indicators/rating.html", {
        "period": period, "years": _years(), "municipality": municipality, "rating": result,
        "municipalities": municipalities_for(request.user).order_by("name"),
    })
