"""Benchmarks of the data-entry pages: the filtered teacher list and the full teacher export."""
import time
from statistics import median

from django.test import Client

from ..models import User


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
    from ..models import ExportLog

    rows = ExportLog.objects.order_by("-pk").values_list("rows", flat=True).first()
    return [{"name": f"teacher XLSX export ({rows} rows × 20 columns)", "scale": "region", "seconds": seconds,
             "peak_mb": peak, "target": "≤ 10 s, ≤ 60 MB", "ok": seconds <= 10 and peak <= 60,
             "note": f"file {size / 1024 / 1024:.1f} MB; peak = Python allocations (tracemalloc run)"}]
