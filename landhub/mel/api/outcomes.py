"""API of outcome harvesting (``/api/v1/mel/outcomes…``).

Same selectors and services as the pages: the register with its filters (limit/offset), one
statement with its substantiations, create, change (409 on a stale ``version``), the
transitions, asking for substantiation, and the dashboard's counts. Related records are named
as elsewhere in the API: landscapes, partners and offerings by slug, the actor organization by
slug, countries by ISO code, activities by id, tags as ``vocabulary:slug`` (``sdg:sdg-15``).
The substantiator answers on the public page, not through the API.
"""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import ValidationError
from ninja import Field, Query, Router, Schema, Status

from landhub.core.lists import sort_queryset
from landhub.directory.api.common import MAX_OFFSET, paged, require_user

from .. import services
from ..selectors.outcomes import OUTCOME_SORTS, outcome_counts, outcome_detail, outcome_list

router = Router(tags=["mel"])

BASE = "/outcomes"


class SubstantiationOut(Schema):
    id: int
    name: str
    affiliation: str
    language: str
    expires_at: dt.datetime
    statement_agreement: str
    contribution_agreement: str
    comment: str
    answered_at: dt.datetime | None


class OutcomeOut(Schema):
    id: int
    title: str
    status: str
    actor_organization: str | None = Field(None, description="slug")
    actor_name: str
    actor_type: str
    change_type: str
    domain: str
    occurred_on: dt.date
    is_global: bool
    landscapes: list[str] = Field(..., description="slugs")
    countries: list[str] = Field(..., description="ISO codes")
    intended: bool
    effect: str
    significance_level: str
    visibility: str
    substantiated_at: dt.datetime | None
    published_at: dt.datetime | None
    archived_at: dt.datetime | None
    version: int
    url: str

    @staticmethod
    def resolve_actor_organization(obj):
        return obj.actor_organization.slug if obj.actor_organization_id else None

    @staticmethod
    def resolve_landscapes(obj):
        return [ls.slug for ls in obj.landscapes.all()]

    @staticmethod
    def resolve_countries(obj):
        return [c.code for c in obj.countries.all()]

    @staticmethod
    def resolve_url(obj):
        return obj.get_absolute_url()


class OutcomeDetailOut(OutcomeOut):
    description: str
    significance: str
    contribution: str
    review_comment: str
    contributing_partners: list[str] = Field(..., description="slugs")
    offerings: list[str] = Field(..., description="slugs")
    activities: list[int]
    tags: list[str] = Field(..., description="vocabulary:slug")
    substantiations: list[SubstantiationOut]

    @staticmethod
    def resolve_contributing_partners(obj):
        return [o.slug for o in obj.contributing_partners.all()]

    @staticmethod
    def resolve_offerings(obj):
        return [o.slug for o in obj.offerings.all()]

    @staticmethod
    def resolve_activities(obj):
        return [a.pk for a in obj.activities.all()]

    @staticmethod
    def resolve_tags(obj):
        return [f"{t.vocabulary}:{t.slug}" for t in obj.tags.all()]

    @staticmethod
    def resolve_substantiations(obj):
        return obj.substantiation_rows


class OutcomePage(Schema):
    count: int
    items: list[OutcomeOut]


class OutcomeFilters(Schema):
    q: str = ""
    status: str = Field("", description="draft, under_review, substantiated or published")
    domain: str = ""
    change_type: str = ""
    actor_type: str = ""
    region: str = Field("", description="a UN M49 region, or 'global'")
    country: str = Field("", description="ISO code")
    landscape: str = Field("", description="slug")
    partner: str = Field("", description="slug of a contributing partner")
    offering: str = Field("", description="slug of a contributing offering")
    intended: str = Field("", description="yes or no")
    effect: str = Field("", description="positive or negative")
    significance: str = Field("", description="low, medium or high")
    tag: str = Field("", description="slug of a term")
    year: str = ""
    date_from: str = Field("", description="YYYY-MM-DD")
    date_to: str = Field("", description="YYYY-MM-DD")
    archived: str = Field("", description="1: archived ones instead")
    sort: str = "-occurred"
    limit: int = Field(25, ge=1, le=100)
    offset: int = Field(0, ge=0, le=MAX_OFFSET)


class OutcomeIn(Schema):
    title: str = Field(..., max_length=200)
    description: str = Field(..., max_length=20_000)
    actor_organization: str | None = Field(None, description="slug")
    actor_name: str = Field("", max_length=200)
    actor_type: str
    change_type: str
    domain: str
    occurred_on: str = Field(..., description="YYYY-MM-DD")
    is_global: bool = False
    landscapes: list[str] = Field([], max_length=200)
    countries: list[str] = Field([], max_length=250)
    intended: bool = True
    effect: str = "positive"
    significance_level: str = "medium"
    significance: str = Field("", max_length=20_000)
    contribution: str = Field(..., max_length=20_000)
    contributing_partners: list[str] = Field([], max_length=100)
    offerings: list[str] = Field([], max_length=100)
    activities: list[int] = Field([], max_length=100)
    tags: list[str] = Field([], max_length=100)
    visibility: str = "network"


