"""Directory API: memberships (being built)."""

from ninja import Router

router = Router(tags=["memberships"])
