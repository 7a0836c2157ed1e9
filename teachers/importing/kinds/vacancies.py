"""Vacancies of a school: position, subject, hours, dates, housing."""
from datetime import date

from teachers import scoping
from teachers.models import Position, Subject, Vacancy

from ..columns import Column, ColumnSet
from ..lookups import References
from ..values import parse_decimal
from .base import Context, Kind
from .common import NUMBER, a_date, text, yes_no

COLUMNS = ColumnSet([
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
], ["position", "subject", "weekly_hours", "opened", "closed", "housing", "comment"], "Вакансии", persons=())


def _schools(user):
    return scoping.writable_schools(user).order_by("short_name")


class Vacancies(Kind):
    code = "vacancies"
    title = "Вакансии"
    description = "Вакантные должности ОО с предметом, нагрузкой, датами и жильём."
    columns = COLUMNS
    model = Vacancy
    context = Context("school", "ОО", _schools)
    value_fields = ("weekly_hours", "closed", "housing", "comment")
    record_word = ("вакансия", "вакансии", "вакансий")

    def references(self):
        refs = References()
        return {"position": refs.position, "subject": refs.subject}

    def parse(self, row, read, problem, refs, school):
        today = date.today()
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
        return (item.values["position"].pk, subject.pk if subject else None, item.values["opened"])

    def existing(self, items, school, plan):
        return {(v.position_id, v.subject_id, v.opened): v for v in Vacancy.objects.filter(school=school)}

    def check(self, item, merged, problem):
        opened, closed = item.values.get("opened"), merged.get("closed")
        if opened and closed and closed < opened:
            if not any("дата закрытия" in p.message for p in item.row.problems):
                problem("closed", f"дата закрытия раньше даты открытия ({opened:%d.%m.%Y})")

    def new(self, item, school):
        return Vacancy(school=school, **item.values)

    def person_text(self, item):
        return str(item.values["position"]) + (f" ({item.values['subject']})" if item.values.get("subject") else "")

    def describe(self, item):
        text_value = f"с {item.values['opened']:%d.%m.%Y}"
        if item.values.get("weekly_hours") is not None:
            text_value += f", {str(item.values['weekly_hours']).replace('.', ',')} ч/нед"
        return text_value

    def log_school(self, target, user):
        return target

    def reference_lists(self):
        return {
            "position": list(Position.objects.order_by("order", "name").values_list("name", flat=True)),
            "subject": list(Subject.objects.order_by("order", "name").values_list("name", flat=True)),
            "housing": ["да", "нет"],
        }

    def instruction(self):
        return [("Вакансия", "Вакансия находится по должности, предмету и дате открытия; повторная загрузка может "
                             "проставить дату закрытия.")]
