"""Documents about people: план работы с молодыми педагогами (their mentors and events) and the printable ИОМ of one
teacher (the route and its activities), within what the owner may see."""
from datetime import date

from django.http import Http404
from django.utils import timezone

from teachers.models import Appointment, IndividualRoute, Mentorship, Participation
from teachers.personal_data import may_see_personal_data
from teachers.scoping import get_scoped_object_or_404, schools_for

from .base import JobError, municipality_for, year_of
from .bases import young_rows
from .gost import initials_surname, requisites
from .render import Sheet, display_rows, document, percent_widths, summary_sheet, workbook, xlsx_bytes


def build_young_plan(user, params, fmt, progress):
    municipality = municipality_for(user, params)
    year = year_of(params)
    today = timezone.localdate()
    on = min(date(year, 12, 31), today) if year <= today.year else today
    _m, on, rows = young_rows(user, {**params, "on": on.isoformat()})
    req = requisites(municipality, params)
    young = {r["teacher"].pk: r for r in rows}
    participations = (Participation.objects.filter(teacher_id__in=young, event__start_date__year=year)
                      .select_related("event__kind", "event__level", "teacher")
                      .order_by("event__start_date", "event__title"))
    events = {}
    for p in participations:
        events.setdefault(p.event, []).append(p.teacher)
    progress(60)
    event_rows = [[i, e.title, e.kind.name, _dates(e), e.organizer or e.level.name,
                   _people(ts)]
                  for i, (e, ts) in enumerate(events.items(), start=1)]
    pair_rows = [[i, r["teacher"].full_name, r["school"].short_name if r["school"] else "", r["position"],
                  r["experience"], r["school_mentor"] or "нет", r["municipal_mentor"] or "нет"]
                 for i, r in enumerate(rows, start=1)]
    title = f"План работы с молодыми педагогами на {year} год"
    name = f"plan-molodye-pedagogi-{year}"
    without = sum(1 for r in rows if not r["school_mentor"] and not r["municipal_mentor"])
    tasks = [
        "адаптация молодых педагогов в профессии и в коллективе ОО через закрепление школьного и муниципального "
        "наставников;",
        "участие молодых педагогов в методических мероприятиях, курсах повышения квалификации и конкурсах "
        "профессионального мастерства;",
        "мониторинг поддержки молодых педагогов и реализации программ наставничества.",
    ]
    pair_columns = [("№", 4, "num"), ("Молодой педагог", 22, "text"), ("ОО", 16, "text"), ("Должность", 16, "text"),
                    ("Педстаж, лет", 8, "num"), ("Школьный наставник", 17, "text"),
                    ("Муниципальный наставник", 17, "text")]
    event_columns = [("№", 4, "num"), ("Мероприятие", 32, "text"), ("Вид", 16, "text"), ("Сроки", 13, "nowrap"),
                     ("Ответственные", 15, "text"), ("Участники", 20, "text")]
    if fmt != "xlsx":
        return name, document("reports/young_plan.html", {
            "title": title, "municipality": municipality, "year": year, "on": on, "req": req, "tasks": tasks,
            "pairs": pair_rows, "pair_columns": percent_widths(pair_columns), "events": event_rows,
            "event_columns": percent_widths(event_columns),
            "young": len(rows), "without": without}, fmt, landscape=False)
    wb = workbook()
    summary_sheet(wb, title, [("Муниципалитет", str(municipality)), ("Год", year), ("Молодые педагоги на дату", on),
                              ("Молодых педагогов", len(rows)), ("Без наставника", without),
                              *[("Задача" if i == 0 else "", t) for i, t in enumerate(tasks)],
                              ("Утверждает", f"{req.signer_title} {req.signer}".strip())])
    for sheet_title, columns, data in (("Наставничество", pair_columns, pair_rows),
                                       ("Мероприятия", event_columns, event_rows)):
        sheet = Sheet(wb, sheet_title, [(h, "wrap" if k == "text" else ("int" if k == "num" else "text"),
                                         max(6, int(w * 1.2))) for h, w, k in columns])
        for row in data:
            sheet.append(row)
        sheet.finish()
    return name, xlsx_bytes(wb)


def _people(teachers, limit=4):
    """Up to `limit` names, then a count: a row of an RMO meeting with thirty young teachers stays a row."""
    names = [t.short_name for t in sorted(teachers, key=lambda t: (t.last_name, t.first_name))]
    if len(names) <= limit:
        return ", ".join(names)
    return f"{len(names)} чел.: " + ", ".join(names[:limit]) + " и др."


def _dates(event):
    if event.end_date and event.end_date != event.start_date:
        return f"{event.start_date:%d.%m.%Y} – {event.end_date:%d.%m.%Y}"
    return f"{event.start_date:%d.%m.%Y}"


