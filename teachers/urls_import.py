"""/teachers/import/… — the XLSX imports of every kind (see teachers.views.imports, teachers.importing.kinds)."""
from django.urls import path

from .views import imports as views

urlpatterns = [
    path("", views.import_index, name="import"),
    path("k/staff/", views.import_start, {"kind": "staff"}, name="staff-import"),
    path("k/<slug:kind>/", views.import_start, name="import-kind"),
    path("k/<slug:kind>/template.xlsx", views.import_template, name="import-kind-template"),
    path("template.xlsx", views.import_template, name="staff-import-template"),
    path("log/<int:pk>/", views.import_log, name="staff-import-log"),
    path("<slug:token>/", views.import_preview, name="staff-import-preview"),
    path("<slug:token>/problems.xlsx", views.import_problems_xlsx, name="staff-import-problems"),
    path("<slug:token>/apply/", views.import_apply, name="staff-import-apply"),
    path("<slug:token>/cancel/", views.import_cancel, name="staff-import-cancel"),
]
