"""seed_demo / bootstrap: the demo district is believable, consistent, deterministic, and safe to re-run.

The district is the session's (tests/conftest.py, `demo_district`: generated once, committed outside the
per-test transactions); every test runs in its own rolled-back transaction, so tests that reset or re-seed leave
the session's copy as it was.
"""
from collections import Counter
from datetime import date
from io import StringIO
from statistics import mean

import pytest
from django.core.management import CommandError, call_command
from django.db.models import Count, F, Q, Sum

from teachers import demo
from teachers import models as m
from teachers.demo.builder import snils_for
from teachers.dates import full_years
from teachers.models.staff import snils_checksum_ok
from teachers.scoping import schools_for, scoped

from .conftest import DEMO_SEED
from .factories import UserFactory

SEED = DEMO_SEED
TODAY = demo.DEMO_TODAY


def _snapshot():
    """What must be the same for the same seed: counts of every family and the people's names."""
    models = [m.School, m.Teacher, m.Appointment, m.DiagnosticCampaign, m.DiagnosticResult, m.IndividualRoute,
              m.RouteActivity, m.Event, m.Participation, m.Mentorship, m.Association, m.Membership, m.Vacancy,
              m.ReserveEntry, m.DevelopmentRequest, m.MentorshipModelAdoption]
    counts = {model.__name__: model.objects.count() for model in models}
    people = list(m.Teacher.objects.order_by("last_name", "first_name", "middle_name", "birth_date")
                  .values_list("last_name", "first_name", "middle_name", "birth_date"))
    heads = list(m.School.objects.order_by("short_name").values_list("short_name", "head_name"))
    return counts, people, heads


@pytest.fixture(scope="module")
def seeded_snapshot(demo_cache, django_db_blocker):
    """_snapshot() of the session's district as seeded, taken once."""
    demo_cache.get()
    with django_db_blocker.unblock():
        return _snapshot()


@pytest.fixture
def dist(demo_district, seeded_snapshot):
    demo_district.snapshot = seeded_snapshot
    return demo_district


@pytest.fixture
def without_report_contents(monkeypatch):
    """For the tests that seed the district a second time (reset, bootstrap): the monitoring app's demo school
    reports are still created with their workflow, but their content — the engine over every school and quarter,
    three quarters of a seed's time — is left empty. What these tests compare is the district itself; the
    session's copy, which the other tests read, has the reports in full."""
    from monitoring import school_reports

    monkeypatch.setattr(school_reports, "build_content", lambda school, period, result=None: {})


def _main_staff(on=TODAY):
    return m.Teacher.objects.active_on(on, employment=m.Employment.MAIN)


# -- shape of the district -----------------------------------------------------------------------------------------
def test_it_builds_seed_000s_municipality(dist):
    assert dist.name == "Усть-Лабинский район"
    assert dist.region == "Краснодарский край"
    assert dist.place == "г. Усть-Лабинск"
    assert "Усть-Лабинский район" in dist.office_name
    assert len(dist.office_head.split()) == 3


def test_it_builds_27_schools_in_all_three_clusters(dist):
    schools = m.School.objects.filter(municipality=dist)
    assert schools.count() == 27
    clusters = Counter(schools.values_list("cluster__code", flat=True))
    assert set(clusters) == {"mksh", "umksh", "gymnasium"}
    assert 3 <= clusters["gymnasium"] <= 5
    assert schools.filter(short_name="МАОУ Гимназия № 5").exists()
    assert schools.filter(short_name="МБОУ ООШ № 17").exists()
    assert not schools.filter(head_name="").exists()
    sizes = {s.cluster.code: [] for s in schools}
    for school in schools.select_related("cluster"):
        sizes[school.cluster.code].append(m.Teacher.objects.active_on(TODAY, schools=school, employment="main").count())
    assert min(sizes["gymnasium"]) >= 50 and max(sizes["gymnasium"]) <= 72
    assert min(sizes["mksh"]) >= 10 and max(sizes["mksh"]) <= 27


