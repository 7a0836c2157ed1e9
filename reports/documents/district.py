"""The district office's other documents named in the seeds, each from live records and the monitoring calendar:
письма о проведении мониторинга и опроса, приказы о результатах диагностики, о закреплении наставников, об итогах
работы РМО и конкурсов.

Deadlines come from the municipality's monitoring calendar (gost.deadline / gost.window_deadline); when the
calendar has no stage or window that fits, the text names no date."""
from collections import Counter, defaultdict
from datetime import date

from django.db.models import Count, Q
from django.utils import timezone

from monitoring.models import DirectionWindow, MonitoringYear, Stage
from teachers.models import (Appointment, Association, DiagnosticResult, EventKind, IndividualRoute,
                             Membership, Mentorship, Participation, Teacher)
from teachers.scoping import schools_for

from .base import date_of, municipality_for, year_of
from .gost import Appendix, deadline, order_document, requisites, window_deadline
from .render import document

CONTROL = "Контроль за исполнением настоящего приказа оставляю за собой."


def _scope(user, params):
    municipality = municipality_for(user, params)
    schools = schools_for(user).filter(municipality=municipality, is_active=True)
    return municipality, schools


def _year_end(year):
    return min(date(year, 12, 31), timezone.localdate())


def _schools_of(teacher_ids, schools, on):
    """{teacher id: [school short names]} of the teachers' appointments at `schools` on the date."""
    out = defaultdict(list)
    for a in (Appointment.objects.active_on(on).filter(school__in=schools, teacher_id__in=teacher_ids)
              .select_related("school").order_by("school__short_name")):
        if a.school.short_name not in out[a.teacher_id]:
            out[a.teacher_id].append(a.school.short_name)
    return out


# -- письма ----------------------------------------------------------------------------------------------------

def _letter(name, fmt, *, municipality, req, heading, paragraphs):
    """paragraphs: texts, and tables as {"caption", "columns": [(header, width)], "rows"} where they belong."""
    return name, document("reports/gost_letter.html", {
        "title": f"Письмо «{heading}»", "heading": heading, "req": req, "paragraphs": paragraphs,
        "municipality": municipality,
        "addressee": f"Руководителям общеобразовательных организаций {municipality.short_name or municipality}",
    }, fmt, gost=True)


def build_letter(user, params, fmt, progress):
    """Письмо о проведении мониторинга: the year's stages and direction windows from the calendar."""
    municipality = municipality_for(user, params)
    year = year_of(params)
    req = requisites(municipality, params)
    my = MonitoringYear.objects.filter(municipality=municipality, year=year).first()
    stages = list(Stage.objects.filter(monitoring_year=my).order_by("start")) if my else []
    windows = list(DirectionWindow.objects.filter(monitoring_year=my).select_related("direction")
                   .order_by("start", "direction__order")) if my else []
    progress(60)
    main = next((s for s in stages if s.kind == Stage.Kind.MAIN), None)
    heading = f"О проведении мониторинга системы обеспечения профессионального развития педагогических работников в {year} году"
    paragraphs = [
        f"В соответствии с положением о муниципальной системе оценки качества образования {req.organisation} "
        f"информирует о проведении в {year} году мониторинга системы обеспечения профессионального развития "
        f"педагогических работников (далее — мониторинг).",
    ]
    if stages:
        paragraphs.append({"caption": "Мониторинг проводится в следующие этапы:", "columns": [("Этап", 22), ("Сроки", 22), ("Содержание", 56)],
                       "rows": [[f"{s.get_kind_display().capitalize()}", f"{s.start:%d.%m.%Y} – {s.end:%d.%m.%Y}",
                                 s.tasks] for s in stages]})
    if windows:
        paragraphs.append({"caption": "Сроки мониторинга по направлениям:",
                       "columns": [("Направление", 34), ("Что мониторим", 44), ("Сроки", 22)],
                       "rows": [[w.direction.name, w.subject, f"{w.start:%d.%m.%Y} – {w.end:%d.%m.%Y}"]
                                for w in windows]})
    if main and main.end >= req.date:
        paragraphs.append(f"Просим обеспечить внесение сведений о профессиональном развитии педагогических работников "
                          f"в систему МСОКО и сдачу отчётов ОО в срок до {main.end:%d.%m.%Y}.")
    else:
        paragraphs.append("Просим обеспечить своевременное внесение сведений о профессиональном развитии "
                          "педагогических работников в систему МСОКО и сдачу отчётов ОО.")
    if not stages:
        paragraphs.append("Календарь мониторинга на этот год ещё не утверждён; сроки этапов будут сообщены "
                          "дополнительно.")
    paragraphs.append("Ответственным за проведение мониторинга в ОО просим назначить заместителя руководителя, "
                      "курирующего методическую работу.")
    return _letter(f"pismo-monitoring-{year}", fmt, municipality=municipality, req=req, heading=heading,
                   paragraphs=paragraphs)


