"""Demo data of outcome harvesting (issue 6): eleven outcome statements over the demo
landscapes and the years 2024–2026, in every status, with substantiation answers on those that
were substantiated or published.

The statements are illustrative — the kinds of changes in the enabling environment the
initiative looks for (a regional bank adopting landscape-finance criteria, a ministry adopting
an integrated landscape management policy, a commodity buyer changing its sourcing …) in our own
words. Written through the services (so the workflow and the history are real), except the
substantiators' answers, which are stored directly: the demo sends no e-mail. Idempotent:
statements are recognised by their titles.
"""

from __future__ import annotations

import datetime as dt
import secrets
from dataclasses import dataclass, field

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.db import transaction
from django.utils import timezone

from .. import services
from ..models import OutcomeStatement, Substantiation
from ..rules import REVIEWERS_GROUP

PUBLISHED, SUBSTANTIATED, UNDER_REVIEW, DRAFT = (
    "published", "substantiated", "under_review", "draft",
)  # fmt: skip


@dataclass(frozen=True)
class DemoOutcome:
    title: str
    description: str
    actor: str  # an organization of the demo directory, or a name
    actor_type: str
    change_type: str
    domain: str
    occurred_on: dt.date
    contribution: str
    status: str
    landscapes: list[str] = field(default_factory=list)
    countries: list[str] = field(default_factory=list)
    is_global: bool = False
    partners: list[str] = field(default_factory=list)
    offerings: list[str] = field(default_factory=list)
    activities: list[str] = field(default_factory=list)
    tags: list[tuple[str, str]] = field(default_factory=list)
    significance_level: str = "medium"
    significance: str = ""
    intended: bool = True
    effect: str = "positive"
    author: str = "lena"
    visibility: str = "public"
    answers: list[tuple[str, str, str, str, str]] = field(default_factory=list)
    # (name, affiliation, statement agreement, contribution agreement, comment)


