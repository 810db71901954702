"""Reads of the indicator library: reference data every signed-in member reads (its
definitions are what partners report against).
"""

from __future__ import annotations

from django.db.models import Count, IntegerField, OuterRef, Q, QuerySet, Subquery
from django.db.models.functions import Coalesce
from django.http import Http404

from landhub.core.search import search_pks

from ..models import (
    Indicator,
    IndicatorAssignment,
)

INDICATOR_SORTS = {"code": "code", "name": "name", "updated": "updated_at"}


def indicator_list(*, user, filters: dict | None = None) -> QuerySet[Indicator]:
    filters = {k: v for k, v in (filters or {}).items() if isinstance(v, str) and v}
    qs = Indicator.objects.all() if filters.get("archived") == "1" else Indicator.objects.filter(
        archived_at__isnull=True)  # fmt: skip
    for field in ("measure", "aggregation", "cumulative_mode", "frequency", "direction"):
        if value := filters.get(field):
            qs = qs.filter(**{field: value})
    if scheme := filters.get("disaggregation"):
        qs = qs.filter(disaggregations__slug=scheme)
    if filters.get("mapped") == "sdg":
        qs = qs.exclude(sdg_code="")
    if q := filters.get("q"):
        qs = qs.filter(Q(pk__in_list=search_pks(Indicator, q[:200])) | Q(code__iexact=q.strip()))
    # A count per shown row, not a join grouped over every match: with the join PostgreSQL
    # sorted 14,000 assignment rows (on disk) to show five indicators in the global search.
    assignments = (
        IndicatorAssignment.objects.filter(indicator=OuterRef("pk")).order_by()
        .values("indicator").annotate(n=Count("pk")).values("n")
    )  # fmt: skip
    return qs.prefetch_related("disaggregations").annotate(
        assignment_count=Coalesce(Subquery(assignments, output_field=IntegerField()), 0)
    )


SHEET_ASSIGNMENTS = 25  # the reference sheet lists this many; the assignments list has all


def indicator_detail(*, user, code: str) -> Indicator:
    """One indicator for its reference sheet, with ``shown_assignments`` (the first
    ``SHEET_ASSIGNMENTS`` of those whose scope ``user`` may see, with their targets) and
    ``assignment_total`` (how many ``user`` may see). Five queries."""
    from landhub.directory.models import Landscape, Organization

    indicator = Indicator.objects.filter(code=code).prefetch_related(
        "disaggregations__options").first()  # fmt: skip
    if indicator is None:
        raise Http404
    visible = IndicatorAssignment.objects.filter(indicator=indicator).filter(
        Q(scope_kind="initiative")
        | (Q(scope_kind="landscape")
           & Landscape.objects.visible_through(user, "landscape__", active=False))
        | (Q(scope_kind="organization")
           & Organization.objects.visible_through(user, "organization__", active=False))
    )  # fmt: skip
    indicator.assignment_total = visible.count()
    indicator.shown_assignments = list(
        visible.select_related("landscape", "organization", "node__framework")
        .defer("landscape__boundary")
        .prefetch_related("targets__period")
        .order_by("scope_kind", "landscape__name", "organization__name", "pk")[:SHEET_ASSIGNMENTS]
    )  # fmt: skip
    return indicator
