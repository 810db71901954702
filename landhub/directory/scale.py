"""Deterministic synthetic data at a given scale, for the benchmark and the load test.

Scale 1 follows DESIGN.md §7: 1,000 landscapes with polygon boundaries, 4,000 organizations,
20,000 people with memberships (and, per landscape, needs and ILM progress; per organization,
capabilities). Later apps add their records here. Everything is written with bulk inserts in
batches, so scale 1 takes well under a minute on SQLite; history and per-row signals are
skipped on purpose (this is load, not an audit trail) and the search index is rebuilt once at
the end.
"""

from __future__ import annotations

import math
import random
from collections.abc import Callable

from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils.text import slugify

from . import geo
from .models import (
    CORE_PARTNER_KIND,
    Country,
    ILMStage,
    Landscape,
    LandscapeILMProgress,
    LandscapeMembership,
    LandscapeNeed,
    LandscapeOrganization,
    Organization,
    OrganizationCapability,
    OrganizationMembership,
    Person,
    Term,
    Vocabulary,
)

BATCH = 2000
PER_SCALE = {"landscapes": 1000, "organizations": 4000, "people": 20000}
CORE_PARTNERS = 6
# Name prefixes make synthetic rows easy to tell apart from real and demo ones.
PREFIX = "Scale"


def counts(scale: float) -> dict[str, int]:
    return {key: max(1, int(round(n * scale))) for key, n in PER_SCALE.items()}


def _polygon(rng: random.Random, lon: float, lat: float) -> dict:
    radius = rng.uniform(0.05, 0.4)
    sides = rng.randint(8, 24)
    ring = []
    for i in range(sides):
        angle = 2 * math.pi * i / sides
        r = radius * rng.uniform(0.75, 1.0)
        ring.append([round(lon + r * math.cos(angle), 5), round(lat + r * math.sin(angle), 5)])
    ring.append(ring[0])
    return {"type": "Polygon", "coordinates": [ring]}


