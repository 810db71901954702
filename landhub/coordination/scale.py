"""Synthetic offerings, activities and service requests for the benchmark and the load test
(``landhub generate-scale``).

Scale 1 = 20,000 offerings (DESIGN.md §7), each with one to three providers among the
synthetic organizations, two capabilities, a theme, languages and where it is available;
20,000 activities of one or two organizations in one or two synthetic landscapes, with a
capability and a theme, spread over the year before and the year after the day of
generation, with their overlap alerts; 5,000 service requests of synthetic landscapes for
published offerings, in every status, most deliveries with value feedback. Bulk inserts, no
history, deterministic for a given seed (dates counted from the day of generation).
"""

from __future__ import annotations

import datetime as dt
import random
from collections.abc import Callable
from decimal import Decimal

from django.db import transaction
from django.utils import timezone

from landhub.directory.models import Country, Landscape, Organization, Term, Vocabulary

from .models import (
    Activity,
    ActivityOverlap,
    ActivityStatus,
    ActivityType,
    Cost,
    DeliveryFormat,
    Offering,
    OfferingProvider,
    OfferingStatus,
    OfferingType,
    RequestStatus,
    ServiceRequest,
    ValueFeedback,
)

PER_SCALE = 20000
ACTIVITIES_PER_SCALE = 20000
REQUESTS_PER_SCALE = 5000
BATCH = 2000
WORDS = ["water", "soil", "finance", "mapping", "restoration", "market", "governance",
         "grazing", "forest", "carbon", "coffee", "facilitation", "monitoring", "seed"]  # fmt: skip


def generate(scale: float, *, seed: int = 1000, report: Callable[[str], None] = print) -> dict:
    rng = random.Random(seed + 4)
    total = max(1, int(round(PER_SCALE * scale)))
    organizations = list(
        Organization.objects.filter(name__startswith="Scale").values_list("pk", flat=True)
    )
    if not organizations:
        return {}
    regions = sorted(
        set(Country.objects.exclude(region__in=["", "Antarctica"]).values_list("region", flat=True))
    )
    capabilities = list(Term.objects.of(Vocabulary.CAPABILITY).values_list("pk", flat=True))
    themes = list(Term.objects.of(Vocabulary.THEME).values_list("pk", flat=True))
    languages = ["en", "es", "fr", "pt", "sw", "id"]
    now = timezone.now()
    with transaction.atomic():
        rows = []
        for i in range(total):
            words = rng.sample(WORDS, 2)
            spoken = rng.sample(languages, rng.randint(1, 3))
            rows.append(Offering(
                title=f"Scale offering {i:06d} {words[0]} {words[1]}",
                slug=f"scale-offering-{i:06d}",
                summary=f"Synthetic {words[0]} and {words[1]} offering for the benchmark.",
                type=rng.choice(OfferingType.values),
                status=rng.choices(OfferingStatus.values, [1, 1, 16, 2])[0],
                is_global=rng.random() < 0.3,
                regions=",".join(rng.sample(regions, rng.randint(1, 2))),
                languages="," + ",".join(spoken) + ",",
                delivery_format=rng.choice(DeliveryFormat.values),
                cost=rng.choice(Cost.values),
                visibility=rng.choices(["public", "network", "core"], [8, 1, 1])[0],
                published_at=now,
            ))  # fmt: skip
        for start in range(0, len(rows), BATCH):
            Offering.objects.bulk_create(rows[start : start + BATCH], batch_size=BATCH)
        report(f"  offerings: {total:,}")
        ids = list(
            Offering.objects.filter(slug__startswith="scale-offering-").values_list("pk", flat=True)
        )
        providers, caps, topics = [], [], []
        for offering_id in ids:
            for index, org in enumerate(rng.sample(organizations, rng.randint(1, 3))):
                providers.append(OfferingProvider(offering_id=offering_id, organization_id=org,
                                                  is_lead=index == 0))  # fmt: skip
            caps += [Offering.capabilities.through(offering_id=offering_id, term_id=t)
                     for t in rng.sample(capabilities, 2)]  # fmt: skip
            topics.append(Offering.themes.through(offering_id=offering_id,
                                                  term_id=rng.choice(themes)))  # fmt: skip
        batches = [
            (OfferingProvider, providers, "offering providers"),
            (Offering.capabilities.through, caps, "offering capabilities"),
            (Offering.themes.through, topics, "offering themes"),
        ]
        for model, batch, label in batches:
            for start in range(0, len(batch), BATCH):
                model.objects.bulk_create(batch[start : start + BATCH], batch_size=BATCH)
            report(f"  {label}: {len(batch):,}")
    return {
        "offerings": total,
        **generate_activities(scale, seed=seed, report=report),
        **generate_requests(scale, seed=seed, report=report),
    }


