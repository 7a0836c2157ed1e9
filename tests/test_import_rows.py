"""Row checks of the staff import: every kind of problem, in Russian, with row and column; formats people type."""
from datetime import date, timedelta
from decimal import Decimal

import pytest

from teachers.importing import analyse
from teachers.models import Employment, Teacher

from .import_support import row, snils_with_checksum, write


def problems_of(tmp_path, school, rows, **kwargs):
    plan = analyse(write(tmp_path, rows, **kwargs), school, "staff.xlsx")
    return [str(p) for p in plan.problems], plan


TOMORROW = (date.today() + timedelta(days=1)).strftime("%d.%m.%Y")


@pytest.mark.parametrize("overrides, expected", [
    ({"Дата рождения": "31.02.1980"}, "строка 2, «Дата рождения»: 31.02.1980 — нет такой даты"),
    ({"Дата рождения": TOMORROW}, f"строка 2, «Дата рождения»: {TOMORROW} — дата рождения в будущем"),
    ({"Дата рождения": "завтра"}, "строка 2, «Дата рождения»: завтра — не похоже на дату; введите дд.мм.гггг"),
    ({"Дата рождения": "1980"}, "строка 2, «Дата рождения»: 1980 — указан только год; введите полную дату дд.мм.гггг"),
    ({"Дата рождения": None}, "строка 2, «Дата рождения»: не заполнено (обязательный столбец)"),
    ({"СНИЛС": "112-233-445 96"},
     "строка 2, «СНИЛС»: 112-233-445 96 — неверная контрольная сумма СНИЛС — проверьте номер"),
    ({"СНИЛС": "112-233-445"}, "строка 2, «СНИЛС»: 112-233-445 — СНИЛС должен содержать 11 цифр, а здесь 9"),
    ({"Должность": "завхоз"},
     "строка 2, «Должность»: завхоз — нет в справочнике «Должности» (см. лист «Справочники»)"),
    ({"Должность": "учитель математики"},
     "строка 2, «Должность»: учитель математики — нет в справочнике «Должности»; для учителя-предметника укажите "
     "«учитель», а предмет — в столбце «Предметы» (см. лист «Справочники»)"),
    ({"Должность": None}, "строка 2, «Должность»: не заполнено (обязательный столбец)"),
    ({"Дата увольнения": "31.08.2015"},
     "строка 2, «Дата увольнения»: 31.08.2015 — дата увольнения раньше даты приёма (01.09.2015)"),
    ({"Дата приёма": None}, "строка 2, «Дата приёма»: не заполнено (обязательный столбец)"),
    ({"Педстаж с": "01.09.1979"},
     "строка 2, «Педстаж с»: 01.09.1979 — начало педагогического стажа раньше даты рождения (17.05.1980)"),
    ({"Педстаж с": "01.09.2001"},
     "строка 2, «Педстаж с»: 01.09.2001 — педагогический стаж не может быть больше общего (общий стаж с 01.09.2002)"),
    ({"Дата присвоения категории": TOMORROW},
     f"строка 2, «Дата присвоения категории»: {TOMORROW} — дата присвоения категории в будущем"),
    ({"Категория": "без категории"},
     "строка 2, «Дата присвоения категории»: 25.12.2022 — дата присвоения указана, а категории нет («без категории»)"),
    ({"Категория": "вторая"}, "строка 2, «Категория»: вторая — нет в справочнике «Категории»; допустимо: «высшая»; "
                              "«первая»; «соответствие занимаемой должности»; «без категории»"),
    ({"Образование": "высшее"}, "строка 2, «Образование»: высшее — неоднозначно: подходит «высшее педагогическое», "
                                "«высшее непедагогическое» — уточните"),
    ({"Пол": "x"}, "строка 2, «Пол»: x — нет в справочнике «Пол»; допустимо: «женский»; «мужской»"),
    ({"Вид занятости": "внутренний совместитель"},
     "строка 2, «Вид занятости»: внутренний совместитель — внутреннее совместительство укажите как "
     "«основной работник» отдельной строкой с другой должностью"),
    ({"Предметы": "Математика, Астрология"},
     "строка 2, «Предметы»: Математика, Астрология — «Астрология» — нет в справочнике «Предметы» "
     "(см. лист «Справочники»)"),
    ({"Нагрузка, ч/нед": "100"}, "строка 2, «Нагрузка, ч/нед»: 100 — должно быть от 0 до 72"),
    ({"Нагрузка, ч/нед": "много"}, "строка 2, «Нагрузка, ч/нед»: много — нужно число, например 18 или 0,5"),
    ({"Ставка": "0"}, "строка 2, «Ставка»: 0 — ставка должна быть больше 0"),
    ({"Ставка": "4"}, "строка 2, «Ставка»: 4 — должно быть от 0 до 3"),
    ({"Эл. почта": "ivanova@"}, "строка 2, «Эл. почта»: ivanova@ — неверный адрес электронной почты"),
    ({"Телефон": "звонить секретарю"}, "строка 2, «Телефон»: звонить секретарю — не похоже на номер телефона"),
    ({"ФИО": "Иванова"}, "строка 2, «ФИО»: Иванова — нужны хотя бы фамилия и имя через пробел"),
    ({"ФИО": "Иванова 2 Мария"}, "строка 2, «ФИО»: Иванова 2 Мария — имя не может содержать цифры"),
    ({"ФИО": "=HYPERLINK(\"http://x\")"},
     "строка 2, «ФИО»: =HYPERLINK(\"http://x\") — похоже на формулу; введите само значение, а не формулу"),
    ({"Дата приёма": "01.09.2090"}, "строка 2, «Дата приёма»: 01.09.2090 — дата приёма слишком далеко в будущем"),
    ({"Дата рождения": "17.05.2015", "Педстаж с": None, "Общий стаж с": None, "Дата присвоения категории": None},
     "строка 2, «Дата рождения»: 17.05.2015 — педагогу не может быть меньше 14 лет"),
])
def test_each_problem_is_named_with_row_and_column(tmp_path, school_a, overrides, expected):
    problems, plan = problems_of(tmp_path, school_a, [row(**overrides)])
    assert expected in problems, problems
    assert not plan.ok


