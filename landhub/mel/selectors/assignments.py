"""Reads of indicator assignments with their baselines and targets.

Assignments are reference data for every signed-in member (the indicator reference sheet lists
them), narrowed to the landscapes and partners the reader may see. Counts of targets and
values are correlated subqueries, so a page costs the same whatever the number of
observations behind it.
"""

from __future__ import annotations

from django.db.models import Count, Exists, IntegerField, OuterRef, Q, QuerySet, Subquery, Value
from django.db.models.functions import Coalesce
from django.http import Http404

from ..models import (
    IndicatorAssignment,
    Observation,
    ReportingPeriod,
    Target,
)

ASSIGNMENT_SORTS = {
    "indicator": "indicator__code",
    "scope": "scope_kind",
    "landscape": "landscape__name",
    "updated": "updated_at",
}

BASELINE_STATES = ("set", "not_available", "missing")


def _count(model, **lookup) -> Coalesce:
    rows = (model.objects.filter(assignment=OuterRef("pk"), **lookup).order_by()
            .values("assignment").annotate(n=Count("pk")).values("n"))  # fmt: skip
    return Coalesce(Subquery(rows, output_field=IntegerField()), Value(0))


def _visible(user) -> QuerySet[IndicatorAssignment]:
    """Assignments of the initiative, of landscapes and of partners the user may see."""
    from landhub.directory.models import Landscape, Organization

    qs = IndicatorAssignment.objects.all()
    landscape_q = Landscape.objects.visibility_q(user, "landscape__")
    organization_q = Organization.objects.visibility_q(user, "organization__")
    if landscape_q is not None:
        qs = qs.filter(Q(landscape__isnull=True) | landscape_q)
    if organization_q is not None:
        qs = qs.filter(Q(organization__isnull=True) | organization_q)
    return qs


def assignment_list(*, user, filters: dict | None = None) -> QuerySet[IndicatorAssignment]:
    """Filters: indicator (code), scope (kind), landscape (slug), organization (slug), region,
    node (id), baseline (set / not_available / missing), targets (yes / no), q."""
    if not user.is_authenticated:
        return IndicatorAssignment.objects.none()
    filters = {k: v.strip() for k, v in (filters or {}).items() if isinstance(v, str) and v}
    qs = _visible(user).filter(indicator__archived_at__isnull=True)
    if code := filters.get("indicator"):
        qs = qs.filter(indicator__code=code.upper())
    if scope := filters.get("scope"):
        qs = qs.filter(scope_kind=scope)
    if landscape := filters.get("landscape"):
        qs = qs.filter(landscape__slug=landscape)
    if organization := filters.get("organization"):
        qs = qs.filter(organization__slug=organization)
    if region := filters.get("region"):
        qs = qs.filter(landscape__region=region)
    if (node := filters.get("node", "")).isdigit():
        qs = qs.filter(node_id=int(node))
    baseline = filters.get("baseline")
    if baseline == "set":
        qs = qs.filter(baseline_value__isnull=False)
    elif baseline == "not_available":
        qs = qs.filter(baseline_value__isnull=True).exclude(baseline_missing_reason="")
    elif baseline == "missing":
        qs = qs.filter(baseline_value__isnull=True, baseline_missing_reason="")
    targets = Exists(Target.objects.filter(assignment=OuterRef("pk")))
    if filters.get("targets") == "yes":
        qs = qs.filter(targets)
    elif filters.get("targets") == "no":
        qs = qs.filter(~targets)
    if q := filters.get("q", "")[:100]:
        qs = qs.filter(Q(indicator__code__iexact=q) | Q(indicator__name__icontains=q)
                       | Q(landscape__name__icontains=q)
                       | Q(organization__name__icontains=q))  # fmt: skip
    return qs.select_related(
        "indicator", "landscape", "organization", "node__framework", "reporter"
    ).annotate(target_count=_count(Target), observation_count=_count(Observation))


def assignment_detail(*, user, pk: int) -> IndicatorAssignment:
    """One assignment (404 if the reader may not see its scope) with ``target_rows``: one per
    reporting period of the indicator's frequency, then the life of the initiative, each with
    its target or None; ``observation_count`` and ``has_approved`` say what was reported."""
    from ..models import ObservationStatus

    assignment = (
        assignment_list(user=user).filter(pk=pk)
        .annotate(approved_count=_count(Observation, status=ObservationStatus.APPROVED))
        .first()
    )  # fmt: skip
    if assignment is None:
        raise Http404
    targets = {t.period_id: t for t in Target.objects.filter(assignment=assignment)}
    periods = ReportingPeriod.objects.filter(kind=assignment.indicator.frequency).order_by("start")
    assignment.target_rows = [
        {"period": period, "key": period.label, "target": targets.pop(period.pk, None)}
        for period in periods
    ] + [{"period": None, "key": "life", "target": targets.pop(None, None)}]
    assignment.has_approved = assignment.approved_count > 0
    return assignment


def target_row(*, assignment, key: str) -> dict:
    """The row of ``assignment.target_rows`` for a period label or ``life`` (404 if none)."""
    for row in assignment.target_rows:
        if row["key"] == key:
            return row
    raise Http404


def assignment_history(assignment) -> list:
    """Changes of the assignment and of its targets, newest first, each with its reason."""
    from landhub.core.history import history_entries

    entries = history_entries(assignment)
    reasons = list(assignment.history.order_by("-history_date")
                   .values_list("history_change_reason", flat=True)[: len(entries)])  # fmt: skip
    for entry, reason in zip(entries, reasons, strict=False):
        entry.reason = reason or ""
    return entries


def target_history(assignment, *, limit: int = 50) -> list:
    """Every target set, changed or removed for ``assignment`` (removed ones too), newest
    first: period, value, who, when, why."""
    records = list(
        Target.history.filter(assignment_id=assignment.pk)
        .select_related("history_user", "period").order_by("-history_date")[:limit]
    )  # fmt: skip
    return records
