"""Named populations the catalogue combines into indicators.

A *teacher population* is a condition on one person over the period `[start, end]`.
It is either an **attribute** of the person (a Q on `Teacher`, e.g. young
specialist, category) or a **fact in a source table** (a Q on that table, e.g.
a participation in a contest that ended in the period). Sources:

| source | rows | person |
|---|---|---|
| participation | participations in events that ended in the period | teacher |
| diagnostic | diagnostic results of campaigns that ended in the period | teacher |
| route | ИОМ approved by the period's end for its years, not cancelled | teacher |
| activity | ИОМ activities done in the period | route's teacher |
| membership | association memberships overlapping the period | teacher |
| mentee / mentor | mentorships overlapping the period | mentee / mentor |

The engine turns each source into one grouped "flags per person" subquery
joined to the staff rows (one pass over each table however many indicators
use it); explain lists and checks use `teacher_predicate`, an EXISTS per source.
"""
from dataclasses import dataclass
from collections.abc import Callable

from datetime import date

from django.db.models import DateField, Exists, OuterRef, Q, Value
from django.db.models.functions import Coalesce

from teachers.models import (
    DiagnosticResult, EventKind, IndividualRoute, Membership, Mentorship, MentorshipModelAdoption, Participation,
    RouteActivity,
)
from django.db.models.lookups import Exact

from teachers.models.qualification import attested_between, education_on, has_category_on
from teachers.models.staff import young_specialist_condition


def _overlapping(qs, period):
    return qs.overlapping(period.start, period.end)  # the queryset's own definition (DateRangeQuerySet)


@dataclass(frozen=True)
class Source:
    name: str
    person_field: str
    rows: Callable  # (period) -> QuerySet


SOURCES = {s.name: s for s in [
    Source("participation", "teacher_id", lambda p: Participation.objects.filter(
        event__end_date__gte=p.start, event__end_date__lte=p.end)),
    Source("diagnostic", "teacher_id", lambda p: DiagnosticResult.objects.in_period(p.start, p.end)),
    Source("route", "teacher_id", lambda p: IndividualRoute.objects.filter(
        approved_on__lte=p.end, year__gte=p.start.year, year__lte=p.end.year,
    ).exclude(status=IndividualRoute.Status.CANCELLED)),
    Source("activity", "route__teacher_id", lambda p: RouteActivity.objects.filter(
        done_on__gte=p.start, done_on__lte=p.end).exclude(route__status=IndividualRoute.Status.CANCELLED)),
    Source("membership", "teacher_id", lambda p: _overlapping(Membership.objects.all(), p)),
    Source("mentee", "mentee_id", lambda p: _overlapping(Mentorship.objects.all(), p)),
    Source("mentor", "mentor_id", lambda p: _overlapping(Mentorship.objects.all(), p)),
]}


@dataclass(frozen=True)
class Population:
    name: str
    label: str
    source: str | None  # None: an attribute of the person
    condition: Callable  # source: (period) -> Q on the source; attribute: (period, prefix) -> Q on Teacher


TEACHER_POPULATIONS = {}
SCHOOL_POPULATIONS = {}


def fact(name, label, source, condition=lambda period: Q()):
    TEACHER_POPULATIONS[name] = Population(name, label, source, condition)


def attribute(name, label, condition):
    TEACHER_POPULATIONS[name] = Population(name, label, None, condition)


def school_population(name, label):
    def register(fn):
        SCHOOL_POPULATIONS[name] = Population(name, label, None, fn)
        return fn

    return register


G = EventKind.Group
R = Participation.Role

attribute("staff", "педагогические работники (ЧП)", lambda period, prefix: Q())
fact("diagnosed", "участвовали в диагностике профессиональных дефицитов (ЧПдп)", "diagnostic")
fact("with_deficits", "выявлены профессиональные дефициты (ЧПвд)", "diagnostic", lambda p: Q(has_deficits=True))
fact("route_from_diagnostics", "имеют ИОМ, составленный по итогам диагностики (ЧПип)", "route",
     lambda p: Q(diagnostic_result__isnull=False))
fact("route_any", "имеют ИОМ (любой)", "route")
fact("route_activity_done", "участвовали в мероприятиях по устранению дефицитов в рамках ИОМ (ЧПиу)", "activity")
fact("contest", "участники конкурсов профессионального мастерства (ЧПк)", "participation",
     lambda p: Q(event__kind__group=G.CONTEST))
fact("contest_winner", "победители и призёры конкурсов профессионального мастерства", "participation",
     lambda p: Q(event__kind__group=G.CONTEST, role__in=[R.WINNER, R.PRIZE]))
fact("municipal_methodical", "участники научно-методических мероприятий муниципального уровня (ЧПмм)",
     "participation", lambda p: Q(event__kind__group=G.METHODICAL, event__level__code="municipal"))
fact("course", "прошли курсы повышения квалификации (ЧПпк)", "participation", lambda p: Q(event__kind__group=G.COURSE))
fact("retraining", "прошли профессиональную переподготовку", "participation",
     lambda p: Q(event__kind__group=G.RETRAINING))