def build_survey_letter(user, params, fmt, progress):
    """Письмо о проведении опроса (диагностики профессиональных дефицитов): the deficits window of the year."""
    municipality = municipality_for(user, params)
    year = year_of(params)
    req = requisites(municipality, params)
    window = window_deadline(municipality, year, "deficits", req.date)
    campaigns = list(municipality.diagnostic_campaigns.filter(end_date__gte=req.date, start_date__year=year)
                     .order_by("start_date"))
    progress(60)
    heading = f"О проведении опроса педагогических работников по выявлению профессиональных дефицитов в {year} году"
    paragraphs = [
        f"В рамках мониторинга системы обеспечения профессионального развития педагогических работников "
        f"{req.organisation} проводит опрос (диагностику) педагогических работников по выявлению профессиональных "
        f"дефицитов.",
    ]
    if campaigns:
        paragraphs.append({"caption": "Запланированные диагностики:",
                       "columns": [("Диагностика", 50), ("Организатор", 22), ("Сроки", 28)],
                       "rows": [[c.title, c.get_organizer_display(), f"{c.start_date:%d.%m.%Y} – {c.end_date:%d.%m.%Y}"]
                                for c in campaigns]})
    if window:
        paragraphs.append(f"Просим обеспечить участие педагогических работников ОО в опросе в период с "
                          f"{window.start:%d.%m.%Y} по {window.end:%d.%m.%Y} и внести результаты в систему МСОКО "
                          f"до {window.end:%d.%m.%Y}.")
    else:
        paragraphs.append("Просим обеспечить участие педагогических работников ОО в опросе и внести результаты в "
                          "систему МСОКО; сроки опроса будут сообщены дополнительно.")
    paragraphs.append("По результатам опроса для педагогов с выявленными дефицитами разрабатываются "
                      "индивидуальные образовательные маршруты (ИОМ).")
    return _letter(f"pismo-opros-{year}", fmt, municipality=municipality, req=req, heading=heading,
                   paragraphs=paragraphs)


# -- приказы ---------------------------------------------------------------------------------------------------

