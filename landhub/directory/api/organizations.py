"""Organizations API: list with the directory's filters, detail, create, update, archive."""

from __future__ import annotations

from datetime import datetime

from ninja import Field, File, Form, Query, Router, Schema, Status, UploadedFile

from landhub.core.lists import sort_queryset

from ..models import Organization
from ..rules import get_object_for
from ..selectors.organizations import ORGANIZATION_SORTS, organization_detail, organization_list
from ..services import organizations as services
from .common import MAX_OFFSET, paged, patch_values, require_user

router = Router(tags=["organizations"])


class OrganizationFilters(Schema):
    q: str = ""
    kind: str = ""
    country: str = ""
    capability: str = ""
    theme: str = ""
    core: str = ""
    archived: str = ""
    sort: str = "name"
    limit: int = Field(25, ge=1, le=100)
    offset: int = Field(0, ge=0, le=MAX_OFFSET)


class OrganizationOut(Schema):
    id: int
    slug: str
    name: str
    short_name: str
    kind: str
    core_partner: bool
    country: str | None
    website: str
    visibility: str
    archived: bool
    version: int
    updated_at: datetime
    url: str
    logo: str | None = Field(None, description="URL of the logo (a PNG of at most 512 px)")

    @staticmethod
    def resolve_logo(obj):
        return obj.logo.url if obj.logo else None

    @staticmethod
    def resolve_kind(obj):
        return obj.kind.slug

    @staticmethod
    def resolve_country(obj):
        return obj.country_id

    @staticmethod
    def resolve_core_partner(obj):
        return obj.is_core_partner

    @staticmethod
    def resolve_archived(obj):
        return obj.archived_at is not None

    @staticmethod
    def resolve_url(obj):
        return obj.get_absolute_url()


class CapabilityOut(Schema):
    capability: str
    level: str

    @staticmethod
    def resolve_capability(obj):
        return obj.capability.slug


class OrganizationDetailOut(OrganizationOut):
    description: str
    countries_active: list[str]
    themes: list[str]
    capabilities: list[CapabilityOut]
    landscapes: list[str]

    @staticmethod
    def resolve_countries_active(obj):
        return [c.code for c in obj.countries_active.all()]

    @staticmethod
    def resolve_themes(obj):
        return [t.slug for t in obj.themes.all()]

    @staticmethod
    def resolve_capabilities(obj):
        return list(obj.capabilities.all())

    @staticmethod
    def resolve_landscapes(obj):
        slugs = [ls.slug for ls in obj.visible_partnership_landscapes]
        return slugs + [link.landscape.slug for link in obj.visible_landscape_links]


class OrganizationPage(Schema):
    count: int
    items: list[OrganizationOut]


class OrganizationIn(Schema):
    name: str = Field(..., min_length=2, max_length=200)
    kind: str
    short_name: str = ""
    country: str | None = None
    countries_active: list[str] = []
    website: str = ""
    description: str = ""
    themes: list[str] = []
    visibility: str = "public"


class OrganizationPatch(Schema):
    version: int
    name: str | None = Field(None, min_length=2, max_length=200)
    kind: str | None = None
    short_name: str | None = None
    country: str | None = None
    countries_active: list[str] | None = None
    website: str | None = None
    description: str | None = None
    themes: list[str] | None = None
    visibility: str | None = None


class CapabilitiesIn(Schema):
    capabilities: dict[str, str]


@router.get("", response=OrganizationPage, summary="List organizations")
def list_organizations(request, filters: Query[OrganizationFilters]):
    data = filters.dict()
    qs = organization_list(user=request.user, filters={k: str(v) for k, v in data.items()})
    qs, _sort = sort_queryset(qs, data["sort"], ORGANIZATION_SORTS, "name")
    count, items = paged(qs, limit=data["limit"], offset=data["offset"])
    return {"count": count, "items": items}


@router.post("", response={201: OrganizationDetailOut}, summary="Create (hub staff)")
def create_organization(request, payload: OrganizationIn):
    actor = require_user(request)
    data = payload.dict()
    organization = services.organization_create(
        actor=actor, name=data.pop("name"), kind=data.pop("kind"), **data
    )
    return Status(201, organization_detail(user=actor, slug=organization.slug))


@router.get("/{slug}", response=OrganizationDetailOut, summary="One organization")
def get_organization(request, slug: str):
    return organization_detail(user=request.user, slug=slug)


def _for_change(request, slug, perm="directory.change_organization"):
    actor = require_user(request)
    return actor, get_object_for(actor, perm, Organization.objects.all(), slug=slug)


@router.patch("/{slug}", response=OrganizationDetailOut, summary="Update (send the version)")
def update_organization(request, slug: str, payload: OrganizationPatch):
    actor, organization = _for_change(request, slug)
    data = patch_values(Organization, payload.dict(exclude_unset=True))
    version = data.pop("version")
    services.organization_update(actor=actor, organization=organization, version=version, **data)
    return organization_detail(user=actor, slug=slug)


@router.put("/{slug}/capabilities", response=OrganizationDetailOut, summary="Set capabilities")
def set_capabilities(request, slug: str, payload: CapabilitiesIn):
    actor, organization = _for_change(request, slug)
    services.organization_capabilities_set(
        actor=actor, organization=organization, capabilities=payload.capabilities
    )
    return organization_detail(user=actor, slug=slug)


@router.post(
    "/{slug}/logo", response=OrganizationDetailOut,
    summary="Upload the logo (multipart: file, version); stored re-encoded as PNG",
)  # fmt: skip
def set_logo(request, slug: str, file: File[UploadedFile], version: Form[int]):
    actor, organization = _for_change(request, slug)
    services.organization_update(actor=actor, organization=organization, version=version,
                                 logo=file)  # fmt: skip
    return organization_detail(user=actor, slug=slug)


@router.delete("/{slug}/logo", response=OrganizationDetailOut, summary="Remove the logo")
def delete_logo(request, slug: str, version: int):
    actor, organization = _for_change(request, slug)
    services.organization_update(actor=actor, organization=organization, version=version,
                                 logo=False)  # fmt: skip
    return organization_detail(user=actor, slug=slug)


@router.post("/{slug}/archive", response=OrganizationOut, summary="Archive (hub staff)")
def archive_organization(request, slug: str):
    actor, organization = _for_change(request, slug, "directory.archive_organization")
    return services.organization_archive(actor=actor, organization=organization)


@router.post("/{slug}/restore", response=OrganizationOut, summary="Restore (hub staff)")
def restore_organization(request, slug: str):
    actor, organization = _for_change(request, slug, "directory.archive_organization")
    return services.organization_restore(actor=actor, organization=organization)
