"""API of the mixed methods: value (issue 6)."""

from __future__ import annotations

from ninja import Router

router = Router(tags=["mel"])
