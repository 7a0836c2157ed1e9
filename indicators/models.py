"""The indicator catalogue as data: definitions versioned by year, and targets.

A share is `numerator / denominator × 100`, where each side is a *population*
expression: population names from `indicators.populations` joined with "+"
(intersection), e.g. "young+school_mentor+municipal_mentor" / "young". An
admin can define a new share by combining existing populations, no code.
"""
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from simple_history.models import HistoricalRecords

from teachers.models import Cluster, Municipality


class YearClosure(models.Model):
    """A monitoring year closed for a municipality after its section-2.2 analysis (monitoring.years.close_year).

    From then on that year's reports, targets and cycle records, and the catalogue versions and rating weights in
    force that year, are read-only everywhere (`ClosedYearGuard`), so documents already signed stay true."""

    municipality = models.ForeignKey(Municipality, models.CASCADE, related_name="closed_years",
                                     verbose_name="муниципалитет")
    year = models.PositiveSmallIntegerField("год")
    closed_at = models.DateTimeField("закрыт", auto_now_add=True)
    closed_by = models.ForeignKey("teachers.User", models.SET_NULL, null=True, related_name="+",
                                  verbose_name="кто закрыл")

    class Meta:
        verbose_name = "закрытый год мониторинга"
        verbose_name_plural = "закрытые годы мониторинга"
        ordering = ["-year", "municipality"]
        constraints = [models.UniqueConstraint(fields=["municipality", "year"], name="year_closed_once")]

    def __str__(self):
        return f"{self.municipality}: {self.year} г. закрыт"


def year_closed(year, municipality_id=None):
    """Is `year` closed (for `municipality_id`; for any municipality when None — region-wide settings)?"""
    if year is None:
        return False
    closures = YearClosure.objects.filter(year=year)
    if municipality_id is not None:
        closures = closures.filter(municipality_id=municipality_id)
    return closures.exists()


class ClosedYearGuard:
    """Records of a closed year cannot change on any path: forms and the admin see `read_only_reason()` (the
    admin shows them read-only, `scoping.can_edit` says no), and save()/delete() refuse as a last line."""

    def closed_year(self):
        """The year this record belongs to and its municipality id (None: region-wide), or (None, None)."""
        return getattr(self, "year", None), getattr(self, "municipality_id", None)

    def read_only_reason(self):
        year, municipality_id = self.closed_year()
        if self.pk is not None:
            stored = type(self)._default_manager.filter(pk=self.pk).first()
            if stored is not None and stored is not self:
                old_year, old_municipality = stored.closed_year()
                if year_closed(old_year, old_municipality):
                    return f"{old_year} год закрыт: записи этого года только для чтения."
        if year_closed(year, municipality_id):
            return f"{year} год закрыт: записи этого года только для чтения."
        return None

    def clean(self):
        super().clean()
        reason = self.read_only_reason()
        if reason:
            raise ValidationError(reason)

    def save(self, *args, **kwargs):
        reason = self.read_only_reason()
        if reason:
            raise ValidationError(reason)
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        reason = self.read_only_reason()
        if reason:
            raise ValidationError(reason)
        return super().delete(*args, **kwargs)


class Direction(models.Model):
    code = models.SlugField("код", max_length=20, unique=True)
    name = models.CharField("направление", max_length=300)
    order = models.PositiveSmallIntegerField("порядок", default=0)

    history = HistoricalRecords()

    class Meta:
        verbose_name = "направление мониторинга"
        verbose_name_plural = "направления мониторинга"
        ordering = ["order"]

    def __str__(self):
        return self.name


class IndicatorQuerySet(models.QuerySet):
    def valid_in(self, year):
        return self.filter(valid_from__lte=year).filter(Q(valid_to__isnull=True) | Q(valid_to__gte=year))


