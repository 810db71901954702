"""Pages of the mixed methods: outcomes (issue 6)."""

from __future__ import annotations

urlpatterns: list = []
