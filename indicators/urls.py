from django.urls import path

from . import views

urlpatterns = [
    path("api/values.json", views.values_json, name="indicator-values-json"),
]
