"""Named populations the catalogue combines into indicators.

A *teacher population* is a condition on one person at the period `[start, end]`,
written once and usable from two places:

* the engine's grouped aggregate over appointments (the person is `teacher_id`
  of the appointment row, field paths prefixed with "teacher__");
* the explain lists over `Teacher` (the person is the row itself, no prefix).

`predicate(name, period, prefix, ref)` returns a Q/Exists for either place.
A *school population* is a condition on a school (Y2, N2).
"""
from dataclasses import dataclass
from typing import Callable

from django.db.models import Exists, OuterRef, Q

from teachers.models import (
    DiagnosticResult, EventKind, IndividualRoute, Membership, Mentorship, MentorshipModelAdoption, Participation,
    RouteActivity,
)
from teachers.models.staff import YOUNG_SPECIALIST_YEARS, years_before


@dataclass(frozen=True)
class Population:
    name: str
    label: str
    build: Callable  # (period, prefix, ref) -> Q | Exists


TEACHER_POPULATIONS = {}
SCHOOL_POPULATIONS = {}


def teacher_population(name, label):
    def register(fn):
        TEACHER_POPULATIONS[name] = Population(name, label, fn)
        return fn

    return register


def school_population(name, label):
    def register(fn):
        SCHOOL_POPULATIONS[name] = Population(name, label, fn)
        return fn

    return register


def _participation(period, ref, **filters):
    return Exists(
        Participation.objects.filter(
            teacher_id=OuterRef(ref), event__end_date__gte=period.start, event__end_date__lte=period.end, **filters
        )
    )


def _routes(period, ref, *, from_diagnostics):
    qs = IndividualRoute.objects.filter(
        teacher_id=OuterRef(ref), approved_on__lte=period.end,
        year__gte=period.start.year, year__lte=period.end.year,
    ).exclude(status=IndividualRoute.Status.CANCELLED)
    if from_diagnostics:
        qs = qs.filter(diagnostic_result__isnull=False)
    return qs


def _overlapping(qs, period):
    return qs.filter(start__lte=period.end).filter(Q(end__isnull=True) | Q(end__gte=period.start))


@teacher_population("staff", "педагогические работники (ЧП)")
def _staff(period, prefix, ref):
    return Q()


@teacher_population("diagnosed", "участвовали в диагностике профессиональных дефицитов (ЧПдп)")
def _diagnosed(period, prefix, ref):
    return Exists(DiagnosticResult.objects.filter(
        teacher_id=OuterRef(ref), campaign__end_date__gte=period.start, campaign__end_date__lte=period.end))


@teacher_population("with_deficits", "выявлены профессиональные дефициты (ЧПвд)")
def _with_deficits(period, prefix, ref):
    return Exists(DiagnosticResult.objects.filter(
        teacher_id=OuterRef(ref), campaign__end_date__gte=period.start, campaign__end_date__lte=period.end,
        has_deficits=True))


@teacher_population("route_from_diagnostics", "имеют ИОМ, составленный по итогам диагностики (ЧПип)")
def _route_from_diagnostics(period, prefix, ref):
    return Exists(_routes(period, ref, from_diagnostics=True))


@teacher_population("route_any", "имеют ИОМ (любой)")
def _route_any(period, prefix, ref):
    return Exists(_routes(period, ref, from_diagnostics=False))


@teacher_population("route_activity_done", "участвовали в мероприятиях по устранению дефицитов в рамках ИОМ (ЧПиу)")
def _route_activity_done(period, prefix, ref):
    return Exists(RouteActivity.objects.filter(
        route__teacher_id=OuterRef(ref), done_on__gte=period.start, done_on__lte=period.end,
    ).exclude(route__status=IndividualRoute.Status.CANCELLED))


@teacher_population("contest", "участники конкурсов профессионального мастерства (ЧПк)")
def _contest(period, prefix, ref):
    return _participation(period, ref, event__kind__group=EventKind.Group.CONTEST)


@teacher_population("contest_winner", "победители и призёры конкурсов профессионального мастерства")
def _contest_winner(period, prefix, ref):
    return _participation(period, ref, event__kind__group=EventKind.Group.CONTEST,
                          role__in=[Participation.Role.WINNER, Participation.Role.PRIZE])


@teacher_population("municipal_methodical", "участники научно-методических мероприятий муниципального уровня (ЧПмм)")
def _municipal_methodical(period, prefix, ref):
    return _participation(period, ref, event__kind__group=EventKind.Group.METHODICAL, event__level__code="municipal")


@teacher_population("course", "прошли курсы повышения квалификации (ЧПпк)")
def _course(period, prefix, ref):
    return _participation(period, ref, event__kind__group=EventKind.Group.COURSE)


@teacher_population("retraining", "прошли профессиональную переподготовку")
def _retraining(period, prefix, ref):
    return _participation(period, ref, event__kind__group=EventKind.Group.RETRAINING)


