"""The documents the office signs, one module each, registered by kind.

A builder takes the job's owner (whose rights decide what goes in), the validated params and a progress
callback, and returns (file name without extension, bytes). Known problems raise `JobError` with a Russian
message for the user.
"""
from dataclasses import dataclass

from teachers.models import Municipality, Role
from teachers.scoping import municipalities_for, role_of

from ..models import Format, Kind


class JobError(Exception):
    """A problem the user can understand and fix; the message is shown as is."""


@dataclass(frozen=True)
class Document:
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


def municipality_for(user, params):
    """The municipality named in params, if the user may see it; JobError otherwise."""
    try:
        return municipalities_for(user).get(pk=int(params.get("municipality")))
    except (TypeError, ValueError, Municipality.DoesNotExist):
        raise JobError("Муниципалитет не найден или недоступен вам.") from None


def check(user, kind, params):
    """Re-checked by the task: the owner may (still) order this document with these params."""
    doc = REGISTRY.get(kind)
    if doc is None:
        raise JobError("Неизвестный документ.")
    if role_of(user) not in doc.roles:
        raise JobError("У вас нет прав на этот документ.")
    if doc.needs_municipality:
        municipality_for(user, params)
    if doc.access:
        doc.access(user, params)
    return doc


def _registry():
    from . import bases, briefing, cycle, district, order, people, rating, region

    both = (Format.PDF, Format.DOCX, Format.XLSX)
    text = (Format.PDF, Format.DOCX)  # letters: nothing tabular to put in a spreadsheet
    docs = [
        Document(Kind.BRIEFING, Kind.BRIEFING.label, both, DISTRICT_ROLES, briefing.build),
        Document(Kind.REGION, Kind.REGION.label, both, (Role.ADMIN,), region.build, needs_municipality=False),
        Document(Kind.ORDER, Kind.ORDER.label, both, DISTRICT_ROLES, order.build, signed=True),
        Document(Kind.RATING, Kind.RATING.label, both, DISTRICT_ROLES, rating.build),
        Document(Kind.VACANCIES, Kind.VACANCIES.label, both, ALL_ROLES, bases.build_vacancies, needs_year=False),
        Document(Kind.YOUNG, Kind.YOUNG.label, both, ALL_ROLES, bases.build_young, needs_year=False),
        Document(Kind.CYCLE, Kind.CYCLE.label, both, DISTRICT_ROLES, cycle.build),
        Document(Kind.LETTER, Kind.LETTER.label, text, DISTRICT_ROLES, district.build_letter, signed=True),
        Document(Kind.SURVEY_LETTER, Kind.SURVEY_LETTER.label, text, DISTRICT_ROLES, district.build_survey_letter,
                 signed=True),
        Document(Kind.DIAGNOSTICS_ORDER, Kind.DIAGNOSTICS_ORDER.label, both, DISTRICT_ROLES,
                 district.build_diagnostics_order, signed=True),
        Document(Kind.MENTORS_ORDER, Kind.MENTORS_ORDER.label, both, DISTRICT_ROLES, district.build_mentors_order,
                 needs_year=False, signed=True),
        Document(Kind.NETWORK_ORDER, Kind.NETWORK_ORDER.label, both, DISTRICT_ROLES, district.build_network_order,
                 signed=True),
        Document(Kind.YOUNG_PLAN, Kind.YOUNG_PLAN.label, both, ALL_ROLES, people.build_young_plan, signed=True),
        # The ИОМ is one teacher's: its scope is the route's (teachers.scoping), not a municipality.
        Document(Kind.ROUTE, Kind.ROUTE.label, both, ALL_ROLES, people.build_route, needs_year=False,
                 needs_municipality=False, needs_route=True, access=people.route_for),
    ]
    return {d.kind: d for d in docs}


class _Lazy(dict):
    def _load(self):
        if not dict.__len__(self):
            self.update(_registry())

    def get(self, key, default=None):
        self._load()
        return dict.get(self, key, default)

    def __getitem__(self, key):
        self._load()
        return dict.__getitem__(self, key)

    def values(self):
        self._load()
        return dict.values(self)

    def items(self):
        self._load()
        return dict.items(self)

    def __iter__(self):
        self._load()
        return dict.__iter__(self)

    def __contains__(self, key):
        self._load()
        return dict.__contains__(self, key)


REGISTRY = _Lazy()
