"""API of system change and of the value of tools and services (``/api/v1/mel/…``).

Same selectors and services as the pages: trails (list, one, create, change with ``version``,
archive and restore, add and remove steps), the system change summary of a year,
contribution claims (list, one, create, change with ``version`` — a stale one answers 409 —,
archive), value reports of an offering and of a partner, and the value overview.
Organizations and offerings are named by slug; every read needs a signed-in user (session or token).
"""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404
from ninja import Field, Query, Router, Schema, Status

from landhub.core.lists import sort_queryset
from landhub.directory.api.common import MAX_OFFSET, paged, require_user

from .. import services
from ..models import ChangeStep
from ..selectors import (
    CLAIM_SORTS,
    TRAIL_SORTS,
    claim_detail,
    claim_list,
    readable_outcomes,
    system_change_summary,
    trail_detail,
    trail_list,
    value_overview,
    value_period,
    value_report,
)

router = Router(tags=["mel"])


# --- schemas ---------------------------------------------------------------------------------


class StepOut(Schema):
    id: int
    stage: str
    reached_on: dt.date
    outcomes: list[int] = Field(..., description="ids of the backing outcome statements you "
                                                 "may read")  # fmt: skip
    evidence: str
    evidence_url: str

    @staticmethod
    def resolve_outcomes(obj):
        return [o.pk for o in getattr(obj, "shown_outcomes", [])]


class TrailOut(Schema):
    id: int
    actor: str
    actor_organization: str | None = Field(None, description="slug")
    actor_type: str
    domain: str
    current_stage: str
    summary: str
    visibility: str
    version: int
    archived: bool
    updated_at: dt.datetime

    @staticmethod
    def resolve_actor(obj):
        return obj.actor_label

    @staticmethod
    def resolve_actor_organization(obj):
        return obj.actor_organization.slug if obj.actor_organization_id else None

    @staticmethod
    def resolve_archived(obj):
        return obj.archived_at is not None


class TrailDetailOut(TrailOut):
    steps: list[StepOut]

    @staticmethod
    def resolve_steps(obj):
        return obj.timeline


class TrailPage(Schema):
    count: int
    items: list[TrailOut]


class TrailFilters(Schema):
    q: str = ""
    domain: str = ""
    actor_type: str = ""
    stage: str = Field("", description="current stage, or 'none'")
    organization: str = Field("", description="slug of the actor")
    archived: str = Field("", description="1: archived trails")
    sort: str = "actor"
    limit: int = Field(25, ge=1, le=100)
    offset: int = Field(0, ge=0, le=MAX_OFFSET)


class TrailIn(Schema):
    actor_organization: str | None = Field(None, description="slug; or actor_name")
    actor_name: str = Field("", max_length=200)
    actor_type: str
    domain: str
    summary: str = Field("", max_length=10000)
    visibility: str = "network"


class TrailPatch(Schema):
    version: int
    actor_organization: str | None = Field(None, description="slug; null: use actor_name")
    actor_name: str | None = Field(None, max_length=200)
    actor_type: str | None = None
    domain: str | None = None
    summary: str | None = Field(None, max_length=10000)
    visibility: str | None = None


class VersionIn(Schema):
    version: int | None = Field(None, description="the version you read; 409 when stale")


class StepIn(Schema):
    stage: str
    reached_on: str = Field(..., description="YYYY-MM-DD")
    outcomes: list[int] = Field([], max_length=100, description="ids of outcome statements")
    evidence: str = Field("", max_length=10000)
    evidence_url: str = Field("", max_length=200)


class MoveOut(Schema):
    actor_type: str = ""
    domain: str = ""
    from_stage: str = Field(..., description="'' when it is the trail's first step")
    to_stage: str
    actors: int


class StandingOut(Schema):
    actor_type: str
    domain: str
    stages: dict[str, int]
    actors: int


class SystemChangeOut(Schema):
    year: int
    moves: list[MoveOut]
    totals: list[MoveOut]
    at_year_end: list[StandingOut]


class AlternativeIO(Schema):
    explanation: str = Field(..., max_length=10000)
    plausibility: str = Field(..., description="ruled_out, low, medium or high")
    reasoning: str = Field("", max_length=10000)


