"""API of action items (``/api/v1/governance/actions…``).

Same selectors and services as the pages. The body is named by slug, the decision and the
meeting by id (the body follows from them), the owner by a person's id and the owner
organization by slug. Edits send ``version``; a stale one answers 409 with the current record.
"""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import ValidationError
from ninja import Field, Query, Router, Schema, Status

from landhub.core.lists import sort_queryset
from landhub.directory.api.common import MAX_OFFSET, paged, require_user

from .. import services
from ..models import Body, Decision, Meeting
from ..selectors.actions import ACTION_SORTS, action_detail, action_list

router = Router(tags=["governance"])


class ActionOut(Schema):
    id: int
    title: str
    body: str = Field(..., description="slug")
    decision: int | None
    meeting: int | None
    owner: int | None = Field(None, description="id of a person")
    owner_name: str
    owner_organization: str | None = Field(None, description="slug")
    due_on: dt.date
    status: str
    done_at: dt.datetime | None
    overdue: bool
    confidential: bool
    archived: bool
    version: int
    updated_at: dt.datetime

    @staticmethod
    def resolve_body(obj):
        return obj.body.slug

    @staticmethod
    def resolve_decision(obj):
        return obj.decision_id

    @staticmethod
    def resolve_meeting(obj):
        return obj.meeting_id

    @staticmethod
    def resolve_owner(obj):
        return obj.owner_id

    @staticmethod
    def resolve_owner_name(obj):
        return obj.owner.name if obj.owner_id else ""

    @staticmethod
    def resolve_owner_organization(obj):
        return obj.owner_organization.slug if obj.owner_organization_id else None

    @staticmethod
    def resolve_overdue(obj):
        from django.utils import timezone

        return obj.is_open and obj.due_on < timezone.localdate()

    @staticmethod
    def resolve_archived(obj):
        return obj.archived_at is not None


class ActionDetailOut(ActionOut):
    description: str
    reminded_on: dt.date | None


class ActionPage(Schema):
    count: int
    items: list[ActionOut]


class ActionFilters(Schema):
    q: str = ""
    body: str = Field("", description="slug")
    mine: str = Field("", description="1: the actions you own")
    owner_organization: str = Field("", description="slug")
    status: str = Field("", description="a status, or 'open' for open and in progress")
    overdue: str = Field("", description="1: open and past due")
    due_before: str = Field("", description="YYYY-MM-DD")
    decision: str = ""
    meeting: str = ""
    archived: str = Field("", description="1: the archived actions")
    sort: str = "due"
    limit: int = Field(25, ge=1, le=100)
    offset: int = Field(0, ge=0, le=MAX_OFFSET)


class ActionIn(Schema):
    title: str = Field(..., max_length=300)
    description: str = Field("", max_length=20_000)
    body: str | None = Field(None, description="slug; or give a decision or a meeting")
    decision: int | None = None
    meeting: int | None = None
    owner: int | None = Field(None, description="id of a person")
    owner_organization: str | None = Field(None, description="slug")
    due_on: dt.date
    confidential: bool = False


class ActionPatch(Schema):
    version: int
    title: str | None = Field(None, max_length=300)
    description: str | None = Field(None, max_length=20_000)
    owner: int | None = None
    owner_organization: str | None = None
    due_on: dt.date | None = None
    confidential: bool | None = None


class StatusIn(Schema):
    status: str
    version: int | None = None


def _record(model, actor, pk, field: str):
    if pk is None:
        return None
    found = (model.objects.visible_to(actor).select_related("body").filter(pk=pk).first()
             if 0 < pk < 2**63 else None)  # fmt: skip
    if found is None:
        raise ValidationError({field: ["Nothing you may see has this id."]})
    return found


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


@router.get("/actions", response=ActionPage, summary="Action items")
def list_actions(request, filters: Query[ActionFilters]):
    require_user(request)
    data = filters.dict()
    qs, _sort = sort_queryset(action_list(user=request.user, filters=data), data["sort"],
                              ACTION_SORTS, "due")  # fmt: skip
    count, items = paged(qs, limit=data["limit"], offset=data["offset"])
    return {"count": count, "items": items}


@router.post("/actions", response={201: ActionDetailOut},
             summary="Record an action (a body's officers, hub staff)")  # fmt: skip
def create_action(request, payload: ActionIn):
    actor = require_user(request)
    data = payload.dict()
    decision = _record(Decision, actor, data.pop("decision"), "decision")
    meeting = _record(Meeting, actor, data.pop("meeting"), "meeting")
    slug = data.pop("body")
    body = None
    if slug:
        body = Body.objects.visible_to(actor).filter(slug=slug[:80]).first()
        if body is None:
            raise ValidationError({"body": ["No body you may see has this slug."]})
    data["owner"] = _person(data["owner"])
    data["owner_organization"] = _organization(actor, data["owner_organization"])
    action = services.action_create(actor=actor, body=body, decision=decision, meeting=meeting,
                                    **data)  # fmt: skip
    return Status(201, action_detail(user=actor, pk=action.pk))


@router.get("/actions/{action_id}", response=ActionDetailOut, summary="One action item")
def get_action(request, action_id: int):
    require_user(request)
    return action_detail(user=request.user, pk=action_id)


@router.patch("/actions/{action_id}", response=ActionDetailOut,
              summary="Change an action (send the version; status has its own call)")  # fmt: skip
def update_action(request, action_id: int, payload: ActionPatch):
    actor = require_user(request)
    action = action_detail(user=actor, pk=action_id)
    given = payload.dict(exclude_unset=True)
    version = given.pop("version")
    nulls = [k for k, v in given.items()
             if v is None and k not in ("owner", "owner_organization")]  # fmt: skip
    if nulls:
        raise ValidationError({k: ["This field cannot be null."] for k in nulls})
    if "owner" in given:
        given["owner"] = _person(given["owner"])
    if "owner_organization" in given:
        given["owner_organization"] = _organization(actor, given["owner_organization"])
    services.action_update(actor=actor, action=action, version=version, changes=given)
    return action_detail(user=actor, pk=action_id)


@router.post("/actions/{action_id}/status", response=ActionDetailOut,
             summary="Move an action's status (its owner, the body's officers)")  # fmt: skip
def set_action_status(request, action_id: int, payload: StatusIn):
    actor = require_user(request)
    action = action_detail(user=actor, pk=action_id)
    services.action_set_status(actor=actor, action=action, status=payload.status,
                               version=payload.version)  # fmt: skip
    return action_detail(user=actor, pk=action_id)
