"""Reads for reporting: the data entry grid and the review queue."""

from __future__ import annotations

from django.db.models import Prefetch

from ..models import (
    IndicatorAssignment,
)


def reporting_grid(*, user, landscape, period) -> list:
    """The landscape's assignments reported for ``period`` (its kind), each with its
    observation of that period (or None) and whether ``user`` may enter it. Four queries."""
    from ..models import Observation, ObservationPart
    from ..rules import can

    assignments = list(
        IndicatorAssignment.objects.filter(landscape=landscape, scope_kind="landscape",
                                           indicator__frequency=period.kind,
                                           indicator__archived_at__isnull=True)
        .select_related("indicator", "reporter")
        .prefetch_related("indicator__disaggregations__options")
        .order_by("indicator__code")
    )  # fmt: skip
    observations = {
        o.assignment_id: o
        for o in Observation.objects.filter(assignment__in=assignments, period=period)
        .prefetch_related(Prefetch("parts", queryset=ObservationPart.objects
                                   .select_related("option__scheme")))
    }  # fmt: skip
    rows = []
    for assignment in assignments:
        observation = observations.get(assignment.pk)
        parts = {}
        if observation is not None:
            parts = {f"{p.option.scheme.slug}:{p.option.code}": p for p in observation.parts.all()}
        rows.append({"assignment": assignment, "observation": observation, "parts": parts,
                     "can_report": can(user, "mel.report", assignment)})  # fmt: skip
    return rows


def review_queue(*, user, filters: dict | None = None):
    """Submitted values waiting for review (reviewers only), oldest first."""
    from ..models import Observation, ObservationStatus
    from ..rules import can

    if not can(user, "mel.review"):
        return Observation.objects.none()
    filters = filters or {}
    qs = Observation.objects.filter(status=ObservationStatus.SUBMITTED).select_related(
        "assignment__indicator", "assignment__landscape", "period", "submitted_by"
    )
    if period := filters.get("period"):
        qs = qs.filter(period__label=period)
    if landscape := filters.get("landscape"):
        qs = qs.filter(assignment__landscape__slug=landscape)
    if indicator := filters.get("indicator"):
        qs = qs.filter(assignment__indicator__code=indicator)
    return qs.order_by("submitted_at", "pk")
