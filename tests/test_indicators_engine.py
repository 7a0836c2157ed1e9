"""Hand-computed cases for the indicator engine (DESIGN §3 rules)."""
from datetime import date
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from indicators.engine import Period, compute, explain
from indicators.models import Direction, Indicator, Target
from teachers import models as m

from .factories import AppointmentFactory, CampaignFactory, EventFactory, SchoolFactory, make_teacher

Y2025 = Period.calendar_year(2025)


def diagnose(teacher, campaign, deficits=False):
    result = m.DiagnosticResult.objects.create(campaign=campaign, teacher=teacher)
    if deficits:
        result.deficit_areas.add(m.DeficitArea.objects.first())
    return result


def attend(teacher, kind="course", level="municipal", role="participant", end=date(2025, 3, 10), **event_fields):
    event = EventFactory(kind=m.EventKind.objects.get(code=kind), level=m.EventLevel.objects.get(code=level),
                         start_date=end, end_date=end, **event_fields)
    return m.Participation.objects.create(event=event, teacher=teacher, role=role)


@pytest.fixture
def world(municipality):
    """School A (гимназия, 5 main staff on 31.12.2025), school C (гимназия, 1), school B (МКШ, 2)."""
    gym = m.Cluster.objects.get(code="gymnasium")
    mksh = m.Cluster.objects.get(code="mksh")
    a = SchoolFactory(short_name="A", municipality=municipality, cluster=gym)
    c = SchoolFactory(short_name="C", municipality=municipality, cluster=gym)
    b = SchoolFactory(short_name="B", municipality=municipality, cluster=mksh)
    camp = CampaignFactory(municipality=municipality, start_date=date(2025, 4, 1), end_date=date(2025, 4, 20))
    t1 = make_teacher(a, last_name="Первая", birth_date=date(1980, 6, 15))
    t2 = make_teacher(a, last_name="Вторая", birth_date=date(1990, 12, 31))
    AppointmentFactory(teacher=t2, school=a, position=m.Position.objects.get(code="tutor"), weekly_hours=4)
    t3 = make_teacher(a, last_name="Принятая", hired=date(2026, 1, 10))
    t4 = make_teacher(a, last_name="Уволенная", dismissed=date(2025, 6, 30))
    t5 = make_teacher(a, last_name="Последний день", dismissed=date(2025, 12, 31), birth_date=date(1970, 1, 1))
    t6 = make_teacher(a, last_name="Совместитель", employment=m.Employment.EXTERNAL)
    t7 = make_teacher(a, last_name="Молодая1", ped_experience_start=date(2024, 9, 1), birth_date=date(2001, 3, 3))
    t8 = make_teacher(a, last_name="Молодой2", ped_experience_start=date(2023, 9, 1), birth_date=date(2000, 2, 2))
    mentor = t1
    m.Mentorship.objects.create(mentor=mentor, mentee=t7, level="school", start=date(2024, 9, 1))
    m.Mentorship.objects.create(mentor=mentor, mentee=t8, level="school", start=date(2023, 9, 1))
    m.Mentorship.objects.create(mentor=t5, mentee=t8, level="municipal", start=date(2024, 1, 1), end=date(2025, 5, 31))
    r1 = diagnose(t1, camp, deficits=True)
    diagnose(t2, camp)
    diagnose(t3, camp, deficits=True)  # hired after the date: not counted
    diagnose(t4, camp, deficits=True)  # dismissed before the date: not counted
    diagnose(t6, camp, deficits=True)  # external part-timer: not in main-staff indicators
    route = m.IndividualRoute.objects.create(teacher=t1, year=2025, diagnostic_result=r1, approved_on=date(2025, 5, 1))
    m.RouteActivity.objects.create(route=route, title="Курсы", planned_date=date(2025, 6, 1), done_on=date(2025, 6, 5))
    m.IndividualRoute.objects.create(teacher=t2, year=2025, approved_on=date(2025, 5, 1))  # not from diagnostics
    attend(t1, "course")
    attend(t2, "course", end=date(2024, 12, 20))  # previous year
    attend(t5, "contest", role="winner")
    c1 = make_teacher(c, last_name="Единственная")
    diagnose(c1, camp)
    b1 = make_teacher(b, last_name="Бэ1")
    b2 = make_teacher(b, last_name="Бэ2")
    diagnose(b1, camp, deficits=True)
    m.MentorshipModelAdoption.objects.create(school=a, year=2025, implements=True)
    m.MentorshipModelAdoption.objects.create(school=b, year=2025, implements=False)
    return {"a": a, "b": b, "c": c, "mun": municipality, "gym": gym, "mksh": mksh, "t2": t2, "b2": b2}


def value(result, code, level, key):
    return result.get(code, level, key)