def test_about_800_teachers_with_a_realistic_profile(dist):
    staff = list(_main_staff())
    assert 780 <= len(staff) <= 820
    ages = [t.age_on(TODAY) for t in staff]
    assert 45 <= mean(ages) <= 48
    assert min(ages) >= 21 and max(ages) <= 70
    women = sum(t.gender == "f" for t in staff) / len(staff)
    assert 0.78 <= women <= 0.92
    categories = Counter(t.category.code for t in staff)
    for code, (low, high) in {"highest": (0.24, 0.36), "first": (0.24, 0.36), "szd": (0.14, 0.26),
                              "none": (0.14, 0.26)}.items():
        assert low <= categories[code] / len(staff) <= high, code
    education = Counter(t.education_level.code for t in staff)
    assert education["higher-ped"] / len(staff) >= 0.65
    young = _main_staff().young_specialists(TODAY)
    assert 0.08 <= young.count() / len(staff) <= 0.11
    # Young specialists are mostly without a category.
    assert young.filter(category__code="none").count() / young.count() >= 0.8


def test_external_part_timers_and_people_with_two_positions(dist):
    staff = _main_staff().count()
    external = m.Appointment.objects.active_on(TODAY).external().count()
    assert 0.03 <= external / staff <= 0.08
    two_here = (m.Appointment.objects.values("teacher", "school").annotate(n=Count("pk")).filter(n__gt=1).count())
    assert two_here >= 10
    two_schools = m.Teacher.objects.annotate(n=Count("appointments__school", distinct=True)).filter(n__gt=1)
    assert two_schools.exists()
    # Someone with only an external position is not main staff anywhere.
    outsiders = m.Teacher.objects.exclude(appointments__employment=m.Employment.MAIN)
    assert outsiders.exists()
    assert not _main_staff().filter(pk__in=outsiders).exists()


def test_hires_and_dismissals_spread_over_three_school_years(dist):
    hires = Counter(m.Appointment.objects.filter(hired__gte=date(2023, 1, 1)).values_list("hired__year", flat=True))
    dismissals = Counter(m.Appointment.objects.exclude(dismissed=None).values_list("dismissed__year", flat=True))
    for year in (2023, 2024, 2025, 2026):
        assert hires[year] >= 20 and dismissals[year] >= 20, year


def test_loads_and_rates(dist):
    main = m.Appointment.objects.active_on(TODAY).main()
    per_person = main.values("teacher", "school").annotate(total=Sum("weekly_hours"))
    assert all(12 <= row["total"] <= 36 for row in per_person)
    assert not m.Appointment.objects.filter(Q(rate__lte=0) | Q(rate__gt=3)).exists()
    external = m.Appointment.objects.external()
    assert all(4 <= h <= 12 for h in external.values_list("weekly_hours", flat=True))


# -- consistency ---------------------------------------------------------------------------------------------------
def test_every_teacher_has_an_appointment_and_subjects_fit_the_position(dist):
    assert not m.Teacher.objects.filter(appointments=None).exists()
    subject_teachers = m.Teacher.objects.filter(appointments__position__code="teacher",
                                                appointments__employment=m.Employment.MAIN).distinct()
    assert not subject_teachers.filter(subjects=None).exists()
    primary = m.Teacher.objects.filter(appointments__position__code="primary-teacher")
    assert set(primary.values_list("subjects__code", flat=True)) <= {"primary", "kuban", "orkse"}


def test_dates_are_in_order_and_not_after_today(dist):
    assert not m.Appointment.objects.filter(Q(hired__gt=TODAY) | Q(dismissed__lt=F("hired"))
                                            | Q(dismissed__gt=TODAY)).exists()
    assert not m.Event.objects.filter(Q(end_date__lt=F("start_date")) | Q(end_date__gt=TODAY)).exists()
    assert not m.DiagnosticCampaign.objects.filter(Q(end_date__lt=F("start_date")) | Q(end_date__gt=TODAY)).exists()
    assert not m.IndividualRoute.objects.filter(approved_on__gt=TODAY).exists()
    assert not m.RouteActivity.objects.filter(done_on__gt=TODAY).exists()
    assert not m.Mentorship.objects.filter(Q(start__gt=TODAY) | Q(end__lt=F("start"))).exists()
    assert not m.Membership.objects.filter(Q(start__gt=TODAY) | Q(end__lt=F("start"))).exists()
    assert not m.Vacancy.objects.filter(Q(opened__gt=TODAY) | Q(closed__lt=F("opened"))).exists()
    assert not m.ReserveEntry.objects.filter(Q(included_on__gt=TODAY) | Q(excluded_on__lt=F("included_on"))).exists()
    assert not m.DevelopmentRequest.objects.filter(submitted_on__gt=TODAY).exists()
    # The records cover calendar years 2023-2026.
    years = set(m.Event.objects.values_list("start_date__year", flat=True))
    assert {2023, 2024, 2025, 2026} <= years