def build_mentors_order(user, params, fmt, progress):
    """Приказ о закреплении наставников: the pairs active on the date, from the mentorship records."""
    municipality, schools = _scope(user, params)
    on = date_of(params)
    req = requisites(municipality, params)
    mentees = Teacher.objects.active_on(on, schools=schools)
    pairs = list(Mentorship.objects.active_on(on).filter(mentee__in=mentees)
                 .select_related("mentor", "mentee").order_by("mentee__last_name", "mentee__first_name", "level"))
    ids = {p.mentee_id for p in pairs} | {p.mentor_id for p in pairs}
    where = _schools_of(ids, schools, on)
    young = list(Teacher.objects.active_on(on, schools=schools).young_specialists(on).values_list("pk", flat=True))
    without = [t for t in young if t not in {p.mentee_id for p in pairs}]
    progress(60)
    rows = [[i, p.mentee.full_name, ", ".join(where.get(p.mentee_id, [])), p.mentor.full_name,
             ", ".join(where.get(p.mentor_id, [])) or "другая ОО", p.get_level_display(), p.start, p.document]
            for i, p in enumerate(pairs, start=1)]
    window = window_deadline(municipality, on.year, "young", req.date)
    heading = "О закреплении наставников за молодыми педагогами"
    items = [f"Закрепить наставников за молодыми педагогами и педагогами, нуждающимися в сопровождении, согласно "
             f"приложению ({len(pairs)} наставнических пар на {on:%d.%m.%Y})."]
    if without:
        no_mentor_schools = sorted({s for t in without for s in _schools_of([t], schools, on).get(t, [])})
        items.append(f"Руководителям ОО ({', '.join(no_mentor_schools)}) закрепить наставников за молодыми "
                     f"специалистами, у которых их нет ({len(without)} чел.), и представить сведения в "
                     f"муниципальную методическую службу"
                     + (f" в срок до {window.end:%d.%m.%Y}." if window else "."))
    items += [
        "Руководителям ОО обеспечить реализацию целевой модели наставничества, утвердить планы работы "
        "наставнических пар и внести сведения о наставничестве в систему МСОКО"
        + (f" к мониторингу поддержки молодых педагогов ({window.start:%d.%m.%Y} – {window.end:%d.%m.%Y})."
           if window else "."),
        "Муниципальной методической службе обеспечить методическое сопровождение наставников.",
        CONTROL,
    ]
    appendix = Appendix(
        f"Список наставнических пар на {on:%d.%m.%Y}",
        [("№", 4, "num"), ("Наставляемый", 16, "text"), ("ОО", 12, "text"), ("Наставник", 16, "text"),
         ("ОО наставника", 12, "text"), ("Уровень", 17, "text"), ("С даты", 11, "nowrap"),
         ("Основание", 16, "text")], rows, sheet="Наставнические пары", empty="Наставнических пар на дату нет.")
    preamble = ["В целях реализации целевой модели наставничества педагогических работников, поддержки молодых "
                "специалистов и на основании представлений общеобразовательных организаций"]
    return order_document(f"prikaz-nastavniki-{on:%Y-%m-%d}", fmt, municipality=municipality, req=req,
                          heading=heading, preamble=preamble, items=items, appendices=[appendix])