fact("regional_federal_network",
     "участники мероприятий регионального и федерального уровня в рамках сетевого взаимодействия (ЧПрф)",
     "participation", lambda p: (Q(event__is_network=True) | Q(event__kind__group=G.NETWORK))
     & Q(event__level__rank__gte=3))
fact("speaker_or_author", "выступления и публикации", "participation",
     lambda p: Q(role__in=[R.SPEAKER, R.AUTHOR]) | Q(event__kind__group=G.PUBLICATION))
fact("network_member", "включены в сетевое взаимодействие (ШМО, РМО и др.) (ЧПсв)", "membership",
     lambda p: Q(association__kind__is_network=True))
fact("tutor_expert_leader", "тьюторы, эксперты, руководители РМО", "membership",
     lambda p: Q(role__in=[Membership.Role.TUTOR, Membership.Role.EXPERT])
     | Q(role=Membership.Role.LEADER, association__kind__is_school_level=False))
fact("school_mentor", "имеют школьного наставника", "mentee", lambda p: Q(level=Mentorship.Level.SCHOOL))
fact("municipal_mentor", "имеют муниципального наставника", "mentee", lambda p: Q(level=Mentorship.Level.MUNICIPAL))
fact("both_mentors", "имеют школьного и муниципального наставника одновременно", "mentee",
     lambda p: Q(level=Mentorship.Level.SCHOOL) & Q(Exists(_overlapping(Mentorship.objects.filter(
         mentee=OuterRef("mentee"), level=Mentorship.Level.MUNICIPAL), p).filter(
         start__lte=Coalesce(OuterRef("end"), Value(date.max), output_field=DateField())).filter(
         Q(end__isnull=True) | Q(end__gte=OuterRef("start"))))))
fact("mentor", "наставники", "mentor")
attribute("young", "молодые специалисты, педстаж менее 3 лет (ЧМС)",
          lambda period, prefix: young_specialist_condition(period.end, prefix))
# Category and education as they were at the period's end (teachers.models.qualification), never today's.
attribute("category_highest", "имеют высшую квалификационную категорию",
          lambda period, prefix: has_category_on(period.end, "highest", prefix))
attribute("category_first", "имеют первую квалификационную категорию",
          lambda period, prefix: has_category_on(period.end, "first", prefix))
attribute("attested", "аттестованы в периоде (категория присвоена)",
          lambda period, prefix: attested_between(period.start, period.end, prefix))
attribute("higher_education", "имеют высшее образование",
          lambda period, prefix: Q(Exact(education_on(period.end, prefix, "level__is_higher"), True)))


@school_population("schools", "общеобразовательные организации (ОО)")
def _schools(period, prefix, ref):
    return Q()


@school_population("mentorship_model", "ОО, реализующие целевую модель наставничества")
def _mentorship_model(period, prefix, ref):
    return Exists(MentorshipModelAdoption.objects.filter(
        school_id=OuterRef(ref), year=period.end.year, implements=True))


@school_population("network_school", "ОО, педагоги которых включены в сетевое взаимодействие")
def _network_school(period, prefix, ref):
    return Q(network_members__gt=0)


def parse(expression):
    return [part.strip() for part in (expression or "").split("+") if part.strip()]


# Non-population measures usable as the "numerator" of counts, means and distributions, and counted measures
# that may stand on either side of a share (vacancies are not people, so no population): {name: label}, filled
# by the engine's measure declarations (`indicators.engine.measure`), the one place a measure is defined. The
# engine is imported when the app is ready (IndicatorsConfig.ready), so they are here before any check or label;
# this module does not import the engine (imports go one way: engine → populations).
MEASURES = {}
SHARE_MEASURES = {}


def is_measure(expression, kind="share"):
    if kind == "share":
        return expression in SHARE_MEASURES
    return expression in MEASURES


def check_expression(expression, subject="teachers", *, kind="share"):
    """Russian error text if `expression` names an unknown population (or measure), else None."""
    if not expression or (subject == "teachers" and is_measure(expression, kind)):
        return None
    registry = SCHOOL_POPULATIONS if subject == "schools" else TEACHER_POPULATIONS
    unknown = [name for name in parse(expression) if name not in registry]
    if unknown:
        known = ", ".join(sorted(registry))
        return f"Неизвестные популяции: {', '.join(unknown)}. Допустимые: {known}."
    return None


def teacher_predicate(expression, period, *, prefix, ref):
    """AND of the named teacher populations, for a queryset whose person is `ref` (attributes via `prefix`)."""
    condition = Q()
    for name in parse(expression):
        pop = TEACHER_POPULATIONS[name]
        if pop.source is None:
            condition &= pop.condition(period, prefix)
        else:
            source = SOURCES[pop.source]
            rows = source.rows(period).filter(pop.condition(period), **{source.person_field: OuterRef(ref)})
            condition &= Q(Exists(rows))
    return condition


def label(expression, subject="teachers"):
    if subject == "teachers" and expression in SHARE_MEASURES:
        return SHARE_MEASURES[expression]
    if expression in MEASURES:
        return MEASURES[expression]
    registry = SCHOOL_POPULATIONS if subject == "schools" else TEACHER_POPULATIONS
    return "; ".join(registry[name].label for name in parse(expression) if name in registry)
