"""Mentorship and professional associations (РМО, ШМО, тьюторский клуб, профсообщества)."""
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import F, Q
from simple_history.models import HistoricalRecords

from .reference import AssociationKind, Subject
from .schools import Municipality, School
from .staff import Teacher


class DateRangeQuerySet(models.QuerySet):
    """Records with `start`/`end` dates; active on D when start <= D and not ended before D."""

    def active_on(self, on):
        return self.filter(start__lte=on).filter(Q(end__isnull=True) | Q(end__gte=on))

    def overlapping(self, start, end):
        return self.filter(start__lte=end).filter(Q(end__isnull=True) | Q(end__gte=start))


class Mentorship(models.Model):
    class Level(models.TextChoices):
        SCHOOL = "school", "школьный"
        MUNICIPAL = "municipal", "муниципальный"

    # Both indexed by the composite indexes below.
    mentor = models.ForeignKey(Teacher, models.CASCADE, related_name="mentoring", verbose_name="наставник",
                               db_index=False)
    mentee = models.ForeignKey(Teacher, models.CASCADE, related_name="mentors", verbose_name="наставляемый",
                               db_index=False)
    level = models.CharField("уровень", max_length=10, choices=Level.choices)
    start = models.DateField("дата начала")
    end = models.DateField("дата окончания", null=True, blank=True)
    document = models.CharField("приказ о закреплении", max_length=200, blank=True)

    objects = DateRangeQuerySet.as_manager()
    history = HistoricalRecords()
    scope_school_field = "mentee__appointments__school"
    scope_person_field = "mentee"

    class Meta:
        verbose_name = "наставничество"
        verbose_name_plural = "наставничество"
        ordering = ["-start"]
        constraints = [
            models.CheckConstraint(condition=~Q(mentor=F("mentee")), name="mentor_is_not_own_mentee"),
            models.CheckConstraint(condition=Q(end__isnull=True) | Q(end__gte=F("start")), name="mentorship_dates_in_order"),
        ]
        # A person's mentorships with the columns the indicator engine reads (index-only scans).
        indexes = [
            models.Index(fields=["mentee", "level", "start", "end"], name="mentorship_mentee_facts"),
            models.Index(fields=["mentor", "start", "end"], name="mentorship_mentor_facts"),
        ]

    def __str__(self):
        return f"{self.mentor.short_name} → {self.mentee.short_name} ({self.get_level_display()})"

    def clean(self):
        if self.mentor_id and self.mentor_id == self.mentee_id:
            raise ValidationError({"mentee": "Наставник не может быть наставником самому себе."})
        if self.start and self.end and self.end < self.start:
            raise ValidationError({"end": "Дата окончания раньше даты начала."})


class Association(models.Model):
    """РМО, ШМО, тьюторский клуб, профессиональное сообщество."""

    name = models.CharField("наименование", max_length=300)
    kind = models.ForeignKey(AssociationKind, models.PROTECT, related_name="associations", verbose_name="вид")
    municipality = models.ForeignKey(
        Municipality, models.PROTECT, related_name="associations", verbose_name="муниципалитет"
    )
    school = models.ForeignKey(
        School, models.PROTECT, null=True, blank=True, related_name="associations", verbose_name="ОО (для ШМО)"
    )
    subject = models.ForeignKey(
        Subject, models.PROTECT, null=True, blank=True, related_name="associations", verbose_name="предмет"
    )
    is_active = models.BooleanField("действует", default=True)

    history = HistoricalRecords()
    scope_municipality_field = "municipality"

    class Meta:
        verbose_name = "методическое объединение"
        verbose_name_plural = "методические объединения"
        ordering = ["kind", "name"]

    def __str__(self):
        return self.name


class Membership(models.Model):
    class Role(models.TextChoices):
        LEADER = "leader", "руководитель"
        TUTOR = "tutor", "тьютор"
        EXPERT = "expert", "эксперт"
        MEMBER = "member", "участник"

    association = models.ForeignKey(Association, models.CASCADE, related_name="memberships", verbose_name="объединение")
    # Indexed by membership_teacher_facts below.
    teacher = models.ForeignKey(Teacher, models.CASCADE, related_name="memberships", verbose_name="педагог",
                                db_index=False)
    role = models.CharField("роль", max_length=10, choices=Role.choices, default=Role.MEMBER)
    start = models.DateField("дата включения")
    end = models.DateField("дата выхода", null=True, blank=True)

    objects = DateRangeQuerySet.as_manager()
    history = HistoricalRecords()
    scope_school_field = "teacher__appointments__school"
    scope_person_field = "teacher"

    class Meta:
        verbose_name = "участие в объединении"
        verbose_name_plural = "участие в объединениях"
        ordering = ["association", "role"]
        constraints = [
            models.CheckConstraint(condition=Q(end__isnull=True) | Q(end__gte=F("start")), name="membership_dates_in_order"),
            models.UniqueConstraint(
                fields=["association", "teacher", "role", "start"], name="membership_unique_start"
            ),
        ]
        # A person's memberships with the columns the indicator engine reads (index-only scans).
        indexes = [models.Index(fields=["teacher", "start", "end", "association", "role"],
                                name="membership_teacher_facts")]

    def __str__(self):
        return f"{self.teacher} — {self.association} ({self.get_role_display()})"

    def clean(self):
        if self.start and self.end and self.end < self.start:
            raise ValidationError({"end": "Дата выхода раньше даты включения."})
