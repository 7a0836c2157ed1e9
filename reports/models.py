"""Document jobs: what was ordered, by whom, how far it got, and the file when it is ready."""
from datetime import timedelta

from django.conf import settings
from django.db import models
from django.utils import timezone


class Format(models.TextChoices):
    PDF = "pdf", "PDF"
    XLSX = "xlsx", "XLSX"
    DOCX = "docx", "DOCX (Word)"


class Status(models.TextChoices):
    QUEUED = "queued", "в очереди"
    RUNNING = "running", "готовится"
    DONE = "done", "готов"
    FAILED = "failed", "ошибка"


def _expiry():
    return timezone.now() + timedelta(days=settings.REPORTS_KEEP_DAYS)


class Job(models.Model):
    Format = Format
    Status = Status

    owner = models.ForeignKey(settings.AUTH_USER_MODEL, models.CASCADE, related_name="document_jobs",
                              verbose_name="заказчик")
    # A plain string, one of reports.documents.registry.REGISTRY (the ordering form and the task check it): a new
    # document needs no migration.
    kind = models.CharField("документ", max_length=30)
    fmt = models.CharField("формат", max_length=5, choices=Format.choices)
    # Ids and years only: the task reads everything else itself, with the owner's rights at that moment.
    params = models.JSONField("параметры", default=dict)
    title = models.CharField("название", max_length=300)
    status = models.CharField("состояние", max_length=10, choices=Status.choices, default=Status.QUEUED)
    progress = models.PositiveSmallIntegerField("готовность, %", default=0)
    message = models.TextField("сообщение", blank=True)
    file = models.FileField("файл", upload_to="documents/%Y/%m", blank=True)
    file_name = models.CharField("имя файла", max_length=200, blank=True)
    size = models.PositiveIntegerField("размер, байт", default=0)
    attempts = models.PositiveSmallIntegerField("попыток", default=0)
    created_at = models.DateTimeField("заказан", auto_now_add=True)
    started_at = models.DateTimeField("начат", null=True, blank=True)
    finished_at = models.DateTimeField("завершён", null=True, blank=True)
    heartbeat = models.DateTimeField("последний признак работы", null=True, blank=True)
    expires_at = models.DateTimeField("хранится до", default=_expiry)

    class Meta:
        verbose_name = "документ"
        verbose_name_plural = "документы"
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["status", "heartbeat"]), models.Index(fields=["expires_at"])]

    def __str__(self):
        return f"{self.title} ({self.get_fmt_display()})"

    @property
    def content_type(self):
        if self.fmt == Format.PDF:
            return "application/pdf"
        if self.fmt == Format.DOCX:
            return "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
        return "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"

    @property
    def is_finished(self):
        return self.status in (Status.DONE, Status.FAILED)


class Signatories(models.Model):
    """Who signs, prepared and approves a municipality's orders and letters: chosen when ordering, remembered
    here so the next document starts from the same people (ГОСТ Р 7.0.97-2016: подпись, визы, исполнитель)."""

    municipality = models.OneToOneField("teachers.Municipality", models.CASCADE, related_name="signatories",
                                        verbose_name="муниципалитет")
    signer_title = models.CharField("должность подписывающего", max_length=200, blank=True)
    signer_name = models.CharField("подписывающий (ФИО)", max_length=200, blank=True)
    executor_name = models.CharField("исполнитель (ФИО)", max_length=200, blank=True)
    executor_phone = models.CharField("телефон исполнителя", max_length=60, blank=True)
    approvers = models.TextField("согласование: по строке «должность; ФИО»", blank=True)
    updated_at = models.DateTimeField("изменено", auto_now=True)

    scope_municipality_field = "municipality"

    class Meta:
        verbose_name = "подписи и согласования документов"
        verbose_name_plural = "подписи и согласования документов"

    def __str__(self):
        return f"{self.municipality}: {self.signer_name or 'подпись не указана'}"
