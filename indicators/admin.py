from django.contrib import admin

from .models import Direction, Indicator, Target


@admin.register(Direction)
class DirectionAdmin(admin.ModelAdmin):
    list_display = ("name", "code", "order")


@admin.register(Indicator)
class IndicatorAdmin(admin.ModelAdmin):
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
class TargetAdmin(admin.ModelAdmin):
    list_display = ("indicator_code", "year", "municipality", "cluster", "value")
    list_filter = ("year", "municipality", "cluster")
    search_fields = ("indicator_code",)


from simple_history.admin import SimpleHistoryAdmin  # noqa: E402

from .models import RatingCriterion  # noqa: E402


@admin.register(RatingCriterion)
class RatingCriterionAdmin(SimpleHistoryAdmin):
    list_display = ("indicator_code", "weight", "order")
    list_editable = ("weight", "order")
    ordering = ("order",)
