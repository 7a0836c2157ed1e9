"""The indicator pages, one module per page family: dashboards (district, cluster, school, drill-down, rating) and
the JSON API."""
