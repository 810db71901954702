"""Demo data of the mixed methods: value (issue 6). Idempotent: run again, it adds nothing."""

from __future__ import annotations


def seed(*, stdout=None) -> dict:
    """Not written yet: the value part of issue 6 fills this in."""
    return {}