class Indicator(models.Model):
    """A definition of an indicator for the years [valid_from, valid_to]. Once a year it covers is closed, the
    definition is frozen (`read_only_reason`): only its last year may be set, to end it and start a new version."""

    class Kind(models.TextChoices):
        SHARE = "share", "доля, %"
        COUNT = "count", "количество"
        MEAN = "mean", "среднее значение"
        DISTRIBUTION = "distribution", "распределение"

    class Staff(models.TextChoices):
        MAIN = "main", "основные работники"
        ALL = "all", "основные и внешние совместители"

    class Subject(models.TextChoices):
        TEACHERS = "teachers", "педагогические работники"
        SCHOOLS = "schools", "образовательные организации"

    code = models.CharField("код", max_length=20)
    name = models.CharField("наименование (формулировка)", max_length=500)
    short_name = models.CharField("краткое наименование", max_length=200)
    direction = models.ForeignKey(Direction, models.PROTECT, related_name="indicators", verbose_name="направление")
    kind = models.CharField("вид", max_length=15, choices=Kind.choices)
    subject = models.CharField("что считаем", max_length=10, choices=Subject.choices, default=Subject.TEACHERS)
    numerator = models.CharField(
        "числитель", max_length=200, blank=True,
        help_text="Популяции через «+» (пересечение), например «diagnosed+with_deficits»; для количества — что считаем.",
    )
    denominator = models.CharField("знаменатель", max_length=200, blank=True)
    numerator_label = models.CharField("обозначение числителя", max_length=20, blank=True)
    denominator_label = models.CharField("обозначение знаменателя", max_length=20, blank=True)
    staff = models.CharField("кого считаем", max_length=5, choices=Staff.choices, default=Staff.MAIN)
    unit = models.CharField("единица измерения", max_length=30, default="%")
    higher_is_better = models.BooleanField("чем больше, тем лучше", default=True)
    source = models.CharField("источник данных", max_length=300, blank=True)
    for_rating = models.BooleanField("компонент рейтинга «Вклад ОО»", default=False)
    valid_from = models.PositiveSmallIntegerField("действует с года", default=2021)
    valid_to = models.PositiveSmallIntegerField("действует по год", null=True, blank=True)
    order = models.PositiveSmallIntegerField("порядок", default=0)

    objects = IndicatorQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        verbose_name = "показатель"
        verbose_name_plural = "показатели"
        ordering = ["order", "code", "-valid_from"]
        constraints = [
            models.UniqueConstraint(fields=["code", "valid_from"], name="indicator_version_unique"),
            models.CheckConstraint(
                condition=Q(valid_to__isnull=True) | Q(valid_to__gte=models.F("valid_from")),
                name="indicator_validity_in_order",
            ),
        ]

    def __str__(self):
        return f"{self.code}. {self.short_name}"

    def closed_years(self):
        """Closed monitoring years within this definition's years, ascending."""
        closures = YearClosure.objects.filter(year__gte=self.valid_from)
        if self.valid_to:
            closures = closures.filter(year__lte=self.valid_to)
        return sorted(set(closures.values_list("year", flat=True)))

    def read_only_reason(self):
        """Why this definition may not change as it now stands (a closed year uses it), or None."""
        if self.pk is None:
            return None
        stored = type(self)._default_manager.filter(pk=self.pk).first()
        if stored is None:
            return None
        closed = stored.closed_years()
        if not closed:
            return None
        frozen = [f.attname for f in self._meta.concrete_fields if f.attname not in ("id", "valid_to")]
        changed = [name for name in frozen if getattr(stored, name) != getattr(self, name)]
        if changed or (self.valid_to is not None and self.valid_to < closed[-1]):
            return (f"Определение использовано в закрытом {closed[-1]} году: изменить можно только год окончания "
                    f"(не раньше {closed[-1]}), а новую редакцию — создать на следующий год.")
        return None

    def delete(self, *args, **kwargs):
        if self.pk and self.closed_years():
            raise ValidationError("Определение использовано в закрытом году: удалить его нельзя.")
        return super().delete(*args, **kwargs)

    def save(self, *args, **kwargs):
        reason = self.read_only_reason()
        if reason:
            raise ValidationError(reason)
        super().save(*args, **kwargs)

    def reached(self, value, target):
        """Whether `value` meets `target` (or any reference value) in this indicator's good direction; None
        when either is missing."""
        if value is None or target is None:
            return None
        return value >= target if self.higher_is_better else value <= target

    def clean(self):
        from .populations import check_expression

        reason = self.read_only_reason()
        if reason:
            raise ValidationError(reason)
        errors = {}
        for field in ("numerator", "denominator"):
            problem = check_expression(getattr(self, field), self.subject, kind=self.kind)
            if problem:
                errors[field] = problem
        if self.kind == self.Kind.SHARE and not (self.numerator and self.denominator):
            errors["denominator"] = "Для доли нужны числитель и знаменатель."
        if self.valid_to is not None and self.valid_from is not None and self.valid_to < self.valid_from:
            errors["valid_to"] = "Год окончания действия раньше года начала."
        if self.code and self.valid_from is not None:
            overlapping = Indicator.objects.filter(code=self.code).exclude(pk=self.pk).filter(
                Q(valid_to__isnull=True) | Q(valid_to__gte=self.valid_from))
            if self.valid_to is not None:
                overlapping = overlapping.filter(valid_from__lte=self.valid_to)
            if overlapping.exists():
                errors["valid_from"] = ("Годы действия пересекаются с другой редакцией этого показателя: "
                                        "закройте её годом окончания.")
        if errors:
            raise ValidationError(errors)


