"""URLs of the MEL app: each area's views module lists its own."""

from .views import (
    assignments,
    completeness,
    dashboards,
    evidence,
    frameworks,
    indicators,
    learning,
    outcomes,
    periods,
    reach,
    reporting,
    stories,
    value,
)

app_name = "mel"

urlpatterns = [
    *assignments.urlpatterns,
    *frameworks.urlpatterns,
    *indicators.urlpatterns,
    *reporting.urlpatterns,
    *periods.urlpatterns,
    *completeness.urlpatterns,
    *evidence.urlpatterns,
    *dashboards.urlpatterns,
    *outcomes.urlpatterns,
    *value.urlpatterns,
    *stories.urlpatterns,
    *reach.urlpatterns,
    *learning.urlpatterns,
]
