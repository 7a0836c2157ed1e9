from django import forms
from django.contrib import admin, messages
from django.db import transaction
from django.shortcuts import redirect
from django.urls import reverse
from django.utils import timezone

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


from simple_history.admin import SimpleHistoryAdmin  # noqa: E402

from .models import RatingCriterion  # noqa: E402


@admin.register(RatingCriterion)
class RatingCriterionAdmin(ClosedYearAdminMixin, SimpleHistoryAdmin):
    list_display = ("indicator_code", "year", "weight", "order")
    list_filter = ("year",)
    ordering = ("-year", "order")


@admin.register(YearClosure)
class YearClosureAdmin(admin.ModelAdmin):
    """Closed by the monitoring year's «Закрыть год» action; never added, changed or removed by hand."""

    list_display = ("year", "municipality", "closed_at", "closed_by")
    list_filter = ("year", "municipality")

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