class OutcomePatch(Schema):
    version: int
    reason: str = Field("", max_length=100, description="needed for a published outcome")
    title: str | None = Field(None, max_length=200)
    description: str | None = Field(None, max_length=20_000)
    actor_organization: str | None = None
    actor_name: str | None = Field(None, max_length=200)
    actor_type: str | None = None
    change_type: str | None = None
    domain: str | None = None
    occurred_on: str | None = None
    is_global: bool | None = None
    landscapes: list[str] | None = Field(None, max_length=200)
    countries: list[str] | None = Field(None, max_length=250)
    intended: bool | None = None
    effect: str | None = None
    significance_level: str | None = None
    significance: str | None = Field(None, max_length=20_000)
    contribution: str | None = Field(None, max_length=20_000)
    contributing_partners: list[str] | None = Field(None, max_length=100)
    offerings: list[str] | None = Field(None, max_length=100)
    activities: list[int] | None = Field(None, max_length=100)
    tags: list[str] | None = Field(None, max_length=100)
    visibility: str | None = None


class VersionIn(Schema):
    version: int | None = None


class ReturnIn(Schema):
    version: int | None = None
    comment: str = Field(..., max_length=5000)


class SubstantiationIn(Schema):
    name: str = Field(..., max_length=200)
    email: str = Field(..., max_length=254)
    affiliation: str = Field("", max_length=200)
    language: str = "en"


class CountRow(Schema):
    key: str
    label: str
    count: int


class CountsOut(Schema):
    total: int
    statuses: list[str]
    per: str
    by_domain: list[CountRow]
    by_change_type: list[CountRow]
    by_region: list[CountRow]
    by_time: list[CountRow]
    by_tag: list[CountRow]


def _resolve(user, data: dict) -> dict:
    """Names of related records → the records the user may see; unknown names are field
    errors (a hidden record reads as unknown)."""
    from landhub.coordination.models import Activity
    from landhub.coordination.selectors import visible_offerings
    from landhub.directory.models import Country, Landscape, Organization, Term

    errors: dict = {}
    out = dict(data)

    def many(key, qs, field, cast=str):
        if key not in data or data[key] is None:
            out.pop(key, None)
            return
        wanted = list(dict.fromkeys(cast(v) for v in data[key]))
        found = {getattr(r, field): r for r in qs.filter(**{f"{field}__in": wanted})}
        missing = [str(v) for v in wanted if v not in found]
        if missing:
            errors[key] = ["Unknown: " + ", ".join(missing)]
        out[key] = [found[v] for v in wanted if v in found]

    organizations = Organization.objects.visible_to(user).active()
    many("landscapes", Landscape.objects.visible_to(user).active(), "slug")
    many("countries", Country.objects.all(), "code", lambda v: str(v).upper())
    many("contributing_partners", organizations, "slug")
    many("offerings", visible_offerings(user), "slug")
    if data.get("activities"):  # ids beyond the databases' integers are simply unknown
        data = {**data, "activities": [i if 0 < i < 2**63 else 0 for i in data["activities"]]}
    many("activities", Activity.objects.visible_to(user).active(), "pk", int)
    if data.get("tags") is not None:
        tags = []
        for raw in data["tags"]:
            vocabulary, _sep, slug = str(raw).partition(":")
            term = Term.objects.filter(vocabulary=vocabulary, slug=slug).first()
            if term is None:
                errors.setdefault("tags", []).append(f"Unknown: {raw}")
            else:
                tags.append(term)
        out["tags"] = tags
    else:
        out.pop("tags", None)
    if "actor_organization" in data:
        slug = data["actor_organization"]
        out["actor_organization"] = None
        if slug:
            out["actor_organization"] = organizations.filter(slug=slug).first()
            if out["actor_organization"] is None:
                errors["actor_organization"] = [f"Unknown: {slug}"]
    if errors:
        raise ValidationError(errors)
    return out


@router.get(BASE, response=OutcomePage, summary="The outcome register (same filters as the page)")
def list_outcomes(request, filters: Query[OutcomeFilters]):
    data = filters.dict()
    qs, _sort = sort_queryset(outcome_list(user=request.user, filters=data), data["sort"],
                              OUTCOME_SORTS, "-occurred")  # fmt: skip
    count, items = paged(qs.prefetch_related("landscapes", "countries"), limit=data["limit"],
                         offset=data["offset"])  # fmt: skip
    return {"count": count, "items": items}


