"""API of bodies and seats (``/api/v1/governance/bodies…``, ``/api/v1/governance/seats…``).

Same selectors and services as the pages. A body is named by its slug; a seat's person by
id or the e-mail in the directory, its organization by slug. Edits send ``version``; a stale
one answers 409 with the current record. Reads follow ``Body.objects.visible_to``; people
are named only to signed-in readers (the public sees the organizations represented).
"""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import ValidationError
from ninja import Field, Query, Router, Schema, Status

from landhub.core.lists import sort_queryset
from landhub.directory.api.common import MAX_OFFSET, paged, patch_values, require_user

from .. import services
from ..models import Body
from ..selectors import BODY_SORTS, body_detail, body_list, seat_for

router = Router(tags=["governance"])


class BodyOut(Schema):
    id: int
    slug: str
    name: str
    kind: str
    advises: str | None = Field(None, description="slug of the body it advises")
    visibility: str
    records_access: str
    member_count: int
    archived: bool
    version: int

    @staticmethod
    def resolve_advises(obj):
        return obj.advises.slug if obj.advises_id else None

    @staticmethod
    def resolve_archived(obj):
        return obj.archived_at is not None


class SeatOut(Schema):
    id: int
    person: int | None = Field(None, description="id of the person (signed-in readers)")
    person_name: str = Field("", description="signed-in readers only")
    organization: str | None = Field(None, description="slug")
    organization_name: str = ""
    role: str
    principal: int | None = Field(None, description="the seat an alternate stands in for")
    term_start: dt.date
    term_end: dt.date | None
    version: int


class BodyDetailOut(BodyOut):
    mandate: str
    decides_on: str
    advises_on: str
    time_zone: str
    quorum: str
    threshold: str
    threshold_base: str
    tie_rule: str
    chair_may_decide: bool
    one_seat_per_core_partner: bool
    seats: list[SeatOut] = Field(..., description="current seats")
    missing_core_partners: list[str] = Field(
        ..., description="slugs of core partners with no voting seat (one seat per core partner)"
    )


class BodyPage(Schema):
    count: int
    items: list[BodyOut]


class BodyFilters(Schema):
    q: str = ""
    kind: str = ""
    archived: str = Field("", description="1: the archived bodies")
    sort: str = "name"
    limit: int = Field(25, ge=1, le=100)
    offset: int = Field(0, ge=0, le=MAX_OFFSET)


class BodyIn(Schema):
    name: str = Field(..., max_length=200)
    slug: str = Field("", max_length=80)
    kind: str
    mandate: str = Field(..., max_length=50_000)
    decides_on: str = Field("", max_length=50_000)
    advises_on: str = Field("", max_length=50_000)
    advises: str | None = Field(None, description="slug")
    visibility: str = "public"
    records_access: str = "members"
    time_zone: str = Field("UTC", max_length=64)
    quorum: str = "majority"
    threshold: str = "majority"
    threshold_base: str = "cast"
    tie_rule: str = "fails"
    chair_may_decide: bool = False
    one_seat_per_core_partner: bool = False


class BodyPatch(Schema):
    version: int
    name: str | None = Field(None, max_length=200)
    kind: str | None = None
    mandate: str | None = Field(None, max_length=50_000)
    decides_on: str | None = Field(None, max_length=50_000)
    advises_on: str | None = Field(None, max_length=50_000)
    advises: str | None = Field(None, description="slug; null: none")
    visibility: str | None = None
    records_access: str | None = None
    time_zone: str | None = Field(None, max_length=64)
    quorum: str | None = None
    threshold: str | None = None
    threshold_base: str | None = None
    tie_rule: str | None = None
    chair_may_decide: bool | None = None
    one_seat_per_core_partner: bool | None = None


class SeatIn(Schema):
    person: str = Field(..., description="id or e-mail of the person in the directory")
    organization: str | None = Field(None, description="slug")
    role: str
    principal: int | None = None
    term_start: dt.date
    term_end: dt.date | None = None


class SeatPatch(Schema):
    version: int
    organization: str | None = Field(None, description="slug; null: none")
    role: str | None = None
    principal: int | None = None
    term_start: dt.date | None = None
    term_end: dt.date | None = None


class SeatEndIn(Schema):
    version: int | None = None
    term_end: dt.date | None = Field(None, description="today when left out")


# --- lookups ---------------------------------------------------------------------------------


def _advises(slug):
    if slug is None:
        return None
    found = Body.objects.filter(slug=str(slug)[:80]).first()
    if found is None:
        raise ValidationError({"advises": ["No body has this slug."]})
    return found


def _person(actor, value: str):
    from landhub.directory.models import Person

    people = Person.objects.visible_to(actor).active()
    text = (value or "").strip()[:300]
    found = None
    if text.isdigit() and len(text) < 19:
        found = people.filter(pk=int(text)).first()
    elif "@" in text:
        found = people.filter(email__iexact=text).first()
    if found is None:
        raise ValidationError({"person": ["No person in the directory has this id or e-mail."]})
    return found