OUTCOMES = [
    DemoOutcome(
        "Regional bank adopts landscape-finance criteria for agricultural credit",
        "Landscape Resilience Facility, a regional lender, now scores agricultural loans in "
        "partnership landscapes against the landscape's integrated plan: loans that support "
        "restoration and water targets get longer tenors and a lower rate.",
        "Landscape Resilience Facility",
        "financial_institution",
        "investment",
        "financial_sector",
        dt.date(2025, 3, 14),
        "Two cohorts of the bank's credit officers took the **Blended finance term sheet "
        "templates** coaching; the Mount Kenya partnership shared its landscape plan and "
        "investment pipeline; Commonland and EcoAgriculture Partners advised on the criteria.",
        PUBLISHED,
        landscapes=["Mount Kenya Forest and Farms", "Laikipia Rangelands"],
        partners=["Commonland", "EcoAgriculture Partners"],
        offerings=["Blended finance term sheet templates"],
        activities=["Landscape finance convening for Africa"],
        tags=[("theme", "finance"), ("capability", "landscape-finance"), ("sdg", "sdg-15")],
        significance_level="high",
        significance="The first lender in the region to price landscape outcomes into credit.",
        answers=[
            (
                "Grace Wanjiru",
                "Credit risk officer, central bank supervision",
                "fully",
                "fully",
                "The criteria are in the bank's 2025 credit manual.",
            )
        ],
    ),
    DemoOutcome(
        "Ministry adopts an integrated landscape management policy",
        "The Ministry of Environment of Kenya adopted a national guideline that asks county "
        "land-use plans to be prepared with multi-stakeholder landscape partnerships.",
        "Ministry of Environment of Kenya",
        "government",
        "policy",
        "government_policy",
        dt.date(2024, 10, 2),
        "The Laikipia and Mount Kenya partnerships presented their plans at the ministry's "
        "consultation; UNDP's **Integrated land-use planning support** drafted the guideline's "
        "annex with ministry staff.",
        PUBLISHED,
        landscapes=["Laikipia Rangelands"],
        countries=["KE"],
        partners=["United Nations Development Programme"],
        offerings=["Integrated land-use planning support"],
        tags=[("ilm_element", "vision-and-planning"), ("theme", "governance")],
        significance_level="high",
        author="hana",
        answers=[
            (
                "Peter Otieno",
                "County planning officer",
                "fully",
                "partly",
                "Other donors supported the consultation as well.",
            )
        ],
    ),
    DemoOutcome(
        "Cocoa buyer changes its sourcing to deforestation-free landscape suppliers",
        "Fair Trade Cocoa Buyers Group now sources 40 % of its Ghanaian cocoa from farmer "
        "groups in the Ashanti landscape that meet the partnership's no-deforestation "
        "commitments, and pays a landscape premium into the partnership's fund.",
        "Fair Trade Cocoa Buyers Group",
        "business",
        "practice",
        "business_practices",
        dt.date(2025, 9, 30),
        "Rainforest Alliance's **Farmer group certification readiness** prepared the farmer "
        "groups; the partnership brokered the first contracts at its buyers' round table.",
        PUBLISHED,
        landscapes=["Ashanti Cocoa Landscape"],
        partners=["Rainforest Alliance"],
        offerings=["Farmer group certification readiness"],
        activities=["Cocoa farmer group certification training"],
        tags=[("theme", "livelihoods"), ("capability", "value-chains"), ("sdg", "sdg-12")],
        significance_level="high",
        author="pablo",
        answers=[
            (
                "Kwame Mensah",
                "Ghana Shea and Cocoa Farmers Network",
                "fully",
                "fully",
                "Our members have signed the contracts.",
            )
        ],
    ),
    DemoOutcome(
        "Water utility co-finances páramo restoration",
        "The regional water utility committed a share of its tariff to restoring páramo "
        "wetlands upstream of its intakes, for ten years.",
        "Andes water utility",
        "business",
        "investment",
        "financial_sector",
        dt.date(2025, 6, 10),
        "Conservation International's **Ecosystem service valuation** put a price on the "
        "water the páramo provides; the Andes Páramo Alliance convened the utility and farmers.",
        SUBSTANTIATED,
        landscapes=["Andes Páramo Water Landscape"],
        partners=["Conservation International"],
        offerings=["Ecosystem service valuation"],
        activities=["Páramo water valuation scoping mission"],
        tags=[("theme", "water"), ("sdg", "sdg-6")],
        significance_level="high",
        author="hana",
        answers=[
            (
                "Laura Gómez",
                "Fundación Cuencas Vivas",
                "fully",
                "partly",
                "The valuation mattered; the drought of 2024 mattered more.",
            )
        ],
    ),
    DemoOutcome(
        "Municipality recognises the partnership in its land-use plan",
        "The AlVelAl municipalities wrote the landscape partnership into their joint rural "
        "development plan as the body that coordinates restoration.",
        "Andalusian Rural Development Agency",
        "government",
        "relationships",
        "government_policy",
        dt.date(2024, 5, 21),
        "Commonland's **4 Returns business case coaching** and two partners' convenings.",
        SUBSTANTIATED,
        landscapes=["AlVelAl Altiplano"],
        partners=["Commonland"],
        offerings=["4 Returns business case coaching"],
        activities=["AlVelAl 4 Returns partners convening"],
        tags=[("ilm_element", "partnership"), ("theme", "governance")],
        author="pablo",
        answers=[
            (
                "Ana Martínez",
                "Altiplano Almond Growers",
                "partly",
                "fully",
                "Two of the five municipalities have signed so far.",
            )
        ],
    ),
    DemoOutcome(
        "Almond growers' cooperative adopts regenerative practices across its members",
        "Altiplano Almond Growers made cover crops and compost a condition of its premium "
        "almond line; 180 farms changed practice in one season.",
        "Altiplano Almond Growers",
        "business",
        "practice",
        "business_practices",
        dt.date(2026, 3, 3),
        "The AlVelAl partnership's field days and the **Soil identification app**.",
        UNDER_REVIEW,
        landscapes=["AlVelAl Altiplano"],
        offerings=["Soil identification app"],
        tags=[("capability", "regenerative-agriculture")],
        author="pablo",
    ),
    DemoOutcome(
        "County government funds community rangeland committees",
        "Laikipia County set aside a budget line for the rangeland committees the partnership "
        "helped form.",
        "Laikipia County Government",
        "government",
        "investment",
        "government_policy",
        dt.date(2026, 5, 18),
        "The partnership's governance work and the **Landscape leadership course**.",
        UNDER_REVIEW,
        landscapes=["Laikipia Rangelands"],
        offerings=["Landscape leadership course"],
        activities=["Landscape leadership course: East Africa cohort"],
        tags=[("ilm_element", "taking-action")],
        author="lena",
    ),
    DemoOutcome(
        "Peatland company pauses drainage in a contested concession",
        "A plantation company paused new drainage canals in part of its concession after the "
        "landscape forum shared fire-risk maps.",
        "Borneo plantation company",
        "business",
        "behaviour",
        "business_practices",
        dt.date(2025, 11, 4),
        "The forum's maps were made with the **Landscape data and collaboration platform**.",
        PUBLISHED,
        landscapes=["Heart of Borneo Peatlands"],
        offerings=["Landscape data and collaboration platform"],
        tags=[("theme", "climate-mitigation"), ("capability", "gis-and-mapping")],
        visibility="network",
        author="hana",
        significance_level="medium",
        answers=[
            (
                "Dewi Sartika",
                "Kalimantan Peatland Care",
                "partly",
                "partly",
                "The pause is real but covers one block only.",
            )
        ],
    ),
    DemoOutcome(
        "Smallholders shift grazing away from restored slopes — and onto common land",
        "Herders moved cattle off restored slopes as agreed, but grazing pressure rose on the "
        "remaining commons, which the partnership had not planned for.",
        "Eastern Cape Grazing Commons",
        "community",
        "behaviour",
        "within_landscape",
        dt.date(2024, 8, 12),
        "The partnership's grazing agreements (see the **Conservation agreements guide**).",
        PUBLISHED,
        landscapes=["Baviaanskloof Hartland"],
        offerings=["Conservation agreements guide"],
        intended=False,
        effect="negative",
        tags=[("theme", "restoration"), ("ilm_element", "learning-and-impact")],
        author="hana",
        significance="An unintended effect the partnership now monitors.",
        answers=[("Thabo Nkosi", "Eastern Cape Grazing Commons", "fully", "fully", "")],
    ),
    DemoOutcome(
        "Commodity roundtable adopts a landscape reporting standard",
        "The Sustainable Commodities Roundtable asks its members to report sourcing by "
        "landscape, using the initiative's landscape list.",
        "Sustainable Commodities Roundtable",
        "civil_society",
        "policy",
        "other_institutions",
        dt.date(2026, 2, 9),
        "Tech Matters and the hub presented the landscape data platform to the roundtable.",
        DRAFT,
        is_global=True,
        partners=["Tech Matters"],
        author="hana",
        tags=[("capability", "digital-tools")],
    ),
    DemoOutcome(
        "Youth network runs restoration camps without outside funding",
        "Youth for Restoration ran three camps in 2025 paid by its members' own fundraising.",
        "Youth for Restoration",
        "civil_society",
        "behaviour",
        "within_landscape",
        dt.date(2025, 12, 1),
        "The **Youth restoration camps toolkit** and a first camp co-run with the Cerrado "
        "partnership.",
        DRAFT,
        landscapes=["Cerrado Waters"],
        offerings=["Youth restoration camps toolkit"],
        tags=[("capability", "youth-engagement")],
        author="lena",
    ),
]


