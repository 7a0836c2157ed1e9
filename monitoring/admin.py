"""The monitoring calendar, school reports and the cycle in the admin.

The admin keeps the rules the pages keep: a stage's, window's or period's state follows its dates
(`calendar.advance`), and a school report changes state only through the workflow's actions
(`school_reports.transition`, with a history row); its content and decision fields are never typed in.
"""
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.template.response import TemplateResponse
from django.utils import timezone

from indicators.admin import ClosedYearAdminMixin
from teachers.admin import ReadOnlyAdminMixin

from . import calendar, cycle, years
from . import school_reports as workflow
from .models import DirectionWindow, MonitoringYear, ReportingPeriod, Stage


class StepInline(admin.TabularInline):
    extra = 0
    readonly_fields = ("state",)  # follows the dates: set by calendar.advance after saving


class StageInline(StepInline):
    model = Stage


class WindowInline(StepInline):
    model = DirectionWindow


class PeriodInline(StepInline):
    model = ReportingPeriod


@admin.register(MonitoringYear)
class MonitoringYearAdmin(admin.ModelAdmin):
    list_display = ("year", "municipality", "note")
    list_filter = ("year", "municipality")
    inlines = [StageInline, WindowInline, PeriodInline]
    actions = ["fill_defaults", "prepare_next_year", "close_year"]

    @admin.action(description="Подготовить следующий год (сначала предпросмотр)")
    def prepare_next_year(self, request, queryset):
        return self._two_step(request, queryset, "prepare_next_year", years.plan_rollover, years.rollover,
                              "Подготовка следующего года", "Создать",
                              lambda made: f"Подготовлен {made.year} год: календарь, целевые значения, веса и "
                                           "черновики целей и методов. Проверьте черновики цикла управления.")

    @admin.action(description="Закрыть год (после анализа раздела 2.2)")
    def close_year(self, request, queryset):
        return self._two_step(request, queryset, "close_year", years.plan_closing, years.close_year,
                              "Закрытие года мониторинга", "Закрыть год",
                              lambda made: f"{made.year} год закрыт: его записи теперь только для чтения.")

    def _two_step(self, request, queryset, action, plan, apply, title, button, done):
        """Preview what the action will do; do it on the second POST («apply»)."""
        from django.core.exceptions import ValidationError
        from django.template.response import TemplateResponse

        if queryset.count() != 1:
            messages.error(request, "Выберите один год.")
            return None
        source = queryset.get()
        if request.POST.get("apply"):
            try:
                made = apply(request.user, source)
            except ValidationError as exc:
                messages.error(request, " ".join(exc.messages))
                return None
            messages.success(request, done(made))
            return None
        return TemplateResponse(request, "admin/monitoring/monitoringyear/preview.html", {
            **self.admin_site.each_context(request), "title": f"{title}: {source}", "plan": plan(source),
            "source": source, "action": action, "button": button,
            "action_checkbox_name": admin.helpers.ACTION_CHECKBOX_NAME, "opts": self.model._meta,
        })

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        calendar.advance(timezone.localdate(), years=[form.instance])

    @admin.action(description="Заполнить этапы, окна и кварталы по умолчанию")
    def fill_defaults(self, request, queryset):
        for my in queryset:
            calendar.create_year_with_defaults(my.municipality, my.year)
        messages.success(request, "Календарь заполнен значениями по умолчанию (существующие записи сохранены).")


@admin.register(Stage, DirectionWindow, ReportingPeriod)
class StepAdmin(admin.ModelAdmin):
    list_display = ("__str__", "monitoring_year", "start", "end", "state")
    list_filter = ("state", "monitoring_year__year")
    readonly_fields = ("state",)

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        calendar.advance(timezone.localdate(), years=[obj.monitoring_year])


from simple_history.admin import SimpleHistoryAdmin  # noqa: E402

from .models import (  # noqa: E402
    Analysis, Decision, EffectivenessReview, Goal, Measure, Method, Recommendation, Reminder,
    RecommendationResponse, SchoolReport, Transition,
)


