"""Generic scoped list / detail / create / update / delete pages.

Every page of the data-entry section is one of these views with a model, a
table, a filterset and a form. They take their queryset from
`teachers.scoping.scoped`, so an outsider gets 404; writes need
`scoping.can_edit` (viewers get 403); forms narrow every choice of a scoped
model to what the user may see, so a POST that names another school's record
is refused by form validation and changes nothing.

URL names follow `<name>-list`, `<name>-detail`, `<name>-create`,
`<name>-update`, `<name>-delete` (see `crud_urls`).
"""
from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.db.models import ProtectedError, QuerySet
from django.http import HttpResponseRedirect
from django.urls import path, reverse
from django.utils import timezone
from django.utils.html import format_html
from django.utils.http import url_has_allowed_host_and_scheme
from django.views import generic
from django_filters.views import FilterView
from django_tables2 import SingleTableMixin

from . import pickers, scoping
from .exporting import export_table_response
from .widgets import PickerSelect, PickerSelectMultiple


def _scoped_model(model):
    return bool(getattr(model, "scope_school_field", None) or getattr(model, "scope_municipality_field", None)
                or model.__name__ in ("School", "Municipality"))


class ScopedFormMixin:
    """Narrows every choice of a scoped model to the user's scope and refuses a save outside their write scope.

    The foreign keys through which a record belongs to a school or a person (`scoping.owner_fields`: the
    teacher of a result, the school of a vacancy) offer only what the user may write; other choices (the
    event attended) what they may read. After validation `scoping.write_problem` checks the instance as it
    would be saved, so a tampered POST is refused with a message and nothing is written.
    """

    # Set by the pages: the key under which `teachers.views.pickers` finds this form (its URL name prefix), and
    # {field: {other field: lookup}} — the choices of `field` narrowed by the value of another field of the
    # form (an ИОМ's diagnostic result among the chosen teacher's results).
    picker_key = None
    picker_depends = {}

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user
        model = getattr(getattr(self, "_meta", None), "model", None)
        owners = scoping.owner_fields(model) if model is not None else set()
        for name, field in self.fields.items():
            if isinstance(field, (forms.ModelChoiceField, forms.ModelMultipleChoiceField)):
                if user is not None and _scoped_model(field.queryset.model):
                    narrow = scoping.writable if name in owners else scoping.scoped
                    field.queryset = narrow(user, field.queryset)
                if self.picker_key and pickers.wants_picker(field):
                    field.widget = self._picker_widget(name, field)
            widget = field.widget
            css = "form-select" if isinstance(widget, (forms.Select, forms.SelectMultiple)) else "form-control"
            if isinstance(widget, forms.CheckboxInput):
                css = "form-check-input"
            widget.attrs.setdefault("class", css)
            if isinstance(field, forms.DateField):
                widget.attrs.setdefault("placeholder", "дд.мм.гггг")
                if isinstance(widget, forms.DateInput):
                    widget.format = "%d.%m.%Y"

    def _picker_widget(self, name, field):
        """A search-as-you-type select: the page renders only the chosen option(s), never the whole table."""
        cls = PickerSelectMultiple if isinstance(field, forms.ModelMultipleChoiceField) else PickerSelect
        widget = cls(url=reverse("picker", args=[self.picker_key, name]), user=self.user,
                     depends={source: source for source in self.picker_depends.get(name, {})},
                     attrs=dict(field.widget.attrs))
        widget.field_name = name
        widget.is_required = field.required
        widget.choices = field.choices
        return widget

    def _post_clean(self):
        super()._post_clean()
        if self.user is not None and isinstance(self, forms.ModelForm) and not self.errors:
            problem = scoping.write_problem(self.user, self.instance)
            if problem:
                self.add_error(None, problem)


class ScopedModelForm(ScopedFormMixin, forms.ModelForm):
    pass


