"""Writing a checked plan: bulk inserts and updates, each with its django-simple-history records.

Must run inside the caller's transaction (see `service.apply_import`): if any
statement fails, nothing of the import remains.

Teachers are written with `bulk_create` / `bulk_update` followed by
`history.bulk_history_create` — the two steps `bulk_create_with_history` and
`bulk_update_with_history` perform — because the historical rows it returns are
needed to snapshot each person's subjects (the history is declared with
`m2m_fields=[subjects]`, and simple_history's bulk helpers do not write those
snapshots). Appointments use the helpers directly. The narrow subject-link and
snapshot rows go in as plain multi-row INSERTs (see `insert_rows`).
"""
from django.apps import apps
from django.db import connection
from django.utils import timezone
from simple_history.utils import bulk_create_with_history, bulk_update_with_history

from teachers.models import Appointment, Teacher
from teachers.models.qualification import record_histories

from ..signals import bulk_changed

from .rows import TEACHER_FIELDS

BATCH = 1000


def write_plan(plan, user, reason):
    now = timezone.now()
    reason = reason[:100]
    school = plan.school

    created = [g for g in plan.teachers if g.action == "create"]
    updated = [g for g in plan.teachers if g.action == "update"]

    new_teachers = []
    for group in created:
        teacher = Teacher(**{k: v for k, v in group.values.items() if k in TEACHER_FIELDS})
        group.saved = teacher
        new_teachers.append(teacher)
    Teacher.objects.bulk_create(new_teachers, batch_size=BATCH)
    history = Teacher.history.bulk_history_create(
        new_teachers, batch_size=BATCH, default_user=user, default_change_reason=reason, default_date=now
    )

    changed_teachers = []
    fields = set()
    for group in updated:
        teacher = group.saved = group.instance
        for key in group.changed_fields:
            setattr(teacher, key, group.values[key])
            fields.add(key)
        teacher.updated = now
        changed_teachers.append(teacher)
    if changed_teachers:
        Teacher.objects.bulk_update(changed_teachers, sorted(fields | {"updated"}), batch_size=BATCH)
        history += Teacher.history.bulk_history_create(
            changed_teachers, batch_size=BATCH, update=True, default_user=user, default_change_reason=reason,
            default_date=now,
        )

    _write_subjects(created + updated, history)
    # The file's category (with its date) and education join the dated histories the numbers read.
    record_histories([group.saved for group in created + updated])

    new_appointments, changed_appointments, appointment_fields = [], [], set()
    for plan_item in plan.appointments:
        if plan_item.action == "create":
            new_appointments.append(
                Appointment(teacher=plan_item.teacher.saved or plan_item.teacher.instance, school=school,
                            **plan_item.values)
            )
        elif plan_item.action == "update":
            appointment = plan_item.instance
            for key in plan_item.changed_fields:
                setattr(appointment, key, plan_item.values[key])
                appointment_fields.add(key)
            changed_appointments.append(appointment)
    if new_appointments:
        bulk_create_with_history(
            new_appointments, Appointment, batch_size=BATCH, default_user=user, default_change_reason=reason,
            default_date=now,
        )
    if changed_appointments:
        bulk_update_with_history(
            changed_appointments, Appointment, sorted(appointment_fields), batch_size=BATCH, default_user=user,
            default_change_reason=reason, default_date=now,
        )
    bulk_changed.send(sender=Teacher)


def _write_subjects(groups, history):
    """New subject links, then a subject snapshot for every historical row this import wrote."""
    through = Teacher.subjects.through
    new_links = [(group.saved.pk, subject.pk) for group in groups for subject in group.new_subjects]
    insert_rows(through, ("teacher", "subject"), new_links)
    teacher_ids = {record.id for record in history}
    current = {}
    for chunk in _chunks(sorted(teacher_ids)):
        for link_id, teacher_id, subject_id in through.objects.filter(teacher_id__in=chunk).values_list(
                "pk", "teacher_id", "subject_id"):
            current.setdefault(teacher_id, []).append((link_id, subject_id))
    snapshot_model = apps.get_model("teachers", "HistoricalTeacher_subjects")
    snapshots = [
        (record.pk, link_id, record.id, subject_id)
        for record in history
        for link_id, subject_id in current.get(record.id, ())
    ]
    insert_rows(snapshot_model, ("history", "id", "teacher", "subject"), snapshots)


def _chunks(items, size=2000):
    for start in range(0, len(items), size):
        yield items[start:start + size]


def insert_rows(model, fields, rows, chunk=200):
    """Plain multi-row INSERTs for the two narrow link tables (a person's subjects and their snapshots).

    bulk_create spends a few microseconds of Python per value; at 10,000 people with
    one or two subjects each, these rows alone cost it most of a second. Table and
    column names come from the model, values are bound parameters.
    """
    if not rows:
        return
    ops = connection.ops
    table = ops.quote_name(model._meta.db_table)
    columns = ", ".join(ops.quote_name(model._meta.get_field(name).column) for name in fields)
    one = "(" + ", ".join(["%s"] * len(fields)) + ")"
    with connection.cursor() as cursor:
        for start in range(0, len(rows), chunk):
            part = rows[start:start + chunk]
            cursor.execute(
                f"INSERT INTO {table} ({columns}) VALUES {', '.join([one] * len(part))}",
                [value for row in part for value in row],
            )
