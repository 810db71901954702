"""Demo data of system change and of the value of tools and services (issue 6).

- Three **change trails** — the demo's regional bank, ministry and cocoa buyer, aware →
  committed → adopted (and on) over 2024–2026. The step that matches an outcome statement of
  the same actor and domain (``demo/outcomes.py``, when it has run) is backed by it; the other
  steps by a line of evidence. Steps dated after today are left out, so the demo never records
  a stage before it is reached.
- Three **contribution claims**, each with alternative explanations weighed, on published
  outcome statements whose offerings they name.
- The value reports need delivered requests with value feedback: the coordination demo
  delivers three (Landscape data and collaboration platform, Landscape partners community of
  practice, Ecosystem service valuation), so nothing is added here.

Written through the services, as hub staff. Idempotent: trails are recognised by actor and
domain, claims by outcome and offering or partner.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from django.contrib.auth import get_user_model
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from .. import services
from ..models import ChangeTrail, ContributionClaim, OutcomeStatement


@dataclass(frozen=True)
class DemoTrail:
    actor: str  # an organization of the demo directory
    actor_type: str
    domain: str
    summary: str
    steps: list[tuple[str, dt.date, str]] = field(default_factory=list)  # stage, date, evidence


TRAILS = [
    DemoTrail(
        "Landscape Resilience Facility", "financial_institution", "financial_sector",
        "A regional lender moving from interest in landscape finance to credit criteria that "
        "reward the landscape plans.",
        [("aware", dt.date(2024, 3, 5), "Two credit officers joined the hub's landscape "
          "finance clinic."),
         ("committed", dt.date(2024, 11, 20), "The board signed the landscape finance pledge "
          "and named a sponsor."),
         ("adopted", dt.date(2025, 3, 14), "New agricultural credit criteria in force."),
         ("institutionalised", dt.date(2026, 5, 4), "The criteria are part of the bank's credit "
          "policy, audited yearly.")],
    ),
    DemoTrail(
        "Ministry of Environment of Kenya", "government", "government_policy",
        "The ministry's path to a national guideline on integrated landscape management.",
        [("aware", dt.date(2024, 1, 18), "Ministry staff attended the Mount Kenya partnership's "
          "plan launch."),
         ("committed", dt.date(2024, 6, 5), "The principal secretary announced a guideline on "
          "landscape partnerships."),
         ("adopted", dt.date(2024, 10, 2), "National guideline adopted."),
         ("scaled", dt.date(2026, 2, 10), "Nine counties prepare their land-use plans with "
          "landscape partnerships.")],
    ),
    DemoTrail(
        "Fair Trade Cocoa Buyers Group", "business", "business_practices",
        "A cocoa buyer changing where and how it sources in Ghana.",
        [("aware", dt.date(2024, 4, 22), "Buyers' round table in the Ashanti landscape."),
         ("committed", dt.date(2025, 1, 30), "Public commitment to deforestation-free landscape "
          "sourcing by 2027."),
         ("adopted", dt.date(2025, 9, 30), "40 % of Ghanaian cocoa sourced from the landscape's "
          "farmer groups.")],
    ),
]  # fmt: skip


@dataclass(frozen=True)
class DemoClaim:
    outcome: str  # title of a demo outcome statement
    offering: str = ""  # title of a demo offering, or
    partner: str = ""  # name of a demo organization
    claim: str = ""
    evidence: str = ""
    confidence: str = "medium"
    confidence_reason: str = ""
    alternatives: list[tuple[str, str, str]] = field(default_factory=list)


CLAIMS = [
    DemoClaim(
        "Regional bank adopts landscape-finance criteria for agricultural credit",
        offering="Blended finance term sheet templates",
        claim="The templates gave the bank's credit officers a ready structure for loans tied "
              "to the landscape plan; the criteria reuse three of its clauses word for word.",
        evidence="The bank's credit policy (clauses 4.2–4.4); interviews with two credit "
                 "officers.",
        confidence="high",
        confidence_reason="Documentary trace of the clauses and two independent interviews.",
        alternatives=[
            ("The central bank's green finance guidance pushed all lenders the same way",
             "medium", "Issued in the same year, but it names no landscape criteria."),
            ("A competitor launched a similar product first", "low",
             "No competitor product found in the market scan."),
        ],
    ),
    DemoClaim(
        "Cocoa buyer changes its sourcing to deforestation-free landscape suppliers",
        offering="Farmer group certification readiness",
        claim="Certification readiness coaching made the farmer groups eligible suppliers.",
        evidence="Audit reports of the six cooperatives; the buyer's supplier list.",
        confidence="medium",
        confidence_reason="The buyer also cites EU regulation; the coaching was necessary but "
                          "probably not sufficient.",
        alternatives=[
            ("The EU deforestation regulation forced the change", "high",
             "The buyer's own statement names the regulation first."),
        ],
    ),
    DemoClaim(
        "Ministry adopts an integrated landscape management policy",
        partner="United Nations Development Programme",
        claim="UNDP's planning support and convening brought the partnerships' plans to the "
              "ministry's consultation.",
        evidence="Consultation records; the guideline's acknowledgements.",
        confidence="medium",
        confidence_reason="Several actors lobbied for the guideline; UNDP's role is recorded.",
        alternatives=[
            ("County governments demanded the guideline themselves", "medium",
             "Two counties wrote to the ministry before the consultation."),
        ],
    ),
]  # fmt: skip


def _matching_outcomes(trail: ChangeTrail) -> list:
    """Outcome statements of the trail's actor in its domain (substantiated or published)."""
    actor = (Q(actor_organization=trail.actor_organization) if trail.actor_organization_id
             else Q(actor_name__iexact=trail.actor_name))  # fmt: skip
    shown = ["substantiated", "published"]
    return list(OutcomeStatement.objects.filter(actor, domain=trail.domain, status__in=shown))


