"""The monitoring calendar: a municipality's year of stages, direction windows and reporting periods."""
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import F, Q

from indicators.models import Direction
from teachers.models import Municipality


class MonitoringYear(models.Model):
    municipality = models.ForeignKey(Municipality, models.CASCADE, related_name="monitoring_years",
                                     verbose_name="муниципалитет")
    year = models.PositiveSmallIntegerField("год")
    note = models.CharField("основание (приказ)", max_length=300, blank=True)

    scope_municipality_field = "municipality"

    class Meta:
        verbose_name = "год мониторинга"
        verbose_name_plural = "календарь мониторинга"
        ordering = ["-year", "municipality"]
        constraints = [models.UniqueConstraint(fields=["municipality", "year"], name="monitoring_year_unique")]

    def __str__(self):
        return f"{self.municipality}: мониторинг {self.year} г."


class State(models.TextChoices):
    PLANNED = "planned", "запланирован"
    ACTIVE = "active", "идёт"
    CLOSED = "closed", "завершён"


class DatedStep(models.Model):
    start = models.DateField("начало")
    end = models.DateField("окончание")
    state = models.CharField("состояние", max_length=10, choices=State.choices, default=State.PLANNED)

    class Meta:
        abstract = True

    def state_on(self, on):
        if on < self.start:
            return State.PLANNED
        if on > self.end:
            return State.CLOSED
        return State.ACTIVE

    def clean(self):
        if self.start and self.end and self.end < self.start:
            raise ValidationError({"end": "Дата окончания раньше даты начала."})


class Stage(DatedStep):
    class Kind(models.TextChoices):
        INITIAL = "initial", "начальный"
        MAIN = "main", "основной"
        FINAL = "final", "заключительный"

    monitoring_year = models.ForeignKey(MonitoringYear, models.CASCADE, related_name="stages", verbose_name="год")
    kind = models.CharField("этап", max_length=10, choices=Kind.choices)
    tasks = models.TextField("содержание этапа", blank=True)

    class Meta:
        verbose_name = "этап мониторинга"
        verbose_name_plural = "этапы мониторинга"
        ordering = ["start"]
        constraints = [
            models.UniqueConstraint(fields=["monitoring_year", "kind"], name="stage_once_per_year"),
            models.CheckConstraint(condition=Q(end__gte=F("start")), name="stage_dates_in_order"),
        ]

    def __str__(self):
        return f"{self.get_kind_display()} этап ({self.start:%d.%m}–{self.end:%d.%m.%Y})"


class DirectionWindow(DatedStep):
    monitoring_year = models.ForeignKey(MonitoringYear, models.CASCADE, related_name="windows", verbose_name="год")
    direction = models.ForeignKey(Direction, models.PROTECT, related_name="windows", verbose_name="направление")
    subject = models.CharField("что мониторим", max_length=400, blank=True)

    class Meta:
        verbose_name = "окно мониторинга направления"
        verbose_name_plural = "окна мониторинга направлений"
        ordering = ["start", "direction__order"]
        constraints = [models.CheckConstraint(condition=Q(end__gte=F("start")), name="window_dates_in_order")]

    def __str__(self):
        return f"{self.direction}: {self.start:%d.%m}–{self.end:%d.%m.%Y}"


class ReportingPeriod(DatedStep):
    """A quarter for which schools submit reports, with its deadline."""

    monitoring_year = models.ForeignKey(MonitoringYear, models.CASCADE, related_name="periods", verbose_name="год")
    quarter = models.PositiveSmallIntegerField("квартал", choices=[(q, f"{q} квартал") for q in range(1, 5)])
    deadline = models.DateField("срок сдачи отчёта")

    class Meta:
        verbose_name = "отчётный период"
        verbose_name_plural = "отчётные периоды"
        ordering = ["start"]
        constraints = [
            models.UniqueConstraint(fields=["monitoring_year", "quarter"], name="period_once_per_year"),
            models.CheckConstraint(condition=Q(end__gte=F("start")), name="period_dates_in_order"),
            models.CheckConstraint(condition=Q(deadline__gte=F("end")), name="period_deadline_after_end"),
        ]

    def __str__(self):
        return f"{self.quarter} квартал {self.monitoring_year.year} г."
