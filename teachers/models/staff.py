"""The people (Teacher) and their positions at schools (Appointment).

A person is one `Teacher` however many positions they hold; each position at a
school is an `Appointment` with its own employment type, load and dates. The
as-of rules of DESIGN §3 live here as queryset methods:

* a position counts on date D when hired <= D and it was not ended before D
  (dismissed is empty or dismissed >= D);
* experience and age are full years at D;
* a young specialist (молодой специалист) has less than three full years of
  pedagogical experience at D.
"""
from datetime import date

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Exists, F, OuterRef, Q
from django.db.models.functions import Length
from simple_history.models import HistoricalRecords

from ..dates import YOUNG_SPECIALIST_YEARS, full_years, is_young_specialist, years_before
# The СНИЛС rule lives in teachers.snils; its names stay importable from here (migration 0001 names
# teachers.models.staff.validate_snils, the import reads normalize_snils and snils_checksum_ok here).
from ..snils import format_snils, normalize_snils, snils_checksum_ok, validate_snils  # noqa: F401
from .reference import EducationLevel, Position, QualificationCategory, Subject
from .schools import School

models.CharField.register_lookup(Length)


class Employment(models.TextChoices):
    MAIN = "main", "основной работник"
    EXTERNAL = "external", "внешний совместитель"


def young_specialist_condition(on, prefix=""):
    """The one definition of a young specialist as a condition on Teacher (through `prefix`): pedagogical
    experience started by `on` and less than YOUNG_SPECIALIST_YEARS full years long (teachers.dates)."""
    field = f"{prefix}ped_experience_start"
    return Q(**{f"{field}__isnull": False, f"{field}__lte": on,
                f"{field}__gt": years_before(on, YOUNG_SPECIALIST_YEARS)})


class AppointmentQuerySet(models.QuerySet):
    def active_on(self, on):
        return self.filter(hired__lte=on).filter(Q(dismissed__isnull=True) | Q(dismissed__gte=on))

    def main(self):
        return self.filter(employment=Employment.MAIN)

    def external(self):
        return self.filter(employment=Employment.EXTERNAL)

    def at(self, schools):
        if isinstance(schools, School):
            return self.filter(school=schools)
        return self.filter(school__in=schools)

    def hired_between(self, start, end):
        return self.filter(hired__gte=start, hired__lte=end)

    def dismissed_between(self, start, end):
        return self.filter(dismissed__gte=start, dismissed__lte=end)


class TeacherQuerySet(models.QuerySet):
    def active_on(self, on, schools=None, employment=None):
        """People holding at least one position on `on` (at `schools`, of `employment` if given)."""
        appointments = Appointment.objects.active_on(on).filter(teacher=OuterRef("pk"))
        if schools is not None:
            appointments = appointments.at(schools)
        if employment is not None:
            appointments = appointments.filter(employment=employment)
        return self.filter(Exists(appointments))

    def young_specialists(self, on):
        """Less than three full years of pedagogical experience on `on`."""
        return self.filter(young_specialist_condition(on))

    def at_school(self, schools):
        """Everyone who ever held a position at `schools` (for scoping, not for counting)."""
        appointments = Appointment.objects.at(schools).filter(teacher=OuterRef("pk"))
        return self.filter(Exists(appointments))

    def with_related(self):
        return self.select_related("education_level", "category").prefetch_related(
            "subjects",
            models.Prefetch(
                "appointments",
                queryset=Appointment.objects.select_related("school", "position").order_by("-hired"),
            ),
        )


