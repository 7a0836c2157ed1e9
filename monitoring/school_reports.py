"""School reports: content built from the school's records, data-quality warnings, the workflow, reminders.

The content is plain JSON (rows keyed by record, the school's indicator values with its cluster's and
district's), so that once a report is accepted its numbers never change: later edits to the records are
counted against the frozen copy (`changes_since`), not poured into it.
"""
import logging
from dataclasses import dataclass
from datetime import timedelta

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.mail import send_mail
from django.db import IntegrityError, transaction
from django.db.models import Count, Exists, OuterRef, Q
from django.utils import timezone

from indicators.engine import Period, compute
from teachers.models import (
    Appointment, DiagnosticResult, IndividualRoute, Membership, Mentorship, Participation, Role, School, Teacher,
    User, Vacancy,
)
from teachers.naming import natural_key
from teachers.scoping import role_of, scoped
from teachers.surveys import school_requests_json

from .models import ReportingPeriod
from .models.school_reports import Reminder, SchoolReport, Status, Transition

logger = logging.getLogger(__name__)

VACANCY_STALE_DAYS = 365
REMIND_DAYS_BEFORE = 5

SECTIONS = [
    ("staff", "Кадровый состав на конец периода"),
    ("hired", "Приняты в периоде"),
    ("left", "Уволены в периоде"),
    ("vacancies", "Вакансии"),
    ("diagnostics", "Диагностика профессиональных дефицитов"),
    ("routes", "Индивидуальные образовательные маршруты"),
    ("events", "Мероприятия, курсы, конкурсы"),
    ("mentorships", "Наставничество"),
    ("associations", "Методические объединения"),
]


def _d(value):
    return value.strftime("%d.%m.%Y") if value else ""


def engine_period(period):
    """The indicators of a quarterly report: the year to the quarter's end (see Period.quarter); the report's
    own lists (hired, dismissed in the quarter) use the reporting period's dates."""
    return Period.quarter(period.monitoring_year.year, period.quarter)


