from django.db import models
from django.db.models import Q
from simple_history.models import HistoricalRecords

from .reference import Cluster


class Municipality(models.Model):
    name = models.CharField("наименование", max_length=200, unique=True)
    short_name = models.CharField("краткое наименование", max_length=100, blank=True)
    region = models.CharField("субъект РФ", max_length=200, blank=True)
    office_name = models.CharField(
        "орган управления образованием", max_length=300, blank=True,
        help_text="Полное наименование, печатается в шапке приказов и справок.",
    )
    office_head = models.CharField("руководитель органа управления образованием", max_length=200, blank=True)
    place = models.CharField("место издания документов", max_length=100, blank=True)

    class Meta:
        verbose_name = "муниципалитет"
        verbose_name_plural = "муниципалитеты"
        ordering = ["name"]

    def __str__(self):
        return self.short_name or self.name


class SchoolQuerySet(models.QuerySet):
    def in_cluster(self, cluster):
        return self.filter(cluster=cluster)

    def in_municipality(self, municipality):
        return self.filter(municipality=municipality)

    def with_related(self):
        return self.select_related("municipality", "cluster")


class School(models.Model):
    """Образовательная организация (ОО)."""

    full_name = models.CharField("полное наименование", max_length=400)
    short_name = models.CharField("краткое наименование", max_length=150)
    municipality = models.ForeignKey(
        Municipality, models.PROTECT, related_name="schools", verbose_name="муниципалитет"
    )
    cluster = models.ForeignKey(Cluster, models.PROTECT, related_name="schools", verbose_name="кластер")
    head_name = models.CharField("руководитель", max_length=200, blank=True)
    address = models.CharField("адрес", max_length=300, blank=True)
    email = models.EmailField("электронная почта", blank=True)
    is_active = models.BooleanField("действующая", default=True)

    objects = SchoolQuerySet.as_manager()
    history = HistoricalRecords()

    scope_school_field = "pk"

    class Meta:
        verbose_name = "образовательная организация"
        verbose_name_plural = "образовательные организации"
        ordering = ["short_name"]
        constraints = [
            models.UniqueConstraint(fields=["municipality", "short_name"], name="school_short_name_unique_in_municipality"),
        ]
        # How many schools are active (the indicator engine asks on every computation): an index-only count.
        indexes = [models.Index(fields=["id"], condition=Q(is_active=True), name="school_active")]

    def __str__(self):
        return self.short_name


class MentorshipModelAdoption(models.Model):
    """Per school and year: does the school implement the target model of mentorship (целевая модель наставничества)."""

    school = models.ForeignKey(School, models.CASCADE, related_name="mentorship_models", verbose_name="ОО")
    year = models.PositiveSmallIntegerField("год")
    implements = models.BooleanField("реализует целевую модель наставничества", default=True)
    document = models.CharField("документ (положение, приказ)", max_length=300, blank=True)

    history = HistoricalRecords()
    scope_school_field = "school"

    class Meta:
        verbose_name = "целевая модель наставничества в ОО"
        verbose_name_plural = "целевая модель наставничества в ОО"
        constraints = [models.UniqueConstraint(fields=["school", "year"], name="mentorship_model_once_per_year")]
        ordering = ["-year", "school"]

    def __str__(self):
        return f"{self.school} — {self.year}"
