"""Directory views: organizations (being built)."""

urlpatterns: list = []
