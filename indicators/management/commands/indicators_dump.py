"""`manage.py indicators_dump OUT.json`: every cell of every indicator at every level for a few periods, as JSON;
`manage.py indicators_dump --compare A.json B.json`: cell-by-cell comparison of two dumps.

A tool for changing the engine without changing a number: dump before, change, dump again, compare. Values are
written as text (Decimal's own text, so a lost trailing zero or a changed rounding shows), the spread and bands
in full; the cache is off, so every dump reads the database.
"""
import json
import time

from django.core.management import BaseCommand, CommandError
from django.test import override_settings

from indicators.engine import Period, compute
from teachers.models import Municipality, School

DEFAULT_PERIODS = "2025,2025q3,sy2024,2025-11-20"


def _text(value):
    return None if value is None else str(value)


def dump(period, school_ids=None):
    """{"entities": {level: [[key, name, school_ids]]}, "cells": {"code|level|key": [...]}} for one period."""
    with override_settings(ENGINE_CACHE_SECONDS=0):
        result = compute(period, schools=school_ids)
    cells = {}
    for (code, level, key), cell in result.cells.items():
        key_text = "-".join(map(str, key)) if isinstance(key, tuple) else str(key)
        cells[f"{code}|{level}|{key_text}"] = [
            cell.kind, cell.unit, _text(cell.numerator), _text(cell.denominator), _text(cell.value), cell.display,
            [_text(v) for v in cell.spread] if cell.spread else None, [[label, n] for label, n in cell.bands],
        ]
    entities = {level: [["-".join(map(str, e.key)) if isinstance(e.key, tuple) else str(e.key), e.name,
                         sorted(e.school_ids)] for e in items] for level, items in result.entities.items()}
    return {"indicators": [i.code for i in result.indicators], "entities": entities, "cells": cells}


class Command(BaseCommand):
    help = "Выгрузка всех ячеек показателей в JSON (для сравнения до и после изменения движка)."

    def add_arguments(self, parser):
        parser.add_argument("out", nargs="?", help="Файл JSON для выгрузки.")
        parser.add_argument("--periods", default=DEFAULT_PERIODS, help=f"Периоды через запятую ({DEFAULT_PERIODS}).")
        parser.add_argument("--subsets", default="1,5",
                            help="Ещё выгрузки по ОО первых N муниципалитетов, через запятую (по умолчанию 1,5; "
                                 "пусто — не делать).")
        parser.add_argument("--compare", nargs=2, metavar=("A", "B"), help="Сравнить две выгрузки по ячейкам.")

    def handle(self, *args, **opts):
        if opts["compare"]:
            return self.compare(*opts["compare"])
        if not opts["out"]:
            raise CommandError("Укажите файл для выгрузки или --compare A B.")
        try:
            periods = [Period.parse(p) for p in opts["periods"].split(",")]
        except ValueError as exc:
            raise CommandError(str(exc)) from None
        scopes = {"all": None}
        try:
            subsets = [int(n) for n in opts["subsets"].split(",") if n.strip()]
        except ValueError:
            raise CommandError("--subsets: числа через запятую, например 1,5.") from None
        for n in subsets:
            first = list(Municipality.objects.order_by("pk").values_list("pk", flat=True)[:n])
            scopes[f"{n} municipalities"] = list(
                School.objects.filter(municipality_id__in=first).order_by("pk").values_list("pk", flat=True))
        data = {}
        for period in periods:
            for scope, ids in scopes.items():
                start = time.perf_counter()
                data[f"{period.key}|{scope}"] = dump(period, ids)
                self.stdout.write(f"{period.key} {scope}: {len(data[f'{period.key}|{scope}']['cells'])} ячеек, "
                                  f"{time.perf_counter() - start:.1f} с")
        with open(opts["out"], "w", encoding="utf-8") as f:
            json.dump(data, f, ensure_ascii=False, sort_keys=True)

    def compare(self, a_path, b_path):
        with open(a_path, encoding="utf-8") as f:
            a = json.load(f)
        with open(b_path, encoding="utf-8") as f:
            b = json.load(f)
        compared, differ = 0, []
        for run in sorted(set(a) | set(b)):
            if run not in a or run not in b:
                differ.append(f"{run}: есть только в {'B' if run not in a else 'A'}")
                continue
            if a[run]["indicators"] != b[run]["indicators"]:
                differ.append(f"{run}: разные показатели")
            if a[run]["entities"] != b[run]["entities"]:
                differ.append(f"{run}: разные объекты (ОО, кластеры, муниципалитеты)")
            cells_a, cells_b = a[run]["cells"], b[run]["cells"]
            for key in sorted(set(cells_a) | set(cells_b)):
                compared += 1
                if cells_a.get(key) != cells_b.get(key):
                    differ.append(f"{run} {key}: {cells_a.get(key)} ≠ {cells_b.get(key)}")
        for line in differ[:50]:
            self.stdout.write(line)
        self.stdout.write(f"{compared} cells compared, {len(differ)} differ")
        if differ:
            raise CommandError("Выгрузки различаются.")
