"""`make bench`: every app's benchmarks in one run, printed as one table.

Benchmarks are measurements, not tests. Each app may have a `bench.py` with

    def run(ctx) -> list[dict]

returning rows with keys: name, scale ("district" / "region"), seconds, and
optionally peak_mb, target (text), ok (bool or None), note. `ctx` is a
`BenchContext` giving the prepared data (`ctx.district` — the demo
municipality, `ctx.region_ready`) and helpers (`ctx.timeit`, `ctx.peak_memory`).

Data: the command runs against DATABASE_URL (PostgreSQL is the point; SQLite
works for a quick look). It migrates, seeds the demo district and, unless
--no-region, the region scale (`seed_demo --scale region`) once; later runs
reuse them.
"""
import importlib
import time
import tracemalloc
from statistics import median

from django.conf import settings
from django.core.management import BaseCommand, call_command
from django.db import connection

APPS = ["teachers", "indicators", "monitoring", "reports"]


class BenchContext:
    def __init__(self, stdout, region_ready):
        from teachers.models import Municipality

        self.stdout = stdout
        self.region_ready = region_ready
        self.district = Municipality.objects.filter(name="Усть-Лабинский район").first()
        self.vendor = connection.vendor

    @staticmethod
    def timeit(fn, *, repeat=5, warmup=1):
        """Median wall time of `fn()` in seconds over `repeat` runs after `warmup` runs."""
        for _ in range(warmup):
            fn()
        times = []
        for _ in range(repeat):
            start = time.perf_counter()
            fn()
            times.append(time.perf_counter() - start)
        return median(times)

    @staticmethod
    def peak_memory(fn):
        """(seconds, peak MB of Python allocations) for one run of `fn()`."""
        tracemalloc.start()
        start = time.perf_counter()
        try:
            fn()
            seconds = time.perf_counter() - start
            _, peak = tracemalloc.get_traced_memory()
        finally:
            tracemalloc.stop()
        return seconds, peak / 1024 / 1024


class Command(BaseCommand):
    help = "Run the project's benchmarks and print a table (not a test)."

    def add_arguments(self, parser):
        parser.add_argument("--no-region", action="store_true", help="Skip the region-scale data and benchmarks.")
        parser.add_argument("--only", help="Comma-separated apps to run (default: all; engine = indicators).")

    def handle(self, *args, **options):
        from teachers.models import Municipality

        if connection.vendor != "postgresql":
            self.stderr.write("Внимание: бенчмарки рассчитаны на PostgreSQL (задайте DATABASE_URL); SQLite — только для проверки.")
        call_command("migrate", verbosity=0)
        call_command("bootstrap", "--demo", "--quiet")
        region_ready = False
        if not options["no_region"]:
            if Municipality.objects.count() < 40:
                self.stdout.write("Создаю данные регионального масштаба (seed_demo --scale region)…")
                start = time.perf_counter()
                call_command("seed_demo", "--scale", "region")
                self.stdout.write(f"  готово за {time.perf_counter() - start:.1f} с")
            region_ready = True
        if connection.vendor == "postgresql":
            # Fresh bulk-loaded tables have no statistics yet; plans without them are off by orders of magnitude.
            with connection.cursor() as cursor:
                cursor.execute("ANALYZE")
        ctx = BenchContext(self.stdout, region_ready)
        # "engine" is the indicators app's benchmarks (the engine and the dashboards over it).
        only = {"indicators" if a == "engine" else a for a in options["only"].split(",")} if options["only"] else None
        rows = []
        for app in APPS:
            if only and app not in only:
                continue
            try:
                module = importlib.import_module(f"{app}.bench")
            except ModuleNotFoundError as exc:
                if exc.name == f"{app}.bench":
                    continue
                raise
            rows.extend(module.run(ctx))
        self._print(rows)

    def _print(self, rows):
        headers = ["benchmark", "scale", "time", "peak MB", "target", "ok", "note"]
        table = []
        for r in rows:
            ok = r.get("ok")
            table.append([
                r["name"], r.get("scale", ""), _fmt_seconds(r["seconds"]),
                f"{r['peak_mb']:.1f}" if r.get("peak_mb") is not None else "",
                r.get("target", ""), "" if ok is None else ("yes" if ok else "NO"), r.get("note", ""),
            ])
        widths = [max(len(str(x)) for x in col) for col in zip(headers, *table)] if table else [len(h) for h in headers]
        line = "  ".join(h.ljust(w) for h, w in zip(headers, widths))
        self.stdout.write(f"\nБД: {connection.vendor} {settings.DATABASES['default'].get('NAME')}")
        self.stdout.write(line)
        self.stdout.write("-" * len(line))
        for row in table:
            self.stdout.write("  ".join(str(x).ljust(w) for x, w in zip(row, widths)))


def _fmt_seconds(seconds):
    if seconds < 1:
        return f"{seconds * 1000:.1f} ms"
    return f"{seconds:.2f} s"
