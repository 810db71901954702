"""Landscapes API: the same selectors and services as the pages, so both agree on access."""

from __future__ import annotations

from datetime import datetime

from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404
from ninja import Field, Query, Router, Schema, Status

from landhub.core.lists import sort_queryset

from .. import geo
from ..models import Landscape, LandscapeNeed
from ..rules import get_object_for
from ..selectors.landscapes import (
    LANDSCAPE_SORTS,
    landscape_detail,
    landscape_features,
    landscape_list,
)
from ..services import landscapes as services
from .common import MAX_OFFSET, paged, patch_values, require_user

router = Router(tags=["landscapes"])


class LandscapeFilters(Schema):
    q: str = ""
    country: str = ""
    region: str = ""
    ecosystem: str = ""
    theme: str = ""
    status: str = ""
    ilm_element: str = ""
    ilm_stage: str = ""
    capability: str = ""
    archived: str = ""
    sort: str = "name"
    limit: int = Field(25, ge=1, le=100)
    offset: int = Field(0, ge=0, le=MAX_OFFSET)


class LandscapeOut(Schema):
    id: int
    slug: str
    name: str
    summary: str
    countries: list[str]
    region: str
    area_km2: float | None
    population: int | None
    initiative_status: str
    partnership_status: str
    centroid: list[float] | None
    visibility: str
    is_demo: bool
    archived: bool
    version: int
    updated_at: datetime
    url: str

    @staticmethod
    def resolve_countries(obj):
        return [c.code for c in obj.countries.all()]

    @staticmethod
    def resolve_centroid(obj):
        if obj.centroid_lat is None:
            return None
        return [obj.centroid_lon, obj.centroid_lat]

    @staticmethod
    def resolve_archived(obj):
        return obj.archived_at is not None

    @staticmethod
    def resolve_url(obj):
        return obj.get_absolute_url()


class NeedOut(Schema):
    id: int
    capability: str
    priority: str
    status: str
    description: str
    version: int

    @staticmethod
    def resolve_capability(obj):
        return obj.capability.slug


class ILMOut(Schema):
    element: str
    stage: str
    evidence: str


class LandscapeDetailOut(LandscapeOut):
    description: str
    area_types: list[str]
    ecosystems: list[str]
    themes: list[str]
    partnership_organization: str | None
    year_formed: int | None
    agreement_signed: bool
    bbox: list[float] | None
    needs: list[NeedOut]
    ilm: list[ILMOut]
    organizations: list[dict]

    @staticmethod
    def resolve_area_types(obj):
        return [t.slug for t in obj.area_types.all()]

    @staticmethod
    def resolve_ecosystems(obj):
        return [t.slug for t in obj.ecosystems.all()]

    @staticmethod
    def resolve_themes(obj):
        return [t.slug for t in obj.themes.all()]

    @staticmethod
    def resolve_partnership_organization(obj):
        org = obj.partnership_organization
        return org.slug if org else None

    @staticmethod
    def resolve_needs(obj):
        return list(obj.needs.all())

    @staticmethod
    def resolve_ilm(obj):
        return [
            {"element": element.slug, "stage": p.stage if p else "not_started",
             "evidence": p.evidence if p else ""}
            for element, p in obj.ilm_rows
        ]  # fmt: skip

    @staticmethod
    def resolve_organizations(obj):
        return [
            {"organization": link.organization.slug, "role": link.role}
            for link in obj.organization_links.all()
        ]


class LandscapePage(Schema):
    count: int
    items: list[LandscapeOut]


class LandscapeIn(Schema):
    name: str = Field(..., min_length=2, max_length=200)
    countries: list[str] = Field(..., min_length=1)
    summary: str = ""
    description: str = ""
    population: int | None = Field(None, ge=0)
    area_types: list[str] = []
    ecosystems: list[str] = []
    themes: list[str] = []
    initiative_status: str = "candidate"
    partnership_status: str = "forming"
    year_formed: int | None = Field(None, ge=1900, le=2100)
    agreement_signed: bool = False
    visibility: str = "public"
    boundary: dict | None = None


class LandscapePatch(Schema):
    version: int
    name: str | None = Field(None, min_length=2, max_length=200)
    countries: list[str] | None = None
    summary: str | None = None
    description: str | None = None
    population: int | None = Field(None, ge=0)
    area_types: list[str] | None = None
    ecosystems: list[str] | None = None
    themes: list[str] | None = None
    initiative_status: str | None = None
    partnership_status: str | None = None
    year_formed: int | None = Field(None, ge=1900, le=2100)
    agreement_signed: bool | None = None
    visibility: str | None = None


class BoundaryIn(Schema):
    version: int
    geometry: dict | None


class NeedIn(Schema):
    capability: str
    priority: str = "medium"
    status: str = "open"
    description: str = ""


class NeedPatch(Schema):
    version: int
    capability: str | None = None
    priority: str | None = None
    status: str | None = None
    description: str | None = None


class ILMIn(Schema):
    stage: str
    evidence: str = ""


def _detail(request, slug):
    return landscape_detail(user=request.user, slug=slug)