def test_problems_of_many_rows_are_listed_together_in_row_order(tmp_path, school_a):
    rows = [row(СНИЛС=snils_with_checksum(200000000 + i), ФИО=f"Петрова{'аб'[i % 2]} Анна Ивановна") for i in range(3)]
    rows[0]["Дата рождения"] = "31.02.1980"
    rows[2]["Должность"] = "директор"
    rows[2]["Ставка"] = "abc"
    problems, _ = problems_of(tmp_path, school_a, rows)
    assert [p.split(",")[0] for p in problems] == ["строка 2", "строка 4", "строка 4"]
    assert problems[1].startswith("строка 4, «Должность»")
    assert problems[2].startswith("строка 4, «Ставка»")


def test_duplicate_snils_for_different_people(tmp_path, school_a):
    problems, _ = problems_of(tmp_path, school_a, [
        row(), row(ФИО="Сидорова Анна Ивановна", **{"Дата рождения": "01.01.1985"}),
    ])
    assert problems == [
        "строка 3, «СНИЛС»: 112-233-445 95 — этот СНИЛС уже указан в строке 2 для другого человека "
        "(«Иванова Мария Петровна», 17.05.1980)"
    ]


def test_same_person_and_position_twice(tmp_path, school_a):
    problems, _ = problems_of(tmp_path, school_a, [row(), row()])
    assert problems == [
        "строка 3, «Должность»: учитель — повтор: этот педагог с этой должностью уже есть в строке 2 (тот же СНИЛС)"
    ]


def test_same_person_with_two_positions_is_one_teacher(tmp_path, school_a):
    problems, plan = problems_of(tmp_path, school_a, [
        row(), row(Должность="педагог-организатор", Предметы="Информатика", **{"Нагрузка, ч/нед": 6, "Ставка": 0.5}),
    ])
    assert problems == []
    counts = plan.counts()
    assert counts["teachers_created"] == 1 and counts["appointments_created"] == 2
    assert [s.name for s in plan.teachers[0].subjects] == ["Математика", "Информатика"]


def test_conflicting_facts_about_one_person(tmp_path, school_a):
    problems, _ = problems_of(tmp_path, school_a, [row(), row(Должность="тьютор", Категория="высшая")])
    assert problems == [
        "строка 3, «Категория»: высшая — расходится со строкой 2 (там «первая») — сведения об одном человеке "
        "должны совпадать"
    ]


def test_formats_people_type_are_understood(tmp_path, school_a):
    problems, plan = problems_of(tmp_path, school_a, [row(**{
        "ФИО": "  СЕМЁНОВА   анна-мария  ивановна ",
        "Дата рождения": "1.2.85",
        "СНИЛС": 11223344595,  # a number cell
        "Пол": "Ж",
        "Должность": " Учитель ",
        "Вид занятости": "внеш. совм.",
        "Предметы": "матем.; англ. яз.,  нач. классы",
        "Образование": "Высшее пед.",
        "Категория": "Высшая категория",
        "Дата присвоения категории": __import__("datetime").datetime(2022, 12, 25),  # a real Excel date
        "Педстаж с": "01.09.2005 г.",
        "Общий стаж с": "1 сентября 2004",
        "Нагрузка, ч/нед": "18,5 ч",
        "Ставка": "0,75",
        "Дата приёма": 42248,  # an Excel serial in a General-format cell: 01.09.2015
        "Эл. почта": "Anna@Example.RU",
        "Телефон": 89181234567,
    })])
    assert problems == []
    teacher = plan.teachers[0].values
    names = (teacher["last_name"], teacher["first_name"], teacher["middle_name"])
    assert names == ("Семёнова", "Анна-Мария", "Ивановна")
    assert teacher["birth_date"] == date(1985, 2, 1)
    assert teacher["snils"] == "11223344595"
    assert teacher["gender"] == Teacher.Gender.FEMALE
    assert teacher["education_level"].code == "higher-ped"
    assert teacher["category"].code == "highest"
    assert teacher["category_date"] == date(2022, 12, 25)
    assert teacher["ped_experience_start"] == date(2005, 9, 1)
    assert teacher["total_experience_start"] == date(2004, 9, 1)
    assert teacher["email"] == "anna@example.ru"
    assert teacher["phone"] == "89181234567"
    assert [s.code for s in plan.teachers[0].subjects] == ["math", "english", "primary"]
    appointment = plan.appointments[0].values
    assert appointment["employment"] == Employment.EXTERNAL
    assert appointment["weekly_hours"] == Decimal("18.5")
    assert appointment["rate"] == Decimal("0.75")
    assert appointment["hired"] == date(2015, 9, 1)


