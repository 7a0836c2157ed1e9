"""List / detail / create / edit / delete pages for the development and staffing records.

Each record family is declared once (`Spec`): its columns, filters and form fields; `build` turns a spec
into a table, a filterset, a form and the five scoped views of `teachers.crud`.
"""
from dataclasses import dataclass, field

import django_filters
import django_tables2 as tables
from django import forms
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone

from .. import crud, scoping
from . import pickers
from .. import models as m
from ..naming import natural_order


@dataclass
class Spec:
    model: type
    name: str  # URL name prefix
    prefix: str  # URL path prefix
    columns: tuple
    filters: tuple
    form_fields: tuple
    select_related: tuple = ()
    search: tuple = ()  # fields for the free-text search
    title_plural: str | None = None
    order_by: tuple = ()
    prefetch_related: tuple = ()
    date_fields: tuple = field(default_factory=tuple)
    detail_template: str | None = None  # a template extending crud/detail.html (block related)
    detail_extra: object = None  # callable(obj, request) -> dict merged into the detail page's context
    # {field: {other field: lookup}}: the field's picker lists only records matching the other field's value
    picker_depends: dict = field(default_factory=dict)
    before_save: object = None  # callable(instance) run by the create and edit pages before they save it


def _table(spec):
    first, *rest = spec.columns
    attrs = {
        first: tables.LinkColumn(f"{spec.name}-detail", args=[tables.A("pk")],
                                 verbose_name=spec.model._meta.get_field(first).verbose_name.capitalize()
                                 if first in {f.name for f in spec.model._meta.fields} else first,
                                 text=lambda record: str(getattr(record, first))),
    }
    meta = type("Meta", (), {"model": spec.model, "fields": spec.columns, "order_by": spec.order_by or None})
    attrs["Meta"] = meta
    return type(f"{spec.model.__name__}Table", (tables.Table,), attrs)


def _filterset(spec):
    def search(self, queryset, name, value):
        q = Q()
        for word in value.split():
            part = Q()
            for f in spec.search:
                part |= Q(**{f"{f}__icontains": word})
            q &= part
        return queryset.filter(q)

    def init(self, *args, user=None, **kwargs):
        django_filters.FilterSet.__init__(self, *args, **kwargs)
        for fname, flt in self.filters.items():
            qs = getattr(flt, "queryset", None)
            if qs is not None and user is not None:
                flt.queryset = scoping.scoped(user, qs)
                if qs.model is m.School:
                    flt.queryset = natural_order(flt.queryset)
        for f in self.form.fields.values():
            css = "form-select form-select-sm" if isinstance(f.widget, forms.Select) else "form-control form-control-sm"
            f.widget.attrs["class"] = css

    attrs = {"Meta": type("Meta", (), {"model": spec.model, "fields": list(spec.filters)}), "__init__": init}
    if spec.search:
        attrs["q"] = django_filters.CharFilter(label="Поиск", method="search")
        attrs["search"] = search
    return type(f"{spec.model.__name__}Filter", (django_filters.FilterSet,), attrs)


def _form(spec):
    widgets = {}
    for f in spec.form_fields:
        model_field = spec.model._meta.get_field(f)
        if model_field.get_internal_type() == "TextField":
            widgets[f] = forms.Textarea(attrs={"rows": 3})
    meta = type("Meta", (), {"model": spec.model, "fields": list(spec.form_fields), "widgets": widgets})
    form_class = type(f"{spec.model.__name__}Form", (crud.ScopedModelForm,), {
        "Meta": meta, "picker_key": spec.name, "picker_depends": spec.picker_depends})
    pickers.register(spec.name, form_class, f"{spec.name}-create")
    return form_class


