"""Course completions (КПК, переподготовка) as a certificate of qualification upgrade records them.

Stands alone: each row finds or creates the course event (programme, provider, dates, hours) in the chosen
municipality and the person's participation with the document's number and date.
"""
from datetime import date

from django.db.models import F

from teachers import scoping
from teachers.models import Event, EventKind, EventLevel, Municipality, Participation

from ..columns import Column, ColumnSet
from ..lookups import Lookup, reference_options
from ..values import norm_key
from .base import Context, Kind
from .common import NUMBER, a_date, hours, people, text

KIND_ALIASES = {
    "курсы": "course", "кпк": "course", "пк": "course", "повышение квалификации": "course", "курсы пк": "course",
    "переподготовка": "retraining", "пп": "retraining", "ппк": "retraining", "проф переподготовка": "retraining",
    "профпереподготовка": "retraining",
}

COLUMNS = ColumnSet([
    *people(),
    Column("title", "Программа", ("Название программы", "Наименование программы", "Тема курсов", "Тема",
                                  "Наименование курсов", "Программа повышения квалификации", "Название курсов",
                                  "Наименование дополнительной профессиональной программы", "Курсы"),
           required=True, width=44, example="Реализация требований обновлённых ФГОС ООО"),
    Column("event_kind", "Вид обучения", ("Вид", "Вид программы", "Тип обучения", "Форма обучения (вид)"),
           kind="list", width=22, note="«курсы повышения квалификации» или «профессиональная переподготовка»; "
           "пусто — курсы.", example="курсы повышения квалификации"),
    Column("hours", "Часов", ("Объём, ч", "Объем, ч", "Объём часов", "Объем часов", "Количество часов",
                              "Кол-во часов", "Объём программы", "Объем программы", "Часы", "Объём (часов)"),
           kind="decimal", required=True, width=9, example=72),
    Column("organizer", "Организация", ("Организация, проводившая обучение", "Место прохождения",
                                        "Где обучался", "Образовательная организация", "Провайдер", "Организатор",
                                        "Место прохождения курсов", "Наименование организации"),
           width=36, example="ГБОУ ИРО Краснодарского края"),
    Column("start_date", "Дата начала", ("Начало обучения", "Начало", "Дата начала обучения", "С"), kind="date",
           width=13, note="Пусто — как дата окончания.", example="10.02.2025"),
    Column("end_date", "Дата окончания", ("Окончание обучения", "Окончание", "Дата окончания обучения", "По",
                                          "Дата окончания курсов"), kind="date", required=True, width=13,
           example="21.02.2025"),
    Column("certificate", "Номер удостоверения", ("Удостоверение №", "№ удостоверения", "Номер документа",
                                                  "Регистрационный номер", "Номер диплома", "Удостоверение",
                                                  "Документ", "Серия и номер документа"),
           width=22, example="231200123456"),
    Column("certificate_date", "Дата выдачи", ("Дата выдачи удостоверения", "Дата документа",
                                               "Дата выдачи документа"), kind="date", width=13,
           example="21.02.2025"),
    Column("level", "Уровень", ("Уровень мероприятия", "Уровень курсов"), kind="list", width=16,
           note="Пусто — региональный.", example="региональный"),
    NUMBER,
], ["fio", "birth_date", "snils", "title", "event_kind", "hours", "organizer", "start_date", "end_date",
    "certificate", "certificate_date", "level"], "Курсы")

GROUPS = (EventKind.Group.COURSE, EventKind.Group.RETRAINING)


def _municipalities(user):
    return scoping.municipalities_for(user).order_by("name")


