"""Directory API: organizations (being built)."""

from ninja import Router

router = Router(tags=["organizations"])