def _bulk(model, rows: list, label: str, report: Callable[[str], None]) -> None:
    for start in range(0, len(rows), BATCH):
        model.objects.bulk_create(rows[start : start + BATCH], batch_size=BATCH)
    report(f"  {label}: {len(rows):,}")


def generate_activities(
    scale: float, *, seed: int = 1000, report: Callable[[str], None] = print
) -> dict:
    """Activities of the synthetic organizations in the synthetic landscapes, and the overlap
    alerts ``services.find_overlaps`` would have recorded between them."""
    rng = random.Random(seed + 5)
    total = max(1, int(round(ACTIVITIES_PER_SCALE * scale)))
    organizations = list(
        Organization.objects.filter(name__startswith="Scale").values_list("pk", flat=True)
    )
    landscapes = list(
        Landscape.objects.filter(name__startswith="Scale").values_list("pk", flat=True)
    )
    if not organizations or not landscapes:
        return {}
    capabilities = list(Term.objects.of(Vocabulary.CAPABILITY).values_list("pk", flat=True))
    themes = list(Term.objects.of(Vocabulary.THEME).values_list("pk", flat=True))
    today = timezone.localdate()
    first_day = today - dt.timedelta(days=365)
    rows, links = [], []
    for i in range(total):
        starts = first_day + dt.timedelta(days=rng.randrange(730))
        ends = starts + dt.timedelta(days=rng.choices([0, 1, 2, 4, 9, 29], [3, 3, 3, 2, 1, 1])[0])
        if ends < today:
            status = rng.choices([ActivityStatus.DONE, ActivityStatus.CANCELLED], [9, 1])[0]
        else:
            status = rng.choices([ActivityStatus.PLANNED, ActivityStatus.CONFIRMED,
                                  ActivityStatus.CANCELLED], [5, 4, 1])[0]  # fmt: skip
        kind = rng.choice(ActivityType.values)
        words = rng.sample(WORDS, 2)
        rows.append(Activity(
            title=f"Scale activity {i:06d} {words[0]} {kind}",
            description=f"Synthetic {kind} on {words[0]} and {words[1]} for the benchmark.",
            type=kind, status=status, starts_on=starts, ends_on=ends,
            visibility=rng.choices(["public", "network", "core", "restricted"], [14, 4, 1, 1])[0],
        ))  # fmt: skip
        links.append((
            rng.sample(organizations, rng.choices([1, 2], [4, 1])[0]),
            rng.sample(landscapes, rng.choices([1, 2], [3, 1])[0]),
            rng.choice(capabilities), rng.choice(themes),
        ))  # fmt: skip
    with transaction.atomic():
        _bulk(Activity, rows, "activities", report)
        ids = list(
            Activity.objects.filter(title__startswith="Scale activity ")
            .order_by("pk").values_list("pk", flat=True)
        )  # fmt: skip
        through = {
            "organizations": Activity.organizations.through,
            "landscapes": Activity.landscapes.through,
            "capabilities": Activity.capabilities.through,
            "themes": Activity.themes.through,
        }
        batches = {key: [] for key in through}
        for pk, (orgs, places, capability, theme) in zip(ids, links, strict=True):
            batches["organizations"] += [through["organizations"](activity_id=pk,
                                                                  organization_id=o)
                                         for o in orgs]  # fmt: skip
            batches["landscapes"] += [through["landscapes"](activity_id=pk, landscape_id=ls)
                                      for ls in places]  # fmt: skip
            batches["capabilities"].append(through["capabilities"](activity_id=pk,
                                                                   term_id=capability))  # fmt: skip
            batches["themes"].append(through["themes"](activity_id=pk, term_id=theme))
        for key, batch in batches.items():
            _bulk(through[key], batch, f"activity {key}", report)
        overlaps = _overlaps(ids, rows, links)
        _bulk(ActivityOverlap, [ActivityOverlap(first_id=a, second_id=b) for a, b in overlaps],
              "activity overlaps", report)  # fmt: skip
    return {"activities": total, "activity overlaps": len(overlaps)}


