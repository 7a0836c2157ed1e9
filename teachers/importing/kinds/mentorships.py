"""Mentorship pairs: mentor + mentee, level, dates and the order that assigned them."""
from datetime import date

from teachers.models import Mentorship

from ..columns import Column, ColumnSet
from .base import Kind
from .common import NUMBER, a_date, choices, people, text

LEVEL_ALIASES = {"школа": "school", "оо": "school", "школьное": "school", "муниципальное": "municipal",
                 "район": "municipal", "районный": "municipal", "муниципалитет": "municipal"}

COLUMNS = ColumnSet([
    *people("mentor_", "наставника"),
    *people("mentee_", "наставляемого"),
    Column("level", "Уровень", ("Уровень наставничества",), kind="list", width=16,
           note="школьный или муниципальный; пусто — школьный.", example="школьный"),
    Column("start", "Дата начала", ("Дата закрепления", "Начало", "С", "Дата начала наставничества"),
           kind="date", required=True, width=14, example="01.09.2025"),
    Column("end", "Дата окончания", ("Окончание", "По", "Дата окончания наставничества"), kind="date", width=14),
    Column("document", "Приказ", ("Приказ о закреплении", "Номер приказа", "Документ", "Основание"), width=24,
           example="Приказ № 112 от 29.08.2025"),
    NUMBER,
], ["mentor_fio", "mentor_birth_date", "mentor_snils", "mentee_fio", "mentee_birth_date", "mentee_snils", "level",
    "start", "end", "document"], "Наставничество", persons=("mentor_", "mentee_"))


class Mentorships(Kind):
    code = "mentorships"
    title = "Пары наставничества"
    description = "Наставник и наставляемый, уровень, даты и приказ о закреплении."
    columns = COLUMNS
    model = Mentorship
    value_fields = ("level", "end", "document")
    record_word = ("пара", "пары", "пар")

    def references(self):
        return {"level": choices("Уровень", Mentorship.Level.choices, LEVEL_ALIASES)}

    def needs_held(self, slot):
        # The record belongs to the mentee (scope_person_field); the mentor need only be visible.
        return slot == "mentee_"

    def person_field(self, slot):
        return f"{slot[:-1]}_id"

    def parse(self, row, read, problem, refs, target):
        level = read("level", refs["level"])
        if level:
            row.values["level"] = level
        for key in ("start", "end"):
            value = read(key, a_date(date.today()))
            if value:
                row.values[key] = value
        document = read("document", text(200))
        if document:
            row.values["document"] = document

    def key(self, item, target):
        return (item.values["mentor_id"], item.values["mentee_id"], item.values.get("start"))

    def existing(self, items, target, plan):
        ids = {item.values["mentee_id"] for item in items}
        return {(m.mentor_id, m.mentee_id, m.start): m for m in Mentorship.objects.filter(mentee_id__in=list(ids))}

    def check(self, item, merged, problem):
        if item.values["mentor_id"] == item.values["mentee_id"]:
            problem("mentee_fio" if "mentee_fio" in item.row.raw else "mentee_snils",
                    "наставник и наставляемый — один и тот же человек")
        start, end = item.values.get("start"), merged.get("end")
        if start and end and end < start:
            problem("end", f"дата окончания раньше даты начала ({start:%d.%m.%Y})")

    def new(self, item, target):
        values = dict(item.values)
        values.setdefault("level", Mentorship.Level.SCHOOL)
        return Mentorship(**values)

    def describe(self, item):
        level = Mentorship.Level(item.values.get("level") or Mentorship.Level.SCHOOL).label
        return f"{level}, с {item.values['start']:%d.%m.%Y}" if item.values.get("start") else level

    def reference_lists(self):
        return {"level": [label for _, label in Mentorship.Level.choices]}

    def instruction(self):
        return [("Пара", "Одна строка — одна пара. Наставник и наставляемый находятся по СНИЛС, иначе по ФИО и дате "
                         "рождения; руководитель ОО закрепляет наставника за педагогом своей ОО.")]
