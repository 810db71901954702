"""Writes of the mixed methods: outcomes (issue 6)."""

from __future__ import annotations

__all__: list[str] = []