class ClaimOut(Schema):
    id: int
    outcome: int
    outcome_title: str
    offering: str | None = Field(None, description="slug")
    partner: str | None = Field(None, description="slug")
    claim: str
    evidence: str
    evidence_url: str
    confidence: str
    confidence_reason: str
    alternatives: list[AlternativeIO]
    version: int
    archived: bool
    created_at: dt.datetime

    @staticmethod
    def resolve_outcome(obj):
        return obj.outcome_id

    @staticmethod
    def resolve_outcome_title(obj):
        return obj.outcome.title

    @staticmethod
    def resolve_offering(obj):
        return obj.offering.slug if obj.offering_id else None

    @staticmethod
    def resolve_partner(obj):
        return obj.partner.slug if obj.partner_id else None

    @staticmethod
    def resolve_alternatives(obj):
        return list(obj.alternatives.all())

    @staticmethod
    def resolve_archived(obj):
        return obj.archived_at is not None


class ClaimPage(Schema):
    count: int
    items: list[ClaimOut]


class ClaimFilters(Schema):
    q: str = ""
    offering: str = Field("", description="slug")
    partner: str = Field("", description="slug")
    confidence: str = ""
    domain: str = Field("", description="domain of the outcome")
    outcome: str = Field("", description="id")
    archived: str = ""
    sort: str = "-created"
    limit: int = Field(25, ge=1, le=100)
    offset: int = Field(0, ge=0, le=MAX_OFFSET)


class ClaimIn(Schema):
    outcome: int
    offering: str | None = Field(None, description="slug; or partner")
    partner: str | None = Field(None, description="slug; or offering")
    claim: str = Field(..., max_length=20000)
    evidence: str = Field(..., max_length=20000)
    evidence_url: str = Field("", max_length=200)
    confidence: str
    confidence_reason: str = Field("", max_length=10000)
    alternatives: list[AlternativeIO] = Field([], max_length=20)


class ClaimPatch(Schema):
    version: int
    offering: str | None = None
    partner: str | None = None
    claim: str | None = Field(None, max_length=20000)
    evidence: str | None = Field(None, max_length=20000)
    evidence_url: str | None = Field(None, max_length=200)
    confidence: str | None = None
    confidence_reason: str | None = Field(None, max_length=10000)
    alternatives: list[AlternativeIO] | None = Field(None, max_length=20,
                                                     description="replaces all")  # fmt: skip


class PeriodQuery(Schema):
    period: str = Field("", description="all, this_year, last_year; or from/to")
    from_: str = Field("", alias="from", description="YYYY-MM-DD")
    to: str = Field("", description="YYYY-MM-DD")


class OverviewQuery(PeriodQuery):
    tab: str = Field("offerings", description="offerings or partners")
    q: str = ""
    type: str = Field("", description="type of offering")
    sort: str = ""
    limit: int = Field(25, ge=1, le=100)
    offset: int = Field(0, ge=0, le=MAX_OFFSET)


class OverviewRow(Schema):
    slug: str
    name: str
    offerings: int | None = None
    requests: int
    delivered: int
    ratings: int
    mean_usefulness: float | None
    outcomes: int


class OverviewPage(Schema):
    count: int
    period_from: dt.date | None
    period_to: dt.date | None
    items: list[OverviewRow]


class QuoteOut(Schema):
    text: str
    landscape: str
    offering: str
    usefulness: int
    given_at: dt.datetime


class NamedOut(Schema):
    id: int
    title: str
    status: str = ""
    occurred_on: dt.date | None = None


class ValueReportOut(Schema):
    kind: str
    slug: str
    name: str
    period_from: dt.date | None
    period_to: dt.date | None
    offerings: list[str]
    landscapes_requested: int
    landscapes_received: int
    requests: int
    requests_by_status: dict[str, int]
    delivered: int
    delivery_days_median: float | None
    delivery_days_quickest: int | None
    delivery_days_slowest: int | None
    expected_date_kept: int
    expected_date_missed: int
    ratings: int
    rating_distribution: dict[str, int]
    mean_usefulness: float | None
    would_recommend: int
    days_saved: float | None
    money_saved_usd: float | None
    quotes: list[QuoteOut]
    quote_count: int
    outcomes: list[NamedOut]
    outcome_count: int
    stories: list[NamedOut]
    story_count: int
    claims: list[ClaimOut]


