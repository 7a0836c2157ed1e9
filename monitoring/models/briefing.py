"""The аналитическая справка's editable text: drafted from the numbers, corrected by a methodologist."""
from django.conf import settings
from django.db import models
from simple_history.models import HistoricalRecords

from indicators.models import ClosedYearGuard
from teachers.models import Municipality


class Briefing(ClosedYearGuard, models.Model):
    municipality = models.ForeignKey(Municipality, models.CASCADE, related_name="+", verbose_name="муниципалитет")
    year = models.PositiveSmallIntegerField("год")
    intro = models.TextField("вводная часть", blank=True)
    # {direction code: text}: conclusions per direction, drafted from the numbers and then edited.
    conclusions = models.JSONField("выводы по направлениям", default=dict, blank=True)
    summary = models.TextField("общие выводы и предложения", blank=True)
    signatory = models.CharField("подпись (должность, ФИО)", max_length=300, blank=True)
    updated_by = models.ForeignKey(settings.AUTH_USER_MODEL, models.SET_NULL, null=True, blank=True, related_name="+",
                                   verbose_name="изменил")
    updated_at = models.DateTimeField("изменено", auto_now=True)
    history = HistoricalRecords()

    scope_municipality_field = "municipality"
    district_only = True

    class Meta:
        verbose_name = "аналитическая справка"
        verbose_name_plural = "аналитические справки"
        constraints = [models.UniqueConstraint(fields=["municipality", "year"], name="briefing_once_per_year")]

    def __str__(self):
        return f"Аналитическая справка {self.year}: {self.municipality}"
