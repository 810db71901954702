"""API of the strategic plan and the scaling strategy (``/api/v1/governance/plans…``,
``/api/v1/governance/plan-items…``).

``GET /plans/{id}`` returns the tree with each item's progress and where it came from
(``computed`` from the MEL roll-ups for a milestone tied to indicators, ``typed``, or
``children`` for an objective or goal), with the figures behind a computed progress. Writes
are for hub staff. Indicators are named by code, landscapes by slug, people by id,
organizations by slug; edits send ``version`` (a stale one answers 409).
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.http import Http404
from ninja import Field, Query, Router, Schema, Status

from landhub.core.lists import sort_queryset
from landhub.directory.api.common import MAX_OFFSET, paged, require_user

from .. import services
from ..models import Body, Decision, MilestoneIndicator
from ..selectors.plans import (
    PLAN_SORTS,
    plan_detail,
    plan_item_detail,
    plan_list,
    plan_tree,
)

router = Router(tags=["governance"])


class PlanOut(Schema):
    id: int
    kind: str
    year: int
    title: str
    status: str
    body: str | None = Field(None, description="slug of the body that adopts it")
    adopted_by_decision: int | None
    previous: int | None = Field(None, description="id of the version it revises")
    visibility: str
    archived: bool
    version: int
    updated_at: dt.datetime

    @staticmethod
    def resolve_body(obj):
        return obj.body.slug if obj.body_id else None

    @staticmethod
    def resolve_adopted_by_decision(obj):
        return obj.adopted_by_decision_id

    @staticmethod
    def resolve_previous(obj):
        return obj.previous_id

    @staticmethod
    def resolve_archived(obj):
        return obj.archived_at is not None


class FigureOut(Schema):
    link: int
    indicator: str = Field(..., description="code")
    place: str
    progress: float | None = Field(..., description="percent, capped at 100")
    status: str = Field(..., description="met, on_track, behind, no_target or no_data")
    text: str


class NodeOut(Schema):
    id: int
    level: str
    code: str
    title: str
    description: str
    owner: int | None
    owner_organization: str | None
    start_on: dt.date | None
    target_on: dt.date | None
    status: str
    progress: float | None = Field(..., description="percent")
    progress_source: str = Field(..., description="computed, typed, children or empty")
    typed_progress: int | None
    figures: list[FigureOut]
    issues: list[int]
    decisions: list[int]
    version: int
    children: list[NodeOut]


NodeOut.model_rebuild()


class PlanDetailOut(Schema):
    """A plan with its tree (built as a dict by ``_detail``: no resolvers here)."""

    id: int
    kind: str
    year: int
    title: str
    status: str
    body: str | None = Field(None, description="slug of the body that adopts it")
    adopted_by_decision: int | None
    previous: int | None = Field(None, description="id of the version it revises")
    visibility: str
    archived: bool
    version: int
    updated_at: dt.datetime
    summary: str
    items: list[NodeOut]


class PlanPage(Schema):
    count: int
    items: list[PlanOut]


class PlanFilters(Schema):
    q: str = ""
    kind: str = Field("", description="strategic or scaling")
    status: str = Field("", description="draft, adopted or superseded")
    year: str = ""
    archived: str = Field("", description="1: the archived plans")
    sort: str = "-year"
    limit: int = Field(25, ge=1, le=100)
    offset: int = Field(0, ge=0, le=MAX_OFFSET)


class PlanIn(Schema):
    kind: str
    year: int = Field(..., ge=1, le=9999)
    title: str = Field(..., max_length=200)
    summary: str = Field("", max_length=50_000)
    body: str | None = Field(None, description="slug")
    visibility: str = "network"


class PlanPatch(Schema):
    version: int
    year: int | None = Field(None, ge=1, le=9999)
    title: str | None = Field(None, max_length=200)
    summary: str | None = Field(None, max_length=50_000)
    body: str | None = Field(None, description="slug; null: none")
    visibility: str | None = None


class VersionIn(Schema):
    year: int = Field(..., ge=1, le=9999)
    title: str = Field("", max_length=200)


class AdoptIn(Schema):
    version: int | None = None
    decision: int | None = Field(None, description="id of the adopted decision")


class ItemIn(Schema):
    level: str
    parent: int | None = Field(None, description="id of a goal or an objective of the plan")
    code: str = Field("", max_length=20)
    title: str = Field(..., max_length=300)
    description: str = Field("", max_length=20_000)
    owner: int | None = Field(None, description="id of a person")
    owner_organization: str | None = Field(None, description="slug")
    start_on: dt.date | None = None
    target_on: dt.date | None = None
    status: str = "not_started"
    progress: int | None = Field(None, ge=0, le=100)


class ItemPatch(Schema):
    version: int
    code: str | None = Field(None, max_length=20)
    title: str | None = Field(None, max_length=300)
    description: str | None = Field(None, max_length=20_000)
    owner: int | None = None
    owner_organization: str | None = None
    start_on: dt.date | None = None
    target_on: dt.date | None = None
    status: str | None = None
    progress: int | None = Field(None, ge=0, le=100)
    parent: int | None = Field(None, description="move under this item (with position)")
    position: int | None = Field(None, ge=0, le=10_000, description="0 first")


class TieIn(Schema):
    indicator: str = Field(..., description="code", max_length=30)
    landscape: str | None = Field(None, description="slug; none: the whole initiative")


class TieOut(Schema):
    id: int
    item: int
    indicator: str
    landscape: str | None

    @staticmethod
    def resolve_item(obj):
        return obj.item_id

    @staticmethod
    def resolve_indicator(obj):
        return obj.indicator.code

    @staticmethod
    def resolve_landscape(obj):
        return obj.landscape.slug if obj.landscape_id else None


# --- lookups ---------------------------------------------------------------------------------


def _float(value: Decimal | None) -> float | None:
    return None if value is None else float(value)


def _node(node) -> dict:
    item = node.item
    return {
        "id": item.pk, "level": item.level, "code": node.code, "title": item.title,
        "description": item.description, "owner": item.owner_id,
        "owner_organization": item.owner_organization.slug if item.owner_organization_id
        else None,
        "start_on": item.start_on, "target_on": item.target_on, "status": node.status,
        "progress": _float(node.progress), "progress_source": node.source,
        "typed_progress": item.progress,
        "figures": [{"link": f.link.pk, "indicator": f.link.indicator.code, "place": f.place,
                     "progress": _float(f.progress), "status": f.status, "text": str(f.text)}
                    for f in node.figures],
        "issues": [pk for pk, _title in node.issues],
        "decisions": [pk for pk, _title in node.decisions],
        "version": item.version, "children": [_node(c) for c in node.children],
    }  # fmt: skip


def _detail(user, pk) -> dict:
    plan = plan_detail(user=user, pk=pk)
    return {
        "id": plan.pk, "kind": plan.kind, "year": plan.year, "title": plan.title,
        "status": plan.status, "body": plan.body.slug if plan.body_id else None,
        "adopted_by_decision": plan.adopted_by_decision_id, "previous": plan.previous_id,
        "visibility": plan.visibility, "archived": plan.archived_at is not None,
        "version": plan.version, "updated_at": plan.updated_at, "summary": plan.summary,
        "items": [_node(n) for n in plan_tree(user=user, plan=plan)],
    }  # fmt: skip


def _body(actor, slug):
    if not slug:
        return None
    body = Body.objects.visible_to(actor).filter(slug=slug[:80]).first()
    if body is None:
        raise ValidationError({"body": ["No body you may see has this slug."]})
    return body


def _person(pk):
    from landhub.directory.models import Person

    if pk is None:
        return None
    found = Person.objects.filter(pk=pk).first() if 0 < pk < 2**63 else None
    if found is None:
        raise ValidationError({"owner": ["No person has this id."]})
    return found


def _organization(actor, slug):
    from landhub.directory.models import Organization

    if not slug:
        return None
    found = Organization.objects.visible_to(actor).filter(slug=slug[:100]).first()
    if found is None:
        raise ValidationError({"owner_organization": ["No organization has this slug."]})
    return found


def _parent(plan, pk):
    if pk is None:
        return None
    parent = plan.items.filter(pk=pk).first() if 0 < pk < 2**63 else None
    if parent is None:
        raise ValidationError({"parent": ["No item of this plan has this id."]})
    return parent


def _owners(actor, data: dict) -> dict:
    if "owner" in data:
        data["owner"] = _person(data["owner"])
    if "owner_organization" in data:
        data["owner_organization"] = _organization(actor, data["owner_organization"])
    return data


# --- plans -----------------------------------------------------------------------------------


@router.get("/plans", response=PlanPage, summary="The strategic plan and the scaling strategy")
def list_plans(request, filters: Query[PlanFilters]):
    data = filters.dict()
    qs, _sort = sort_queryset(plan_list(user=request.user, filters=data), data["sort"],
                              PLAN_SORTS, "-year")  # fmt: skip
    count, items = paged(qs, limit=data["limit"], offset=data["offset"])
    return {"count": count, "items": items}


@router.post("/plans", response={201: PlanDetailOut}, summary="Start a plan (hub staff)")
def create_plan(request, payload: PlanIn):
    actor = require_user(request)
    data = payload.dict()
    data["body"] = _body(actor, data["body"])
    plan = services.plan_create(actor=actor, **data)
    return Status(201, _detail(actor, plan.pk))


@router.get("/plans/{plan_id}", response=PlanDetailOut,
            summary="One plan with its tree and each item's progress")  # fmt: skip
def get_plan(request, plan_id: int):
    return _detail(request.user, plan_id)


@router.patch("/plans/{plan_id}", response=PlanDetailOut,
              summary="Change a plan (hub staff; send the version)")  # fmt: skip
def update_plan(request, plan_id: int, payload: PlanPatch):
    actor = require_user(request)
    plan = plan_detail(user=actor, pk=plan_id)
    given = payload.dict(exclude_unset=True)
    version = given.pop("version")
    nulls = [k for k, v in given.items() if v is None and k != "body"]
    if nulls:
        raise ValidationError({k: ["This field cannot be null."] for k in nulls})
    if "body" in given:
        given["body"] = _body(actor, given["body"])
    services.plan_update(actor=actor, plan=plan, version=version, changes=given)
    return _detail(actor, plan_id)


@router.post("/plans/{plan_id}/versions", response={201: PlanDetailOut},
             summary="Start the version of another year, copying the tree (hub staff)")  # fmt: skip
def new_plan_version(request, plan_id: int, payload: VersionIn):
    actor = require_user(request)
    plan = plan_detail(user=actor, pk=plan_id)
    new = services.plan_new_version(actor=actor, plan=plan, year=payload.year,
                                    title=payload.title)  # fmt: skip
    return Status(201, _detail(actor, new.pk))


@router.post("/plans/{plan_id}/adopt", response=PlanDetailOut,
             summary="Adopt a version; the one adopted before is superseded")  # fmt: skip
def adopt_plan(request, plan_id: int, payload: AdoptIn):
    actor = require_user(request)
    plan = plan_detail(user=actor, pk=plan_id)
    decision = None
    if payload.decision is not None:
        decision = (Decision.objects.visible_to(actor).filter(pk=payload.decision).first()
                    if 0 < payload.decision < 2**63 else None)  # fmt: skip
        if decision is None:
            raise ValidationError({"decision": ["No decision you may see has this id."]})
    services.plan_adopt(actor=actor, plan=plan, version=payload.version, decision=decision)
    return _detail(actor, plan_id)


# --- items -----------------------------------------------------------------------------------


@router.post("/plans/{plan_id}/items", response={201: NodeOut},
             summary="Add a goal, objective or milestone (hub staff)")  # fmt: skip
def create_item(request, plan_id: int, payload: ItemIn):
    actor = require_user(request)
    plan = plan_detail(user=actor, pk=plan_id)
    data = _owners(actor, payload.dict())
    parent = _parent(plan, data.pop("parent"))
    item = services.plan_item_create(actor=actor, plan=plan, parent=parent, **data)
    return Status(201, _item_out(actor, item.pk))


def _item_out(user, pk) -> dict:
    item = plan_item_detail(user=user, pk=pk)
    from ..selectors.plans import flatten

    for node in flatten(plan_tree(user=user, plan=item.plan)):
        if node.item.pk == item.pk:
            return _node(node)
    raise Http404  # archived, or under an archived item


@router.patch("/plan-items/{item_id}", response=NodeOut,
              summary="Change or move an item (hub staff; send the version)")  # fmt: skip
def update_item(request, item_id: int, payload: ItemPatch):
    actor = require_user(request)
    item = plan_item_detail(user=actor, pk=item_id)
    given = payload.dict(exclude_unset=True)
    version = given.pop("version")
    move = "parent" in given or "position" in given
    parent_id, position = given.pop("parent", item.parent_id), given.pop("position", None)
    clearable = ("owner", "owner_organization", "start_on", "target_on", "progress")
    nulls = [k for k, v in given.items() if v is None and k not in clearable]
    if nulls:
        raise ValidationError({k: ["This field cannot be null."] for k in nulls})
    given = _owners(actor, given)
    if given:
        item = services.plan_item_update(actor=actor, item=item, version=version, changes=given)
        version = item.version
    if move:
        parent = _parent(item.plan, parent_id)
        services.plan_item_move(actor=actor, item=item, version=version, parent=parent,
                                position=position)  # fmt: skip
    return _item_out(actor, item_id)


@router.post("/plan-items/{item_id}/indicators", response={201: TieOut},
             summary="Tie a milestone to an indicator (hub staff)")  # fmt: skip
def tie_indicator(request, item_id: int, payload: TieIn):
    from landhub.directory.models import Landscape
    from landhub.mel.models import Indicator

    actor = require_user(request)
    item = plan_item_detail(user=actor, pk=item_id)
    indicator = Indicator.objects.filter(code__iexact=payload.indicator.strip(),
                                         archived_at__isnull=True).first()  # fmt: skip
    if indicator is None:
        raise ValidationError({"indicator": ["No indicator has this code."]})
    landscape = None
    if payload.landscape:
        landscape = Landscape.objects.visible_to(actor).filter(slug=payload.landscape[:100]).first()
        if landscape is None:
            raise ValidationError({"landscape": ["No landscape you may see has this slug."]})
    link = services.milestone_tie_indicator(actor=actor, item=item, indicator=indicator,
                                            landscape=landscape)  # fmt: skip
    return Status(201, link)


@router.delete("/plan-items/{item_id}/indicators/{link_id}", response={204: None},
               summary="Untie a milestone from an indicator (hub staff)")  # fmt: skip
def untie_indicator(request, item_id: int, link_id: int):
    actor = require_user(request)
    item = plan_item_detail(user=actor, pk=item_id)
    link = (MilestoneIndicator.objects.filter(pk=link_id, item=item).first()
            if 0 < link_id < 2**63 else None)  # fmt: skip
    if link is None:
        raise Http404
    services.milestone_untie_indicator(actor=actor, link=link)
    return Status(204, None)
