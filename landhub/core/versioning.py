"""Optimistic concurrency: refuse a write based on a stale ``version`` instead of losing work."""

from __future__ import annotations

from .exceptions import ConflictError


def check_version(instance, expected_version: int | None) -> None:
    """Raise ``ConflictError`` if the caller edited an older version than the stored one.

    ``expected_version=None`` means the caller did not load the record first (e.g. an import
    that replaces values); services decide whether they allow that.
    """
    if expected_version is not None and int(expected_version) != instance.version:
        raise ConflictError(instance, expected_version)


def bump_version(instance) -> None:
    instance.version = (instance.version or 0) + 1