@teacher_population("network_member", "включены в сетевое взаимодействие (ШМО, РМО и др.) (ЧПсв)")
def _network_member(period, prefix, ref):
    return Exists(_overlapping(
        Membership.objects.filter(teacher_id=OuterRef(ref), association__kind__is_network=True), period))


@teacher_population("regional_federal_network",
                    "участники мероприятий регионального и федерального уровня в рамках сетевого взаимодействия (ЧПрф)")
def _regional_federal_network(period, prefix, ref):
    network = Q(event__is_network=True) | Q(event__kind__group=EventKind.Group.NETWORK)
    return Exists(Participation.objects.filter(
        network, teacher_id=OuterRef(ref), event__end_date__gte=period.start, event__end_date__lte=period.end,
        event__level__rank__gte=3))


@teacher_population("young", "молодые специалисты, педстаж менее 3 лет (ЧМС)")
def _young(period, prefix, ref):
    return Q(**{
        f"{prefix}ped_experience_start__isnull": False,
        f"{prefix}ped_experience_start__lte": period.end,
        f"{prefix}ped_experience_start__gt": years_before(period.end, YOUNG_SPECIALIST_YEARS),
    })


@teacher_population("school_mentor", "имеют школьного наставника")
def _school_mentor(period, prefix, ref):
    return Exists(_overlapping(
        Mentorship.objects.filter(mentee_id=OuterRef(ref), level=Mentorship.Level.SCHOOL), period))


@teacher_population("municipal_mentor", "имеют муниципального наставника")
def _municipal_mentor(period, prefix, ref):
    return Exists(_overlapping(
        Mentorship.objects.filter(mentee_id=OuterRef(ref), level=Mentorship.Level.MUNICIPAL), period))


@teacher_population("mentor", "наставники")
def _mentor(period, prefix, ref):
    return Exists(_overlapping(Mentorship.objects.filter(mentor_id=OuterRef(ref)), period))


@teacher_population("category_highest", "имеют высшую квалификационную категорию")
def _category_highest(period, prefix, ref):
    return Q(**{f"{prefix}category__code": "highest"})


@teacher_population("category_first", "имеют первую квалификационную категорию")
def _category_first(period, prefix, ref):
    return Q(**{f"{prefix}category__code": "first"})


@teacher_population("attested", "аттестованы в периоде (категория присвоена)")
def _attested(period, prefix, ref):
    return Q(**{f"{prefix}category_date__gte": period.start, f"{prefix}category_date__lte": period.end})


@teacher_population("speaker_or_author", "выступления и публикации")
def _speaker_or_author(period, prefix, ref):
    return _participation(period, ref, role__in=[Participation.Role.SPEAKER, Participation.Role.AUTHOR]) | \
        _participation(period, ref, event__kind__group=EventKind.Group.PUBLICATION)


@teacher_population("tutor_expert_leader", "тьюторы, эксперты, руководители РМО")
def _tutor_expert_leader(period, prefix, ref):
    return Exists(_overlapping(Membership.objects.filter(
        teacher_id=OuterRef(ref),
        role__in=[Membership.Role.TUTOR, Membership.Role.EXPERT, Membership.Role.LEADER]), period))


@teacher_population("higher_education", "имеют высшее образование")
def _higher_education(period, prefix, ref):
    return Q(**{f"{prefix}education_level__is_higher": True})


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


# Non-population measures usable as the "numerator" of counts, means and distributions.
MEASURES = {
    "open_vacancies": "открытые вакансии на дату", "weekly_hours": "учебная нагрузка, ч/нед", "age": "возраст",
    "rate": "ставка", "education": "уровень образования", "experience": "педагогический стаж",
    "age_groups": "возрастные группы",
}


def check_expression(expression, subject="teachers", *, allow_measures=False):
    """Russian error text if `expression` names an unknown population, else None."""
    if allow_measures and expression in MEASURES:
        return None
    registry = SCHOOL_POPULATIONS if subject == "schools" else TEACHER_POPULATIONS
    unknown = [name for name in parse(expression) if name not in registry]
    if unknown:
        known = ", ".join(sorted(registry))
        return f"Неизвестные популяции: {', '.join(unknown)}. Допустимые: {known}."
    return None


def teacher_predicate(expression, period, *, prefix, ref):
    """AND of the named teacher populations."""
    condition = Q()
    for name in parse(expression):
        part = TEACHER_POPULATIONS[name].build(period, prefix, ref)
        condition &= part if isinstance(part, Q) else Q(part)
    return condition


def label(expression, subject="teachers"):
    registry = SCHOOL_POPULATIONS if subject == "schools" else TEACHER_POPULATIONS
    return "; ".join(registry[name].label for name in parse(expression) if name in registry)
