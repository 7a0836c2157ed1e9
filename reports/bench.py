"""Benchmarks of the documents, collected by `manage.py bench`: time and peak Python memory of a build."""
import re
import time

from django.utils import timezone


def _build(kind, fmt, user, params):
    from .documents import check

    doc = check(user, kind, params)
    return doc.build(user, params, fmt, lambda p: None)[1]


def run(ctx):
    from teachers.models import Municipality, User

    rows = []
    methodologist = User.objects.filter(username="metodist").first()
    year = timezone.localdate().year - 1
    if methodologist and ctx.district:
        params = {"municipality": ctx.district.pk, "year": year}
        for kind, fmt, name, target in [
            ("briefing", "pdf", "аналитическая справка PDF", 3.0), ("briefing", "xlsx", "аналитическая справка XLSX", 3.0),
            ("order", "pdf", "приказ PDF", None), ("rating", "pdf", "рейтинг «Вклад ОО» PDF", None),
            ("cycle", "pdf", "таблица 2.2 PDF", None),
        ]:
            start = time.perf_counter()
            content = _build(kind, fmt, methodologist, params)
            seconds = time.perf_counter() - start
            _, peak = ctx.peak_memory(lambda: _build(kind, fmt, methodologist, params))
            pages = len(re.findall(rb"/Type\s*/Page[^s]", content)) if fmt == "pdf" else None
            rows.append({"name": name, "scale": "district", "seconds": seconds, "peak_mb": peak,
                         "target": f"≤ {target:.0f} s" if target else "", "ok": seconds <= target if target else None,
                         "note": f"{len(content) / 1024:.0f} КБ" + (f", страниц: {pages}" if pages else "")})
    if ctx.region_ready:
        admin = User.objects.filter(is_superuser=True).first()
        biggest = (Municipality.objects.exclude(pk=getattr(ctx.district, "pk", None))
                   .order_by("-schools__id").first())
        if admin and biggest:
            params = {"municipality": biggest.pk, "year": year}
            for kind, fmt, name in [("briefing", "pdf", "аналитическая справка PDF (муниципалитет региона)"),
                                    ("rating", "xlsx", "рейтинг «Вклад ОО» XLSX (муниципалитет региона)")]:
                start = time.perf_counter()
                content = _build(kind, fmt, admin, params)
                seconds = time.perf_counter() - start
                _, peak = ctx.peak_memory(lambda: _build(kind, fmt, admin, params))
                rows.append({"name": name, "scale": "region", "seconds": seconds, "peak_mb": peak, "target": "",
                             "ok": None, "note": f"{biggest}: {biggest.schools.count()} ОО; {len(content) / 1024:.0f} КБ"})
    return rows
