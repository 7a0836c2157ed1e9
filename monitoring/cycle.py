"""The management cycle: the section-2.2 table, its self-check, effectiveness values, and seed 000's content."""
import json
import re
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from django.conf import settings
from django.db import transaction

from indicators.engine import Period, compute, indicators_for
from indicators.models import Direction
from teachers.models import School

from .models import (
    Analysis, Decision, DirectionWindow, EffectivenessReview, Goal, Measure, Method, Recommendation,
)

# The table's column groups in seed 000's order: (key, title).
STEPS = [
    ("goals", "Цели"),
    ("indicators", "Показатели"),
    ("methods", "Методы сбора и обработки информации"),
    ("monitoring", "Мониторинг показателей"),
    ("analysis", "Анализ результатов мониторинга"),
    ("recommendations", "Адресные рекомендации"),
    ("measures", "Меры, мероприятия"),
    ("decisions", "Управленческие решения"),
    ("effectiveness", "Анализ эффективности принятых мер"),
]
MODELS = {"goals": Goal, "methods": Method, "analysis": Analysis, "recommendations": Recommendation,
          "measures": Measure, "decisions": Decision, "effectiveness": EffectivenessReview}


@dataclass
class DirectionRow:
    direction: Direction
    cells: dict = field(default_factory=dict)  # step -> list of items (records, indicators, windows)

    @property
    def missing(self):
        return [title for key, title in STEPS if not self.cells.get(key)]

    @property
    def complete(self):
        return not self.missing


def table(municipality, year, directions=None):
    """Rows per direction with every step's records for the year; records without a direction count for all.

    A constant number of queries: one per step.
    """
    directions = list(directions or Direction.objects.order_by("order"))
    rows = {d.pk: DirectionRow(d) for d in directions}
    school_total = School.objects.filter(municipality=municipality, is_active=True).count()
    for key, model in MODELS.items():
        qs = model.objects.filter(municipality=municipality, year=year).select_related("direction")
        if model is Recommendation:
            qs = qs.select_related("cluster").prefetch_related("schools", "teachers")
        for record in qs:
            record.school_total = school_total
            targets = rows.values() if record.direction_id is None else [rows.get(record.direction_id)]
            for row in targets:
                if row is not None:
                    row.cells.setdefault(key, []).append(record)
    for ind in indicators_for(year):
        row = rows.get(ind.direction_id)
        if row is not None:
            row.cells.setdefault("indicators", []).append(ind)
    windows = DirectionWindow.objects.filter(monitoring_year__municipality=municipality,
                                             monitoring_year__year=year).order_by("start")
    for w in windows:
        row = rows.get(w.direction_id)
        if row is not None:
            row.cells.setdefault("monitoring", []).append(w)
    return list(rows.values())


def effectiveness_values(municipality, year, direction=None):
    """Each indicator with a district target for the year: target, actual value from the engine, reached or not."""
    period = Period.calendar_year(year)
    result = compute(period, schools=School.objects.filter(municipality=municipality), codes=None)
    out = []
    for ind in result.indicators:
        if direction is not None and ind.direction_id != direction.pk:
            continue
        target = result.target(ind.code, municipality.pk)
        if target is None:
            continue
        cell = result.get(ind.code, "municipality", municipality.pk)
        actual = cell.value if cell else None
        reached = ind.reached(actual, target)
        out.append({"code": ind.code, "name": ind.name, "unit": ind.unit,
                    "target": str(target), "actual": None if actual is None else str(actual),
                    "display": cell.display if cell else "нет данных", "reached": reached})
    return out


def review_effectiveness(review, *, save=True):
    """The action that fills an effectiveness review's values: its targets against the engine's values now.

    Called where a review is written on its pages (create and edit, `save=False`: the page saves it), by the
    seed, by «Пересчитать» on its page and by the admin action — never by `save()`, so the admin's own form,
    fixtures and loaddata write a review without running the engine.
    """
    review.values = effectiveness_values(review.municipality, review.year, review.direction)
    if save:
        review.save(update_fields=["values"])
    return review


def analysis_values(analysis):
    """The numbers an analysis speaks of: its direction's indicators for its period (or year), district and
    clusters, with targets — computed now, for the page beside the text."""
    from .school_reports import engine_period

    period = engine_period(analysis.period) if analysis.period_id else Period.calendar_year(analysis.year)
    result = compute(period, schools=School.objects.filter(municipality_id=analysis.municipality_id, is_active=True))
    clusters = [e for e in result.entities["cluster"] if e.municipality_id == analysis.municipality_id]
    rows = []
    for ind in result.indicators:
        if ind.kind == "distribution" or (analysis.direction_id and ind.direction_id != analysis.direction_id):
            continue
        cell = result.get(ind.code, "municipality", analysis.municipality_id)
        if cell is None:
            continue
        rows.append({"indicator": ind, "cell": cell, "target": result.target(ind.code, analysis.municipality_id),
                     "clusters": [result.get(ind.code, "cluster", c.key) for c in clusters]})
    return {"values_period": period, "values_rows": rows, "values_clusters": clusters}


