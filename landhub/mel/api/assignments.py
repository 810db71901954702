"""API of indicator assignments, baselines and targets (``/api/v1/mel/assignments…``).

Same selectors and services as the pages. Scopes are named by slug, the indicator by code,
the reporter by the e-mail they sign in with, a target's period by its label (``2026``,
``2026-Q1``) or ``life`` for the life of the initiative.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404
from ninja import Field, Query, Router, Schema, Status

from landhub.core.lists import sort_queryset
from landhub.directory.api.common import MAX_OFFSET, paged, require_user

from .. import services
from ..models import FrameworkNode, Indicator, ReportingPeriod
from ..selectors import ASSIGNMENT_SORTS, assignment_detail, assignment_list, target_row

router = Router(tags=["mel"])

LIFE = "life"


class BaselineOut(Schema):
    value: Decimal | None
    numerator: Decimal | None
    denominator: Decimal | None
    date: dt.date | None
    source: str
    not_available: bool
    reason: str


class AssignmentOut(Schema):
    id: int
    indicator: str
    scope_kind: str
    landscape: str | None = Field(None, description="slug")
    organization: str | None = Field(None, description="slug")
    region: str | None = None
    node: int | None = None
    node_code: str | None = None
    reporter: str | None = Field(None, description="e-mail of the named reporter")
    baseline: BaselineOut
    target_count: int
    observation_count: int
    version: int
    updated_at: dt.datetime

    @staticmethod
    def resolve_indicator(obj):
        return obj.indicator.code

    @staticmethod
    def resolve_landscape(obj):
        return obj.landscape.slug if obj.landscape_id else None

    @staticmethod
    def resolve_organization(obj):
        return obj.organization.slug if obj.organization_id else None

    @staticmethod
    def resolve_region(obj):
        return obj.landscape.region if obj.landscape_id else None

    @staticmethod
    def resolve_node(obj):
        return obj.node_id

    @staticmethod
    def resolve_node_code(obj):
        return obj.node.code if obj.node_id else None

    @staticmethod
    def resolve_reporter(obj):
        if obj.reporter_id and obj.reporter.user_id:
            return obj.reporter.user.email
        return None

    @staticmethod
    def resolve_baseline(obj):
        return {"value": obj.baseline_value, "numerator": obj.baseline_numerator,
                "denominator": obj.baseline_denominator, "date": obj.baseline_date,
                "source": obj.baseline_source,
                "not_available": bool(obj.baseline_missing_reason),
                "reason": obj.baseline_missing_reason}  # fmt: skip


class TargetOut(Schema):
    period: str = Field(..., description="label of the period, or 'life'")
    value: Decimal | None
    version: int | None


class AssignmentDetailOut(AssignmentOut):
    approved_count: int
    targets: list[TargetOut]

    @staticmethod
    def resolve_targets(obj):
        return [_target_out(row) for row in obj.target_rows]


def _target_out(row) -> dict:
    target = row["target"]
    return {"period": row["key"], "value": target.value if target else None,
            "version": target.version if target else None}  # fmt: skip


class AssignmentPage(Schema):
    count: int
    items: list[AssignmentOut]


class AssignmentFilters(Schema):
    q: str = ""
    indicator: str = Field("", description="code")
    scope: str = Field("", description="initiative, landscape or organization")
    landscape: str = Field("", description="slug")
    organization: str = Field("", description="slug")
    region: str = ""
    node: str = Field("", description="id of a framework node")
    baseline: str = Field("", description="set, not_available or missing")
    targets: str = Field("", description="yes or no")
    sort: str = "indicator"
    limit: int = Field(25, ge=1, le=100)
    offset: int = Field(0, ge=0, le=MAX_OFFSET)


class AssignIn(Schema):
    indicator: str = Field(..., description="code")
    scope_kind: str = Field(..., description="initiative, landscape or organization")
    landscapes: list[str] = Field([], description="slugs", max_length=2000)
    region: str = Field("", description="every active landscape of this region")
    organization: str | None = Field(None, description="slug")
    node: int | None = None
    reporter: str | None = Field(None, description="e-mail; one scope only")


class AssignOut(Schema):
    message: str
    created: list[AssignmentOut]
    skipped: list[str]


class BaselineIn(Schema):
    value: str | int | float | None = None
    numerator: str | int | float | None = None
    denominator: str | int | float | None = None
    date: str | None = Field(None, description="YYYY-MM-DD")
    source: str = Field("", max_length=300)
    not_available: bool = False
    reason: str = Field("", max_length=300, description="why there is no baseline")


class AssignmentPatch(Schema):
    version: int
    node: int | None = None
    reporter: str | None = Field(None, description="e-mail; null: the scope's default")
    baseline: BaselineIn | None = Field(None, description="the whole baseline; {} clears it")
    reason: str = Field("", max_length=100, description="needed once values are approved")


class TargetIn(Schema):
    value: str | int | float
    version: int | None = Field(None, description="of the target being changed")
    reason: str = Field("", max_length=100)


def _reporter(email):
    from landhub.directory.models import Person

    if not email:
        return None
    person = Person.objects.filter(user__email__iexact=email.strip()).first()
    if person is None:
        raise ValidationError({"reporter": ["Nobody signs in to the hub with this e-mail."]})
    return person


def _node(pk):
    if pk is None:
        return None
    node = FrameworkNode.objects.select_related("framework").filter(pk=pk).first()
    if node is None:
        raise ValidationError({"node": ["No framework node has this id."]})
    return node


def _period(label: str):
    if label == LIFE:
        return None
    return get_object_or_404(ReportingPeriod, label=label)


@router.get("/assignments", response=AssignmentPage, summary="Indicator assignments")
def list_assignments(request, filters: Query[AssignmentFilters]):
    require_user(request)
    data = filters.dict()
    qs, _sort = sort_queryset(assignment_list(user=request.user, filters=data), data["sort"],
                              ASSIGNMENT_SORTS, "indicator")  # fmt: skip
    count, items = paged(qs, limit=data["limit"], offset=data["offset"])
    return {"count": count, "items": items}


@router.post("/assignments", response={201: AssignOut},
             summary="Assign an indicator (hub staff; many landscapes at once)")  # fmt: skip
def create_assignments(request, payload: AssignIn):
    from landhub.directory.models import Landscape, Organization

    actor = require_user(request)
    indicator = get_object_or_404(Indicator, code=payload.indicator.strip().upper())
    slugs = list(dict.fromkeys(payload.landscapes))
    landscapes = list(Landscape.objects.visible_to(actor).filter(slug__in=slugs))
    if len(landscapes) != len(slugs):
        known = {ls.slug for ls in landscapes}
        raise ValidationError({"landscapes": [
            "Unknown: " + ", ".join(s for s in slugs if s not in known)]})  # fmt: skip
    organization = None
    if payload.organization:
        organization = get_object_or_404(Organization.objects.visible_to(actor),
                                         slug=payload.organization)  # fmt: skip
    result = services.assignment_create(
        actor=actor, indicator=indicator, scope_kind=payload.scope_kind, landscapes=landscapes,
        region=payload.region.strip(), organization=organization, node=_node(payload.node),
        reporter=_reporter(payload.reporter),
    )  # fmt: skip
    created = list(assignment_list(user=actor).filter(pk__in=[a.pk for a in result.created])
                   .order_by("landscape__name", "pk"))  # fmt: skip
    return Status(201, {"message": result.message, "created": created,
                        "skipped": [str(s) for s in result.skipped]})  # fmt: skip


@router.get("/assignments/{assignment_id}", response=AssignmentDetailOut,
            summary="One assignment with its baseline and targets per period")  # fmt: skip
def get_assignment(request, assignment_id: int):
    require_user(request)
    return assignment_detail(user=request.user, pk=assignment_id)


@router.patch(
    "/assignments/{assignment_id}",
    response=AssignmentDetailOut,
    summary="Change node, reporter (hub staff) or baseline (send the version)",
)
def update_assignment(request, assignment_id: int, payload: AssignmentPatch):
    actor = require_user(request)
    assignment = assignment_detail(user=actor, pk=assignment_id)
    given = payload.dict(exclude_unset=True)
    kwargs = {}
    if "node" in given:
        kwargs["node"] = _node(payload.node)
    if "reporter" in given:
        kwargs["reporter"] = _reporter(payload.reporter)
    if "baseline" in given:
        kwargs["baseline"] = payload.baseline.dict() if payload.baseline else {}
    services.assignment_update(actor=actor, assignment=assignment, version=payload.version,
                               reason=payload.reason, **kwargs)  # fmt: skip
    return assignment_detail(user=actor, pk=assignment_id)


@router.delete("/assignments/{assignment_id}", response={204: None},
               summary="Remove (hub staff; refused once values were reported)")  # fmt: skip
def delete_assignment(request, assignment_id: int):
    actor = require_user(request)
    assignment = assignment_detail(user=actor, pk=assignment_id)
    services.assignment_remove(actor=actor, assignment=assignment)
    return Status(204, None)


@router.put("/assignments/{assignment_id}/targets/{period}", response=TargetOut,
            summary="Set the target of a period (its label) or of the life of the initiative "
                    "('life')")  # fmt: skip
def put_target(request, assignment_id: int, period: str, payload: TargetIn):
    actor = require_user(request)
    assignment = assignment_detail(user=actor, pk=assignment_id)
    services.target_set(actor=actor, assignment=assignment, period=_period(period),
                        value=str(payload.value), version=payload.version,
                        reason=payload.reason)  # fmt: skip
    # Read back as GET shows it (the stored decimal places).
    return _target_out(
        target_row(assignment=assignment_detail(user=actor, pk=assignment_id), key=period)
    )


@router.delete("/assignments/{assignment_id}/targets/{period}", response={204: None},
               summary="Remove a target (query: version, reason)")  # fmt: skip
def delete_target(request, assignment_id: int, period: str, version: int | None = None,
                  reason: str = ""):  # fmt: skip
    actor = require_user(request)
    assignment = assignment_detail(user=actor, pk=assignment_id)
    services.target_remove(actor=actor, assignment=assignment, period=_period(period),
                           version=version, reason=reason[:100])  # fmt: skip
    return Status(204, None)
