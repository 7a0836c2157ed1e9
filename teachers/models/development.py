"""Professional development records: diagnostics, individual routes (ИОМ), events and participations."""
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import F, Q
from django.db.models.signals import m2m_changed, post_delete, pre_delete
from django.dispatch import receiver
from simple_history.models import HistoricalRecords

from .reference import DeficitArea, EventKind, EventLevel, Subject
from .schools import Municipality, School
from .staff import Teacher


class DiagnosticCampaign(models.Model):
    """A diagnostic procedure of professional deficits / subject competences."""

    class Organizer(models.TextChoices):
        CNPPM = "cnppm", "ЦНППМ"
        COPMKP = "copmkp", "ЦОПМКП"
        MUNICIPAL = "municipal", "муниципальный уровень"
        SCHOOL = "school", "школьный уровень"

    title = models.CharField("наименование", max_length=300)
    organizer = models.CharField("организатор", max_length=12, choices=Organizer.choices)
    municipality = models.ForeignKey(
        Municipality, models.PROTECT, related_name="diagnostic_campaigns", verbose_name="муниципалитет"
    )
    school = models.ForeignKey(
        School, models.PROTECT, null=True, blank=True, related_name="diagnostic_campaigns",
        verbose_name="ОО (для школьной диагностики)",
    )
    subject = models.ForeignKey(
        Subject, models.PROTECT, null=True, blank=True, related_name="diagnostic_campaigns",
        verbose_name="предметная область",
    )
    start_date = models.DateField("дата начала")
    end_date = models.DateField("дата окончания")
    max_score = models.DecimalField("максимальный балл", max_digits=6, decimal_places=2, null=True, blank=True)
    description = models.TextField("описание", blank=True)

    history = HistoricalRecords()
    scope_municipality_field = "municipality"

    class Meta:
        verbose_name = "диагностика профессиональных дефицитов"
        verbose_name_plural = "диагностики профессиональных дефицитов"
        ordering = ["-start_date", "title"]
        constraints = [
            models.CheckConstraint(condition=Q(end_date__gte=F("start_date")), name="campaign_dates_in_order"),
            models.CheckConstraint(
                condition=~Q(organizer="school") | Q(school__isnull=False), name="campaign_school_level_has_school"
            ),
        ]
        indexes = [models.Index(fields=["end_date"], name="campaign_end_date")]

    def __str__(self):
        return f"{self.title} ({self.start_date:%d.%m.%Y})"

    def clean(self):
        if self.start_date and self.end_date and self.end_date < self.start_date:
            raise ValidationError({"end_date": "Дата окончания раньше даты начала."})
        if self.organizer == self.Organizer.SCHOOL and not self.school_id:
            raise ValidationError({"school": "Для школьной диагностики укажите ОО."})
        if self.school_id and self.municipality_id and self.school.municipality_id != self.municipality_id:
            raise ValidationError({"school": "ОО не относится к выбранному муниципалитету."})


class DiagnosticResultQuerySet(models.QuerySet):
    def in_period(self, start, end):
        return self.filter(campaign__end_date__gte=start, campaign__end_date__lte=end)

    def with_deficits(self):
        return self.filter(has_deficits=True)

    def sync_has_deficits(self):
        """Set `has_deficits` of these results from their deficit areas; how many rows changed.

        For writes that bypass the m2m signals (a deleted area takes its links with it). Two UPDATEs whatever
        the number of rows; they bypass model signals too, so a change is announced with `bulk_changed`.
        """
        through = self.model.deficit_areas.through
        has_areas = models.Exists(through.objects.filter(diagnosticresult_id=models.OuterRef("pk")))
        changed = (self.filter(has_deficits=False).filter(has_areas).update(has_deficits=True)
                   + self.filter(has_deficits=True).exclude(has_areas).update(has_deficits=False))
        if changed:
            from ..signals import bulk_changed

            bulk_changed.send(sender=self.model)
        return changed


