"""URLs of the governance app: each area's views module lists its own (``views/<area>.py``)."""

from .views import actions, bodies, decisions, issues, meetings, plans

app_name = "governance"

urlpatterns = [
    *bodies.urlpatterns,
    *issues.urlpatterns,
    *meetings.urlpatterns,
    *decisions.urlpatterns,
    *actions.urlpatterns,
    *plans.urlpatterns,
]
