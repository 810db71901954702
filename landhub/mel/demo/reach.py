"""Demo data of the mixed methods: reach (issue 6). Idempotent: run again, it adds nothing."""

from __future__ import annotations


def seed(*, stdout=None) -> dict:
    """Not written yet: the reach part of issue 6 fills this in."""
    return {}
