"""API of decisions, votes and advice (``/api/v1/governance/decisions…``,
``/api/v1/governance/advice…``).

Same selectors and services as the pages. A decision's body is named by slug; its meeting,
agenda item, key issue and plan items by id. Edits send ``version``; a stale one answers 409
with the current record. ``POST …/votes`` is the caller's own vote, on the seat they may vote
for (their voting seat, or an absent principal's as alternate); a second vote, a vote after
closing or by a recused seat answers 422 with the reason. ``GET /decisions/public`` is the
public summaries, for anyone.
"""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import ValidationError
from ninja import Field, Query, Router, Schema, Status

from landhub.core.lists import sort_queryset
from landhub.directory.api.common import MAX_OFFSET, paged, require_user

from .. import services
from ..models import AgendaItem, Body, KeyIssue, Meeting, Plan, PlanItem
from ..selectors.decisions import (
    DECISION_SORTS,
    _pk,
    advice_detail,
    decision_detail,
    decision_list,
    public_summaries,
    vote_state,
)

router = Router(tags=["governance"])


# --- schemas ---------------------------------------------------------------------------------


class DecisionOut(Schema):
    id: int
    title: str
    body: str = Field(..., description="slug")
    status: str
    method: str
    threshold: str
    threshold_base: str
    tie_rule: str
    meeting: int | None
    agenda_item: int | None
    key_issue: int | None
    opens_at: dt.datetime | None
    closes_at: dt.datetime | None
    decided_at: dt.datetime | None
    effective_on: dt.date | None
    result_note: str
    confidential: bool
    version: int

    @staticmethod
    def resolve_body(obj):
        return obj.body.slug

    @staticmethod
    def resolve_meeting(obj):
        return obj.meeting_id

    @staticmethod
    def resolve_agenda_item(obj):
        return obj.agenda_item_id

    @staticmethod
    def resolve_key_issue(obj):
        return obj.key_issue_id


class TallyOut(Schema):
    yes: int
    no: int
    abstain: int
    eligible_seats: int
    present_seats: int | None
    quorum_required: int | None
    casting_vote_used: bool
    votes_cast: int


class RecusalOut(Schema):
    seat: int
    person: str
    organization: str
    nature: str


class AdviceBesideOut(Schema):
    id: int
    adviser: str = Field(..., description="slug of the advisory body")
    status: str
    recommendation: str
    advice: str
    given_at: dt.datetime | None


class VoteOut(Schema):
    seat: int
    seat_holder: str
    cast_by: str = Field(..., description="who cast it (an alternate standing in)")
    choice: str
    comment: str


class YourVoteOut(Schema):
    can_vote: bool
    seat: int | None
    seat_holder: str
    as_alternate: bool
    voted: str = Field(..., description="yes, no, abstain, or empty")
    reason: str = Field(..., description="why you cannot vote now")


class DecisionDetailOut(DecisionOut):
    text: str
    rationale: str
    public_summary: str
    rules: list[str]
    tally: TallyOut
    recusals: list[RecusalOut]
    advice: list[AdviceBesideOut]
    plan_items: list[int]
    votes: list[VoteOut] = Field(..., description="per seat: the body's members and hub staff")
    your_vote: YourVoteOut

    @staticmethod
    def resolve_tally(obj):
        return {"yes": obj.yes_votes, "no": obj.no_votes, "abstain": obj.abstentions,
                "eligible_seats": obj.eligible_seats, "present_seats": obj.present_seats,
                "quorum_required": obj.quorum_required,
                "casting_vote_used": obj.casting_vote_used,
                "votes_cast": obj.votes_cast}  # fmt: skip

    @staticmethod
    def resolve_recusals(obj):
        return [{"seat": c.seat_id, "person": c.seat.person.name,
                 "organization": c.seat.organization.name if c.seat.organization_id else "",
                 "nature": c.nature} for c in obj.recusals]  # fmt: skip

    @staticmethod
    def resolve_advice(obj):
        return [{"id": a.pk, "adviser": a.adviser.slug, "status": a.status,
                 "recommendation": a.recommendation, "advice": a.advice,
                 "given_at": a.given_at} for a in obj.advice_beside]  # fmt: skip

    @staticmethod
    def resolve_plan_items(obj):
        return [p.pk for p in obj.visible_plan_items]

    @staticmethod
    def resolve_votes(obj):
        return [{"seat": v.seat_id, "seat_holder": v.seat.person.name,
                 "cast_by": v.cast_by.person.name, "choice": v.choice, "comment": v.comment}
                for v in obj.vote_rows]  # fmt: skip

    @staticmethod
    def resolve_your_vote(obj):
        state = obj.your_vote
        return {"can_vote": state.can_vote, "seat": state.seat.pk if state.seat else None,
                "seat_holder": state.seat_holder, "as_alternate": state.as_alternate,
                "voted": state.vote.choice if state.vote else "",
                "reason": state.reason}  # fmt: skip


