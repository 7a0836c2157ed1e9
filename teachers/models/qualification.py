"""Facts about a person that change over time, kept with their dates (DESIGN §7 «Facts with history»).

* `CategoryAssignment` — a qualification category assigned by an attestation order, in force for five years
  from the order's date (`teachers.dates.category_valid_until`). The category in force on a date D is the one
  of the latest assignment made by D that has not expired by D; none in force means "без категории".
* `EducationRecord` — the person's education level from a date (a diploma); the level on D is the latest
  record from D or earlier (a record without a date holds from before any period).

`Teacher.category` / `category_date` / `education_level` stay as the card's current values; every number for a
period reads these histories as of the period's end (`category_on`, `education_on` give the conditions).
Whatever writes a Teacher — the form, the import, the demo — records the history through `record_histories`,
so the histories and the card cannot disagree about the latest fact.
"""
from django.db import models
from django.db.models import F, OuterRef, Q, Subquery
from django.db.models.lookups import Exact
from django.utils import timezone
from simple_history.models import HistoricalRecords

from ..dates import category_valid_until
from .reference import EducationLevel, QualificationCategory

NO_CATEGORY = "none"


class CategoryAssignment(models.Model):
    teacher = models.ForeignKey("teachers.Teacher", models.CASCADE, related_name="category_assignments",
                                verbose_name="педагог")
    category = models.ForeignKey(QualificationCategory, models.PROTECT, related_name="assignments",
                                 verbose_name="категория")
    assigned_on = models.DateField("дата приказа об аттестации", null=True, blank=True,
                                   help_text="Пусто — дата не известна: категория считается действующей всегда.")
    order = models.CharField("приказ (номер)", max_length=100, blank=True)
    valid_until = models.DateField("действует по", null=True, blank=True, editable=False)

    history = HistoricalRecords()
    scope_school_field = "teacher__appointments__school"
    scope_person_field = "teacher"

    class Meta:
        verbose_name = "присвоение квалификационной категории"
        verbose_name_plural = "история квалификационных категорий"
        ordering = ["teacher", "-assigned_on"]
        constraints = [models.UniqueConstraint(fields=["teacher", "assigned_on"], name="category_once_per_date")]
        indexes = [models.Index(fields=["teacher", "assigned_on", "valid_until", "category"],
                                name="category_assignment_as_of")]

    def __str__(self):
        when = f" с {self.assigned_on:%d.%m.%Y}" if self.assigned_on else ""
        return f"{self.category}{when}"

    def save(self, *args, **kwargs):
        # Derived, never entered: five years from the order.
        self.valid_until = category_valid_until(self.assigned_on) if self.assigned_on else None
        super().save(*args, **kwargs)


class EducationRecord(models.Model):
    teacher = models.ForeignKey("teachers.Teacher", models.CASCADE, related_name="education_records",
                                verbose_name="педагог")
    level = models.ForeignKey(EducationLevel, models.PROTECT, related_name="records", verbose_name="образование")
    since = models.DateField("с какой даты (диплом)", null=True, blank=True,
                             help_text="Пусто — уровень был у педагога до всех отчётных периодов.")

    history = HistoricalRecords()
    scope_school_field = "teacher__appointments__school"
    scope_person_field = "teacher"

    class Meta:
        verbose_name = "уровень образования (с датой)"
        verbose_name_plural = "история уровня образования"
        ordering = ["teacher", "-since"]
        constraints = [models.UniqueConstraint(fields=["teacher", "since"], name="education_once_per_date")]
        indexes = [models.Index(fields=["teacher", "since", "level"], name="education_record_as_of")]

    def __str__(self):
        return f"{self.level}" + (f" с {self.since:%d.%m.%Y}" if self.since else "")


def _person(prefix):
    """The outer query's person for a condition written on Teacher through `prefix` ("" or "teacher__")."""
    return OuterRef(prefix.removesuffix("__") or "pk")


def category_on(on, prefix="", field="category__code"):
    """Subquery: `field` of the category in force on `on` for the outer query's person (NULL: none)."""
    in_force = CategoryAssignment.objects.filter(teacher=_person(prefix)).filter(
        Q(assigned_on__isnull=True) | Q(assigned_on__lte=on)).filter(Q(valid_until__isnull=True) | Q(valid_until__gte=on))
    return Subquery(in_force.order_by(F("assigned_on").desc(nulls_last=True), "-pk").values(field)[:1])


