"""База вакансий and база молодых педагогов и наставников: lists as of a date, within what the owner may see."""

from django.db.models import Prefetch

from teachers.models import Appointment, Mentorship, Teacher, Vacancy
from teachers.scoping import schools_for

from .base import date_of, municipality_for
from .render import Sheet, document, summary_sheet, workbook, xlsx_bytes


def _schools(user, params):
    municipality = municipality_for(user, params)
    schools = schools_for(user).filter(municipality=municipality, is_active=True)
    return municipality, schools


def vacancy_rows(user, params):
    municipality, schools = _schools(user, params)
    on = date_of(params)
    vacancies = (Vacancy.objects.open_on(on).filter(school__in=schools)
                 .select_related("school__cluster", "position", "subject").order_by("school__short_name", "opened"))
    vacancies = list(vacancies)
    for v in vacancies:
        v.days_open = (on - v.opened).days
    return municipality, on, vacancies


def build_vacancies(user, params, fmt, progress):
    municipality, on, vacancies = vacancy_rows(user, params)
    progress(40)
    title = f"База вакансий на {on:%d.%m.%Y}"
    name = f"vakansii-{on:%Y-%m-%d}"
    hours = sum((v.weekly_hours or 0) for v in vacancies)
    if fmt != "xlsx":
        schools = sorted({v.school for v in vacancies}, key=lambda s: s.short_name)
        return name, document("reports/vacancies.html", {
            "title": title, "municipality": municipality, "on": on, "vacancies": vacancies, "hours": hours,
            "schools": len(schools), "housing": sum(1 for v in vacancies if v.housing),
        }, fmt)
    wb = workbook()
    summary_sheet(wb, title, [("Муниципалитет", str(municipality)), ("Дата", on),
                              ("Открытых вакансий", len(vacancies)), ("ОО с вакансиями", len({v.school_id for v in vacancies})),
                              ("Часов в неделю всего", float(hours)),
                              ("Откуда", "Учёт вакансий ОО: открыта на дату и не закрыта до неё.")])
    sheet = Sheet(wb, "Вакансии", [("ОО", "text", 34), ("Кластер", "text", 10), ("Должность", "text", 26),
                                   ("Предмет", "text", 22), ("Нагрузка, ч/нед", "decimal", 10),
                                   ("Открыта", "date", 12), ("Открыта дней", "int", 10), ("Жильё", "text", 8),
                                   ("Комментарий", "wrap", 40)])
    for v in vacancies:
        sheet.append([v.school.short_name, v.school.cluster.short_name, v.position.name,
                      v.subject.name if v.subject else "", v.weekly_hours, v.opened, v.days_open,
                      "да" if v.housing else "нет", v.comment])
    sheet.finish()
    return name, xlsx_bytes(wb)


def young_rows(user, params):
    municipality, schools = _schools(user, params)
    on = date_of(params)
    mentorships = Mentorship.objects.active_on(on).select_related("mentor").order_by("level", "start")
    appointments = Appointment.objects.active_on(on).filter(school__in=schools).select_related("school", "position")
    teachers = (Teacher.objects.active_on(on, schools=schools).young_specialists(on)
                .select_related("category")
                .prefetch_related(Prefetch("mentors", queryset=mentorships, to_attr="active_mentors"),
                                  Prefetch("appointments", queryset=appointments, to_attr="here"))
                .order_by("last_name", "first_name", "middle_name"))
    rows = []
    for t in teachers:
        school = [m for m in t.active_mentors if m.level == Mentorship.Level.SCHOOL]
        municipal = [m for m in t.active_mentors if m.level == Mentorship.Level.MUNICIPAL]
        first = t.here[0] if t.here else None
        rows.append({"teacher": t, "school": first.school if first else None,
                     "position": ", ".join(sorted({a.position.name for a in t.here})),
                     "experience": t.ped_experience_on(on), "school_mentor": ", ".join(m.mentor.full_name for m in school),
                     "municipal_mentor": ", ".join(m.mentor.full_name for m in municipal),
                     "both": bool(school and municipal)})
    rows.sort(key=lambda r: (r["school"].short_name if r["school"] else "", r["teacher"].last_name))
    return municipality, on, rows


def build_young(user, params, fmt, progress):
    municipality, on, rows = young_rows(user, params)
    progress(50)
    title = f"База молодых педагогов и наставников на {on:%d.%m.%Y}"
    name = f"molodye-pedagogi-{on:%Y-%m-%d}"
    both = sum(1 for r in rows if r["both"])
    none = sum(1 for r in rows if not r["school_mentor"] and not r["municipal_mentor"])
    if fmt != "xlsx":
        return name, document("reports/young.html", {"title": title, "municipality": municipality, "on": on,
                                                 "rows": rows, "both": both, "none": none}, fmt)
    wb = workbook()
    summary_sheet(wb, title, [("Муниципалитет", str(municipality)), ("Дата", on),
                              ("Молодых специалистов", len(rows)), ("С двумя наставниками (школьным и муниципальным)", both),
                              ("Без наставника", none),
                              ("Молодой специалист", "педагогический стаж менее 3 лет на дату (основная или совместительская "
                                                     "должность в ОО на дату)")])
    sheet = Sheet(wb, "Молодые педагоги", [("ФИО", "text", 32), ("ОО", "text", 30), ("Должность", "text", 24),
                                           ("Педстаж, лет", "int", 8), ("Категория", "text", 16),
                                           ("Школьный наставник", "text", 30), ("Муниципальный наставник", "text", 30)])
    for r in rows:
        t = r["teacher"]
        sheet.append([t.full_name, r["school"].short_name if r["school"] else "", r["position"], r["experience"],
                      t.category.name if t.category else "", r["school_mentor"], r["municipal_mentor"]])
    sheet.finish()
    return name, xlsx_bytes(wb)
