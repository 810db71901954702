"""Errors that services raise and views/API turn into the right answer.

``ConflictError`` → the page shows what changed (HTTP 409 in the API);
``django.core.exceptions.PermissionDenied`` → 403; ``ValidationError`` → field messages.
"""

from __future__ import annotations


class ConflictError(Exception):
    """The record changed since the user loaded it: their version is stale."""

    def __init__(self, current, expected_version: int | None = None):
        self.current = current
        self.expected_version = expected_version
        super().__init__(
            f"This record was changed by someone else (now version {current.version}, "
            f"you edited version {expected_version}). Review the current values and try again."
        )
