"""Cached indicator values never outlive the data: every save, delete, m2m change and bulk write bumps the version."""
from datetime import date

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext

from indicators.engine import Period, compute
from indicators.freshness import current
from teachers import models as m
from teachers.signals import bulk_changed

from .factories import CampaignFactory, make_teacher

PERIOD = Period.calendar_year(2025)


@pytest.fixture(autouse=True)
def cached(settings):
    settings.ENGINE_CACHE_SECONDS = 600
    cache.clear()
    yield
    cache.clear()


def k1(school):
    return compute(PERIOD, schools=[school]).get("K1", "school", school.pk).value


def test_a_repeat_is_served_from_the_cache_and_any_change_refreshes_it(school_a):
    teacher = make_teacher(school_a, hired=date(2020, 9, 1))
    assert k1(school_a) == 1
    with CaptureQueriesContext(connection) as ctx:
        assert k1(school_a) == 1
    assert len(ctx.captured_queries) <= 3  # school ids, data version, nothing else
    make_teacher(school_a, hired=date(2020, 9, 1))
    assert k1(school_a) == 2  # post_save bumped the version
    teacher.appointments.update(dismissed=date(2025, 3, 1))  # a queryset update: no signal…
    bulk_changed.send(sender=m.Appointment)  # …so bulk paths announce themselves
    assert k1(school_a) == 1
    teacher.delete()
    assert k1(school_a) == 1 and compute(PERIOD, schools=[school_a]).get("K1", "school", school_a.pk).value == 1


def test_many_to_many_and_derived_flags_refresh(school_a):
    teacher = make_teacher(school_a, hired=date(2020, 9, 1))
    campaign = CampaignFactory(municipality=school_a.municipality, start_date=date(2025, 4, 1),
                               end_date=date(2025, 4, 10))
    result = m.DiagnosticResult.objects.create(campaign=campaign, teacher=teacher)
    d2 = lambda: compute(PERIOD, schools=[school_a]).get("D2", "school", school_a.pk).value  # noqa: E731
    assert d2() == 0
    before = current()
    result.deficit_areas.set([m.DeficitArea.objects.first()])
    result.sync_has_deficits()
    assert current() > before
    assert d2() == 100


def test_a_heads_view_of_a_cached_result_is_still_their_school_only(school_a, school_b, head_a, methodologist):
    make_teacher(school_a)
    make_teacher(school_b)
    full = compute(PERIOD, user=methodologist)
    assert {e.key for e in full.entities["school"]} == {school_a.pk, school_b.pk}
    mine = compute(PERIOD, user=head_a)
    assert {e.key for e in mine.entities["school"]} == {school_a.pk}
    assert not any(k[1] == "school" and k[2] == school_b.pk for k in mine.cells)
    again = compute(PERIOD, user=methodologist)  # the head's filtering did not touch the cached result
    assert {e.key for e in again.entities["school"]} == {school_a.pk, school_b.pk}


def test_the_staff_import_refreshes_cached_values(tmp_path, school_a, head_a):
    from teachers.importing import apply_import

    from .import_support import row, snils_with_checksum, write

    period = Period.as_of(date.today())
    staff = lambda: compute(period, schools=[school_a]).get("K1", "school", school_a.pk).value  # noqa: E731
    assert staff() == 0  # cached now
    path = write(tmp_path, [row(), row(ФИО="Петров Пётр Петрович", СНИЛС=snils_with_checksum(300000001),
                                       Пол="мужской", **{"Дата рождения": "02.03.1990", "Педстаж с": "01.09.2012",
                                                         "Общий стаж с": "01.09.2012"})])
    apply_import(path, school_a, head_a, "staff.xlsx")  # bulk_create: no model signals
    assert staff() == 2


def test_a_cached_result_equals_a_fresh_computation(school_a, school_b, settings):
    """The hit paths — this process's memo and the shared cache read back — give the cells a fresh computation
    gives; a cleared shared cache is never answered from the memo."""
    from indicators import engine

    for school in (school_a, school_b):
        make_teacher(school, hired=date(2020, 9, 1))
    make_teacher(school_a, hired=date(2021, 9, 1), birth_date=date(1990, 5, 5))

    def cells(result):
        return {k: (c.numerator, c.denominator, c.value, c.spread, c.bands) for k, c in result.cells.items()}

    schools = [school_a, school_b]
    first = compute(PERIOD, schools=schools)
    settings.ENGINE_CACHE_SECONDS = 0
    fresh = cells(compute(PERIOD, schools=schools))
    settings.ENGINE_CACHE_SECONDS = 600
    with CaptureQueriesContext(connection) as ctx:
        memo = compute(PERIOD, schools=schools)
    assert memo is first and len(ctx.captured_queries) <= 2  # school ids, data version
    engine._MEMO.clear()  # another process: only the shared cache holds it
    shared = compute(PERIOD, schools=schools)
    assert shared is not first and cells(shared) == fresh
    cache.clear()
    with CaptureQueriesContext(connection) as ctx:
        again = compute(PERIOD, schools=schools)
    assert again is not shared and cells(again) == fresh and len(ctx.captured_queries) > 2


