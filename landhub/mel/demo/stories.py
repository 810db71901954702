"""Demo data of the mixed methods: stories (issue 6). Idempotent: run again, it adds nothing."""

from __future__ import annotations


def seed(*, stdout=None) -> dict:
    """Not written yet: the stories part of issue 6 fills this in."""
    return {}
