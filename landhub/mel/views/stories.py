"""Pages of the mixed methods: stories (issue 6)."""

from __future__ import annotations

urlpatterns: list = []
