"""Directory views: memberships (being built)."""

urlpatterns: list = []