class TransitionInline(admin.TabularInline):
    model = Transition
    extra = 0
    can_delete = False
    readonly_fields = ("at", "action", "from_status", "to_status", "user", "comment")

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(SchoolReport)
class SchoolReportAdmin(ClosedYearAdminMixin, admin.ModelAdmin):
    """Reports are created by the pages (`report_for`, with its history row) and move on only through the
    workflow's actions below; the narrative is editable while the school may still edit it."""

    list_display = ("school", "period", "status", "submitted_at", "decided_at")
    list_filter = ("status", "period__monitoring_year__year", "period__quarter", "school__cluster")
    search_fields = ("school__short_name", "school__full_name")
    readonly_fields = ("school", "period", "status", "content", "content_built_at", "submitted_at", "submitted_by",
                       "decided_at", "decided_by", "return_comment")
    inlines = [TransitionInline]
    actions = ["accept", "return_for_rework"]

    def get_readonly_fields(self, request, obj=None):
        fields = super().get_readonly_fields(request, obj)
        if obj is not None and not obj.is_editable:
            fields = (*fields, "problems", "measures", "requests")
        return fields

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False  # a report and its history are the monitoring's record

    def _apply(self, request, queryset, name, comment=""):
        done, refused = 0, []
        for report in queryset.select_related("school"):
            try:
                workflow.transition(request.user, report, name, comment)
                done += 1
            except (PermissionDenied, ValidationError) as exc:
                text = exc.messages[0] if isinstance(exc, ValidationError) else str(exc)
                refused.append(f"{report.school.short_name}: {text}")
        if done:
            messages.success(request, f"Выполнено «{workflow.ACTIONS[name].label}»: {done}.")
        for line in refused:
            messages.error(request, line)

    @admin.action(description="Принять отправленные отчёты")
    def accept(self, request, queryset):
        self._apply(request, queryset, "accept")

    @admin.action(description="Вернуть отправленные отчёты на доработку (с комментарием)")
    def return_for_rework(self, request, queryset):
        comment = (request.POST.get("comment") or "").strip()
        if "apply" in request.POST and comment:
            self._apply(request, queryset, "return", comment)
            return None
        if "apply" in request.POST:
            messages.error(request, "Укажите, что нужно доработать: комментарий обязателен при возврате.")
        return TemplateResponse(request, "admin/monitoring/schoolreport/return.html", {
            **self.admin_site.each_context(request), "title": "Вернуть отчёты на доработку", "reports": queryset,
            "opts": self.model._meta, "action_checkbox_name": admin.helpers.ACTION_CHECKBOX_NAME,
        })


@admin.register(Reminder)
class ReminderAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    """The log of reminder e-mails sent: read-only (a deleted row would let the same reminder go out again)."""

    list_display = ("school", "period", "kind", "sent_at", "recipients")
    list_filter = ("kind", "period__monitoring_year__year")
    search_fields = ("school__short_name",)


class CycleAdmin(ClosedYearAdminMixin, SimpleHistoryAdmin):
    list_filter = ("year", "is_draft", "direction", "municipality")


@admin.action(description="Пересчитать целевые и фактические значения")
def recalculate_reviews(modeladmin, request, queryset):
    """The admin's way to the action the pages use (`cycle.review_effectiveness`); saving a review here does not
    run the engine."""
    done = skipped = 0
    for review in queryset:
        if review.read_only_reason():
            skipped += 1
            continue
        cycle.review_effectiveness(review)
        done += 1
    modeladmin.message_user(request, f"Пересчитано: {done}." + (f" Закрытый год, не изменены: {skipped}." if skipped else ""))


for model, fields, search in [
    (Goal, ("text", "direction", "year", "regional_agreement"), ("text", "justification")),
    (Method, ("collection", "direction", "year"), ("collection", "processing")),
    (Analysis, ("__str__", "period", "written_on"), ("text", "factors")),
    (Recommendation, ("text", "direction", "year", "due", "status"), ("text",)),
    (Measure, ("title", "direction", "year", "start", "end", "status"), ("title", "responsible")),
    (Decision, ("text", "direction", "year", "decided_on"), ("text",)),
    (EffectivenessReview, ("__str__", "reviewed_on"), ("conclusions", "problems")),
]:
    admin.site.register(model, type(f"{model.__name__}Admin", (CycleAdmin,), {
        "list_display": fields, "search_fields": search,
        **({"actions": [recalculate_reviews]} if model is EffectivenessReview else {})}))


@admin.register(RecommendationResponse)
class RecommendationResponseAdmin(ReadOnlyAdminMixin, SimpleHistoryAdmin):
    """Schools' answers to recommendations: read-only here — only the addressed school's head answers, on the
    recommendation's page (`recommendations.respond`)."""

    list_display = ("recommendation", "school", "status", "on", "answered_by", "answered_at")
    list_filter = ("status", "recommendation__year")
    search_fields = ("school__short_name", "recommendation__text")