class DecisionPage(Schema):
    count: int
    items: list[DecisionOut]


class DecisionFilters(Schema):
    q: str = ""
    body: str = Field("", description="slug")
    status: str = ""
    method: str = ""
    procedure: str = Field("", description="written or meeting")
    year: str = Field("", description="the year it was decided")
    issue: str = Field("", description="key issue id")
    plan_item: str = Field("", description="plan item id")
    sort: str = "-decided"
    limit: int = Field(25, ge=1, le=100)
    offset: int = Field(0, ge=0, le=MAX_OFFSET)


class DecisionIn(Schema):
    body: str = Field("", description="slug (or give the agenda item)")
    agenda_item: int | None = None
    key_issue: int | None = None
    title: str = Field(..., max_length=200)
    text: str = Field(..., max_length=100_000)
    rationale: str = Field("", max_length=100_000)
    method: str = "vote"
    threshold: str = Field("", description="empty: the body's")
    effective_on: dt.date | None = None
    public_summary: str = Field("", max_length=20_000)
    confidential: bool = False
    plan_items: list[int] = Field([], max_length=200)


class DecisionPatch(Schema):
    version: int
    title: str | None = Field(None, max_length=200)
    text: str | None = Field(None, max_length=100_000)
    rationale: str | None = Field(None, max_length=100_000)
    method: str | None = None
    threshold: str | None = None
    key_issue: int | None = None
    effective_on: dt.date | None = None
    public_summary: str | None = Field(None, max_length=20_000)
    confidential: bool | None = None
    plan_items: list[int] | None = Field(None, max_length=200)


class VersionIn(Schema):
    version: int | None = None


class OpenIn(Schema):
    version: int | None = None
    closes_at: dt.datetime = Field(..., description="ISO 8601 with its offset (none: UTC)")


class VoteIn(Schema):
    choice: str = Field(..., description="yes, no or abstain")
    comment: str = Field("", max_length=5000)


class CloseIn(Schema):
    version: int | None = None
    casting_vote: str = Field("", description="the chair's yes/no on a tie, where the rules "
                                              "give one")  # fmt: skip


class RecordIn(Schema):
    version: int | None = None
    adopted: bool
    note: str = Field("", max_length=5000)


class ConflictIn(Schema):
    nature: str = Field(..., max_length=5000)


class ConflictOut(Schema):
    id: int
    seat: int
    decision: int
    nature: str


class PublicOut(Schema):
    id: int
    title: str
    body: str
    decided_at: dt.datetime | None
    effective_on: dt.date | None
    public_summary: str

    @staticmethod
    def resolve_body(obj):
        return obj.body.name


class PublicPage(Schema):
    count: int
    items: list[PublicOut]


class AdviceOut(Schema):
    id: int
    adviser: str = Field(..., description="slug")
    decision: int | None
    key_issue: int | None
    question: str
    due_on: dt.date | None
    status: str
    advice: str
    recommendation: str
    given_at: dt.datetime | None
    version: int

    @staticmethod
    def resolve_adviser(obj):
        return obj.adviser.slug

    @staticmethod
    def resolve_decision(obj):
        return obj.decision_id

    @staticmethod
    def resolve_key_issue(obj):
        return obj.key_issue_id


class AdviceIn(Schema):
    adviser: str = Field(..., description="slug of the advisory body")
    decision: int | None = None
    key_issue: int | None = None
    question: str = Field(..., max_length=20_000)
    due_on: dt.date | None = None


class AdviceGiveIn(Schema):
    version: int | None = None
    advice: str = Field(..., max_length=100_000)
    recommendation: str


class AdviceDeclineIn(Schema):
    version: int | None = None
    reason: str = Field("", max_length=5000)


# --- lookups ---------------------------------------------------------------------------------


def _detail(user, pk):
    decision = decision_detail(user=user, pk=pk)
    decision.your_vote = vote_state(user, decision)
    return decision


def _body(actor, slug: str) -> Body:
    body = Body.objects.visible_to(actor).filter(slug=(slug or "")[:80]).first()
    if body is None:
        raise ValidationError({"body": ["No body you may see has this slug."]})
    return body


