"""Engine benchmark: all indicators at all levels, against one hand-written SQL query for the share indicators.

The hand-written query computes, per school, the main staff on the date and the numerators of D1, D2, M1,
M2, M3, M4, M5, N1, N3 and Y1 (the share indicators that need the big tables) with one CTE per source
table; the bench checks that every school's numbers equal the engine's and prints both times and the ratio.
"""
import time
from functools import lru_cache
from statistics import median

from django.db import connection
from django.test import override_settings

from teachers.models import School

from .engine import Period, compute
from .freshness import bump

HAND_SQL = """
WITH staff AS (
    SELECT DISTINCT a.school_id, a.teacher_id
    FROM teachers_appointment a
    WHERE a.school_id = ANY(%(schools)s) AND a.employment = 'main' AND a.hired <= %(end)s
      AND (a.dismissed IS NULL OR a.dismissed >= %(end)s)
), diag AS (
    SELECT r.teacher_id, MAX(CASE WHEN r.has_deficits THEN 1 ELSE 0 END) AS deficits
    FROM teachers_diagnosticresult r JOIN teachers_diagnosticcampaign c ON c.id = r.campaign_id
    WHERE c.end_date BETWEEN %(start)s AND %(end)s GROUP BY r.teacher_id
), route AS (
    SELECT r.teacher_id FROM teachers_individualroute r
    WHERE r.diagnostic_result_id IS NOT NULL AND r.approved_on <= %(end)s AND r.status <> 'cancelled'
      AND r.year BETWEEN %(y0)s AND %(y1)s GROUP BY r.teacher_id
), done AS (
    SELECT r.teacher_id FROM teachers_routeactivity x JOIN teachers_individualroute r ON r.id = x.route_id
    WHERE x.done_on BETWEEN %(start)s AND %(end)s AND r.status <> 'cancelled' GROUP BY r.teacher_id
), part AS (
    SELECT p.teacher_id,
           MAX(CASE WHEN k."group" = 'contest' THEN 1 ELSE 0 END) AS contest,
           MAX(CASE WHEN k."group" = 'methodical' AND l.code = 'municipal' THEN 1 ELSE 0 END) AS methodical,
           MAX(CASE WHEN k."group" = 'course' THEN 1 ELSE 0 END) AS course,
           MAX(CASE WHEN (e.is_network OR k."group" = 'network') AND l.rank >= 3 THEN 1 ELSE 0 END) AS regfed
    FROM teachers_participation p JOIN teachers_event e ON e.id = p.event_id
    JOIN teachers_eventkind k ON k.id = e.kind_id JOIN teachers_eventlevel l ON l.id = e.level_id
    WHERE e.end_date BETWEEN %(start)s AND %(end)s GROUP BY p.teacher_id
), net AS (
    SELECT m.teacher_id FROM teachers_membership m JOIN teachers_association a ON a.id = m.association_id
    JOIN teachers_associationkind ak ON ak.id = a.kind_id
    WHERE ak.is_network AND m.start <= %(end)s AND (m."end" IS NULL OR m."end" >= %(start)s) GROUP BY m.teacher_id
), mentors AS (
    -- a school and a municipal mentor on the same day of the period (both overlap it and each other)
    SELECT s.mentee_id AS teacher_id, 1 AS school_m, 1 AS municipal_m
    FROM teachers_mentorship s JOIN teachers_mentorship mu ON mu.mentee_id = s.mentee_id AND mu.level = 'municipal'
    WHERE s.level = 'school' AND s.start <= %(end)s AND (s."end" IS NULL OR s."end" >= %(start)s)
      AND mu.start <= %(end)s AND (mu."end" IS NULL OR mu."end" >= %(start)s)
      AND mu.start <= COALESCE(s."end", %(end)s) AND (mu."end" IS NULL OR mu."end" >= s.start)
    GROUP BY s.mentee_id
)
SELECT s.school_id,
       COUNT(*) AS staff,
       COUNT(diag.teacher_id) AS d1,
       SUM(COALESCE(diag.deficits, 0)) AS d2,
       COUNT(route.teacher_id) AS m1,
       SUM(CASE WHEN route.teacher_id IS NOT NULL AND done.teacher_id IS NOT NULL THEN 1 ELSE 0 END) AS m2,
       SUM(COALESCE(part.contest, 0)) AS m3,
       SUM(COALESCE(part.methodical, 0)) AS m4,
       SUM(COALESCE(part.course, 0)) AS m5,
       COUNT(net.teacher_id) AS n1,
       SUM(COALESCE(part.regfed, 0)) AS n3,
       SUM(CASE WHEN t.ped_experience_start > %(young_after)s AND t.ped_experience_start <= %(end)s THEN 1 ELSE 0 END) AS young,
       SUM(CASE WHEN t.ped_experience_start > %(young_after)s AND t.ped_experience_start <= %(end)s
                 AND mentors.school_m = 1 AND mentors.municipal_m = 1 THEN 1 ELSE 0 END) AS y1
FROM staff s
JOIN teachers_teacher t ON t.id = s.teacher_id
LEFT JOIN diag ON diag.teacher_id = s.teacher_id
LEFT JOIN route ON route.teacher_id = s.teacher_id
LEFT JOIN done ON done.teacher_id = s.teacher_id
LEFT JOIN part ON part.teacher_id = s.teacher_id
LEFT JOIN net ON net.teacher_id = s.teacher_id
LEFT JOIN mentors ON mentors.teacher_id = s.teacher_id
GROUP BY s.school_id
"""