# --- helpers ---------------------------------------------------------------------------------


def _organization(slug):
    from landhub.directory.models import Organization

    if not slug:
        return None
    organization = Organization.objects.active().filter(slug=slug).first()
    if organization is None:
        raise ValidationError({"actor_organization": ["No organization has this slug."]})
    return organization


def _subject(user, *, offering=None, partner=None):
    """Offering and partner of a claim by slug, among those ``user`` may see."""
    from landhub.coordination.selectors import visible_offerings
    from landhub.directory.models import Organization

    found = {}
    if offering:
        found["offering"] = visible_offerings(user).filter(slug=offering).first()
        if found["offering"] is None:
            raise ValidationError({"offering": ["No offering has this slug."]})
    if partner:
        found["partner"] = Organization.objects.visible_to(user).filter(slug=partner).first()
        if found["partner"] is None:
            raise ValidationError({"partner": ["No organization has this slug."]})
    return found


def _period(query: PeriodQuery):
    return value_period(query.period, query.from_, query.to)


def _number(value):
    return None if value is None else float(value)


# --- trails ----------------------------------------------------------------------------------


@router.get("/trails", response=TrailPage, summary="System change trails")
def list_trails(request, filters: Query[TrailFilters]):
    user = require_user(request)
    data = filters.dict()
    qs, _sort = sort_queryset(trail_list(user=user, filters=data), data["sort"], TRAIL_SORTS,
                              "actor")  # fmt: skip
    count, items = paged(qs, limit=data["limit"], offset=data["offset"])
    return {"count": count, "items": items}


@router.post("/trails", response={201: TrailDetailOut},
             summary="Start a trail for an actor and domain (hub staff, reviewers)")  # fmt: skip
def create_trail(request, payload: TrailIn):
    actor = require_user(request)
    trail = services.trail_create(
        actor=actor, actor_organization=_organization(payload.actor_organization),
        actor_name=payload.actor_name, actor_type=payload.actor_type, domain=payload.domain,
        summary=payload.summary, visibility=payload.visibility,
    )  # fmt: skip
    return Status(201, trail_detail(user=actor, pk=trail.pk))


@router.get("/trails/{trail_id}", response=TrailDetailOut, summary="A trail with its steps")
def get_trail(request, trail_id: int):
    return trail_detail(user=require_user(request), pk=trail_id)


@router.patch("/trails/{trail_id}", response=TrailDetailOut,
              summary="Change a trail (send the version; 409 when stale)")  # fmt: skip
def update_trail(request, trail_id: int, payload: TrailPatch):
    actor = require_user(request)
    trail = trail_detail(user=actor, pk=trail_id)
    given = payload.dict(exclude_unset=True)
    version = given.pop("version")
    if "actor_organization" in given:
        given["actor_organization"] = _organization(given["actor_organization"])
    for key in ("actor_name", "summary"):
        if key in given and given[key] is None:
            given[key] = ""
    for key in ("actor_type", "domain", "visibility"):
        if key in given and given[key] is None:
            raise ValidationError({key: ["This field cannot be null."]})
    services.trail_update(actor=actor, trail=trail, version=version, **given)
    return trail_detail(user=actor, pk=trail_id)


@router.post("/trails/{trail_id}/archive", response=TrailDetailOut,
             summary="Archive a trail (hub staff, reviewers)")  # fmt: skip
def archive_trail(request, trail_id: int, payload: VersionIn):
    actor = require_user(request)
    trail = trail_detail(user=actor, pk=trail_id)
    services.trail_archive(actor=actor, trail=trail, version=payload.version)
    return trail_detail(user=actor, pk=trail_id)


@router.post("/trails/{trail_id}/restore", response=TrailDetailOut,
             summary="Restore an archived trail (hub staff, reviewers)")  # fmt: skip
def restore_trail(request, trail_id: int, payload: VersionIn):
    actor = require_user(request)
    trail = trail_detail(user=actor, pk=trail_id)
    services.trail_restore(actor=actor, trail=trail, version=payload.version)
    return trail_detail(user=actor, pk=trail_id)


@router.post("/trails/{trail_id}/steps", response={201: TrailDetailOut},
             summary="Add a step (stage, date, outcome statements and/or evidence)")  # fmt: skip
