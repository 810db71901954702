"""The demo hub: six core partners, about 40 organizations, 12 landscapes, 60 people, personas.

Everything is deterministic (a seeded random generator) so screenshots, browser tests and
newcomers see the same hub. Records are written through the services, like an import would,
so the demo also exercises validation and history. Landscapes are flagged ``is_demo``.
"""

from __future__ import annotations

import math
import random
from dataclasses import dataclass

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.db import transaction

from .models import (
    CORE_PARTNER_KIND,
    Landscape,
    LandscapeMembership,
    LandscapeOrganization,
    Organization,
    OrganizationMembership,
    Person,
    Term,
    Vocabulary,
)
from .services import landscapes as landscape_services
from .services import organizations as organization_services

DEMO_PASSWORD = "landhub-demo"
# A fixed TOTP secret for the demo hub-staff account, printed by `landhub demo-logins` so a
# newcomer can add it to an authenticator app. Never used outside the demo.
DEMO_TOTP_SECRET = "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP"

CORE_PARTNERS = [
    ("EcoAgriculture Partners", "EP", "US"),
    ("Rainforest Alliance", "RA", "NL"),
    ("United Nations Development Programme", "UNDP", "US"),
    ("Conservation International", "CI", "US"),
    ("Tech Matters", "TM", "US"),
    ("Commonland", "CL", "NL"),
]

ORGANIZATIONS = [
    ("Mount Kenya Water Trust", "ngo", "KE"),
    ("Laikipia Rangelands Forum", "landscape-partnership", "KE"),
    ("Andes Páramo Alliance", "landscape-partnership", "CO"),
    ("Fundación Cuencas Vivas", "ngo", "CO"),
    ("Tigray Highlands Cooperative Union", "community-organization", "ET"),
    ("Ethiopian Institute for Land Restoration", "academic", "ET"),
    ("Ashanti Cocoa Landscape Partnership", "landscape-partnership", "GH"),
    ("Ghana Shea and Cocoa Farmers Network", "community-organization", "GH"),
    ("Borneo Heart Landscape Forum", "landscape-partnership", "ID"),
    ("Kalimantan Peatland Care", "ngo", "ID"),
    ("Western Ghats Farmers Collective", "community-organization", "IN"),
    ("Deccan Watershed Institute", "academic", "IN"),
    ("AlVelAl Association", "landscape-partnership", "ES"),
    ("Altiplano Almond Growers", "business", "ES"),
    ("Baviaanskloof Partnership", "landscape-partnership", "ZA"),
    ("Eastern Cape Grazing Commons", "community-organization", "ZA"),
    ("Cerrado Waters Coalition", "landscape-partnership", "BR"),
    ("Instituto Bioma Vivo", "ngo", "BR"),
    ("Petén Forest Communities Association", "community-organization", "GT"),
    ("Guatemala Highlands Coffee Cooperative", "business", "GT"),
    ("Madre de Dios Landscape Roundtable", "landscape-partnership", "PE"),
    ("Amazon Basin Indigenous Federation", "community-organization", "PE"),
    ("Mindanao Upland Partnership", "landscape-partnership", "PH"),
    ("Philippine Agroforestry Network", "network", "PH"),
    ("Green Horizon Fund", "funder", "GB"),
    ("Landscape Resilience Facility", "financial-institution", "LU"),
    ("Regenerative Futures Foundation", "funder", "US"),
    ("Blue Mountain Impact Capital", "financial-institution", "CH"),
    ("Global Soil Health Lab", "academic", "NL"),
    ("GeoMapping Commons", "technical-partner", "DE"),
    ("Open Land Data Collective", "technical-partner", "US"),
    ("Agroecology Training Centre", "technical-partner", "KE"),
    ("Ministry of Environment of Kenya", "government", "KE"),
    ("Colombian National Parks Service", "government", "CO"),
    ("Andalusian Rural Development Agency", "government", "ES"),
    ("Sustainable Commodities Roundtable", "network", "CH"),
    ("Women in Landscapes Network", "network", "GH"),
    ("Youth for Restoration", "network", "BR"),
    ("Fair Trade Cocoa Buyers Group", "business", "BE"),
    ("Forest Carbon Partners", "business", "GB"),
]


