"""Matching existing people, what is created / updated / left alone, all-or-nothing writes and their audit."""
from datetime import date
from decimal import Decimal

import pytest
from django.db import IntegrityError

from teachers.importing import ImportRejected, analyse, apply_import
from teachers.models import Appointment, Employment, ImportLog, Position, Subject, Teacher

from .factories import AppointmentFactory, TeacherFactory, make_teacher, ref
from .import_support import row, snils_with_checksum, write


def counts(plan):
    c = plan.counts()
    return {k: c[k] for k in ("teachers_created", "teachers_updated", "teachers_unchanged", "appointments_created",
                              "appointments_updated", "appointments_unchanged", "rows_unchanged")}


def test_new_people_are_created_with_history_by_the_importer(tmp_path, school_a, head_a):
    path = write(tmp_path, [row(), row(ФИО="Петров Пётр Петрович", СНИЛС=snils_with_checksum(300000001),
                                       Пол="мужской", Предметы="Физика, Информатика",
                                       **{"Вид занятости": "совм.", "Дата рождения": "02.03.1990",
                                          "Педстаж с": "01.09.2012", "Общий стаж с": "01.09.2012"})])
    log = apply_import(path, school_a, head_a, "staff.xlsx")
    assert (log.teachers_created, log.appointments_created, log.teachers_updated, log.rows) == (2, 2, 0, 2)
    assert log.user == head_a and log.school == school_a and log.file_name == "staff.xlsx"
    petrov = Teacher.objects.get(last_name="Петров")
    assert petrov.first_name == "Пётр" and petrov.gender == "m" and petrov.birth_date == date(1990, 3, 2)
    assert sorted(s.code for s in petrov.subjects.all()) == ["informatics", "physics"]
    appointment = petrov.appointments.get()
    assert appointment.school == school_a and appointment.employment == Employment.EXTERNAL
    assert appointment.weekly_hours == Decimal("18.0") and appointment.rate == Decimal("1.00")
    created = petrov.history.get()
    assert created.history_type == "+" and created.history_user == head_a
    assert created.history_change_reason == "Импорт XLSX: staff.xlsx"
    # The subject snapshot of the historical row is complete, so later diffs are right.
    assert sorted(created.subjects.values_list("subject__code", flat=True)) == ["informatics", "physics"]
    assert appointment.history.get().history_user == head_a


def test_match_by_snils_updates_only_what_changed(tmp_path, school_a, head_a):
    teacher = make_teacher(school_a, last_name="Иванова", first_name="Мария", middle_name="Петровна",
                           snils="11223344595", birth_date=date(1980, 5, 17), email="old@example.ru")
    teacher.subjects.add(ref(Subject, "math"))
    path = write(tmp_path, [row(ФИО="Иванова Мария Петровна", Категория="высшая", Предметы="Математика, Физика")])
    plan = analyse(path, school_a)
    assert plan.ok, [str(p) for p in plan.problems]
    group = plan.teachers[0]
    assert group.matched_by == "snils" and group.instance == teacher
    changes = {c.label: (c.old, c.new) for c in group.changes}
    assert changes["Категория"] == ("первая", "высшая")
    assert changes["Эл. почта"] == ("old@example.ru", "ivanova@example.ru")
    assert changes["Предметы"] == ("", "добавятся: Физика")
    assert "Фамилия" not in changes and "Дата рождения" not in changes

    apply_import(path, school_a, head_a, "staff.xlsx")
    teacher.refresh_from_db()
    assert teacher.category.code == "highest" and teacher.email == "ivanova@example.ru"
    assert sorted(s.code for s in teacher.subjects.all()) == ["math", "physics"]
    last = teacher.history.order_by("-history_id").first()
    assert last.history_type == "~" and last.history_user == head_a
    assert sorted(last.subjects.values_list("subject__code", flat=True)) == ["math", "physics"]
    delta = last.diff_against(last.prev_record)
    assert {"category", "email", "subjects"} <= set(delta.changed_fields)


def test_match_by_name_and_birth_date_ignores_case_yo_and_spaces(tmp_path, school_a, head_a):
    teacher = make_teacher(school_a, last_name="Семёнова", first_name="Анна", middle_name="Ивановна",
                           snils="", birth_date=date(1985, 2, 1))
    path = write(tmp_path, [row(ФИО="  СЕМЕНОВА  анна ивановна", СНИЛС=None, **{"Дата рождения": "01.02.1985"})])
    plan = analyse(path, school_a)
    assert plan.ok
    assert plan.teachers[0].instance == teacher and plan.teachers[0].matched_by == "name"
    # A name match never rewrites the name as typed; the position is matched by teacher + school + position.
    assert "Фамилия" not in {c.label for c in plan.teachers[0].changes}
    assert plan.appointments[0].instance == teacher.appointments.get()