def test_age_and_experience_are_consistent(dist):
    for t in m.Teacher.objects.prefetch_related("appointments"):
        first_hire = min(a.hired for a in t.appointments.all())
        assert t.ped_experience_start <= first_hire, t
        assert full_years(t.birth_date, t.ped_experience_start) >= 19, t
        assert t.total_experience_start <= t.ped_experience_start, t
        assert full_years(t.birth_date, t.total_experience_start) >= 17, t
        if t.category_date:
            assert t.ped_experience_start < t.category_date <= TODAY, t


def test_snils_are_valid_and_unique(dist):
    numbers = [s for s in m.Teacher.objects.values_list("snils", flat=True) if s]
    assert len(numbers) == len(set(numbers))
    assert all(snils_checksum_ok(s) for s in numbers)
    assert 0.85 <= len(numbers) / m.Teacher.objects.count() < 1  # a few still missing, for data-quality checks
    assert snils_checksum_ok(snils_for(123_456))


def test_has_deficits_matches_deficit_areas(dist):
    results = m.DiagnosticResult.objects.annotate(n=Count("deficit_areas"))
    assert not results.filter(has_deficits=True, n=0).exists()
    assert not results.filter(has_deficits=False, n__gt=0).exists()
    assert results.filter(has_deficits=True).exists() and results.filter(has_deficits=False).exists()


def test_every_route_activity_participation_belongs_to_the_route_teacher(dist):
    linked = m.RouteActivity.objects.exclude(participation=None)
    assert linked.count() > 500
    assert not linked.exclude(participation__teacher=F("route__teacher")).exists()
    assert not linked.exclude(done_on=F("participation__event__end_date")).exists()
    assert not linked.filter(participation__event__start_date__lt=F("route__approved_on")).exists()
    # Routes based on diagnostics use that teacher's own result.
    assert not m.IndividualRoute.objects.exclude(diagnostic_result=None).exclude(
        diagnostic_result__teacher=F("teacher")).exists()
    assert m.IndividualRoute.objects.filter(diagnostic_result=None).exists()  # for data-quality warnings
    per_route = Counter(m.RouteActivity.objects.values_list("route", flat=True))
    assert min(per_route.values()) >= 2 and max(per_route.values()) <= 5


def test_yearly_rates_are_realistic(dist):
    for year in (2023, 2024, 2025, 2026):
        end = min(date(year, 12, 31), TODAY)
        staff = _main_staff(end)
        n = staff.count()
        results = m.DiagnosticResult.objects.filter(campaign__end_date__year=year, teacher__in=staff)
        diagnosed = results.values("teacher").distinct().count()
        with_deficits = results.filter(has_deficits=True).values("teacher").distinct().count()
        assert 0.35 <= diagnosed / n <= 0.62, year
        assert 0.5 <= with_deficits / diagnosed <= 0.7, year
        routes = m.IndividualRoute.objects.filter(year=year, teacher__in=staff).exclude(diagnostic_result=None)
        assert routes.values("teacher").distinct().count() >= 0.7 * with_deficits, year
        courses = m.Participation.objects.filter(event__kind__group="course", event__end_date__year=year,
                                                 teacher__in=staff).values("teacher").distinct().count()
        assert 0.2 <= courses / n <= 0.5, year
        requests = m.DevelopmentRequest.objects.filter(year=year, teacher__in=staff).values("teacher").distinct()
        assert 0.14 <= requests.count() / n <= 0.27, year
        adopted = m.MentorshipModelAdoption.objects.filter(year=year, implements=True).count()
        assert 0.68 <= adopted / 27 <= 0.87, year


