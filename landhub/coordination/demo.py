"""Demo offerings, activities and service requests of the six core partners
(``landhub seed-demo``), written through the services so the workflow, history, overlap
alerts and notifications are exercised like real use.

The offerings are illustrative: real kinds of support these partners give landscape
partnerships, described in our own words, not their catalogues. Activity dates are counted
from the day the demo is loaded, so the calendar always has something this month and next.
Running it again creates nothing new (records are recognised by their titles).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal

from landhub.directory.models import Organization

from . import services
from .models import Activity, ActivityOverlap, Offering, ServiceRequest


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


def seed_demo(*, stdout=None) -> dict:
    """The app's whole demo: offerings, then activities and requests, which use them."""
    return {
        **seed_offerings(stdout=stdout),
        **seed_activities(stdout=stdout),
        **seed_requests(stdout=stdout),
    }


# --- Activities on the shared calendar ---------------------------------------------------------


@dataclass(frozen=True)
class DemoActivity:
    title: str
    organizations: list[str]  # short names of core partners, or full names of organizations
    type: str
    landscapes: list[str]  # names of demo landscapes
    starts: int  # days after the anchor (negative: before it)
    ends: int
    status: str
    capabilities: list[str]
    themes: list[str]
    description: str
    anchor: str = "today"  # or "next_month": its first day, so next month always has some
    visibility: str = "public"


# Two pairs overlap on purpose (same landscape, period and topic, different organizations):
# Commonland's and EcoAgriculture Partners' AlVelAl events (left open, so Pablo sees
# "Coordinate with …") and Rainforest Alliance's and Tech Matters' Ashanti trainings (marked
# coordinated). No other two activities of different organizations overlap. The Global Soil
# Health Lab's field days in Mindanao (Nora's organization) are the other side of the browser
# test in which Pablo adds an overlapping activity (e2e/test_coordination.py).
ACTIVITIES = [
    DemoActivity("Partnership self-assessment workshop, Mount Kenya", ["EP"], "workshop",
                 ["Mount Kenya Forest and Farms"], 6, 7, "confirmed",
                 ["governance", "facilitation"], ["governance"],
                 "Two days with the partnership's members to rate its governance, inclusion and "
                 "shared vision, and agree what to strengthen this year."),
    DemoActivity("Landscape leadership course: East Africa cohort", ["EP", "CL"], "training",
                 ["Laikipia Rangelands", "Mount Kenya Forest and Farms"], -2, 3, "confirmed",
                 ["facilitation", "conflict-resolution", "capacity-building"],
                 ["governance", "inclusion"],
                 "The in-person week of the leadership course for landscape leaders of Kenya: "
                 "convening, negotiation and peer coaching."),
    DemoActivity("Landscape data platform training, Mount Kenya", ["TM"], "training",
                 ["Mount Kenya Forest and Farms"], -30, -29, "done",
                 ["digital-tools", "knowledge-management"], ["water"],
                 "Partners learned to keep their maps, files and water data on the shared "
                 "platform."),
    DemoActivity("Cocoa farmer group certification training", ["RA"], "training",
                 ["Ashanti Cocoa Landscape"], 12, 14, "confirmed",
                 ["value-chains", "regenerative-agriculture"], ["livelihoods"],
                 "Lead farmers of six cooperatives prepare their internal management system "
                 "for certification."),
    DemoActivity("Soil app field session for cocoa farmers", ["TM"], "training",
                 ["Ashanti Cocoa Landscape"], 13, 13, "planned",
                 ["digital-tools", "regenerative-agriculture"], ["food-security"],
                 "Lead farmers try the soil identification app on their own plots."),
    DemoActivity("AlVelAl 4 Returns partners convening", ["CL"], "convening",
                 ["AlVelAl Altiplano"], 8, 9, "confirmed",
                 ["business-planning", "facilitation"], ["restoration"],
                 "Farmers, almond buyers and the regional government review five years of "
                 "restoration and agree the next business case.", anchor="next_month"),
    DemoActivity("Partnership self-assessment workshop, AlVelAl", ["EP"], "workshop",
                 ["AlVelAl Altiplano"], 9, 9, "planned",
                 ["governance", "facilitation"], ["governance"],
                 "A one-day self-assessment of the AlVelAl partnership's governance.",
                 anchor="next_month"),
    DemoActivity("Land-use planning field mission, Tigray", ["UNDP"], "mission",
                 ["Tigray Highlands Restoration"], 20, 27, "planned",
                 ["land-use-planning", "gis-and-mapping"], ["restoration"],
                 "Mapping exclosures, terraces and grazing areas with the woreda planners."),
    DemoActivity("Landscape finance convening for Africa", ["UNDP"], "convening",
                 ["Mount Kenya Forest and Farms", "Tigray Highlands Restoration",
                  "Ashanti Cocoa Landscape", "Baviaanskloof Hartland"], 20, 21, "planned",
                 ["landscape-finance", "fundraising"], ["finance"],
                 "Partnerships of four African landscapes meet funders and investors.",
                 anchor="next_month", visibility="network"),
    DemoActivity("Páramo water valuation scoping mission", ["CI"], "mission",
                 ["Andes Páramo Water Landscape"], 15, 19, "planned",
                 ["research", "carbon-markets"], ["water", "biodiversity"],
                 "Scoping what the páramo's water regulation is worth to Bogotá's utilities.",
                 anchor="next_month"),
    DemoActivity("Peatland rewetting monitoring training", ["CI"], "training",
                 ["Heart of Borneo Peatlands"], -45, -43, "done",
                 ["remote-sensing", "monitoring-and-evaluation"], ["climate-mitigation"],
                 "Community rangers learned to read water-table loggers and satellite data."),
    DemoActivity("Conservation agreements in the Petén corridor", ["CI"], "project",
                 ["Petén–Highlands Corridor"], -60, 120, "confirmed",
                 ["biodiversity", "land-tenure"], ["biodiversity", "inclusion"],
                 "Negotiating conservation agreements with six forest concession communities."),
    DemoActivity("Forest concession monitoring mission", ["RA"], "mission",
                 ["Petén–Highlands Corridor"], 30, 34, "planned",
                 ["monitoring-and-evaluation", "value-chains"], ["governance"],
                 "Field visit to the community concessions' timber and xate value chains.",
                 visibility="network"),
    DemoActivity("Watershed planning convening, Western Ghats", ["UNDP"], "convening",
                 ["Western Ghats Watersheds"], -14, -13, "done",
                 ["land-use-planning", "water-management"], ["water"],
                 "District officials and farmer groups agreed priority catchments."),
    DemoActivity("Baviaanskloof restoration business case workshop", ["CL"], "workshop",
                 ["Baviaanskloof Hartland"], -20, -19, "done",
                 ["business-planning", "restoration-practice"], ["restoration"],
                 "Landowners costed spekboom restoration against grazing and water returns."),
    DemoActivity("Landscape data platform onboarding, Cerrado", ["TM"], "training",
                 ["Cerrado Waters"], 3, 4, "confirmed",
                 ["digital-tools", "gis-and-mapping"], ["water"],
                 "Partners of the coalition set up their shared maps of springs and farms."),
    DemoActivity("Soil health field days, Mindanao", ["Global Soil Health Lab"], "mission",
                 ["Mindanao Uplands"], 18, 21, "confirmed",
                 ["regenerative-agriculture", "research"], ["food-security"],
                 "Soil sampling with upland farmers and a day of results at the municipal hall."),
]  # fmt: skip
# The pair marked coordinated in the demo, and what was agreed.
COORDINATED = (
    "Cocoa farmer group certification training", "Soil app field session for cocoa farmers",
    "The soil app session becomes the afternoon of the training's second day.",
)  # fmt: skip


