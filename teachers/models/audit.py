"""Audit logs of personal data leaving the database: table exports and document downloads, teacher card views.

Written by `teachers.personal_data`; read-only everywhere, the admin included.
"""
from django.conf import settings
from django.db import models


class ExportLog(models.Model):
    """Who exported which table (with which filters) or downloaded which document, when and from where."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, models.SET_NULL, null=True, related_name="exports", verbose_name="пользователь")
    created = models.DateTimeField("когда", auto_now_add=True)
    address = models.GenericIPAddressField("адрес клиента", null=True, blank=True)
    what = models.CharField("что выгружено", max_length=200)
    query = models.TextField("фильтры", blank=True)
    rows = models.PositiveIntegerField("строк")

    class Meta:
        verbose_name = "выгрузка таблицы"
        verbose_name_plural = "журнал выгрузок"
        ordering = ["-created"]

    def __str__(self):
        return f"{self.user} — {self.what} ({self.created:%d.%m.%Y %H:%M})"


class AccessLog(models.Model):
    """One view of a teacher's card (the person's personal data) by a user."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, models.SET_NULL, null=True, related_name="+",
                             verbose_name="пользователь")
    created = models.DateTimeField("когда", auto_now_add=True)
    address = models.GenericIPAddressField("адрес клиента", null=True, blank=True)
    # SET_NULL keeps the row when the person is deleted; the path still names the card that was opened.
    teacher = models.ForeignKey("teachers.Teacher", models.SET_NULL, null=True, blank=True, related_name="+",
                                verbose_name="педагог")
    path = models.CharField("страница", max_length=300)

    class Meta:
        verbose_name = "просмотр карточки педагога"
        verbose_name_plural = "журнал просмотров карточек педагогов"
        ordering = ["-created", "-pk"]
        indexes = [models.Index(fields=["teacher", "created"], name="accesslog_teacher_created")]

    def __str__(self):
        return f"{self.user} — {self.path} ({self.created:%d.%m.%Y %H:%M})"
