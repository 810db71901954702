"""The coverage matrix: for each capability and place, open needs against what partners offer.

Rows are the capabilities of the shared vocabulary. Columns are the UN M49 regions, or, for
one region, its landscapes with open needs. Each cell counts the open needs of the visible
landscapes there, the published offerings available there that build the capability, and
their distinct providers. A cell is **unserved** when there are needs and no offering, and
**crowded** when ``CROWDED_PROVIDERS`` or more partners offer the same capability there.
Partner activities join the crowding count when the activities calendar exists.

The counts are cached until the next write (``core.counts``), per kind of reader.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass

from django.core.cache import cache
from django.db.models import Count

from landhub.core.counts import COUNT_SECONDS, generation
from landhub.directory.models import (
    Country,
    Landscape,
    LandscapeNeed,
    NeedStatus,
    Term,
    Vocabulary,
)

from .models import Offering, OfferingProvider, OfferingStatus
from .selectors import _region_q, _viewer_key, visible_offerings

CROWDED_PROVIDERS = 3
MAX_LANDSCAPE_COLUMNS = 30


@dataclass(frozen=True)
class Cell:
    needs: int
    offerings: int
    providers: int

    @property
    def state(self) -> str:
        if self.needs and not self.offerings:
            return "unserved"
        if self.providers >= CROWDED_PROVIDERS:
            return "crowded"
        if self.offerings:
            return "served"
        return "empty"


def regions() -> list[str]:
    return list(
        Country.objects.exclude(region__in=["", "Antarctica"])
        .order_by("region")
        .values_list("region", flat=True)
        .distinct()
    )


def coverage_matrix(*, user, region: str = "") -> dict:
    """``{"columns": [(key, label)], "rows": [(capability, [Cell, ...])], "by": "region" or
    "landscape"}``; an unknown region falls back to the regions view."""
    key = hashlib.sha256(f"{_viewer_key(user)}|{region}".encode()).hexdigest()
    cache_key = f"landhub:coverage:{generation()}:{key}"
    cached = cache.get(cache_key)
    if cached is None:
        cached = _coverage(user, region if region in regions() else "")
        cache.set(cache_key, cached, COUNT_SECONDS * 5)
    return cached


def _open_needs(user):
    landscapes = Landscape.objects.visible_to(user).active()
    return LandscapeNeed.objects.filter(
        status__in=[NeedStatus.OPEN, NeedStatus.IN_PROGRESS],
        landscape__in=landscapes.values("pk"),
    )


def _coverage(user, region: str) -> dict:
    capabilities = list(Term.objects.of(Vocabulary.CAPABILITY).order_by("sort_order", "name_en"))
    published = visible_offerings(user).filter(status=OfferingStatus.PUBLISHED)
    needs = _open_needs(user)
    if region:
        return _by_landscape(user, region, capabilities, published, needs)
    columns = [(r, r) for r in regions()]
    need_counts = {
        (row["capability_id"], row["landscape__countries__region"]): row["n"]
        for row in needs.values("capability_id", "landscape__countries__region").annotate(
            n=Count("pk", distinct=True)
        )
    }
    offer_counts, provider_counts = {}, {}
    for column, _label in columns:
        available = published.filter(_region_q(column)).values("pk")
        for term_id, n in (
            Offering.capabilities.through.objects.filter(offering_id__in=available)
            .values_list("term_id")
            .annotate(n=Count("offering_id", distinct=True))
        ):
            offer_counts[(term_id, column)] = n
        for term_id, n in (
            OfferingProvider.objects.filter(offering_id__in=available)
            .values_list("offering__capabilities")
            .annotate(n=Count("organization_id", distinct=True))
        ):
            provider_counts[(term_id, column)] = n
    rows = [
        (
            capability,
            [
                Cell(
                    need_counts.get((capability.pk, column), 0),
                    offer_counts.get((capability.pk, column), 0),
                    provider_counts.get((capability.pk, column), 0),
                )
                for column, _label in columns
            ],
        )
        for capability in capabilities
    ]
    return {"by": "region", "region": "", "columns": columns, "rows": rows}


def _by_landscape(user, region, capabilities, published, needs) -> dict:
    """One region: its landscapes with the most open needs as columns."""
    in_region = needs.filter(landscape__countries__region=region)
    top = list(
        in_region.values("landscape_id", "landscape__name", "landscape__slug")
        .annotate(n=Count("pk", distinct=True))
        .order_by("-n", "landscape__name")[:MAX_LANDSCAPE_COLUMNS]
    )
    columns = [(row["landscape__slug"], row["landscape__name"]) for row in top]
    ids = {row["landscape__slug"]: row["landscape_id"] for row in top}
    need_counts = {
        (row["capability_id"], row["landscape_id"]): row["n"]
        for row in in_region.filter(landscape_id__in=ids.values())
        .values("capability_id", "landscape_id")
        .annotate(n=Count("pk", distinct=True))
    }
    # Offerings available in the region reach each of its landscapes; offerings limited to
    # other countries of the region are counted for the region as a whole (a simplification
    # stated on the page).
    available = published.filter(_region_q(region)).values("pk")
    offers = dict(
        Offering.capabilities.through.objects.filter(offering_id__in=available)
        .values_list("term_id")
        .annotate(n=Count("offering_id", distinct=True))
    )
    providers = dict(
        OfferingProvider.objects.filter(offering_id__in=available)
        .values_list("offering__capabilities")
        .annotate(n=Count("organization_id", distinct=True))
    )
    rows = [
        (
            capability,
            [
                Cell(
                    need_counts.get((capability.pk, ids[slug]), 0),
                    offers.get(capability.pk, 0),
                    providers.get(capability.pk, 0),
                )
                for slug, _name in columns
            ],
        )
        for capability in capabilities
    ]
    return {"by": "landscape", "region": region, "columns": columns, "rows": rows}
