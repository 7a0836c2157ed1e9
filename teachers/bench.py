"""Benchmarks of the teachers app, collected by `manage.py bench` (see reports/management/commands/bench.py).

Each area adds its own function here; `run(ctx)` returns all their rows. BENCH_TEACHERS=imports (or
`pages`, `staff_import`, comma-separated) runs only those sections, e.g.
`BENCH_TEACHERS=imports make bench` for the import rows alone; BENCH_IMPORT_KINDS=diagnostics,courses narrows
the per-kind rows.
"""
import os
import time
from datetime import date
from statistics import median

from django.test import Client

from .models import User


def staff_import(ctx):
    from .importing.bench import run

    return run(ctx)


def pages(ctx):
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


# ---------------------------------------------------------------------------------------------------------------
# The data-entry pages: the filtered teacher list, the pages of the journeys and the full teacher export.
def _client(user):
    client = Client()
    client.force_login(user)
    return client


def teacher_list(ctx):
    """Server time of /teachers/ (50 rows, filtered) as the demo methodologist, district scale."""
    user = User.objects.filter(username="metodist").first()
    if user is None:
        return []
    client = _client(user)
    url = "/teachers/?category=&young=&employment=main&sort=full_name"
    client.get(url)
    times = []
    for _ in range(15):
        start = time.perf_counter()
        response = client.get(url)
        times.append(time.perf_counter() - start)
        assert response.status_code == 200
    seconds = median(times)
    return [{"name": "teacher list page (50 rows, filtered)", "scale": "district", "seconds": seconds,
             "target": "< 30 ms", "ok": seconds < 0.030, "note": "test client, median of 15"}]


def teacher_export(ctx):
    """XLSX export of every working teacher at region scale (admin), time and peak Python memory."""
    if not ctx.region_ready:
        return []
    admin = User.objects.filter(is_superuser=True).first()
    client = _client(admin)

    def run():
        response = client.get("/teachers/?_export=xlsx")
        size = sum(len(chunk) for chunk in response.streaming_content)
        return size

    start = time.perf_counter()
    size = run()
    seconds = time.perf_counter() - start
    _, peak = ctx.peak_memory(run)
    from .models import ExportLog

    rows = ExportLog.objects.order_by("-pk").values_list("rows", flat=True).first()
    return [{"name": f"teacher XLSX export ({rows} rows × 20 columns)", "scale": "region", "seconds": seconds,
             "peak_mb": peak, "target": "≤ 10 s, ≤ 60 MB", "ok": seconds <= 10 and peak <= 60,
             "note": f"file {size / 1024 / 1024:.1f} MB; peak = Python allocations (tracemalloc run)"}]


JOURNEY_BUDGET = 0.300  # seconds of server time for every page of the roles' journeys (issue 14)


def _journey_pages():
    """(role login, page) of each journey of the README's roles on the demo district, resolved from its data."""
    from monitoring.models import ReportingPeriod
    from teachers.models import Association, IndividualRoute, School, Teacher

    head = User.objects.filter(username="director").select_related("school").first()
    school = head.school if head else School.objects.order_by("pk").first()
    teacher = Teacher.objects.active_on(date.today(), schools=[school]).first()
    route = (IndividualRoute.objects.filter(teacher=teacher).first()
             or IndividualRoute.objects.filter(teacher__appointments__school=school).first())
    association = Association.objects.filter(municipality=school.municipality).order_by("pk").first()
    period = ReportingPeriod.objects.filter(monitoring_year__municipality=school.municipality).order_by(
        "-end").filter(end__lte=date.today()).first()
    pages = [
        ("metodist", "/"), ("metodist", "/teachers/"), ("metodist", f"/teachers/{teacher.pk}/"),
        ("metodist", f"/diagnostic-results/new/?teacher={teacher.pk}"), ("metodist", f"/routes/new/?teacher={teacher.pk}"),
        ("metodist", "/route-activities/new/"), ("metodist", f"/mentorships/new/?mentee={teacher.pk}"),
        ("metodist", f"/memberships/new/?teacher={teacher.pk}"), ("metodist", "/monitoring/reports/"),
        ("metodist", "/indicators/?period=2025"), ("metodist", "/indicators/explain/?code=Y1&level=school"
                                                             f"&key={school.pk}&period=2025"),
        ("director", "/"), ("director", f"/teachers/{teacher.pk}/edit/"), ("director", f"/indicators/school/{school.pk}/"
                                                                                      "?period=2025"),
        ("uo", "/"), ("uo", "/reports/"), ("uo", "/indicators/?period=2025"), ("uo", "/indicators/rating/?period=2025"),
    ]
    if route is not None:
        pages.append(("metodist", f"/routes/{route.pk}/"))
    if association is not None:
        pages.append(("metodist", f"/associations/{association.pk}/"))
    if period is not None:
        pages.append(("director", f"/monitoring/reports/{school.pk}/{period.pk}/"))
    return pages


def journey_pages(ctx):
    """Server time of every page of the roles' journeys at district scale against the 300 ms budget (median of 5
    after a warm-up, test client); one row for the slowest page and one per page over the budget."""
    if not User.objects.filter(username="metodist").exists():
        return []
    clients, times = {}, []
    for login, url in _journey_pages():
        user = User.objects.filter(username=login).first()
        if user is None:
            continue
        client = clients.get(login) or clients.setdefault(login, _client(user))
        response = client.get(url)
        if response.status_code != 200:
            times.append((url, login, None, response.status_code))
            continue
        runs = []
        for _ in range(5):
            start = time.perf_counter()
            client.get(url)
            runs.append(time.perf_counter() - start)
        times.append((url, login, median(runs), 200))
    measured = [t for t in times if t[2] is not None]
    if not measured:
        return []
    worst = max(measured, key=lambda t: t[2])
    rows = [{"name": f"journey pages: slowest of {len(measured)} ({worst[1]} {worst[0][:60]})", "scale": "district",
             "seconds": worst[2], "target": "≤ 300 ms each", "ok": all(t[2] <= JOURNEY_BUDGET for t in measured),
             "note": "median of 5, test client; pages of the head's, methodologist's and УО journeys"}]
    for url, login, seconds, status in times:
        if seconds is None:
            rows.append({"name": f"journey page {login} {url[:60]}", "scale": "district", "seconds": 0,
                         "ok": False, "note": f"HTTP {status}"})
        elif seconds > JOURNEY_BUDGET:
            rows.append({"name": f"journey page {login} {url[:60]}", "scale": "district", "seconds": seconds,
                         "target": "≤ 300 ms", "ok": False})
    return rows
