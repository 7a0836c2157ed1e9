from django.urls import path

from . import views

urlpatterns = [
    path("", views.documents, name="documents"),
    path("jobs/<int:pk>/", views.job_page, name="document-job"),
    path("jobs/<int:pk>/status/", views.job_status, name="document-job-status"),
    path("jobs/<int:pk>/download/", views.download, name="document-download"),
    path("jobs/<int:pk>/retry/", views.retry, name="document-retry"),
]
