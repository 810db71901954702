"""Reads of results frameworks, narrowed to what the reader may see."""

from __future__ import annotations

from django.db.models import Count, Prefetch, Q, QuerySet
from django.http import Http404

from ..models import (
    Framework,
    FrameworkEdge,
    FrameworkNode,
    IndicatorAssignment,
)


def framework_list(*, user, filters: dict | None = None) -> QuerySet[Framework]:
    filters = filters or {}
    qs = (Framework.objects.visible_to(user).active().select_related("landscape", "parent")
          .defer("landscape__boundary"))  # fmt: skip
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
