"""MEL API: results frameworks and the indicator library (``/api/v1/mel/…``).

Same selectors and services as the pages; errors as JSON with field messages; edits carry
``version`` (a stale one answers 409 with the current record).
"""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal

from django.http import Http404
from django.shortcuts import get_object_or_404
from ninja import Field, Query, Router, Schema, Status

from landhub.core.lists import sort_queryset
from landhub.directory.api.common import MAX_OFFSET, paged, patch_values, require_user

from . import services
from .models import DisaggregationScheme, Framework, FrameworkNode, Indicator
from .selectors import (
    INDICATOR_SORTS,
    framework_detail,
    framework_list,
    indicator_detail,
    indicator_list,
)

router = Router(tags=["mel"])


# --- Frameworks ------------------------------------------------------------------------------


class FrameworkOut(Schema):
    slug: str
    title: str
    status: str
    landscape: str | None = Field(None, description="Slug of the landscape; null: initiative")
    parent: str | None = None
    visibility: str
    version: int
    updated_at: datetime

    @staticmethod
    def resolve_landscape(obj):
        return obj.landscape.slug if obj.landscape_id else None

    @staticmethod
    def resolve_parent(obj):
        return obj.parent.slug if obj.parent_id else None


class NodeOut(Schema):
    id: int
    code: str
    kind: str
    title: str
    description: str
    feeds: int | None = Field(None, alias="feeds_id")
    indicators: list[str]

    @staticmethod
    def resolve_indicators(obj):
        return getattr(obj, "indicator_codes", [])


class EdgeOut(Schema):
    id: int
    source: str
    target: str
    assumption: str
    evidence: str

    @staticmethod
    def resolve_source(obj):
        return obj.source.code

    @staticmethod
    def resolve_target(obj):
        return obj.target.code


class FrameworkDetailOut(FrameworkOut):
    description: str
    nodes: list[NodeOut]
    edges: list[EdgeOut]

    @staticmethod
    def resolve_nodes(obj):
        return list(obj.nodes.all())

    @staticmethod
    def resolve_edges(obj):
        return list(obj.edges.all())


class FrameworkPage(Schema):
    count: int
    items: list[FrameworkOut]


class FrameworkFilters(Schema):
    q: str = ""
    scope: str = Field("", description="initiative or landscape")
    status: str = ""
    limit: int = Field(25, ge=1, le=100)
    offset: int = Field(0, ge=0, le=MAX_OFFSET)


class FrameworkIn(Schema):
    title: str = Field(..., min_length=3, max_length=200)
    template: str = Field("", description="initiative, four_returns, landscale or empty")
    landscape: str | None = None
    parent: str | None = None
    description: str = ""


class NodeIn(Schema):
    kind: str
    code: str = Field(..., min_length=1, max_length=20)
    title: str = Field(..., min_length=1, max_length=300)
    description: str = ""
    feeds: int | None = None
    reason: str = Field("", max_length=100)


class EdgeIn(Schema):
    source: str = Field(..., description="code of the node")
    target: str
    assumption: str = ""
    evidence: str = "untested"
    reason: str = Field("", max_length=100)


class VersionIn(Schema):
    version: int


@router.get("/frameworks", response=FrameworkPage, summary="Results frameworks")
def list_frameworks(request, filters: Query[FrameworkFilters]):
    data = filters.dict()
    count, items = paged(framework_list(user=request.user, filters=data),
                         limit=data["limit"], offset=data["offset"])  # fmt: skip
    return {"count": count, "items": items}


@router.post("/frameworks", response={201: FrameworkDetailOut},
             summary="Create (from a template or empty)")  # fmt: skip
def create_framework(request, payload: FrameworkIn):
    from landhub.directory.models import Landscape

    actor = require_user(request)
    data = payload.dict()
    landscape = (get_object_or_404(Landscape.objects.visible_to(actor), slug=data["landscape"])
                 if data["landscape"] else None)  # fmt: skip
    parent = (get_object_or_404(Framework.objects.visible_to(actor), slug=data["parent"])
              if data["parent"] else None)  # fmt: skip
    framework = services.framework_create(
        actor=actor, title=data["title"], template=data["template"], landscape=landscape,
        parent=parent, description=data["description"],
    )  # fmt: skip
    return Status(201, framework_detail(user=actor, slug=framework.slug))


@router.get("/frameworks/{slug}", response=FrameworkDetailOut,
            summary="One framework with its nodes and links")  # fmt: skip
def get_framework(request, slug: str):
    return framework_detail(user=request.user, slug=slug)


@router.post("/frameworks/{slug}/nodes", response={201: FrameworkDetailOut},
             summary="Add a node (a reason once published)")  # fmt: skip
def add_node(request, slug: str, payload: NodeIn):
    actor = require_user(request)
    framework = framework_detail(user=actor, slug=slug)
    data = payload.dict()
    feeds = None
    if data.pop("feeds") is not None:
        feeds = FrameworkNode.objects.filter(pk=payload.feeds).first()
        if feeds is None:
            raise Http404
    services.node_save(actor=actor, framework=framework, feeds=feeds, **data)
    return Status(201, framework_detail(user=actor, slug=slug))


@router.post("/frameworks/{slug}/links", response={201: FrameworkDetailOut},
             summary="Add or change a link between two nodes")  # fmt: skip
