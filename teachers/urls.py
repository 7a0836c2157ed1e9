from .pages import schools

# Each subject module in teachers/pages/ contributes its own urlpatterns.
urlpatterns = [
    *schools.urlpatterns,
]