def build_content(school, period, result=None):
    """The report's content from the records, as of the period's end.

    `result`: the engine's result for the period over the school's municipality, when building many reports.
    """
    start, end = period.start, period.end
    appointments = Appointment.objects.filter(school=school).select_related("teacher__category", "position")
    active = list(appointments.active_on(end).order_by("teacher__last_name", "teacher__first_name", "pk"))
    on_staff = {a.teacher_id for a in active}
    mentored = set(Mentorship.objects.active_on(end).filter(mentee_id__in=on_staff).values_list("mentee_id", flat=True))
    young = set(Teacher.objects.filter(pk__in=on_staff).young_specialists(end).values_list("pk", flat=True))

    def staff_row(a):
        t = a.teacher
        return {"key": f"a{a.pk}", "teacher_id": t.pk, "name": t.full_name, "position": a.position.name,
                "employment": a.get_employment_display(), "hours": str(a.weekly_hours or ""),
                "category": t.category.name if t.category else "", "young": t.pk in young,
                "mentored": t.pk in mentored, "hired": _d(a.hired), "dismissed": _d(a.dismissed)}

    hired = appointments.hired_between(start, end).order_by("hired", "pk")
    left = appointments.dismissed_between(start, end).order_by("dismissed", "pk")
    # People who worked at the school during the period: whose records the report covers.
    people = set(appointments.filter(hired__lte=end).filter(Q(dismissed__isnull=True) | Q(dismissed__gte=start))
                 .values_list("teacher_id", flat=True))

    vacancies = (Vacancy.objects.filter(school=school, opened__lte=end)
                 .filter(Q(closed__isnull=True) | Q(closed__gte=start)).select_related("position", "subject")
                 .order_by("opened", "pk"))
    vacancy_rows = [{"key": f"v{v.pk}", "position": v.position.name, "subject": v.subject.name if v.subject else "",
                     "hours": str(v.weekly_hours or ""), "opened": _d(v.opened), "closed": _d(v.closed),
                     "open_at_end": v.is_open_on(end),
                     "stale": v.is_open_on(end) and (end - v.opened).days >= VACANCY_STALE_DAYS} for v in vacancies]

    results = (DiagnosticResult.objects.filter(teacher_id__in=people, campaign__end_date__gte=start,
                                               campaign__end_date__lte=end)
               .select_related("teacher", "campaign").prefetch_related("deficit_areas").order_by("campaign__end_date", "pk"))
    diagnostic_rows = [{"key": f"d{r.pk}", "name": r.teacher.full_name, "campaign": r.campaign.title,
                        "date": _d(r.campaign.end_date), "score": str(r.score or ""), "deficits": r.has_deficits,
                        "areas": ", ".join(a.name for a in r.deficit_areas.all())} for r in results]

    diagnosed = DiagnosticResult.objects.filter(teacher=OuterRef("teacher"), campaign__end_date__lte=OuterRef("approved_on"))
    routes = (IndividualRoute.objects.filter(teacher_id__in=on_staff, approved_on__lte=end)
              .exclude(status=IndividualRoute.Status.CANCELLED)
              .filter(Q(year=end.year) | Q(status=IndividualRoute.Status.ACTIVE))
              .select_related("teacher")
              .annotate(total=Count("activities"), done=Count("activities", filter=Q(activities__done_on__lte=end)),
                        has_diagnostics=Exists(diagnosed))
              .order_by("teacher__last_name", "pk"))
    route_rows = [{"key": f"r{r.pk}", "name": r.teacher.full_name, "year": r.year, "status": r.get_status_display(),
                   "approved": _d(r.approved_on), "total": r.total, "done": r.done,
                   "grounded": bool(r.diagnostic_result_id or r.has_diagnostics)} for r in routes]

    participations = (Participation.objects.filter(teacher_id__in=people, event__end_date__gte=start,
                                                   event__end_date__lte=end)
                      .select_related("teacher", "event__kind", "event__level").order_by("event__end_date", "pk"))
    event_rows = [{"key": f"p{p.pk}", "name": p.teacher.full_name, "event": p.event.title,
                   "kind": p.event.kind.name, "level": p.event.level.name, "role": p.get_role_display(),
                   "result": p.result, "date": _d(p.event.end_date)} for p in participations]

    mentorships = (Mentorship.objects.active_on(end).filter(Q(mentee_id__in=on_staff) | Q(mentor_id__in=on_staff))
                   .select_related("mentor", "mentee").order_by("mentee__last_name", "pk"))
    mentorship_rows = [{"key": f"m{m.pk}", "mentor": m.mentor.full_name, "mentee": m.mentee.full_name,
                        "level": m.get_level_display(), "start": _d(m.start)} for m in mentorships]

    memberships = (Membership.objects.filter(teacher_id__in=on_staff, start__lte=end)
                   .filter(Q(end__isnull=True) | Q(end__gte=end)).select_related("teacher", "association__kind")
                   .order_by("association__name", "teacher__last_name", "pk"))
    membership_rows = [{"key": f"s{m.pk}", "name": m.teacher.full_name, "association": m.association.name,
                        "kind": m.association.kind.name, "role": m.get_role_display()} for m in memberships]

    content = {
        "period": {"start": start.isoformat(), "end": end.isoformat(), "label": str(period)},
        "sections": {
            "staff": [staff_row(a) for a in active],
            "hired": [staff_row(a) for a in hired],
            "left": [staff_row(a) for a in left],
            "vacancies": vacancy_rows,
            "diagnostics": diagnostic_rows,
            "routes": route_rows,
            "events": event_rows,
            "mentorships": mentorship_rows,
            "associations": membership_rows,
        },
        "indicators": indicator_rows(school, period, result),
        # The year's requests questionnaire to the period's end: answers / invited, the most asked topics.
        "requests": school_requests_json(school, period.monitoring_year.year, until=end),
    }
    content["warnings"] = warnings(content)
    return content


def municipality_result(period):
    return compute(engine_period(period),
                   schools=School.objects.filter(municipality_id=period.monitoring_year.municipality_id))


def indicator_rows(school, period, result=None):
    """The school's values with its cluster's and municipality's, for the period."""
    result = result or municipality_result(period)
    rows = []
    for ind in sorted(result.indicators, key=lambda i: (i.direction.order, natural_key(i.code))):
        if ind.kind == "distribution":
            continue
        cell = result.get(ind.code, "school", school.pk)
        cluster = result.get(ind.code, "cluster", (school.municipality_id, school.cluster_id))
        district = result.get(ind.code, "municipality", school.municipality_id)
        if cell is None:
            continue
        rows.append({
            "code": ind.code, "name": ind.name, "unit": ind.unit, "direction": ind.direction.name,
            "value": None if cell.value is None else str(cell.value), "display": cell.display,
            "numerator": cell.numerator, "denominator": cell.denominator,
            "cluster": cluster.display if cluster else "", "district": district.display if district else "",
        })
    return rows