def test_events_of_every_kind_level_and_role(dist):
    assert set(m.EventKind.objects.values_list("code", flat=True)) == set(
        m.Event.objects.values_list("kind__code", flat=True))
    assert {"school", "municipal", "regional", "federal"} <= set(m.Event.objects.values_list("level__code", flat=True))
    roles = set(m.Participation.objects.values_list("role", flat=True))
    assert {"participant", "speaker", "winner", "prize", "expert", "author"} <= roles
    titles = " ".join(m.Event.objects.values_list("title", flat=True))
    for name in ("Учитель года", "Педагогический дебют", "Движение вверх", "Заседание: РМО", "Курсы ПК"):
        assert name in titles
    assert not m.Event.objects.filter(kind__code="course", hours=None).exists()
    # One municipal winner per contest.
    winners = m.Participation.objects.filter(role="winner").values("event").annotate(n=Count("pk"))
    assert all(row["n"] == 1 for row in winners)
    # People take part only while they work.
    spans = _spans()
    for teacher, day in m.Participation.objects.values_list("teacher", "event__start_date"):
        assert any(h <= day and (d is None or d >= day) for h, d in spans[teacher]), (teacher, day)


def _spans():
    spans = {}
    for teacher, hired, dismissed in m.Appointment.objects.values_list("teacher", "hired", "dismissed"):
        spans.setdefault(teacher, []).append((hired, dismissed))
    return spans


def test_mentors_are_experienced_and_never_mentees(dist):
    mentorships = m.Mentorship.objects.select_related("mentor", "mentee")
    assert mentorships.filter(level="school").exists() and mentorships.filter(level="municipal").exists()
    mentees = set(mentorships.values_list("mentee", flat=True))
    assert not mentees & set(mentorships.values_list("mentor", flat=True))
    schools = {}
    for teacher, school in m.Appointment.objects.values_list("teacher", "school"):
        schools.setdefault(teacher, set()).add(school)
    for ms in mentorships:
        assert ms.mentor_id != ms.mentee_id
        assert ms.mentor.ped_experience_on(ms.start) >= 7
        if ms.level == "school":
            assert schools[ms.mentor_id] & schools[ms.mentee_id]


def test_young_specialists_mostly_have_mentors(dist):
    young = _main_staff().young_specialists(TODAY)
    active = m.Mentorship.objects.active_on(TODAY)
    with_school = young.filter(mentors__in=active.filter(level="school")).distinct().count()
    with_both = young.filter(mentors__in=active.filter(level="school")).filter(
        mentors__in=active.filter(level="municipal")).distinct().count()
    assert with_school / young.count() >= 0.65
    assert 0.25 <= with_both / young.count() <= 0.6


def test_associations_have_leaders_tutors_and_members(dist):
    rmo = m.Association.objects.filter(kind__code="rmo")
    assert rmo.count() >= 15
    for association in rmo:
        assert association.memberships.filter(role="leader").count() == 1, association
    assert m.Membership.objects.filter(association__kind__code="rmo", role="tutor").exists()
    assert m.Membership.objects.filter(association__kind__code="rmo", role="expert").exists()
    assert m.Association.objects.filter(kind__code="tutor-club").count() == 1
    shmo = m.Association.objects.filter(kind__code="shmo")
    assert shmo.exists() and not shmo.filter(school__cluster__code="mksh").exists()
    staff = _main_staff()
    networked = staff.filter(memberships__in=m.Membership.objects.active_on(TODAY)).distinct().count()
    assert 0.7 <= networked / staff.count() <= 0.95


def test_vacancies_reserve_and_requests(dist):
    vacancies = m.Vacancy.objects.all()
    assert 20 <= vacancies.count() <= 32
    assert vacancies.exclude(closed=None).exists() and vacancies.open_on(TODAY).exists()
    assert 12 <= m.ReserveEntry.objects.count() <= 18
    assert m.DevelopmentRequest.objects.exclude(deficit_area=None).exists()


# -- users ---------------------------------------------------------------------------------------------------------
def test_demo_users_have_their_roles_scopes_and_passwords(dist):
    users = {u.username: u for u in m.User.objects.select_related("school", "municipality")}
    for spec in demo.DEMO_USERS:
        assert users[spec.username].check_password(spec.password), spec.username
    admin, metodist, director, director2, uo = (users[n] for n in ("admin", "metodist", "director", "director2", "uo"))
    assert admin.is_superuser and admin.role == m.Role.ADMIN
    assert metodist.role == m.Role.METHODOLOGIST and metodist.municipality == dist
    assert metodist.display_name == "Езубова Юлия Викторовна"
    assert uo.role == m.Role.VIEWER and uo.municipality == dist
    assert director.role == m.Role.SCHOOL_HEAD and director.school.short_name == "МАОУ Гимназия № 5"
    assert director2.school.short_name == "МБОУ ООШ № 17"
    assert director.display_name == director.school.head_name
    assert list(schools_for(director)) == [director.school]
    own = m.Teacher.objects.at_school(director.school)
    assert set(scoped(director, m.Teacher.objects.all())) == set(own)
    assert not scoped(director, m.Teacher.objects.filter(pk__in=m.Teacher.objects.at_school(director2.school)
                                                         .exclude(pk__in=own))).exists()
    assert scoped(metodist, m.School.objects.all()).count() == 27


