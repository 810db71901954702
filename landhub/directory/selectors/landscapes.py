"""Reads of landscapes: what a user may see, filtered the same way for the UI and the API."""

from __future__ import annotations

from django.db.models import Prefetch, QuerySet
from django.http import Http404

from landhub.core.access import is_hub_staff
from landhub.core.search import search_pks

from ..models import (
    Country,
    ILMStage,
    InitiativeStatus,
    Landscape,
    LandscapeILMProgress,
    LandscapeMembership,
    LandscapeNeed,
    LandscapeOrganization,
    NeedStatus,
    Organization,
    Person,
    Term,
    Vocabulary,
)

LANDSCAPE_SORTS = {
    "name": "name",
    "area": "area_km2",
    "population": "population",
    "updated": "updated_at",
    "status": "initiative_status",
}
FILTER_KEYS = (
    "q",
    "country",
    "region",
    "ecosystem",
    "theme",
    "status",
    "ilm_element",
    "ilm_stage",
    "capability",
    "archived",
)


def landscape_list(*, user, filters: dict | None = None) -> QuerySet[Landscape]:
    """Landscapes ``user`` may see, narrowed by ``filters`` (values as in a query string).

    Unknown or malformed filter values are ignored rather than raising, so a hand-edited URL
    shows a wider list instead of an error page.
    """
    filters = {k: (v or "").strip() for k, v in (filters or {}).items() if isinstance(v, str)}
    qs = Landscape.objects.visible_to(user)
    if filters.get("archived") == "1" and is_hub_staff(user):
        qs = qs.filter(archived_at__isnull=False)
    else:
        qs = qs.active()
    # Filters on many-valued relations are semi-joins (``pk IN (SELECT …)``), never joins: a
    # join can repeat a row, and the DISTINCT or pk-subquery needed to undo that makes the
    # database sort the whole visible set before it can return the first page.
    through = Landscape.countries.through
    if country := filters.get("country"):
        qs = qs.filter(pk__in=through.objects.filter(country_id=country.upper()[:2])
                       .values("landscape_id"))  # fmt: skip
    if region := filters.get("region"):
        qs = qs.filter(region=region)
    if ecosystem := filters.get("ecosystem"):
        qs = qs.filter(pk__in=Landscape.ecosystems.through.objects.filter(
            term__slug=ecosystem).values("landscape_id"))  # fmt: skip
    if theme := filters.get("theme"):
        qs = qs.filter(pk__in=Landscape.themes.through.objects.filter(
            term__slug=theme).values("landscape_id"))  # fmt: skip
    if (status := filters.get("status")) in InitiativeStatus.values:
        qs = qs.filter(initiative_status=status)
    if element := filters.get("ilm_element"):
        stage = filters.get("ilm_stage")
        progress = LandscapeILMProgress.objects.filter(element__slug=element)
        if stage in ILMStage.values and stage != ILMStage.NOT_STARTED:
            qs = qs.filter(pk__in=progress.filter(stage=stage).values("landscape_id"))
        elif stage == ILMStage.NOT_STARTED:
            started = progress.exclude(stage=ILMStage.NOT_STARTED)
            qs = qs.exclude(pk__in=started.values("landscape_id"))
        else:
            qs = qs.filter(pk__in=progress.values("landscape_id"))
    if capability := filters.get("capability"):
        open_needs = LandscapeNeed.objects.filter(
            capability__slug=capability, status__in=[NeedStatus.OPEN, NeedStatus.IN_PROGRESS]
        )
        qs = qs.filter(pk__in=open_needs.values("landscape_id"))
    if q := filters.get("q"):
        qs = qs.filter(pk__in_list=search_pks(Landscape, q))
    return qs.select_related("partnership_organization").prefetch_related(
        "countries", "ecosystems", "themes"
    )


FILTER_OPTIONS_SECONDS = 300


def landscape_filter_options() -> dict:
    """Choices for the filter form: only values that occur, so no filter leads nowhere.

    Cached for a few minutes: finding the countries and regions that occur scans every
    landscape, and they change rarely (a new country shows up in the filter within minutes).
    """
    from django.core.cache import cache

    return cache.get_or_set(
        "directory:landscape-filter-options", _landscape_filter_options, FILTER_OPTIONS_SECONDS
    )


