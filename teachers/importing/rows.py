"""One spreadsheet row → the person's fields and their position, with every problem found in it.

Nothing here touches the database beyond the reference tables held by
`References`; matching against existing teachers is `matcher`'s job.
"""
from dataclasses import dataclass, field
from datetime import date, timedelta

from teachers.dates import add_years, full_years

from .columns import BY_KEY, NAME_PARTS
from .people import name_key
from .values import (
    BadValue, cell_reader, clean_text, display, parse_date, parse_decimal, parse_email, parse_name_part, parse_phone,
    parse_snils, parse_text, split_fio,
)

MIN_AGE = 14
MAX_AGE = 100
FUTURE_DAYS = 366  # an order of appointment may be signed ahead, but not years ahead

TEACHER_FIELDS = (
    "last_name", "first_name", "middle_name", "birth_date", "snils", "gender", "education_level", "category",
    "category_date", "ped_experience_start", "total_experience_start", "email", "phone", "note",
)
APPOINTMENT_FIELDS = ("position", "employment", "weekly_hours", "rate", "hired", "dismissed")
DATE_KEYS = ("birth_date", "category_date", "ped_experience_start", "total_experience_start", "hired", "dismissed")


@dataclass
class Problem:
    row: int | None  # spreadsheet row number; None for the file as a whole
    column: str  # the header as written in the file; '' when the whole row is concerned
    value: str  # what was typed, quoted back
    message: str

    def __str__(self):
        place = f"строка {self.row}" if self.row else "файл"
        if self.column:
            place += f", «{self.column}»"
        value = f"{self.value} — " if self.value else ""
        return f"{place}: {value}{self.message}"


@dataclass
class ImportRow:
    number: int
    teacher: dict = field(default_factory=dict)  # only the fields given (non-empty) in the file
    subjects: list = field(default_factory=list)
    appointment: dict = field(default_factory=dict)
    problems: list = field(default_factory=list)
    raw: dict = field(default_factory=dict)  # column key → raw cell, for quoting back

    @property
    def ok(self):
        return not self.problems

    @property
    def full_name(self):
        return " ".join(self.teacher.get(k, "") for k in NAME_PARTS if self.teacher.get(k))

    @property
    def name_key(self):
        if not (self.teacher.get("last_name") and self.teacher.get("first_name") and self.teacher.get("birth_date")):
            return None
        return name_key(self.teacher["last_name"], self.teacher["first_name"], self.teacher.get("middle_name", ""),
                        self.teacher["birth_date"])




