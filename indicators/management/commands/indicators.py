import csv
import json
import sys

from django.core.management import BaseCommand, CommandError

from indicators.engine import LEVELS, Period, compute
from indicators.serialize import as_json, rows


class Command(BaseCommand):
    help = "Значения показателей за период на уровне ОО, кластера, муниципалитета или региона."

    def add_arguments(self, parser):
        parser.add_argument("--year", type=int, help="Календарный год (по умолчанию — текущий).")
        parser.add_argument("--period", help="Период: 2025, sy2025 (учебный год), 2025q3 (квартал), 2025-11-20 (на дату).")
        parser.add_argument("--level", default="municipality", choices=[*LEVELS, "district"])
        parser.add_argument("--format", default="table", choices=["table", "json", "csv"])
        parser.add_argument("--codes", help="Коды показателей через запятую.")

    def handle(self, *args, **opts):
        try:
            if opts["period"]:
                period = Period.parse(opts["period"])
            else:
                from django.utils import timezone

                period = Period.calendar_year(opts["year"] or timezone.localdate().year)
        except ValueError as exc:
            raise CommandError(str(exc)) from None
        codes = [c.strip() for c in opts["codes"].split(",")] if opts["codes"] else None
        result = compute(period, codes=codes)
        level = opts["level"]
        if opts["format"] == "json":
            self.stdout.write(json.dumps(as_json(result, level), ensure_ascii=False, indent=1))
            return
        data = list(rows(result, level))
        if opts["format"] == "csv":
            fields = ["level", "entity", "code", "indicator", "value", "numerator", "denominator", "min", "median",
                      "max", "target", "unit"]
            writer = csv.DictWriter(self.stdout, fieldnames=fields, extrasaction="ignore", lineterminator="\n")
            writer.writeheader()
            writer.writerows(data)
            return
        self.stdout.write(f"{period.label} ({period.start:%d.%m.%Y}–{period.end:%d.%m.%Y}), уровень: {level}")
        header = ("объект", "код", "показатель", "значение", "числ.", "знам.", "мин / медиана / макс", "цель")
        table = [header]
        for r in data:
            spread = "" if r["min"] is None else f"{r['min']} / {r['median']} / {r['max']}"
            table.append((r["entity"], r["code"], r["indicator"][:45], r["display"], _s(r["numerator"]),
                          _s(r["denominator"]), spread, _s(r["target"])))
        widths = [max(len(str(row[i])) for row in table) for i in range(len(header))]
        for row in table:
            self.stdout.write("  ".join(str(v).ljust(w) for v, w in zip(row, widths)))
        sys.stdout.flush()


def _s(value):
    return "" if value is None else str(value)
