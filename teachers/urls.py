from .pages import schools, staff

# Each subject module in teachers/pages/ contributes its own urlpatterns.
urlpatterns = [
    *schools.urlpatterns,
    *staff.urlpatterns,
]