def add_step(request, trail_id: int, payload: StepIn):
    actor = require_user(request)
    trail = trail_detail(user=actor, pk=trail_id)
    ids = list(dict.fromkeys(payload.outcomes))
    outcomes = list(readable_outcomes(actor).filter(pk__in=ids))
    if len(outcomes) != len(ids):
        raise ValidationError({"outcomes": ["Unknown outcome statement ids."]})
    services.step_add(actor=actor, trail=trail, stage=payload.stage,
                      reached_on=payload.reached_on, outcomes=outcomes,
                      evidence=payload.evidence, evidence_url=payload.evidence_url)  # fmt: skip
    return Status(201, trail_detail(user=actor, pk=trail_id))


@router.delete("/trails/{trail_id}/steps/{step_id}", response={204: None},
               summary="Remove a step recorded by mistake")  # fmt: skip
def remove_step(request, trail_id: int, step_id: int):
    actor = require_user(request)
    trail = trail_detail(user=actor, pk=trail_id)
    step = get_object_or_404(ChangeStep, pk=step_id, trail=trail)
    services.step_remove(actor=actor, step=step)
    return Status(204, None)


@router.get("/system-change", response=SystemChangeOut,
            summary="Moves between stages in a year and where actors stand at its end")  # fmt: skip
def get_system_change(request, year: int = Query(..., ge=1900, le=2200), domain: str = "",
                      actor_type: str = ""):  # fmt: skip
    user = require_user(request)
    summary = system_change_summary(user=user, year=year, domain=domain, actor_type=actor_type)
    stages = [value for value, _label in summary.stages]
    return {
        "year": summary.year,
        "moves": [{"actor_type": r["actor_type"], "domain": r["domain"], "from_stage": r["from"],
                   "to_stage": r["to"], "actors": r["n"]} for r in summary.transitions],
        "totals": [{"from_stage": r["from"], "to_stage": r["to"], "actors": r["n"]}
                   for r in summary.totals],
        "at_year_end": [{"actor_type": r["actor_type"], "domain": r["domain"],
                         "stages": dict(zip(stages, r["stages"], strict=True)),
                         "actors": r["n"]} for r in summary.at_year_end],
    }  # fmt: skip


# --- contribution claims ---------------------------------------------------------------------


@router.get("/claims", response=ClaimPage, summary="Contribution claims")
def list_claims(request, filters: Query[ClaimFilters]):
    user = require_user(request)
    data = filters.dict()
    qs, _sort = sort_queryset(claim_list(user=user, filters=data), data["sort"], CLAIM_SORTS,
                              "-created")  # fmt: skip
    count, items = paged(qs.prefetch_related("alternatives"), limit=data["limit"],
                         offset=data["offset"])  # fmt: skip
    return {"count": count, "items": items}


@router.post("/claims", response={201: ClaimOut},
             summary="Claim a contribution to an outcome, with alternatives")  # fmt: skip
def create_claim(request, payload: ClaimIn):
    actor = require_user(request)
    outcome = readable_outcomes(actor).filter(pk=payload.outcome).first()
    if outcome is None:
        raise ValidationError({"outcome": ["No outcome statement has this id."]})
    claim = services.claim_create(
        actor=actor, outcome=outcome, text=payload.claim, evidence=payload.evidence,
        evidence_url=payload.evidence_url, confidence=payload.confidence,
        confidence_reason=payload.confidence_reason,
        alternatives=[a.dict() for a in payload.alternatives],
        **_subject(actor, offering=payload.offering, partner=payload.partner),
    )  # fmt: skip
    return Status(201, claim_detail(user=actor, pk=claim.pk))


@router.get("/claims/{claim_id}", response=ClaimOut, summary="A contribution claim")
def get_claim(request, claim_id: int):
    return claim_detail(user=require_user(request), pk=claim_id)


@router.patch("/claims/{claim_id}", response=ClaimOut,
              summary="Change a claim (send the version; 409 when stale)")  # fmt: skip