def test_staff_as_of_the_period_end(world):
    r = compute(Y2025)
    k1 = value(r, "K1", "school", world["a"].pk)
    # t1, t2 (two positions, counted once), t5 (dismissed on the date), t7, t8; not t3, t4, t6.
    assert k1.value == 5


def test_d1_d2_at_every_level(world):
    r = compute(Y2025)
    a, b, c = world["a"].pk, world["b"].pk, world["c"].pk
    assert (value(r, "D1", "school", a).numerator, value(r, "D1", "school", a).denominator) == (2, 5)
    assert value(r, "D1", "school", a).value == Decimal("40.0")
    assert value(r, "D2", "school", a).value == Decimal("50.0")
    assert value(r, "D1", "school", c).value == Decimal("100.0")
    assert value(r, "D1", "school", b).value == Decimal("50.0")
    assert value(r, "D2", "school", b).value == Decimal("100.0")
    cluster = value(r, "D1", "cluster", (world["mun"].pk, world["gym"].pk))
    # Pooled (2+1)/(5+1) = 50,0 %, not the mean of 40 % and 100 % (70 %).
    assert (cluster.numerator, cluster.denominator, cluster.value) == (3, 6, Decimal("50.0"))
    assert cluster.spread == (Decimal("40.0"), Decimal("70.0"), Decimal("100.0"))
    district = value(r, "D1", "municipality", world["mun"].pk)
    assert (district.numerator, district.denominator, district.value) == (4, 8, Decimal("50.0"))
    assert district.display == "50,0\u00a0%"


def test_routes_courses_and_contests(world):
    r = compute(Y2025)
    a = world["a"].pk
    assert value(r, "M1", "school", a).value == Decimal("20.0")  # only t1's route rests on a diagnostic
    m2 = value(r, "M2", "school", a)
    assert (m2.numerator, m2.denominator) == (1, 1)
    assert value(r, "M5", "school", a).value == Decimal("20.0")  # t2's course was in 2024
    assert value(r, "M3", "school", a).numerator == 1
    assert value(r, "Q4", "school", a).numerator == 1


def test_young_specialists_need_both_mentors(world):
    r = compute(Y2025)
    y1 = value(r, "Y1", "school", world["a"].pk)
    # t7 has only a school mentor; t8 has both (the municipal one ended in May 2025, within the year).
    assert (y1.numerator, y1.denominator, y1.value) == (1, 2, Decimal("50.0"))


def test_zero_denominator_is_no_data(world):
    r = compute(Y2025)
    y1 = value(r, "Y1", "school", world["b"].pk)
    assert y1.denominator == 0 and y1.value is None and y1.display == "нет данных"


def test_school_shares(world):
    r = compute(Y2025)
    y2 = value(r, "Y2", "municipality", world["mun"].pk)
    assert (y2.numerator, y2.denominator) == (1, 3)
    assert value(r, "Y2", "school", world["a"].pk).value == Decimal("100.0")


def test_distributions_add_up_to_staff(world):
    r = compute(Y2025)
    for code in ("K3", "K4", "K7", "K8"):
        for level, key in (("school", world["a"].pk), ("municipality", world["mun"].pk)):
            cell = value(r, code, level, key)
            k1 = value(r, "K1", level, key).value
            assert sum(n for _, n in cell.bands) == k1, (code, level)
    k4 = dict(value(r, "K4", "school", world["a"].pk).bands)
    assert k4["до 3 лет"] == 2  # t7, t8


def test_mean_age_in_full_years(world):
    r = compute(Y2025)
    # On 31.12.2025: t1 45, t2 35 (born 31.12.1990), t5 55, t7 24, t8 25 → 184 / 5 = 36,8.
    assert value(r, "K6", "school", world["a"].pk).value == Decimal("36.8")


def test_external_part_timers_count_when_the_catalogue_says_so(world):
    Indicator.objects.create(code="X1", name="Диагностика с совместителями", short_name="X1",
                             direction=Direction.objects.first(), kind="share", numerator="diagnosed",
                             denominator="staff", staff="all", valid_from=2021)
    r = compute(Y2025)
    x1 = value(r, "X1", "school", world["a"].pk)
    assert (x1.numerator, x1.denominator) == (3, 6)


def test_definitions_are_versioned_by_year(world):
    d1 = Indicator.objects.get(code="D1")
    Indicator.objects.filter(pk=d1.pk).update(valid_to=2025)
    Indicator.objects.create(code="D1", name="D1 с 2026 г.", short_name="D1", direction=d1.direction, kind="share",
                             numerator="with_deficits", denominator="staff", valid_from=2026)
    assert compute(Y2025).get("D1", "school", world["a"].pk).numerator == 2
    r2026 = compute(Period.calendar_year(2026))
    assert r2026.indicator("D1").numerator == "with_deficits"