@dataclass
class DemoLandscape:
    name: str
    countries: list[str]
    center: tuple[float, float]  # lon, lat
    radius: float  # degrees
    population: int
    status: str
    ecosystems: list[str]
    themes: list[str]
    partnership: str
    summary: str


LANDSCAPES = [
    DemoLandscape("Mount Kenya Forest and Farms", ["KE"], (37.3, -0.15), 0.45, 2_100_000, "member",
                  ["mountain", "tropical-forest", "agricultural"], ["water", "livelihoods"],
                  "Mount Kenya Water Trust", "Forests, tea and water towers on Kenya's highest mountain."),
    DemoLandscape("Laikipia Rangelands", ["KE"], (36.8, 0.35), 0.5, 520_000, "engaged",
                  ["grassland", "dryland"], ["biodiversity", "livelihoods"],
                  "Laikipia Rangelands Forum", "Pastoralists, ranches and wildlife sharing dry savanna."),
    DemoLandscape("Andes Páramo Water Landscape", ["CO"], (-74.0, 4.7), 0.4, 1_300_000, "member",
                  ["mountain", "wetland"], ["water", "climate-adaptation"],
                  "Andes Páramo Alliance", "High-Andean moorlands that give Bogotá its water."),
    DemoLandscape("Tigray Highlands Restoration", ["ET"], (39.5, 13.5), 0.55, 900_000, "engaged",
                  ["dryland", "mountain", "agricultural"], ["restoration", "food-security"],
                  "Tigray Highlands Cooperative Union", "Terraces and exclosures bringing back soils and springs."),
    DemoLandscape("Ashanti Cocoa Landscape", ["GH"], (-1.6, 6.7), 0.5, 1_700_000, "member",
                  ["tropical-forest", "agricultural"], ["livelihoods", "climate-mitigation"],
                  "Ashanti Cocoa Landscape Partnership", "Cocoa agroforestry around forest reserves."),
    DemoLandscape("Heart of Borneo Peatlands", ["ID"], (113.9, -2.2), 0.6, 650_000, "candidate",
                  ["peatland", "tropical-forest"], ["climate-mitigation", "biodiversity"],
                  "Borneo Heart Landscape Forum", "Rewetting peat domes and protecting orangutan forest."),
    DemoLandscape("Western Ghats Watersheds", ["IN"], (75.8, 12.4), 0.45, 3_400_000, "engaged",
                  ["tropical-forest", "mountain", "freshwater"], ["water", "livelihoods"],
                  "Western Ghats Farmers Collective", "Coffee, spices and rivers of the southern Ghats."),
    DemoLandscape("AlVelAl Altiplano", ["ES"], (-2.4, 37.6), 0.5, 250_000, "member",
                  ["dryland", "agricultural"], ["restoration", "livelihoods"],
                  "AlVelAl Association", "Regenerative almonds and restored soils on a high plateau."),
    DemoLandscape("Baviaanskloof Hartland", ["ZA"], (24.1, -33.6), 0.45, 60_000, "member",
                  ["grassland", "mountain"], ["water", "restoration"],
                  "Baviaanskloof Partnership", "Restoring spekboom thicket and the catchment it feeds."),
    DemoLandscape("Cerrado Waters", ["BR"], (-47.8, -15.8), 0.6, 2_800_000, "engaged",
                  ["grassland", "freshwater", "agricultural"], ["water", "biodiversity"],
                  "Cerrado Waters Coalition", "Savanna springs feeding three of Brazil's great rivers."),
    DemoLandscape("Petén–Highlands Corridor", ["GT"], (-90.2, 16.4), 0.5, 780_000, "candidate",
                  ["tropical-forest"], ["governance", "livelihoods"],
                  "Petén Forest Communities Association", "Community forest concessions and coffee uplands."),
    DemoLandscape("Mindanao Uplands", ["PH"], (125.0, 7.9), 0.4, 1_100_000, "engaged",
                  ["mountain", "tropical-forest", "agricultural"], ["food-security", "restoration"],
                  "Mindanao Upland Partnership", "Agroforestry on steep upland farms above the rice plains."),
]  # fmt: skip