def _seed_trail(spec: DemoTrail, hana) -> int:
    from landhub.directory.models import Organization

    organization = Organization.objects.filter(name=spec.actor).first()
    lookup = ({"actor_organization": organization} if organization
              else {"actor_name": spec.actor, "actor_organization": None})  # fmt: skip
    if ChangeTrail.objects.filter(domain=spec.domain, **lookup).exists():
        return 0
    trail = services.trail_create(
        actor=hana, actor_organization=organization, actor_name=spec.actor,
        actor_type=spec.actor_type, domain=spec.domain, summary=spec.summary,
        visibility="network",
    )  # fmt: skip
    outcomes = _matching_outcomes(trail)
    today = timezone.localdate()
    for stage, day, evidence in spec.steps:
        if day > today:
            continue
        backing = [o for o in outcomes if o.occurred_on == day]
        services.step_add(actor=hana, trail=trail, stage=stage, reached_on=day,
                          outcomes=backing, evidence="" if backing else evidence)  # fmt: skip
    return 1


def _seed_claim(spec: DemoClaim, hana) -> int:
    from landhub.coordination.models import Offering
    from landhub.directory.models import Organization

    outcome = OutcomeStatement.objects.filter(title=spec.outcome).first()
    offering = Offering.objects.filter(title=spec.offering).first() if spec.offering else None
    partner = Organization.objects.filter(name=spec.partner).first() if spec.partner else None
    if outcome is None or (offering or partner) is None:
        return 0  # the outcomes or coordination demo did not make it
    if ContributionClaim.objects.filter(outcome=outcome, offering=offering,
                                        partner=partner).exists():  # fmt: skip
        return 0
    services.claim_create(
        actor=hana, outcome=outcome, offering=offering, partner=partner, text=spec.claim,
        evidence=spec.evidence, confidence=spec.confidence,
        confidence_reason=spec.confidence_reason,
        alternatives=[{"explanation": e, "plausibility": p, "reasoning": r}
                      for e, p, r in spec.alternatives],
    )  # fmt: skip
    return 1


def seed(*, stdout=None) -> dict:
    """The demo trails and claims that are not there yet."""
    say = stdout.write if stdout else (lambda _msg: None)
    hana = get_user_model().objects.filter(email="hana@demo.landhub.org").first()
    if hana is None:
        return {"trails": 0, "claims": 0}
    with transaction.atomic():
        trails = sum(_seed_trail(spec, hana) for spec in TRAILS)
        claims = sum(_seed_claim(spec, hana) for spec in CLAIMS)
    say(f"MEL value: {trails} change trails, {claims} contribution claims\n")
    return {"trails": trails, "claims": claims}