@router.get("", response=LandscapePage, summary="List landscapes (same filters as the directory)")
def list_landscapes(request, filters: Query[LandscapeFilters]):
    data = filters.dict()
    qs = landscape_list(user=request.user, filters={k: str(v) for k, v in data.items()})
    qs, _sort = sort_queryset(qs, data["sort"], LANDSCAPE_SORTS, "name")
    count, items = paged(qs, limit=data["limit"], offset=data["offset"])
    return {"count": count, "items": items}


@router.get("/geojson", summary="All visible landscapes as a GeoJSON FeatureCollection")
def landscapes_geojson(request, filters: Query[LandscapeFilters]):
    data = {k: str(v) for k, v in filters.dict().items()}
    return landscape_features(
        user=request.user, queryset=landscape_list(user=request.user, filters=data)
    )


@router.post("", response={201: LandscapeDetailOut}, summary="Create a landscape (hub staff)")
def create_landscape(request, payload: LandscapeIn):
    actor = require_user(request)
    data = payload.dict()
    try:
        landscape = services.landscape_create(
            actor=actor, name=data.pop("name"), countries=data.pop("countries"), **data
        )
    except geo.BoundaryError as exc:
        raise ValidationError({"boundary": exc.message}) from exc
    return Status(201, _detail(request, landscape.slug))


@router.get("/{slug}", response=LandscapeDetailOut, summary="One landscape with needs and ILM")
def get_landscape(request, slug: str):
    return _detail(request, slug)


@router.get("/{slug}/boundary.geojson", summary="The boundary of one landscape (GeoJSON Feature)")
def get_boundary(request, slug: str):
    landscape = get_object_for(request.user, "view", Landscape.objects.all(), slug=slug)
    return {
        "type": "Feature",
        "geometry": landscape.boundary,
        "properties": {
            "name": landscape.name,
            "slug": landscape.slug,
            "area_km2": landscape.area_km2,
        },
    }


def _for_change(request, slug, perm="directory.change_landscape"):
    actor = require_user(request)
    return actor, get_object_for(actor, perm, Landscape.objects.all(), slug=slug)


@router.patch("/{slug}", response=LandscapeDetailOut, summary="Update (send the version you read)")
def update_landscape(request, slug: str, payload: LandscapePatch):
    actor, landscape = _for_change(request, slug)
    data = patch_values(Landscape, payload.dict(exclude_unset=True))
    version = data.pop("version")
    services.landscape_update(actor=actor, landscape=landscape, version=version, **data)
    return _detail(request, slug)


@router.put("/{slug}/boundary", response=LandscapeDetailOut, summary="Set or clear the boundary")
def set_boundary(request, slug: str, payload: BoundaryIn):
    actor, landscape = _for_change(request, slug)
    geometry = payload.geometry
    try:
        if geometry and geometry.get("type") == "Point":
            lon, lat = (geometry.get("coordinates") or [None, None])[:2]
            geometry = geo.point_geometry(lat, lon)
        elif geometry:
            geometry = geo.parse_boundary_geojson(geometry)
    except (geo.BoundaryError, ValueError, TypeError) as exc:
        message = getattr(exc, "message", str(exc))
        raise ValidationError({"geometry": message}) from exc
    services.landscape_set_boundary(
        actor=actor, landscape=landscape, geometry=geometry, version=payload.version
    )
    return _detail(request, slug)


@router.post("/{slug}/archive", response=LandscapeOut, summary="Archive (hub staff)")
def archive_landscape(request, slug: str):
    actor, landscape = _for_change(request, slug, "directory.archive_landscape")
    return services.landscape_archive(actor=actor, landscape=landscape)


@router.post("/{slug}/restore", response=LandscapeOut, summary="Restore (hub staff)")
def restore_landscape(request, slug: str):
    actor, landscape = _for_change(request, slug, "directory.archive_landscape")
    return services.landscape_restore(actor=actor, landscape=landscape)


@router.post("/{slug}/needs", response={201: NeedOut}, summary="Add a need")
def create_need(request, slug: str, payload: NeedIn):
    actor, landscape = _for_change(request, slug)
    need = services.landscape_need_create(actor=actor, landscape=landscape, **payload.dict())
    return Status(201, need)


@router.patch("/{slug}/needs/{need_id}", response=NeedOut, summary="Update a need")
def update_need(request, slug: str, need_id: int, payload: NeedPatch):
    actor, landscape = _for_change(request, slug)
    need = get_object_or_404(LandscapeNeed, pk=need_id, landscape=landscape)
    data = patch_values(LandscapeNeed, payload.dict(exclude_unset=True))
    version = data.pop("version")
    return services.landscape_need_update(actor=actor, need=need, version=version, **data)


@router.put("/{slug}/ilm/{element}", response=ILMOut, summary="Set progress on one ILM element")
def set_ilm(request, slug: str, element: str, payload: ILMIn):
    actor, landscape = _for_change(request, slug)
    progress = services.landscape_ilm_set(
        actor=actor, landscape=landscape, element=element, stage=payload.stage,
        evidence=payload.evidence,
    )  # fmt: skip
    return {
        "element": progress.element.slug,
        "stage": progress.stage,
        "evidence": progress.evidence,
    }