class RowParser:
    def __init__(self, sheet, references, today=None):
        self.sheet = sheet
        self.refs = references
        self.today = today or date.today()
        self.columns = sheet.columns
        self.headers = sheet.headers

    def header(self, key):
        if key in NAME_PARTS and "fio" in self.headers:
            return self.headers["fio"]
        return self.headers.get(key) or BY_KEY[key].header

    def parse_all(self):
        return [self.parse(number, values) for number, values in self.sheet.rows]

    def parse(self, number, values):
        row = ImportRow(number)
        cells = {key: (values[index] if index < len(values) else None) for key, index in self.columns.items()}
        row.raw = cells

        def problem(key, message, value=None):
            raw = cells.get("fio" if key in NAME_PARTS and "fio" in cells else key) if value is None else value
            row.problems.append(Problem(number, self.header(key), display(raw) if raw is not None else "", message))

        read = cell_reader(cells, problem)

        # The person
        before = len(row.problems)
        if "fio" in cells:
            try:
                last, first, middle = split_fio(cells["fio"])
            except BadValue as exc:
                problem("fio", str(exc))
                last = first = middle = ""
        else:
            last = read("last_name", lambda v: parse_name_part(v, what="фамилия")) or ""
            first = read("first_name", lambda v: parse_name_part(v, what="имя")) or ""
            middle = read("middle_name", lambda v: parse_name_part(v, what="отчество")) or ""
        if len(row.problems) == before:
            if not last:
                problem("last_name" if "last_name" in cells else "fio", "не заполнено: нужны фамилия и имя")
            elif not first:
                problem("first_name" if "first_name" in cells else "fio", "не указано имя")
        for key, value in (("last_name", last), ("first_name", first), ("middle_name", middle)):
            if value:
                row.teacher[key] = value

        dates = {key: read(key, lambda v: parse_date(v, today=self.today)) for key in DATE_KEYS}
        for key in ("birth_date", "hired"):
            if dates[key] is None and key in cells and not clean_text(cells[key]) and not self._reported(row, key):
                problem(key, "не заполнено (обязательный столбец)")
        for key in ("category_date", "ped_experience_start", "total_experience_start", "birth_date"):
            if dates[key] is not None:
                row.teacher[key] = dates[key]
        for key in ("hired", "dismissed"):
            if dates[key] is not None:
                row.appointment[key] = dates[key]

        snils = read("snils", parse_snils)
        if snils:
            row.teacher["snils"] = snils
        for key, lookup in (("gender", self.refs.gender), ("education_level", self.refs.education),
                            ("category", self.refs.category)):
            value = read(key, lookup)
            if value is not None:
                row.teacher[key] = value
        email = read("email", parse_email)
        if email:
            row.teacher["email"] = email
        phone = read("phone", parse_phone)
        if phone:
            row.teacher["phone"] = phone
        note = read("note", lambda v: parse_text(v, max_length=2000))
        if note:
            row.teacher["note"] = note
        row.subjects = read("subjects", self.refs.subjects) or []

        # The position at the school
        position = read("position", self.refs.position)
        if position is not None:
            row.appointment["position"] = position
        elif "position" in cells and not clean_text(cells["position"]) and not self._reported(row, "position"):
            problem("position", "не заполнено (обязательный столбец)")
        employment = read("employment", self.refs.employment_value)
        if employment:
            row.appointment["employment"] = employment
        hours = read("weekly_hours", lambda v: parse_decimal(v, places=1, minimum=0, maximum=72,
                                                             units=("ч", "час", "часа", "часов", "ч/нед")))
        if hours is not None:
            row.appointment["weekly_hours"] = hours
        rate = read("rate", lambda v: parse_decimal(v, places=2, minimum=0, maximum=3,
                                                    units=("ст", "ставка", "ставки", "ставок")))
        if rate is not None:
            if rate <= 0:
                problem("rate", "ставка должна быть больше 0")
            else:
                row.appointment["rate"] = rate

        self.check_dates(row, problem)
        return row

    def _reported(self, row, key):
        header = self.header(key)
        return any(p.column == header for p in row.problems)

    def check_dates(self, row, problem):
        """Rules between the dates of one row (the person's merged with the database are checked by the matcher)."""
        for message_key, message in date_problems(row.teacher, row.appointment, self.today):
            problem(message_key, message)


def date_problems(teacher, appointment, today):
    """[(column key, message)] for dates that cannot be true together. Used on a row and on merged values."""
    found = []
    birth = teacher.get("birth_date")
    far_future = today + timedelta(days=FUTURE_DAYS)
    if birth:
        if birth > today:
            found.append(("birth_date", "дата рождения в будущем"))
        elif full_years(birth, today) < MIN_AGE:
            found.append(("birth_date", f"педагогу не может быть меньше {MIN_AGE} лет"))
        elif full_years(birth, today) > MAX_AGE:
            found.append(("birth_date", f"возраст больше {MAX_AGE} лет — проверьте год"))
        if found:
            birth = None  # a wrong birth date is reported once, not again against every other date
    adult = add_years(birth, MIN_AGE) if birth else None
    labels = {
        "category_date": "дата присвоения категории",
        "ped_experience_start": "начало педагогического стажа",
        "total_experience_start": "начало общего стажа",
    }
    for key, label in labels.items():
        value = teacher.get(key)
        if not value:
            continue
        if value > today:
            found.append((key, f"{label} в будущем"))
        elif birth and value <= birth:
            found.append((key, f"{label} раньше даты рождения ({birth:%d.%m.%Y})"))
        elif adult and value < adult:
            found.append((key, f"{label} раньше, чем человеку исполнилось {MIN_AGE} лет"))
    ped, total = teacher.get("ped_experience_start"), teacher.get("total_experience_start")
    if ped and total and ped < total and not any(k == "ped_experience_start" for k, _ in found):
        found.append(("ped_experience_start",
                      f"педагогический стаж не может быть больше общего (общий стаж с {total:%d.%m.%Y})"))
    category = teacher.get("category")
    if category is not None and category.code == "none" and teacher.get("category_date"):
        found.append(("category_date", "дата присвоения указана, а категории нет («без категории»)"))
    hired, dismissed = appointment.get("hired"), appointment.get("dismissed")
    if hired:
        if hired > far_future:
            found.append(("hired", "дата приёма слишком далеко в будущем"))
        elif adult and hired < adult:
            found.append(("hired", f"дата приёма раньше, чем человеку исполнилось {MIN_AGE} лет"))
    if dismissed:
        if hired and dismissed < hired:
            found.append(("dismissed", f"дата увольнения раньше даты приёма ({hired:%d.%m.%Y})"))
        elif dismissed > far_future:
            found.append(("dismissed", "дата увольнения слишком далеко в будущем"))
    return found
