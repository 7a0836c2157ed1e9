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


class ColumnSet:
    """The columns one import kind reads: header spellings, which are required, where people's names are.

    `persons` lists the prefixes of the person slots (one "" for most kinds, "mentor_"/"mentee_" for mentorship
    pairs); each slot is named either by one «ФИО» column or by «Фамилия»/«Имя»/«Отчество».
    """

    def __init__(self, columns, template_keys, sheet_title, persons=("",)):
        self.columns = list(columns)
        self.by_key = {c.key: c for c in self.columns}
        self.template_keys = list(template_keys)
        self.sheet_title = sheet_title
        self.persons = tuple(persons)
        self._by_name = {}
        for column in self.columns:
            for name in column.names:
                self._by_name.setdefault(name, column)

    def for_header(self, text):
        return self._by_name.get(header_key(text))

    def label(self, key):
        """The column's name as people read it (the template header), for previews and change lists."""
        column = self.by_key.get(key)
        return column.header if column else key

    def name_parts(self, slot=""):
        return tuple(f"{slot}{part}" for part in NAME_PARTS)

    def person_text(self, slot=""):
        fio, last, first = self.by_key[f"{slot}fio"], self.by_key[f"{slot}last_name"], self.by_key[f"{slot}first_name"]
        return f"«{fio.header}» (или «{last.header}» и «{first.header}»)"

    def required_headers_text(self):
        parts = [self.person_text(slot) for slot in self.persons]
        parts += [f"«{c.header}»" for c in self.columns if c.required]
        return ", ".join(parts)


def person_columns(slot="", whose=""):
    """The columns that find a person: ФИО (or its three parts), birth date, СНИЛС — for one person slot.

    `whose` is the genitive added to every header («ФИО наставника»); the staff list's own spellings are
    accepted for the first (unnamed) slot."""
    if not whose:
        return [BY_KEY[k] for k in ("fio", "last_name", "first_name", "middle_name", "birth_date", "snils")]
    def named(key):
        base = BY_KEY[key]
        return Column(f"{slot}{key}", f"{base.header} {whose}", tuple(f"{a} {whose}" for a in base.aliases),
                      width=base.width, kind=base.kind, note=base.note, example=base.example, required=base.required)
    return [named(k) for k in ("fio", "last_name", "first_name", "middle_name", "birth_date", "snils")]


STAFF = ColumnSet(COLUMNS, TEMPLATE_KEYS, "Педагоги")


def column_for_header(text):
    return STAFF.for_header(text)


def required_headers_text():
    return STAFF.required_headers_text()
