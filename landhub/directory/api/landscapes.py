"""Directory API: landscapes (being built)."""

from ninja import Router

router = Router(tags=["landscapes"])
