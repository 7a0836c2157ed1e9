from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from simple_history.admin import SimpleHistoryAdmin

from mskoko.accounts import force_password_reset

from . import models as m


@admin.register(m.Cluster, m.Position, m.Subject, m.QualificationCategory, m.DeficitArea)
class ReferenceAdmin(admin.ModelAdmin):
    list_display = ("name", "code", "order")
    search_fields = ("name", "code")


@admin.register(m.EducationLevel)
class EducationLevelAdmin(ReferenceAdmin):
    list_display = ("name", "code", "is_higher", "is_pedagogical", "order")
    list_filter = ("is_higher", "is_pedagogical")


@admin.register(m.EventKind)
class EventKindAdmin(ReferenceAdmin):
    list_display = ("name", "code", "group", "order")
    list_filter = ("group",)


@admin.register(m.EventLevel)
class EventLevelAdmin(ReferenceAdmin):
    list_display = ("name", "code", "rank")


@admin.register(m.AssociationKind)
class AssociationKindAdmin(ReferenceAdmin):
    list_display = ("name", "code", "is_network", "is_school_level")
    list_filter = ("is_network", "is_school_level")


@admin.register(m.Municipality)
class MunicipalityAdmin(admin.ModelAdmin):
    list_display = ("name", "region", "office_name")
    search_fields = ("name", "short_name", "region")


@admin.register(m.School)
class SchoolAdmin(SimpleHistoryAdmin):
    list_display = ("short_name", "municipality", "cluster", "head_name", "is_active")
    list_filter = ("cluster", "municipality", "is_active")
    search_fields = ("short_name", "full_name", "head_name")
    list_select_related = ("municipality", "cluster")


@admin.register(m.MentorshipModelAdoption)
class MentorshipModelAdoptionAdmin(SimpleHistoryAdmin):
    list_display = ("school", "year", "implements")
    list_filter = ("year", "implements", "school__cluster")
    search_fields = ("school__short_name",)
    autocomplete_fields = ("school",)


class AppointmentInline(admin.TabularInline):
    model = m.Appointment
    extra = 0
    autocomplete_fields = ("school",)


@admin.register(m.Teacher)
class TeacherAdmin(SimpleHistoryAdmin):
    list_display = ("full_name", "birth_date", "snils", "category", "education_level", "ped_experience_start")
    list_filter = ("category", "education_level", "appointments__school__cluster", "appointments__employment")
    search_fields = ("last_name", "first_name", "middle_name", "snils")
    inlines = [AppointmentInline]
    filter_horizontal = ("subjects",)
    list_select_related = ("category", "education_level")


@admin.register(m.Appointment)
class AppointmentAdmin(SimpleHistoryAdmin):
    list_display = ("teacher", "school", "position", "employment", "weekly_hours", "hired", "dismissed")
    list_filter = ("employment", "position", "school__cluster", "school__municipality")
    search_fields = ("teacher__last_name", "teacher__first_name", "school__short_name")
    autocomplete_fields = ("teacher", "school")
    list_select_related = ("teacher", "school", "position")


@admin.register(m.DiagnosticCampaign)
class DiagnosticCampaignAdmin(SimpleHistoryAdmin):
    list_display = ("title", "organizer", "municipality", "start_date", "end_date")
    list_filter = ("organizer", "municipality", "subject")
    search_fields = ("title",)
    date_hierarchy = "start_date"


@admin.register(m.DiagnosticResult)
class DiagnosticResultAdmin(SimpleHistoryAdmin):
    list_display = ("teacher", "campaign", "score", "has_deficits")
    list_filter = ("has_deficits", "campaign__organizer", "deficit_areas")
    search_fields = ("teacher__last_name", "campaign__title")
    autocomplete_fields = ("teacher",)
    list_select_related = ("teacher", "campaign")
    # Derived from the deficit areas (DiagnosticResult.save and its m2m_changed receiver), never typed in.
    readonly_fields = ("has_deficits",)


class RouteActivityInline(admin.TabularInline):
    model = m.RouteActivity
    extra = 0
    raw_id_fields = ("participation",)


@admin.register(m.IndividualRoute)
class IndividualRouteAdmin(SimpleHistoryAdmin):
    list_display = ("teacher", "year", "status", "approved_on")
    list_filter = ("year", "status")
    search_fields = ("teacher__last_name",)
    autocomplete_fields = ("teacher",)
    raw_id_fields = ("diagnostic_result",)
    inlines = [RouteActivityInline]


@admin.register(m.RouteActivity)
class RouteActivityAdmin(SimpleHistoryAdmin):
    list_display = ("title", "route", "planned_date", "done_on")
    list_filter = ("deficit_area",)
    search_fields = ("title", "route__teacher__last_name")
    raw_id_fields = ("route", "participation")


