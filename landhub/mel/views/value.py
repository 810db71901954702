"""Pages of the mixed methods: value (issue 6)."""

from __future__ import annotations

urlpatterns: list = []