class ScopedViewMixin:
    model = None
    crud_name = None  # URL name prefix, e.g. "teacher"
    title_plural = None
    select_related = ()
    prefetch_related = ()

    def base_queryset(self):
        qs = self.model._default_manager.all()
        if self.select_related:
            qs = qs.select_related(*self.select_related)
        if self.prefetch_related:
            qs = qs.prefetch_related(*self.prefetch_related)
        return qs

    def get_queryset(self):
        return scoping.scoped(self.request.user, self.base_queryset())

    def _may_open(self, action, *args):
        """Does the view behind this model's `action` page (for the object `args`) admit the user's role (no page:
        no)?"""
        try:
            return scoping.may_open(self.request.user, f"{self.crud_name}-{action}", *args)
        except RuntimeError:
            return False

    def crud_url(self, action, obj=None):
        name = f"{self.crud_name}-{action}"
        return reverse(name, args=[obj.pk]) if obj is not None else reverse(name)

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        meta = self.model._meta
        ctx.update(
            verbose_name=meta.verbose_name,
            verbose_name_plural=self.title_plural or meta.verbose_name_plural,
            crud_name=self.crud_name,
            list_url=self.crud_url("list"),
            can_create=scoping.can_edit(self.request.user, model=self.model) and self._may_open("create"),
        )
        return ctx


class EditPermissionMixin:
    """403 for roles that may not change this object (viewers; heads on district records)."""

    def check_edit_permission(self, obj=None):
        if not scoping.can_edit(self.request.user, obj, self.model):
            raise PermissionDenied("Недостаточно прав для изменения этой записи.")


class CrudListView(ScopedViewMixin, SingleTableMixin, FilterView):
    template_name = "crud/list.html"
    paginate_by = 50
    export_name = None

    def get_paginate_by(self, data):
        # django-tables2 asks with its table data and paginates the table; Django's ListView asks with the
        # queryset and would paginate (and COUNT) the same rows a second time for nothing.
        if isinstance(data, QuerySet):
            return None
        return self.paginate_by

    def _filtering(self):
        return any(k not in ("page", "sort") and v for k, v in self.request.GET.items())

    def get_table(self, **kwargs):
        table = super().get_table(**kwargs)
        table.empty_text = ("Ничего не найдено: измените условия отбора." if self._filtering()
                            else "Пока нет записей.")
        stack_on_phones(table)
        return table

    def get(self, request, *args, **kwargs):
        if request.GET.get("_export") == "xlsx":
            return self.export(request)
        return super().get(request, *args, **kwargs)

    def export_queryset(self, queryset):
        """The rows to export: the list's queryset, less what only the page shows (a hook for big lists)."""
        return queryset

    def export(self, request):
        filterset = self.get_filterset(self.get_filterset_class())
        qs = filterset.qs if filterset.is_valid() else filterset.queryset.none()
        qs = self.export_queryset(qs)
        table = self.get_table_class()(qs)
        return export_table_response(
            request, table, qs, filename=self.export_name or self.crud_name,
            title=self.title_plural or self.model._meta.verbose_name_plural,
        )

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        query = self.request.GET.copy()
        query.pop("page", None)
        query["_export"] = "xlsx"
        ctx["export_url"] = f"{self.request.path}?{query.urlencode()}"
        ctx["create_url"] = self.crud_url("create") if ctx["can_create"] else None
        ctx["filters_active"] = self._filtering()
        ctx["filters_count"] = sum(1 for k, v in self.request.GET.items() if k not in ("page", "sort") and v)
        return ctx


def stack_on_phones(table):
    """Each cell names its column (`data-label`) and the table gets `stack`: on a phone (static/css/app.css) a row
    becomes a little card of «label: value» lines instead of a table wider than the screen. The columns are the
    table's own copies, so the class's columns are untouched."""
    for bound in table.columns:
        column = bound.column
        column.attrs = {**column.attrs, "td": {**column.attrs.get("td", {}), "data-label": str(bound.header)}}
    classes = table.attrs.get("class", "table")
    if "stack" not in classes.split():
        table.attrs["class"] = f"{classes} stack"


class CrudDetailView(ScopedViewMixin, generic.DetailView):
    template_name = "crud/detail.html"
    detail_fields = None  # names of fields to show; default: all concrete editable fields
    history_limit = 30

    def field_rows(self, obj):
        names = self.detail_fields or [
            f.name for f in self.model._meta.get_fields()
            if getattr(f, "concrete", False) and not f.auto_created and f.editable
        ]
        rows = []
        for name in names:
            field = self.model._meta.get_field(name)
            if field.many_to_many:
                value = ", ".join(str(v) for v in getattr(obj, name).all()) or "—"
            elif field.choices:
                value = getattr(obj, f"get_{name}_display")() or "—"
            else:
                value = getattr(obj, name)
                if field.many_to_one and value is not None and detail_url(value):
                    value = format_html('<a href="{}">{}</a>', detail_url(value), value)
                elif value is None or value == "":
                    value = "—"
                elif value is True:
                    value = "да"
                elif value is False:
                    value = "нет"
            rows.append((field.verbose_name, value))
        return rows

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        obj = self.object
        user = self.request.user
        writable = scoping.can_edit(user, obj)  # its queries once for both buttons
        ctx.update(
            field_rows=self.field_rows(obj),
            # The buttons show only where the pages open: a head may not edit the school record itself.
            can_edit=writable and self._may_open("update", obj.pk),
            can_delete=writable and self._may_open("delete", obj.pk),
            update_url=self.crud_url("update", obj),
            delete_url=self.crud_url("delete", obj),
            history=history_entries(obj, self.history_limit),
        )
        return ctx