# --- Seed 000 -------------------------------------------------------------------------------------------------

SEED_FILE = Path(settings.BASE_DIR) / "fixtures" / "cycle_seed000.json"
SEED_YEAR = 2022  # the year seed 000 was written for (its «сроки» name it)
MONTHS = ["январ", "феврал", "март", "апрел", "ма", "июн", "июл", "август", "сентябр", "октябр", "ноябр", "декабр"]
# Keyword → direction code, checked in order (staffing before deficits: «кадрового дефицита»).
DIRECTION_WORDS = [
    ("кадров", "staffing"), ("дефицит", "deficits"), ("молод", "young"), ("наставни", "young"),
    ("сетев", "network"), ("методическ объедин", "network"), ("объединени", "network"), ("сообществ", "network"),
    ("рейтинг", "rating"), ("классификац", "rating"), ("мастерств", "mastery"), ("конкурс", "mastery"),
    ("научно-методическ", "mastery"),
]


def _direction_for(text, directions):
    low = text.lower()
    for word, code in DIRECTION_WORDS:
        if all(part in low for part in word.split()):
            return directions.get(code)
    return None


def _first_month(text, year, default=1):
    low = (text or "").lower()
    found = [(low.find(m), i + 1) for i, m in enumerate(MONTHS) if re.search(rf"\b{m}", low)]
    found = [f for f in found if f[0] >= 0]
    return date(year, min(found)[1] if found else default, 1)


def _agreement(text):
    low = (text or "").lower()
    if "не соответ" in low:
        return "no"
    if "частич" in low:
        return "partly"
    return "yes"


@transaction.atomic
def load_seed(municipality, year, *, full=True, author=None):
    """Seed 000's section 2.2 as the municipality's cycle records for `year` (replacing that year's records).

    `full=False` loads what is set at the start of a year (goals, methods); `full=True` adds the analysis,
    recommendations, measures, decisions and the effectiveness review of a completed year.
    """
    data = json.loads(SEED_FILE.read_text(encoding="utf-8"))
    directions = {d.code: d for d in Direction.objects.all()}
    for model in MODELS.values():
        model.objects.filter(municipality=municipality, year=year).delete()
    blocks = {b["step"]: b["rows"] for b in data["blocks"]}
    common = {"municipality": municipality, "year": year}

    def extra(row):
        # The seed was written for its own year: its timing («июль–август 2022») moves to the year loaded.
        timing = re.sub(r"\b(20\d\d)\b", lambda m: str(int(m.group(1)) + year - SEED_YEAR), row.get("timing", ""))
        return {"document": row.get("document", "")[:300], "timing": timing[:200],
                "responsible": row.get("responsible", "")[:300]}

    for row in blocks.get("goals", []):
        Goal.objects.create(**common, **extra(row), direction=_direction_for(row["label"], directions),
                            text=row["c1"], justification=row["c2"], regional_agreement=_agreement(row["c3"]),
                            activities=row.get("activities", ""))
    for row in blocks.get("methods", []):
        Method.objects.create(**common, **extra(row), collection=row["c1"], processing=row["c2"],
                              information_systems=row["c3"][:300])
    if not full:
        return
    schools = list(School.objects.filter(municipality=municipality, is_active=True))
    analyses = []
    for row in blocks.get("analysis", []):
        analyses.append(Analysis.objects.create(
            **common, **extra(row), direction=_direction_for(row["label"], directions), text=row["c1"],
            cluster_notes=row["c2"], factors=row["c3"], written_on=_first_month(row.get("timing"), year, 6)))
    for row in blocks.get("recommendations", []):
        rec = Recommendation.objects.create(
            **common, **extra(row), analysis=analyses[0] if analyses else None,
            text=f"{row['label']}: {row['c1']}. {row['c2']}", due=date(year, 12, 31),
            status=Recommendation.Status.DONE)
        rec.schools.set(schools)
    for row in blocks.get("measures", []):
        start = _first_month(row.get("timing"), year, 1)
        Measure.objects.create(**common, **extra(row), direction=_direction_for(row["label"], directions),
                               title=row["label"], participants=row["c3"], start=start, end=date(year, 12, 31),
                               status=Measure.Status.DONE)
    for row in blocks.get("decisions", []):
        Decision.objects.create(**common, **extra(row), analysis=analyses[0] if analyses else None,
                                direction=_direction_for(row["label"], directions),
                                decided_on=_first_month(row.get("timing"), year, 9),
                                text=f"{row['c1']}. {row.get('activities', '')}".strip())
    for row in blocks.get("effectiveness", []):
        review_effectiveness(EffectivenessReview.objects.create(
            **common, **extra(row), reviewed_on=date(year, 12, 20), conclusions=row["c1"],
            problems=row.get("activities", ""), author=author))
