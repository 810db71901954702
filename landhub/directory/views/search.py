"""Directory views: search (being built)."""

urlpatterns: list = []
