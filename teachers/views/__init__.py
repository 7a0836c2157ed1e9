"""Data-entry pages, one module per subject: each defines its table, filterset, form, views and `urlpatterns`."""
