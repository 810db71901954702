"""Demo data of the mixed methods: learning (issue 6). Idempotent: run again, it adds nothing."""

from __future__ import annotations


def seed(*, stdout=None) -> dict:
    """Not written yet: the learning part of issue 6 fills this in."""
    return {}
