"""Demo offerings of the six core partners (``landhub seed-demo``), written through the
services so the workflow, history and notifications are exercised like real use.

The offerings are illustrative: real kinds of support these partners give landscape
partnerships, described in our own words, not their catalogues.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from landhub.directory.models import Organization

from . import services
from .models import Offering


@dataclass(frozen=True)
class DemoOffering:
    title: str
    provider: str  # short name of the lead core partner
    type: str
    summary: str
    capabilities: list[str]
    ilm: list[str] = field(default_factory=list)
    themes: list[str] = field(default_factory=list)
    languages: list[str] = field(default_factory=lambda: ["en"])
    regions: list[str] = field(default_factory=list)  # empty = available everywhere
    cost: str = "free"
    fmt: str = "online"
    status: str = "published"
    partners: list[str] = field(default_factory=list)


OFFERINGS = [
    DemoOffering("Landscape partnership self-assessment", "EP", "tool",
                 "A guided workshop tool for a partnership to rate its own governance, "
                 "inclusion and shared vision, and plan what to strengthen.",
                 ["governance", "facilitation"], ["partnership", "shared-understanding"],
                 ["governance"], ["en", "es", "fr"]),
    DemoOffering("Landscape leadership course", "EP", "training",
                 "Twelve weeks for landscape leaders on convening, negotiation and "
                 "collective action, with peer coaching.",
                 ["facilitation", "conflict-resolution", "capacity-building"], ["partnership"],
                 ["governance", "inclusion"], ["en", "es"], cost="subsidised", fmt="hybrid",
                 partners=["CL"]),
    DemoOffering("Farmer group certification readiness", "RA", "service",
                 "Coaching for farmer groups preparing for a sustainable agriculture "
                 "certificate: internal management system, training plans, audits.",
                 ["value-chains", "regenerative-agriculture", "market-access"],
                 ["taking-action"], ["livelihoods"], ["en", "es", "pt", "id"],
                 ["Americas", "Asia", "Africa"], cost="subsidised", fmt="in_person"),
    DemoOffering("Jurisdictional monitoring dashboard", "RA", "tool",
                 "Track deforestation, income and water indicators for a jurisdiction or "
                 "landscape with partners, from shared satellite and survey data.",
                 ["monitoring-and-evaluation", "remote-sensing"], ["learning-and-impact"],
                 ["restoration"], ["en", "es", "pt"]),
    DemoOffering("Community small grants for landscapes", "UNDP", "finance",
                 "Grants of up to USD 50,000 to community organizations carrying out a "
                 "landscape strategy agreed by the local partnership.",
                 ["landscape-finance", "fundraising"], ["taking-action"],
                 ["livelihoods", "finance"], ["en", "es", "fr", "pt"], cost="free"),
    DemoOffering("Integrated land-use planning support", "UNDP", "expert",
                 "Experts who help governments and partnerships map land uses, agree "
                 "priority areas and write them into plans.",
                 ["land-use-planning", "gis-and-mapping", "policy-advocacy"],
                 ["vision-and-planning"], ["governance"], ["en", "fr", "es"],
                 ["Africa", "Asia"], fmt="hybrid"),
    DemoOffering("Ecosystem service valuation", "CI", "expert",
                 "Estimate what forests, wetlands and soils are worth to people in the "
                 "landscape, to argue for investment and to design payments.",
                 ["research", "carbon-markets", "impact-measurement"], ["shared-understanding"],
                 ["biodiversity", "finance"], ["en", "es", "pt"], cost="subsidised"),
    DemoOffering("Conservation agreements guide", "CI", "guide",
                 "How to negotiate agreements in which communities protect nature in return "
                 "for benefits they choose, with model texts.",
                 ["biodiversity", "land-tenure", "indigenous-knowledge"], ["taking-action"],
                 ["biodiversity", "inclusion"], ["en", "es", "fr"]),
    DemoOffering("Landscape data and collaboration platform", "TM", "tool",
                 "An open platform where a partnership keeps its maps, shared files and "
                 "story in one place, with each partner's data under its own control.",
                 ["digital-tools", "gis-and-mapping", "knowledge-management"],
                 ["shared-understanding", "learning-and-impact"], [],
                 ["en", "es", "fr", "pt", "sw"]),
    DemoOffering("Soil identification app", "TM", "tool",
                 "A phone app that identifies soils in the field and tells farmers what "
                 "the land can sustain, offline where there is no signal.",
                 ["digital-tools", "regenerative-agriculture"], ["taking-action"],
                 ["food-security"], ["en", "es", "fr", "pt", "sw", "id"]),
    DemoOffering("4 Returns business case coaching", "CL", "expert",
                 "Coaching to turn a landscape vision into a business case that shows "
                 "inspirational, social, natural and financial returns over twenty years.",
                 ["business-planning", "landscape-finance", "blended-finance"],
                 ["vision-and-planning"], ["finance", "restoration"], ["en", "es"],
                 cost="subsidised", fmt="hybrid", partners=["EP"]),
    DemoOffering("Landscape partners community of practice", "CL", "network",
                 "A monthly exchange of landscape partnership leaders across regions: "
                 "short talks, peer advice, a shared library.",
                 ["knowledge-management", "facilitation"], ["learning-and-impact"], [],
                 ["en", "es", "fr", "pt"], partners=["EP", "TM"]),
    DemoOffering("Youth restoration camps toolkit", "CL", "guide",
                 "Plans, safety rules and lesson sheets for running week-long restoration "
                 "camps with young people.",
                 ["youth-engagement", "restoration-practice"], ["taking-action"],
                 ["restoration"], ["en", "es"], status="in_review"),
    DemoOffering("Blended finance term sheet templates", "UNDP", "guide",
                 "Draft term sheets for landscape funds that mix grants, loans and "
                 "guarantees.", ["blended-finance"], ["vision-and-planning"], ["finance"],
                 ["en"], status="draft"),
]  # fmt: skip


def seed_offerings(*, stdout=None) -> dict:
    """Create the demo offerings once (existing titles are kept)."""
    from django.contrib.auth import get_user_model

    from landhub.directory.demo import CORE_PARTNERS

    say = stdout.write if stdout else (lambda _msg: None)
    hana = get_user_model().objects.get(email="hana@demo.landhub.org")
    short = {s: Organization.objects.get(name=name) for name, s, _country in CORE_PARTNERS}
    created = 0
    for spec in OFFERINGS:
        if Offering.objects.filter(title=spec.title).exists():
            continue
        offering = services.offering_create(
            actor=hana, title=spec.title, summary=spec.summary, type=spec.type,
            providers=[short[spec.provider], *[short[p] for p in spec.partners]],
            lead_provider=short[spec.provider], capabilities=spec.capabilities,
            ilm_elements=spec.ilm, themes=spec.themes, languages=spec.languages,
            regions=spec.regions, is_global=not spec.regions, cost=spec.cost,
            delivery_format=spec.fmt,
            description=f"{spec.summary}\n\nThis is **demo data** for trying the catalog.",
        )  # fmt: skip
        if spec.status in ("in_review", "published"):
            services.offering_transition(actor=hana, offering=offering, action="submit",
                                         version=offering.version)  # fmt: skip
        if spec.status == "published":
            services.offering_transition(actor=hana, offering=offering, action="publish",
                                         version=offering.version)  # fmt: skip
        created += 1
    say(f"Offerings: {Offering.objects.count()} ({created} new)\n")
    return {"offerings": created}
