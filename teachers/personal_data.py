"""Teachers' personal data: who may see it, and the record of every time it leaves the database.

Personal data here are a person's birth date, СНИЛС, e-mail and phone (`FIELDS`). They are shown and exported
to the roles whose work needs them — administrators, district methodologists (they identify people across
schools, match imports and diagnostics lists) and a school's head (the school's own staff records). The district
office's viewer reads dashboards and lists: they get the people's names, positions, ages and development records,
never these fields — not on the card, not in an export, not in the change history, not as a search key.
Which people a user may see at all is `scoping`'s business; this module only says which of their fields.

Every view of a teacher's card and every download (table export, document, import problem list) is logged with
the user, the time and the client's address (`mskoko.client_ip`).
"""
from django.core.exceptions import FieldDoesNotExist

from mskoko.client_ip import client_address

from .models import AccessLog, ExportLog, Role, Teacher
from .scoping import role_of, teachers_held

FIELDS = ("birth_date", "snils", "email", "phone")
ROLES = (Role.ADMIN, Role.METHODOLOGIST, Role.SCHOOL_HEAD)
HIDDEN = "скрыто"


def may_see_personal_data(user, teacher=None):
    """May `user` see personal data (of `teacher`, when given)?

    A school head sees them for the people their school employs now (`scoping.teachers_held`); a school the
    person has left keeps its own history of them, not their birth date and contacts."""
    role = role_of(user)
    if role not in ROLES:
        return False
    if teacher is not None and role == Role.SCHOOL_HEAD:
        return teachers_held(user).filter(pk=teacher.pk).exists()
    return True


def is_personal_path(model, path):
    """Whether the lookup `path` from `model` ("snils", "teacher__birth_date", "mentor.phone") ends at a
    personal-data field of a Teacher."""
    hops = str(path).replace(".", "__").split("__")
    for hop in hops[:-1]:
        try:
            field = model._meta.get_field(hop)
        except FieldDoesNotExist:
            return False
        if not field.is_relation:
            return False
        model = field.related_model
    return model is Teacher and hops[-1] in FIELDS


def is_personal_column(table, bound_column):
    model = getattr(table._meta, "model", None)
    return model is not None and is_personal_path(model, bound_column.accessor)


def redact_history(entries):
    """Change-history entries of a teacher (crud.history_entries) with personal values replaced by «скрыто»."""
    labels = {str(Teacher._meta.get_field(name).verbose_name) for name in FIELDS}
    for entry in entries:
        for change in entry["changes"]:
            if str(change["field"]) in labels:
                change["old"] = change["new"] = HIDDEN
    return entries


def card_context(user, history, teacher=None):
    """What a teacher card's template needs to know: may it show personal data, and the history to show."""
    shown = may_see_personal_data(user, teacher)
    return {"personal_data": shown, "history": history if shown else redact_history(history)}


def record_card_view(request, teacher):
    AccessLog.objects.create(user=request.user, address=client_address(request), teacher=teacher,
                             path=request.get_full_path()[:300])


def record_download(request, what, *, query="", rows=0):
    return ExportLog.objects.create(user=request.user, address=client_address(request), what=str(what)[:200],
                                    query=query, rows=rows)