def test_cells_are_built_per_indicator_when_first_read(school_a, school_b):
    """A result read back from the shared cache builds an indicator's cells on the first reading of any of them
    (a page reading D1 does not pay for all 30 indicators); what is read equals a fresh computation, also when
    several threads read the same result at once."""
    import threading

    from indicators import engine

    make_teacher(school_a, hired=date(2020, 9, 1))
    make_teacher(school_b, hired=date(2021, 9, 1), birth_date=date(1990, 5, 5))
    schools = [school_a, school_b]
    fresh = compute(PERIOD, schools=schools)
    expected = {k: (c.numerator, c.denominator, c.value, c.spread, c.bands) for k, c in fresh.cells.items()}
    engine._MEMO.clear()
    shared = compute(PERIOD, schools=schools)
    assert isinstance(shared.cells, engine.Cells)
    cell = shared.get("K1", "municipality", school_a.municipality_id)
    assert shared.cells._pending.keys() == {i.code for i in shared.indicators} - {"K1"}
    assert (cell.numerator, cell.denominator, cell.value) == expected[("K1", "municipality",
                                                                      school_a.municipality_id)][:3]
    assert ("D1", "school", school_b.pk) in shared.cells and "D1" not in shared.cells._pending

    engine._MEMO.clear()
    concurrent = compute(PERIOD, schools=schools)
    seen, problems = [], []

    def read():
        try:
            seen.append({k: (c.numerator, c.denominator, c.value, c.spread, c.bands)
                         for k, c in concurrent.cells.items()})
        except Exception as error:  # noqa: BLE001 - reported below
            problems.append(error)

    threads = [threading.Thread(target=read) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert not problems and len(seen) == 4 and all(s == expected for s in seen)


class _Ids(list):
    """Stands in for `School.objects.filter(pk__in=…)` so the memo is exercised without a database."""

    def filter(self, **kwargs):
        return self

    def values_list(self, *args, **kwargs):
        return self


@pytest.fixture
def memo_only(monkeypatch, settings):
    """`engine._cached` over fake results: no database, one data version; the memo and the shared cache real."""
    from types import SimpleNamespace

    from indicators import engine

    settings.ENGINE_CACHE_MAX_SCHOOLS = 10**6
    monkeypatch.setattr(engine.freshness, "current", lambda: 1)
    monkeypatch.setattr(engine, "School", SimpleNamespace(objects=SimpleNamespace(filter=lambda pk__in: _Ids(pk__in))))
    monkeypatch.setattr(engine, "_compute",
                        lambda period, codes, ids: SimpleNamespace(entities={"school": list(ids)}))
    engine._MEMO.clear()
    yield engine
    engine._MEMO.clear()


def test_the_memo_is_safe_to_fill_and_read_from_several_threads(memo_only, monkeypatch):
    """runserver serves requests on threads: concurrent reads and evictions of the memo never raise (an
    unguarded OrderedDict walk while another thread inserts raised «mutated during iteration»)."""
    import sys
    import threading

    engine = memo_only
    monkeypatch.setattr(engine, "MEMO_SCHOOLS", 40)
    problems = []

    def hammer(n):
        try:
            for i in range(3000):
                engine._cached("p", None, engine.SchoolList([(i * 7 + n) % 97]))
        except Exception as error:  # noqa: BLE001 - reported below
            problems.append(repr(error))

    interval = sys.getswitchinterval()
    sys.setswitchinterval(1e-6)
    try:
        threads = [threading.Thread(target=hammer, args=(n,)) for n in range(6)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
    finally:
        sys.setswitchinterval(interval)
    assert not problems, problems[:3]
    assert sum(max(1, len(r.entities["school"])) for _, r in engine._MEMO.values()) <= 40


def test_the_memo_is_bounded_also_by_results_of_no_schools(memo_only, monkeypatch):
    """Empty results (an empty scope, any of 9,999 years) count as one school each, so they cannot pile up; a
    result read again is the newest and is kept."""
    engine = memo_only
    monkeypatch.setattr(engine, "MEMO_SCHOOLS", 10)
    first = engine._cached(0, None, engine.SchoolList([]))
    for year in range(1, 50):
        engine._cached(year, None, engine.SchoolList([]))
        assert engine._cached(0, None, engine.SchoolList([])) is first  # read again: moved to the end
    assert len(engine._MEMO) <= 10


def test_the_api_gives_a_head_their_school_only_from_the_memo_and_from_the_shared_cache(client, school_a, school_b,
                                                                                     head_a, methodologist):
    """The head's municipality result is cached whole (every school) — by the methodologist's request, or read
    back lazily (`Cells`) from the shared cache; the JSON a head gets still names their school only."""
    from indicators import engine

    make_teacher(school_a)
    make_teacher(school_b)
    make_teacher(school_b)

    def schools_seen(user):
        client.force_login(user)
        data = client.get("/indicators/api/values.json", {"period": "2025", "level": "school"}).json()
        district = client.get("/indicators/api/values.json", {"period": "2025", "level": "district"}).json()
        k1 = next(r["value"] for r in district["rows"] if r["code"] == "K1")
        return {row["entity_key"] for row in data["rows"]}, k1

    assert schools_seen(methodologist) == ({school_a.pk, school_b.pk}, 3)
    assert schools_seen(head_a) == ({school_a.pk}, 3)  # the memo's result, filtered
    engine._MEMO.clear()
    assert schools_seen(head_a) == ({school_a.pk}, 3)  # read back from the shared cache, filtered
    assert schools_seen(methodologist) == ({school_a.pk, school_b.pk}, 3)  # the cached result was not narrowed
