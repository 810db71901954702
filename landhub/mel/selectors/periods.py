"""Reads of reporting periods (hub staff keep them; everyone reporting reads their dates)."""

from __future__ import annotations

from django.db.models import QuerySet

from ..models import ReportingPeriod

PERIOD_SORTS = {"start": "start", "due": "due", "label": "label"}


def period_list(*, user, filters: dict | None = None) -> QuerySet[ReportingPeriod]:
    """Periods filtered by ``kind``, ``year`` (of the start) and ``state`` (open, locked)."""
    filters = {k: v for k, v in (filters or {}).items() if isinstance(v, str) and v}
    qs = ReportingPeriod.objects.all()
    if kind := filters.get("kind"):
        qs = qs.filter(kind=kind)
    if (year := filters.get("year", "")).isdigit() and len(year) == 4:
        qs = qs.filter(start__year=int(year))
    if filters.get("state") == "open":
        qs = qs.filter(locked_at__isnull=True)
    elif filters.get("state") == "locked":
        qs = qs.filter(locked_at__isnull=False)
    return qs
