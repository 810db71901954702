"""The coverage matrix: for each capability and place, open needs against what partners offer.

Rows are the capabilities of the shared vocabulary. Columns are the UN M49 regions, or, for
one region, its landscapes with open needs. Each cell counts the open needs of the visible
landscapes there, the published offerings available there that build the capability, and
their distinct providers, and the partners' current activities there on the capability. A
cell is **unserved** when there are needs and no offering, and **crowded** when
``CROWDED_PARTNERS`` or more distinct partners work on the same capability there — providers
of offerings and organizations of activities, each counted once.

"Current" activities are those not cancelled that end within the last ``ACTIVITY_WINDOW_DAYS``
or later: past work long done does not make a place crowded.

The counts are cached until the next write (``core.counts``), per kind of reader.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from collections import defaultdict
from dataclasses import dataclass

from django.core.cache import cache
from django.db.models import Count
from django.utils import timezone

from landhub.core.counts import COUNT_SECONDS, generation
from landhub.directory.models import (
    Country,
    Landscape,
    LandscapeNeed,
    NeedStatus,
    Term,
    Vocabulary,
)

from .models import Activity, ActivityStatus, Offering, OfferingProvider, OfferingStatus
from .selectors import _region_q, _viewer_key, visible_offerings

CROWDED_PARTNERS = 3
ACTIVITY_WINDOW_DAYS = 365
MAX_LANDSCAPE_COLUMNS = 30


@dataclass(frozen=True)
class Cell:
    needs: int
    offerings: int
    providers: int
    activities: int = 0
    partners: int = 0  # distinct organizations: providers and activities' organizations

    @property
    def state(self) -> str:
        if self.needs and not self.offerings:
            return "unserved"
        if self.partners >= CROWDED_PARTNERS:
            return "crowded"
        if self.offerings or self.activities:
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


def matrix_records(matrix: dict) -> list[dict]:
    """One flat record per cell, for the heat map and the CSV export."""
    return [
        {
            "capability": capability.name,
            "place": label,
            "key": key,
            "needs": cell.needs,
            "offerings": cell.offerings,
            "providers": cell.providers,
            "activities": cell.activities,
            "partners": cell.partners,
            "state": cell.state,
        }  # fmt: skip
        for capability, cells in matrix["rows"]
        for (key, label), cell in zip(matrix["columns"], cells, strict=True)
    ]


class _ActivityCounts:
    """Current activities per (capability, column): how many, and which organizations.

    ``column`` is a region name, or a landscape id in the one-region view. One grouped query
    for the counts and one for the distinct organizations, over visible activities only.
    """

    def __init__(self, user, column_field: str, **filters):
        since = timezone.localdate() - dt.timedelta(days=ACTIVITY_WINDOW_DAYS)
        current = (
            Activity.objects.visible_to(user).active()
            .exclude(status=ActivityStatus.CANCELLED).filter(ends_on__gte=since)
        )  # fmt: skip
        through = Activity.capabilities.through.objects.filter(
            activity_id__in=current.values("pk"), **filters
        )
        column = f"activity__{column_field}"
        self.counts = {
            (row["term_id"], row[column]): row["n"]
            for row in through.values("term_id", column).annotate(
                n=Count("activity_id", distinct=True)
            )
        }
        self.organizations: dict[tuple, set[int]] = defaultdict(set)
        for term_id, key, org in through.values_list(
            "term_id", column, "activity__organizations"
        ).distinct():
            if org is not None:
                self.organizations[(term_id, key)].add(org)


def _provider_pairs(available) -> tuple[set[tuple[int, int]], dict[int, int]]:
    """(capability, organization) pairs of the providers of ``available`` offerings, and the
    number of providers per capability.

    Read as plain pairs and compared in Python: asking the database which activities'
    organizations are also providers (``IN`` a list of thousands, or a correlated subquery)
    took minutes on SQLite at scale 10; the pairs take 0.6 s per region there.
    """
    pairs = set(
        OfferingProvider.objects.filter(offering_id__in=available)
        .values_list("offering__capabilities", "organization_id")
        .distinct()
    )
    counts: dict[int, int] = defaultdict(int)
    for term_id, _org in pairs:
        counts[term_id] += 1
    return pairs, counts


def _cell(term_id, needs, offers, providers, activities, activity_orgs, pairs) -> Cell:
    """A cell; partners = providers + the activities' organizations that are not providers."""
    extra = sum(1 for org in activity_orgs if (term_id, org) not in pairs)
    return Cell(needs, offers, providers, activities, providers + extra)


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
    offer_counts, provider_counts, pairs = {}, {}, {}
    activities = _ActivityCounts(user, "landscapes__countries__region")
    for column, _label in columns:
        available = published.filter(_region_q(column)).values("pk")
        pairs[column], counts = _provider_pairs(available)
        for term_id, n in counts.items():
            provider_counts[(term_id, column)] = n
        for term_id, n in (
            Offering.capabilities.through.objects.filter(offering_id__in=available)
            .values_list("term_id")
            .annotate(n=Count("offering_id", distinct=True))
        ):
            offer_counts[(term_id, column)] = n
    rows = [
        (
            capability,
            [
                _cell(
                    capability.pk,
                    need_counts.get((capability.pk, column), 0),
                    offer_counts.get((capability.pk, column), 0),
                    provider_counts.get((capability.pk, column), 0),
                    activities.counts.get((capability.pk, column), 0),
                    activities.organizations.get((capability.pk, column), set()),
                    pairs[column],
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
    pairs, providers = _provider_pairs(available)
    activities = _ActivityCounts(user, "landscapes", activity__landscapes__in=ids.values())
    rows = [
        (
            capability,
            [
                _cell(
                    capability.pk,
                    need_counts.get((capability.pk, ids[slug]), 0),
                    offers.get(capability.pk, 0),
                    providers.get(capability.pk, 0),
                    activities.counts.get((capability.pk, ids[slug]), 0),
                    activities.organizations.get((capability.pk, ids[slug]), set()),
                    pairs,
                )
                for slug, _name in columns
            ],
        )
        for capability in capabilities
    ]
    return {"by": "landscape", "region": region, "columns": columns, "rows": rows}