def test_logins_are_printed_in_a_stable_format(dist):
    lines = demo.format_logins()
    assert lines[0] == "Демо-пользователи (логин / пароль / роль):"
    assert [line.split()[:2] for line in lines[1:]] == [[u.username, u.password] for u in demo.DEMO_USERS]


# -- re-running ----------------------------------------------------------------------------------------------------
def test_engine_equals_reference_on_the_demo_district(dist):
    """The engine against a plain Python count on the demo district (seeded once for this module)."""
    from indicators.engine import Period, compute

    municipality = dist
    period = Period.calendar_year(2025)
    r = compute(period)
    start, end = period.start, period.end
    diagnosed = set(m.DiagnosticResult.objects.filter(campaign__end_date__range=(start, end))
                    .values_list("teacher_id", flat=True))
    young = {t.pk for t in m.Teacher.objects.all() if t.is_young_specialist_on(end)}
    for school in municipality.schools.all():
        staff = {a.teacher_id for a in school.appointments.all() if a.employment == "main" and a.is_active_on(end)}
        d1 = r.get("D1", "school", school.pk)
        assert (d1.numerator, d1.denominator) == (len(staff & diagnosed), len(staff)), school
        assert r.get("Y1", "school", school.pk).denominator == len(staff & young)
    total = r.get("K1", "municipality", municipality.pk).value
    assert total == sum(r.get("K1", "school", s.pk).value for s in municipality.schools.all())


def test_a_second_run_is_refused_without_reset(dist):
    with pytest.raises(CommandError, match="--reset"):
        call_command("seed_demo", stdout=StringIO())
    assert m.School.objects.count() == 27


def test_reset_rebuilds_the_same_district_and_keeps_other_users(dist, without_report_contents):
    own = UserFactory(username="someone", role=m.Role.VIEWER, municipality=m.Municipality.objects.create(
        name="Другой район"))
    out = StringIO()
    call_command("seed_demo", "--reset", "--seed", str(SEED), stdout=out)
    assert "Удалены прежние демонстрационные данные района (27 ОО)" in out.getvalue()
    assert "metodist" in out.getvalue() and "demo-metodist-2026" in out.getvalue()
    assert _snapshot() == dist.snapshot
    assert m.User.objects.filter(pk=own.pk).exists()
    assert m.User.objects.filter(username="metodist").count() == 1


def test_reset_refuses_when_someone_elses_account_points_at_a_demo_school(dist):
    school = m.School.objects.get(short_name="МБОУ СОШ № 4")
    UserFactory(username="real-head", role=m.Role.SCHOOL_HEAD, school=school, municipality=dist)
    with pytest.raises(CommandError, match="real-head"):
        call_command("seed_demo", "--reset", stdout=StringIO())
    assert m.School.objects.count() == 27


def test_bootstrap_seeds_an_empty_database_once_and_is_idempotent(dist, settings, without_report_contents):
    settings.EMBEDDED_DEFAULT = True  # `make run` without DATABASE_URL
    demo.purge_district()
    assert not m.School.objects.exists()
    reference = {model: model.objects.count() for model in (m.Cluster, m.Position, m.DeficitArea, m.EventKind)}
    out = StringIO()
    call_command("bootstrap", stdout=out)
    assert m.School.objects.count() == 27
    assert "admin" in out.getvalue() and "demo-admin-2026" in out.getvalue()
    snapshot = _snapshot()
    out = StringIO()
    call_command("bootstrap", stdout=out)
    assert _snapshot() == snapshot
    assert {model: model.objects.count() for model in reference} == reference
    assert "Демо-пользователи" in out.getvalue() and "создаю" not in out.getvalue()
    quiet = StringIO()
    call_command("bootstrap", "--quiet", stdout=quiet)
    assert quiet.getvalue() == ""


