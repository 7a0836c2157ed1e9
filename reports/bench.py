"""Benchmarks of the documents, collected by `manage.py bench`: time and peak Python memory of a build."""
import re
import time

from django.db.models import Count
from django.utils import timezone


def _pages(content):
    """Pages of a PDF by pdfinfo (WeasyPrint packs page objects into object streams, so no regex on bytes)."""
    import shutil
    import subprocess

    if not shutil.which("pdfinfo"):
        return None
    out = subprocess.run(["pdfinfo", "-"], input=content, capture_output=True, text=False).stdout.decode()
    match = re.search(r"^Pages:\s+(\d+)", out, re.M)
    return int(match.group(1)) if match else None


def _build(kind, fmt, user, params):
    from .documents.registry import check

    doc = check(user, kind, params)
    return doc.build(user, params, fmt, lambda p: None)[1]


def _measure(ctx, kind, fmt, user, params, before=None):
    """(seconds, Python peak MB, size note, process RSS peak MB after the timed build — before tracemalloc
    inflates it) of one build; `before` runs ahead of each build (e.g. to drop cached engine results)."""
    import resource

    if before:
        before()
    start = time.perf_counter()
    content = _build(kind, fmt, user, params)
    seconds = time.perf_counter() - start
    rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    if before:
        before()
    _, peak = ctx.peak_memory(lambda: _build(kind, fmt, user, params))
    pages = _pages(content) if fmt == "pdf" else None
    note = f"{len(content) / 1024:.0f} КБ" + (f", страниц: {pages}" if pages else "")
    return seconds, peak, note, rss


def run(ctx):
    from teachers.models import Municipality, User

    rows = []
    methodologist = User.objects.filter(username="metodist").first()
    year = timezone.localdate().year - 1
    if methodologist and ctx.district:
        from teachers.models import IndividualRoute

        from .documents.registry import REGISTRY

        route = (IndividualRoute.objects.filter(teacher__appointments__school__municipality=ctx.district,
                                                activities__isnull=False).order_by("pk").first())
        # Every district document in every format, ≤ 3 s each (issue #17).
        for kind, doc in REGISTRY.items():
            if not doc.needs_municipality and not doc.needs_route:
                continue  # the region справка, measured below
            params = {"municipality": ctx.district.pk, "year": year}
            if doc.needs_route:
                if route is None:
                    continue
                params = {"route": route.pk}
            for fmt in doc.formats:
                seconds, peak, note, _ = _measure(ctx, kind, fmt, methodologist, params)
                rows.append({"name": f"{doc.title} {fmt.upper()}", "scale": "district", "seconds": seconds,
                             "peak_mb": peak, "target": "≤ 3 s", "ok": seconds <= 3.0, "note": note})
    if ctx.region_ready:
        admin = User.objects.filter(is_superuser=True).first()
        biggest = (Municipality.objects.exclude(pk=getattr(ctx.district, "pk", None))
                   .annotate(n=Count("schools")).order_by("-n", "name").first())
        if admin and biggest:
            params = {"municipality": biggest.pk, "year": year}
            for kind, fmt, name in [("briefing", "pdf", "аналитическая справка PDF (муниципалитет региона)"),
                                    ("rating", "xlsx", "рейтинг «Вклад ОО» XLSX (муниципалитет региона)")]:
                seconds, peak, note, _ = _measure(ctx, kind, fmt, admin, params)
                rows.append({"name": name, "scale": "region", "seconds": seconds, "peak_mb": peak, "target": "",
                             "ok": None, "note": f"{biggest}: {biggest.n} ОО; {note}"})
        if admin:
            rows.append(_region_briefing(ctx, admin, year))
    return rows


def _region_briefing(ctx, admin, year):
    """The region справка as a worker builds it: a fresh engine (no cached results), wall time, pages, the
    Python peak (tracemalloc) and the process's resident peak, which is what the worker's recycling limit sees."""
    from indicators.freshness import bump

    seconds, peak, note, rss = _measure(ctx, "region", "pdf", admin, {"year": year}, before=bump)
    return {"name": "аналитическая справка по региону PDF", "scale": "region", "seconds": seconds,
            "peak_mb": peak, "target": "≤ 12 s, ≤ 400 MB", "ok": seconds <= 12 and rss <= 400,
            "note": f"{note}; пик RSS процесса bench за весь прогон (верхняя граница) {rss:.0f} МБ"}
