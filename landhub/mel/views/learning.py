"""Pages of the mixed methods: learning (issue 6)."""

from __future__ import annotations

urlpatterns: list = []