def test_name_match_gains_the_snils_given_in_the_file(tmp_path, school_a, head_a):
    teacher = make_teacher(school_a, last_name="Иванова", first_name="Мария", middle_name="Петровна", snils="",
                           birth_date=date(1980, 5, 17))
    path = write(tmp_path, [row()])
    apply_import(path, school_a, head_a, "staff.xlsx")
    teacher.refresh_from_db()
    assert teacher.snils == "11223344595"
    assert Teacher.objects.count() == 1


def test_same_name_other_birth_date_is_another_person(tmp_path, school_a, head_a):
    make_teacher(school_a, last_name="Иванова", first_name="Мария", middle_name="Петровна", snils="",
                 birth_date=date(1981, 5, 17))
    plan = analyse(write(tmp_path, [row(СНИЛС=None)]), school_a)
    assert plan.ok and plan.teachers[0].action == "create"


def test_name_match_with_a_different_snils_is_refused(tmp_path, school_a):
    make_teacher(school_a, last_name="Иванова", first_name="Мария", middle_name="Петровна",
                 snils=snils_with_checksum(400000001), birth_date=date(1980, 5, 17))
    plan = analyse(write(tmp_path, [row()]), school_a)
    assert [str(p) for p in plan.problems] == [
        "строка 2, «СНИЛС»: 112-233-445 95 — в базе уже есть педагог с такими ФИО и датой рождения, но с другим "
        "СНИЛС — проверьте номер"
    ]


def test_created_updated_unchanged_counts(tmp_path, school_a, head_a):
    same = make_teacher(school_a, last_name="Иванова", first_name="Мария", middle_name="Петровна",
                        snils="11223344595", birth_date=date(1980, 5, 17))
    rows = [row(), row(ФИО="Новикова Нина Ниловна", СНИЛС=snils_with_checksum(500000001)),
            row(ФИО="Орлов Олег Олегович", СНИЛС=snils_with_checksum(500000002))]
    apply_import(write(tmp_path, rows), school_a, head_a, "first.xlsx")
    # Second upload: Иванова unchanged, Новикова gets a new load, Орлов a second position, Сидоров is new.
    rows[1]["Нагрузка, ч/нед"] = 20
    rows.append(row(ФИО="Орлов Олег Олегович", СНИЛС=snils_with_checksum(500000002), Должность="тьютор"))
    rows.append(row(ФИО="Сидоров Семён Семёнович", СНИЛС=snils_with_checksum(500000003)))
    plan = analyse(write(tmp_path, rows, name="second.xlsx"), school_a)
    assert plan.ok
    assert counts(plan) == {
        "teachers_created": 1, "teachers_updated": 0, "teachers_unchanged": 3,
        "appointments_created": 2, "appointments_updated": 1, "appointments_unchanged": 2, "rows_unchanged": 2,
    }
    change = next(a for a in plan.appointments if a.action == "update").changes
    assert [(c.label, c.old, c.new) for c in change] == [("Нагрузка, ч/нед", "18", "20")]
    log = apply_import(write(tmp_path, rows, name="second.xlsx"), school_a, head_a, "second.xlsx")
    assert (log.teachers_created, log.teachers_updated, log.appointments_created, log.appointments_updated,
            log.rows_unchanged) == (1, 0, 2, 1, 2)
    assert same.appointments.count() == 1
    assert Appointment.objects.filter(school=school_a).count() == 5


def test_empty_cells_never_erase_stored_values(tmp_path, school_a, head_a):
    teacher = make_teacher(school_a, last_name="Иванова", first_name="Мария", middle_name="Петровна",
                           snils="11223344595", birth_date=date(1980, 5, 17), phone="8-800")
    path = write(tmp_path, [row(Телефон=None, Категория=None, **{"Дата присвоения категории": None})])
    plan = analyse(path, school_a)
    assert "Телефон" not in {c.label for c in plan.teachers[0].changes}
    apply_import(path, school_a, head_a, "x.xlsx")
    teacher.refresh_from_db()
    assert teacher.phone == "8-800" and teacher.category.code == "first"


def test_person_from_another_school_gets_a_position_here_without_showing_old_values(tmp_path, school_a, school_b,
                                                                                    head_a):
    teacher = make_teacher(school_b, last_name="Иванова", first_name="Мария", middle_name="Петровна",
                           snils="11223344595", birth_date=date(1980, 5, 17), email="secret@b.ru")
    plan = analyse(write(tmp_path, [row(**{"Вид занятости": "совместитель"})]), school_a)
    group = plan.teachers[0]
    assert group.instance == teacher and not group.at_school
    email = next(c for c in group.changes if c.label == "Эл. почта")
    assert email.old == "…" and email.new == "ivanova@example.ru"
    assert plan.appointments[0].action == "create"


