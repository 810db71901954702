"""URLs of the MEL app: each area's views module lists its own."""

from .views import dashboards, frameworks, indicators, reporting

app_name = "mel"

urlpatterns = [
    *frameworks.urlpatterns,
    *indicators.urlpatterns,
    *reporting.urlpatterns,
    *dashboards.urlpatterns,
]
