from django.urls import path

from . import briefing_views, cycle_views, report_views, views

urlpatterns = [
    path("calendar/", views.calendar_page, name="monitoring-calendar"),
    path("calendar/create/", views.create_year, name="monitoring-calendar-create"),
    path("reports/", report_views.report_list, name="school-report-list"),
    path("reports/<int:school_id>/<int:period_id>/", report_views.report_detail, name="school-report"),
    path("reports/<int:school_id>/<int:period_id>/action/", report_views.report_action, name="school-report-action"),
    path("briefing/", briefing_views.briefing_page, name="briefing"),
    *cycle_views.urlpatterns,
]
