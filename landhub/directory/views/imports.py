"""Directory views: imports (being built)."""

urlpatterns: list = []