def update_claim(request, claim_id: int, payload: ClaimPatch):
    actor = require_user(request)
    claim = claim_detail(user=actor, pk=claim_id)
    given = payload.dict(exclude_unset=True)
    version = given.pop("version")
    alternatives = given.pop("alternatives", None)
    if "offering" in given or "partner" in given:
        found = _subject(actor, offering=given.pop("offering", None),
                         partner=given.pop("partner", None))  # fmt: skip
        given["offering"] = found.get("offering")
        given["partner"] = found.get("partner")
    for key, value in list(given.items()):
        if value is None and key not in ("offering", "partner"):
            given[key] = ""
    if "claim" in given:
        given["text"] = given.pop("claim")
    services.claim_update(actor=actor, claim=claim, version=version,
                          alternatives=alternatives, **given)  # fmt: skip
    return claim_detail(user=actor, pk=claim_id)


@router.delete("/claims/{claim_id}", response={204: None},
               summary="Archive a claim (query: version)")  # fmt: skip
def archive_claim(request, claim_id: int, version: int | None = None):
    actor = require_user(request)
    claim = claim_detail(user=actor, pk=claim_id)
    services.claim_archive(actor=actor, claim=claim, version=version)
    return Status(204, None)


# --- value -----------------------------------------------------------------------------------


def _report_out(report) -> dict:
    f, d = report.figures, report.delivery
    subject = report.subject
    return {
        "kind": report.kind, "slug": subject.slug,
        "name": getattr(subject, "title", None) or subject.name,
        "period_from": report.period.start, "period_to": report.period.end,
        "offerings": [o.slug for o in report.offerings],
        "landscapes_requested": f["landscapes_requested"],
        "landscapes_received": f["landscapes_received"],
        "requests": f["requests"], "requests_by_status": f["by_status"],
        "delivered": f["delivered"],
        "delivery_days_median": _number(d["median"]),
        "delivery_days_quickest": d["quickest"], "delivery_days_slowest": d["slowest"],
        "expected_date_kept": f["expected"]["kept"],
        "expected_date_missed": f["expected"]["missed"],
        "ratings": f["ratings"],
        "rating_distribution": {str(k): v for k, v in f["distribution"].items()},
        "mean_usefulness": _number(f["mean_usefulness"]), "would_recommend": f["recommend"],
        "days_saved": _number(f["days_saved"]), "money_saved_usd": _number(f["money_saved_usd"]),
        "quotes": f["quotes"], "quote_count": f["quote_count"],
        "outcomes": [{"id": o.pk, "title": o.title, "status": o.status,
                      "occurred_on": o.occurred_on} for o in report.outcomes],
        "outcome_count": report.outcome_count,
        "stories": [{"id": s.pk, "title": s.title, "occurred_on": s.told_on}
                    for s in report.stories],
        "story_count": report.story_count,
        "claims": report.claims,
    }  # fmt: skip


@router.get("/value/offerings/{slug}", response=ValueReportOut,
            summary="Value report of an offering for a period")  # fmt: skip
def get_offering_value(request, slug: str, period: Query[PeriodQuery]):
    user = require_user(request)
    return _report_out(value_report(user=user, kind="offering", slug=slug,
                                    period=_period(period)))  # fmt: skip


@router.get("/value/partners/{slug}", response=ValueReportOut,
            summary="Value report of a provider partner for a period")  # fmt: skip
def get_partner_value(request, slug: str, period: Query[PeriodQuery]):
    user = require_user(request)
    return _report_out(value_report(user=user, kind="partner", slug=slug,
                                    period=_period(period)))  # fmt: skip


@router.get("/value", response=OverviewPage,
            summary="Value overview of offerings or partners")  # fmt: skip
def get_value_overview(request, query: Query[OverviewQuery]):
    user = require_user(request)
    period = _period(query)
    tab = "partners" if query.tab == "partners" else "offerings"
    qs, _sort = value_overview(user=user, tab=tab, period=period, sort=query.sort,
                               filters={"q": query.q, "type": query.type})  # fmt: skip
    count, items = paged(qs, limit=query.limit, offset=query.offset)
    rows = [{"slug": i.slug, "name": getattr(i, "title", None) or i.name,
             "offerings": getattr(i, "value_offerings", None), "requests": i.value_requests,
             "delivered": i.value_delivered, "ratings": i.value_ratings,
             "mean_usefulness": i.value_mean_rating, "outcomes": i.value_outcomes}
            for i in items]  # fmt: skip
    return {"count": count, "period_from": period.start, "period_to": period.end, "items": rows}
