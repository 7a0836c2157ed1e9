from django.urls import path

from . import views

urlpatterns = [
    path("calendar/", views.calendar_page, name="monitoring-calendar"),
    path("calendar/create/", views.create_year, name="monitoring-calendar-create"),
]
