"""Reads of organizations and people, filtered by what the user may see."""

from __future__ import annotations

from django.db.models import Count, Prefetch, Q, QuerySet
from django.http import Http404

from landhub.core.access import is_hub_staff
from landhub.core.search import search_pks

from ..models import (
    CORE_PARTNER_KIND,
    Country,
    Landscape,
    LandscapeMembership,
    LandscapeOrganization,
    Organization,
    OrganizationCapability,
    OrganizationMembership,
    Person,
    Term,
    Vocabulary,
)

ORGANIZATION_SORTS = {"name": "name", "updated": "updated_at", "kind": "kind__name_en"}
ORGANIZATION_FILTERS = ("q", "kind", "country", "capability", "theme", "core", "archived")
PERSON_SORTS = {"name": "name", "updated": "updated_at"}
PERSON_FILTERS = ("q", "organization", "landscape", "country")


def organization_list(*, user, filters: dict | None = None) -> QuerySet[Organization]:
    filters = {k: (v or "").strip() for k, v in (filters or {}).items() if isinstance(v, str)}
    qs = Organization.objects.visible_to(user)
    if filters.get("archived") == "1" and is_hub_staff(user):
        qs = qs.filter(archived_at__isnull=False)
    else:
        qs = qs.active()
    if kind := filters.get("kind"):
        qs = qs.filter(kind__slug=kind)
    if filters.get("core") == "1":
        qs = qs.filter(kind__slug=CORE_PARTNER_KIND)
    # Many-valued filters as semi-joins: no repeated rows, so no DISTINCT over the whole
    # visible set before the first page (see ``landscape_list``).
    if country := filters.get("country"):
        code = country.upper()[:2]
        active_in = Organization.countries_active.through.objects.filter(country_id=code)
        qs = qs.filter(Q(country_id=code) | Q(pk__in=active_in.values("organization_id")))
    if capability := filters.get("capability"):
        qs = qs.filter(pk__in=OrganizationCapability.objects.filter(
            capability__slug=capability).values("organization_id"))  # fmt: skip
    if theme := filters.get("theme"):
        qs = qs.filter(pk__in=Organization.themes.through.objects.filter(
            term__slug=theme).values("organization_id"))  # fmt: skip
    if q := filters.get("q"):
        qs = qs.filter(pk__in_list=search_pks(Organization, q))
    return qs.select_related("kind", "country")


def with_landscape_counts(organizations) -> list:
    """Set ``landscape_count`` on the organizations of one page (one query for the page).

    Counting in the list query itself would group every visible organization before the
    first page could be cut from it.
    """
    organizations = list(organizations)
    counts = dict(
        LandscapeOrganization.objects.filter(organization__in=organizations)
        .values("organization_id")
        .annotate(n=Count("landscape_id", distinct=True))
        .values_list("organization_id", "n")
    )
    for organization in organizations:
        organization.landscape_count = counts.get(organization.pk, 0)
    return organizations


def organization_filter_options() -> dict:
    """Filter choices, cached for a few minutes (see ``landscape_filter_options``)."""
    from django.core.cache import cache

    from .landscapes import FILTER_OPTIONS_SECONDS

    return cache.get_or_set(
        "directory:organization-filter-options", _organization_filter_options,
        FILTER_OPTIONS_SECONDS,
    )  # fmt: skip


def _organization_filter_options() -> dict:
    terms = Term.objects.filter(is_active=True).order_by("sort_order", "name_en")
    return {
        "kinds": [t for t in terms if t.vocabulary == Vocabulary.ORGANIZATION_KIND],
        "capabilities": [t for t in terms if t.vocabulary == Vocabulary.CAPABILITY],
        "themes": [t for t in terms if t.vocabulary == Vocabulary.THEME],
        "countries": list(
            Country.objects.filter(
                Q(organizations_active__isnull=False)
                | Q(pk__in=Organization.objects.values("country"))
            ).distinct()
        ),
    }


def organization_detail(*, user, slug: str) -> Organization:
    visible_landscapes = Landscape.objects.visible_to(user).active()
    organization = (
        Organization.objects.visible_to(user)
        .filter(slug=slug)
        .select_related("kind", "country")
        .prefetch_related(
            "countries_active",
            "themes",
            Prefetch(
                "capabilities",
                queryset=OrganizationCapability.objects.select_related("capability").order_by(
                    "capability__sort_order"
                ),
            ),
            Prefetch(
                "landscape_links",
                queryset=LandscapeOrganization.objects.filter(
                    Landscape.objects.visible_through(user, "landscape__")
                ).select_related("landscape"),
                to_attr="visible_landscape_links",
            ),
            Prefetch(
                "partnership_landscapes",
                queryset=visible_landscapes,
                to_attr="visible_partnership_landscapes",
            ),
            Prefetch(
                "memberships",
                queryset=OrganizationMembership.objects.filter(
                    Person.objects.visible_through(user, "person__"), end_date__isnull=True
                ).select_related("person"),
                to_attr="visible_memberships",
            ),
        )
        .first()
    )
    if organization is None:
        raise Http404
    return organization


def organization_admins(organization) -> list:
    from django.contrib.auth import get_user_model

    return list(
        get_user_model()
        .objects.filter(
            person__org_memberships__organization=organization,
            person__org_memberships__role="admin",
            person__org_memberships__end_date__isnull=True,
            is_active=True,
        )
        .distinct()
    )


def person_list(*, user, filters: dict | None = None) -> QuerySet[Person]:
    """People are for signed-in members only; anonymous visitors get an empty list."""
    if not user.is_authenticated:
        return Person.objects.none()
    filters = {k: (v or "").strip() for k, v in (filters or {}).items() if isinstance(v, str)}
    qs = Person.objects.visible_to(user).active()
    if org := filters.get("organization"):
        qs = qs.filter(pk__in=OrganizationMembership.objects.filter(
            organization__slug=org, end_date=None).values("person_id"))  # fmt: skip
    if landscape := filters.get("landscape"):
        qs = qs.filter(pk__in=LandscapeMembership.objects.filter(
            landscape__slug=landscape, end_date=None).values("person_id"))  # fmt: skip
    if q := filters.get("q"):
        qs = qs.filter(pk__in_list=search_pks(Person, q))
    current = OrganizationMembership.objects.filter(end_date__isnull=True).select_related(
        "organization"
    )
    return qs.prefetch_related(
        Prefetch("org_memberships", queryset=current, to_attr="current_affiliations")
    )


def person_detail(*, user, pk) -> Person:
    if not user.is_authenticated:
        raise Http404
    person = (
        Person.objects.visible_to(user)
        .filter(pk=pk)
        .select_related("user")
        .prefetch_related(
            Prefetch(
                "org_memberships",
                queryset=OrganizationMembership.objects.filter(
                    Organization.objects.visible_through(user, "organization__", active=False)
                ).select_related("organization"),
                to_attr="visible_affiliations",
            ),
            Prefetch(
                "landscape_memberships",
                queryset=LandscapeMembership.objects.filter(
                    Landscape.objects.visible_through(user, "landscape__", active=False),
                    end_date__isnull=True,
                ).select_related("landscape"),
                to_attr="visible_landscape_memberships",
            ),
        )
        .first()
    )
    if person is None:
        raise Http404
    person.show_contact = (
        person.contact_consent or is_hub_staff(user) or (person.user_id == user.pk)
    )
    return person
