"""Reads of the mixed methods: outcomes (issue 6)."""

from __future__ import annotations

__all__: list[str] = []


def register_search_sections() -> None:
    """Called from ``MelConfig.ready``: the global search sections of this area."""
