"""Shared pieces of the directory API: error schema, paging, the conflict payload."""

from __future__ import annotations

from ninja import Schema

from landhub.core.counts import cached_count


class ErrorOut(Schema):
    detail: str
    errors: dict[str, list[str]] | None = None


def serialize_current(obj) -> dict:
    """The current state of a record, sent with a 409 so the client can show what changed."""
    from django.forms.models import model_to_dict

    data = model_to_dict(obj)
    data["id"] = obj.pk
    data["version"] = getattr(obj, "version", None)
    for key, value in list(data.items()):
        if isinstance(value, list | tuple | set):
            data[key] = [getattr(v, "pk", v) for v in value]
        elif hasattr(value, "url"):  # files and images
            data[key] = value.url if value else None
        elif hasattr(value, "pk"):
            data[key] = value.pk
    return data


MAX_LIMIT = 100
# Deeper than any real list; bigger numbers overflow the databases' integer types (fuzzer).
MAX_OFFSET = 10_000_000


def paged(qs, *, limit: int, offset: int) -> tuple[int, list]:
    """One page of ``qs`` and the total count; ``limit`` is capped so no call is unbounded."""
    limit = max(1, min(int(limit), MAX_LIMIT))
    offset = max(0, int(offset))
    return cached_count(qs), list(qs[offset : offset + limit])


def require_user(request):
    """Writes need a signed-in user (session with CSRF, or a read-write token)."""
    from ninja.errors import AuthenticationError

    if not request.user.is_authenticated:
        raise AuthenticationError(message="Sign in or use a read-write API token to make changes.")
    return request.user


def patch_values(model, data: dict) -> dict:
    """Turn a PATCH body's explicit nulls into what the model can store.

    ``null`` on a text field that cannot be NULL means "clear it" (""); on any other field that
    cannot be NULL it is refused with a field message. Without this, Django's ``full_clean``
    lets None through on blank-able fields and the database refuses it (a 500, found by the
    API fuzzer).
    """
    from django.core.exceptions import FieldDoesNotExist, ValidationError
    from django.db import models

    cleaned, errors = {}, {}
    for key, value in data.items():
        if value is None:
            try:
                field = model._meta.get_field(key)
            except FieldDoesNotExist:
                cleaned[key] = value
                continue
            if not getattr(field, "null", True):
                if isinstance(field, models.CharField | models.TextField):
                    value = ""
                else:
                    errors[key] = ["This field cannot be null."]
                    continue
        cleaned[key] = value
    if errors:
        raise ValidationError(errors)
    return cleaned