def route_for(user, params):
    """The ИОМ named in params, through the owner's scope (teachers.scoping): JobError for an outsider."""
    try:
        pk = int(params.get("route"))
    except (TypeError, ValueError):
        raise JobError("Укажите ИОМ.") from None
    try:
        return get_scoped_object_or_404(
            user, IndividualRoute.objects.select_related("teacher__category", "diagnostic_result__campaign"), pk=pk)
    except Http404:
        raise JobError("ИОМ не найден или недоступен вам.") from None


def build_route(user, params, fmt, progress):
    route = route_for(user, params)
    teacher = route.teacher
    on = timezone.localdate()
    here = list(Appointment.objects.filter(teacher=teacher, school__in=schools_for(user))
                .active_on(on).select_related("school", "position").order_by("school__short_name"))
    if not here:  # a school the person has left keeps its history: the last appointment there
        here = list(Appointment.objects.filter(teacher=teacher, school__in=schools_for(user))
                    .select_related("school", "position").order_by("-start")[:1])
    activities = list(route.activities.select_related("deficit_area", "participation__event").order_by(
        "planned_date", "pk"))
    deficits = list(route.diagnostic_result.deficit_areas.all()) if route.diagnostic_result else []
    mentors = list(Mentorship.objects.active_on(on).filter(mentee=teacher).select_related("mentor"))
    progress(60)
    personal = may_see_personal_data(user, teacher)
    school = here[0].school if here else None
    info = [
        ("Педагог", teacher.full_name),
        ("ОО", "; ".join(a.school.full_name or a.school.short_name for a in here)),
        ("Должность", ", ".join(sorted({a.position.name for a in here}))),
        ("Квалификационная категория", teacher.category.name if teacher.category else "без категории"),
        ("Педагогический стаж, лет", teacher.ped_experience_on(on)),
    ]
    if personal and (teacher.email or teacher.phone):
        info.append(("Контакты", ", ".join(x for x in (teacher.email, teacher.phone) if x)))
    if route.diagnostic_result:
        c = route.diagnostic_result.campaign
        info.append(("Основание", f"диагностика «{c.title}», {c.end_date:%d.%m.%Y}"))
    if deficits:
        info.append(("Выявленные дефициты", "; ".join(d.name for d in deficits)))
    if mentors:
        info.append(("Наставник", ", ".join(m.mentor.full_name for m in mentors)))
    info += [("Цель", route.goal or "—"), ("Утверждён", f"{route.approved_on:%d.%m.%Y}"),
             ("Статус", route.get_status_display())]
    columns = [("№", 4, "num"), ("Мероприятие", 38, "text"), ("Дефицит", 22, "text"), ("Плановый срок", 11, "nowrap"),
               ("Выполнено", 11, "nowrap"), ("Подтверждение", 14, "text")]
    rows = [[i, a.title, a.deficit_area.name if a.deficit_area else "", a.planned_date,
             a.done_on or "", _proof(a)] for i, a in enumerate(activities, start=1)]
    done = sum(1 for a in activities if a.done_on)
    title = f"Индивидуальный образовательный маршрут педагога на {route.year} год"
    name = f"iom-{route.pk}-{route.year}"
    signatures = [("Педагог", initials_surname(teacher.full_name))]
    if mentors:
        signatures.append(("Наставник", initials_surname(mentors[0].mentor.full_name)))
    signatures.append(("Руководитель ОО", initials_surname(school.head_name) if school and school.head_name else ""))
    if fmt != "xlsx":
        return name, document("reports/route.html", {
            "title": title, "footer": f"ИОМ: {teacher.short_name}, {route.year} год", "route": route,
            "info": info, "columns": percent_widths(columns), "rows": display_rows(rows), "done": done, "total": len(activities),
            "signatures": signatures, "school": school}, fmt)
    wb = workbook()
    summary_sheet(wb, title, [*info, ("Выполнено мероприятий", f"{done} из {len(activities)}")])
    sheet = Sheet(wb, "Мероприятия ИОМ", [("№", "int", 5), ("Мероприятие", "wrap", 44), ("Дефицит", "wrap", 26),
                                          ("Плановый срок", "date", 12), ("Выполнено", "date", 12),
                                          ("Подтверждение", "wrap", 24)], caption=f"{title}: {teacher.full_name}")
    for row in rows:
        sheet.append([None if v == "" else v for v in row])
    sheet.finish()
    return name, xlsx_bytes(wb)


def _proof(activity):
    p = activity.participation
    if not p:
        return ""
    return p.event.title + (f" ({p.certificate})" if p.certificate else "")