def warnings(content):
    """What the head must see before submitting: gaps and impossible numbers in the school's own records."""
    out = []
    s = content["sections"]
    for row in s["staff"]:
        if row["young"] and not row["mentored"]:
            out.append({"kind": "young_without_mentor",
                        "text": f"Молодой специалист {row['name']} не закреплён за наставником."})
    for row in s["routes"]:
        if not row["grounded"]:
            out.append({"kind": "route_without_diagnostics",
                        "text": f"ИОМ педагога {row['name']} ({row['year']} г.) не опирается на диагностику: "
                                "нет результата диагностики до даты утверждения."})
    for row in s["vacancies"]:
        if row["stale"]:
            out.append({"kind": "stale_vacancy",
                        "text": f"Вакансия «{row['position']}{' — ' + row['subject'] if row['subject'] else ''}» "
                                f"открыта с {row['opened']} — больше года."})
    for row in content["indicators"]:
        if row["unit"] == "%" and row["value"] is not None and float(row["value"]) > 100:
            out.append({"kind": "share_over_100",
                        "text": f"Показатель {row['code']} «{row['name']}» больше 100 % ({row['display']}): "
                                "проверьте данные."})
    return out


def changes_since(report):
    """How many records differ between the report's frozen content and the records today."""
    if not report.content:
        return 0
    live = build_content(report.school, report.period)
    changed = 0
    for key, _title in SECTIONS:
        frozen_rows = {r["key"]: r for r in report.content.get("sections", {}).get(key, [])}
        live_rows = {r["key"]: r for r in live["sections"].get(key, [])}
        for k in frozen_rows.keys() | live_rows.keys():
            if frozen_rows.get(k) != live_rows.get(k):
                changed += 1
    return changed


# --- Workflow -------------------------------------------------------------------------------------------------

@dataclass(frozen=True)
class Action:
    name: str
    label: str
    sources: tuple
    target: str
    roles: tuple
    needs_comment: bool = False


ACTIONS = {
    "submit": Action("submit", "Отправить", (Status.DRAFT, Status.RETURNED), Status.SUBMITTED,
                     (Role.SCHOOL_HEAD, Role.METHODOLOGIST, Role.ADMIN)),
    "accept": Action("accept", "Принять", (Status.SUBMITTED,), Status.ACCEPTED, (Role.METHODOLOGIST, Role.ADMIN)),
    "return": Action("return", "Вернуть на доработку", (Status.SUBMITTED,), Status.RETURNED,
                     (Role.METHODOLOGIST, Role.ADMIN), needs_comment=True),
}


NARRATIVE_FIELDS = ("problems", "measures", "requests")


def submit_problem(report, today=None):
    """Why the report cannot be submitted today (a Russian sentence), or None: a quarter is reported on once it has
    ended, never while its figures are still moving."""
    today = today or timezone.localdate()
    if today <= report.period.end:
        return (f"Отчёт за {report.period} можно отправить после окончания квартала: "
                f"с {report.period.end + timedelta(days=1):%d.%m.%Y}.")
    return None


def _may(user, action, report):
    """Whether the user's role may ever take `action` on this school's report (whatever its state)."""
    role = role_of(user)
    if role not in action.roles:
        return False
    return role != Role.SCHOOL_HEAD or report.school_id == user.school_id


def allowed_actions(user, report):
    """Actions `user` may take on `report` now (the report must already be within the user's scope)."""
    return [a for a in ACTIONS.values() if report.status in a.sources and _may(user, a, report)
            and not (a.name == "submit" and submit_problem(report))]


def _apply_narrative(user, report, narrative):
    """Put the head's explanations into the (locked, editable) report; a history row when the text changed."""
    changed = False
    for name in NARRATIVE_FIELDS:
        if name in narrative and getattr(report, name) != narrative[name]:
            setattr(report, name, narrative[name])
            changed = True
    if changed:
        report.save(update_fields=[*NARRATIVE_FIELDS, "updated_at"])
        Transition.objects.create(report=report, action="edit", from_status=report.status,
                                  to_status=report.status, user=user)
    return changed


