"""What a picker shows and finds for each kind of record: its label, the line under it, the search.

A picker (`teachers.widgets.PickerSelect`) stands for a form's foreign key to a table that grows with the
district (people, results, routes, events…): the page renders only the chosen option, and the browser asks
`picker_view` (teachers/views/pickers.py) for the rest, a page at a time, as the user types. The choices come
from the form's own field queryset, so the picker offers exactly what the form accepts.

People are shown with where and as whom they work now and, for those who may see it, their birth date, so
namesakes can be told apart (`personal_data.may_see_personal_data`: a school does not see the birth date of a
person who has left it).
"""
from django.db import models
from django.db.models import Prefetch, Q
from django.utils import timezone

from . import scoping
from .models import (
    Appointment, Association, DiagnosticCampaign, DiagnosticResult, Event, IndividualRoute, Municipality,
    Participation, School, Teacher,
)
from .models.reference import ReferenceModel
from .naming import natural_order

PAGE_SIZE = 20
MAX_QUERY = 100


def is_reference(model):
    """Small fixed tables (positions, subjects, deficit areas, directions…) stay ordinary selects."""
    return issubclass(model, ReferenceModel) or model._meta.label == "indicators.Direction"


def wants_picker(field):
    from django import forms

    return (isinstance(field, (forms.ModelChoiceField, forms.ModelMultipleChoiceField))
            and not is_reference(field.queryset.model))


def _words(q):
    return [w for w in q.split() if w][:5]


def _contains(names, word):
    """Any of `names` contains `word`; SQLite compares only ASCII case-insensitively, so the capitalised form
    («иванова» → «Иванова») is tried too."""
    cond = Q()
    for name in names:
        cond |= Q(**{f"{name}__icontains": word})
        if word[:1].islower():
            cond |= Q(**{f"{name}__contains": word[:1].upper() + word[1:]})
    return cond


def _search(qs, q, names):
    for word in _words(q):
        qs = qs.filter(_contains(names, word))
    return qs


def _fmt(day):
    return f"{day:%d.%m.%Y}" if day else ""


PERSON = ("last_name", "first_name", "middle_name")


def _person_names(prefix):
    return tuple(f"{prefix}__{n}" for n in PERSON)


class Kind:
    """How one model is searched, read and labelled. `text(obj)` is the option's label, `detail(obj)` the line
    under it; `prepare(qs)` fetches what both need for a page in a fixed number of queries."""

    search = ()
    related = ()

    def prepare(self, qs, user):
        if self.related:
            qs = qs.select_related(*self.related)
        return qs

    def find(self, qs, q):
        names = self.search or tuple(
            f.name for f in qs.model._meta.concrete_fields if isinstance(f, (models.CharField, models.TextField))
        )[:3]
        return _search(qs, q, names) if names else qs

    def order(self, qs):
        return qs if qs.ordered else qs.order_by("pk")

    def text(self, obj):
        return str(obj)

    def detail(self, obj):
        return ""

    def finish(self, objs, user):
        """A hook run once per page of results before labels are read (personal data of people)."""


class GenericKind(Kind):
    def prepare(self, qs, user):
        fks = [f.name for f in qs.model._meta.concrete_fields if f.many_to_one]
        return qs.select_related(*fks) if fks else qs


class TeacherKind(Kind):
    search = PERSON

    def prepare(self, qs, user):
        today = timezone.localdate()
        positions = Appointment.objects.active_on(today).select_related("school", "position").order_by(
            "employment", "-hired")
        return qs.only(*PERSON, "birth_date").prefetch_related(
            Prefetch("appointments", queryset=positions, to_attr="picker_positions"))

    def order(self, qs):
        return qs.order_by(*PERSON, "birth_date", "pk")

    def finish(self, objs, user):
        from .personal_data import may_see_personal_data

        shown = set()
        if may_see_personal_data(user):
            ids = [t.pk for t in objs]
            if scoping.is_school_head(user):
                shown = set(scoping.teachers_held(user).filter(pk__in=ids).values_list("pk", flat=True))
            else:
                shown = set(ids)
        for t in objs:
            t.picker_birth_date = t.birth_date if t.pk in shown else None

    def text(self, obj):
        return obj.full_name

    def detail(self, obj):
        positions = getattr(obj, "picker_positions", None)
        if positions is None:
            where = ""
        elif positions:
            where = "; ".join(f"{a.school.short_name}, {a.position.name}" for a in positions[:2])
        else:
            where = "не работает"
        born = getattr(obj, "picker_birth_date", None)
        return " · ".join(p for p in (where, f"д. р. {_fmt(born)}" if born else "") if p)