@pytest.mark.parametrize("typed, code", [
    ("высшая", "highest"), ("Высшая категория", "highest"), ("ВКК", "highest"), ("1 категория", "first"),
    ("первая", "first"), ("I", "first"), ("1 кат.", "first"), ("СЗД", "szd"), ("соответствие", "szd"),
    ("соответствие занимаемой должности", "szd"), ("б/к", "none"), ("без категории", "none"),
])
def test_category_spellings(tmp_path, school_a, typed, code):
    overrides = {"Категория": typed}
    if code == "none":
        overrides["Дата присвоения категории"] = None
    problems, plan = problems_of(tmp_path, school_a, [row(**overrides)])
    assert problems == []
    assert plan.teachers[0].values["category"].code == code


@pytest.mark.parametrize("typed, value", [
    ("внешний совместитель", Employment.EXTERNAL), ("совм.", Employment.EXTERNAL),
    ("Совместитель", Employment.EXTERNAL), ("основной", Employment.MAIN), ("осн.", Employment.MAIN),
])
def test_employment_spellings(tmp_path, school_a, typed, value):
    problems, plan = problems_of(tmp_path, school_a, [row(**{"Вид занятости": typed})])
    assert problems == []
    assert plan.appointments[0].values["employment"] == value


def test_separate_name_columns_and_lost_leading_zero_of_snils(tmp_path, school_a):
    headers = ["№ п/п", "Фамилия", "Имя", "Отчество", "Дата рождения", "СНИЛС", "Должность", "Дата приема"]
    snils = snils_with_checksum(12345678)  # starts with 0
    problems, plan = problems_of(tmp_path, school_a, [
        [1, "Кузнецов", "Иван", "", "05.06.1975", int(snils), "учитель-логопед", "01.09.2000"],
    ], headers=headers)
    assert problems == []
    values = plan.teachers[0].values
    assert (values["last_name"], values["first_name"], "middle_name" in values) == ("Кузнецов", "Иван", False)
    assert values["snils"] == snils and snils.startswith("0")
    assert plan.appointments[0].values["position"].code == "speech-therapist"


def test_a_formula_is_never_evaluated(tmp_path, school_a):
    # A formula cell without a value stored by Excel reads as empty; nothing computes it.
    problems, _ = problems_of(tmp_path, school_a, [row(**{"Дата рождения": "=DATE(1980,5,17)"})], formulas=True)
    assert problems == ["строка 2, «Дата рождения»: не заполнено (обязательный столбец)"]


def test_blank_rows_are_skipped_and_rows_keep_their_spreadsheet_numbers(tmp_path, school_a):
    problems, _ = problems_of(tmp_path, school_a, [
        row(), [None] * 18, ["  "] * 3, row(ФИО="Орлова Ольга Олеговна", СНИЛС=None, **{"Дата рождения": "30.02.1990"}),
    ])
    assert problems == ["строка 5, «Дата рождения»: 30.02.1990 — нет такой даты"]


@pytest.mark.parametrize("typed, code", [
    ("высшее педагогическое", "higher-ped"), ("Высшее пед.", "higher-ped"), ("ВПО пед", "higher-ped"),
    ("высшее непед.", "higher"), ("СПО педагогическое", "spo-ped"), ("спо пед", "spo-ped"),
    ("среднее специальное педагогическое", "spo-ped"), ("СПО непедагогическое", "spo"),
    ("без профессионального образования", "none"),
])
def test_education_spellings(tmp_path, school_a, typed, code):
    problems, plan = problems_of(tmp_path, school_a, [row(Образование=typed)])
    assert problems == []
    assert plan.teachers[0].values["education_level"].code == code


def test_ambiguous_education_abbreviation(tmp_path, school_a):
    problems, _ = problems_of(tmp_path, school_a, [row(Образование="СПО")])
    assert problems == [
        "строка 2, «Образование»: СПО — неоднозначно: подходит «среднее профессиональное педагогическое», "
        "«среднее профессиональное непедагогическое» — уточните"
    ]


def test_a_wrong_birth_date_is_reported_once_not_against_every_other_date(tmp_path, school_a):
    problems, _ = problems_of(tmp_path, school_a, [row(**{"Дата рождения": "12.12.2030"})])
    assert problems == ["строка 2, «Дата рождения»: 12.12.2030 — дата рождения в будущем"]
