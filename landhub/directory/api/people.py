"""People API: signed-in members only (people are never public)."""

from __future__ import annotations

from ninja import Field, Query, Router, Schema
from ninja.errors import AuthenticationError

from landhub.core.access import is_hub_staff
from landhub.core.counts import cached_count
from landhub.core.lists import sort_queryset

from ..models import Person
from ..selectors.organizations import PERSON_SORTS, person_detail, person_list
from ..services import organizations as services
from .common import MAX_OFFSET, patch_values

router = Router(tags=["people"])


class PersonFilters(Schema):
    q: str = ""
    organization: str = ""
    landscape: str = ""
    sort: str = "name"
    limit: int = Field(25, ge=1, le=100)
    offset: int = Field(0, ge=0, le=MAX_OFFSET)


class PersonOut(Schema):
    id: int
    name: str
    email: str | None
    organizations: list[str]
    version: int
    url: str

    @staticmethod
    def resolve_organizations(obj):
        memberships = getattr(obj, "current_affiliations", None)
        if memberships is None:
            memberships = getattr(obj, "visible_affiliations", [])
        return [m.organization.slug for m in memberships]

    @staticmethod
    def resolve_url(obj):
        return obj.get_absolute_url()


class PersonPage(Schema):
    count: int
    items: list[PersonOut]


class PersonPatch(Schema):
    version: int
    name: str | None = Field(None, min_length=1, max_length=200)
    phone: str | None = None
    bio: str | None = None
    contact_consent: bool | None = None


def _signed_in(request):
    if not request.user.is_authenticated:
        raise AuthenticationError(message="People are listed for signed-in members only.")
    return request.user


def _with_contact(user, person):
    """E-mail only with the person's consent, to hub staff, or to themselves."""
    shown = person.contact_consent or is_hub_staff(user) or person.user_id == user.pk
    if not shown:
        person.email = None
    return person


@router.get("", response=PersonPage, summary="List people (signed-in members)")
def list_people(request, filters: Query[PersonFilters]):
    user = _signed_in(request)
    data = filters.dict()
    qs = person_list(user=user, filters={k: str(v) for k, v in data.items()})
    qs, _sort = sort_queryset(qs, data["sort"], PERSON_SORTS, "name")
    limit = min(data["limit"], 100)
    items = [_with_contact(user, p) for p in qs[data["offset"] : data["offset"] + limit]]
    return {"count": cached_count(qs), "items": items}


@router.get("/{int:person_id}", response=PersonOut, summary="One person")
def get_person(request, person_id: int):
    user = _signed_in(request)
    return _with_contact(user, person_detail(user=user, pk=person_id))


@router.patch("/{int:person_id}", response=PersonOut, summary="Update (self or hub staff)")
def update_person(request, person_id: int, payload: PersonPatch):
    user = _signed_in(request)
    person = person_detail(user=user, pk=person_id)
    data = patch_values(Person, payload.dict(exclude_unset=True))
    version = data.pop("version")
    services.person_update(actor=user, person=person, version=version, **data)
    return _with_contact(user, person_detail(user=user, pk=person_id))
