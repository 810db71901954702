"""Directory API: terms (being built)."""

from ninja import Router

router = Router(tags=["terms"])