# engine code -> (hand column for the numerator, hand column for the denominator)
COMPARE = {"D1": ("d1", "staff"), "D2": ("d2", "d1"), "M1": ("m1", "staff"), "M2": ("m2", "m1"),
           "M3": ("m3", "staff"), "M4": ("m4", "staff"), "M5": ("m5", "staff"), "N1": ("n1", "staff"),
           "N3": ("n3", "staff"), "Y1": ("y1", "young")}


def hand_written(period, school_ids):
    """The hand-written query, run the way the engine runs its own statements (plain execute, the same text for
    the same period and schools)."""
    with connection.cursor() as cursor:
        cursor.execute(_hand_text(period, tuple(school_ids)))
        names = [c[0] for c in cursor.description]
        return {row[0]: dict(zip(names, row)) for row in cursor.fetchall()}


@lru_cache(maxsize=8)
def _hand_text(period, school_ids):
    """HAND_SQL with its values written in (the same text for the same period and schools)."""
    from teachers.dates import years_before

    params = {"schools": list(school_ids), "start": period.start, "end": period.end, "y0": period.start.year,
              "y1": period.end.year, "young_after": years_before(period.end, 3)}
    return connection.ops.compose_sql(HAND_SQL, params)


def computed(period, **kwargs):
    """`compute` with every cell built (cells are built per indicator on first reading): what the timings of a
    fresh computation measure."""
    result = compute(period, **kwargs)
    len(result.cells)
    return result


def _time(fn, repeat):
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return median(times)


def _time_in_turns(fns, repeat):
    """Median wall time of each of `fns`, run in turns `repeat` times."""
    times = [[] for _ in fns]
    for _ in range(repeat):
        for fn, spent in zip(fns, times):
            start = time.perf_counter()
            fn()
            spent.append(time.perf_counter() - start)
    return [median(spent) for spent in times]


def run(ctx):
    if ctx.vendor != "postgresql":
        return [{"name": "engine vs hand-written SQL", "scale": "-", "seconds": 0, "ok": None,
                 "note": "нужен PostgreSQL (DATABASE_URL)"}]
    period = Period.calendar_year(2025)
    rows = []
    scales = [("district", list(ctx.district.schools.values_list("pk", flat=True)), "≤ 20 ms", 0.020)]
    if ctx.region_ready:
        scales.append(("region", list(School.objects.values_list("pk", flat=True)), "≤ 1.3 × SQL", None))
    codes = list(COMPARE)
    for scale, school_ids, target, limit in scales:
        with override_settings(ENGINE_CACHE_SECONDS=0):  # the engine itself, every time from the database
            compute(period, schools=school_ids)  # warm-up
            hand_written(period, school_ids)
            compute(period, schools=school_ids, codes=codes)
            # Taken in turns, so that a busy moment of the machine falls on all three alike.
            engine_s, same_s, sql_s = _time_in_turns([
                lambda: computed(period, schools=school_ids),
                lambda: computed(period, schools=school_ids, codes=codes),
                lambda: hand_written(period, school_ids),
            ], 9 if scale == "district" else 7)
            result, hand = compute(period, schools=school_ids), hand_written(period, school_ids)
        mismatches = 0
        for sid in school_ids:
            h = hand.get(sid)
            for code, (num_col, den_col) in COMPARE.items():
                cell = result.get(code, "school", sid)
                expected = (h[num_col], h[den_col]) if h else (0, 0)
                if (cell.numerator, cell.denominator) != expected:
                    mismatches += 1
        ratio, same_ratio = engine_s / sql_s, same_s / sql_s
        if limit:
            ok, same_ok = engine_s <= limit, same_s <= limit
        else:
            # The ratio target compares the same numbers (the next row); all indicators are three times as many
            # numbers as the hand query computes, so their ratio is shown, not judged.
            ok, same_ok = None, same_ratio <= 1.3
        rows.append({"name": "engine: all indicators × all levels", "scale": scale, "seconds": engine_s,
                     "target": target if limit else "",
                     "ok": (ok and not mismatches) if limit else (False if mismatches else None),
                     "note": f"{len(result.indicators)} indicators incl. distributions and means; ratio to hand "
                             f"SQL {ratio:.2f}{'' if limit else ' (not the same numbers)'}; {len(school_ids)} ОО; "
                             f"расхождений: {mismatches}"})
        rows.append({"name": "engine: the 10 shares of the hand SQL × all levels", "scale": scale,
                     "seconds": same_s, "target": target, "ok": same_ok and not mismatches,
                     "note": f"the same numbers as the hand-written query; ratio {same_ratio:.2f}"})
        rows.append({"name": "hand-written SQL (10 shares, schools only)", "scale": scale, "seconds": sql_s,
                     "target": "", "ok": None,
                     "note": "one query, CTE per source table; executed like the engine's"})
        compute(period, schools=school_ids)
        cached_s = _time(lambda: compute(period, schools=school_ids), 7)
        rows.append({"name": "engine, repeated (cached under the data version)", "scale": scale,
                     "seconds": cached_s, "target": "≤ 100 ms" if scale == "region" else "",
                     "ok": cached_s <= 0.100 if scale == "region" else None,
                     "note": f"cache: {_cache_backend()}; any change to the data bumps the version: the next call "
                             "reads the database"})
        if scale == "region":
            from . import engine

            def from_shared_cache(read):
                engine._MEMO.clear()  # as in another process: only the shared cache has the result
                result = compute(period, schools=school_ids)
                read(result)

            def one_indicator(result):  # what a page showing one indicator at every level reads
                for level in ("school", "cluster", "municipality", "region"):
                    for entity in result.entities[level]:
                        result.get("D1", level, entity.key)

            shared_s = _time(lambda: from_shared_cache(lambda r: None), 5)
            rows.append({"name": "engine, cached, another process (shared cache only)", "scale": scale,
                         "seconds": shared_s, "target": "≤ 100 ms", "ok": shared_s <= 0.100,
                         "note": f"cache: {_cache_backend()}; the per-school facts read back; cells are built per "
                                 "indicator when first read"})
            one_s = _time(lambda: from_shared_cache(one_indicator), 5)
            rows.append({"name": "  … and one indicator read at every level", "scale": scale,
                         "seconds": one_s, "target": "", "ok": None, "note": "D1 for every ОО, cluster, municipality"})
            all_s = _time(lambda: from_shared_cache(lambda r: len(r.cells)), 5)
            rows.append({"name": "  … and every cell read", "scale": scale, "seconds": all_s, "target": "",
                         "ok": None, "note": "30 indicators × every ОО, cluster, municipality, region"})
    if ctx.region_ready:
        rows += cost_curve(period)
    return rows + dashboards(ctx)