def test_bootstrap_leaves_a_database_with_its_own_schools_alone(db):
    # No module district here: this test's transaction only sees what it creates.
    if m.School.objects.exists():
        demo.purge_district()
    m.School.objects.create(short_name="Своя школа", full_name="Своя школа", cluster=m.Cluster.objects.first(),
                            municipality=m.Municipality.objects.create(name="Свой район"))
    out = StringIO()
    call_command("bootstrap", stdout=out)
    assert m.School.objects.count() == 1
    assert "не созданы" in out.getvalue()


def test_load_reference_adds_missing_codes_and_keeps_edits(db):
    m.EventLevel.objects.filter(code="international").delete()
    m.Cluster.objects.filter(code="mksh").update(name="Малые школы")
    assert demo.load_reference() == 1
    assert m.EventLevel.objects.get(code="international").rank == 5
    assert m.Cluster.objects.get(code="mksh").name == "Малые школы"
    assert demo.load_reference() == 0


# -- region scale --------------------------------------------------------------------------------------------------
def _region_snapshot():
    teachers = m.Teacher.objects.filter(appointments__school__municipality__name__in=demo.REGION_NAMES).distinct()
    return (m.School.objects.filter(municipality__name__in=demo.REGION_NAMES).count(),
            sorted(teachers.values_list("last_name", "first_name", "middle_name", "birth_date")))


def test_region_generator_with_tiny_parameters(dist):
    created = demo.seed_region(seed=3, municipalities=2, schools_per_municipality=3)
    assert [mu.name for mu in created] == demo.REGION_NAMES[:2]
    region = m.Municipality.objects.filter(name__in=demo.REGION_NAMES)
    assert m.School.objects.filter(municipality__in=region).count() == 6
    assert m.School.objects.filter(municipality=dist).count() == 27  # the district is untouched
    teachers = m.Teacher.objects.filter(appointments__school__municipality__in=region).distinct()
    assert teachers.count() > 100
    for queryset in (
        m.DiagnosticResult.objects.filter(campaign__municipality__in=region),
        m.IndividualRoute.objects.filter(teacher__in=teachers),
        m.RouteActivity.objects.filter(route__teacher__in=teachers).exclude(participation=None),
        m.Participation.objects.filter(event__municipality__in=region),
        m.Membership.objects.filter(association__municipality__in=region),
        m.Mentorship.objects.filter(mentee__in=teachers),
        m.Vacancy.objects.filter(school__municipality__in=region),
        m.DevelopmentRequest.objects.filter(teacher__in=teachers),
    ):
        assert queryset.exists(), queryset.model.__name__
    # Region records never mix with the district's.
    assert not m.Participation.objects.filter(event__municipality__in=region).exclude(teacher__in=teachers).exists()
    assert not m.Mentorship.objects.filter(mentee__in=teachers).exclude(mentor__in=teachers).exists()
    first = _region_snapshot()
    with pytest.raises(demo.DemoDataError):
        demo.seed_region(seed=3, municipalities=2, schools_per_municipality=3)
    assert demo.purge_region() == 6
    assert m.School.objects.count() == 27
    demo.seed_region(seed=3, municipalities=2, schools_per_municipality=3)
    assert _region_snapshot() == first


def test_a_different_seed_gives_different_people(dist):
    demo.seed_region(seed=3, municipalities=1, schools_per_municipality=2)
    first = _region_snapshot()
    demo.purge_region()
    demo.seed_region(seed=4, municipalities=1, schools_per_municipality=2)
    assert _region_snapshot()[1] != first[1]


def test_region_command_with_tiny_parameters(dist):
    out = StringIO()
    call_command("seed_demo", "--scale", "region", "--municipalities", "1", "--schools", "2", stdout=out)
    assert "[1/1] город Краснодар" in out.getvalue()
    assert "ОО: 2" in out.getvalue()
    with pytest.raises(CommandError, match="--scale region --reset"):
        call_command("seed_demo", "--scale", "region", "--municipalities", "1", "--schools", "2", stdout=out)
    call_command("seed_demo", "--scale", "region", "--reset", "--municipalities", "1", "--schools", "2",
                 stdout=StringIO())
    assert m.School.objects.filter(municipality__name="город Краснодар").count() == 2


def test_the_session_seeds_the_district_once(dist, demo_cache):
    """Every test above read one copy (tests/conftest.py); resetting and bootstrapping happened in rolled-back
    transactions and left it as it was."""
    assert demo_cache.seeded == 1
    assert _snapshot() == dist.snapshot
