"""The «Вклад ОО» rating: schools classified by their staff (seed 000, «Управленческие решения»).

Each criterion is a share of the school's main staff from the catalogue (highest and first category, attested,
contest participants, winners and prize-winners, speakers and authors, tutors / experts / РМО leaders, mentors),
so schools of any size compare on the same 0–100 scale. The score is the weighted mean of the criteria:

    score = Σ (weight × share) / Σ weight

A school without main staff on the date has no score («нет данных») and no place. Equal scores (to 0.1) share a
place and the next place is skipped (1, 2, 2, 4). Clusters are scored the same way from their pooled shares
(Σ numerators / Σ denominators), not from the mean of their schools' scores.
"""
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

from .engine import compute, indicators_for
from .models import Indicator, RatingCriterion

NORMALISATION = ("Каждый критерий — доля основных педагогических работников ОО (0–100 %), поэтому ОО разного "
                 "размера сравниваются на одной шкале. Балл ОО — средневзвешенное значение критериев: "
                 "Σ (вес × доля) / Σ весов. Равные баллы (до 0,1) делят место, следующее место пропускается. "
                 "Баллы кластеров — по объединённым долям всех их ОО.")


@dataclass
class Part:
    code: str
    name: str
    weight: Decimal
    value: Decimal | None
    numerator: int | None
    denominator: int | None

    @property
    def contribution(self):
        return None if self.value is None else self.weight * self.value


@dataclass
class Row:
    key: object
    name: str
    cluster: str
    staff: int | None
    score: Decimal | None
    parts: list = field(default_factory=list)
    place: int | None = None
    shared: bool = False


@dataclass
class Rating:
    period: object
    criteria: list  # [(RatingCriterion, Indicator)]
    schools: list  # [Row] ranked, then those without data
    clusters: list  # [Row] ranked
    normalisation: str = NORMALISATION

    @property
    def total_weight(self):
        return sum((c.weight for c, _ in self.criteria), Decimal(0))


def criteria_for(year):
    # The catalogue as the engine reads it: the newest definition of each code valid in the year.
    indicators = {i.code: i for i in indicators_for(year) if i.kind == Indicator.Kind.SHARE}
    return [(c, indicators[c.indicator_code]) for c in RatingCriterion.criteria_for(year)
            if c.indicator_code in indicators]


def _score(parts):
    present = [p for p in parts if p.value is not None]
    if not present or not any(p.denominator for p in present):
        return None
    weight = sum((p.weight for p in present), Decimal(0))
    total = sum((p.contribution for p in present), Decimal(0))
    return (total / weight).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)


def _parts(result, criteria, level, key):
    parts = []
    for criterion, ind in criteria:
        cell = result.get(ind.code, level, key)
        parts.append(Part(ind.code, ind.short_name, criterion.weight, cell.value if cell else None,
                          cell.numerator if cell else None, cell.denominator if cell else None))
    return parts


def _rank(rows):
    scored = sorted((r for r in rows if r.score is not None), key=lambda r: (-r.score, r.name))
    place, previous = 0, None
    for i, row in enumerate(scored, start=1):
        if row.score != previous:
            place, previous = i, row.score
        row.place = place
    counts = {}
    for row in scored:
        counts[row.place] = counts.get(row.place, 0) + 1
    for row in scored:
        row.shared = counts[row.place] > 1
    return scored + sorted((r for r in rows if r.score is None), key=lambda r: r.name)


def rating(period, schools, *, user=None):
    """The rating of `schools` (ids or a queryset) for `period`; one engine run."""
    criteria = criteria_for(period.year)
    result = compute(period, user=user, schools=schools, codes=[ind.code for _, ind in criteria])
    cluster_names = {e.key: e.name for e in result.entities["cluster"]}
    school_rows = []
    for ent in result.entities["school"]:
        parts = _parts(result, criteria, "school", ent.key)
        staff = next((p.denominator for p in parts if p.denominator is not None), None)
        school_rows.append(Row(ent.key, ent.name, cluster_names.get((ent.municipality_id, ent.cluster_id), ""),
                               staff, _score(parts), parts))
    cluster_rows = []
    for ent in result.entities["cluster"]:
        parts = _parts(result, criteria, "cluster", ent.key)
        staff = next((p.denominator for p in parts if p.denominator is not None), None)
        cluster_rows.append(Row(ent.key, ent.name, ent.name, staff, _score(parts), parts))
    return Rating(period, criteria, _rank(school_rows), _rank(cluster_rows))
