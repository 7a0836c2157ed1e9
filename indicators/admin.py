from django import forms
from django.contrib import admin, messages
from django.db import transaction
from django.shortcuts import redirect
from django.urls import reverse
from django.utils import timezone

from teachers.admin import ReadOnlyAdminMixin

from .models import Direction, Indicator, Target, YearClosure


class ClosedYearAdminMixin:
    """Records of a closed monitoring year open read-only and cannot be deleted (models' `read_only_reason`)."""

    def _frozen(self, obj):
        return obj is not None and bool(obj.read_only_reason())

    def has_change_permission(self, request, obj=None):
        return not self._frozen(obj) and super().has_change_permission(request, obj)

    def has_delete_permission(self, request, obj=None):
        return not self._frozen(obj) and super().has_delete_permission(request, obj)


@admin.register(Direction)
class DirectionAdmin(admin.ModelAdmin):
    list_display = ("name", "code", "order")


VERSION_FIELDS = ("code", "name", "short_name", "direction", "order", "kind", "subject", "numerator", "denominator",
                  "numerator_label", "denominator_label", "staff", "unit", "higher_is_better", "source", "for_rating")


def next_version_year(indicator, today=None):
    """The first year of the version after `indicator`: the year after it ends, or — for a version still in force —
    next year (the year after its first year, when that is later)."""
    if indicator.valid_to is not None:
        return indicator.valid_to + 1
    year = (today or timezone.localdate()).year
    return max(indicator.valid_from, year) + 1


class NextVersionForm(forms.ModelForm):
    """The add form opened from a version (`?from=<pk>`): may close that version the year before this one starts."""

    close_previous = forms.BooleanField(label="Закрыть предыдущую редакцию годом раньше", required=False, initial=True)
    previous = None  # set by IndicatorAdmin.get_form

    def _post_clean(self):
        # The model's overlap check reads the stored versions; the previous one is closed only when this one is
        # saved (save_model), so the check runs as if it already were — in a savepoint, rolled back at once.
        previous, start = self.previous, self.cleaned_data.get("valid_from")
        closing = (previous is not None and self.cleaned_data.get("close_previous") and start is not None
                   and start > previous.valid_from and (previous.valid_to is None or previous.valid_to >= start))
        if not closing:
            return super()._post_clean()
        with transaction.atomic():
            point = transaction.savepoint()
            Indicator.objects.filter(pk=previous.pk).update(valid_to=start - 1)
            try:
                super()._post_clean()
            finally:
                transaction.savepoint_rollback(point)


@admin.register(Indicator)
class IndicatorAdmin(admin.ModelAdmin):
    actions = ["next_year_version"]
    change_form_template = "admin/indicators/indicator/change_form.html"
    def get_readonly_fields(self, request, obj=None):
        # Used by a closed year: only the last year may be set (to end it; the next version is a new record).
        if obj is not None and obj.closed_years():
            return [f.name for f in Indicator._meta.concrete_fields if f.name not in ("id", "valid_to")]
        return super().get_readonly_fields(request, obj)

    def has_delete_permission(self, request, obj=None):
        return not (obj is not None and obj.closed_years()) and super().has_delete_permission(request, obj)

    list_display = ("code", "short_name", "direction", "kind", "numerator", "denominator", "staff", "valid_from",
                    "valid_to", "for_rating")
    list_filter = ("direction", "kind", "staff", "for_rating", "valid_from")
    search_fields = ("code", "name", "short_name")
    fieldsets = (
        (None, {"fields": ("code", "name", "short_name", "direction", "order")}),
        ("Расчёт", {"fields": ("kind", "subject", "numerator", "denominator", "numerator_label", "denominator_label",
                               "staff", "unit", "higher_is_better"),
                    "description": "Числитель и знаменатель — популяции через «+» (пересечение): staff, diagnosed, "
                                   "with_deficits, route_from_diagnostics, route_activity_done, contest, course, "
                                   "young, school_mentor, municipal_mentor, network_member и др."}),
        ("Версия и источник", {"fields": ("valid_from", "valid_to", "source", "for_rating")}),
    )

    def _source(self, request):
        pk = request.GET.get("from", "")
        return Indicator.objects.filter(pk=pk).first() if pk.isdigit() else None

    @admin.action(description="Создать версию на следующий год")
    def next_year_version(self, request, queryset):
        if queryset.count() != 1:
            self.message_user(request, "Выберите один показатель: новая редакция создаётся по одной.",
                              level=messages.WARNING)
            return None
        return redirect(f"{reverse('admin:indicators_indicator_add')}?from={queryset.get().pk}")

    def get_changeform_initial_data(self, request):
        source = self._source(request)
        if source is None:
            return super().get_changeform_initial_data(request)
        initial = {name: getattr(source, name) for name in VERSION_FIELDS}
        initial["direction"] = source.direction_id
        initial.update(valid_from=next_version_year(source), valid_to=None)
        return initial

    def get_fieldsets(self, request, obj=None):
        fieldsets = super().get_fieldsets(request, obj)
        source = self._source(request) if obj is None else None
        if source is None:
            return fieldsets
        note = (f"Новая редакция показателя «{source}» (действует с {source.valid_from}"
                f"{f' по {source.valid_to}' if source.valid_to else ''}): поля заполнены по ней.")
        return (("Новая редакция", {"fields": ("close_previous",), "description": note}),) + tuple(fieldsets)

    def get_form(self, request, obj=None, change=False, **kwargs):
        source = self._source(request) if obj is None else None
        if source is not None:
            kwargs["form"] = type("IndicatorNextVersionForm", (NextVersionForm,), {"previous": source})
        return super().get_form(request, obj, change=change, **kwargs)

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        previous = getattr(form, "previous", None)
        if (previous is not None and form.cleaned_data.get("close_previous") and obj.valid_from > previous.valid_from
                and (previous.valid_to is None or previous.valid_to >= obj.valid_from)):
            previous.refresh_from_db()
            previous.valid_to = obj.valid_from - 1
            previous.save(update_fields=["valid_to"])
            self.message_user(request, f"Предыдущая редакция закрыта {previous.valid_to} годом.")


