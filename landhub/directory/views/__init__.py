"""Directory pages. Each module defines the ``urlpatterns`` of its area (joined in urls.py)."""