def _issue(actor, pk):
    if pk is None:
        return None
    issue = KeyIssue.objects.visible_to(actor).filter(pk=_pk(pk) or 0).first()
    if issue is None:
        raise ValidationError({"key_issue": ["No key issue you may see has this id."]})
    return issue


def _item(actor, pk):
    if pk is None:
        return None
    item = (AgendaItem.objects.filter(pk=_pk(pk) or 0,
                                      meeting__in=Meeting.objects.visible_to(actor))
            .select_related("meeting__body").first())  # fmt: skip
    if item is None:
        raise ValidationError({"agenda_item": ["No agenda item you may see has this id."]})
    return item


def _plan_items(actor, ids: list[int]) -> list:
    wanted = {i for i in ids if _pk(i)}
    found = list(PlanItem.objects.filter(pk__in=wanted, plan__in=Plan.objects.visible_to(actor)))
    missing = set(ids) - {p.pk for p in found}
    if missing:
        raise ValidationError({"plan_items": ["Unknown: " + ", ".join(
            str(i) for i in sorted(missing))]})  # fmt: skip
    return found


# --- decisions -------------------------------------------------------------------------------


@router.get("/decisions", response=DecisionPage, summary="The decision register")
def list_decisions(request, filters: Query[DecisionFilters]):
    require_user(request)
    data = filters.dict()
    qs, _sort = sort_queryset(decision_list(user=request.user, filters=data), data["sort"],
                              DECISION_SORTS, "-decided")  # fmt: skip
    count, items = paged(qs, limit=data["limit"], offset=data["offset"])
    return {"count": count, "items": items}


@router.post("/decisions", response={201: DecisionDetailOut},
             summary="Propose a decision (the body's officers, hub staff)")  # fmt: skip
def propose_decision(request, payload: DecisionIn):
    actor = require_user(request)
    data = payload.dict()
    item = _item(actor, data.pop("agenda_item"))
    slug = data.pop("body")
    body = item.meeting.body if item is not None and not slug else _body(actor, slug)
    data["key_issue"] = _issue(actor, data["key_issue"])
    data["plan_items"] = _plan_items(actor, data["plan_items"])
    decision = services.decision_propose(actor=actor, body=body, agenda_item=item,
                                         meeting=item.meeting if item else None,
                                         **data)  # fmt: skip
    return Status(201, _detail(actor, decision.pk))


@router.get("/decisions/public", response=PublicPage,
            summary="Public summaries of adopted decisions (anyone)")  # fmt: skip
def list_public(request, q: str = "", body: str = "", limit: int = Query(25, ge=1, le=100),
                offset: int = Query(0, ge=0, le=MAX_OFFSET)):  # fmt: skip
    count, items = paged(public_summaries(filters={"q": q, "body": body}), limit=limit,
                         offset=offset)  # fmt: skip
    return {"count": count, "items": items}


@router.get("/decisions/{decision_id}", response=DecisionDetailOut,
            summary="One decision: the record, the tally, recusals, advice, your vote")  # fmt: skip
def get_decision(request, decision_id: int):
    require_user(request)
    return _detail(request.user, decision_id)


@router.patch("/decisions/{decision_id}", response=DecisionDetailOut,
              summary="Change a proposed decision (send the version)")  # fmt: skip
def update_decision(request, decision_id: int, payload: DecisionPatch):
    actor = require_user(request)
    decision = decision_detail(user=actor, pk=decision_id)
    given = payload.dict(exclude_unset=True)
    version = given.pop("version")
    nulls = [k for k, v in given.items()
             if v is None and k not in ("key_issue", "effective_on")]  # fmt: skip
    if nulls:
        raise ValidationError({k: ["This field cannot be null."] for k in nulls})
    if "key_issue" in given:
        given["key_issue"] = _issue(actor, given["key_issue"])
    if "plan_items" in given:
        given["plan_items"] = _plan_items(actor, given["plan_items"])
    services.decision_update(actor=actor, decision=decision, version=version, changes=given)
    return _detail(actor, decision_id)


@router.post("/decisions/{decision_id}/open", response=DecisionDetailOut,
             summary="Open the vote until closes_at (officers, hub staff)")  # fmt: skip
def open_vote(request, decision_id: int, payload: OpenIn):
    actor = require_user(request)
    decision = decision_detail(user=actor, pk=decision_id)
    closes_at = payload.closes_at
    if closes_at.tzinfo is None:  # no offset given: read as UTC, as the API says times are
        closes_at = closes_at.replace(tzinfo=dt.UTC)
    services.vote_open(actor=actor, decision=decision, closes_at=closes_at,
                       version=payload.version)  # fmt: skip
    return _detail(actor, decision_id)