@admin.register(Target)
class TargetAdmin(ClosedYearAdminMixin, admin.ModelAdmin):
    list_display = ("indicator_code", "year", "municipality", "cluster", "value")
    list_filter = ("year", "municipality", "cluster")
    search_fields = ("indicator_code",)
    change_list_template = "admin/indicators/target/change_list.html"

    def get_urls(self):
        from django.urls import path

        return [path("year/", self.admin_site.admin_view(self.year_grid), name="indicators_target_year"),
                *super().get_urls()]

    def year_grid(self, request):
        """All of a year's targets of a municipality on one page: indicators × (district, each cluster); saved
        all or nothing; an empty cell removes its target; a closed year is shown read-only."""
        from decimal import Decimal, InvalidOperation

        from django.core.exceptions import PermissionDenied
        from django.template.response import TemplateResponse

        from teachers.models import Cluster, Municipality

        from .models import year_closed

        if not self.has_view_permission(request):
            raise PermissionDenied
        municipalities = list(Municipality.objects.order_by("name"))
        try:
            municipality = next((mu for mu in municipalities if mu.pk == int(request.GET.get("municipality", 0))),
                                municipalities[0] if municipalities else None)
            year = int(request.GET.get("year") or timezone.localdate().year)
        except ValueError:
            municipality, year = (municipalities[0] if municipalities else None), timezone.localdate().year
        clusters = list(Cluster.objects.order_by("pk"))
        columns = [(None, "Район")] + [(c.pk, c.name) for c in clusters]
        indicators = [i for i in Indicator.objects.valid_in(year).order_by("order", "code")
                      if i.kind != Indicator.Kind.DISTRIBUTION]
        stored = {(t.indicator_code, t.cluster_id): t for t in Target.objects.filter(
            municipality=municipality, year=year)} if municipality else {}
        closed = municipality is not None and year_closed(year, municipality.pk)
        errors, values = {}, {}
        for ind in indicators:
            for cluster_id, _ in columns:
                target = stored.get((ind.code, cluster_id))
                values[(ind.code, cluster_id)] = "" if target is None else format(target.value.normalize(), "f")
        if request.method == "POST" and municipality is not None and not closed:
            if not self.has_change_permission(request):
                raise PermissionDenied
            parsed = {}
            for key in values:
                text = request.POST.get(f"t-{key[0]}-{key[1] or 0}", "").strip().replace(",", ".")
                values[key] = text
                if not text:
                    parsed[key] = None
                    continue
                try:
                    number = Decimal(text)
                except InvalidOperation:
                    errors[key] = "не число"
                    continue
                if not Decimal("0") <= number <= Decimal("100000"):
                    errors[key] = "вне допустимых значений"
                parsed[key] = number
            if not errors:
                with transaction.atomic():
                    for (code, cluster_id), number in parsed.items():
                        target = stored.get((code, cluster_id))
                        if number is None:
                            if target is not None:
                                target.delete()
                        elif target is None:
                            Target.objects.create(indicator_code=code, year=year, municipality=municipality,
                                                  cluster_id=cluster_id, value=number)
                        elif target.value != number:
                            target.value = number
                            target.save()
                messages.success(request, f"Целевые значения на {year} год сохранены.")
                return redirect(f"{request.path}?municipality={municipality.pk}&year={year}")
            messages.error(request, "Ничего не сохранено: исправьте отмеченные значения.")
        rows = [(ind, [(cluster_id, f"t-{ind.code}-{cluster_id or 0}", values[(ind.code, cluster_id)],
                        errors.get((ind.code, cluster_id))) for cluster_id, _ in columns]) for ind in indicators]
        return TemplateResponse(request, "admin/indicators/target/year.html", {
            **self.admin_site.each_context(request), "title": f"Целевые значения на {year} год",
            "municipalities": municipalities, "municipality": municipality, "year": year, "columns": columns,
            "rows": rows, "closed": closed, "opts": self.model._meta,
        })


from simple_history.admin import SimpleHistoryAdmin  # noqa: E402

from .models import RatingCriterion  # noqa: E402


@admin.register(RatingCriterion)
class RatingCriterionAdmin(ClosedYearAdminMixin, SimpleHistoryAdmin):
    list_display = ("indicator_code", "year", "weight", "order")
    list_filter = ("year",)
    ordering = ("-year", "order")


@admin.register(YearClosure)
class YearClosureAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    """Closed by the monitoring year's «Закрыть год» action; never added, changed or removed by hand."""

    list_display = ("year", "municipality", "closed_at", "closed_by")
    list_filter = ("year", "municipality")