def _landscape_filter_options() -> dict:
    terms = Term.objects.filter(is_active=True).order_by("sort_order", "name_en")
    return {
        "countries": list(Country.objects.filter(landscapes__isnull=False).distinct()),
        # order_by("region") replaces the model's ordering by name, which DISTINCT would
        # otherwise include: one option per landscape instead of one per region.
        "regions": list(
            Landscape.objects.exclude(region="")
            .order_by("region")
            .values_list("region", flat=True)
            .distinct()
        ),
        "ecosystems": [t for t in terms if t.vocabulary == Vocabulary.ECOSYSTEM],
        "themes": [t for t in terms if t.vocabulary == Vocabulary.THEME],
        "capabilities": [t for t in terms if t.vocabulary == Vocabulary.CAPABILITY],
        "ilm_elements": [t for t in terms if t.vocabulary == Vocabulary.ILM_ELEMENT],
        "statuses": InitiativeStatus.choices,
        "ilm_stages": ILMStage.choices,
    }


def landscape_detail(*, user, slug: str, include_archived: bool = True) -> Landscape:
    """One landscape with everything its profile shows, or 404 when the user may not see it."""
    qs = Landscape.objects.visible_to(user)
    if not include_archived:
        qs = qs.active()
    landscape = (
        qs.filter(slug=slug)
        .select_related("partnership_organization__kind")
        .prefetch_related(
            "countries",
            "area_types",
            "ecosystems",
            "themes",
            Prefetch(
                "ilm_progress",
                queryset=LandscapeILMProgress.objects.select_related("element"),
            ),
            Prefetch(
                "needs",
                queryset=LandscapeNeed.objects.select_related("capability").order_by(
                    "status", "priority", "capability__name_en"
                ),
            ),
            Prefetch(
                "organization_links",
                queryset=LandscapeOrganization.objects.select_related("organization__kind")
                .filter(Organization.objects.visible_through(user, "organization__"))
                .order_by("role", "organization__name"),
            ),
            Prefetch(
                "memberships",
                queryset=LandscapeMembership.objects.filter(
                    Person.objects.visible_through(user, "person__", active=False),
                    end_date__isnull=True,
                    is_contact=True,
                ).select_related("person"),
                to_attr="visible_contacts",
            ),
        )
        .first()
    )
    if landscape is None:
        raise Http404
    progress = {p.element_id: p for p in landscape.ilm_progress.all()}
    elements = Term.objects.of(Vocabulary.ILM_ELEMENT).order_by("sort_order")
    landscape.ilm_rows = [(element, progress.get(element.pk)) for element in elements]
    return landscape


def landscape_features(*, user, queryset=None) -> dict:
    """A GeoJSON FeatureCollection of landscapes (boundary, or a point at the centroid)."""
    if queryset is None:
        queryset = landscape_list(user=user)
    features = []
    rows = queryset.values(
        "name",
        "slug",
        "boundary",
        "centroid_lat",
        "centroid_lon",
        "initiative_status",
        "area_km2",
        "region",
        "population",
    )
    from django.urls import reverse

    for row in rows:
        geometry = row["boundary"]
        if not geometry and row["centroid_lat"] is not None:
            geometry = {"type": "Point", "coordinates": [row["centroid_lon"], row["centroid_lat"]]}
        features.append(
            {
                "type": "Feature",
                "geometry": geometry,
                "properties": {
                    "name": row["name"],
                    "slug": row["slug"],
                    "url": reverse("directory:landscape_detail", args=[row["slug"]]),
                    "initiative_status": row["initiative_status"],
                    "area_km2": row["area_km2"],
                    "region": row["region"],
                    "population": row["population"],
                },
            }
        )
    return {"type": "FeatureCollection", "features": features}


def landscape_managers(landscape) -> list:
    """Users who lead or manage ``landscape`` (they are told when it changes)."""
    from django.contrib.auth import get_user_model

    from ..models import LandscapeRole

    return list(
        get_user_model()
        .objects.filter(
            person__landscape_memberships__landscape=landscape,
            person__landscape_memberships__end_date__isnull=True,
            person__landscape_memberships__role__in=[LandscapeRole.LEADER, LandscapeRole.MANAGER],
            is_active=True,
        )
        .distinct()
    )