def build_diagnostics_order(user, params, fmt, progress):
    """Приказ о результатах диагностики профессиональных дефицитов за год: by school and by deficit area."""
    municipality, schools = _scope(user, params)
    year = year_of(params)
    req = requisites(municipality, params)
    on = _year_end(year)
    staff = Teacher.objects.active_on(on, schools=schools)
    results = list(DiagnosticResult.objects.in_period(date(year, 1, 1), date(year, 12, 31))
                   .filter(campaign__municipality=municipality, teacher__in=staff)
                   .select_related("campaign").prefetch_related("deficit_areas"))
    teacher_ids = {r.teacher_id for r in results}
    with_deficits = {r.teacher_id for r in results if r.has_deficits}
    routed = set(IndividualRoute.objects.filter(teacher_id__in=with_deficits, year=year)
                 .exclude(status=IndividualRoute.Status.CANCELLED).values_list("teacher_id", flat=True))
    where = _schools_of(set(staff.values_list("pk", flat=True)), schools, on)
    progress(50)
    per_school = defaultdict(lambda: [0, 0, 0, 0])  # staff, diagnosed, with deficits, with ИОМ
    for teacher_id, names in where.items():
        for name in names:
            row = per_school[name]
            row[0] += 1
            row[1] += teacher_id in teacher_ids
            row[2] += teacher_id in with_deficits
            row[3] += teacher_id in routed
    rows = []
    for i, (name, (n, diag, defic, iom)) in enumerate(sorted(per_school.items()), start=1):
        rows.append([i, name, n, diag, _pct(diag, n), defic, iom])
    areas = Counter(a.name for r in results for a in r.deficit_areas.all())
    area_rows = [[i, name, count] for i, (name, count) in enumerate(areas.most_common(), start=1)]
    campaigns = sorted({(r.campaign.title, r.campaign.end_date) for r in results}, key=lambda c: c[1])
    without = len(with_deficits - routed)
    mastery = window_deadline(municipality, year, "mastery", req.date)
    heading = f"О результатах диагностики профессиональных дефицитов педагогических работников в {year} году"
    items = [
        f"Принять к сведению результаты диагностики профессиональных дефицитов: диагностику прошли "
        f"{len(teacher_ids)} педагогических работников из {staff.count()}, профессиональные дефициты выявлены у "
        f"{len(with_deficits)} (приложение 1, приложение 2).",
    ]
    if without:
        items.append(f"Руководителям ОО обеспечить разработку и утверждение индивидуальных образовательных маршрутов "
                     f"для педагогов с выявленными дефицитами, у которых ИОМ нет ({without} чел.)"
                     + (f", в срок до {mastery.end:%d.%m.%Y}." if mastery else "."))
    if areas:
        top = ", ".join(f"«{name}»" for name, _ in areas.most_common(3))
        items.append(f"Муниципальной методической службе организовать адресную методическую помощь по наиболее "
                     f"частым областям дефицитов: {top}.")
    items += ["Руководителям ОО внести сведения о прохождении курсов и выполнении ИОМ в систему МСОКО.", CONTROL]
    preamble = ["В соответствии с программой мониторинга системы обеспечения профессионального развития "
                "педагогических работников и на основании результатов диагностики"
                + _campaigns_note(campaigns)]
    apps = [
        Appendix(f"Результаты диагностики по ОО за {year} год",
                 [("№", 4, "num"), ("ОО", 36, "text"), ("Педагогов", 11, "num"), ("Прошли диагностику", 13, "num"),
                  ("Доля, %", 10, "num"), ("Выявлены дефициты", 13, "num"), ("Имеют ИОМ", 11, "num")],
                 rows, sheet="Приложение 1 по ОО", number=1),
        Appendix(f"Выявленные профессиональные дефициты за {year} год",
                 [("№", 5, "num"), ("Область дефицита", 75, "text"), ("Педагогов", 20, "num")],
                 area_rows, sheet="Приложение 2 дефициты", number=2, empty="Дефициты не выявлены."),
    ]
    return order_document(f"prikaz-diagnostika-{year}", fmt, municipality=municipality, req=req, heading=heading,
                          preamble=preamble, items=items, appendices=apps)


def _campaigns_note(campaigns):
    if not campaigns:
        return ""
    if len(campaigns) <= 3:
        return " (" + "; ".join(f"{t}, {d:%d.%m.%Y}" for t, d in campaigns) + ")"
    return (f" ({len(campaigns)} диагностик, завершённых с {campaigns[0][1]:%d.%m.%Y} по "
            f"{campaigns[-1][1]:%d.%m.%Y})")


def _award(participation):
    """«призёр (3 место)»; a result that already names the role is printed as it is."""
    role, result = participation.get_role_display(), (participation.result or "").strip()
    if not result:
        return role
    return result if role.lower() in result.lower() else f"{role} ({result})"


def _pct(part, whole):
    return f"{part * 100 / whole:.1f}".replace(".", ",") if whole else "нет данных"


