"""Staffing needs: vacancies, the staff reserve and teachers' requests for professional development."""
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import F, Q
from simple_history.models import HistoricalRecords

from .reference import DeficitArea, Position, Subject
from .schools import School
from .staff import Teacher


class VacancyQuerySet(models.QuerySet):
    def open_on(self, on):
        return self.filter(opened__lte=on).filter(Q(closed__isnull=True) | Q(closed__gt=on))


class Vacancy(models.Model):
    school = models.ForeignKey(School, models.PROTECT, related_name="vacancies", verbose_name="ОО")
    position = models.ForeignKey(Position, models.PROTECT, related_name="vacancies", verbose_name="должность")
    subject = models.ForeignKey(
        Subject, models.PROTECT, null=True, blank=True, related_name="vacancies", verbose_name="предмет"
    )
    weekly_hours = models.DecimalField("нагрузка, ч/нед", max_digits=5, decimal_places=1, null=True, blank=True)
    opened = models.DateField("открыта")
    closed = models.DateField("закрыта", null=True, blank=True)
    housing = models.BooleanField("предоставляется жильё", default=False)
    comment = models.TextField("комментарий", blank=True)

    objects = VacancyQuerySet.as_manager()
    history = HistoricalRecords()
    scope_school_field = "school"

    class Meta:
        verbose_name = "вакансия"
        verbose_name_plural = "вакансии"
        ordering = ["-opened"]
        constraints = [
            models.CheckConstraint(condition=Q(closed__isnull=True) | Q(closed__gte=F("opened")), name="vacancy_dates_in_order"),
        ]
        indexes = [models.Index(fields=["school", "opened", "closed"], name="vacancy_school_dates")]

    def __str__(self):
        subject = f" ({self.subject})" if self.subject_id else ""
        return f"{self.position}{subject} — {self.school}"

    def is_open_on(self, on):
        return self.opened <= on and (self.closed is None or self.closed > on)

    def clean(self):
        if self.opened and self.closed and self.closed < self.opened:
            raise ValidationError({"closed": "Дата закрытия раньше даты открытия."})


class ReserveEntry(models.Model):
    """Кадровый резерв: a teacher-leader proposed for a position (often a head or deputy)."""

    teacher = models.ForeignKey(Teacher, models.CASCADE, related_name="reserve_entries", verbose_name="педагог")
    school = models.ForeignKey(School, models.PROTECT, related_name="reserve_entries", verbose_name="ОО, выдвинувшая")
    target_position = models.CharField("на должность", max_length=200)
    included_on = models.DateField("включён в резерв")
    excluded_on = models.DateField("исключён из резерва", null=True, blank=True)
    basis = models.CharField("основание", max_length=300, blank=True)

    history = HistoricalRecords()
    scope_school_field = "school"
    scope_person_field = "teacher"

    class Meta:
        verbose_name = "запись кадрового резерва"
        verbose_name_plural = "кадровый резерв"
        ordering = ["-included_on"]
        constraints = [
            models.CheckConstraint(
                condition=Q(excluded_on__isnull=True) | Q(excluded_on__gte=F("included_on")), name="reserve_dates_in_order"
            ),
        ]

    def __str__(self):
        return f"{self.teacher} → {self.target_position}"


class DevelopmentRequest(models.Model):
    """Запрос педагога на направление повышения квалификации / профессионального развития (seed 002)."""

    class Format(models.TextChoices):
        IN_PERSON = "in_person", "очно"
        DISTANCE = "distance", "дистанционно"
        MIXED = "mixed", "очно-заочно"

    class Status(models.TextChoices):
        NEW = "new", "получен"
        PLANNED = "planned", "включён в план"
        SATISFIED = "satisfied", "удовлетворён"
        DECLINED = "declined", "отклонён"

    class Source(models.TextChoices):
        MANUAL = "manual", "внесён вручную"
        SURVEY = "survey", "анкета"

    teacher = models.ForeignKey(Teacher, models.CASCADE, related_name="development_requests", verbose_name="педагог")
    year = models.PositiveSmallIntegerField("год")
    topic = models.CharField("направление повышения квалификации", max_length=400)
    deficit_area = models.ForeignKey(
        DeficitArea, models.PROTECT, null=True, blank=True, related_name="requests", verbose_name="область дефицита"
    )
    format = models.CharField("желаемая форма", max_length=10, choices=Format.choices, default=Format.IN_PERSON)
    status = models.CharField("статус", max_length=10, choices=Status.choices, default=Status.NEW)
    submitted_on = models.DateField("дата запроса")
    comment = models.TextField("комментарий", blank=True)
    source = models.CharField("источник", max_length=10, choices=Source.choices, default=Source.MANUAL)
    # The survey answer this request came from (source = survey); the teacher edits it there until the close date.
    invitation = models.ForeignKey("SurveyInvitation", models.SET_NULL, null=True, blank=True, editable=False,
                                   related_name="requests", verbose_name="ответ на анкету")

    history = HistoricalRecords()
    scope_school_field = "teacher__appointments__school"
    scope_person_field = "teacher"

    class Meta:
        verbose_name = "запрос на повышение квалификации"
        verbose_name_plural = "запросы на повышение квалификации"
        ordering = ["-submitted_on"]

    def __str__(self):
        return f"{self.teacher}: {self.topic}"
