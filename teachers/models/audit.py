from django.conf import settings
from django.db import models


class ExportLog(models.Model):
    """Who exported which table (with which filters) and when; documents log their own jobs."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, models.SET_NULL, null=True, related_name="exports", verbose_name="пользователь")
    created = models.DateTimeField("когда", auto_now_add=True)
    what = models.CharField("что выгружено", max_length=200)
    query = models.TextField("фильтры", blank=True)
    rows = models.PositiveIntegerField("строк")

    class Meta:
        verbose_name = "выгрузка таблицы"
        verbose_name_plural = "журнал выгрузок"
        ordering = ["-created"]

    def __str__(self):
        return f"{self.user} — {self.what} ({self.created:%d.%m.%Y %H:%M})"
