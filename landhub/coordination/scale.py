"""Synthetic offerings for the benchmark and the load test (``landhub generate-scale``).

Scale 1 = 20,000 offerings (DESIGN.md §7), each with one to three providers among the
synthetic organizations, two capabilities, a theme, languages and where it is available.
Bulk inserts, no history, deterministic for a given seed.
"""

from __future__ import annotations

import random
from collections.abc import Callable

from django.db import transaction
from django.utils import timezone

from landhub.directory.models import Country, Organization, Term, Vocabulary

from .models import (
    Cost,
    DeliveryFormat,
    Offering,
    OfferingProvider,
    OfferingStatus,
    OfferingType,
)

PER_SCALE = 20000
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
    return {"offerings": total}
