"""One row generator for the engine's result: the CLI (table, csv, json) and the JSON API use it."""
from decimal import Decimal

LEVEL_ALIASES = {"district": "municipality"}


def rows(result, level):
    level = LEVEL_ALIASES.get(level, level)
    for entity in result.entities.get(level, []):
        for ind in result.indicators:
            cell = result.get(ind.code, level, entity.key)
            if cell is None:
                continue
            target = result.target(ind.code, entity.municipality_id, entity.cluster_id) if entity.municipality_id else None
            yield {
                "level": level,
                "entity": entity.name,
                "entity_key": entity.key if not isinstance(entity.key, tuple) else "-".join(map(str, entity.key)),
                "code": ind.code,
                "indicator": ind.short_name,
                "kind": ind.kind,
                "unit": ind.unit,
                "value": _num(cell.value),
                "display": cell.display,
                "numerator": _num(cell.numerator),
                "denominator": _num(cell.denominator),
                "min": _num(cell.spread[0]) if cell.spread else None,
                "median": _num(cell.spread[1]) if cell.spread else None,
                "max": _num(cell.spread[2]) if cell.spread else None,
                "target": _num(target),
                "bands": [{"label": label, "count": n} for label, n in cell.bands] or None,
            }


def _num(value):
    if isinstance(value, Decimal):
        return float(value)
    return value


def as_json(result, level):
    return {
        "period": {"key": result.period.key, "label": result.period.label,
                   "start": result.period.start.isoformat(), "end": result.period.end.isoformat()},
        "level": LEVEL_ALIASES.get(level, level),
        "rows": list(rows(result, level)),
    }
