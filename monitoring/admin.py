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