PERSONAS = [
    # (key, name, role description)
    ("hana", "Hana Hub", "hub staff"),
    ("pablo", "Pablo Partner", "core partner staff (Commonland admin)"),
    ("sofia", "Sofia Seat", "body member"),
    ("lena", "Lena Leader", "landscape leader (Mount Kenya Forest and Farms)"),
    ("nora", "Nora Network", "network member"),
    ("oscar", "Oscar Outsider", "signed in, no role"),
]

FIRST = ["Amina", "Carlos", "Wanjiru", "Diego", "Meseret", "Kwame", "Siti", "Arjun", "Lucía",
         "Thabo", "Ana", "María", "Jun", "Fatima", "Kofi", "Priya", "Juan", "Nomvula", "Rosa",
         "Budi"]  # fmt: skip
LAST = ["Otieno", "Restrepo", "Kebede", "Mensah", "Rahayu", "Iyer", "García", "Dlamini",
        "Souza", "Morales", "Quispe", "Santos", "Njoroge", "Tesfaye", "Boateng", "Nair"]  # fmt: skip


def polygon(center: tuple[float, float], radius: float, rng: random.Random) -> dict:
    """An irregular 14-sided polygon around ``center``: simple, valid, landscape-like."""
    lon0, lat0 = center
    points = []
    for i in range(14):
        angle = 2 * math.pi * i / 14
        r = radius * rng.uniform(0.7, 1.0)
        points.append(
            [round(lon0 + r * math.cos(angle), 5), round(lat0 + r * math.sin(angle) * 0.8, 5)]
        )
    points.append(points[0])
    return {"type": "Polygon", "coordinates": [points]}


def demo_exists() -> bool:
    return Landscape.objects.filter(is_demo=True).exists()


def _user(email: str, name: str, *, staff_group=None):
    from allauth.account.models import EmailAddress

    User = get_user_model()
    user, created = User.objects.get_or_create(email=email, defaults={"name": name})
    if created:
        user.set_password(DEMO_PASSWORD)
        user.save()
        EmailAddress.objects.get_or_create(
            user=user, email=email, defaults={"verified": True, "primary": True}
        )
    if staff_group is not None:
        staff_group.user_set.add(user)
    return user


