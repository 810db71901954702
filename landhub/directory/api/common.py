"""Shared pieces of the directory API: error schema, paging, the conflict payload."""

from __future__ import annotations

from ninja import Schema


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
        if hasattr(value, "__iter__") and not isinstance(value, str | dict | list):
            data[key] = [getattr(v, "pk", v) for v in value]
        elif hasattr(value, "url"):
            data[key] = value.url if value else None
    return data
