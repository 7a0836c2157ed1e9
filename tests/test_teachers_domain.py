"""Constraints and the as-of querysets of the staff domain."""
from datetime import date

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from teachers import models as m
from teachers.snils import normalize_snils, snils_checksum_ok, snils_control, snils_with_control, validate_snils

from .factories import AppointmentFactory, SchoolFactory, TeacherFactory, make_teacher

ON = date(2025, 12, 31)


def test_snils_checksum():
    assert snils_checksum_ok("11223344595")
    assert not snils_checksum_ok("11223344596")
    validate_snils("112-233-445 95")
    with pytest.raises(ValidationError, match="контрольная сумма"):
        validate_snils("112-233-445 96")
    with pytest.raises(ValidationError, match="11 цифр"):
        validate_snils("123")
    assert normalize_snils(" 112-233-445 95 ") == "11223344595"


def _total(body):
    return sum(int(d) * w for d, w in zip(body, range(9, 0, -1)))


def test_snils_control_number_follows_the_pension_fund_rule():
    # Below 100 the sum itself; 100 and 101 give 00; above, the remainder mod 101 (and 100 → 00).
    assert snils_control("112233445") == 95
    bodies = {}
    for n in range(100_000_000, 999_999_999, 104_729):
        body = f"{n:09d}"
        total = _total(body)
        kind = total if total in (100, 101) else ("mod100" if total > 101 and total % 101 == 100 else None)
        if kind is not None:
            bodies.setdefault(kind, body)
    assert set(bodies) == {100, 101, "mod100"}
    assert all(snils_control(body) == 0 for body in bodies.values())
    assert snils_checksum_ok(snils_with_control("987654321"))
    assert snils_checksum_ok("00100199800")  # issued before control numbers: not checked


def test_every_generated_snils_passes_the_one_rule():
    from teachers.demo.builder import snils_for
    from teachers.importing.bench import snils as bench_snils

    from .import_support import snils_with_checksum

    for n in (1, 12_345, 987_654):
        assert snils_checksum_ok(snils_for(n))
        assert snils_checksum_ok(normalize_snils(bench_snils(100_000_000 + n)))
        assert snils_checksum_ok(snils_with_checksum(100_000_000 + n))


def test_snils_is_unique_only_when_given(db):
    TeacherFactory(snils="")
    TeacherFactory(snils="")
    TeacherFactory(snils="11223344595")
    with pytest.raises(IntegrityError), transaction.atomic():
        TeacherFactory(snils="112-233-445 95")


def test_dates_in_order_are_enforced_by_the_database(school_a):
    teacher = make_teacher(school_a)
    with pytest.raises(IntegrityError), transaction.atomic():
        AppointmentFactory(teacher=teacher, school=school_a, hired=date(2020, 1, 1), dismissed=date(2019, 1, 1))
    with pytest.raises(IntegrityError), transaction.atomic():
        m.Vacancy.objects.create(school=school_a, position=m.Position.objects.first(),
                                 opened=date(2025, 5, 1), closed=date(2025, 4, 1))


def test_a_mentor_is_not_their_own_mentee(school_a):
    teacher = make_teacher(school_a)
    with pytest.raises(IntegrityError), transaction.atomic():
        m.Mentorship.objects.create(mentor=teacher, mentee=teacher, level="school", start=date(2025, 1, 1))
    with pytest.raises(ValidationError, match="самому себе"):
        m.Mentorship(mentor=teacher, mentee=teacher, level="school", start=date(2025, 1, 1)).full_clean()


def test_active_on_counts_hired_by_and_not_dismissed_before_the_date(school_a):
    make_teacher(school_a, last_name="Работает")
    make_teacher(school_a, last_name="Принят после", hired=date(2026, 1, 1))
    make_teacher(school_a, last_name="Уволен до", dismissed=date(2025, 12, 30))
    make_teacher(school_a, last_name="Уволен в день", dismissed=ON)
    names = set(m.Teacher.objects.active_on(ON, schools=school_a).values_list("last_name", flat=True))
    assert names == {"Работает", "Уволен в день"}


def test_one_person_with_two_positions_is_one_teacher(school_a, school_b):
    teacher = make_teacher(school_a)
    AppointmentFactory(teacher=teacher, school=school_a, position=m.Position.objects.get(code="tutor"))
    AppointmentFactory(teacher=teacher, school=school_b, employment=m.Employment.EXTERNAL)
    assert m.Teacher.objects.active_on(ON, schools=school_a).count() == 1
    assert m.Teacher.objects.active_on(ON, employment=m.Employment.MAIN).count() == 1
    assert m.Teacher.objects.active_on(ON, schools=school_b, employment=m.Employment.MAIN).count() == 0
    assert m.Teacher.objects.active_on(ON, schools=school_b, employment=m.Employment.EXTERNAL).count() == 1