def build(spec):
    table_class, filter_class, form_class = _table(spec), _filterset(spec), _form(spec)
    def base_queryset(self):
        qs = crud.ScopedViewMixin.base_queryset(self)
        return qs if qs.ordered else qs.order_by("-pk")

    base = type(f"{spec.model.__name__}Mixin", (), {
        "base_queryset": base_queryset,
        "model": spec.model, "crud_name": spec.name, "title_plural": spec.title_plural,
        "select_related": spec.select_related, "prefetch_related": spec.prefetch_related,
    })

    def filterset_kwargs(self, filterset_class):
        kwargs = crud.CrudListView.get_filterset_kwargs(self, filterset_class)
        kwargs["user"] = self.request.user
        return kwargs

    def detail_context(self, **kwargs):
        ctx = crud.CrudDetailView.get_context_data(self, **kwargs)
        ctx["extra_actions"] = [(title, reverse(url_name, args=[self.object.pk]))
                                for title, url_name in BULK_ACTIONS.get(spec.name, ())]
        if spec.detail_extra:
            ctx.update(spec.detail_extra(self.object, self.request))
        return ctx

    form_attrs = {"form_class": form_class}
    if spec.before_save:
        form_attrs["before_save"] = staticmethod(spec.before_save)
    views = {
        "list_view": type(f"{spec.model.__name__}ListView", (base, crud.CrudListView), {
            "table_class": table_class, "filterset_class": filter_class, "get_filterset_kwargs": filterset_kwargs}),
        "detail_view": type(f"{spec.model.__name__}DetailView", (base, crud.CrudDetailView),
                            {"get_context_data": detail_context,
                             **({"template_name": spec.detail_template} if spec.detail_template else {})}),
        "create_view": type(f"{spec.model.__name__}CreateView", (base, crud.CrudCreateView), form_attrs),
        "update_view": type(f"{spec.model.__name__}UpdateView", (base, crud.CrudUpdateView), form_attrs),
        "delete_view": type(f"{spec.model.__name__}DeleteView", (base, crud.CrudDeleteView), {}),
    }
    return crud.crud_urls(spec.prefix, spec.name, **views)


def _association_extra(association, request):
    members = scoping.scoped(request.user, association.memberships.select_related("teacher")).order_by(
        "end", "role", "teacher__last_name", "teacher__first_name")
    return {"members": members, "today": timezone.localdate(),
            "add_member_url": crud.add_url(request.user, "membership", association=association.pk,
                                           next=request.path)}


def _route_extra(route, request):
    activities = list(route.activities.select_related("deficit_area", "participation__event").order_by(
        "planned_date", "pk"))
    covered = {a.deficit_area_id for a in activities}
    result = route.diagnostic_result
    deficits = [(area, area.pk in covered) for area in result.deficit_areas.all()] if result else []
    return {"activities": activities, "deficits": deficits, "result": result,
            "add_activity_url": crud.add_url(request.user, "activity", obj=route, route=route.pk, next=request.path)}


def _result_extra(result, request):
    return {"routes": list(result.routes.order_by("-year")),
            "add_route_url": crud.add_url(request.user, "route", obj=result, teacher=result.teacher_id,
                                          diagnostic_result=result.pk, year=timezone.localdate().year)}


# Bulk pages reachable from a record's page.
BULK_ACTIONS = {
    "campaign": [("Ввести результаты по ОО", "campaign-results-bulk")],
    "event": [("Добавить участников", "event-participants-bulk")],
}

TEACHER_SEARCH = ("teacher__last_name", "teacher__first_name", "teacher__middle_name")

