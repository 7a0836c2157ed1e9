"""Vacancies of a school: position, subject, hours, dates, housing — or of the district's schools from one sheet
(the «ОО» column, each row's school within the importer's writable schools)."""
import re
from datetime import date

from teachers import scoping
from teachers.models import Position, School, Subject, Vacancy

from ..columns import Column, ColumnSet
from ..lookups import References
from ..values import BadValue, clean_text, norm_key, parse_decimal
from .base import Context, Kind
from .common import NUMBER, a_date, text, yes_no

COLUMNS = ColumnSet([
    Column("school", "ОО", ("Образовательная организация", "Наименование ОО", "Школа", "ОУ", "Учреждение",
                            "Краткое наименование ОО", "Организация"), width=24,
           note="Краткое или полное наименование ОО, как в системе; пусто — ОО, выбранная при загрузке.",
           example="СОШ №1"),
    Column("position", "Должность", ("Вакантная должность", "Наименование должности", "Вакансия"), kind="list",
           required=True, width=30, example="учитель"),
    Column("subject", "Предмет", ("Предмет (для учителя)", "Преподаваемый предмет"), kind="list", width=24,
           example="Математика"),
    Column("weekly_hours", "Нагрузка, ч/нед", ("Нагрузка", "Часов в неделю", "Количество часов"), kind="decimal",
           width=12, example=18),
    Column("opened", "Дата открытия", ("Открыта", "Дата появления", "Дата открытия вакансии", "С"), kind="date",
           required=True, width=14, example="01.06.2025"),
    Column("closed", "Дата закрытия", ("Закрыта", "Дата закрытия вакансии"), kind="date", width=14),
    Column("housing", "Жильё", ("Жилье", "Предоставляется жильё", "Предоставляется жилье", "Жильё предоставляется"),
           kind="list", width=10, note="да или нет", example="нет"),
    Column("comment", "Комментарий", ("Примечание", "Условия"), width=30),
    NUMBER,
], ["school", "position", "subject", "weekly_hours", "opened", "closed", "housing", "comment"], "Вакансии",
   persons=())


def _schools(user):
    return scoping.writable_schools(user).order_by("short_name")


def _compact(text):
    """«МБОУ СОШ № 1», «сош №1» → comparable keys: case, «ё», spaces, quotes and «№» do not matter."""
    return re.sub(r"[\s\"«»№.]+", "", norm_key(text))


class SchoolLookup:
    """A row's «ОО» → one of the schools the importer may write (short or full name); others are not named."""

    def __init__(self, schools):
        self.by_key = {}
        for school in schools:
            for name in {school.short_name, school.full_name}:
                if name:
                    self.by_key.setdefault(_compact(name), set()).add(school)

    def __call__(self, raw):
        if not clean_text(raw):
            return None
        found = self.by_key.get(_compact(raw), set())
        if len(found) > 1:
            raise BadValue("так называются несколько ОО разных муниципалитетов — загрузите их файлами по "
                           "муниципалитетам")
        if not found:
            raise BadValue("нет среди ОО, вакансии которых вы ведёте (укажите краткое или полное наименование, "
                           "как в системе)")
        return next(iter(found))