def has_category_on(on, code, prefix=""):
    return Q(Exact(category_on(on, prefix), code))


def attested_between(start, end, prefix=""):
    """A category (other than «без категории») assigned by an order dated within [start, end]."""
    from django.db.models import Exists

    return Q(Exists(CategoryAssignment.objects.filter(teacher=_person(prefix), assigned_on__gte=start,
                                                     assigned_on__lte=end).exclude(category__code=NO_CATEGORY)))


def education_on(on, prefix="", field="level_id"):
    """Subquery: `field` of the person's education level on `on` (NULL: not recorded)."""
    known = EducationRecord.objects.filter(teacher=_person(prefix)).filter(Q(since__isnull=True) | Q(since__lte=on))
    return Subquery(known.order_by(F("since").desc(nulls_last=True), "-pk").values(field)[:1])


def category_in_force(teacher, on):
    """The QualificationCategory in force for `teacher` on `on`, or None (Python, for one card)."""
    for a in sorted(teacher.category_assignments.select_related("category"),
                    key=lambda a: (a.assigned_on is not None, a.assigned_on or on, a.pk), reverse=True):
        if (a.assigned_on is None or a.assigned_on <= on) and (a.valid_until is None or a.valid_until >= on):
            return a.category
    return None


def record_histories(teachers, today=None):
    """Bring the dated histories in step with the people's current category and education.

    Called after every write of Teacher rows (save, import, demo): the card's category with its date becomes an
    assignment on that date (an undated one of the same category is replaced by it); a changed education level
    becomes a record from `today` (the first one known has no date). Queries grow with the chunks of 2,000
    people, not with each person."""
    teachers = [t for t in teachers if t.pk]
    if not teachers:
        return
    today = today or timezone.localdate()
    ids = [t.pk for t in teachers]
    none_ids = set(QualificationCategory.objects.filter(code=NO_CATEGORY).values_list("pk", flat=True))
    assignments, records = {}, {}
    for start in range(0, len(ids), 2000):  # IN-lists in chunks: a region's import or demo writes 60,000 people
        chunk = ids[start:start + 2000]
        for a in CategoryAssignment.objects.filter(teacher_id__in=chunk):
            assignments.setdefault(a.teacher_id, {})[a.assigned_on] = a
        for r in EducationRecord.objects.filter(teacher_id__in=chunk):
            records.setdefault(r.teacher_id, []).append(r)
    new_assignments, changed_assignments, drop_undated = [], [], []
    new_records = []
    for t in teachers:
        if t.category_id and t.category_id not in none_ids:
            mine = assignments.get(t.pk, {})
            found = mine.get(t.category_date)
            if found is None:
                a = CategoryAssignment(teacher_id=t.pk, category_id=t.category_id, assigned_on=t.category_date)
                a.valid_until = category_valid_until(t.category_date) if t.category_date else None
                new_assignments.append(a)
            elif found.category_id != t.category_id:
                found.category_id = t.category_id
                changed_assignments.append(found)
            undated = mine.get(None)
            if t.category_date and undated is not None and undated.category_id == t.category_id:
                drop_undated.append(undated.pk)
        if t.education_level_id:
            mine = records.get(t.pk, [])
            latest = max(mine, key=lambda r: (r.since is not None, r.since or today, r.pk), default=None)
            if latest is None or latest.level_id != t.education_level_id:
                since = None if latest is None else today
                if latest is not None and latest.since == today:
                    latest.level_id = t.education_level_id
                    latest.save(update_fields=["level"])
                else:
                    new_records.append(EducationRecord(teacher_id=t.pk, level_id=t.education_level_id, since=since))
    if new_assignments:
        CategoryAssignment.objects.bulk_create(new_assignments, batch_size=1000)
    if changed_assignments:
        CategoryAssignment.objects.bulk_update(changed_assignments, ["category"], batch_size=1000)
    if drop_undated:
        CategoryAssignment.objects.filter(pk__in=drop_undated).delete()
    if new_records:
        EducationRecord.objects.bulk_create(new_records, batch_size=1000)