class DiagnosticResult(models.Model):
    """One teacher's participation in a campaign and the deficit areas it found."""

    campaign = models.ForeignKey(DiagnosticCampaign, models.CASCADE, related_name="results", verbose_name="диагностика")
    # Indexed by result_teacher_facts below.
    teacher = models.ForeignKey(Teacher, models.CASCADE, related_name="diagnostic_results", verbose_name="педагог",
                                db_index=False)
    score = models.DecimalField("балл", max_digits=6, decimal_places=2, null=True, blank=True)
    deficit_areas = models.ManyToManyField(
        DeficitArea, blank=True, related_name="results", verbose_name="выявленные дефициты"
    )
    # Derived from deficit_areas, never entered: save() and the m2m_changed receiver below keep it in step on
    # every path (pages, bulk entry, imports, the admin, a history revert), whatever a form posts for it.
    # A plain column keeps D2 a single indexed filter.
    has_deficits = models.BooleanField("выявлены дефициты", default=False)
    comment = models.TextField("комментарий", blank=True)

    objects = DiagnosticResultQuerySet.as_manager()
    history = HistoricalRecords(m2m_fields=[deficit_areas])
    scope_school_field = "teacher__appointments__school"
    scope_person_field = "teacher"

    class Meta:
        verbose_name = "результат диагностики"
        verbose_name_plural = "результаты диагностики"
        constraints = [models.UniqueConstraint(fields=["campaign", "teacher"], name="result_once_per_campaign")]
        # The indicator engine reads a person's results by teacher with only these columns (index-only scans).
        indexes = [models.Index(fields=["teacher", "campaign", "has_deficits"], name="result_teacher_facts")]

    def __str__(self):
        return f"{self.teacher} — {self.campaign}"

    def clean(self):
        if self.score is not None and self.campaign_id and self.campaign.max_score is not None:
            if self.score < 0 or self.score > self.campaign.max_score:
                raise ValidationError({"score": f"Балл должен быть от 0 до {self.campaign.max_score}."})

    def save(self, *args, **kwargs):
        # A new result has no deficit areas yet: they are added after it is saved, and the m2m_changed
        # receiver sets the flag then. An existing one reads its areas as stored.
        update_fields = kwargs.get("update_fields")
        if update_fields is None or "has_deficits" in update_fields:
            self.has_deficits = not self._state.adding and self.deficit_areas.exists()
        super().save(*args, **kwargs)

    def sync_has_deficits(self):
        """Bring this result's flag in step with its stored deficit areas (the m2m_changed receiver below calls
        it on `add`, `remove`, `set` and `clear`)."""
        has = self.deficit_areas.exists()
        if has != self.has_deficits:
            self.has_deficits = has
            type(self).objects.filter(pk=self.pk).update(has_deficits=has)
            from ..signals import bulk_changed

            bulk_changed.send(sender=type(self))


@receiver(m2m_changed, sender=DiagnosticResult.deficit_areas.through, dispatch_uid="result-has-deficits")
def _deficit_areas_changed(sender, instance, action, reverse, **kwargs):
    # Only from the result's side: simple-history's m2m tracking cannot write from the area's side at all.
    if not reverse and action in ("post_add", "post_remove", "post_clear"):
        instance.sync_has_deficits()


@receiver(pre_delete, sender=DeficitArea, dispatch_uid="area-delete-results")
def _area_deleting(sender, instance, **kwargs):
    # Deleting an area deletes its link rows without m2m_changed.
    instance._results_before_delete = list(instance.results.values_list("pk", flat=True))


@receiver(post_delete, sender=DeficitArea, dispatch_uid="area-deleted-results")
def _area_deleted(sender, instance, **kwargs):
    DiagnosticResult.objects.filter(pk__in=getattr(instance, "_results_before_delete", [])).sync_has_deficits()


class IndividualRoute(models.Model):
    """Индивидуальный образовательный маршрут (ИОМ)."""

    class Status(models.TextChoices):
        DRAFT = "draft", "проект"
        ACTIVE = "active", "реализуется"
        COMPLETED = "completed", "выполнен"
        CANCELLED = "cancelled", "отменён"

    # Indexed by route_teacher_facts below.
    teacher = models.ForeignKey(Teacher, models.CASCADE, related_name="routes", verbose_name="педагог", db_index=False)
    year = models.PositiveSmallIntegerField("год")
    diagnostic_result = models.ForeignKey(
        DiagnosticResult, models.SET_NULL, null=True, blank=True, related_name="routes",
        verbose_name="результат диагностики, на котором основан ИОМ",
    )
    approved_on = models.DateField("дата утверждения")
    status = models.CharField("статус", max_length=10, choices=Status.choices, default=Status.ACTIVE)
    goal = models.TextField("цель", blank=True)

    history = HistoricalRecords()
    scope_school_field = "teacher__appointments__school"
    scope_person_field = "teacher"

    class Meta:
        verbose_name = "индивидуальный образовательный маршрут"
        verbose_name_plural = "индивидуальные образовательные маршруты"
        ordering = ["-year", "teacher"]
        indexes = [
            models.Index(fields=["approved_on", "teacher"], name="route_approved_teacher"),
            # Everything the indicator engine reads of a person's routes (index-only scans).
            models.Index(fields=["teacher", "year", "approved_on", "status", "diagnostic_result", "id"],
                         name="route_teacher_facts"),
        ]

    def __str__(self):
        return f"ИОМ {self.year}: {self.teacher}"

    def clean(self):
        if self.diagnostic_result_id and self.teacher_id and self.diagnostic_result.teacher_id != self.teacher_id:
            raise ValidationError({"diagnostic_result": "Результат диагностики относится к другому педагогу."})