def test_rehire_after_dismissal_is_a_new_position(tmp_path, school_a, head_a):
    teacher = TeacherFactory(last_name="Иванова", first_name="Мария", middle_name="Петровна", snils="11223344595",
                             birth_date=date(1980, 5, 17))
    AppointmentFactory(teacher=teacher, school=school_a, hired=date(2010, 9, 1), dismissed=date(2012, 6, 30))
    plan = analyse(write(tmp_path, [row()]), school_a)
    assert plan.appointments[0].action == "create"
    # The same hire date is the same position: it gets the dismissal removed? No — empty cells erase nothing.
    plan = analyse(write(tmp_path, [row(**{"Дата приёма": "01.09.2010", "Дата увольнения": "30.06.2013"})]), school_a)
    assert plan.appointments[0].action == "update"
    assert [(c.label, c.old, c.new) for c in plan.appointments[0].changes] == [
        ("Дата увольнения", "30.06.2012", "30.06.2013")
    ]


def test_merged_dates_are_checked_against_stored_values(tmp_path, school_a):
    make_teacher(school_a, last_name="Иванова", first_name="Мария", middle_name="Петровна", snils="11223344595",
                 birth_date=date(1980, 5, 17), total_experience_start=date(2004, 9, 1), ped_experience_start=None)
    plan = analyse(write(tmp_path, [row(**{"Общий стаж с": None, "Педстаж с": "01.09.2003"})]), school_a)
    assert [str(p) for p in plan.problems] == [
        "строка 2, «Педстаж с»: 01.09.2003 — педагогический стаж не может быть больше общего (общий стаж с "
        "01.09.2004) (с учётом сведений, уже внесённых в базу)"
    ]


def test_an_error_in_the_last_row_writes_nothing(tmp_path, school_a, head_a):
    rows = [row(ФИО=f"Учитель{'абвгдежзик'[i]} Иван Иванович", СНИЛС=snils_with_checksum(600000000 + i))
            for i in range(10)]
    rows[-1]["Дата рождения"] = "31.02.1980"
    with pytest.raises(ImportRejected) as rejected:
        apply_import(write(tmp_path, rows), school_a, head_a, "staff.xlsx")
    assert [str(p) for p in rejected.value.plan.problems] == ["строка 11, «Дата рождения»: 31.02.1980 — нет такой даты"]
    assert Teacher.objects.count() == 0 and Appointment.objects.count() == 0 and ImportLog.objects.count() == 0
    assert Teacher.history.count() == 0


def test_a_database_error_mid_apply_rolls_everything_back(tmp_path, school_a, head_a, monkeypatch):
    from teachers.importing import applier

    def broken(*args, **kwargs):
        raise IntegrityError("simulated failure while writing appointments")

    monkeypatch.setattr(applier, "bulk_create_with_history", broken)
    existing = make_teacher(school_a, last_name="Иванова", first_name="Мария", middle_name="Петровна",
                            snils="11223344595", birth_date=date(1980, 5, 17))
    path = write(tmp_path, [row(Категория="высшая"), row(ФИО="Петров Пётр Петрович",
                                                         СНИЛС=snils_with_checksum(700000001))])
    with pytest.raises(IntegrityError):
        apply_import(path, school_a, head_a, "staff.xlsx")
    existing.refresh_from_db()
    assert existing.category.code == "first"
    assert Teacher.objects.count() == 1 and ImportLog.objects.count() == 0
    assert Teacher.history.filter(history_user=head_a).count() == 0


def test_apply_revalidates_against_the_database(tmp_path, school_a, head_a):
    path = write(tmp_path, [row(СНИЛС=None)])
    assert analyse(path, school_a).ok
    # Between preview and apply someone adds two people who both match by name: now ambiguous.
    for snils in ("", snils_with_checksum(800000001)):
        make_teacher(school_a, last_name="Иванова", first_name="Мария", middle_name="Петровна", snils=snils,
                     birth_date=date(1980, 5, 17))
    with pytest.raises(ImportRejected):
        apply_import(path, school_a, head_a, "staff.xlsx")
    assert Teacher.objects.count() == 2


def test_positions_are_matched_per_school(tmp_path, school_a, school_b, head_a):
    teacher = make_teacher(school_b, last_name="Иванова", first_name="Мария", middle_name="Петровна",
                           snils="11223344595", birth_date=date(1980, 5, 17))
    apply_import(write(tmp_path, [row()]), school_a, head_a, "a.xlsx")
    assert teacher.appointments.filter(school=school_b).count() == 1
    assert teacher.appointments.filter(school=school_a, position=Position.objects.get(code="teacher")).count() == 1
