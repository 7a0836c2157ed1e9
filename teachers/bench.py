"""Benchmarks of the teachers app, collected by `manage.py bench` (see reports/management/commands/bench.py).

Each area adds its own function here; `run(ctx)` returns all their rows.
"""


def staff_import(ctx):
    from .importing.bench import run

    return run(ctx)


def pages(ctx):
    from .views.bench import journey_pages, teacher_export, teacher_list

    return teacher_list(ctx) + journey_pages(ctx) + teacher_export(ctx)


def run(ctx):
    rows = []
    rows.extend(pages(ctx))
    rows.extend(staff_import(ctx))
    return rows