class Event(models.Model):
    """Мероприятие: курсы, переподготовка, семинар, конкурс, публикация, заседание РМО, сетевое мероприятие…"""

    title = models.CharField("наименование", max_length=400)
    kind = models.ForeignKey(EventKind, models.PROTECT, related_name="events", verbose_name="вид")
    level = models.ForeignKey(EventLevel, models.PROTECT, related_name="events", verbose_name="уровень")
    municipality = models.ForeignKey(
        Municipality, models.PROTECT, related_name="events", verbose_name="муниципалитет (организатор/учёт)"
    )
    school = models.ForeignKey(
        School, models.PROTECT, null=True, blank=True, related_name="events", verbose_name="ОО (для школьных)"
    )
    association = models.ForeignKey(
        "teachers.Association", models.SET_NULL, null=True, blank=True, related_name="events",
        verbose_name="объединение (для заседаний РМО/ШМО)",
    )
    organizer = models.CharField("организатор", max_length=300, blank=True)
    is_network = models.BooleanField("в рамках сетевого взаимодействия", default=False)
    start_date = models.DateField("дата начала")
    end_date = models.DateField("дата окончания")
    hours = models.PositiveSmallIntegerField("объём, часов", null=True, blank=True)
    description = models.TextField("описание", blank=True)

    history = HistoricalRecords()
    scope_municipality_field = "municipality"

    class Meta:
        verbose_name = "мероприятие"
        verbose_name_plural = "мероприятия"
        ordering = ["-start_date", "title"]
        constraints = [
            models.CheckConstraint(condition=Q(end_date__gte=F("start_date")), name="event_dates_in_order"),
        ]
        # The period's events with what the indicator engine asks of them (index-only scans).
        indexes = [models.Index(fields=["end_date", "kind", "level", "is_network", "id"], name="event_end_facts")]

    def __str__(self):
        return f"{self.title} ({self.start_date:%d.%m.%Y})"

    def clean(self):
        if self.start_date and self.end_date and self.end_date < self.start_date:
            raise ValidationError({"end_date": "Дата окончания раньше даты начала."})


class Participation(models.Model):
    class Role(models.TextChoices):
        PARTICIPANT = "participant", "участник"
        SPEAKER = "speaker", "выступающий"
        WINNER = "winner", "победитель"
        PRIZE = "prize", "призёр"
        EXPERT = "expert", "эксперт"
        AUTHOR = "author", "автор публикации"

    event = models.ForeignKey(Event, models.CASCADE, related_name="participations", verbose_name="мероприятие")
    # Indexed by participation_teacher_facts below.
    teacher = models.ForeignKey(Teacher, models.CASCADE, related_name="participations", verbose_name="педагог",
                                db_index=False)
    role = models.CharField("роль", max_length=12, choices=Role.choices, default=Role.PARTICIPANT)
    result = models.CharField("результат", max_length=300, blank=True)
    certificate = models.CharField("документ (сертификат, удостоверение)", max_length=200, blank=True)
    certificate_date = models.DateField("дата выдачи документа", null=True, blank=True)

    history = HistoricalRecords()
    scope_school_field = "teacher__appointments__school"
    scope_person_field = "teacher"

    class Meta:
        verbose_name = "участие в мероприятии"
        verbose_name_plural = "участие в мероприятиях"
        constraints = [models.UniqueConstraint(fields=["event", "teacher"], name="participation_once_per_event")]
        # A person's participations with the columns the indicator engine reads (index-only scans).
        indexes = [models.Index(fields=["teacher", "event", "role"], name="participation_teacher_facts")]

    def __str__(self):
        return f"{self.teacher} — {self.event} ({self.get_role_display()})"


class RouteActivity(models.Model):
    """A planned step of an ИОМ; done when the teacher took part in the event that fulfils it."""

    # Indexed by activity_route_done below.
    route = models.ForeignKey(IndividualRoute, models.CASCADE, related_name="activities", verbose_name="ИОМ",
                              db_index=False)
    title = models.CharField("мероприятие ИОМ", max_length=400)
    deficit_area = models.ForeignKey(
        DeficitArea, models.PROTECT, null=True, blank=True, related_name="route_activities",
        verbose_name="дефицит, на устранение которого направлено",
    )
    planned_date = models.DateField("плановый срок")
    done_on = models.DateField("выполнено", null=True, blank=True)
    participation = models.ForeignKey(
        Participation, models.SET_NULL, null=True, blank=True, related_name="route_activities",
        verbose_name="участие, которым выполнено",
    )

    history = HistoricalRecords()
    scope_school_field = "route__teacher__appointments__school"
    scope_person_field = "route__teacher"

    class Meta:
        verbose_name = "мероприятие ИОМ"
        verbose_name_plural = "мероприятия ИОМ"
        ordering = ["planned_date", "pk"]
        indexes = [
            models.Index(fields=["done_on", "route"], name="activity_done_route"),
            models.Index(fields=["route", "done_on"], name="activity_route_done"),
        ]

    def __str__(self):
        return self.title

    @property
    def is_done(self):
        return self.done_on is not None

    def clean(self):
        if self.participation_id and self.route_id and self.participation.teacher_id != self.route.teacher_id:
            raise ValidationError({"participation": "Участие относится к другому педагогу."})
