"""Directory API: people (being built)."""

from ninja import Router

router = Router(tags=["people"])
