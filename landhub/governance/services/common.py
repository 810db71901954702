"""What every governance service shares: the permission check and field validation."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied, ValidationError
from django.utils.translation import gettext as _

from landhub.directory.rules import can

__all__ = ["require", "full_clean", "not_archived"]


def require(actor, perm: str, obj=None) -> None:
    """Raise PermissionDenied unless ``actor`` holds ``perm`` (on ``obj``)."""
    if not can(actor, perm, obj):
        raise PermissionDenied(_("You may not do this."))


def full_clean(instance, errors: dict | None = None, **kwargs) -> None:
    """``instance.full_clean`` with errors gathered beforehand merged in, raised together so
    a form shows every problem at once."""
    errors = dict(errors or {})
    try:
        instance.full_clean(**kwargs)
    except ValidationError as exc:
        for key, messages in exc.message_dict.items():
            errors.setdefault(key, []).extend(messages)
    if errors:
        raise ValidationError(errors)


def not_archived(instance) -> None:
    if getattr(instance, "archived_at", None) is not None:
        raise ValidationError(_("This record is archived: restore it before changing it."))