class CourseCompletions(Kind):
    code = "courses"
    title = "Прохождение курсов"
    description = ("Курсы повышения квалификации и переподготовка по удостоверениям: программа, часы, организация, "
                   "номер и дата документа. Курс находится или создаётся сам.")
    columns = COLUMNS
    model = Participation
    context = Context("municipality", "Муниципалитет", _municipalities)
    value_fields = ("certificate", "certificate_date")
    record_word = ("удостоверение", "удостоверения", "удостоверений")

    def references(self):
        kinds = [k for k in EventKind.objects.filter(group__in=GROUPS).order_by("order")]
        return {
            "kind": Lookup("Вид обучения", [(k, k.name, k.code) for k in kinds], KIND_ALIASES),
            "default_kind": next((k for k in kinds if k.code == "course"), kinds[0] if kinds else None),
            "level": Lookup("Уровни", reference_options(EventLevel)),
            "default_level": EventLevel.objects.filter(code="regional").first() or EventLevel.objects.first(),
        }

    def parse(self, row, read, problem, refs, municipality):
        today = date.today()
        title = read("title", text(400))
        kind = read("event_kind", refs["kind"]) or refs["default_kind"]
        level = read("level", refs["level"]) or refs["default_level"]
        volume = read("hours", hours)
        organizer = read("organizer", text(300)) or ""
        given_start = read("start_date", a_date(today))
        end = read("end_date", a_date(today))
        start = given_start or end
        number = read("certificate", text(200))
        issued = read("certificate_date", a_date(today))
        if start and end and start > end:
            problem("start_date" if "start_date" in row.raw else "end_date",
                    f"дата начала позже даты окончания ({end:%d.%m.%Y})")
        if end and end > today:
            problem("end_date", "дата окончания в будущем — загружаются пройденные курсы")
        if issued and start and issued < start:
            problem("certificate_date", f"документ выдан раньше начала обучения ({start:%d.%m.%Y})")
        if not (title and end and kind):
            return
        row.event = {"title": title, "organizer": organizer, "kind": kind, "level": level, "start_date": start,
                     "end_date": end, "hours": volume}
        row.event_key = (norm_key(title), norm_key(organizer), kind.pk, start, end)
        row.start_given = given_start is not None
        if number:
            row.values["certificate"] = number
        if issued:
            row.values["certificate_date"] = issued

    def prepare(self, plan, municipality, user):
        rows = [row for row in plan.rows if row.ok and hasattr(row, "event_key")]
        ends = {row.event_key[4] for row in rows}
        events = Event.objects.filter(municipality=municipality, kind__group__in=GROUPS, end_date__in=ends)
        if user is not None:
            events = scoping.scoped(user, events)
        # A school's own copy is its head's to edit or delete: only that head's people join it. The district's
        # course (no school) is joined by everyone and comes first.
        head = user is not None and scoping.is_school_head(user)
        found, copies, by_end = {}, {}, {}
        for event in events.order_by(F("school").asc(nulls_first=True), "pk"):
            key = (norm_key(event.title), norm_key(event.organizer), event.kind_id, event.start_date, event.end_date)
            copies.setdefault(key, []).append(event.pk)
            by_end.setdefault(key[:3] + key[4:], set()).add(key)
            if event.school_id is None or head:
                found.setdefault(key, event)
        for row in rows:
            if not row.start_given and row.event_key not in copies:
                # No start date in the file: the one stored course with the same end date is meant.
                same = by_end.get(row.event_key[:3] + row.event_key[4:], set())
                if len(same) == 1:
                    row.event_key = next(iter(same))
                    row.event = {**row.event, "start_date": row.event_key[3]}
        new = {}
        for row in rows:
            row.new_event = row.event_key not in found
            if row.new_event and row.event_key not in new:
                new[row.event_key] = row.event
        plan.extra["events"] = found
        plan.extra["copies"] = copies
        plan.extra["new_events"] = new

    def extra_counts(self, plan):
        # Courses created are those some new participation needs (a person already in a school's copy needs none).
        wanted = {item.row.event_key for item in plan.items if item.action == "create"}
        return {"events_created": len([key for key in plan.extra.get("new_events", {}) if key in wanted])}

    def key(self, item, municipality):
        return (item.row.event_key, item.values["teacher_id"])

    def existing(self, items, municipality, plan):
        """A person's completion already stored in any copy of the course (the district's or a school's) is the
        one a row updates — the district's import does not add a second one beside a school's."""
        found = {}
        by_event = {}
        for item in items:
            for pk in plan.extra["copies"].get(item.row.event_key, ()):
                by_event.setdefault(pk, item.row.event_key)
        if not by_event:
            return found
        ids = {item.values["teacher_id"] for item in items}
        order = {pk: i for key in plan.extra["copies"] for i, pk in enumerate(plan.extra["copies"][key])}
        stored = Participation.objects.filter(event_id__in=list(by_event), teacher_id__in=list(ids))
        for participation in sorted(stored, key=lambda p: order[p.event_id]):
            found.setdefault((by_event[participation.event_id], participation.teacher_id), participation)
        return found

    def before_write(self, plan, user, reason, now):
        from simple_history.utils import bulk_create_with_history

        municipality = plan.target
        school = user.school if user is not None and scoping.is_school_head(user) else None
        wanted = {item.row.event_key for item in plan.items if item.action == "create"}
        new = [Event(municipality=municipality, school=school, **values)
               for key, values in plan.extra["new_events"].items() if key in wanted]
        keys = [key for key in plan.extra["new_events"] if key in wanted]
        if new:
            bulk_create_with_history(new, Event, batch_size=1000, default_user=user, default_change_reason=reason,
                                     default_date=now)
        events = dict(plan.extra["events"])
        events.update(zip(keys, new))
        for item in plan.items:
            item.row.event_obj = events[item.row.event_key]

    def new(self, item, municipality):
        return Participation(event=item.row.event_obj, role=Participation.Role.PARTICIPANT, **item.values)

    def describe(self, item):
        event = item.row.event
        text_value = f"{event['title']}, {event['hours']} ч" if event.get("hours") else event["title"]
        if event["organizer"]:
            text_value += f", {event['organizer']}"
        text_value += f" ({event['start_date']:%d.%m.%Y}–{event['end_date']:%d.%m.%Y})"
        if item.row.new_event and item.action == "create":
            text_value += " — новый курс"
        return text_value

    def reference_lists(self):
        return {
            "event_kind": list(EventKind.objects.filter(group__in=GROUPS).order_by("order").values_list("name",
                                                                                                       flat=True)),
            "level": list(EventLevel.objects.order_by("rank").values_list("name", flat=True)),
        }

    def target_text(self, target):
        return target.name if isinstance(target, Municipality) else str(target)

    def instruction(self):
        return [
            ("Курс", "Курс находится по программе, организации, виду и датам обучения (регистр и «ё» не важны; "
                     "без даты начала — по дате окончания). Сначала ищется курс района, у руководителя ОО — затем "
                     "курс своей ОО; если такого нет — создаётся (руководителем — как курс своей ОО). Одна строка — "
                     "одно удостоверение; уже внесённое удостоверение педагога в любом экземпляре курса не "
                     "дублируется."),
            ("Документ", "Номер и дата удостоверения (диплома) сохраняются в участии педагога в курсе."),
        ]
