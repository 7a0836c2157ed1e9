"""The management cycle of seed 000 as records: goal → indicators → methods → monitoring → analysis →
addressed recommendations → measures → management decisions → effectiveness review.

Every record belongs to a municipality and a year; most to a direction of the monitoring. Indicators come
from the catalogue and monitoring from the calendar, so the section-2.2 table reads them from there.
"""
from django.conf import settings
from django.core.serializers.json import DjangoJSONEncoder
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import F, Q
from simple_history.models import HistoricalRecords

from indicators.models import ClosedYearGuard, Direction
from teachers.models import Cluster, Municipality, School, Teacher

from .calendar import ReportingPeriod


class CycleRecord(ClosedYearGuard, models.Model):
    municipality = models.ForeignKey(Municipality, models.CASCADE, related_name="+", verbose_name="муниципалитет")
    year = models.PositiveSmallIntegerField("год")
    direction = models.ForeignKey(Direction, models.PROTECT, related_name="+", verbose_name="направление",
                                  null=True, blank=True)
    document = models.CharField("документ", max_length=300, blank=True)
    timing = models.CharField("сроки", max_length=200, blank=True)
    responsible = models.CharField("ответственные / участники", max_length=300, blank=True)

    is_draft = models.BooleanField("черновик (перенесено из прошлого года)", default=False,
                                   help_text="Снимите отметку, когда текст проверен для нового года.")
    scope_municipality_field = "municipality"
    district_only = True  # written by the district's methodologists; school heads read (see scoping.can_edit)

    class Meta:
        abstract = True


class Agreement(models.TextChoices):
    YES = "yes", "соответствует"
    PARTLY = "partly", "соответствует частично"
    NO = "no", "не соответствует"