@transaction.atomic
def seed_demo(*, stdout=None) -> dict:
    """Create the demo hub. Safe to run twice: existing records are reused."""
    from allauth.mfa.models import Authenticator
    from allauth.mfa.totp.internal.auth import TOTP

    rng = random.Random(1000)
    say = stdout.write if stdout else (lambda _msg: None)
    staff = Group.objects.get(name="hub-staff")
    users = {
        key: _user(f"{key}@demo.landhub.org", name, staff_group=staff if key == "hana" else None)
        for key, name, _role in PERSONAS
    }
    hana = users["hana"]
    if not Authenticator.objects.filter(user=hana, type=Authenticator.Type.TOTP).exists():
        TOTP.activate(hana, DEMO_TOTP_SECRET)
    hana.is_superuser = hana.is_staff = True
    hana.save(update_fields=["is_superuser", "is_staff"])

    people = {}
    for key, user in users.items():
        people[key], _ = Person.objects.get_or_create(
            user=user, defaults={"name": user.name, "email": user.email, "contact_consent": True}
        )

    def organization(name, kind, country, short=""):
        existing = Organization.objects.filter(name=name).first()
        if existing:
            return existing
        return organization_services.organization_create(
            actor=hana, name=name, kind=kind, short_name=short, country=country,
            description=f"{name} works with landscape partnerships in the 1,000 landscapes network.",
        )  # fmt: skip

    core = [organization(n, CORE_PARTNER_KIND, c, s) for n, s, c in CORE_PARTNERS]
    others = [organization(n, k, c) for n, k, c in ORGANIZATIONS]
    say(f"Organizations: {len(core)} core partners, {len(others)} others\n")

    capabilities = list(Term.objects.of(Vocabulary.CAPABILITY))
    for org in core + others:
        if not org.capabilities.exists():
            chosen = rng.sample(capabilities, 4)
            organization_services.organization_capabilities_set(
                actor=hana, organization=org,
                capabilities={t.slug: rng.choice(["basic", "intermediate", "advanced"])
                              for t in chosen},
            )  # fmt: skip

    OrganizationMembership.objects.get_or_create(
        person=people["pablo"], organization=core[5], end_date=None,
        defaults={"role": "admin", "title": "Landscape programme lead"},
    )  # fmt: skip
    OrganizationMembership.objects.get_or_create(
        person=people["nora"], organization=others[28], end_date=None,
        defaults={"role": "member", "title": "Soil scientist"},
    )  # fmt: skip

    ilm = list(Term.objects.of(Vocabulary.ILM_ELEMENT).order_by("sort_order"))
    by_name = {o.name: o for o in others}
    landscapes = []
    for spec in LANDSCAPES:
        landscape = Landscape.objects.filter(name=spec.name).first()
        if landscape is None:
            landscape = landscape_services.landscape_create(
                actor=hana, name=spec.name, countries=spec.countries, summary=spec.summary,
                population=spec.population, initiative_status=spec.status,
                ecosystems=spec.ecosystems, themes=spec.themes, is_demo=True,
                partnership_organization=by_name[spec.partnership],
                partnership_status="active" if spec.status == "member" else "forming",
                year_formed=rng.randint(2008, 2023), agreement_signed=spec.status == "member",
                description=f"{spec.summary}\n\nThis is **demo data**: the boundary is drawn "
                "around the real region but simplified.",
                boundary=polygon(spec.center, spec.radius, rng),
            )  # fmt: skip
            for index, element in enumerate(ilm):
                stage = (
                    "established"
                    if index < rng.randint(0, 3)
                    else rng.choice(["in_progress", "not_started"])
                )
                landscape_services.landscape_ilm_set(
                    actor=hana, landscape=landscape, element=element, stage=stage,
                    evidence="Workshop report and signed minutes" if stage != "not_started" else "",
                )  # fmt: skip
            for capability in rng.sample(capabilities, 3):
                landscape_services.landscape_need_create(
                    actor=hana, landscape=landscape, capability=capability,
                    priority=rng.choice(["high", "medium", "low"]),
                    description=f"Support with {capability.name_en.lower()} for the partnership.",
                )  # fmt: skip
            for org in rng.sample(core, 2) + [by_name[spec.partnership]]:
                LandscapeOrganization.objects.get_or_create(
                    landscape=landscape, organization=org,
                    defaults={"role": "lead" if org.name == spec.partnership else "technical"},
                )  # fmt: skip
        landscapes.append(landscape)
    say(f"Landscapes: {len(landscapes)}\n")

    LandscapeMembership.objects.get_or_create(
        person=people["lena"], landscape=landscapes[0], end_date=None,
        defaults={"role": "leader", "is_contact": True},
    )  # fmt: skip

    created_people = Person.objects.filter(
        user__isnull=True, email__endswith="@demo.example"
    ).count()
    for i in range(created_people, 60):
        name = f"{FIRST[i % len(FIRST)]} {LAST[(i * 7) % len(LAST)]}"
        person = Person.objects.create(
            name=name, email=f"person{i}@demo.example", contact_consent=i % 3 == 0,
            languages=rng.sample(["en", "es", "fr", "pt"], 2),
        )  # fmt: skip
        org = (core + others)[i % (len(core) + len(others))]
        OrganizationMembership.objects.create(
            person=person, organization=org, role="member",
            title=rng.choice(["Programme officer", "Coordinator", "Field lead", "Director"]),
        )  # fmt: skip
        LandscapeMembership.objects.create(
            person=person, landscape=landscapes[i % len(landscapes)],
            role="manager" if i < 12 else "member", is_contact=i < 24,
        )  # fmt: skip
    say(f"People: {Person.objects.count()}\n")
    return {"landscapes": len(landscapes), "organizations": len(core) + len(others)}
