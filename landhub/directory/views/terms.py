"""Directory views: terms (being built)."""

urlpatterns: list = []
