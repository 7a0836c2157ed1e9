"""What each role has to do now, for the home page: a constant number of queries whatever the district's size."""
from dataclasses import dataclass, field

from django.db.models import Count

from teachers.naming import plural
from teachers.scoping import municipalities_for, schools_for

from . import school_reports
from .models import MonitoringYear, ReportingPeriod, SchoolReport
from .models.school_reports import Status
from .recommendations import open_for_school


def deadline_note(period, today):
    """«осталось 5 дней», «сегодня последний день», «срок истёк 10.10.2026»."""
    days = (period.deadline - today).days
    if days < 0:
        return f"срок истёк {period.deadline:%d.%m.%Y}"
    if days == 0:
        return "сегодня последний день"
    return f"{plural(days, 'остался', 'осталось', 'осталось')} {days} {plural(days, 'день', 'дня', 'дней')}"


PREPARE_FROM_MONTH = 9  # the admin is reminded of next year's calendar from September (the new school year) on


@dataclass
class HeadWork:
    todo: list  # school_reports.Todo: returned reports, the last ended quarter not yet sent
    current: ReportingPeriod | None  # the running quarter: explanations may be prepared, sent after it ends
    current_report: SchoolReport | None
    recommendations: list  # open recommendations addressed to the school, each with .school_response
    today: object

    @property
    def current_note(self):
        return deadline_note(self.current, self.today) if self.current else ""

    @property
    def awaiting(self):
        return [r for r in self.recommendations if r.school_response is None]

    @property
    def in_work(self):
        return [r for r in self.recommendations if r.school_response is not None
                and r.school_response.status != "done"]


def for_head(user, today):
    """A school head's work: 5 queries (periods, returned, last ended report, current report, recommendations ×2)."""
    school = user.school
    periods = ReportingPeriod.objects.filter(monitoring_year__municipality_id=school.municipality_id).select_related(
        "monitoring_year")
    last_ended = periods.filter(end__lt=today).order_by("-end").first()
    current = periods.filter(start__lte=today, end__gte=today).order_by("start").first()
    todo = school_reports.head_todo(school, [last_ended] if last_ended else [])
    for item in todo:
        item.note = deadline_note(item.period, today)
    current_report = SchoolReport.objects.filter(school=school, period=current).first() if current else None
    return HeadWork(todo, current, current_report, open_for_school(school), today)


@dataclass
class Review:
    period: ReportingPeriod
    submitted: int = 0


@dataclass
class DistrictWork:
    reviews: list  # Review per period with submitted reports awaiting a decision, newest first
    overdue_period: ReportingPeriod | None  # the latest period whose deadline has passed
    overdue: int  # schools without a sent report for it
    years_missing: list = field(default_factory=list)  # municipalities without next year's calendar (admin)
    next_year: int | None = None


def for_district(user, today, *, prepare_next_year=False):
    """A methodologist's (or admin's) work over the schools they see: reports waiting for review per period,
    schools overdue on the latest passed deadline, and for the admin the municipalities whose next year's
    calendar is not made yet. 3–4 queries."""
    schools = schools_for(user).filter(is_active=True)
    waiting = (SchoolReport.objects.filter(school__in=schools, status=Status.SUBMITTED).values("period")
               .annotate(n=Count("pk")).order_by())
    counts = {row["period"]: row["n"] for row in waiting}
    periods = ReportingPeriod.objects.filter(monitoring_year__municipality__in=municipalities_for(user))
    passed = (periods.filter(deadline__lt=today).select_related("monitoring_year__municipality")
              .order_by("-deadline").first())
    wanted = set(counts) | ({passed.pk} if passed else set())
    by_pk = {p.pk: p for p in periods.filter(pk__in=wanted).select_related("monitoring_year__municipality")}
    reviews = sorted((Review(by_pk[pk], n) for pk, n in counts.items() if pk in by_pk),
                     key=lambda r: r.period.end, reverse=True)
    overdue = 0
    if passed:
        sent = SchoolReport.objects.filter(period=passed, status__in=(Status.SUBMITTED, Status.ACCEPTED))
        overdue = (schools.filter(municipality_id=passed.monitoring_year.municipality_id)
                   .exclude(pk__in=sent.values("school_id")).count())
    work = DistrictWork(reviews, passed, overdue)
    if prepare_next_year and today.month >= PREPARE_FROM_MONTH:
        work.next_year = today.year + 1
        made = MonitoringYear.objects.filter(year=work.next_year).values("municipality_id")
        work.years_missing = list(municipalities_for(user).exclude(pk__in=made).order_by("name")
                                  .values_list("name", flat=True)[:5])
    return work

