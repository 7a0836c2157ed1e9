from .pages import bulk, pickers, records, schools, staff

# Each subject module in teachers/pages/ contributes its own urlpatterns.
urlpatterns = [
    *schools.urlpatterns,
    *staff.urlpatterns,
    *records.urlpatterns,
    *bulk.urlpatterns,
    *pickers.urlpatterns,
]
