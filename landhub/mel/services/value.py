"""Writes of the mixed methods: value (issue 6)."""

from __future__ import annotations

__all__: list[str] = []
