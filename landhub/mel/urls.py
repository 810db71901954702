"""URLs of the MEL app (defined beside their views)."""

from .views import app_name, urlpatterns

__all__ = ["app_name", "urlpatterns"]
