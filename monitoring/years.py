"""A monitoring year's life as named actions: prepare year N+1 from year N (preview first), close year N.

`plan_rollover` says what `rollover` would create and writes nothing; `rollover` creates it in one transaction:
the calendar with every stage, window and quarter moved one year on (the seeds' defaults when year N has none),
year N's targets (district and cluster), the rating weights in force in year N as year N+1's own set, and the
cycle's goals and methods as drafts for the methodologist to review. Nothing that year N+1 already has is
overwritten.

`close_year` closes year N for a municipality once its section-2.2 analysis is written: from then on its
reports, targets, cycle records, the catalogue versions and the weights in force that year are read-only
everywhere (`indicators.models.ClosedYearGuard`).
"""
import re
from dataclasses import dataclass, field
from datetime import date

from django.core.exceptions import ValidationError
from django.db import transaction

from indicators.models import Indicator, RatingCriterion, Target, YearClosure, year_closed
from teachers.dates import add_years
from teachers.naming import natural_key

from .calendar import advance, create_year_with_defaults
from .models import DirectionWindow, MonitoringYear, ReportingPeriod, Stage
from .models.cycle import Analysis, Goal, Method
from .models.school_reports import SchoolReport, Status


@dataclass
class Plan:
    source: MonitoringYear
    year: int
    lines: list = field(default_factory=list)  # (what, how many, detail)
    warnings: list = field(default_factory=list)

    def add(self, what, count, detail=""):
        self.lines.append((what, count, detail))


def _shifted(step, monitoring_year):
    return {"monitoring_year": monitoring_year, "start": add_years(step.start, 1), "end": add_years(step.end, 1)}


def _targets_to_copy(source):
    valid = set(Indicator.objects.valid_in(source.year + 1).values_list("code", flat=True))
    taken = set(Target.objects.filter(municipality=source.municipality, year=source.year + 1).values_list(
        "indicator_code", "cluster_id"))
    return [t for t in Target.objects.filter(municipality=source.municipality, year=source.year)
            if t.indicator_code in valid and (t.indicator_code, t.cluster_id) not in taken]


def _weights_to_copy(source):
    if RatingCriterion.objects.filter(year=source.year + 1).exists():
        return []
    return list(RatingCriterion.criteria_for(source.year))


def _cycle_to_copy(source):
    if Goal.objects.filter(municipality=source.municipality, year=source.year + 1).exists():
        return [], []
    return (list(Goal.objects.filter(municipality=source.municipality, year=source.year)),
            list(Method.objects.filter(municipality=source.municipality, year=source.year)))


def plan_rollover(source):
    """What preparing year N+1 from `source` (year N) would create; writes nothing."""
    plan = Plan(source, source.year + 1)
    target = MonitoringYear.objects.filter(municipality=source.municipality, year=plan.year).first()
    has = target is not None and target.stages.exists()
    if has:
        plan.warnings.append(f"Календарь {plan.year} года уже есть: этапы, окна и кварталы не меняются.")
    elif source.stages.exists():
        plan.add("Этапы мониторинга", source.stages.count(),
                 "; ".join(f"{s.get_kind_display()} {add_years(s.start, 1):%d.%m.%Y}–{add_years(s.end, 1):%d.%m.%Y}"
                           for s in source.stages.all()))
        plan.add("Окна по направлениям", source.windows.count(), "сроки те же, на год позже")
        plan.add("Отчётные периоды (кварталы)", source.periods.count(),
                 "; ".join(f"{p.quarter} кв. — срок {add_years(p.deadline, 1):%d.%m.%Y}" for p in source.periods.all()))
    else:
        plan.add("Календарь по умолчанию", 1, "этапы, окна и кварталы по программе мониторинга")
    targets = _targets_to_copy(source)
    plan.add("Целевые значения (район и кластеры)", len(targets),
             ", ".join(sorted({t.indicator_code for t in targets}, key=natural_key)) or "нечего переносить")
    weights = _weights_to_copy(source)
    if weights:
        plan.add("Веса рейтинга «Вклад ОО»", len(weights),
                 ", ".join(f"{c.indicator_code} × {format(c.weight.normalize(), 'f').replace('.', ',')}"
                           for c in weights))
    else:
        plan.warnings.append(f"Веса рейтинга на {plan.year} год уже заданы (или нечего переносить).")
    goals, methods = _cycle_to_copy(source)
    plan.add("Цели (черновики)", len(goals))
    plan.add("Методы сбора и обработки (черновики)", len(methods))
    return plan


