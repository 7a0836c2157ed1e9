"""What every document builder shares: the registry's entry (`Document`), the error a user can fix (`JobError`),
who may order what, and the parameters every builder reads the same way (municipality, year, date).

Builders import from here, never from the registry (`registry.py` imports the builders), so the imports run one
way: registry → builders → base.
"""
from dataclasses import dataclass
from datetime import date

from django.http import Http404
from django.utils import timezone

from teachers.models import Role
from teachers.scoping import pick_municipality

from ..models import Format


class JobError(Exception):
    """A problem the user can understand and fix; the message is shown as is."""


@dataclass(frozen=True)
class Document:
    """One orderable document: its kind (the `Job.kind` string), its title and how it is built."""

    kind: str
    title: str
    formats: tuple
    roles: tuple  # who may order it
    build: object  # callable(user, params, fmt, progress) -> (name, bytes)
    needs_year: bool = True
    needs_municipality: bool = True
    needs_route: bool = False
    signed: bool = False  # an order or letter: number, date, signer, executor and approvers are asked for
    access: object = None  # callable(user, params): JobError unless the owner may see the document's object


DISTRICT_ROLES = (Role.ADMIN, Role.METHODOLOGIST, Role.VIEWER)
ALL_ROLES = (Role.ADMIN, Role.METHODOLOGIST, Role.VIEWER, Role.SCHOOL_HEAD)
TABLES = (Format.PDF, Format.DOCX, Format.XLSX)
TEXT = (Format.PDF, Format.DOCX)  # letters: nothing tabular to put in a spreadsheet


def municipality_for(user, params):
    """The municipality named in params, if the user may see it; JobError otherwise."""
    try:
        return pick_municipality(user, int(params["municipality"]))
    except (KeyError, TypeError, ValueError, OverflowError, Http404):
        raise JobError("Муниципалитет не найден или недоступен вам.") from None


def year_of(params):
    """The document's year from params: a past or the current year, JobError otherwise."""
    try:
        year = int(params["year"])
    except (KeyError, TypeError, ValueError):
        raise JobError("Укажите год.") from None
    if not 2000 <= year <= timezone.localdate().year:
        raise JobError("Справка составляется за прошедший или текущий год.")
    return year


def date_of(params):
    """The date a list is drawn up on (params «on», ISO), today when not given; JobError when it is not a date."""
    try:
        return date.fromisoformat(params["on"]) if params.get("on") else timezone.localdate()
    except ValueError:
        raise JobError("Неверная дата.") from None
