"""Directory views: people (being built)."""

urlpatterns: list = []