class Vacancies(Kind):
    code = "vacancies"
    title = "Вакансии"
    description = "Вакантные должности ОО с предметом, нагрузкой, датами и жильём."
    columns = COLUMNS
    model = Vacancy
    context = Context("school", "ОО", _schools, empty="— по столбцу «ОО» в файле —", required=False,
                      help="Для файла вакансий нескольких ОО оставьте пустым: ОО каждой строки — в столбце «ОО».")
    value_fields = ("weekly_hours", "closed", "housing", "comment")
    record_word = ("вакансия", "вакансии", "вакансий")

    def references(self):
        refs = References()
        return {"position": refs.position, "subject": refs.subject}

    def analyse(self, sheet, target, user=None, today=None):
        # The rows' schools: the importer's writable ones (all of them without a user, as the bench runs).
        schools = _schools(user) if user is not None else School.objects.all()
        self._school_lookup = SchoolLookup(schools.only("pk", "short_name", "full_name", "municipality_id"))
        return super().analyse(sheet, target, user=user, today=today)

    def parse(self, row, read, problem, refs, school):
        today = date.today()
        row_school = read("school", self._school_lookup)
        if row_school is None and school is None and not clean_text(row.raw.get("school")):
            problem("school", "не указана ОО: заполните столбец «ОО» или выберите ОО при загрузке")
        elif school is not None and row_school is not None and row_school.pk != school.pk:
            problem("school", f"строка другой ОО, а файл загружается в «{school}» — оставьте поле «ОО» при "
                              "загрузке пустым, чтобы ОО бралась из столбца")
        row.school = row_school or school
        for key in ("position", "subject"):
            value = read(key, refs[key])
            if value is not None:
                row.values[key] = value
        hours = read("weekly_hours", lambda v: parse_decimal(v, places=1, minimum=0, maximum=72,
                                                              units=("ч", "час", "часа", "часов", "ч/нед")))
        if hours is not None:
            row.values["weekly_hours"] = hours
        for key in ("opened", "closed"):
            value = read(key, a_date(today))
            if value:
                row.values[key] = value
        housing = read("housing", yes_no)
        if housing is not None:
            row.values["housing"] = housing
        comment = read("comment", text(2000))
        if comment:
            row.values["comment"] = comment
        opened, closed = row.values.get("opened"), row.values.get("closed")
        if opened and closed and closed < opened:
            problem("closed", f"дата закрытия раньше даты открытия ({opened:%d.%m.%Y})")

    def key(self, item, school):
        subject = item.values.get("subject")
        return (item.row.school.pk, item.values["position"].pk, subject.pk if subject else None,
                item.values["opened"])

    def existing(self, items, school, plan):
        ids = {item.row.school.pk for item in items}
        return {(v.school_id, v.position_id, v.subject_id, v.opened): v
                for v in Vacancy.objects.filter(school_id__in=ids)}

    def check(self, item, merged, problem):
        opened, closed = item.values.get("opened"), merged.get("closed")
        if opened and closed and closed < opened:
            if not any("дата закрытия" in p.message for p in item.row.problems):
                problem("closed", f"дата закрытия раньше даты открытия ({opened:%d.%m.%Y})")

    def new(self, item, school):
        return Vacancy(school=item.row.school, **item.values)

    def person_text(self, item):
        return str(item.values["position"]) + (f" ({item.values['subject']})" if item.values.get("subject") else "")

    def describe(self, item):
        text_value = f"{item.row.school}, с {item.values['opened']:%d.%m.%Y}"
        if item.values.get("weekly_hours") is not None:
            hours = item.values["weekly_hours"]
            hours = hours.normalize() if hasattr(hours, "normalize") else hours
            text_value += f", {format(hours, 'f').replace('.', ',')} ч/нед"
        return text_value

    def log_school(self, target, user):
        if target is None and scoping.is_school_head(user):
            return user.school
        return target

    def target_text(self, target):
        return str(target) if target is not None else "ОО по столбцу «ОО»"

    def reference_lists(self):
        return {
            "position": list(Position.objects.order_by("order", "name").values_list("name", flat=True)),
            "subject": list(Subject.objects.order_by("order", "name").values_list("name", flat=True)),
            "housing": ["да", "нет"],
        }

    def instruction(self):
        return [("Вакансия", "Вакансия находится по ОО, должности, предмету и дате открытия; повторная загрузка "
                             "может проставить дату закрытия."),
                ("ОО", "Вакансии нескольких ОО — одним листом: ОО каждой строки в столбце «ОО» (краткое или полное "
                       "наименование), поле «ОО» при загрузке оставьте пустым. Руководитель ОО загружает только "
                       "вакансии своей ОО.")]
