"""Participants of an event or contest (role, result, document), imported into an event."""
from teachers import scoping
from teachers.models import Event, Participation

from ..columns import Column, ColumnSet
from .base import Context, Kind
from .common import NUMBER, choices, people, text

ROLE_ALIASES = {
    "участница": "participant", "слушатель": "participant", "член": "participant",
    "докладчик": "speaker", "спикер": "speaker", "выступление": "speaker", "ведущий": "speaker",
    "победительница": "winner", "1 место": "winner", "i место": "winner", "абсолютный победитель": "winner",
    "призер": "prize", "призёрка": "prize", "лауреат": "prize", "2 место": "prize", "3 место": "prize",
    "ii место": "prize", "iii место": "prize", "член жюри": "expert", "жюри": "expert", "эксперт жюри": "expert",
    "автор": "author", "соавтор": "author",
}

COLUMNS = ColumnSet([
    *people(),
    Column("role", "Роль", ("Статус", "Статус участия", "Роль участника", "Форма участия"), kind="list", width=18,
           note="участник, выступающий, победитель, призёр, эксперт, автор публикации; пусто — участник.",
           example="призёр"),
    Column("result", "Результат", ("Итог", "Место", "Результат участия", "Итоги"), width=26, example="2 место"),
    Column("certificate", "Документ", ("Сертификат", "Диплом", "Номер сертификата", "Номер диплома",
                                       "Документ об участии"), width=22, example="Диплом № 15"),
    NUMBER,
], ["fio", "birth_date", "snils", "role", "result", "certificate"], "Участники")


def _events(user):
    return scoping.scoped(user, Event.objects.select_related("kind")).order_by("-start_date", "title")


class Participants(Kind):
    code = "participants"
    title = "Участники мероприятия или конкурса"
    description = "Список участников, победителей и призёров — в выбранное мероприятие (конкурс, семинар, форум)."
    columns = COLUMNS
    model = Participation
    context = Context("event", "Мероприятие", _events)
    value_fields = ("role", "result", "certificate")
    record_word = ("участие", "участия", "участий")

    def references(self):
        return {"role": choices("Роль", Participation.Role.choices, ROLE_ALIASES)}

    def parse(self, row, read, problem, refs, event):
        role = read("role", refs["role"])
        if role:
            row.values["role"] = role
        for key, limit in (("result", 300), ("certificate", 200)):
            value = read(key, text(limit))
            if value:
                row.values[key] = value

    def key(self, item, event):
        return item.values["teacher_id"]

    def existing(self, items, event, plan):
        ids = [item.key for item in items]
        return {p.teacher_id: p for p in Participation.objects.filter(event=event, teacher_id__in=ids)}

    def new(self, item, event):
        return Participation(event=event, **item.values)

    def describe(self, item):
        role = item.values.get("role") or (item.instance.role if item.instance else Participation.Role.PARTICIPANT)
        text_value = Participation.Role(role).label
        if item.values.get("result"):
            text_value += f", {item.values['result']}"
        return text_value

    def reference_lists(self):
        return {"role": [label for _, label in Participation.Role.choices]}

    def instruction(self):
        return [("Куда", "Участники загружаются в мероприятие, выбранное на странице загрузки; повторная загрузка "
                         "обновляет роль, результат и документ.")]