def _anchor(spec: DemoActivity, today: dt.date) -> dt.date:
    if spec.anchor == "next_month":
        return (today.replace(day=1) + dt.timedelta(days=32)).replace(day=1)
    return today


def seed_activities(*, stdout=None) -> dict:
    """Create the demo activities once, with their overlap alerts (existing titles are kept).

    Commonland's activities are added by Pablo (its administrator), the others by hub staff.
    """
    from django.contrib.auth import get_user_model
    from django.utils import timezone

    from landhub.directory.demo import CORE_PARTNERS
    from landhub.directory.models import Landscape

    say = stdout.write if stdout else (lambda _msg: None)
    User = get_user_model()
    hana = User.objects.get(email="hana@demo.landhub.org")
    pablo = User.objects.get(email="pablo@demo.landhub.org")
    short = {s: name for name, s, _country in CORE_PARTNERS}
    today = timezone.localdate()
    created = 0
    for spec in ACTIVITIES:
        if Activity.objects.filter(title=spec.title).exists():
            continue
        anchor = _anchor(spec, today)
        organizations = [Organization.objects.get(name=short.get(o, o))
                         for o in spec.organizations]  # fmt: skip
        services.activity_create(
            actor=pablo if spec.organizations == ["CL"] else hana, title=spec.title,
            type=spec.type, status=spec.status, organizations=organizations,
            landscapes=[Landscape.objects.get(name=name) for name in spec.landscapes],
            capabilities=spec.capabilities, themes=spec.themes,
            starts_on=anchor + dt.timedelta(days=spec.starts),
            ends_on=anchor + dt.timedelta(days=spec.ends),
            description=spec.description, visibility=spec.visibility,
        )  # fmt: skip
        created += 1
    first, second, note = COORDINATED
    overlap = ActivityOverlap.objects.filter(
        first__title__in=[first, second], second__title__in=[first, second],
        coordinated_at__isnull=True,
    ).first()  # fmt: skip
    if overlap is not None and created:
        services.overlap_mark_coordinated(actor=hana, overlap=overlap, note=note)
    say(f"Activities: {Activity.objects.count()} ({created} new), "
        f"{ActivityOverlap.objects.count()} overlap alerts\n")  # fmt: skip
    return {"activities": created}


