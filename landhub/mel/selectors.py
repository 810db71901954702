"""Reads of the MEL data, narrowed to what the reader may see.

Frameworks carry a visibility like every record; the indicator library is reference data
that every signed-in member reads (its definitions are what partners report against).
"""

from __future__ import annotations

from django.db.models import Count, Prefetch, Q, QuerySet
from django.http import Http404

from landhub.core.search import search_pks

from .models import (
    Framework,
    FrameworkEdge,
    FrameworkNode,
    Indicator,
    IndicatorAssignment,
)

INDICATOR_SORTS = {"code": "code", "name": "name", "updated": "updated_at"}


def framework_list(*, user, filters: dict | None = None) -> QuerySet[Framework]:
    filters = filters or {}
    qs = Framework.objects.visible_to(user).active().select_related("landscape", "parent")
    if filters.get("scope") == "initiative":
        qs = qs.filter(landscape__isnull=True)
    elif filters.get("scope") == "landscape":
        qs = qs.filter(landscape__isnull=False)
    if status := filters.get("status"):
        qs = qs.filter(status=status)
    if q := (filters.get("q") or "").strip():
        qs = qs.filter(Q(title__icontains=q[:100]) | Q(landscape__name__icontains=q[:100]))
    return qs.annotate(node_count=Count("nodes", distinct=True)).order_by(
        "landscape__name", "title"
    )


def framework_detail(*, user, slug: str) -> Framework:
    """A framework with its nodes (each with the codes of its indicators) and edges."""
    framework = (
        Framework.objects.visible_to(user).filter(slug=slug)
        .select_related("landscape", "parent")
        .prefetch_related(
            Prefetch("nodes", queryset=FrameworkNode.objects.select_related("feeds")
                     .prefetch_related(Prefetch("assignments", queryset=IndicatorAssignment
                                                .objects.select_related("indicator")))),
            Prefetch("edges", queryset=FrameworkEdge.objects.select_related("source", "target")),
        ).first()
    )  # fmt: skip
    if framework is None:
        raise Http404
    for node in framework.nodes.all():
        node.indicator_codes = sorted({a.indicator.code for a in node.assignments.all()})
    return framework


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
        qs = qs.filter(Q(pk__in=search_pks(Indicator, q[:200])) | Q(code__iexact=q.strip()))
    return qs.prefetch_related("disaggregations").annotate(
        assignment_count=Count("assignments", distinct=True)
    )


def indicator_detail(*, user, code: str) -> Indicator:
    indicator = (
        Indicator.objects.filter(code=code)
        .prefetch_related("disaggregations__options",
                          Prefetch("assignments", queryset=IndicatorAssignment.objects
                                   .select_related("landscape", "organization", "node__framework")
                                   .prefetch_related("targets__period")))
        .first()
    )  # fmt: skip
    if indicator is None:
        raise Http404
    return indicator


# --- Reporting -------------------------------------------------------------------------------


def reporting_grid(*, user, landscape, period) -> list:
    """The landscape's assignments reported for ``period`` (its kind), each with its
    observation of that period (or None) and whether ``user`` may enter it. Four queries."""
    from .models import Observation, ObservationPart
    from .rules import can

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
    from .models import Observation, ObservationStatus
    from .rules import can

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
