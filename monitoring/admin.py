from django.contrib import admin, messages

from . import calendar
from .models import DirectionWindow, MonitoringYear, ReportingPeriod, Stage


class StageInline(admin.TabularInline):
    model = Stage
    extra = 0


class WindowInline(admin.TabularInline):
    model = DirectionWindow
    extra = 0


class PeriodInline(admin.TabularInline):
    model = ReportingPeriod
    extra = 0


@admin.register(MonitoringYear)
class MonitoringYearAdmin(admin.ModelAdmin):
    list_display = ("year", "municipality", "note")
    list_filter = ("year", "municipality")
    inlines = [StageInline, WindowInline, PeriodInline]
    actions = ["fill_defaults"]

    @admin.action(description="Заполнить этапы, окна и кварталы по умолчанию")
    def fill_defaults(self, request, queryset):
        for my in queryset:
            calendar.create_year_with_defaults(my.municipality, my.year)
        messages.success(request, "Календарь заполнен значениями по умолчанию (существующие записи сохранены).")


@admin.register(Stage, DirectionWindow, ReportingPeriod)
class StepAdmin(admin.ModelAdmin):
    list_display = ("__str__", "monitoring_year", "start", "end", "state")
    list_filter = ("state", "monitoring_year__year")


from simple_history.admin import SimpleHistoryAdmin  # noqa: E402

from .models import (  # noqa: E402
    Analysis, Decision, EffectivenessReview, Goal, Measure, Method, Recommendation, Reminder, SchoolReport, Transition,
)


class TransitionInline(admin.TabularInline):
    model = Transition
    extra = 0
    can_delete = False
    readonly_fields = ("at", "action", "from_status", "to_status", "user", "comment")


@admin.register(SchoolReport)
class SchoolReportAdmin(admin.ModelAdmin):
    list_display = ("school", "period", "status", "submitted_at", "decided_at")
    list_filter = ("status", "period__monitoring_year__year", "period__quarter", "school__cluster")
    search_fields = ("school__short_name", "school__full_name")
    readonly_fields = ("content", "content_built_at", "submitted_at", "submitted_by", "decided_at", "decided_by")
    inlines = [TransitionInline]


@admin.register(Reminder)
class ReminderAdmin(admin.ModelAdmin):
    list_display = ("school", "period", "kind", "sent_at", "recipients")
    list_filter = ("kind", "period__monitoring_year__year")
    search_fields = ("school__short_name",)


class CycleAdmin(SimpleHistoryAdmin):
    list_filter = ("year", "direction", "municipality")


for model, fields, search in [
    (Goal, ("text", "direction", "year", "regional_agreement"), ("text", "justification")),
    (Method, ("collection", "direction", "year"), ("collection", "processing")),
    (Analysis, ("__str__", "period", "written_on"), ("text", "factors")),
    (Recommendation, ("text", "direction", "year", "due", "status"), ("text",)),
    (Measure, ("title", "direction", "year", "start", "end", "status"), ("title", "responsible")),
    (Decision, ("text", "direction", "year", "decided_on"), ("text",)),
    (EffectivenessReview, ("__str__", "reviewed_on"), ("conclusions", "problems")),
]:
    admin.site.register(model, type(f"{model.__name__}Admin", (CycleAdmin,),
                                    {"list_display": fields, "search_fields": search}))