class Goal(CycleRecord):
    text = models.TextField("цель")
    justification = models.TextField("обоснование цели", blank=True)
    regional_agreement = models.CharField("соответствие региональной цели", max_length=10,
                                          choices=Agreement.choices, default=Agreement.YES)
    activities = models.TextField("мероприятия", blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = "цель"
        verbose_name_plural = "цели"
        ordering = ["-year", "direction__order", "pk"]

    def __str__(self):
        return self.text[:80]


class Method(CycleRecord):
    collection = models.TextField("методы сбора информации")
    processing = models.TextField("методы обработки информации", blank=True)
    information_systems = models.CharField("информационные системы для сбора", max_length=300, blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = "метод сбора и обработки"
        verbose_name_plural = "методы сбора и обработки"
        ordering = ["-year", "direction__order", "pk"]

    def __str__(self):
        return self.collection[:80]


class Analysis(CycleRecord):
    period = models.ForeignKey(ReportingPeriod, models.SET_NULL, null=True, blank=True, related_name="+",
                               verbose_name="отчётный период")
    text = models.TextField("анализ результатов")
    cluster_notes = models.TextField("кластерный анализ", blank=True)
    factors = models.TextField("факторы, влияющие на результаты", blank=True)
    written_on = models.DateField("дата")
    history = HistoricalRecords()

    class Meta:
        verbose_name = "анализ результатов мониторинга"
        verbose_name_plural = "анализ результатов мониторинга"
        ordering = ["-year", "-written_on", "pk"]

    def __str__(self):
        return f"Анализ {self.year}: {self.direction or 'все направления'} ({self.written_on:%d.%m.%Y})"


class RecommendationQuerySet(models.QuerySet):
    def addressed_to_school(self, school):
        """Recommendations a school's head must see: to the school, its cluster, or its teachers."""
        at_school = Teacher.objects.at_school(school).values("pk")
        return self.filter(Q(schools=school) | Q(cluster_id=school.cluster_id, municipality_id=school.municipality_id)
                           | Q(teachers__in=at_school)).distinct()


class Recommendation(CycleRecord):
    class Status(models.TextChoices):
        NEW = "new", "направлена"
        IN_WORK = "in_work", "выполняется"
        DONE = "done", "выполнена"
        CANCELLED = "cancelled", "отменена"

    analysis = models.ForeignKey(Analysis, models.SET_NULL, null=True, blank=True, related_name="recommendations",
                                 verbose_name="по итогам анализа")
    text = models.TextField("рекомендация")
    schools = models.ManyToManyField(School, blank=True, related_name="recommendations", verbose_name="адресаты: ОО")
    cluster = models.ForeignKey(Cluster, models.PROTECT, null=True, blank=True, related_name="+",
                                verbose_name="адресат: кластер")
    teachers = models.ManyToManyField(Teacher, blank=True, related_name="recommendations",
                                      verbose_name="адресаты: педагоги")
    due = models.DateField("срок исполнения", null=True, blank=True)
    status = models.CharField("статус", max_length=10, choices=Status.choices, default=Status.NEW)
    history = HistoricalRecords(m2m_fields=[schools, teachers])

    objects = RecommendationQuerySet.as_manager()

    class Meta:
        verbose_name = "адресная рекомендация"
        verbose_name_plural = "адресные рекомендации"
        ordering = ["-year", "due", "pk"]

    def __str__(self):
        return self.text[:80]

    @classmethod
    def scope_for_school_head(cls, queryset, user):
        """A head sees only the recommendations addressed to their school (see teachers.scoping.scoped)."""
        return queryset.filter(pk__in=cls.objects.addressed_to_school(user.school).values("pk"))

    def addressed_schools(self):
        """The schools this recommendation reaches (the same rule as `addressed_to_school`, from the other side):
        named ones, its cluster's, and the schools where its teachers work."""
        at_teachers = Teacher.objects.filter(recommendations=self).values("appointments__school")
        reach = Q(recommendations=self) | Q(pk__in=at_teachers)
        if self.cluster_id:
            reach |= Q(cluster_id=self.cluster_id)
        return School.objects.filter(reach, municipality_id=self.municipality_id, is_active=True).distinct()

    def addressees(self):
        schools = list(self.schools.all())
        total = getattr(self, "school_total", None)  # set by pages that list many recommendations
        if total is None and schools:
            total = School.objects.filter(municipality_id=self.municipality_id, is_active=True).count()
        if schools and len(schools) >= total:
            parts = ["все ОО муниципалитета"]
        else:
            parts = [s.short_name for s in schools]
        if self.cluster_id:
            parts.append(f"кластер «{self.cluster.short_name}»")
        parts += [t.short_name for t in self.teachers.all()]
        return ", ".join(parts)


class RecommendationResponse(ClosedYearGuard, models.Model):
    """An addressed school's answer to a recommendation: taken up for execution, then done — with a short note
    and the date. One per school and recommendation, written only by that school's head through
    `monitoring.recommendations.respond`; every change is kept in its history."""

    class Status(models.TextChoices):
        ACCEPTED = "accepted", "принято к исполнению"
        DONE = "done", "выполнено"

    recommendation = models.ForeignKey(Recommendation, models.CASCADE, related_name="responses",
                                       verbose_name="рекомендация")
    school = models.ForeignKey(School, models.CASCADE, related_name="recommendation_responses", verbose_name="ОО")
    status = models.CharField("отметка ОО", max_length=10, choices=Status.choices)
    note = models.CharField("что сделано / что планируется", max_length=500, blank=True)
    on = models.DateField("дата")
    answered_by = models.ForeignKey(settings.AUTH_USER_MODEL, models.SET_NULL, null=True, blank=True,
                                    related_name="+", verbose_name="ответил")
    answered_at = models.DateTimeField("изменено", auto_now=True)
    history = HistoricalRecords()

    scope_school_field = "school"

    class Meta:
        verbose_name = "ответ ОО на рекомендацию"
        verbose_name_plural = "ответы ОО на рекомендации"
        ordering = ["recommendation", "school__short_name"]
        constraints = [models.UniqueConstraint(fields=["recommendation", "school"],
                                               name="recommendation_response_once_per_school")]

    def __str__(self):
        return f"{self.school.short_name}: {self.get_status_display()}"

    def closed_year(self):
        """A closed year's answers stay as they were, like the recommendation itself."""
        if self.recommendation_id is None:  # a form's unbound answer: checked again by `respond`
            return None, None
        rec = self.recommendation
        return rec.year, rec.municipality_id


class Measure(CycleRecord):
    class Status(models.TextChoices):
        PLANNED = "planned", "запланирована"
        DONE = "done", "проведена"
        CANCELLED = "cancelled", "отменена"

    recommendation = models.ForeignKey(Recommendation, models.SET_NULL, null=True, blank=True,
                                       related_name="measures", verbose_name="по рекомендации")
    title = models.TextField("мера / мероприятие")
    start = models.DateField("начало")
    end = models.DateField("окончание", null=True, blank=True)
    participants = models.TextField("участники", blank=True)
    status = models.CharField("статус", max_length=10, choices=Status.choices, default=Status.PLANNED)
    history = HistoricalRecords()

    class Meta:
        verbose_name = "мера"
        verbose_name_plural = "меры и мероприятия"
        ordering = ["-year", "start", "pk"]
        constraints = [models.CheckConstraint(condition=Q(end__isnull=True) | Q(end__gte=F("start")),
                                              name="measure_dates_in_order")]

    def __str__(self):
        return self.title[:80]

    def clean(self):
        if self.start and self.end and self.end < self.start:
            raise ValidationError({"end": "Дата окончания раньше даты начала."})


class Decision(CycleRecord):
    analysis = models.ForeignKey(Analysis, models.SET_NULL, null=True, blank=True, related_name="decisions",
                                 verbose_name="на основании анализа")
    decided_on = models.DateField("дата решения")
    text = models.TextField("управленческое решение")
    history = HistoricalRecords()

    class Meta:
        verbose_name = "управленческое решение"
        verbose_name_plural = "управленческие решения"
        ordering = ["-year", "-decided_on", "pk"]

    def __str__(self):
        return self.text[:80]


class EffectivenessReview(CycleRecord):
    reviewed_on = models.DateField("дата анализа")
    conclusions = models.TextField("выводы об эффективности мер")
    problems = models.TextField("выявленные проблемы", blank=True)
    # Targets against the engine's values when the review was last computed: [{code, name, target, actual,
    # reached}]. Written by the action `monitoring.cycle.review_effectiveness` (the page on create and on
    # «Пересчитать», the admin action, the seed), never by save(): the admin and fixtures save without the engine.
    values = models.JSONField("целевые и фактические значения", default=list, blank=True, editable=False,
                              encoder=DjangoJSONEncoder)
    author = models.ForeignKey(settings.AUTH_USER_MODEL, models.SET_NULL, null=True, blank=True, related_name="+",
                               editable=False, verbose_name="автор")
    history = HistoricalRecords()

    class Meta:
        verbose_name = "анализ эффективности мер"
        verbose_name_plural = "анализ эффективности мер"
        ordering = ["-year", "-reviewed_on", "pk"]

    def __str__(self):
        return f"Анализ эффективности {self.year}: {self.direction or 'все направления'}"
