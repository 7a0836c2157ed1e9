"""Benchmarks of the teachers app, collected by `manage.py bench` (see reports/management/commands/bench.py).

Each area adds its own function here; `run(ctx)` returns all their rows. BENCH_TEACHERS=imports (or
`pages`, `staff_import`, comma-separated) runs only those sections, e.g.
`BENCH_TEACHERS=imports make bench` for the import rows alone; BENCH_IMPORT_KINDS=diagnostics,courses narrows
the per-kind rows.
"""
import os


def staff_import(ctx):
    from .importing.bench import run

    return run(ctx)


def pages(ctx):
    from .views.bench import journey_pages, teacher_export, teacher_list

    return teacher_list(ctx) + journey_pages(ctx) + teacher_export(ctx)


def import_kinds(ctx):
    from .importing.bench import run_kinds

    codes = [c for c in os.environ.get("BENCH_IMPORT_KINDS", "").split(",") if c]
    return run_kinds(ctx, codes or None)


SECTIONS = {"pages": pages, "staff_import": staff_import, "import_kinds": import_kinds}
GROUPS = {"imports": ("staff_import", "import_kinds")}


def run(ctx):
    wanted = [w for w in os.environ.get("BENCH_TEACHERS", "").split(",") if w]
    names = [n for w in wanted for n in GROUPS.get(w, (w,))] or list(SECTIONS)
    rows = []
    for name in names:
        rows.extend(SECTIONS[name](ctx))
    return rows
