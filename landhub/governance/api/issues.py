"""API of key issues (``/api/v1/governance/issues…``).

Same selectors and services as the pages: the register's filters, raising an issue (seat
holders and hub staff), editing it (its author while raised, the body's officers, hub staff;
send the version, a stale one answers 409), moving it on. Evidence links are given as
``{"path": "/mel/…", "label": "…"}`` (or a full URL of this site as ``path``); a page outside
the hub is refused with a field message. Plan items are named by id. Signed-in readers only.
"""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import ValidationError
from ninja import Field, Query, Router, Schema, Status

from landhub.core.lists import sort_queryset
from landhub.directory.api.common import MAX_OFFSET, paged, require_user

from .. import services
from ..selectors import ISSUE_SORTS, issue_detail, issue_list, plan_item_choices, raisable_bodies

router = Router(tags=["governance"])


class IssueOut(Schema):
    id: int
    title: str
    body: str = Field(..., description="slug")
    status: str
    urgency: str
    confidential: bool
    raised_by: str | None = Field(None, description="e-mail")
    created_at: dt.datetime
    closed_at: dt.datetime | None
    archived: bool
    version: int

    @staticmethod
    def resolve_body(obj):
        return obj.body.slug

    @staticmethod
    def resolve_raised_by(obj):
        return obj.raised_by.email if obj.raised_by_id else None

    @staticmethod
    def resolve_archived(obj):
        return obj.archived_at is not None


class EvidenceOut(Schema):
    path: str
    label: str


class StepOut(Schema):
    status: str
    when: dt.datetime
    who: str
    note: str


class IssueDetailOut(IssueOut):
    background: str
    options: str
    evidence: list[EvidenceOut]
    plan_items: list[int] = Field(..., description="ids, in plans you may see")
    agenda_items: list[int] = Field(..., description="ids, on meetings you may see")
    decisions: list[int] = Field(..., description="ids, that you may see")
    advice_requests: list[int]
    steps: list[StepOut] = Field(..., description="the status history, oldest first")

    @staticmethod
    def resolve_evidence(obj):
        return [{"path": e.path, "label": e.label} for e in obj.evidence_links]

    @staticmethod
    def resolve_plan_items(obj):
        return [p.pk for p in obj.plan_items_shown]

    @staticmethod
    def resolve_agenda_items(obj):
        return [a.pk for a in obj.agenda_shown]

    @staticmethod
    def resolve_decisions(obj):
        return [d.pk for d in obj.decisions_shown]

    @staticmethod
    def resolve_advice_requests(obj):
        return [a.pk for a in obj.advice_shown]

    @staticmethod
    def resolve_steps(obj):
        from ..selectors import issue_status_history

        return issue_status_history(obj)


class IssuePage(Schema):
    count: int
    items: list[IssueOut]


class IssueFilters(Schema):
    q: str = ""
    body: str = Field("", description="slug")
    status: str = ""
    urgency: str = ""
    mine: str = Field("", description="1: the issues you raised")
    plan_item: str = Field("", description="id")
    year: str = Field("", description="raised in")
    archived: str = Field("", description="1: the archived issues")
    sort: str = "-created"
    limit: int = Field(25, ge=1, le=100)
    offset: int = Field(0, ge=0, le=MAX_OFFSET)


class EvidenceIn(Schema):
    path: str = Field(..., max_length=600, description="/path or a full URL of this site")
    label: str = Field(..., max_length=200)


class IssueIn(Schema):
    body: str = Field(..., description="slug")
    title: str = Field(..., max_length=200)
    background: str = Field(..., max_length=100_000)
    options: str = Field("", max_length=100_000)
    urgency: str = "normal"
    confidential: bool = False
    plan_items: list[int] = Field([], max_length=100)
    evidence: list[EvidenceIn] = Field([], max_length=50)


class IssuePatch(Schema):
    version: int
    title: str | None = Field(None, max_length=200)
    background: str | None = Field(None, max_length=100_000)
    options: str | None = Field(None, max_length=100_000)
    urgency: str | None = None
    confidential: bool | None = None
    plan_items: list[int] | None = Field(None, max_length=100)
    evidence: list[EvidenceIn] | None = Field(None, max_length=50)


class TransitionIn(Schema):
    version: int | None = None
    status: str
    note: str = Field("", max_length=100)


def _plan_items(actor, ids: list[int], current=()) -> list:
    known = {p.pk: p for p in plan_item_choices(actor, limit=5000)}
    for item in current:
        known.setdefault(item.pk, item)
    missing = [pk for pk in dict.fromkeys(ids) if pk not in known]
    if missing:
        raise ValidationError({"plan_items": ["Unknown: " + ", ".join(map(str, missing))]})
    return [known[pk] for pk in dict.fromkeys(ids)]


@router.get("/issues", response=IssuePage, summary="Key issues you may read")
def list_issues(request, filters: Query[IssueFilters]):
    require_user(request)
    data = filters.dict()
    qs, _sort = sort_queryset(issue_list(user=request.user, filters=data), data["sort"],
                              ISSUE_SORTS, "-created")  # fmt: skip
    count, items = paged(qs, limit=data["limit"], offset=data["offset"])
    return {"count": count, "items": items}


@router.post("/issues", response={201: IssueDetailOut},
             summary="Raise a key issue (seat holders and hub staff)")  # fmt: skip
def raise_issue(request, payload: IssueIn):
    actor = require_user(request)
    data = payload.dict()
    services.require(actor, "governance.raise_issue")  # 403 before a word about the body
    body = raisable_bodies(actor).filter(slug=data.pop("body")[:80]).first()
    if body is None:
        raise ValidationError({"body": ["No body you may raise an issue to has this slug."]})
    data["plan_items"] = _plan_items(actor, data["plan_items"])
    issue = services.issue_raise(actor=actor, body=body, **data)
    return Status(201, issue_detail(user=actor, pk=issue.pk))


@router.get("/issues/{issue_id}", response=IssueDetailOut, summary="One key issue")
def get_issue(request, issue_id: int):
    require_user(request)
    return issue_detail(user=request.user, pk=issue_id)


@router.patch("/issues/{issue_id}", response=IssueDetailOut,
              summary="Change a key issue (send the version)")  # fmt: skip
def update_issue(request, issue_id: int, payload: IssuePatch):
    actor = require_user(request)
    issue = issue_detail(user=actor, pk=issue_id)
    given = payload.dict(exclude_unset=True)
    version = given.pop("version")
    nulls = [k for k, v in given.items() if v is None]
    if nulls:
        raise ValidationError({k: ["This field cannot be null."] for k in nulls})
    if "plan_items" in given:
        given["plan_items"] = _plan_items(actor, given["plan_items"],
                                          current=issue.plan_items.all())  # fmt: skip
    services.issue_update(actor=actor, issue=issue, version=version, changes=given)
    return issue_detail(user=actor, pk=issue_id)


@router.post("/issues/{issue_id}/transition", response=IssueDetailOut,
             summary="Move a key issue on (the body's officers, hub staff)")  # fmt: skip
def transition_issue(request, issue_id: int, payload: TransitionIn):
    actor = require_user(request)
    issue = issue_detail(user=actor, pk=issue_id)
    services.issue_transition(actor=actor, issue=issue, version=payload.version,
                              status=payload.status, note=payload.note)  # fmt: skip
    return issue_detail(user=actor, pk=issue_id)