def generate(scale: float, *, seed: int = 1000, report: Callable[[str], None] = print) -> dict:
    """Add synthetic records for ``scale``; returns the number of rows created per model."""
    rng = random.Random(seed)
    n = counts(scale)
    countries = list(Country.objects.exclude(region="Antarctica").exclude(region=""))
    terms = {v: list(Term.objects.of(v)) for v in Vocabulary.values}
    start = Landscape.objects.filter(name__startswith=PREFIX).count()
    if start:
        raise ValueError(
            f"This database already has {start} synthetic landscapes; use a fresh database."
        )
    created: dict[str, int] = {}

    def bulk(model, rows, label):
        for i in range(0, len(rows), BATCH):
            model.objects.bulk_create(rows[i : i + BATCH], batch_size=BATCH)
        created[label] = created.get(label, 0) + len(rows)
        report(f"  {label}: {created[label]:,}")

    with transaction.atomic():
        # Six core partners, as the initiative has, not one in eleven of 40,000 organizations:
        # pages that list the core partners (the steering committee's missing seats) would
        # otherwise list thousands.
        kinds = [k for k in terms[Vocabulary.ORGANIZATION_KIND] if k.slug != CORE_PARTNER_KIND]
        core_kind = next((k for k in terms[Vocabulary.ORGANIZATION_KIND]
                          if k.slug == CORE_PARTNER_KIND), None)  # fmt: skip
        orgs = [
            Organization(
                name=f"{PREFIX} organization {i:06d}",
                slug=f"scale-organization-{i:06d}",
                kind=core_kind if i < CORE_PARTNERS and core_kind else rng.choice(kinds),
                country=rng.choice(countries),
                description="Synthetic organization for the benchmark.",
                visibility=rng.choices(["public", "network", "core"], [8, 1, 1])[0],
            )  # fmt: skip
            for i in range(n["organizations"])
        ]
        bulk(Organization, orgs, "organizations")
        orgs = list(Organization.objects.filter(name__startswith=PREFIX).only("id"))
        capabilities = terms[Vocabulary.CAPABILITY]
        bulk(
            OrganizationCapability,
            [
                OrganizationCapability(
                    organization=o,
                    capability=c,
                    level=rng.choice(["basic", "intermediate", "advanced"]),
                )
                for o in orgs
                for c in rng.sample(capabilities, 5)
            ],  # fmt: skip
            "organization capabilities",
        )

        landscapes = []
        for i in range(n["landscapes"]):
            country = rng.choice(countries)
            lon, lat = rng.uniform(-170, 170), rng.uniform(-50, 60)
            boundary = _polygon(rng, lon, lat)
            facts = geo.boundary_facts(boundary)
            landscapes.append(
                Landscape(
                    name=f"{PREFIX} landscape {i:05d}",
                    slug=f"scale-landscape-{i:05d}",
                    summary=f"Synthetic landscape in {country.name}.",
                    region=country.region,
                    boundary=boundary,
                    population=rng.randint(5_000, 5_000_000),
                    initiative_status=rng.choice(["candidate", "engaged", "member"]),
                    partnership_organization=rng.choice(orgs),
                    visibility=rng.choices(["public", "network", "restricted"], [8, 1, 1])[0],
                    is_demo=True,
                    **facts,
                )  # fmt: skip
            )
            landscapes[-1]._country = country
        bulk(Landscape, landscapes, "landscapes")
        saved = {ls.slug: ls for ls in Landscape.objects.filter(name__startswith=PREFIX)}
        through = Landscape.countries.through
        bulk(
            through,
            [
                through(landscape_id=saved[ls.slug].pk, country_id=ls._country.code)
                for ls in landscapes
            ],  # fmt: skip
            "landscape countries",
        )
        ecosystems = terms[Vocabulary.ECOSYSTEM]
        eco_through = Landscape.ecosystems.through
        bulk(
            eco_through,
            [
                eco_through(landscape_id=ls.pk, term_id=t.pk)
                for ls in saved.values()
                for t in rng.sample(ecosystems, 2)
            ],  # fmt: skip
            "landscape ecosystems",
        )
        elements = terms[Vocabulary.ILM_ELEMENT]
        bulk(
            LandscapeILMProgress,
            [
                LandscapeILMProgress(landscape=ls, element=e, stage=rng.choice(ILMStage.values))
                for ls in saved.values()
                for e in elements
            ],  # fmt: skip
            "ILM progress",
        )
        bulk(
            LandscapeNeed,
            [
                LandscapeNeed(
                    landscape=ls,
                    capability=c,
                    priority=rng.choice(["high", "medium", "low"]),
                    status=rng.choice(["open", "in_progress", "met"]),
                )
                for ls in saved.values()
                for c in rng.sample(capabilities, 3)
            ],  # fmt: skip
            "needs",
        )
        bulk(
            LandscapeOrganization,
            [
                LandscapeOrganization(landscape=ls, organization=o, role="partner")
                for ls in saved.values()
                for o in rng.sample(orgs, 3)
            ],  # fmt: skip
            "landscape organizations",
        )

        people = [
            Person(
                name=f"{PREFIX} person {i:06d}",
                email=f"scale{i}@scale.example",
                contact_consent=i % 4 == 0,
            )  # fmt: skip
            for i in range(n["people"])
        ]
        bulk(Person, people, "people")
        people = list(Person.objects.filter(name__startswith=PREFIX).only("id"))
        bulk(
            OrganizationMembership,
            [
                OrganizationMembership(
                    person=p,
                    organization=rng.choice(orgs),
                    role="admin" if i % 50 == 0 else "member",
                )
                for i, p in enumerate(people)
            ],  # fmt: skip
            "organization memberships",
        )
        landscape_list = list(saved.values())
        bulk(
            LandscapeMembership,
            [
                LandscapeMembership(
                    person=p,
                    landscape=landscape_list[i % len(landscape_list)],
                    role="leader" if i < len(landscape_list) else "member",
                    is_contact=i < 2 * len(landscape_list),
                )
                for i, p in enumerate(people)
            ],  # fmt: skip
            "landscape memberships",
        )
    return created


def bench_user(email: str, *, staff: bool = False):
    """An account the benchmark signs in as (a member of one synthetic landscape)."""
    from django.contrib.auth.models import Group

    User = get_user_model()
    user, _created = User.objects.get_or_create(email=email, defaults={"name": slugify(email)})
    if staff:
        Group.objects.get(name="hub-staff").user_set.add(user)
    return user
