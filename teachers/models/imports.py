from django.conf import settings
from django.db import models


class ImportLog(models.Model):
    """One applied XLSX import (of any kind, see teachers.importing.kinds): who, when, which file, what it changed.

    The teachers and appointments it wrote carry their own django-simple-history
    records with the importing user; this row is the import as a whole, shown on
    the import page as «История загрузок».
    """

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.SET_NULL, null=True, related_name="staff_imports", verbose_name="кто загрузил"
    )
    school = models.ForeignKey(
        "teachers.School", models.SET_NULL, null=True, related_name="staff_imports", verbose_name="ОО"
    )
    kind = models.CharField("вид загрузки", max_length=20, default="staff")
    target_name = models.CharField("куда загружено", max_length=400, blank=True)
    school_name = models.CharField("ОО (на момент загрузки)", max_length=255)
    created = models.DateTimeField("когда", auto_now_add=True)
    file_name = models.CharField("файл", max_length=255)
    rows = models.PositiveIntegerField("строк в файле")
    teachers_created = models.PositiveIntegerField("педагогов добавлено", default=0)
    teachers_updated = models.PositiveIntegerField("педагогов изменено", default=0)
    appointments_created = models.PositiveIntegerField("должностей добавлено", default=0)
    appointments_updated = models.PositiveIntegerField("должностей изменено", default=0)
    records_created = models.PositiveIntegerField("записей добавлено", default=0)
    records_updated = models.PositiveIntegerField("записей изменено", default=0)
    rows_unchanged = models.PositiveIntegerField("строк без изменений", default=0)
    seconds = models.FloatField("время обработки, с", default=0)
    details = models.JSONField("подробности", default=dict, blank=True)

    scope_school_field = "school"

    class Meta:
        verbose_name = "загрузка из XLSX"
        verbose_name_plural = "журнал загрузок из XLSX"
        ordering = ["-created", "-pk"]

    def __str__(self):
        return f"{self.file_name} — {self.school_name} ({self.created:%d.%m.%Y %H:%M})"
