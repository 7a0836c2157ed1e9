from django.urls import path

from .views import briefing, calendar, cycle, reports

urlpatterns = [
    path("calendar/", calendar.calendar_page, name="monitoring-calendar"),
    path("calendar/create/", calendar.create_year, name="monitoring-calendar-create"),
    path("reports/", reports.report_list, name="school-report-list"),
    path("reports/<int:school_id>/<int:period_id>/", reports.report_detail, name="school-report"),
    path("reports/<int:school_id>/<int:period_id>/action/", reports.report_action, name="school-report-action"),
    path("briefing/", briefing.briefing_page, name="briefing"),
    *cycle.urlpatterns,
]