@admin.register(m.Event)
class EventAdmin(SimpleHistoryAdmin):
    list_display = ("title", "kind", "level", "start_date", "end_date", "is_network")
    list_filter = ("kind", "level", "is_network", "municipality")
    search_fields = ("title", "organizer")
    date_hierarchy = "start_date"


@admin.register(m.Participation)
class ParticipationAdmin(SimpleHistoryAdmin):
    list_display = ("teacher", "event", "role", "result")
    list_filter = ("role", "event__kind", "event__level")
    search_fields = ("teacher__last_name", "event__title")
    autocomplete_fields = ("teacher",)
    raw_id_fields = ("event",)


@admin.register(m.Mentorship)
class MentorshipAdmin(SimpleHistoryAdmin):
    list_display = ("mentor", "mentee", "level", "start", "end")
    list_filter = ("level",)
    search_fields = ("mentor__last_name", "mentee__last_name")
    autocomplete_fields = ("mentor", "mentee")


@admin.register(m.Association)
class AssociationAdmin(SimpleHistoryAdmin):
    list_display = ("name", "kind", "municipality", "school", "subject", "is_active")
    list_filter = ("kind", "municipality", "is_active")
    search_fields = ("name",)


@admin.register(m.Membership)
class MembershipAdmin(SimpleHistoryAdmin):
    list_display = ("teacher", "association", "role", "start", "end")
    list_filter = ("role", "association__kind")
    search_fields = ("teacher__last_name", "association__name")
    autocomplete_fields = ("teacher",)


@admin.register(m.Vacancy)
class VacancyAdmin(SimpleHistoryAdmin):
    list_display = ("school", "position", "subject", "weekly_hours", "opened", "closed")
    list_filter = ("position", "school__cluster", "school__municipality")
    search_fields = ("school__short_name", "position__name")


@admin.register(m.ReserveEntry)
class ReserveEntryAdmin(SimpleHistoryAdmin):
    list_display = ("teacher", "school", "target_position", "included_on", "excluded_on")
    search_fields = ("teacher__last_name", "target_position")
    autocomplete_fields = ("teacher", "school")


@admin.register(m.DevelopmentRequest)
class DevelopmentRequestAdmin(SimpleHistoryAdmin):
    list_display = ("teacher", "year", "topic", "format", "status")
    list_filter = ("year", "status", "format", "deficit_area")
    search_fields = ("teacher__last_name", "topic")
    autocomplete_fields = ("teacher",)


@admin.register(m.RequestSurvey)
class RequestSurveyAdmin(admin.ModelAdmin):
    """The survey itself; its personal links are handed out from the survey page, not here."""

    list_display = ("title", "school", "municipality", "year", "opens_on", "closes_on")
    list_filter = ("year", "municipality")
    readonly_fields = ("created_by",)


@admin.register(m.User)
class UserAdmin(BaseUserAdmin):
    list_display = ("username", "last_name", "first_name", "role", "municipality", "school", "is_active")
    list_filter = ("role", "municipality", "is_active")
    fieldsets = BaseUserAdmin.fieldsets + (
        ("Роль и область доступа", {"fields": ("role", "municipality", "school", "patronymic", "position_title")}),
    )
    add_fieldsets = BaseUserAdmin.add_fieldsets + (
        ("Роль и область доступа", {"fields": ("role", "municipality", "school")}),
    )
    autocomplete_fields = ("school",)
    actions = [force_password_reset]


class ReadOnlyAdminMixin:
    """For records only the app writes (logs, workflow answers, closures): nobody adds, changes or deletes one in
    the admin, superusers included; the rows stay visible."""

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class AuditLogAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    """Audit logs are written by the app only: nobody adds, changes or deletes a row, superusers included."""

    date_hierarchy = "created"


@admin.register(m.ExportLog)
class ExportLogAdmin(AuditLogAdmin):
    list_display = ("created", "user", "address", "what", "rows", "query")
    list_filter = ("what",)
    search_fields = ("user__username", "what", "address")
    list_select_related = ("user",)


@admin.register(m.AccessLog)
class AccessLogAdmin(AuditLogAdmin):
    list_display = ("created", "user", "address", "teacher", "path")
    search_fields = ("user__username", "teacher__last_name", "address", "path")
    list_select_related = ("user", "teacher")


@admin.register(m.ImportLog)
class ImportLogAdmin(AuditLogAdmin):
    list_display = ("created", "user", "school_name", "file_name", "rows", "teachers_created", "teachers_updated")
    search_fields = ("user__username", "school_name", "file_name")
    list_select_related = ("user",)