def _records(model, names, field_name="name"):
    if not names:
        return []
    by_name = {getattr(r, field_name): r for r in model.objects.filter(**{
        f"{field_name}__in": names})}  # fmt: skip
    return [by_name[n] for n in names if n in by_name]


def _answer(outcome, who, answer, now) -> None:
    name, affiliation, statement, contribution, comment = answer
    substantiation = Substantiation(
        outcome=outcome, name=name, affiliation=affiliation,
        email=f"{name.split()[0].lower()}@substantiator.demo.example", language="en",
        token_hash=services.token_hash(secrets.token_urlsafe(32)), requested_by=who,
        expires_at=now + dt.timedelta(days=30), statement_agreement=statement,
        contribution_agreement=contribution, comment=comment, answered_at=now,
    )  # fmt: skip
    substantiation._history_user = who
    substantiation.save()


def _seed_one(spec: DemoOutcome, users: dict) -> OutcomeStatement:
    from landhub.coordination.models import Activity, Offering
    from landhub.directory.models import Country, Landscape, Organization, Term

    author, sofia = users[spec.author], users["sofia"]
    actor = Organization.objects.filter(name=spec.actor).first()
    tags = [t for vocabulary, slug in spec.tags
            for t in Term.objects.filter(vocabulary=vocabulary, slug=slug)]  # fmt: skip
    outcome = services.outcome_create(
        actor=author, title=spec.title, description=spec.description,
        actor_organization=actor, actor_name="" if actor else spec.actor,
        actor_type=spec.actor_type, change_type=spec.change_type, domain=spec.domain,
        occurred_on=spec.occurred_on, is_global=spec.is_global or not (
            spec.landscapes or spec.countries),
        landscapes=_records(Landscape, spec.landscapes),
        countries=list(Country.objects.filter(code__in=spec.countries)),
        intended=spec.intended, effect=spec.effect, significance_level=spec.significance_level,
        significance=spec.significance, contribution=spec.contribution,
        contributing_partners=_records(Organization, spec.partners),
        offerings=_records(Offering, spec.offerings, "title"),
        activities=_records(Activity, spec.activities, "title"), tags=tags,
        visibility=spec.visibility,
    )  # fmt: skip
    if spec.status == DRAFT:
        return outcome
    outcome = services.outcome_submit(actor=author, outcome=outcome, version=outcome.version)
    if spec.status == UNDER_REVIEW:
        return outcome
    now = timezone.now()
    for answer in spec.answers:
        _answer(outcome, sofia, answer, now)
    outcome = services.outcome_substantiate(actor=sofia, outcome=outcome, version=outcome.version)
    if spec.status == PUBLISHED:
        outcome = services.outcome_publish(actor=sofia, outcome=outcome, version=outcome.version)
    return outcome


def seed(*, stdout=None) -> dict:
    """The demo outcome statements that are not there yet (recognised by title)."""
    say = stdout.write if stdout else (lambda _msg: None)
    users_qs = get_user_model().objects.filter(
        email__in=[f"{k}@demo.landhub.org" for k in ("hana", "lena", "sofia", "pablo")]
    )
    users = {u.email.split("@")[0]: u for u in users_qs}  # fmt: skip
    if len(users) < 4:
        return {"outcomes": 0}
    # sofia reviews the outcomes (the quantitative demo names her too; kept here so this part
    # runs on its own).
    users["sofia"].groups.add(Group.objects.get_or_create(name=REVIEWERS_GROUP)[0])
    existing = set(OutcomeStatement.objects.filter(title__in=[s.title for s in OUTCOMES])
                   .values_list("title", flat=True))  # fmt: skip
    created = 0
    with transaction.atomic():
        for spec in OUTCOMES:
            if spec.title not in existing:
                _seed_one(spec, users)
                created += 1
    say(f"MEL outcomes: {created} outcome statements\n")
    return {"outcomes": created}
