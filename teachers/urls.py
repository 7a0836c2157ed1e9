from .views import bulk, pickers, records, schools, staff, survey_answer, surveys

# Each subject module in teachers/views/ contributes its own urlpatterns.
urlpatterns = [
    *schools.urlpatterns,
    *staff.urlpatterns,
    *records.urlpatterns,
    *bulk.urlpatterns,
    *pickers.urlpatterns,
    *surveys.urlpatterns,
    *survey_answer.urlpatterns,
]