def history_entries(obj, limit=30):
    """Audit trail of one record: who created/changed/deleted what and when, newest first.

    Values read as the page shows them: a choice by its label, a date as дд.мм.гггг, a reference or a
    many-to-many set by the records' names (simple-history stores ids and through-rows). The names are read with
    one query per field for the whole trail."""
    history = getattr(obj, "history", None)
    if history is None:
        return []
    records = list(history.select_related("history_user").order_by("-history_date", "-history_id")[: limit + 1])
    entries, pending = [], []
    for i, record in enumerate(records[:limit]):
        previous = records[i + 1] if i + 1 < len(records) else None
        changes = []
        if previous is not None and record.history_type == "~":
            try:
                delta = record.diff_against(previous)
            except Exception:  # m2m diffs of old rows may be incomplete; the entry still shows
                delta = None
            if delta:
                for change in delta.changes:
                    try:
                        field = obj._meta.get_field(change.field)
                    except Exception:
                        field = None
                    item = {"field": field.verbose_name if field is not None else change.field,
                            "old": change.old, "new": change.new}
                    changes.append(item)
                    pending.append((field, item))
        entries.append({
            "date": record.history_date,
            "user": record.history_user,
            "action": {"+": "создание", "~": "изменение", "-": "удаление"}.get(record.history_type, record.history_type),
            "changes": changes,
            "reason": getattr(record, "history_change_reason", "") or "",
        })
    _readable_values(pending)
    return entries


def _ids_of(field, value):
    """The related ids in a stored value: an id (foreign key) or through-rows [{'teacher': 1, 'subject': 3}]."""
    if value in (None, ""):
        return []
    if field.many_to_many:
        target = field.m2m_reverse_field_name()
        return [row.get(target) for row in value if isinstance(row, dict) and row.get(target) is not None]
    return [value]


def _readable_values(pending):
    """Replace ids, through-rows, choice codes and dates in history changes with what a person reads."""
    from datetime import date as date_type, datetime

    names = {}
    wanted = {}
    for field, item in pending:
        if field is not None and (field.many_to_many or field.many_to_one):
            for key in ("old", "new"):
                wanted.setdefault(field, set()).update(_ids_of(field, item[key]))
    for field, ids in wanted.items():
        if ids:
            names[field] = {o.pk: str(o) for o in field.related_model._default_manager.filter(pk__in=ids)}
    for field, item in pending:
        for key in ("old", "new"):
            value = item[key]
            if field is None or value in (None, ""):
                continue
            if field.many_to_many or field.many_to_one:
                found = names.get(field, {})
                labels = [found.get(pk, f"запись №{pk}") for pk in _ids_of(field, value)]
                item[key] = ", ".join(labels) if labels else ("—" if field.many_to_many else value)
            elif field.choices:
                item[key] = dict(field.flatchoices).get(value, value)
            elif isinstance(value, bool):
                item[key] = "да" if value else "нет"
            elif isinstance(value, datetime):
                item[key] = timezone.localtime(value).strftime("%d.%m.%Y %H:%M") if timezone.is_aware(value) \
                    else value.strftime("%d.%m.%Y %H:%M")
            elif isinstance(value, date_type):
                item[key] = value.strftime("%d.%m.%Y")