def test_explain_lists_the_people_behind_the_number(world):
    ex = explain("D1", Y2025, "cluster", (world["mun"].pk, world["gym"].pk))
    assert len(ex.numerator) == 3 and len(ex.denominator) == 6
    names = {t.last_name for _, t in ex.numerator}
    assert names == {"Первая", "Вторая", "Единственная"}


def test_targets_fall_back_to_the_district(world):
    Target.objects.create(indicator_code="D1", year=2025, municipality=world["mun"], value=60)
    Target.objects.create(indicator_code="D1", year=2025, municipality=world["mun"], cluster=world["mksh"], value=40)
    r = compute(Y2025)
    assert r.target("D1", world["mun"].pk, world["mksh"].pk) == 40
    assert r.target("D1", world["mun"].pk, world["gym"].pk) == 60


def test_head_sees_only_own_school_rows_but_aggregates(world, municipality):
    head = m.User.objects.create(username="h", role="school_head", school=world["a"], municipality=municipality)
    r = compute(Y2025, user=head)
    assert [e.key for e in r.entities["school"]] == [world["a"].pk]
    assert r.get("D1", "school", world["b"].pk) is None
    assert r.get("D1", "municipality", municipality.pk).denominator == 8


def test_query_count_does_not_grow_with_schools(municipality):
    for _ in range(2):
        make_teacher(SchoolFactory(municipality=municipality))
    with CaptureQueriesContext(connection) as small:
        compute(Y2025)
    for _ in range(12):
        school = SchoolFactory(municipality=municipality)
        for _ in range(3):
            make_teacher(school)
    with CaptureQueriesContext(connection) as big:
        compute(Y2025)
    assert len(small) == len(big) <= 10


def reference_share(school, period, predicate):
    """Plain Python over ORM objects: main staff on the date, deduplicated by person."""
    staff = {a.teacher for a in m.Appointment.objects.filter(school=school, employment="main")
             if a.is_active_on(period.end)}
    return sum(1 for t in staff if predicate(t)), len(staff)


def test_engine_equals_a_plain_reference_computation(world):
    period = Y2025
    r = compute(period)

    def diagnosed(t):
        return t.diagnostic_results.filter(campaign__end_date__range=(period.start, period.end)).exists()

    def course(t):
        return t.participations.filter(event__kind__group="course",
                                       event__end_date__range=(period.start, period.end)).exists()

    for school in (world["a"], world["b"], world["c"]):
        for code, pred in (("D1", diagnosed), ("M5", course)):
            cell = r.get(code, "school", school.pk)
            assert (cell.numerator, cell.denominator) == reference_share(school, period, pred)


def test_a_few_schools_of_many_give_the_same_cells_as_the_whole_database(world, other_municipality, monkeypatch):
    """The grouped query has two shapes: sources narrowed to the staff of the schools asked for (a district out
    of a region) and sources read whole (more schools). Both must give the same cells."""
    from indicators import engine

    for _ in range(4):  # the world's three schools become fewer than half of the active schools
        school = SchoolFactory(municipality=other_municipality)
        teacher = make_teacher(school)
        attend(teacher, "course")
    ids = [world["a"].pk, world["b"].pk, world["c"].pk]
    monkeypatch.setattr(engine, "NARROW_SHARE", 0.5)  # three of seven schools: the narrow shape
    with CaptureQueriesContext(connection) as narrow_queries:
        narrow = compute(Y2025, schools=ids)
    monkeypatch.setattr(engine, "NARROW_SHARE", 0.0)
    wide = compute(Y2025)
    aggregate = max((q["sql"] for q in narrow_queries), key=len)
    if connection.vendor == "postgresql":
        assert "people" in aggregate  # the narrowed shape ran
    compared = 0
    for (code, level, key), cell in narrow.cells.items():
        if level == "region":  # the whole database in the wide result
            continue
        other = wide.get(code, level, key)
        assert (cell.numerator, cell.denominator, cell.value, cell.spread, cell.bands) == \
            (other.numerator, other.denominator, other.value, other.spread, other.bands), (code, level, key)
        compared += 1
    assert compared == len(narrow.indicators) * (3 + 2 + 1)  # three schools, two clusters, one municipality


def cells_of(result):
    return {key: (c.numerator, c.denominator, c.value, c.spread, c.bands) for key, c in result.cells.items()}


def test_no_schools_give_an_empty_result(world):
    for schools in ([], m.School.objects.none()):
        result = compute(Y2025, schools=schools)
        assert result.entities["school"] == [] and result.get("D1", "region", "region").value is None