SPECS = [
    Spec(m.Vacancy, "vacancy", "vacancies", ("position", "school", "subject", "weekly_hours", "opened", "closed"),
         ("school", "position", "subject"), ("school", "position", "subject", "weekly_hours", "opened", "closed",
                                             "housing", "comment"),
         select_related=("school", "position", "subject"), title_plural="вакансии", order_by=("-opened",)),
    Spec(m.ReserveEntry, "reserve", "reserve", ("teacher", "school", "target_position", "included_on", "excluded_on"),
         ("school",), ("teacher", "school", "target_position", "included_on", "excluded_on", "basis"),
         select_related=("teacher", "school"), search=TEACHER_SEARCH + ("target_position",),
         title_plural="кадровый резерв"),
    Spec(m.DevelopmentRequest, "request", "requests", ("teacher", "year", "topic", "deficit_area", "format", "status",
                                                       "source", "submitted_on"),
         ("year", "status", "format", "deficit_area", "source"),
         ("teacher", "year", "topic", "deficit_area", "format", "status", "submitted_on", "comment"),
         select_related=("teacher", "deficit_area"), search=TEACHER_SEARCH + ("topic",),
         title_plural="запросы на повышение квалификации"),
    Spec(m.MentorshipModelAdoption, "mentorship-model", "mentorship-models", ("school", "year", "implements", "document"),
         ("year", "implements", "school"), ("school", "year", "implements", "document"),
         select_related=("school",), title_plural="целевая модель наставничества в ОО"),
    Spec(m.DiagnosticCampaign, "campaign", "diagnostics", ("title", "organizer", "subject", "start_date", "end_date"),
         ("organizer", "subject"), ("title", "organizer", "municipality", "school", "subject", "start_date", "end_date",
                                    "max_score", "description"),
         select_related=("subject",), search=("title",), title_plural="диагностики профессиональных дефицитов"),
    Spec(m.DiagnosticResult, "result", "diagnostic-results", ("teacher", "campaign", "score", "has_deficits"),
         ("campaign", "has_deficits", "deficit_areas"), ("campaign", "teacher", "score", "deficit_areas", "comment"),
         select_related=("teacher", "campaign"), search=TEACHER_SEARCH, title_plural="результаты диагностики",
         detail_template="teachers/result_detail.html", detail_extra=_result_extra),
    Spec(m.IndividualRoute, "route", "routes", ("teacher", "year", "status", "approved_on", "diagnostic_result"),
         ("year", "status"), ("teacher", "year", "diagnostic_result", "approved_on", "status", "goal"),
         select_related=("teacher", "diagnostic_result__campaign"), search=TEACHER_SEARCH,
         title_plural="индивидуальные образовательные маршруты (ИОМ)",
         picker_depends={"diagnostic_result": {"teacher": "teacher"}},
         detail_template="teachers/route_detail.html", detail_extra=_route_extra),
    Spec(m.RouteActivity, "activity", "route-activities", ("title", "route", "deficit_area", "planned_date", "done_on"),
         ("deficit_area",), ("route", "title", "deficit_area", "planned_date", "done_on", "participation"),
         select_related=("route__teacher", "deficit_area"), search=("title", "route__teacher__last_name"),
         title_plural="мероприятия ИОМ", picker_depends={"participation": {"route": "teacher__routes"}}),
    Spec(m.Event, "event", "events", ("title", "kind", "level", "start_date", "end_date", "hours", "is_network"),
         ("kind", "level", "is_network"), ("title", "kind", "level", "municipality", "school", "association",
                                           "organizer", "is_network", "start_date", "end_date", "hours", "description"),
         select_related=("kind", "level"), search=("title", "organizer"), title_plural="мероприятия",
         order_by=("-start_date",)),
    Spec(m.Participation, "participation", "participations", ("teacher", "event", "role", "result"),
         ("role", "event__kind", "event__level"), ("event", "teacher", "role", "result", "certificate"),
         select_related=("teacher", "event"), search=TEACHER_SEARCH + ("event__title",),
         title_plural="участие в мероприятиях"),
    Spec(m.Mentorship, "mentorship", "mentorships", ("mentee", "mentor", "level", "start", "end"),
         ("level",), ("mentor", "mentee", "level", "start", "end", "document"),
         select_related=("mentor", "mentee"), search=("mentee__last_name", "mentor__last_name"),
         title_plural="наставничество", order_by=("-start",)),
    Spec(m.Association, "association", "associations", ("name", "kind", "subject", "school", "is_active"),
         ("kind", "subject", "is_active"), ("name", "kind", "municipality", "school", "subject", "is_active"),
         select_related=("kind", "subject", "school"), search=("name",), title_plural="методические объединения",
         detail_template="teachers/association_detail.html", detail_extra=_association_extra),
    Spec(m.Membership, "membership", "memberships", ("teacher", "association", "role", "start", "end"),
         ("role", "association"), ("association", "teacher", "role", "start", "end"),
         select_related=("teacher", "association"), search=TEACHER_SEARCH + ("association__name",),
         title_plural="участие в объединениях"),
]

urlpatterns = [pattern for spec in SPECS for pattern in build(spec)]