def test_young_specialist_by_pedagogical_experience_on_the_date(db):
    just_under = TeacherFactory(ped_experience_start=date(2023, 1, 1))  # 2 full years on 31.12.2025
    exactly_three = TeacherFactory(ped_experience_start=date(2022, 12, 31))  # 3 full years on 31.12.2025
    not_yet = TeacherFactory(ped_experience_start=date(2026, 2, 1))
    young = set(m.Teacher.objects.young_specialists(ON))
    assert just_under in young and exactly_three not in young and not_yet not in young
    assert just_under.is_young_specialist_on(ON) and not exactly_three.is_young_specialist_on(ON)
    assert exactly_three in set(m.Teacher.objects.young_specialists(date(2025, 12, 30)))


def test_age_and_experience_are_full_years_on_the_date(db):
    t = TeacherFactory(birth_date=date(1980, 12, 31), ped_experience_start=date(2005, 9, 1))
    assert t.age_on(date(2025, 12, 30)) == 44 and t.age_on(ON) == 45
    assert t.ped_experience_on(date(2025, 8, 31)) == 19 and t.ped_experience_on(date(2025, 9, 1)) == 20


def test_vacancies_and_memberships_as_of_a_date(school_a):
    position = m.Position.objects.first()
    m.Vacancy.objects.create(school=school_a, position=position, opened=date(2025, 1, 10))
    m.Vacancy.objects.create(school=school_a, position=position, opened=date(2025, 1, 10), closed=date(2025, 6, 1))
    assert m.Vacancy.objects.open_on(date(2025, 3, 1)).count() == 2
    assert m.Vacancy.objects.open_on(ON).count() == 1


def test_school_head_needs_a_school(db):
    with pytest.raises(IntegrityError), transaction.atomic():
        m.User.objects.create(username="x", role=m.Role.SCHOOL_HEAD)


def test_teacher_clean_rejects_dates_before_birth(db):
    t = TeacherFactory.build(birth_date=date(1990, 1, 1), ped_experience_start=date(1989, 1, 1))
    with pytest.raises(ValidationError) as exc:
        t.full_clean()
    assert "позже даты рождения" in str(exc.value)


def test_scoping_hides_other_schools(head_a, school_a, school_b, methodologist, school_far):
    from teachers.scoping import get_scoped_object_or_404, scoped

    mine, theirs, far = make_teacher(school_a), make_teacher(school_b), make_teacher(school_far)
    assert list(scoped(head_a, m.Teacher.objects.all())) == [mine]
    assert set(scoped(methodologist, m.Teacher.objects.all())) == {mine, theirs}
    from django.http import Http404

    with pytest.raises(Http404):
        get_scoped_object_or_404(head_a, m.Teacher.objects.all(), pk=theirs.pk)
    assert far not in scoped(methodologist, m.Teacher.objects.all())
    SchoolFactory(municipality=school_a.municipality)


def test_full_years_agree_with_relativedelta_including_29_february():
    import random
    from datetime import date

    from dateutil.relativedelta import relativedelta

    from teachers.dates import full_years

    rnd = random.Random(7)
    pairs = [(date(2000, 2, 29), date(2013, 2, 28)), (date(2000, 2, 29), date(2016, 2, 28)),
             (date(1996, 2, 29), date(2013, 3, 1)), (date(1990, 12, 31), date(2026, 12, 30))]
    for _ in range(20000):
        a = date.fromordinal(rnd.randint(715000, 740000))
        pairs.append((a, date.fromordinal(rnd.randint(a.toordinal(), 740500))))
    for start, on in pairs:
        assert full_years(start, on) == relativedelta(on, start).years, (start, on)
    assert full_years(date(2026, 1, 2), date(2026, 1, 1)) is None


def test_a_snils_typed_in_other_digits_is_stored_in_ascii(db):
    """Fullwidth or Arabic-Indic digits (a pasted number) are the same СНИЛС: stored as ASCII digits, so the
    uniqueness of a person's СНИЛС holds; `snils_checksum_ok` answers False (never raises) for non-ASCII."""
    from django.db import IntegrityError, transaction

    from .factories import TeacherFactory

    assert normalize_snils("１１２-２３３-４４５ ９５") == normalize_snils("112-233-445 9٥") == "11223344595"
    assert snils_checksum_ok("１１２２３３４４５９５") is False and snils_checksum_ok("1122334459²") is False
    teacher = TeacherFactory(snils="１１２-２３３-４４５ ９５")
    teacher.refresh_from_db()
    assert teacher.snils == "11223344595"
    with pytest.raises(IntegrityError), transaction.atomic():
        TeacherFactory(snils="112-233-445 95")
