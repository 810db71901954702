"""Directory views: landscapes (being built)."""

urlpatterns: list = []
