"""Every document that can be ordered, by kind: one explicit list, read by the ordering page, the task and the
admin. The registry imports the builders; builders import only `base`, so nothing imports back."""
from teachers.models import Role
from teachers.scoping import role_of

from ..models import Job
from . import bases, briefing, cycle, district, order, people, rating, region
from .base import ALL_ROLES, DISTRICT_ROLES, TABLES, TEXT, Document, JobError, municipality_for

DOCUMENTS = [
    Document("briefing", "Аналитическая справка по итогам мониторинга", TABLES, DISTRICT_ROLES, briefing.build),
    Document("region", "Аналитическая справка по региону", TABLES, (Role.ADMIN,), region.build,
             needs_municipality=False),
    Document("order", "Приказ об итогах мониторинга", TABLES, DISTRICT_ROLES, order.build, signed=True),
    Document("rating", "Рейтинг «Вклад ОО»", TABLES, DISTRICT_ROLES, rating.build),
    Document("vacancies", "База вакансий", TABLES, ALL_ROLES, bases.build_vacancies, needs_year=False),
    Document("young", "База молодых педагогов и наставников", TABLES, ALL_ROLES, bases.build_young,
             needs_year=False),
    Document("cycle", "Таблица 2.2: система обеспечения профессионального развития", TABLES, DISTRICT_ROLES,
             cycle.build),
    Document("letter", "Письмо о проведении мониторинга", TEXT, DISTRICT_ROLES, district.build_letter, signed=True),
    Document("survey-letter", "Письмо о проведении опроса (диагностики)", TEXT, DISTRICT_ROLES,
             district.build_survey_letter, signed=True),
    Document("diagnostics-order", "Приказ о результатах диагностики профессиональных дефицитов", TABLES,
             DISTRICT_ROLES, district.build_diagnostics_order, signed=True),
    Document("mentors-order", "Приказ о закреплении наставников", TABLES, DISTRICT_ROLES,
             district.build_mentors_order, needs_year=False, signed=True),
    Document("network-order", "Приказ об итогах работы РМО и конкурсов", TABLES, DISTRICT_ROLES,
             district.build_network_order, signed=True),
    Document("young-plan", "План работы с молодыми педагогами", TABLES, ALL_ROLES, people.build_young_plan,
             signed=True),
    # The ИОМ is one teacher's: its scope is the route's (teachers.scoping), not a municipality.
    Document("route", "Индивидуальный образовательный маршрут педагога", TABLES, ALL_ROLES, people.build_route,
             needs_year=False, needs_municipality=False, needs_route=True, access=people.route_for),
]
REGISTRY = {}


def register(document):
    """Add a document to the registry (a kind is registered once)."""
    if document.kind in REGISTRY:
        raise ValueError(f"document kind {document.kind!r} is registered twice")
    if len(document.kind) > Job._meta.get_field("kind").max_length:
        raise ValueError(f"document kind {document.kind!r} does not fit Job.kind")
    REGISTRY[document.kind] = document
    return document


for _document in DOCUMENTS:
    register(_document)


def title_of(kind):
    """The registry's title of a job's kind (the kind itself for a document no longer offered)."""
    doc = REGISTRY.get(kind)
    return doc.title if doc else kind


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