@transaction.atomic
def rollover(user, source):
    """Prepare year N+1 from `source` as `plan_rollover` describes; returns the new MonitoringYear."""
    source = MonitoringYear.objects.select_for_update().get(pk=source.pk)
    year = source.year + 1
    target, _ = MonitoringYear.objects.get_or_create(municipality=source.municipality, year=year,
                                                     defaults={"note": f"подготовлен из {source.year} г."})
    if not target.stages.exists():
        if source.stages.exists():
            Stage.objects.bulk_create([Stage(kind=s.kind, tasks=s.tasks, **_shifted(s, target))
                                       for s in source.stages.all()])
            DirectionWindow.objects.bulk_create([DirectionWindow(direction_id=w.direction_id, subject=w.subject,
                                                                 **_shifted(w, target)) for w in source.windows.all()])
            ReportingPeriod.objects.bulk_create([ReportingPeriod(quarter=p.quarter, deadline=add_years(p.deadline, 1),
                                                                 **_shifted(p, target)) for p in source.periods.all()])
            advance(date.today(), years=[target])
        else:
            create_year_with_defaults(source.municipality, year)
    for t in _targets_to_copy(source):
        Target.objects.create(indicator_code=t.indicator_code, year=year, municipality_id=t.municipality_id,
                              cluster_id=t.cluster_id, value=t.value)
    for c in _weights_to_copy(source):
        RatingCriterion.objects.create(indicator_code=c.indicator_code, year=year, weight=c.weight, order=c.order)
    goals, methods = _cycle_to_copy(source)
    for record in goals + methods:
        record.pk = record.id = None
        record._state.adding = True
        record.year = year
        record.is_draft = True
        record.timing = _shift_years(record.timing, 1)
        record.save()
    return target


def _shift_years(text, years):
    """Years named in a record's timing («июль–август 2025») moved on with the record."""
    return re.sub(r"\b(20\d\d)\b", lambda m: str(int(m.group(1)) + years), text or "")


def plan_closing(monitoring_year):
    """What closing the year means, and why it cannot be closed yet (warnings that block: `blocking`)."""
    plan = Plan(monitoring_year, monitoring_year.year)
    municipality, year = monitoring_year.municipality, monitoring_year.year
    plan.blocking = []
    if year_closed(year, municipality.pk):
        plan.blocking.append(f"{year} год уже закрыт.")
    if not Analysis.objects.filter(municipality=municipality, year=year).exists():
        plan.blocking.append("Анализ раздела 2.2 за этот год не внесён: сначала запишите анализ результатов.")
    reports = SchoolReport.objects.filter(period__monitoring_year=monitoring_year)
    open_reports = reports.exclude(status=Status.ACCEPTED).count()
    if open_reports:
        plan.warnings.append(f"Не приняты отчёты ОО: {open_reports}. После закрытия их состояние не изменить.")
    plan.add("Отчёты ОО станут только для чтения", reports.count())
    plan.add("Целевые значения", Target.objects.filter(municipality=municipality, year=year).count())
    plan.add("Записи цикла управления", sum(m.objects.filter(municipality=municipality, year=year).count()
                                            for m in (Goal, Method, Analysis)), "цели, методы, анализ и др.")
    plan.add("Веса рейтинга этого года", RatingCriterion.criteria_for(year).count())
    plan.add("Определения показателей этого года", Indicator.objects.valid_in(year).count(),
             "менять можно только год окончания; новая редакция — на следующий год")
    return plan


@transaction.atomic
def close_year(user, monitoring_year):
    plan = plan_closing(monitoring_year)
    if plan.blocking:
        raise ValidationError(" ".join(plan.blocking))
    return YearClosure.objects.create(municipality=monitoring_year.municipality, year=monitoring_year.year,
                                      closed_by=user)
