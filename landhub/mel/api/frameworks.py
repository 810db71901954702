"""API of results frameworks (``/api/v1/mel/frameworks…``)."""

from __future__ import annotations

from datetime import datetime

from django.http import Http404
from django.shortcuts import get_object_or_404
from ninja import Field, Query, Router, Schema, Status

from landhub.directory.api.common import MAX_OFFSET, paged, require_user

from .. import services
from ..models import Framework, FrameworkNode
from ..selectors import (
    framework_detail,
    framework_list,
)

router = Router(tags=["mel"])


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