class SchoolKind(Kind):
    search = ("short_name", "full_name")
    related = ("municipality",)

    def order(self, qs):
        return natural_order(qs, "short_name")  # «№ 4» before «№ 10»

    def text(self, obj):
        return obj.short_name

    def detail(self, obj):
        return str(obj.municipality)


class MunicipalityKind(Kind):
    search = ("name", "short_name")


class ResultKind(Kind):
    search = ("campaign__title",) + _person_names("teacher")
    related = ("campaign", "teacher")

    def order(self, qs):
        return qs.order_by("-campaign__end_date", "teacher__last_name", "pk")

    def text(self, obj):
        return f"{obj.campaign.title} ({_fmt(obj.campaign.end_date)})"

    def detail(self, obj):
        parts = [obj.teacher.short_name]
        if obj.score is not None:
            parts.append(f"балл {obj.score}")
        parts.append("выявлены дефициты" if obj.has_deficits else "без дефицитов")
        return " · ".join(parts)


class RouteKind(Kind):
    search = _person_names("teacher")
    related = ("teacher",)

    def order(self, qs):
        return qs.order_by("-year", "teacher__last_name", "teacher__first_name", "pk")

    def text(self, obj):
        return f"ИОМ {obj.year}: {obj.teacher.full_name}"

    def detail(self, obj):
        return f"{obj.get_status_display()}, утверждён {_fmt(obj.approved_on)}"


class EventKindPick(Kind):
    search = ("title", "organizer")
    related = ("kind", "level")

    def order(self, qs):
        return qs.order_by("-start_date", "title", "pk")

    def text(self, obj):
        return f"{obj.title} ({_fmt(obj.start_date)})"

    def detail(self, obj):
        return f"{obj.kind.name}, {obj.level.name} уровень"


class ParticipationKind(Kind):
    search = ("event__title",) + _person_names("teacher")
    related = ("event", "teacher")

    def order(self, qs):
        return qs.order_by("-event__start_date", "pk")

    def text(self, obj):
        return f"{obj.event.title} ({_fmt(obj.event.start_date)})"

    def detail(self, obj):
        return f"{obj.teacher.short_name} · {obj.get_role_display()}"


class CampaignKind(Kind):
    search = ("title",)

    def order(self, qs):
        return qs.order_by("-start_date", "title", "pk")

    def detail(self, obj):
        return obj.get_organizer_display()


class AssociationKindPick(Kind):
    search = ("name",)
    related = ("kind",)

    def order(self, qs):
        return qs.order_by("name", "pk")

    def detail(self, obj):
        return obj.kind.name


KINDS = {
    Teacher: TeacherKind(), School: SchoolKind(), Municipality: MunicipalityKind(), DiagnosticResult: ResultKind(),
    IndividualRoute: RouteKind(), Event: EventKindPick(), Participation: ParticipationKind(),
    DiagnosticCampaign: CampaignKind(), Association: AssociationKindPick(),
}


def kind_of(model):
    return KINDS.get(model) or GenericKind()


def options(queryset, user, *, q="", page=1, size=PAGE_SIZE):
    """One page of `queryset` matching `q`: ([{"value", "text", "detail"}], more)."""
    kind = kind_of(queryset.model)
    qs = kind.order(kind.prepare(kind.find(queryset, q), user))
    start = (page - 1) * size
    objs = list(qs[start:start + size + 1])
    more = len(objs) > size
    objs = objs[:size]
    return label_all(kind, objs, user), more


def label_all(kind, objs, user):
    kind.finish(objs, user)
    return [{"value": str(obj.pk), "text": kind.text(obj), "detail": kind.detail(obj)} for obj in objs]


def selected(queryset, values, user):
    """The labelled options of `values` (chosen ids) found in `queryset`; ids outside it are not shown."""
    ids = []
    for value in values:
        value = getattr(value, "pk", value)
        if value in (None, ""):
            continue
        try:
            ids.append(int(value))
        except (TypeError, ValueError):
            continue
    if not ids:
        return []
    kind = kind_of(queryset.model)
    objs = list(kind.prepare(queryset.filter(pk__in=ids), user))
    objs.sort(key=lambda obj: ids.index(obj.pk))
    return label_all(kind, objs, user)