@router.get(
    f"{BASE}/dashboard", response=CountsOut,
    summary="Counts by domain, change type, region and time (query: filters, per)",
)  # fmt: skip
def outcome_dashboard(request, filters: Query[OutcomeFilters], per: str = "year"):
    counts = outcome_counts(user=request.user, filters=filters.dict(), per=per)

    def rows(items):
        return [{"key": str(k), "label": str(label), "count": n} for k, label, n in items]

    return {"total": counts.total, "statuses": counts.statuses, "per": counts.per,
            "by_domain": rows(counts.by_domain), "by_change_type": rows(counts.by_change_type),
            "by_region": rows(counts.by_region), "by_time": rows(counts.by_time),
            "by_tag": rows(counts.by_tag)}  # fmt: skip


@router.post(BASE, response={201: OutcomeDetailOut}, summary="Record an outcome (a draft)")
def create_outcome(request, payload: OutcomeIn):
    actor = require_user(request)
    from landhub.mel.rules import can

    if not can(actor, "mel.record_outcome"):
        services.outcome_create(actor=actor)  # raises PermissionDenied with the message
    fields = _resolve(actor, payload.dict())
    outcome = services.outcome_create(actor=actor, **fields)
    return Status(201, outcome_detail(user=actor, pk=outcome.pk))


@router.get(f"{BASE}/{{outcome_id}}", response=OutcomeDetailOut,
            summary="One outcome statement with its substantiations")  # fmt: skip
def get_outcome(request, outcome_id: int):
    return outcome_detail(user=request.user, pk=outcome_id)


@router.patch(
    f"{BASE}/{{outcome_id}}", response=OutcomeDetailOut,
    summary="Change an outcome (send the version; a published one needs a reason)",
)  # fmt: skip
def update_outcome(request, outcome_id: int, payload: OutcomePatch):
    actor = require_user(request)
    outcome = outcome_detail(user=actor, pk=outcome_id)
    given = payload.dict(exclude_unset=True)
    version, reason = given.pop("version"), given.pop("reason", "")
    # A null text or choice means "leave it"; only the actor organization may be cleared.
    given = {k: v for k, v in given.items() if v is not None or k == "actor_organization"}
    fields = _resolve(actor, given)
    services.outcome_update(actor=actor, outcome=outcome, version=version, reason=reason,
                            **fields)  # fmt: skip
    return outcome_detail(user=actor, pk=outcome_id)


def _transition(request, outcome_id: int, service, **kwargs):
    actor = require_user(request)
    outcome = outcome_detail(user=actor, pk=outcome_id)
    service(actor=actor, outcome=outcome, **kwargs)
    return outcome_detail(user=actor, pk=outcome_id)


@router.post(f"{BASE}/{{outcome_id}}/submit", response=OutcomeDetailOut,
             summary="Draft → under review (its author or a reviewer)")  # fmt: skip
def submit_outcome(request, outcome_id: int, payload: VersionIn):
    return _transition(request, outcome_id, services.outcome_submit, version=payload.version)


@router.post(f"{BASE}/{{outcome_id}}/return", response=OutcomeDetailOut,
             summary="Under review → draft, with a comment (reviewers)")  # fmt: skip
def return_outcome(request, outcome_id: int, payload: ReturnIn):
    return _transition(request, outcome_id, services.outcome_return, version=payload.version,
                       comment=payload.comment)  # fmt: skip


@router.post(
    f"{BASE}/{{outcome_id}}/substantiations", response={201: SubstantiationOut},
    summary="Ask an independent person to substantiate it (reviewers; e-mails a link)",
)  # fmt: skip
def request_substantiation(request, outcome_id: int, payload: SubstantiationIn):
    actor = require_user(request)
    outcome = outcome_detail(user=actor, pk=outcome_id)
    substantiation, _token = services.substantiation_request(actor=actor, outcome=outcome,
                                                             **payload.dict())  # fmt: skip
    return Status(201, substantiation)


@router.post(f"{BASE}/{{outcome_id}}/substantiate", response=OutcomeDetailOut,
             summary="Under review → substantiated, once an answer is in (reviewers)")  # fmt: skip
def substantiate_outcome(request, outcome_id: int, payload: VersionIn):
    return _transition(request, outcome_id, services.outcome_substantiate,
                       version=payload.version)  # fmt: skip


@router.post(f"{BASE}/{{outcome_id}}/publish", response=OutcomeDetailOut,
             summary="Substantiated → published (reviewers)")  # fmt: skip
def publish_outcome(request, outcome_id: int, payload: VersionIn):
    return _transition(request, outcome_id, services.outcome_publish, version=payload.version)


@router.post(f"{BASE}/{{outcome_id}}/archive", response=OutcomeDetailOut,
             summary="Archive (its author a draft; reviewers any)")  # fmt: skip
def archive_outcome(request, outcome_id: int, payload: VersionIn):
    return _transition(request, outcome_id, services.outcome_archive, version=payload.version)