@router.post("/decisions/{decision_id}/votes", response={201: DecisionDetailOut},
             summary="Cast your vote on the seat you may vote for")  # fmt: skip
def cast_vote(request, decision_id: int, payload: VoteIn):
    actor = require_user(request)
    decision = decision_detail(user=actor, pk=decision_id)
    services.vote_cast(actor=actor, decision=decision, choice=payload.choice,
                       comment=payload.comment)  # fmt: skip
    return Status(201, _detail(actor, decision_id))


@router.post("/decisions/{decision_id}/close", response=DecisionDetailOut,
             summary="Close the vote and count (officers, hub staff)")  # fmt: skip
def close_vote(request, decision_id: int, payload: CloseIn):
    actor = require_user(request)
    decision = decision_detail(user=actor, pk=decision_id)
    services.vote_close(actor=actor, decision=decision, version=payload.version,
                        casting_vote=payload.casting_vote)  # fmt: skip
    return _detail(actor, decision_id)


@router.post("/decisions/{decision_id}/record", response=DecisionDetailOut,
             summary="Record a consensus or a chair's decision (officers, hub staff)")  # fmt: skip
def record_decision(request, decision_id: int, payload: RecordIn):
    actor = require_user(request)
    decision = decision_detail(user=actor, pk=decision_id)
    services.decision_record(actor=actor, decision=decision, version=payload.version,
                             adopted=payload.adopted, note=payload.note)  # fmt: skip
    return _detail(actor, decision_id)


@router.post("/decisions/{decision_id}/withdraw", response=DecisionDetailOut,
             summary="Withdraw a decision not yet taken (officers, hub staff)")  # fmt: skip
def withdraw_decision(request, decision_id: int, payload: VersionIn):
    actor = require_user(request)
    decision = decision_detail(user=actor, pk=decision_id)
    services.decision_withdraw(actor=actor, decision=decision, version=payload.version)
    return _detail(actor, decision_id)


@router.post("/decisions/{decision_id}/conflicts", response={201: ConflictOut},
             summary="Declare a conflict of interest for your own seat")  # fmt: skip
def declare_conflict(request, decision_id: int, payload: ConflictIn):
    actor = require_user(request)
    decision = decision_detail(user=actor, pk=decision_id)
    declaration = services.conflict_declare_on_decision(actor=actor, decision=decision,
                                                        nature=payload.nature)  # fmt: skip
    return Status(201, {"id": declaration.pk, "seat": declaration.seat_id,
                        "decision": decision.pk, "nature": declaration.nature})  # fmt: skip


# --- advice ----------------------------------------------------------------------------------


@router.post("/advice", response={201: AdviceOut},
             summary="Ask an advisory body for advice on a decision or a key issue")  # fmt: skip
def request_advice(request, payload: AdviceIn):
    actor = require_user(request)
    adviser = _body(actor, payload.adviser)
    decision = (decision_detail(user=actor, pk=payload.decision)
                if payload.decision is not None else None)  # fmt: skip
    issue = _issue(actor, payload.key_issue)
    if decision is None and issue is None:
        raise ValidationError({"decision": ["Give a decision or a key issue."]})
    advice = services.advice_request_create(actor=actor, adviser=adviser,
                                            question=payload.question, key_issue=issue,
                                            decision=decision, due_on=payload.due_on)  # fmt: skip
    return Status(201, advice_detail(user=actor, pk=advice.pk))


@router.get("/advice/{advice_id}", response=AdviceOut, summary="One advice request")
def get_advice(request, advice_id: int):
    require_user(request)
    return advice_detail(user=request.user, pk=advice_id)


@router.post("/advice/{advice_id}/give", response=AdviceOut,
             summary="Record the advisory body's advice (its officers, hub staff)")  # fmt: skip
def give_advice(request, advice_id: int, payload: AdviceGiveIn):
    actor = require_user(request)
    advice = advice_detail(user=actor, pk=advice_id)
    services.advice_give(actor=actor, request=advice, version=payload.version,
                         advice=payload.advice, recommendation=payload.recommendation)  # fmt: skip
    return advice_detail(user=actor, pk=advice_id)


@router.post("/advice/{advice_id}/decline", response=AdviceOut,
             summary="Decline to give advice (its officers, hub staff)")  # fmt: skip
def decline_advice(request, advice_id: int, payload: AdviceDeclineIn):
    actor = require_user(request)
    advice = advice_detail(user=actor, pk=advice_id)
    services.advice_decline(actor=actor, request=advice, version=payload.version,
                            reason=payload.reason)  # fmt: skip
    return advice_detail(user=actor, pk=advice_id)
