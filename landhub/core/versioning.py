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


def save_versioned(instance, *, expected_version: int | None, update_fields=None) -> None:
    """Save an edit only if nobody changed the record since the caller loaded it.

    Call inside ``transaction.atomic``. The stored row is locked (``select_for_update``; on
    SQLite the IMMEDIATE transaction serialises writers) and its version compared with the one
    the user edited, so two people saving at once cannot silently overwrite each other: the
    second gets ``ConflictError`` carrying the current record.
    """
    model = type(instance)
    stored = model._default_manager.select_for_update().get(pk=instance.pk)
    if expected_version is not None and int(expected_version) != stored.version:
        raise ConflictError(stored, expected_version)
    instance.version = stored.version + 1
    if update_fields is not None:
        update_fields = {*update_fields, "version", "updated_at"} & {
            f.name for f in model._meta.concrete_fields
        }
    instance.save(update_fields=update_fields)
