"""Directory views: home (being built)."""

urlpatterns: list = []