def _organization(actor, slug):
    from landhub.directory.models import Organization

    if slug is None:
        return None
    found = Organization.objects.visible_to(actor).filter(slug=str(slug)[:100]).first()
    if found is None:
        raise ValidationError({"organization": ["No organization has this slug."]})
    return found


def _principal(body, pk):
    from ..models import Seat

    if pk is None:
        return None
    found = Seat.objects.filter(pk=pk, body=body).first() if 0 < pk < 2**63 else None
    if found is None:
        raise ValidationError({"principal": ["No seat of this body has this id."]})
    return found


def _detail(request, slug):
    body = body_detail(user=request.user, slug=slug)
    named = request.user.is_authenticated
    body.seats_out = [{
        "id": s.pk, "person": s.person_id if named else None,
        "person_name": s.person.name if named else "",
        "organization": s.organization.slug if s.organization_id else None,
        "organization_name": s.organization.name if s.organization_id else "",
        "role": s.role, "principal": s.principal_id, "term_start": s.term_start,
        "term_end": s.term_end, "version": s.version,
    } for s in body.current_seat_list]  # fmt: skip
    return body


class _Detail(BodyDetailOut):
    @staticmethod
    def resolve_seats(obj):
        return obj.seats_out

    @staticmethod
    def resolve_missing_core_partners(obj):
        return [o.slug for o in obj.missing_partners]


# --- bodies ----------------------------------------------------------------------------------


@router.get("/bodies", response=BodyPage, summary="Bodies you may see")
def list_bodies(request, filters: Query[BodyFilters]):
    data = filters.dict()
    qs, _sort = sort_queryset(body_list(user=request.user, filters=data), data["sort"],
                              BODY_SORTS, "name")  # fmt: skip
    count, items = paged(qs, limit=data["limit"], offset=data["offset"])
    return {"count": count, "items": items}


@router.get("/bodies/{slug}", response=_Detail,
            summary="One body with its rules of procedure and current seats")  # fmt: skip
def get_body(request, slug: str):
    return _detail(request, slug)


@router.post("/bodies", response={201: _Detail}, summary="Create a body (hub staff)")
def create_body(request, payload: BodyIn):
    actor = require_user(request)
    data = payload.dict()
    data["advises"] = _advises(data["advises"])
    body = services.body_create(actor=actor, **data)
    return Status(201, _detail(request, body.slug))


@router.patch("/bodies/{slug}", response=_Detail,
              summary="Change a body (hub staff; send the version)")  # fmt: skip
def update_body(request, slug: str, payload: BodyPatch):
    actor = require_user(request)
    body = body_detail(user=actor, slug=slug)
    given = payload.dict(exclude_unset=True)
    version = given.pop("version")
    if "advises" in given:
        given["advises"] = _advises(given["advises"])
    given = patch_values(Body, {k: v for k, v in given.items() if k != "advises"}) | (
        {"advises": given["advises"]} if "advises" in given else {})  # fmt: skip
    services.body_update(actor=actor, body=body, version=version, changes=given)
    return _detail(request, body.slug)


@router.post("/bodies/{slug}/seats", response={201: _Detail},
             summary="Give a seat on a body (hub staff)")  # fmt: skip
def create_seat(request, slug: str, payload: SeatIn):
    actor = require_user(request)
    body = body_detail(user=actor, slug=slug)
    data = payload.dict()
    services.seat_create(actor=actor, body=body, person=_person(actor, data["person"]),
                         organization=_organization(actor, data["organization"]),
                         role=data["role"], principal=_principal(body, data["principal"]),
                         term_start=data["term_start"], term_end=data["term_end"])  # fmt: skip
    return Status(201, _detail(request, slug))


@router.patch("/seats/{seat_id}", response=_Detail,
              summary="Change a seat's organization, role, principal or term")  # fmt: skip
def update_seat(request, seat_id: int, payload: SeatPatch):
    actor = require_user(request)
    seat = seat_for(user=actor, pk=seat_id)
    given = payload.dict(exclude_unset=True)
    version = given.pop("version")
    if "organization" in given:
        given["organization"] = _organization(actor, given["organization"])
    if "principal" in given:
        given["principal"] = _principal(seat.body, given["principal"])
    for key in ("role", "term_start"):
        if key in given and given[key] is None:
            raise ValidationError({key: ["This field cannot be null."]})
    services.seat_update(actor=actor, seat=seat, version=version, changes=given)
    return _detail(request, seat.body.slug)


@router.post("/seats/{seat_id}/end", response=_Detail,
             summary="End a seat's term; its alternates' terms end with it")  # fmt: skip
def end_seat(request, seat_id: int, payload: SeatEndIn):
    actor = require_user(request)
    seat = seat_for(user=actor, pk=seat_id)
    services.seat_end(actor=actor, seat=seat, version=payload.version, term_end=payload.term_end)
    return _detail(request, seat.body.slug)
