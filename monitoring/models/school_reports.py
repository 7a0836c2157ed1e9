"""A school's quarterly report: content frozen from the records, the head's narrative, and its workflow."""
from django.conf import settings
from django.core.serializers.json import DjangoJSONEncoder
from django.db import models

from indicators.models import ClosedYearGuard
from teachers.models import School

from .calendar import ReportingPeriod


class Status(models.TextChoices):
    DRAFT = "draft", "черновик"
    SUBMITTED = "submitted", "отправлен"
    ACCEPTED = "accepted", "принят"
    RETURNED = "returned", "возвращён на доработку"


class SchoolReport(ClosedYearGuard, models.Model):
    Status = Status

    school = models.ForeignKey(School, models.PROTECT, related_name="reports", verbose_name="ОО")
    period = models.ForeignKey(ReportingPeriod, models.PROTECT, related_name="reports", verbose_name="период")
    status = models.CharField("состояние", max_length=10, choices=Status.choices, default=Status.DRAFT)
    problems = models.TextField("проблемы", blank=True)
    measures = models.TextField("принятые меры", blank=True)
    requests = models.TextField("запросы к муниципальной методической службе", blank=True)
    # The report's content as built from the records: live while a draft, frozen from submission on and for good
    # once accepted (see monitoring.school_reports.build_content).
    content = models.JSONField("содержание", default=dict, blank=True, encoder=DjangoJSONEncoder)
    content_built_at = models.DateTimeField("содержание собрано", null=True, blank=True)
    submitted_at = models.DateTimeField("отправлен", null=True, blank=True)
    submitted_by = models.ForeignKey(settings.AUTH_USER_MODEL, models.SET_NULL, null=True, blank=True,
                                     related_name="+", verbose_name="отправил")
    decided_at = models.DateTimeField("рассмотрен", null=True, blank=True)
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, models.SET_NULL, null=True, blank=True,
                                   related_name="+", verbose_name="рассмотрел")
    return_comment = models.TextField("замечания при возврате", blank=True)
    created_at = models.DateTimeField("создан", auto_now_add=True)
    updated_at = models.DateTimeField("изменён", auto_now=True)

    scope_school_field = "school"

    class Meta:
        verbose_name = "отчёт ОО"
        verbose_name_plural = "отчёты ОО"
        ordering = ["-period__start", "school__short_name"]
        constraints = [models.UniqueConstraint(fields=["school", "period"], name="school_report_once_per_period")]
        indexes = [models.Index(fields=["period", "status"])]

    def closed_year(self):
        year = self.period.monitoring_year
        return year.year, year.municipality_id

    def __str__(self):
        return f"Отчёт {self.school.short_name}: {self.period}"

    @property
    def is_frozen(self):
        return self.status in (Status.SUBMITTED, Status.ACCEPTED)

    @property
    def is_editable(self):
        return self.status in (Status.DRAFT, Status.RETURNED)

    @property
    def on_time(self):
        if not self.submitted_at:
            return None
        from django.utils import timezone

        return timezone.localtime(self.submitted_at).date() <= self.period.deadline


class Transition(models.Model):
    """One step of a report's workflow: who did what, when, and why."""

    report = models.ForeignKey(SchoolReport, models.CASCADE, related_name="transitions", verbose_name="отчёт")
    action = models.CharField("действие", max_length=20)
    from_status = models.CharField("было", max_length=10, choices=Status.choices)
    to_status = models.CharField("стало", max_length=10, choices=Status.choices)
    user = models.ForeignKey(settings.AUTH_USER_MODEL, models.SET_NULL, null=True, related_name="+",
                             verbose_name="пользователь")
    at = models.DateTimeField("когда", auto_now_add=True)
    comment = models.TextField("комментарий", blank=True)

    class Meta:
        verbose_name = "переход отчёта"
        verbose_name_plural = "история отчётов"
        ordering = ["at", "pk"]

    def __str__(self):
        return f"{self.report}: {self.get_from_status_display()} → {self.get_to_status_display()}"


class Reminder(models.Model):
    """A reminder e-mail sent for a school and period; unique so a task that runs twice sends once."""

    class Kind(models.TextChoices):
        UPCOMING = "upcoming", "скоро срок сдачи"
        LATE = "late", "срок сдачи прошёл"

    school = models.ForeignKey(School, models.CASCADE, related_name="report_reminders", verbose_name="ОО")
    period = models.ForeignKey(ReportingPeriod, models.CASCADE, related_name="reminders", verbose_name="период")
    kind = models.CharField("вид", max_length=10, choices=Kind.choices)
    sent_at = models.DateTimeField("отправлено", auto_now_add=True)
    recipients = models.TextField("адресаты", blank=True)

    class Meta:
        verbose_name = "напоминание об отчёте"
        verbose_name_plural = "напоминания об отчётах"
        constraints = [models.UniqueConstraint(fields=["school", "period", "kind"], name="reminder_once")]

    def __str__(self):
        return f"{self.get_kind_display()}: {self.school.short_name}, {self.period}"