def add_link(request, slug: str, payload: EdgeIn):
    actor = require_user(request)
    framework = framework_detail(user=actor, slug=slug)
    source = get_object_or_404(framework.nodes, code=payload.source)
    target = get_object_or_404(framework.nodes, code=payload.target)
    services.edge_save(actor=actor, framework=framework, source=source, target=target,
                       assumption=payload.assumption, evidence=payload.evidence,
                       reason=payload.reason)  # fmt: skip
    return Status(201, framework_detail(user=actor, slug=slug))


@router.post("/frameworks/{slug}/publish", response=FrameworkDetailOut, summary="Publish")
def publish_framework(request, slug: str, payload: VersionIn):
    actor = require_user(request)
    framework = framework_detail(user=actor, slug=slug)
    services.framework_publish(actor=actor, framework=framework, version=payload.version)
    return framework_detail(user=actor, slug=slug)


# --- Indicators ------------------------------------------------------------------------------


class IndicatorOut(Schema):
    code: str
    name: str
    measure: str
    unit: str
    currency: str
    direction: str
    aggregation: str
    cumulative_mode: str
    frequency: str
    disaggregations: list[str]
    version: int
    updated_at: datetime

    @staticmethod
    def resolve_disaggregations(obj):
        return [s.slug for s in obj.disaggregations.all()]


class IndicatorDetailOut(IndicatorOut):
    definition: str
    levels: list[str]
    threshold: Decimal | None
    data_source: str
    method: str
    sdg_code: str
    landscale_code: str
    four_returns: str
    iati_code: str


class IndicatorPage(Schema):
    count: int
    items: list[IndicatorOut]


class IndicatorFilters(Schema):
    q: str = ""
    measure: str = ""
    aggregation: str = ""
    cumulative_mode: str = ""
    frequency: str = ""
    disaggregation: str = ""
    sort: str = "code"
    limit: int = Field(25, ge=1, le=100)
    offset: int = Field(0, ge=0, le=MAX_OFFSET)


class IndicatorIn(Schema):
    code: str = Field(..., min_length=1, max_length=30)
    name: str = Field(..., min_length=3, max_length=300)
    definition: str = Field(..., min_length=1)
    measure: str
    unit: str = ""
    currency: str = ""
    levels: list[str] = []
    direction: str = "increase"
    aggregation: str = "sum"
    cumulative_mode: str = "non_cumulative"
    threshold: Decimal | None = None
    frequency: str = "year"
    data_source: str = ""
    method: str = ""
    sdg_code: str = ""
    landscale_code: str = ""
    four_returns: str = ""
    iati_code: str = ""
    disaggregations: list[str] = Field([], description="slugs of disaggregation schemes")


class IndicatorPatch(Schema):
    version: int
    reason: str = Field("", max_length=100)
    name: str | None = Field(None, min_length=3, max_length=300)
    definition: str | None = None
    unit: str | None = None
    currency: str | None = None
    levels: list[str] | None = None
    direction: str | None = None
    aggregation: str | None = None
    cumulative_mode: str | None = None
    threshold: Decimal | None = None
    frequency: str | None = None
    data_source: str | None = None
    method: str | None = None
    sdg_code: str | None = None
    landscale_code: str | None = None
    four_returns: str | None = None
    iati_code: str | None = None
    disaggregations: list[str] | None = None


def _schemes(slugs):
    schemes = list(DisaggregationScheme.objects.filter(slug__in=slugs))
    if len(schemes) != len(set(slugs)):
        from django.core.exceptions import ValidationError

        known = {s.slug for s in schemes}
        raise ValidationError({"disaggregations": [
            "Unknown: " + ", ".join(s for s in slugs if s not in known)]})  # fmt: skip
    return schemes


@router.get("/indicators", response=IndicatorPage, summary="The indicator library")
def list_indicators(request, filters: Query[IndicatorFilters]):
    require_user(request)
    data = filters.dict()
    qs, _sort = sort_queryset(indicator_list(user=request.user, filters=data), data["sort"],
                              INDICATOR_SORTS, "code")  # fmt: skip
    count, items = paged(qs, limit=data["limit"], offset=data["offset"])
    return {"count": count, "items": items}


@router.post("/indicators", response={201: IndicatorDetailOut}, summary="Add (hub staff)")
def create_indicator(request, payload: IndicatorIn):
    actor = require_user(request)
    data = payload.dict()
    schemes = _schemes(data.pop("disaggregations"))
    indicator = services.indicator_create(actor=actor, schemes=schemes, **data)
    return Status(201, indicator_detail(user=actor, code=indicator.code))


@router.get("/indicators/{code}", response=IndicatorDetailOut, summary="One indicator")
def get_indicator(request, code: str):
    require_user(request)
    return indicator_detail(user=request.user, code=code)


@router.patch("/indicators/{code}", response=IndicatorDetailOut,
              summary="Change a definition (send the version)")  # fmt: skip
def update_indicator(request, code: str, payload: IndicatorPatch):
    actor = require_user(request)
    indicator = get_object_or_404(Indicator, code=code)
    data = patch_values(Indicator, payload.dict(exclude_unset=True))
    version, reason = data.pop("version"), data.pop("reason", "")
    slugs = data.pop("disaggregations", None)
    schemes = _schemes(slugs) if slugs is not None else None
    services.indicator_update(actor=actor, indicator=indicator, version=version,
                              schemes=schemes, reason=reason, **data)  # fmt: skip
    return indicator_detail(user=actor, code=indicator.code)