def build_network_order(user, params, fmt, progress):
    """Приказ об итогах работы РМО и профессиональных конкурсов за год."""
    municipality, schools = _scope(user, params)
    year = year_of(params)
    req = requisites(municipality, params)
    on = _year_end(year)
    staff = Teacher.objects.active_on(on, schools=schools)
    awards = list(Participation.objects.filter(
        event__municipality=municipality, event__kind__group=EventKind.Group.CONTEST, event__end_date__year=year,
        role__in=[Participation.Role.WINNER, Participation.Role.PRIZE], teacher__in=staff)
        .select_related("event__level", "teacher").order_by("event__start_date", "event__title", "role",
                                                             "teacher__last_name"))
    where = _schools_of({p.teacher_id for p in awards}, schools, on)
    # РМО: the municipality's own associations (a school's ШМО has its school set).
    associations = list(Association.objects.filter(municipality=municipality, is_active=True, kind__is_network=True,
                                                   school__isnull=True)
                        .select_related("subject").annotate(
        members=Count("memberships", filter=Q(memberships__start__lte=on) & (
            Q(memberships__end__isnull=True) | Q(memberships__end__gte=on)), distinct=True),
        meetings=Count("events", filter=Q(events__end_date__year=year), distinct=True)).order_by("name"))
    leaders = defaultdict(list)
    for ms in (Membership.objects.filter(association__in=associations, role=Membership.Role.LEADER, start__lte=on)
               .filter(Q(end__isnull=True) | Q(end__gte=on)).select_related("teacher")):
        leaders[ms.association_id].append(ms.teacher.full_name)
    progress(60)
    award_rows = [[i, p.event.title, p.event.level.name, p.event.end_date, p.teacher.full_name,
                   ", ".join(where.get(p.teacher_id, [])), _award(p)]
                  for i, p in enumerate(awards, start=1)]
    rmo_rows = [[i, a.name, a.subject.name if a.subject else "", ", ".join(leaders.get(a.pk, [])) or "не назначен",
                 a.members, a.meetings] for i, a in enumerate(associations, start=1)]
    idle = [a.name for a in associations if not a.meetings]
    plans_due = deadline(municipality, req.date, kinds=[Stage.Kind.INITIAL], years=[year + 1])
    heading = f"Об итогах работы районных методических объединений и профессиональных конкурсов в {year} году"
    items = [
        f"Утвердить итоги работы районных методических объединений за {year} год (приложение 2).",
    ]
    if awards:
        items.append(f"Объявить благодарность победителям и призёрам профессиональных конкурсов ({len(awards)} чел.) "
                     f"согласно приложению 1.")
    if idle:
        named = ", ".join(idle) if len(idle) <= 6 else f"{len(idle)} объединений, приложение 2"
        items.append(f"Руководителям РМО, не проводившим заседаний в отчётном году ({named}), обеспечить "
                     f"выполнение плана работы объединения.")
    items += [
        f"Руководителям РМО представить в муниципальную методическую службу планы работы на {year + 1} год"
        + (f" в срок до {plans_due:%d.%m.%Y}." if plans_due else "."),
        "Руководителям ОО обеспечить участие педагогов в работе РМО и внесение сведений в систему МСОКО.",
        CONTROL,
    ]
    preamble = [f"По итогам работы районных методических объединений и проведения профессиональных конкурсов в "
                f"{year} году, в целях развития сетевого взаимодействия педагогических работников"]
    apps = [
        Appendix(f"Победители и призёры профессиональных конкурсов {year} года",
                 [("№", 4, "num"), ("Конкурс", 24, "text"), ("Уровень", 15, "text"), ("Дата", 11, "nowrap"),
                  ("Педагог", 18, "text"), ("ОО", 14, "text"), ("Результат", 12, "text")], award_rows,
                 sheet="Приложение 1 конкурсы", number=1, empty="Победителей и призёров конкурсов нет."),
        Appendix(f"Итоги работы РМО за {year} год",
                 [("№", 4, "num"), ("Объединение", 34, "text"), ("Предмет", 16, "text"), ("Руководитель", 22, "text"),
                  ("Участников", 12, "num"), ("Заседаний", 12, "num")], rmo_rows, sheet="Приложение 2 РМО",
                 number=2, empty="Действующих РМО нет."),
    ]
    return order_document(f"prikaz-itogi-rmo-{year}", fmt, municipality=municipality, req=req, heading=heading,
                          preamble=preamble, items=items, appendices=apps)
