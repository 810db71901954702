"""Writes of the mixed methods: stories (issue 6)."""

from __future__ import annotations

__all__: list[str] = []
