from django.contrib import admin

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


@admin.register(Indicator)
class IndicatorAdmin(admin.ModelAdmin):
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
