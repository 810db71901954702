"""Change history shown as "who changed what, when" (django-simple-history underneath).

``history_entries(obj)`` turns the historical records of any model registered with
``HistoricalRecords`` into rows a template can show: the time, the person and, for each changed
field, its label with the old and new values. Used by every "History" tab.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from django.utils import formats, timezone
from django.utils.text import capfirst
from django.utils.translation import gettext as _

# Fields whose change says nothing to a reader.
_HIDDEN = {"version", "updated_at", "created_at", "boundary"}


@dataclass
class Change:
    label: str
    old: str
    new: str


@dataclass
class HistoryEntry:
    when: object
    who: str
    action: str
    changes: list[Change] = field(default_factory=list)


def _display(record, name: str) -> str:
    value = getattr(record, name, None)
    if value is None or value == "":
        return "—"
    if hasattr(record, f"get_{name}_display"):
        return str(getattr(record, f"get_{name}_display")())
    # A moment in the reader's time zone and language — never Python's
    # "2026-11-29 22:50:06.216914+00:00". Dates stay ISO: short and unambiguous everywhere.
    if isinstance(value, dt.datetime):
        return formats.date_format(timezone.localtime(value) if timezone.is_aware(value)
                                   else value, "DATETIME_FORMAT")  # fmt: skip
    return str(value)


def history_entries(obj, *, limit: int = 50) -> list[HistoryEntry]:
    """The last ``limit`` changes of ``obj``, newest first, with changed fields named."""
    records = list(
        obj.history.select_related("history_user").order_by("-history_date")[: limit + 1]
    )
    entries = []
    actions = {"+": _("created"), "~": _("changed"), "-": _("deleted")}
    for index, record in enumerate(records[:limit]):
        user = record.history_user
        who = (getattr(user, "name", "") or getattr(user, "email", "")) if user else _("system")
        entry = HistoryEntry(record.history_date, who, actions.get(record.history_type, ""))
        previous = records[index + 1] if index + 1 < len(records) else None
        if previous is not None and record.history_type == "~":
            delta = record.diff_against(previous)
            for change in delta.changes:
                if change.field in _HIDDEN:
                    continue
                try:
                    label = capfirst(str(obj._meta.get_field(change.field).verbose_name))
                except Exception:  # a field that no longer exists on the model
                    label = change.field
                entry.changes.append(
                    Change(label, _display(previous, change.field), _display(record, change.field))
                )
            if "boundary" in delta.changed_fields:
                entry.changes.append(Change(_("Boundary"), "", _("new boundary")))
        entries.append(entry)
    return entries