def save_narrative(user, report, narrative):
    """Save the explanations of a draft or returned report (the «Сохранить черновик» action)."""
    with transaction.atomic():
        report = SchoolReport.objects.select_for_update().select_related("period", "school").get(pk=report.pk)
        if not _may(user, ACTIONS["submit"], report):
            raise PermissionDenied("Изменять пояснения может руководитель ОО или методист.")
        closed = report.read_only_reason()
        if closed:
            raise ValidationError(closed)
        if not report.is_editable:
            raise ValidationError("Отчёт уже отправлен: изменить его можно после возврата на доработку.")
        _apply_narrative(user, report, narrative)
    return report


def transition(user, report, name, comment="", narrative=None):
    """Apply a named action; raises PermissionDenied or ValidationError (Russian) and changes nothing then.

    `narrative` ({field: text}, submit only): the explanations typed on the page, saved in the same transaction
    just before the report is submitted, so what the head wrote is what the methodologist receives."""
    action = ACTIONS.get(name)
    if action is None:
        raise ValidationError("Неизвестное действие.")
    comment = (comment or "").strip()
    with transaction.atomic():
        report = SchoolReport.objects.select_for_update().select_related("period__monitoring_year", "school").get(
            pk=report.pk)
        if not _may(user, action, report):
            raise PermissionDenied(f"Действие «{action.label}» вам недоступно.")
        closed = report.read_only_reason()
        if closed:
            raise ValidationError(closed)
        if report.status not in action.sources:
            raise ValidationError(f"Действие «{action.label}» недоступно: отчёт в состоянии "
                                  f"«{report.get_status_display()}».")
        if action.needs_comment and not comment:
            raise ValidationError("Укажите, что нужно доработать: комментарий обязателен при возврате.")
        if name == "submit" and (problem := submit_problem(report)):
            raise ValidationError(problem)
        if narrative and name == "submit":
            _apply_narrative(user, report, narrative)
        now = timezone.now()
        before = report.status
        if name == "submit":
            report.content = build_content(report.school, report.period)
            report.content_built_at = now
            report.submitted_at, report.submitted_by = now, user
        else:
            report.decided_at, report.decided_by = now, user
            if name == "return":
                report.return_comment = comment
        report.status = action.target
        report.save()
        Transition.objects.create(report=report, action=name, from_status=before, to_status=action.target,
                                  user=user, comment=comment)
    return report


def report_for(user, school, period):
    """The school's report for the period, created as a draft on first use by someone who may edit it."""
    report = SchoolReport.objects.filter(school=school, period=period).first()
    if report is None:
        try:
            with transaction.atomic():
                report = SchoolReport.objects.create(school=school, period=period)
                Transition.objects.create(report=report, action="create", from_status=Status.DRAFT,
                                          to_status=Status.DRAFT, user=user)
        except IntegrityError:
            report = SchoolReport.objects.get(school=school, period=period)
    return report


# --- What needs doing -----------------------------------------------------------------------------------------

@dataclass
class Todo:
    """A report that waits for the school: returned with the methodologist's comment, or not yet sent."""

    period: ReportingPeriod
    report: SchoolReport | None
    kind: str  # "returned" / "to_send"


def head_todo(school, ended_periods):
    """The school's reports that need its head, most urgent first: returned ones (newest first), then the last
    ended quarter if its report has not been sent. `ended_periods`: the ended periods, newest first. Two queries."""
    returned = list(SchoolReport.objects.filter(school=school, status=Status.RETURNED)
                    .select_related("period__monitoring_year", "decided_by").order_by("-period__end"))
    todo = [Todo(r.period, r, "returned") for r in returned]
    if ended_periods:
        last = ended_periods[0]
        report = SchoolReport.objects.filter(school=school, period=last).first()
        if report is None or report.status == Status.DRAFT:
            todo.append(Todo(last, report, "to_send"))
    return todo


# --- Completeness, timeliness, reminders ------------------------------------------------------------------------