def test_both_mentors_means_at_the_same_time(municipality):
    school = SchoolFactory(short_name="Наставники", municipality=municipality)
    young = make_teacher(school, ped_experience_start=date(2024, 9, 1), birth_date=date(2001, 3, 3))
    mentor = make_teacher(school)
    # A school mentor January–March and a municipal one from November: never both at once.
    m.Mentorship.objects.create(mentor=mentor, mentee=young, level="school", start=date(2025, 1, 10),
                                end=date(2025, 3, 31))
    m.Mentorship.objects.create(mentor=mentor, mentee=young, level="municipal", start=date(2025, 11, 1))
    y1 = compute(Y2025, schools=[school.pk]).get("Y1", "school", school.pk)
    assert (y1.numerator, y1.denominator) == (0, 1)
    # A second school mentor from October overlaps the municipal one: now they count.
    m.Mentorship.objects.create(mentor=mentor, mentee=young, level="school", start=date(2025, 10, 1))
    y1 = compute(Y2025, schools=[school.pk]).get("Y1", "school", school.pk)
    assert (y1.numerator, y1.denominator) == (1, 1)


def test_a_quarter_counts_the_year_to_its_end(world):
    """«За 4 квартал» is the whole year to 31 December (нарастающим итогом), not October–December: the April
    diagnostics count in every quarter from the second on; staff are counted on the quarter's last day."""
    q4, q1, q2 = Period.quarter(2025, 4), Period.quarter(2025, 1), Period.quarter(2025, 2)
    assert (q4.start, q4.end, q4.key) == (date(2025, 1, 1), date(2025, 12, 31), "2025q4")
    assert "январь–декабрь" in q4.label and q4.previous_year().key == "2024q4"
    year = compute(Y2025).get("D1", "municipality", world["mun"].pk)
    assert compute(q4).get("D1", "municipality", world["mun"].pk).numerator == year.numerator > 0
    assert compute(q1).get("D1", "municipality", world["mun"].pk).numerator == 0  # the campaign ended in April
    assert compute(q2).get("D1", "municipality", world["mun"].pk).numerator > 0
    assert "на 31.12.2025" in q4.semantics


def test_a_new_measure_is_one_declaration(world, monkeypatch):
    """A toy measure — positions per person — declared once: the catalogue accepts it, every level computes
    with the one cell builder, and the explanation lists the people behind it."""
    from django.db.models import Count

    from indicators import engine, populations

    monkeypatch.setattr(engine, "MEASURES", dict(engine.MEASURES))
    monkeypatch.setattr(populations, "MEASURES", dict(populations.MEASURES))
    engine.measure("toy_positions", "должностей на человека", [Indicator.Kind.MEAN],
                   sums=lambda q: {"positions": q.load("toy_positions", Count("pk"))},
                   read=lambda s, c: (c["positions"], s.staff, None),
                   explain=lambda x: (x.pairs("staff"),) * 2)
    toy = Indicator(code="T1", name="Должностей на одного педагога", short_name="Должностей на педагога",
                    direction=Direction.objects.first(), kind=Indicator.Kind.MEAN, numerator="toy_positions",
                    unit="ед.", valid_from=2021)
    toy.full_clean()
    toy.save()
    r = compute(Y2025, codes=["T1"])
    a, b, c = world["a"], world["b"], world["c"]
    # A: five main staff, one of them on two positions → 6 / 5; C and B: one position each.
    assert [(r.get("T1", "school", s.pk).numerator, r.get("T1", "school", s.pk).value) for s in (a, c, b)] == \
        [(6, Decimal("1.2")), (1, Decimal("1.0")), (2, Decimal("1.0"))]
    mun = r.get("T1", "municipality", world["mun"].pk)
    assert (mun.numerator, mun.denominator, mun.value) == (9, 8, Decimal("1.1"))  # 1.125 pooled, not a mean of means
    assert mun.spread == (Decimal("1.0"), Decimal("1.0"), Decimal("1.2"))
    assert r.get("T1", "cluster", (world["mun"].pk, world["gym"].pk)).value == Decimal("1.2")  # 7 / 6
    e = explain("T1", Y2025, "school", a.pk)
    assert len(e.numerator) == len(e.denominator) == 5
    assert populations.label("toy_positions") == "должностей на человека"


def test_a_heads_result_is_their_school_only_also_when_the_schools_are_named(school_a, school_b, head_a):
    """`compute(user=head, schools=…)` (as `rating(…, user=)` calls it) kept every named school's rows: the
    user's scope was dropped whenever schools were named. Aggregates still pool all the named schools."""
    make_teacher(school_a)
    make_teacher(school_b)
    result = compute(Period.calendar_year(2025), user=head_a, schools=[school_a, school_b])
    assert {e.key for e in result.entities["school"]} == {school_a.pk}
    assert not any(key[1] == "school" and key[2] == school_b.pk for key in result.cells)
    assert result.get("K1", "municipality", school_a.municipality_id).value == 2
