"""Directory URLs. Each views module owns its ``urlpatterns``; this file only joins them."""

from .views import home, imports, landscapes, memberships, organizations, people, search, terms

app_name = "directory"

urlpatterns = [
    *home.urlpatterns,
    *landscapes.urlpatterns,
    *organizations.urlpatterns,
    *people.urlpatterns,
    *memberships.urlpatterns,
    *terms.urlpatterns,
    *search.urlpatterns,
    *imports.urlpatterns,
]