def _cache_backend():
    from django.conf import settings

    return settings.CACHES["default"]["BACKEND"].rsplit(".", 1)[-1]


COST_CURVE = (1, 5, 20, None)  # the first N municipalities (by id); None: all


def cost_curve(period):
    """All indicators for the schools of the first 1, 5, 20 and all municipalities: the cost must grow with the
    schools asked for (no size dearer than a larger one)."""
    from teachers.models import Municipality

    municipalities = list(Municipality.objects.order_by("pk").values_list("pk", flat=True))
    rows, previous = [], None
    for n in COST_CURVE:
        chosen = municipalities if n is None else municipalities[:n]
        school_ids = list(School.objects.filter(municipality_id__in=chosen, is_active=True).values_list("pk", flat=True))
        with override_settings(ENGINE_CACHE_SECONDS=0):
            computed(period, schools=school_ids)  # warm-up
            seconds = _time(lambda: computed(period, schools=school_ids), 5)
        ok = None if previous is None else seconds >= previous * 0.9  # 10 % for the noise of a shared machine
        rows.append({"name": f"cost curve: all indicators, {'all' if n is None else n} municipalities",
                     "scale": "region", "seconds": seconds, "target": "≥ the smaller size", "ok": ok,
                     "note": f"{len(chosen)} муниципалитетов, {len(school_ids)} ОО"})
        previous = seconds
    return rows


def dashboards(ctx):
    """Server time of the dashboard pages at district scale (test client, median of 10)."""
    from django.test import Client

    from teachers.models import User

    user = User.objects.filter(username="metodist").first()
    if user is None or ctx.district is None:
        return []
    client = Client()
    client.force_login(user)
    school = ctx.district.schools.order_by("pk").first()
    year = time.localtime().tm_year - 1
    rows = []
    for name, url in [("dashboard: district", f"/indicators/?period={year}"),
                      ("dashboard: cluster", f"/indicators/cluster/{ctx.district.pk}-{school.cluster_id}/?period={year}"),
                      ("dashboard: school", f"/indicators/school/{school.pk}/?period={year}"),
                      ("rating «Вклад ОО» page", f"/indicators/rating/?period={year}")]:
        client.get(url)
        seconds = _time(lambda: client.get(url), 10)

        def cold():
            bump()  # as after any edit: the page recomputes from the database
            client.get(url)

        cold_s = _time(cold, 5)
        rows.append({"name": name, "scale": "district", "seconds": seconds, "target": "≤ 60 ms",
                     "ok": seconds <= 0.060,
                     "note": f"test client, median of 10; right after a data change: {cold_s * 1000:.0f} ms"})
    return rows
