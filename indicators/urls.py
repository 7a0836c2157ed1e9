from django.urls import path

from .views import api, dashboards

urlpatterns = [
    path("", dashboards.district, name="dashboard-district"),
    path("cluster/<int:municipality_id>-<int:cluster_id>/", dashboards.cluster, name="dashboard-cluster"),
    path("school/<int:pk>/", dashboards.school, name="dashboard-school"),
    path("explain/", dashboards.drilldown, name="dashboard-explain"),
    path("api/values.json", api.values_json, name="indicator-values-json"),
    path("rating/", dashboards.rating_page, name="rating"),
]
