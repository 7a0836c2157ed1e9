"""Calendar services: defaults from the seeds, the current stage, what is due, moving stages on by date."""
from dataclasses import dataclass
from datetime import date, timedelta

from django.db import transaction

from indicators.models import Direction

from .models import DirectionWindow, MonitoringYear, ReportingPeriod, Stage
from .models.calendar import State

# Seed 002: начальный 01.03–01.04, основной 01.04–01.06, заключительный 01.06–01.07.
DEFAULT_STAGES = [
    (Stage.Kind.INITIAL, (3, 1), (4, 1), "Актуализация целей, показателей, методов сбора информации; нормативная база."),
    (Stage.Kind.MAIN, (4, 1), (6, 1), "Сбор информации по показателям, первичная обработка, формирование баз данных."),
    (Stage.Kind.FINAL, (6, 1), (7, 1), "Статистическая и аналитическая обработка, сводная аналитическая справка, "
                                       "адресные рекомендации."),
]
# Seed 000, «Мониторинг показателей»: the months of each direction's monitoring.
DEFAULT_WINDOWS = [
    ("deficits", (4, 1), (5, 31), "мониторинг по выявлению профессиональных дефицитов педагогических работников"),
    ("mastery", (4, 1), (5, 31), "мониторинг ИОМ и прохождения курсов ПК, профессиональной переподготовки"),
    ("young", (8, 1), (9, 30), "мониторинг поддержки молодых педагогов и программ наставничества"),
    ("network", (5, 1), (5, 31), "мониторинг сетевого взаимодействия (РМО), экспертной деятельности — май"),
    ("network", (12, 1), (12, 31), "мониторинг сетевого взаимодействия (РМО), экспертной деятельности — декабрь"),
    ("staffing", (6, 1), (8, 31), "мониторинг выявления кадровых потребностей (вакансии)"),
]
DEADLINE_DAYS_AFTER_QUARTER = 10


def quarter_bounds(year, quarter):
    start = date(year, 3 * quarter - 2, 1)
    end = (date(year + 1, 1, 1) if quarter == 4 else date(year, 3 * quarter + 1, 1)) - timedelta(days=1)
    return start, end


@transaction.atomic
def create_year_with_defaults(municipality, year):
    """The year's stages, direction windows and quarters as the seeds give them; existing rows are kept."""
    my, _ = MonitoringYear.objects.get_or_create(municipality=municipality, year=year)
    for kind, (sm, sd), (em, ed), tasks in DEFAULT_STAGES:
        Stage.objects.get_or_create(monitoring_year=my, kind=kind, defaults={
            "start": date(year, sm, sd), "end": date(year, em, ed), "tasks": tasks})
    if not my.windows.exists():
        directions = {d.code: d for d in Direction.objects.all()}
        DirectionWindow.objects.bulk_create([
            DirectionWindow(monitoring_year=my, direction=directions[code], start=date(year, sm, sd),
                            end=date(year, em, ed), subject=subject)
            for code, (sm, sd), (em, ed), subject in DEFAULT_WINDOWS if code in directions
        ])
    for quarter in range(1, 5):
        start, end = quarter_bounds(year, quarter)
        ReportingPeriod.objects.get_or_create(monitoring_year=my, quarter=quarter, defaults={
            "start": start, "end": end, "deadline": end + timedelta(days=DEADLINE_DAYS_AFTER_QUARTER)})
    advance(date.today(), years=[my])
    return my


def advance(on, years=None):
    """Set every stage, window and period's state from the date; idempotent. Returns how many rows changed."""
    changed = 0
    years = years if years is not None else MonitoringYear.objects.all()
    year_ids = [y.pk for y in years]
    for model in (Stage, DirectionWindow, ReportingPeriod):
        qs = model.objects.filter(monitoring_year_id__in=year_ids)
        changed += qs.filter(start__gt=on).exclude(state=State.PLANNED).update(state=State.PLANNED)
        changed += qs.filter(end__lt=on).exclude(state=State.CLOSED).update(state=State.CLOSED)
        changed += qs.filter(start__lte=on, end__gte=on).exclude(state=State.ACTIVE).update(state=State.ACTIVE)
    return changed


@dataclass
class Overview:
    year: MonitoringYear | None
    current_stage: Stage | None
    next_stage: Stage | None
    active_windows: list
    due_periods: list  # (period, days left)
    overdue_periods: list


def overview(municipality, on, horizon_days=45):
    my = (MonitoringYear.objects.filter(municipality=municipality, year=on.year)
          .prefetch_related("stages", "windows__direction", "periods").first())
    if my is None:
        return Overview(None, None, None, [], [], [])
    stages = list(my.stages.all())
    current = next((s for s in stages if s.start <= on <= s.end), None)
    upcoming = next((s for s in stages if s.start > on), None)
    windows = [w for w in my.windows.all() if w.start <= on <= w.end]
    periods = list(my.periods.all())
    due = [(p, (p.deadline - on).days) for p in periods if p.end <= on + timedelta(days=horizon_days)
           and on <= p.deadline <= on + timedelta(days=horizon_days)]
    overdue = [p for p in periods if p.deadline < on and p.deadline >= on - timedelta(days=horizon_days)]
    return Overview(my, current, upcoming, windows, due, overdue)