class Teacher(models.Model):
    """Педагогический работник (one person)."""

    class Gender(models.TextChoices):
        FEMALE = "f", "женский"
        MALE = "m", "мужской"

    last_name = models.CharField("фамилия", max_length=100)
    first_name = models.CharField("имя", max_length=100)
    middle_name = models.CharField("отчество", max_length=100, blank=True)
    gender = models.CharField("пол", max_length=1, choices=Gender.choices, blank=True)
    birth_date = models.DateField("дата рождения")
    snils = models.CharField(
        "СНИЛС", max_length=11, blank=True, validators=[validate_snils],
        help_text="11 цифр; необязателен, но если указан — уникален.",
    )
    email = models.EmailField("электронная почта", blank=True)
    phone = models.CharField("телефон", max_length=40, blank=True)
    subjects = models.ManyToManyField(Subject, blank=True, related_name="teachers", verbose_name="предметы")
    education_level = models.ForeignKey(
        EducationLevel, models.PROTECT, null=True, blank=True, related_name="teachers", verbose_name="образование"
    )
    category = models.ForeignKey(
        QualificationCategory, models.PROTECT, null=True, blank=True, related_name="teachers",
        verbose_name="квалификационная категория",
    )
    category_date = models.DateField("дата присвоения категории", null=True, blank=True)
    ped_experience_start = models.DateField(
        "начало педагогической деятельности", null=True, blank=True,
        help_text="Дата, от которой считается педагогический стаж (с учётом перерывов).",
    )
    total_experience_start = models.DateField(
        "начало трудовой деятельности", null=True, blank=True,
        help_text="Дата, от которой считается общий стаж (с учётом перерывов).",
    )
    note = models.TextField("примечание", blank=True)
    created = models.DateTimeField("создан", auto_now_add=True)
    updated = models.DateTimeField("изменён", auto_now=True)

    objects = TeacherQuerySet.as_manager()
    history = HistoricalRecords(m2m_fields=[subjects])

    scope_school_field = "appointments__school"
    scope_person_field = ""  # the person itself (see scoping.writable)

    class Meta:
        verbose_name = "педагогический работник"
        verbose_name_plural = "педагогические работники"
        ordering = ["last_name", "first_name", "middle_name"]
        constraints = [
            models.UniqueConstraint(fields=["snils"], condition=~Q(snils=""), name="teacher_snils_unique_when_given"),
            models.CheckConstraint(
                condition=Q(snils="") | Q(snils__length=11), name="teacher_snils_has_11_digits"
            ),
            models.CheckConstraint(
                condition=Q(ped_experience_start__isnull=True) | Q(ped_experience_start__gt=F("birth_date")),
                name="teacher_ped_experience_after_birth",
            ),
            models.CheckConstraint(
                condition=Q(total_experience_start__isnull=True) | Q(total_experience_start__gt=F("birth_date")),
                name="teacher_total_experience_after_birth",
            ),
            models.CheckConstraint(
                condition=Q(category_date__isnull=True) | Q(category_date__gt=F("birth_date")),
                name="teacher_category_after_birth",
            ),
        ]
        indexes = [
            models.Index(fields=["last_name", "first_name", "middle_name", "birth_date"], name="teacher_fio_birth"),
            models.Index(fields=["ped_experience_start"], name="teacher_ped_start"),
        ]

    def __str__(self):
        return self.full_name

    @property
    def full_name(self):
        return " ".join(p for p in (self.last_name, self.first_name, self.middle_name) if p)

    @property
    def short_name(self):
        initials = "".join(f"{p[0]}." for p in (self.first_name, self.middle_name) if p)
        return f"{self.last_name} {initials}".strip()

    @property
    def snils_display(self):
        return format_snils(self.snils)

    def age_on(self, on):
        return full_years(self.birth_date, on)

    def ped_experience_on(self, on):
        return full_years(self.ped_experience_start, on)

    def total_experience_on(self, on):
        return full_years(self.total_experience_start, on)

    def is_young_specialist_on(self, on):
        return is_young_specialist(self.ped_experience_start, on)

    def clean(self):
        self.snils = normalize_snils(self.snils)
        errors = {}
        today = date.today()
        if self.birth_date and self.birth_date > today:
            errors["birth_date"] = "Дата рождения не может быть в будущем."
        elif self.birth_date and full_years(self.birth_date, today) < 14:
            errors["birth_date"] = "Педагогическому работнику не может быть меньше 14 лет."
        for field in ("ped_experience_start", "total_experience_start", "category_date"):
            value = getattr(self, field)
            if value and self.birth_date and value <= self.birth_date:
                errors[field] = "Дата должна быть позже даты рождения."
            elif value and value > today:
                errors[field] = "Дата не может быть в будущем."
        if errors:
            raise ValidationError(errors)

    def save(self, *args, **kwargs):
        from .qualification import record_histories

        self.snils = normalize_snils(self.snils)
        super().save(*args, **kwargs)
        record_histories([self])


class Appointment(models.Model):
    """A position a teacher holds at a school (должность, место работы)."""

    teacher = models.ForeignKey(Teacher, models.CASCADE, related_name="appointments", verbose_name="педагог")
    # Indexed by appointment_school_facts below.
    school = models.ForeignKey(School, models.PROTECT, related_name="appointments", verbose_name="ОО", db_index=False)
    position = models.ForeignKey(Position, models.PROTECT, related_name="appointments", verbose_name="должность")
    employment = models.CharField("вид занятости", max_length=10, choices=Employment.choices, default=Employment.MAIN)
    weekly_hours = models.DecimalField(
        "учебная нагрузка, ч/нед", max_digits=5, decimal_places=1, null=True, blank=True
    )
    rate = models.DecimalField("ставка", max_digits=4, decimal_places=2, null=True, blank=True)
    hired = models.DateField("дата приёма")
    dismissed = models.DateField("дата увольнения", null=True, blank=True)

    objects = AppointmentQuerySet.as_manager()
    history = HistoricalRecords()

    scope_school_field = "school"
    scope_person_field = "teacher"

    class Meta:
        verbose_name = "должность педагога в ОО"
        verbose_name_plural = "должности педагогов в ОО"
        ordering = ["-hired"]
        constraints = [
            models.CheckConstraint(
                condition=Q(dismissed__isnull=True) | Q(dismissed__gte=F("hired")), name="appointment_dates_in_order"
            ),
            models.CheckConstraint(
                condition=Q(weekly_hours__isnull=True) | (Q(weekly_hours__gte=0) & Q(weekly_hours__lte=72)),
                name="appointment_weekly_hours_range",
            ),
            models.CheckConstraint(
                condition=Q(rate__isnull=True) | (Q(rate__gt=0) & Q(rate__lte=3)), name="appointment_rate_range"
            ),
        ]
        indexes = [
            # A school's positions on a date with what the indicator engine reads of them (index-only scans).
            models.Index(fields=["school", "hired", "dismissed", "employment", "teacher", "weekly_hours", "rate"],
                         name="appointment_school_facts"),
            models.Index(fields=["teacher", "hired"], name="appointment_teacher_hired"),
        ]

    def __str__(self):
        return f"{self.teacher} — {self.position}, {self.school}"

    def is_active_on(self, on):
        return self.hired <= on and (self.dismissed is None or self.dismissed >= on)

    def clean(self):
        if self.hired and self.dismissed and self.dismissed < self.hired:
            raise ValidationError({"dismissed": "Дата увольнения раньше даты приёма."})


