"""The columns of the staff list: template headers, the other spellings accepted, which are required.

One import row is one person and their position at the importing school. A
person's name comes either from one «ФИО» column or from «Фамилия» / «Имя» /
«Отчество».
"""
import re
from dataclasses import dataclass, field

from .values import norm_key


@dataclass(frozen=True)
class Column:
    key: str
    header: str
    aliases: tuple = ()
    width: int = 16
    kind: str = "text"  # text, date, decimal, list, subjects, snils — for the template's formats and validation
    note: str = ""
    example: object = None
    required: bool = False
    ignored: bool = False
    names: frozenset = field(init=False, default=frozenset())

    def __post_init__(self):
        object.__setattr__(self, "names", frozenset(header_key(h) for h in (self.header, *self.aliases)))


def header_key(text):
    text = norm_key(text)
    text = re.sub(r"[\s.,:;*()«»\"/\\-]+", " ", text)
    return text.strip()


COLUMNS = [
    Column("fio", "ФИО", ("Ф.И.О.", "Фамилия Имя Отчество", "Фамилия, имя, отчество", "Ф.И.О. педагога",
                          "ФИО педагога", "ФИО работника", "Фамилия И.О."),
           width=34,
           note="Фамилия, имя и отчество через пробел (или три отдельных столбца «Фамилия», «Имя», «Отчество»).",
           example="Иванова Мария Петровна"),
    Column("last_name", "Фамилия", width=18),
    Column("first_name", "Имя", width=14),
    Column("middle_name", "Отчество", width=18),
    Column("birth_date", "Дата рождения", ("Дата рожд.", "Д.р.", "Дата рождения (дд.мм.гггг)"), kind="date",
           required=True, note="дд.мм.гггг", example="17.05.1980"),
    Column("snils", "СНИЛС", ("№ СНИЛС", "Номер СНИЛС", "Страховой номер"), kind="snils", width=17,
           note="11 цифр, например 112-233-445 95; необязателен, но по нему надёжнее всего находится человек.",
           example="112-233-445 95"),
    Column("gender", "Пол", kind="list", width=10, note="«женский» или «мужской» (можно «ж»/«м»).", example="женский"),
    Column("position", "Должность", ("Должность (по штатному расписанию)", "Занимаемая должность"), kind="list",
           required=True, width=30, note="Из справочника должностей.", example="учитель"),
    Column("employment", "Вид занятости", ("Занятость", "Тип занятости", "Основной / совместитель",
                                           "Основное место работы / совместительство"), kind="list", width=22,
           note="«основной работник» или «внешний совместитель»; пусто — основной.", example="основной работник"),
    Column("subjects", "Предметы", ("Предмет", "Преподаваемые предметы", "Преподаваемый предмет"), kind="subjects",
           width=30, note="Через запятую, из справочника предметов.", example="Математика, Информатика"),
    Column("education_level", "Образование", ("Уровень образования",), kind="list", width=34,
           example="высшее педагогическое"),
    Column("category", "Категория", ("Квалификационная категория", "Кв. категория", "Квалиф. категория"),
           kind="list", width=24, example="первая"),
    Column("category_date", "Дата присвоения категории", ("Дата категории", "Дата аттестации",
                                                          "Дата присвоения"), kind="date", width=14,
           note="дд.мм.гггг", example="25.12.2022"),
    Column("ped_experience_start", "Педстаж с", ("Педагогический стаж с", "Начало педагогической деятельности",
                                                 "Дата начала педстажа", "Педстаж с даты"), kind="date", width=14,
           note="Дата, от которой считается педагогический стаж (с учётом перерывов).", example="01.09.2003"),
    Column("total_experience_start", "Общий стаж с", ("Начало трудовой деятельности", "Дата начала общего стажа",
                                                      "Общий стаж с даты"), kind="date", width=14,
           note="Дата, от которой считается общий трудовой стаж.", example="01.09.2002"),
    Column("weekly_hours", "Нагрузка, ч/нед", ("Нагрузка", "Учебная нагрузка", "Часов в неделю", "Нагрузка (часов)",
                                               "Педагогическая нагрузка"), kind="decimal", width=12,
           note="Часов в неделю, от 0 до 72.", example=18),
    Column("rate", "Ставка", ("Ставки", "Кол-во ставок", "Количество ставок"), kind="decimal", width=10,
           note="Больше 0 и не больше 3, например 1 или 0,5.", example=1),
    Column("hired", "Дата приёма", ("Дата приема", "Принят", "Дата приёма на работу", "Дата приема на работу",
                                     "Дата назначения"), kind="date", required=True, width=14,
           note="дд.мм.гггг", example="01.09.2015"),
    Column("dismissed", "Дата увольнения", ("Уволен", "Дата увольнения (если уволен)"), kind="date", width=14,
           note="Только если человек уволен.", example=None),
    Column("email", "Эл. почта", ("E-mail", "Email", "Электронная почта", "Эл.почта", "Адрес электронной почты"),
           width=26, example="ivanova@example.ru"),
    Column("phone", "Телефон", ("Контактный телефон", "Тел.", "Моб. телефон"), width=18, example="+7 918 123-45-67"),
    Column("note", "Примечание", ("Комментарий",), width=24),
    Column("number", "№ п/п", ("№", "N", "No", "№№", "Номер по порядку", "П/п"), ignored=True, width=6),
]

BY_KEY = {c.key: c for c in COLUMNS}
TEMPLATE_KEYS = [
    "fio", "birth_date", "snils", "gender", "position", "employment", "subjects", "education_level", "category",
    "category_date", "ped_experience_start", "total_experience_start", "weekly_hours", "rate", "hired", "dismissed",
    "email", "phone",
]
NAME_PARTS = ("last_name", "first_name", "middle_name")
_BY_NAME = {name: c for c in COLUMNS for name in c.names}


def column_for_header(text):
    return _BY_NAME.get(header_key(text))


def required_headers_text():
    return "«ФИО» (или «Фамилия» и «Имя»), " + ", ".join(f"«{c.header}»" for c in COLUMNS if c.required)