@dataclass
class Row:
    school: School
    report: SchoolReport | None
    state: str  # not_started / draft / submitted / accepted / returned
    label: str
    on_time: bool | None
    overdue: bool


STATE_LABELS = {"not_started": "не начат", **dict(Status.choices)}


def completeness(user, period, today=None):
    """Every school of the period's municipality the user may see, with its report's state and timeliness."""
    today = today or timezone.localdate()
    schools = scoped(user, School.objects.filter(municipality_id=period.monitoring_year.municipality_id,
                                                 is_active=True)).select_related("cluster")
    reports = {r.school_id: r for r in SchoolReport.objects.filter(period=period, school__in=schools)}
    for r in reports.values():
        r.period = period  # on_time reads the deadline: no query per report
    schools = sorted(schools, key=lambda s: (s.cluster.order if s.cluster_id else 0, natural_key(s.short_name)))
    rows = []
    for school in schools:
        report = reports.get(school.pk)
        state = report.status if report else "not_started"
        submitted = report is not None and report.status in (Status.SUBMITTED, Status.ACCEPTED)
        on_time = report.on_time if submitted else None
        overdue = not submitted and today > period.deadline
        rows.append(Row(school, report, state, STATE_LABELS[state], on_time, overdue))
    summary = {
        "total": len(rows),
        "submitted": sum(r.state in (Status.SUBMITTED, Status.ACCEPTED) for r in rows),
        "accepted": sum(r.state == Status.ACCEPTED for r in rows),
        "returned": sum(r.state == Status.RETURNED for r in rows),
        "late": sum(r.on_time is False for r in rows),
        "overdue": sum(r.overdue for r in rows),
        "not_started": sum(r.state == "not_started" for r in rows),
    }
    return rows, summary


def _head_emails(school):
    return [e for e in User.objects.filter(role=Role.SCHOOL_HEAD, school=school, is_active=True)
            .exclude(email="").values_list("email", flat=True)]


def send_reminders(today=None):
    """Remind heads a few days before the deadline and after it if not yet submitted; once per school, period, kind.

    Safe to run any number of times a day (and on two workers at once): the Reminder row is created first, in
    its own transaction, and the unique constraint lets only one run send.
    """
    today = today or timezone.localdate()
    sent = 0
    periods = ReportingPeriod.objects.filter(deadline__gte=today - timedelta(days=60),
                                             deadline__lte=today + timedelta(days=REMIND_DAYS_BEFORE)).select_related(
        "monitoring_year")
    for period in periods:
        if today < period.deadline - timedelta(days=REMIND_DAYS_BEFORE):
            continue
        kind = Reminder.Kind.UPCOMING if today <= period.deadline else Reminder.Kind.LATE
        done = SchoolReport.objects.filter(period=period, status__in=(Status.SUBMITTED, Status.ACCEPTED))
        schools = (School.objects.filter(municipality_id=period.monitoring_year.municipality_id, is_active=True)
                   .exclude(pk__in=done.values("school_id")))
        for school in schools:
            recipients = _head_emails(school)
            if not recipients:
                continue
            if kind == Reminder.Kind.UPCOMING:
                subject = f"Срок сдачи отчёта за {period} — {period.deadline:%d.%m.%Y}"
                body = (f"Уважаемый руководитель!\n\nНапоминаем: отчёт {school.short_name} о профессиональном развитии "
                        f"педагогов за {period} нужно отправить до {period.deadline:%d.%m.%Y}.\n\n"
                        "МСОКО · профразвитие")
            else:
                subject = f"Отчёт за {period} не получен"
                body = (f"Уважаемый руководитель!\n\nСрок сдачи отчёта {school.short_name} за {period} истёк "
                        f"{period.deadline:%d.%m.%Y}, отчёт не отправлен. Просим отправить его как можно скорее.\n\n"
                        "МСОКО · профразвитие")
            try:
                # The row and the mail stand or fall together: a failed send leaves no row, so the next run retries.
                with transaction.atomic():
                    Reminder.objects.create(school=school, period=period, kind=kind, recipients=", ".join(recipients))
                    send_mail(subject, body, None, recipients)
            except IntegrityError:
                continue  # already reminded by an earlier or concurrent run
            except OSError:
                logger.exception("Reminder to %s for %s not sent", school, period)
                continue
            sent += 1
    return sent