class CrudFormViewMixin(EditPermissionMixin):
    template_name = "crud/form.html"

    def get_form_kwargs(self):
        kwargs = super().get_form_kwargs()
        kwargs["user"] = self.request.user
        return kwargs

    def next_url(self):
        """Where the page was opened from (`?next=`, a local address only): the teacher card's «добавить» links
        bring the user back to the card."""
        wanted = self.request.GET.get("next") or ""
        if wanted and url_has_allowed_host_and_scheme(wanted, allowed_hosts={self.request.get_host()},
                                                      require_https=self.request.is_secure()):
            return wanted
        return None

    def get_success_url(self):
        return self.next_url() or self.crud_url("detail", self.object)

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        ctx["next_url"] = self.next_url()
        return ctx

    # callable(instance): a named action that fills what the record derives from its fields (an effectiveness
    # review's values), run on the instance just before the page saves it — the model's save() does not.
    before_save = None

    def form_valid(self, form):
        if self.before_save:
            self.before_save(form.instance)
        response = super().form_valid(form)
        # Records that keep a derived flag in step with their many-to-many data (DiagnosticResult.has_deficits).
        sync = getattr(self.object, "sync_has_deficits", None)
        if sync:
            sync()
        messages.success(self.request, "Сохранено.")
        return response


class CrudCreateView(ScopedViewMixin, CrudFormViewMixin, generic.CreateView):
    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated:
            self.check_edit_permission()
        return super().dispatch(request, *args, **kwargs)

    def get_initial(self):
        """Fields prefilled from the address (`/memberships/new/?association=5`, `?teacher=12`). Only shown as
        the form's initial values: a chosen record is rendered from the field's scoped queryset (a picker shows
        only what it finds there), so an id outside the user's scope shows nothing and saves nothing."""
        initial = super().get_initial()
        fields = self.get_form_class().base_fields
        for name, value in self.request.GET.items():
            if name in fields and value:
                field = fields[name]
                if isinstance(field, forms.ModelMultipleChoiceField):
                    initial[name] = self.request.GET.getlist(name)
                else:
                    initial[name] = value
        return initial


class CrudUpdateView(ScopedViewMixin, CrudFormViewMixin, generic.UpdateView):
    def get_object(self, queryset=None):
        obj = super().get_object(queryset)
        self.check_edit_permission(obj)
        return obj


class CrudDeleteView(ScopedViewMixin, EditPermissionMixin, generic.DeleteView):
    template_name = "crud/confirm_delete.html"

    def get_object(self, queryset=None):
        obj = super().get_object(queryset)
        self.check_edit_permission(obj)
        return obj

    def get_success_url(self):
        return self.crud_url("list")

    def form_valid(self, form):
        try:
            response = super().form_valid(form)
        except ProtectedError:
            messages.error(self.request, "Запись нельзя удалить: на неё ссылаются другие записи. Сначала удалите или измените их.")
            return HttpResponseRedirect(self.crud_url("detail", self.object))
        messages.success(self.request, "Запись удалена.")
        return response


# model -> crud name, for links from one record's page to the records it points at
DETAIL_NAMES = {}


def detail_url(obj):
    """The page of `obj` when its model has crud pages, else None."""
    name = DETAIL_NAMES.get(type(obj))
    return reverse(f"{name}-detail", args=[obj.pk]) if name else None


def add_url(user, crud_name, *, obj=None, **params):
    """The «добавить» page of `crud_name` prefilled with `params`, or None when `user` could not use it (the role
    may not open it, or may not write records of that kind — or, with `obj`, may not change `obj`, the record
    the new one hangs on)."""
    from urllib.parse import urlencode

    from django.urls import resolve

    url = reverse(f"{crud_name}-create")
    model = resolve(url).func.view_class.model
    if not scoping.may_open(user, f"{crud_name}-create") or not scoping.can_edit(user, model=model):
        return None
    if obj is not None and not scoping.can_edit(user, obj):
        return None
    query = urlencode({k: v for k, v in params.items() if v not in (None, "")})
    return f"{url}?{query}" if query else url


def crud_urls(prefix, name, *, list_view=None, detail_view=None, create_view=None, update_view=None, delete_view=None):
    """URL patterns for one model's pages: /<prefix>/, /<prefix>/new/, /<prefix>/<pk>/, …/edit/, …/delete/."""
    patterns = []
    if list_view:
        patterns.append(path(f"{prefix}/", list_view.as_view(), name=f"{name}-list"))
    if create_view:
        patterns.append(path(f"{prefix}/new/", create_view.as_view(), name=f"{name}-create"))
    if detail_view:
        patterns.append(path(f"{prefix}/<int:pk>/", detail_view.as_view(), name=f"{name}-detail"))
        DETAIL_NAMES.setdefault(detail_view.model, name)
    if update_view:
        patterns.append(path(f"{prefix}/<int:pk>/edit/", update_view.as_view(), name=f"{name}-update"))
    if delete_view:
        patterns.append(path(f"{prefix}/<int:pk>/delete/", delete_view.as_view(), name=f"{name}-delete"))
    return patterns