# --- Service requests --------------------------------------------------------------------------


@dataclass(frozen=True)
class DemoRequest:
    landscape: str
    offering: str
    message: str
    steps: list[tuple[str, str]] = field(default_factory=list)  # (action, answer) in order
    feedback: dict | None = None


# Lena (leader of Mount Kenya Forest and Farms) makes her landscape's requests; the other
# landscapes' leaders have no sign-in in the demo, so hub staff file theirs for them. Pablo
# answers for Commonland; hub staff for the other providers. Mount Kenya asks for no
# Commonland offering: the browser test has Lena request "4 Returns business case coaching"
# and Pablo find that one Mount Kenya request among the requests to Commonland.
REQUESTS = [
    DemoRequest("Mount Kenya Forest and Farms", "Jurisdictional monitoring dashboard",
                "We want to follow forest cover and river flow with the county and the tea "
                "factories, and report on it together every year."),
    DemoRequest("Mount Kenya Forest and Farms", "Landscape data and collaboration platform",
                "Our partners keep maps and reports in a dozen places; we need one shared space.",
                [("accept", "We can start with a training for your partners next month."),
                 ("deliver", "The platform is set up, with your partners' accounts and maps.")],
                {"usefulness": 5, "what_changed": "All twelve partners now share one map of "
                 "the water towers, and the county uses it in its plan.",
                 "would_recommend": True, "days_saved": Decimal("12")}),
    DemoRequest("AlVelAl Altiplano", "4 Returns business case coaching",
                "We want to update our business case before the regional funds open in spring.",
                [("accept", "Happy to: we will plan the first coaching day at the convening.")]),
    DemoRequest("Baviaanskloof Hartland", "Landscape partners community of practice",
                "Our coordinator would like to join the monthly exchange with other landscapes.",
                [("accept", ""), ("deliver", "Welcome aboard: invitations are in your inbox.")],
                {"usefulness": 4, "what_changed": "We borrowed the grazing agreement model "
                 "of another landscape.", "would_recommend": True}),
    DemoRequest("Petén–Highlands Corridor", "Landscape leadership course",
                "Two of our community leaders would like to join the next cohort.",
                [("decline", "This year's Spanish-speaking cohort is full; we will write to you "
                  "as soon as the next intake opens.")]),
    DemoRequest("Ashanti Cocoa Landscape", "Farmer group certification readiness",
                "Six cooperatives want to be ready for their first certification audit.",
                [("accept", "Our Kumasi team will coach the cooperatives."),
                 ("start", "The first internal inspections have started.")]),
    DemoRequest("Andes Páramo Water Landscape", "Ecosystem service valuation",
                "We need figures on what the páramo's water is worth to convince the utilities.",
                [("accept", ""), ("deliver", "The valuation report is shared with the alliance.")],
                {"usefulness": 4, "what_changed": "The water utility agreed to co-fund "
                 "páramo restoration.", "would_recommend": True,
                 "money_saved_usd": Decimal("15000")}),
]  # fmt: skip


def seed_requests(*, stdout=None) -> dict:
    """Create the demo service requests once, each taken through its steps by the services
    (a request already there for a landscape and offering is kept as it is)."""
    from django.contrib.auth import get_user_model
    from django.utils import timezone

    from landhub.directory.models import Landscape

    say = stdout.write if stdout else (lambda _msg: None)
    User = get_user_model()
    hana = User.objects.get(email="hana@demo.landhub.org")
    pablo = User.objects.get(email="pablo@demo.landhub.org")
    lena = User.objects.get(email="lena@demo.landhub.org")
    created = 0
    for spec in REQUESTS:
        landscape = Landscape.objects.get(name=spec.landscape)
        offering = Offering.objects.get(title=spec.offering)
        if ServiceRequest.objects.filter(landscape=landscape, offering=offering).exists():
            continue
        asker = lena if services.may_act_for_landscape(lena, landscape) else hana
        request = services.request_create(actor=asker, landscape=landscape, offering=offering,
                                          message=spec.message)  # fmt: skip
        answerer = pablo if services.may_answer_request(pablo, request) else hana
        for action, answer in spec.steps:
            expected = timezone.localdate() + dt.timedelta(days=45) if action == "accept" else None
            request = services.request_transition(
                actor=answerer, request=request, action=action, version=request.version,
                answer=answer, expected_by=expected,
            )  # fmt: skip
        if spec.feedback:
            services.feedback_give(actor=asker, request=request, **spec.feedback)
        created += 1
    say(f"Service requests: {ServiceRequest.objects.count()} ({created} new)\n")
    return {"requests": created}
