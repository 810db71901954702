"""Reads of reported values for the API's list: a landscape's values are seen by those who
report for it (its leaders and managers, the people named as reporters), reviewers and hub
staff; nobody else."""

from __future__ import annotations

from django.db.models import Prefetch, Q, QuerySet

from ..models import Observation, ObservationPart, ScopeKind

OBSERVATION_FILTERS = ("landscape", "period", "indicator", "status")


def observation_list(*, user, filters: dict | None = None) -> QuerySet[Observation]:
    """Landscape values ``user`` may see, oldest first (by id: cheap and stable at millions),
    with their indicator, landscape, period and parts: four queries a page."""
    from landhub.directory.rules import managed_landscape_ids

    from ..rules import can

    if not user.is_authenticated:
        return Observation.objects.none()
    qs = Observation.objects.filter(assignment__scope_kind=ScopeKind.LANDSCAPE)
    if not can(user, "mel.review"):  # hub staff and designated reviewers see every landscape
        qs = qs.filter(Q(assignment__landscape_id__in=managed_landscape_ids(user))
                       | Q(assignment__reporter__user=user))  # fmt: skip
    filters = {k: v for k, v in (filters or {}).items() if isinstance(v, str) and v}
    if landscape := filters.get("landscape"):
        qs = qs.filter(assignment__landscape__slug=landscape)
    if period := filters.get("period"):
        qs = qs.filter(period__label=period)
    if indicator := filters.get("indicator"):
        qs = qs.filter(assignment__indicator__code=indicator)
    if status := filters.get("status"):
        qs = qs.filter(status=status)
    parts = ObservationPart.objects.select_related("option__scheme")
    return (
        qs.select_related("assignment__indicator", "assignment__landscape", "period")
        .defer("assignment__landscape__boundary")
        .prefetch_related(Prefetch("parts", queryset=parts))
        .order_by("pk")
    )