def _overlaps(ids: list[int], rows: list[Activity], links: list) -> list[tuple[int, int]]:
    """Pairs of activities of different organizations in one landscape, overlapping in time,
    on the same capability or theme, cancelled ones left out (as ``find_overlaps``): one sweep
    per landscape over its activities sorted by start."""
    by_landscape: dict[int, list[int]] = {}
    for index, (row, link) in enumerate(zip(rows, links, strict=True)):
        if row.status != ActivityStatus.CANCELLED:
            for landscape in link[1]:
                by_landscape.setdefault(landscape, []).append(index)
    found = set()
    for indexes in by_landscape.values():
        indexes.sort(key=lambda i: rows[i].starts_on)
        for position, a in enumerate(indexes):
            for b in indexes[position + 1 :]:
                if rows[b].starts_on > rows[a].ends_on:
                    break
                orgs_a, _places, capability_a, theme_a = links[a]
                orgs_b, _places, capability_b, theme_b = links[b]
                if set(orgs_a) & set(orgs_b):
                    continue
                if capability_a == capability_b or theme_a == theme_b:
                    found.add(tuple(sorted((ids[a], ids[b]))))
    return sorted(found)


def generate_requests(
    scale: float, *, seed: int = 1000, report: Callable[[str], None] = print
) -> dict:
    """Service requests of synthetic landscapes for published synthetic offerings (one per
    landscape and offering), in every status; most deliveries rated."""
    rng = random.Random(seed + 6)
    total = max(1, int(round(REQUESTS_PER_SCALE * scale)))
    landscapes = list(
        Landscape.objects.filter(name__startswith="Scale").values_list("pk", flat=True)
    )
    offerings = list(
        Offering.objects.filter(slug__startswith="scale-offering-", status=OfferingStatus.PUBLISHED)
        .order_by("pk").values_list("pk", flat=True)
    )  # fmt: skip
    if not landscapes or not offerings:
        return {}
    total = min(total, len(landscapes) * len(offerings))
    now = timezone.now()
    # requested, accepted, in progress, delivered, declined, withdrawn
    statuses, weights = RequestStatus.values, [5, 3, 2, 7, 2, 1]
    pairs, rows, created = set(), [], []
    while len(rows) < total:
        pair = (rng.choice(landscapes), rng.choice(offerings))
        if pair in pairs:
            continue
        pairs.add(pair)
        status = rng.choices(statuses, weights)[0]
        asked = now - dt.timedelta(days=rng.randrange(365), minutes=rng.randrange(1440))
        answered = asked + dt.timedelta(days=rng.randint(1, 20))
        row = ServiceRequest(
            landscape_id=pair[0], offering_id=pair[1], status=status,
            message=f"Synthetic request {len(rows):06d}: we would like this for our "
                    f"{rng.choice(WORDS)} work.",
        )  # fmt: skip
        if status not in (RequestStatus.REQUESTED, RequestStatus.WITHDRAWN):
            row.answer = "Synthetic answer of the providers."
        if status in (RequestStatus.ACCEPTED, RequestStatus.IN_PROGRESS, RequestStatus.DELIVERED):
            row.accepted_at = answered
            row.expected_by = (answered + dt.timedelta(days=rng.randint(14, 120))).date()
        if status == RequestStatus.DELIVERED:
            row.delivered_at = answered + dt.timedelta(days=rng.randint(7, 90))
        if status in (RequestStatus.DECLINED, RequestStatus.WITHDRAWN):
            row.closed_at = answered
        rows.append(row)
        created.append(asked)
    with transaction.atomic():
        _bulk(ServiceRequest, rows, "service requests", report)
        saved = list(
            ServiceRequest.objects.filter(message__startswith="Synthetic request ")
            .order_by("pk").only("pk", "status")
        )  # fmt: skip
        # ``created_at`` is set on insert; spread it over the past year like real requests.
        for request, row, asked in zip(saved, rows, created, strict=True):
            request.created_at = asked
            request.updated_at = max(t for t in (asked, row.accepted_at, row.delivered_at,
                                                 row.closed_at) if t)  # fmt: skip
        ServiceRequest.objects.bulk_update(saved, ["created_at", "updated_at"], batch_size=500)
        feedback = []
        for request in saved:
            if request.status != RequestStatus.DELIVERED or rng.random() >= 0.7:
                continue
            days = Decimal(rng.randint(0, 40)) if rng.random() < 0.6 else None
            money = Decimal(rng.randrange(0, 50000, 500)) if rng.random() < 0.3 else None
            feedback.append(ValueFeedback(
                request_id=request.pk, usefulness=rng.choices([1, 2, 3, 4, 5], [1, 1, 3, 5, 4])[0],
                what_changed="Synthetic feedback: what changed thanks to the offering.",
                would_recommend=rng.random() < 0.75, days_saved=days, money_saved_usd=money,
            ))  # fmt: skip
        _bulk(ValueFeedback, feedback, "value feedback", report)
    return {"requests": total, "value feedback": len(feedback)}
