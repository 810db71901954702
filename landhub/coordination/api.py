"""Coordination API: the catalog of offerings (list with facets, read, create, edit, review)."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal

from django.shortcuts import get_object_or_404
from ninja import Field, File, Form, Query, Router, Schema, Status
from ninja.files import UploadedFile

from landhub.core.lists import sort_queryset
from landhub.directory.api.common import MAX_OFFSET, paged, patch_values, require_user

from . import services
from .models import Offering
from .selectors import (
    OFFERING_SORTS,
    get_offering_for,
    offering_detail,
    offering_facets,
    offering_list,
)

router = Router(tags=["coordination"])


class ProviderOut(Schema):
    organization: str
    name: str
    lead: bool

    @staticmethod
    def resolve_organization(obj):
        return obj.organization.slug

    @staticmethod
    def resolve_name(obj):
        return obj.organization.name

    @staticmethod
    def resolve_lead(obj):
        return obj.is_lead


class OfferingOut(Schema):
    id: int
    slug: str
    title: str
    summary: str
    type: str
    status: str
    providers: list[ProviderOut]
    capabilities: list[str]
    languages: list[str]
    is_global: bool
    regions: list[str]
    cost: str
    delivery_format: str
    visibility: str
    version: int
    updated_at: datetime
    published_at: datetime | None
    url: str

    @staticmethod
    def resolve_providers(obj):
        return list(obj.provider_links.all())

    @staticmethod
    def resolve_capabilities(obj):
        return [t.slug for t in obj.capabilities.all()]

    @staticmethod
    def resolve_languages(obj):
        return obj.language_codes

    @staticmethod
    def resolve_regions(obj):
        return obj.region_names

    @staticmethod
    def resolve_url(obj):
        return obj.get_absolute_url()


class LinkOut(Schema):
    id: int
    title: str
    url: str


class LinkIn(Schema):
    title: str = Field(..., max_length=200)
    url: str = Field(..., max_length=200)


class AttachmentOut(Schema):
    id: int
    title: str
    file_name: str = Field(..., alias="original_name")
    content_type: str
    size: int
    url: str = Field(..., description="Download (same visibility as the offering)")

    @staticmethod
    def resolve_url(obj):
        return obj.get_absolute_url()


class OfferingDetailOut(OfferingOut):
    description: str
    themes: list[str]
    ilm_elements: list[str]
    countries: list[str]
    eligibility: str
    access_mode: str
    access_url: str
    access_contact: str
    review_comment: str
    links: list[LinkOut]
    attachments: list[AttachmentOut]

    @staticmethod
    def resolve_themes(obj):
        return [t.slug for t in obj.themes.all()]

    @staticmethod
    def resolve_ilm_elements(obj):
        return [t.slug for t in obj.ilm_elements.all()]

    @staticmethod
    def resolve_countries(obj):
        return [c.code for c in obj.countries.all()]

    @staticmethod
    def resolve_links(obj):
        return list(obj.links.all())

    @staticmethod
    def resolve_attachments(obj):
        return list(obj.attachments.all())


class FacetValue(Schema):
    value: str
    label: str
    count: int


class OfferingPage(Schema):
    count: int
    items: list[OfferingOut]
    facets: dict[str, list[FacetValue]]


class OfferingFilters(Schema):
    q: str = ""
    type: str = ""
    capability: str = ""
    theme: str = ""
    ilm_element: str = ""
    provider: str = ""
    language: str = ""
    region: str = ""
    country: str = ""
    cost: str = ""
    format: str = ""
    status: str = ""
    sort: str = "title"
    limit: int = Field(25, ge=1, le=100)
    offset: int = Field(0, ge=0, le=MAX_OFFSET)


class OfferingIn(Schema):
    title: str = Field(..., min_length=3, max_length=200)
    summary: str = Field(..., min_length=3, max_length=300)
    type: str
    providers: list[str] = Field(..., min_length=1, description="organization slugs")
    lead_provider: str | None = None
    description: str = ""
    capabilities: list[str] = []
    themes: list[str] = []
    ilm_elements: list[str] = []
    is_global: bool = False
    regions: list[str] = []
    countries: list[str] = []
    languages: list[str] = []
    delivery_format: str = "online"
    cost: str = "free"
    eligibility: str = ""
    access_mode: str = "hub"
    access_url: str = ""
    access_contact: str = ""
    visibility: str = "public"


class OfferingPatch(Schema):
    version: int
    title: str | None = Field(None, min_length=3, max_length=200)
    summary: str | None = Field(None, min_length=3, max_length=300)
    type: str | None = None
    providers: list[str] | None = None
    lead_provider: str | None = None
    description: str | None = None
    capabilities: list[str] | None = None
    themes: list[str] | None = None
    ilm_elements: list[str] | None = None
    is_global: bool | None = None
    regions: list[str] | None = None
    countries: list[str] | None = None
    languages: list[str] | None = None
    delivery_format: str | None = None
    cost: str | None = None
    eligibility: str | None = None
    access_mode: str | None = None
    access_url: str | None = None
    access_contact: str | None = None
    visibility: str | None = None


class TransitionIn(Schema):
    version: int
    comment: str = Field("", max_length=2000)


@router.get("", response=OfferingPage, summary="The catalog, with facet counts")
def list_offerings(request, filters: Query[OfferingFilters]):
    data = filters.dict()
    as_text = {k: str(v) for k, v in data.items()}
    qs, _sort = sort_queryset(
        offering_list(user=request.user, filters=as_text), data["sort"], OFFERING_SORTS, "title"
    )
    count, items = paged(qs, limit=data["limit"], offset=data["offset"])
    facets = {
        name: [{"value": v, "label": str(label), "count": n} for v, label, n in values]
        for name, values in offering_facets(user=request.user, filters=as_text).items()
    }
    return {"count": count, "items": items, "facets": facets}


@router.post("", response={201: OfferingDetailOut}, summary="Draft an offering")
def create_offering(request, payload: OfferingIn):
    actor = require_user(request)
    data = payload.dict()
    offering = services.offering_create(
        actor=actor, title=data.pop("title"), providers=data.pop("providers"), **data
    )
    return Status(201, offering_detail(user=actor, slug=offering.slug))


@router.get("/{slug}", response=OfferingDetailOut, summary="One offering")
def get_offering(request, slug: str):
    return offering_detail(user=request.user, slug=slug)


@router.patch("/{slug}", response=OfferingDetailOut, summary="Update (send the version)")
def update_offering(request, slug: str, payload: OfferingPatch):
    actor = require_user(request)
    offering = get_offering_for(actor, "coordination.change_offering", slug)
    data = patch_values(Offering, payload.dict(exclude_unset=True))
    version = data.pop("version")
    services.offering_update(actor=actor, offering=offering, version=version, **data)
    return offering_detail(user=actor, slug=slug)


@router.post("/{slug}/links", response={201: LinkOut},
             summary="Add a link (providers' staff, hub staff)")  # fmt: skip
def add_link(request, slug: str, payload: LinkIn):
    actor = require_user(request)
    offering = get_offering_for(actor, "coordination.change_offering", slug)
    return Status(201, services.link_add(actor=actor, offering=offering, **payload.dict()))


@router.delete("/{slug}/links/{link_id}", response={204: None}, summary="Remove a link")
def remove_link(request, slug: str, link_id: int):
    actor = require_user(request)
    offering = get_offering_for(actor, "coordination.change_offering", slug)
    services.link_remove(actor=actor, link=get_object_or_404(offering.links, pk=link_id))
    return Status(204, None)


@router.post(
    "/{slug}/attachments", response={201: AttachmentOut},
    summary="Attach a file (multipart: file, title); PDF, office, CSV, text, PNG or JPEG",
)  # fmt: skip
def add_attachment(request, slug: str, file: File[UploadedFile], title: Form[str] = ""):
    actor = require_user(request)
    offering = get_offering_for(actor, "coordination.change_offering", slug)
    attachment = services.attachment_add(actor=actor, offering=offering, title=title,
                                         upload=file)  # fmt: skip
    return Status(201, attachment)


@router.get("/{slug}/attachments/{attachment_id}", summary="Download a file",
            response={200: None})  # fmt: skip
def download_attachment(request, slug: str, attachment_id: int):
    from .views import attachment_download

    return attachment_download(request, slug, attachment_id)


@router.delete("/{slug}/attachments/{attachment_id}", response={204: None},
               summary="Remove a file")  # fmt: skip
def remove_attachment(request, slug: str, attachment_id: int):
    actor = require_user(request)
    offering = get_offering_for(actor, "coordination.change_offering", slug)
    attachment = get_object_or_404(offering.attachments, pk=attachment_id)
    services.attachment_remove(actor=actor, attachment=attachment)
    return Status(204, None)


def _transition(request, slug: str, action: str, payload: TransitionIn):
    actor = require_user(request)
    offering = get_offering_for(actor, "view", slug)
    services.offering_transition(actor=actor, offering=offering, action=action,
                                 version=payload.version, comment=payload.comment)  # fmt: skip
    return offering_detail(user=actor, slug=slug)


@router.post("/{slug}/submit", response=OfferingDetailOut, summary="Submit for review")
def submit_offering(request, slug: str, payload: TransitionIn):
    return _transition(request, slug, "submit", payload)


@router.post("/{slug}/publish", response=OfferingDetailOut, summary="Publish (hub staff)")
def publish_offering(request, slug: str, payload: TransitionIn):
    return _transition(request, slug, "publish", payload)


@router.post("/{slug}/return", response=OfferingDetailOut,
             summary="Return to the providers with a comment (hub staff)")  # fmt: skip
def return_offering(request, slug: str, payload: TransitionIn):
    return _transition(request, slug, "return", payload)


@router.post("/{slug}/retire", response=OfferingDetailOut, summary="Retire (hub staff)")
def retire_offering(request, slug: str, payload: TransitionIn):
    return _transition(request, slug, "retire", payload)


@router.post("/{slug}/reopen", response=OfferingDetailOut,
             summary="Publish a retired offering again (hub staff)")  # fmt: skip
def reopen_offering(request, slug: str, payload: TransitionIn):
    return _transition(request, slug, "reopen", payload)


# --- Service requests ------------------------------------------------------------------------

requests_router = Router(tags=["coordination"])


class FeedbackOut(Schema):
    usefulness: int
    what_changed: str
    would_recommend: bool
    days_saved: float | None
    money_saved_usd: float | None


class RequestOut(Schema):
    id: int
    offering: str
    landscape: str
    need: int | None
    message: str
    status: str
    overdue: bool
    answer: str
    expected_by: date | None
    created_at: datetime
    version: int
    feedback: FeedbackOut | None
    url: str

    @staticmethod
    def resolve_offering(obj):
        return obj.offering.slug

    @staticmethod
    def resolve_landscape(obj):
        return obj.landscape.slug

    @staticmethod
    def resolve_need(obj):
        return obj.need_id

    @staticmethod
    def resolve_overdue(obj):
        return obj.is_overdue

    @staticmethod
    def resolve_feedback(obj):
        return getattr(obj, "feedback", None)

    @staticmethod
    def resolve_url(obj):
        return obj.get_absolute_url()


class RequestPage(Schema):
    count: int
    items: list[RequestOut]


class RequestFilters(Schema):
    scope: str = Field("mine", description="mine, to_us or all (hub staff)")
    status: str = ""
    offering: str = ""
    landscape: str = ""
    overdue: str = ""
    limit: int = Field(25, ge=1, le=100)
    offset: int = Field(0, ge=0, le=MAX_OFFSET)


class RequestIn(Schema):
    offering: str
    landscape: str
    need: int | None = None
    message: str = Field(..., max_length=4000)


class RequestActionIn(Schema):
    version: int
    answer: str = Field("", max_length=4000)
    expected_by: date | None = None


class FeedbackIn(Schema):
    usefulness: int = Field(..., ge=1, le=5)
    what_changed: str = Field(..., min_length=1, max_length=4000)
    would_recommend: bool
    days_saved: Decimal | None = Field(None, ge=0, le=999999)
    money_saved_usd: Decimal | None = Field(None, ge=0, le=9999999999)


@requests_router.get("", response=RequestPage, summary="Requests you take part in")
def list_requests(request, filters: Query[RequestFilters]):
    from .selectors import request_list

    actor = require_user(request)
    data = filters.dict()
    qs = request_list(user=actor, scope=data["scope"],
                      filters={k: str(v) for k, v in data.items()})  # fmt: skip
    count, items = paged(qs.order_by("-created_at", "-pk"), limit=data["limit"],
                         offset=data["offset"])  # fmt: skip
    return {"count": count, "items": items}


@requests_router.post("", response={201: RequestOut}, summary="Request an offering")
def create_request(request, payload: RequestIn):
    from django.core.exceptions import ValidationError

    from landhub.directory.models import LandscapeNeed
    from landhub.directory.selectors.landscapes import landscape_detail

    from .selectors import request_detail

    actor = require_user(request)
    offering = get_offering_for(actor, "view", payload.offering)
    landscape = landscape_detail(user=actor, slug=payload.landscape, include_archived=False)
    need = None
    if payload.need is not None:
        need = LandscapeNeed.objects.filter(pk=payload.need, landscape=landscape).first()
        if need is None:
            raise ValidationError({"need": "Choose one of this landscape's needs."})
    created = services.request_create(actor=actor, landscape=landscape, offering=offering,
                                      need=need, message=payload.message)  # fmt: skip
    return Status(201, request_detail(user=actor, pk=created.pk))


@requests_router.get("/{request_id}", response=RequestOut, summary="One request")
def get_request(request, request_id: int):
    from .selectors import request_detail

    return request_detail(user=require_user(request), pk=request_id)


def _request_action(request, request_id: int, action: str, payload: RequestActionIn):
    from .selectors import request_detail

    actor = require_user(request)
    service_request = request_detail(user=actor, pk=request_id)
    services.request_transition(actor=actor, request=service_request, action=action,
                                version=payload.version, answer=payload.answer,
                                expected_by=payload.expected_by)  # fmt: skip
    return request_detail(user=actor, pk=request_id)


@requests_router.post("/{request_id}/accept", response=RequestOut,
                      summary="Accept (providers), with an expected delivery date")  # fmt: skip
def accept_request(request, request_id: int, payload: RequestActionIn):
    return _request_action(request, request_id, "accept", payload)


@requests_router.post("/{request_id}/start", response=RequestOut, summary="Start (providers)")
def start_request(request, request_id: int, payload: RequestActionIn):
    return _request_action(request, request_id, "start", payload)


@requests_router.post("/{request_id}/deliver", response=RequestOut,
                      summary="Mark delivered (providers)")  # fmt: skip
def deliver_request(request, request_id: int, payload: RequestActionIn):
    return _request_action(request, request_id, "deliver", payload)


@requests_router.post("/{request_id}/decline", response=RequestOut,
                      summary="Decline with a reason in `answer` (providers)")  # fmt: skip
def decline_request(request, request_id: int, payload: RequestActionIn):
    return _request_action(request, request_id, "decline", payload)


@requests_router.post("/{request_id}/withdraw", response=RequestOut,
                      summary="Withdraw (the landscape's leaders)")  # fmt: skip
def withdraw_request(request, request_id: int, payload: RequestActionIn):
    return _request_action(request, request_id, "withdraw", payload)


@requests_router.put("/{request_id}/feedback", response=RequestOut,
                     summary="Value feedback after delivery (the landscape's leaders)")  # fmt: skip
def give_feedback(request, request_id: int, payload: FeedbackIn):
    from .selectors import request_detail

    actor = require_user(request)
    service_request = request_detail(user=actor, pk=request_id)
    services.feedback_give(actor=actor, request=service_request, **payload.dict())
    return request_detail(user=actor, pk=request_id)


# --- Recommendations -------------------------------------------------------------------------


class RecommendationOut(Schema):
    offering: OfferingOut
    score: float
    reasons: list[str]


class DismissIn(Schema):
    offering: str
    reason: str = Field(..., description="not_relevant, already_have, not_now or other")
    note: str = Field("", max_length=300)


class RestoreIn(Schema):
    offering: str


def _landscape_for(user, slug: str):
    from landhub.directory.selectors.landscapes import landscape_detail

    return landscape_detail(user=user, slug=slug, include_archived=False)


@router.get(
    "/recommended/{landscape}", response=list[RecommendationOut],
    summary="Offerings recommended for a landscape, best first, with the reasons",
)  # fmt: skip
def recommended(request, landscape: str, limit: int = Query(10, ge=1, le=50)):
    from .matching import recommended_offerings

    target = _landscape_for(request.user, landscape)
    return recommended_offerings(user=request.user, landscape=target, limit=limit)


@router.post(
    "/recommended/{landscape}/dismiss", response={204: None},
    summary="Set a recommendation aside, with a reason (the landscape's leaders)",
)  # fmt: skip
def dismiss(request, landscape: str, payload: DismissIn):
    from landhub.directory.models import Landscape

    actor = require_user(request)
    target = Landscape.objects.get(pk=_landscape_for(actor, landscape).pk)
    offering = get_offering_for(actor, "view", payload.offering)
    services.recommendation_dismiss(actor=actor, landscape=target, offering=offering,
                                    reason=payload.reason, note=payload.note)  # fmt: skip
    return Status(204, None)


@router.post("/recommended/{landscape}/restore", response={204: None},
             summary="Recommend a set-aside offering again (the landscape's leaders)")  # fmt: skip
def restore(request, landscape: str, payload: RestoreIn):
    from landhub.directory.models import Landscape

    actor = require_user(request)
    target = Landscape.objects.get(pk=_landscape_for(actor, landscape).pk)
    offering = get_offering_for(actor, "view", payload.offering)
    services.recommendation_restore(actor=actor, landscape=target, offering=offering)
    return Status(204, None)


# --- Activities --------------------------------------------------------------------------------

activities_router = Router(tags=["coordination"])


class OverlapOut(Schema):
    id: int
    activity: int
    title: str
    coordinated: bool
    note: str


class ActivityOut(Schema):
    id: int
    title: str
    description: str
    type: str
    status: str
    starts_on: date
    ends_on: date
    organizations: list[str]
    landscapes: list[str]
    visibility: str
    version: int
    url: str

    @staticmethod
    def resolve_organizations(obj):
        return [o.slug for o in obj.organizations.all()]

    @staticmethod
    def resolve_landscapes(obj):
        return [ls.slug for ls in obj.landscapes.all()]

    @staticmethod
    def resolve_url(obj):
        return obj.get_absolute_url()


class ActivityDetailOut(ActivityOut):
    capabilities: list[str]
    themes: list[str]
    overlaps: list[OverlapOut]

    @staticmethod
    def resolve_capabilities(obj):
        return [t.slug for t in obj.capabilities.all()]

    @staticmethod
    def resolve_themes(obj):
        return [t.slug for t in obj.themes.all()]

    @staticmethod
    def resolve_overlaps(obj):
        return [{"id": o.pk, "activity": other.pk, "title": other.title,
                 "coordinated": o.coordinated_at is not None, "note": o.note}
                for o, other in getattr(obj, "overlaps", [])]  # fmt: skip


class ActivityPage(Schema):
    count: int
    items: list[ActivityOut]


class ActivityFilters(Schema):
    q: str = ""
    type: str = ""
    status: str = ""
    landscape: str = ""
    organization: str = ""
    capability: str = ""
    theme: str = ""
    month: str = Field("", description="YYYY-MM")
    limit: int = Field(25, ge=1, le=100)
    offset: int = Field(0, ge=0, le=MAX_OFFSET)


class ActivityIn(Schema):
    title: str = Field(..., min_length=3, max_length=200)
    type: str
    starts_on: date
    ends_on: date
    organizations: list[str] = Field(..., min_length=1)
    landscapes: list[str] = []
    capabilities: list[str] = []
    themes: list[str] = []
    status: str = "planned"
    description: str = ""
    visibility: str = "network"


class ActivityPatch(Schema):
    version: int
    title: str | None = Field(None, min_length=3, max_length=200)
    type: str | None = None
    starts_on: date | None = None
    ends_on: date | None = None
    organizations: list[str] | None = None
    landscapes: list[str] | None = None
    capabilities: list[str] | None = None
    themes: list[str] | None = None
    status: str | None = None
    description: str | None = None
    visibility: str | None = None


@activities_router.get("", response=ActivityPage, summary="The shared calendar")
def list_activities(request, filters: Query[ActivityFilters]):
    from .selectors import activity_list

    data = filters.dict()
    qs = activity_list(user=request.user, filters={k: str(v) for k, v in data.items()})
    count, items = paged(qs, limit=data["limit"], offset=data["offset"])
    return {"count": count, "items": items}


@activities_router.post("", response={201: ActivityDetailOut},
                        summary="Add an activity (staff of its organizations)")  # fmt: skip
def create_activity(request, payload: ActivityIn):
    from .selectors import activity_detail

    actor = require_user(request)
    activity = services.activity_create(actor=actor, **payload.dict())
    return Status(201, activity_detail(user=actor, pk=activity.pk))


@activities_router.get("/{activity_id}", response=ActivityDetailOut,
                       summary="One activity with its overlaps")  # fmt: skip
def get_activity(request, activity_id: int):
    from .selectors import activity_detail

    return activity_detail(user=request.user, pk=activity_id)


@activities_router.patch("/{activity_id}", response=ActivityDetailOut,
                         summary="Update (send the version)")  # fmt: skip
def update_activity(request, activity_id: int, payload: ActivityPatch):
    from .models import Activity
    from .selectors import activity_detail

    actor = require_user(request)
    activity_detail(user=actor, pk=activity_id)  # 404 unless visible
    data = patch_values(Activity, payload.dict(exclude_unset=True))
    version = data.pop("version")
    services.activity_update(actor=actor, activity=Activity.objects.get(pk=activity_id),
                             version=version, **data)  # fmt: skip
    return activity_detail(user=actor, pk=activity_id)


class CoordinatedIn(Schema):
    note: str = Field("", max_length=500)


@activities_router.post("/overlaps/{overlap_id}/coordinated", response=ActivityDetailOut,
                        summary="Mark an overlap coordinated (staff of either side)")  # fmt: skip
def mark_overlap_coordinated(request, overlap_id: int, payload: CoordinatedIn):
    """Returns the caller's own activity of the pair, with its overlaps."""
    from .selectors import activity_detail, overlap_for

    actor = require_user(request)
    overlap = overlap_for(user=actor, pk=overlap_id)
    services.overlap_mark_coordinated(actor=actor, overlap=overlap, note=payload.note)
    mine = overlap.first if services.may_change_activity(actor, overlap.first) else overlap.second
    return activity_detail(user=actor, pk=mine.pk)
