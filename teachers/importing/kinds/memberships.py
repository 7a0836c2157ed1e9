"""Members of an association (РМО, ШМО, тьюторский клуб): role and dates, imported into an association."""
from teachers import scoping
from teachers.models import Association, Membership

from ..columns import Column, ColumnSet
from .base import Context, Kind
from .common import NUMBER, a_date, choices, people

ROLE_ALIASES = {
    "руководитель рмо": "leader", "председатель": "leader", "руководитель шмо": "leader", "рук": "leader",
    "член": "member", "член рмо": "member", "участница": "member", "педагог": "member", "тьютер": "tutor",
    "эксперт рмо": "expert",
}

COLUMNS = ColumnSet([
    *people(),
    Column("role", "Роль", ("Роль в объединении", "Статус", "Должность в объединении"), kind="list", width=16,
           note="руководитель, тьютор, эксперт, участник; пусто — участник.", example="участник"),
    Column("start", "Дата включения", ("Дата вступления", "Включён с", "Включен с", "Дата начала", "С",
                                       "Дата включения в состав"), kind="date", required=True, width=14,
           example="01.09.2025"),
    Column("end", "Дата выхода", ("Дата исключения", "Дата окончания", "По", "Исключён"), kind="date", width=14),
    NUMBER,
], ["fio", "birth_date", "snils", "role", "start", "end"], "Состав")


def _associations(user):
    return scoping.scoped(user, Association.objects.filter(is_active=True)).order_by("name")


class Memberships(Kind):
    code = "memberships"
    title = "Состав методического объединения"
    description = "Участники РМО, ШМО, тьюторского клуба с ролями и датами — в выбранное объединение."
    columns = COLUMNS
    model = Membership
    context = Context("association", "Объединение", _associations)
    value_fields = ("end",)
    record_word = ("участник", "участника", "участников")

    def references(self):
        return {"role": choices("Роль", Membership.Role.choices, ROLE_ALIASES)}

    def parse(self, row, read, problem, refs, association):
        from datetime import date

        row.values["role"] = read("role", refs["role"]) or Membership.Role.MEMBER
        start = read("start", a_date(date.today()))
        end = read("end", a_date(date.today()))
        if start:
            row.values["start"] = start
        if end:
            row.values["end"] = end

    def key(self, item, association):
        return (item.values["teacher_id"], item.values["role"], item.values.get("start"))

    def existing(self, items, association, plan):
        ids = {item.values["teacher_id"] for item in items}
        return {(m.teacher_id, m.role, m.start): m for m in
                Membership.objects.filter(association=association, teacher_id__in=list(ids))}

    def check(self, item, merged, problem):
        start, end = item.values.get("start") or merged.get("start"), merged.get("end")
        if start is None:
            return
        if end and end < start:
            problem("end" if "end" in item.values else "start", f"дата выхода раньше даты включения ({start:%d.%m.%Y})")

    def new(self, item, association):
        return Membership(association=association, **item.values)

    def describe(self, item):
        text_value = Membership.Role(item.values["role"]).label
        if item.values.get("start"):
            text_value += f" с {item.values['start']:%d.%m.%Y}"
        if item.values.get("end"):
            text_value += f" по {item.values['end']:%d.%m.%Y}"
        return text_value

    def reference_lists(self):
        return {"role": [label for _, label in Membership.Role.choices]}

    def instruction(self):
        return [("Куда", "Участники загружаются в объединение, выбранное на странице загрузки. Запись находится по "
                         "педагогу, роли и дате включения; повторная загрузка может проставить дату выхода.")]
