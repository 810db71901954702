"""Pages of the mixed methods: reach (issue 6)."""

from __future__ import annotations

urlpatterns: list = []