class Target(ClosedYearGuard, models.Model):
    """Целевое значение показателя на год: для района (cluster пуст) или для кластера."""

    indicator_code = models.CharField("код показателя", max_length=20)
    year = models.PositiveSmallIntegerField("год")
    municipality = models.ForeignKey(Municipality, models.CASCADE, related_name="targets", verbose_name="муниципалитет")
    cluster = models.ForeignKey(
        Cluster, models.CASCADE, null=True, blank=True, related_name="targets", verbose_name="кластер"
    )
    value = models.DecimalField("целевое значение", max_digits=8, decimal_places=1)

    history = HistoricalRecords()

    class Meta:
        verbose_name = "целевое значение"
        verbose_name_plural = "целевые значения"
        ordering = ["year", "indicator_code"]
        constraints = [
            models.UniqueConstraint(
                fields=["indicator_code", "year", "municipality"], condition=Q(cluster__isnull=True),
                name="target_unique_district",
            ),
            models.UniqueConstraint(
                fields=["indicator_code", "year", "municipality", "cluster"], condition=Q(cluster__isnull=False),
                name="target_unique_cluster",
            ),
        ]

    def __str__(self):
        return f"{self.indicator_code} {self.year}: {self.value}"

    def clean(self):
        super().clean()
        if self.indicator_code and self.year and not Indicator.objects.valid_in(self.year).filter(
                code=self.indicator_code).exists():
            raise ValidationError({"indicator_code": f"Показателя «{self.indicator_code}» нет в перечне {self.year} года."})


class RatingCriterion(ClosedYearGuard, models.Model):
    """A criterion of the «Вклад ОО» rating for a year: an indicator of the catalogue (a share of the school's
    staff) and its weight. A year's rating uses the set of criteria of the latest year up to it
    (`criteria_for`), so new weights for next year never re-weight a rating already issued."""

    indicator_code = models.CharField("код показателя", max_length=20)
    year = models.PositiveSmallIntegerField("год, с которого действуют веса", default=2020)
    weight = models.DecimalField("вес", max_digits=4, decimal_places=1,
                                 validators=[MinValueValidator(Decimal("0.1")), MaxValueValidator(Decimal("10"))])
    order = models.PositiveSmallIntegerField("порядок", default=0)

    history = HistoricalRecords()

    class Meta:
        verbose_name = "критерий рейтинга «Вклад ОО»"
        verbose_name_plural = "критерии рейтинга «Вклад ОО»"
        ordering = ["-year", "order", "indicator_code"]
        constraints = [models.UniqueConstraint(fields=["indicator_code", "year"], name="criterion_once_per_year")]

    def __str__(self):
        return f"{self.indicator_code} × {self.weight} ({self.year})"

    def closed_year(self):
        return self.year, None  # weights are region-wide: frozen once any municipality closed the year

    @classmethod
    def criteria_for(cls, year):
        """The criteria in force in `year`: the set of the latest year up to it."""
        latest = cls.objects.filter(year__lte=year).order_by("-year").values_list("year", flat=True).first()
        return cls.objects.filter(year=latest) if latest is not None else cls.objects.none()

    def clean(self):
        super().clean()
        ind = Indicator.objects.filter(code=self.indicator_code).order_by("-valid_from").first()
        if ind is None:
            raise ValidationError({"indicator_code": f"Показателя «{self.indicator_code}» нет в каталоге."})
        if ind.kind != Indicator.Kind.SHARE:
            raise ValidationError({"indicator_code": "Критерием рейтинга может быть только доля (%)."})


class DataVersion(models.Model):
    """One row counting changes to the data the engine reads; cached results are keyed by it.

    Bumped by signals on every save/delete of the staff domain and the catalogue, and by the bulk paths that
    bypass signals (staff import, demo data). Read in one query per computation.
    """

    version = models.BigIntegerField("версия данных", default=0)

    class Meta:
        verbose_name = "версия данных показателей"
        verbose_name_plural = "версия данных показателей"

    def __str__(self):
        return str(self.version)
