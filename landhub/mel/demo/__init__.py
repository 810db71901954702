"""Demo MEL data (``landhub seed-demo``): the initiative's framework, 30 indicators, their
assignments to the demo landscapes, three annual reporting periods and two years of values
— written through the services, so the workflow, history and roll-ups are exercised like
real use.

The indicators are illustrative: the kinds of measures landscape programmes report (people,
hectares, money, governance), in our own words. The numbers are invented (seeded, so the same
every time) and flagged as demo data by the demo landscapes they belong to.
"""

from __future__ import annotations

import datetime as dt
import random
from dataclasses import dataclass, field

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.db import transaction

from .. import rollups, services
from ..models import (
    DisaggregationOption,
    DisaggregationScheme,
    Framework,
    Indicator,
    IndicatorAssignment,
    Observation,
    ReportingPeriod,
    Target,
)
from ..rules import REVIEWERS_GROUP

SCHEMES = {
    "sex": ("Sex", [("women", "Women"), ("men", "Men")]),
    "age": ("Age group", [("youth", "15–34 years"), ("adults", "35 years and over")]),
    "stakeholder": ("Stakeholder group", [("farmers", "Farmers and herders"),
                                          ("business", "Businesses"),
                                          ("public", "Government bodies"),
                                          ("civil", "Civil society")]),
}  # fmt: skip


@dataclass(frozen=True)
class DemoIndicator:
    code: str
    name: str
    measure: str
    node: str  # code of the initiative framework's node
    unit: str = ""
    aggregation: str = "sum"
    mode: str = "non_cumulative"
    schemes: list[str] = field(default_factory=list)
    direction: str = "increase"
    levels: list[str] = field(default_factory=list)
    threshold: str | None = None
    sdg: str = ""
    landscale: str = ""
    four_returns: str = ""
    size: int = 1000  # typical value per landscape per year (counts, areas, money)


INDICATORS = [
    DemoIndicator("IMP-1", "People living in engaged landscapes", "count", "I1", "people",
                  "latest", "cumulative_not_summed", size=800_000),
    DemoIndicator("IMP-2", "Hectares under restoration", "area", "I1", "ha", "latest",
                  "cumulative_not_summed", sdg="15.3.1", landscale="1.2", four_returns="natural",
                  size=20_000),
    DemoIndicator("IMP-3", "Hectares of natural ecosystems protected", "area", "I1", "ha",
                  "latest", "cumulative_not_summed", sdg="15.1.2", size=15_000),
    DemoIndicator("IMP-4", "Households with improved income from landscape activities",
                  "count", "I1", "households", "sum", "cumulative", ["sex"],
                  four_returns="financial", size=900),
    DemoIndicator("IMP-5", "Tonnes of CO2e sequestered or avoided", "count", "I1", "t CO2e",
                  "sum", "cumulative", size=40_000),
    DemoIndicator("OUT-1", "Partnership governance score", "ordinal", "O1", aggregation="average",
                  levels=["absent", "emerging", "functioning", "mature"], landscale="3.1"),
    DemoIndicator("OUT-2", "Share of women in partnership decision bodies", "percentage", "O1",
                  aggregation="weighted_average", sdg="5.5.2", size=40),
    DemoIndicator("OUT-3", "Stakeholder groups represented in the partnership", "count", "O1",
                  "groups", "average", size=6),
    DemoIndicator("OUT-4", "Partnership has an agreed long-term landscape vision", "yes_no",
                  "O1", aggregation="sum"),
    DemoIndicator("OUT-5", "Finance mobilised for the landscape", "currency", "O2", "USD",
                  "sum", "cumulative", ["stakeholder"], four_returns="financial", size=500_000),
    DemoIndicator("OUT-6", "Private investment committed", "currency", "O2", "USD", "sum",
                  "cumulative", size=300_000),
    DemoIndicator("OUT-7", "Landscapes with a funded investment plan", "yes_no", "O2",
                  aggregation="sum"),
    DemoIndicator("OUT-8", "Policies or regulations changed in favour of integrated landscape "
                  "management", "count", "O3", "policies", "sum", "cumulative", size=2),
    DemoIndicator("OUT-9", "Companies adopting deforestation-free sourcing", "count", "O3",
                  "companies", "sum", "cumulative", size=4),
    DemoIndicator("OUT-10", "Financial institutions with landscape lending products", "count",
                  "O3", "institutions", "sum", "cumulative", size=2),
    DemoIndicator("OUT-11", "Share of farms applying regenerative practices", "percentage",
                  "O4", aggregation="weighted_average", size=1200),
    DemoIndicator("OUT-12", "Landscapes meeting the water-quality target", "count", "O4",
                  "landscapes", "count_meeting", threshold="70", size=100),
    DemoIndicator("OUT-13", "Lessons from other landscapes applied", "count", "O4", "lessons",
                  "sum", size=5),
    DemoIndicator("PRD-1", "People trained", "count", "P1", "people", "sum", "cumulative",
                  ["sex", "age"], size=400),
    DemoIndicator("PRD-2", "Partner tools and services delivered", "count", "P1", "deliveries",
                  "sum", "cumulative", size=6),
    DemoIndicator("PRD-3", "Average usefulness of services received (1–5)", "ratio", "P1",
                  "score", "weighted_average", size=10),
    DemoIndicator("PRD-4", "Seedlings planted", "count", "P1", "seedlings", "sum", "cumulative",
                  size=60_000),
    DemoIndicator("PRD-5", "Farmers reached by extension services", "count", "P1", "people",
                  "sum", "non_cumulative", ["sex"], size=1500),
    DemoIndicator("PRD-6", "Landscape leaders taking part in peer exchanges", "count", "P2",
                  "people", "sum", "non_cumulative", ["sex"], size=12),
    DemoIndicator("PRD-7", "Peer-exchange visits hosted", "count", "P2", "visits", "sum",
                  size=2),
    DemoIndicator("PRD-8", "Investment cases prepared", "count", "P3", "cases", "sum",
                  "cumulative", size=1),
    DemoIndicator("PRD-9", "Joint proposals submitted", "count", "P3", "proposals", "sum",
                  size=2),
    DemoIndicator("PRD-10", "Investment plan milestone", "milestone", "P3",
                  aggregation="count_meeting", threshold="2"),
    DemoIndicator("ACT-1", "Coordination meetings held with partners", "count", "A1",
                  "meetings", "sum", size=4),
    DemoIndicator("ACT-2", "Days of facilitation provided", "count", "A2", "days", "sum",
                  size=20),
]  # fmt: skip

YEARS = (2024, 2025, 2026)  # two years of data; the third is open for reporting


def _period(year: int) -> ReportingPeriod:
    period, _created = ReportingPeriod.objects.get_or_create(
        label=str(year),
        defaults={"kind": "year", "start": dt.date(year, 1, 1), "end": dt.date(year, 12, 31),
                  "due": dt.date(year + 1, 2, 15)},
    )  # fmt: skip
    return period


def _schemes() -> dict[str, DisaggregationScheme]:
    found = {}
    for slug, (name, options) in SCHEMES.items():
        scheme, _created = DisaggregationScheme.objects.get_or_create(
            slug=slug, defaults={"name": name}
        )
        for position, (code, label) in enumerate(options):
            DisaggregationOption.objects.get_or_create(
                scheme=scheme, code=code, defaults={"label": label, "position": position}
            )
        found[slug] = scheme
    return found


def _values(spec: DemoIndicator, rng: random.Random, year_index: int, options) -> dict:
    """Plausible invented values for one landscape and year."""
    growth = 1 + 0.25 * year_index
    if spec.measure in ("percentage", "ratio"):
        denominator = rng.randint(spec.size // 2 or 1, spec.size)
        share = min(0.95, rng.uniform(0.2, 0.5) * growth) if spec.measure == "percentage" else (
            rng.uniform(0.6, 0.95))  # fmt: skip
        numerator = round(denominator * share)
        if spec.measure == "ratio":
            numerator = round(denominator * rng.uniform(3.2, 4.8))  # mean rating × count
        return {"numerator": numerator, "denominator": denominator}
    if spec.measure == "ordinal":
        return {"value": min(len(spec.levels) - 1, rng.randint(0, 2) + year_index)}
    if spec.measure == "yes_no":
        return {"value": 1 if rng.random() < 0.4 + 0.2 * year_index else 0}
    if spec.measure == "milestone":
        return {"value": min(2, rng.randint(0, 1) + year_index)}
    if spec.code == "OUT-12":  # share of samples meeting the standard, against the threshold
        return {"value": rng.randint(50, 90)}
    total = max(1, round(spec.size * rng.uniform(0.4, 1.2) * growth))
    if not options:
        return {"value": total}
    # Split the total over each scheme's options so every scheme adds up to it.
    parts = {}
    for scheme_slug, scheme_options in options.items():
        remaining = total
        for i, option in enumerate(scheme_options):
            share = remaining if i == len(scheme_options) - 1 else round(
                remaining * rng.uniform(0.3, 0.6))  # fmt: skip
            parts[f"{scheme_slug}:{option.code}"] = {"value": share}
            remaining -= share
    return {"parts": parts}


def seed_demo(*, stdout=None) -> dict:
    """Create the demo MEL data once (an existing initiative framework means it is there)."""
    from landhub.directory.demo import LANDSCAPES
    from landhub.directory.models import Landscape

    say = stdout.write if stdout else (lambda _msg: None)
    users = get_user_model().objects
    hana = users.get(email="hana@demo.landhub.org")
    lena = users.get(email="lena@demo.landhub.org")
    sofia = users.get(email="sofia@demo.landhub.org")
    sofia.groups.add(Group.objects.get_or_create(name=REVIEWERS_GROUP)[0])
    if Framework.objects.filter(slug="the-initiatives-theory-of-change").exists():
        say(f"MEL: {Observation.objects.count()} values (none new)\n")
        return {"observations": 0, **_seed_methods(stdout)}
    framework = services.framework_create(actor=hana, title="The initiative's theory of change",
                                          template="initiative", visibility="public")  # fmt: skip
    framework = services.framework_publish(actor=hana, framework=framework,
                                           version=framework.version)  # fmt: skip
    nodes = {node.code: node for node in framework.nodes.all()}
    schemes = _schemes()
    periods = [_period(year) for year in YEARS]
    landscapes = list(Landscape.objects.filter(name__in=[s.name for s in LANDSCAPES])
                      .order_by("name"))  # fmt: skip
    created = 0
    with transaction.atomic(), rollups.deferred():  # each indicator rolled up once, at the end
        for spec in INDICATORS:
            created += _seed_indicator(spec, hana, lena, sofia, schemes, nodes, periods,
                                       landscapes)  # fmt: skip
    say(f"MEL: 1 framework, {len(INDICATORS)} indicators, {created} values\n")
    return {"observations": created, **_seed_methods(stdout)}


def _seed_methods(stdout) -> dict:
    """The mixed methods of issue 6, each part idempotent (it checks what is there)."""
    from . import learning, outcomes, reach, stories, value

    counts: dict = {}
    for part in (outcomes, stories, value, learning, reach):
        counts.update(part.seed(stdout=stdout))
    return counts


def _seed_indicator(spec, hana, lena, sofia, schemes, nodes, periods, landscapes) -> int:
    """One indicator, its assignment to every demo landscape, and their values."""
    created = 0
    indicator = Indicator.objects.filter(code=spec.code).first() or services.indicator_create(
        actor=hana, code=spec.code, name=spec.name, measure=spec.measure, unit=spec.unit,
        currency="USD" if spec.measure == "currency" else "", levels=spec.levels,
        direction=spec.direction, aggregation=spec.aggregation, cumulative_mode=spec.mode,
        threshold=spec.threshold, frequency="year", sdg_code=spec.sdg,
        landscale_code=spec.landscale, four_returns=spec.four_returns,
        definition=f"{spec.name}, as reported by each landscape partnership for the year. "
                   "**Demo indicator.**",
        data_source="Landscape partnership records; partner reports.",
        method="Counted by the partnership's MEL focal point; checked by the hub.",
        schemes=[schemes[s] for s in spec.schemes],
    )  # fmt: skip
    options = {slug: list(schemes[slug].options.all()) for slug in spec.schemes}
    for landscape in landscapes:
        assignment = IndicatorAssignment.objects.create(
            indicator=indicator, scope_kind="landscape", landscape=landscape,
            node=nodes[spec.node], baseline_date=dt.date(2023, 12, 31),
            baseline_source="Partnership baseline survey, 2023 (demo)",
        )  # fmt: skip
        rng = random.Random(f"{spec.code}|{landscape.name}")
        baseline = _values(spec, rng, -1, {})
        assignment.baseline_value = baseline.get("value")
        assignment.baseline_numerator = baseline.get("numerator")
        assignment.baseline_denominator = baseline.get("denominator")
        assignment.save()
        _targets(spec, assignment, periods)
        created += _report(spec, assignment, periods, rng, options, hana, lena, sofia)
    rollups.recompute_plan(indicator)  # deferred: once, when the demo is written
    return created


def _targets(spec: DemoIndicator, assignment, periods) -> None:
    """Yearly targets and one for the life of the initiative, in step with ``_values``: a
    cumulative figure's targets grow year by year (they are compared with the figure to
    date); a yearly figure's stay level; a percentage aims at half."""
    if spec.measure in ("count", "area", "currency"):
        Target.objects.create(assignment=assignment, period=None, value=round(spec.size * 3))
        for index, period in enumerate(periods):
            grows = spec.mode != "non_cumulative"
            value = spec.size * (0.8 * (index + 1) if grows else 0.9 + 0.1 * index)
            Target.objects.create(assignment=assignment, period=period, value=round(value))
    elif spec.measure == "percentage":
        for index, period in enumerate(periods):
            Target.objects.create(assignment=assignment, period=period, value=40 + 5 * index)


def _report(spec, assignment, periods, rng, options, hana, lena, sofia) -> int:
    """2024 approved everywhere; 2025 mostly approved, some waiting for review or returned;
    2026 open. Lena reports for Mount Kenya; hub staff enter the others' paper reports."""
    reporter = lena if assignment.landscape.name == "Mount Kenya Forest and Farms" else hana
    reviewer = hana if reporter == lena else sofia
    created = 0
    for index, period in enumerate(periods[:2]):
        values = _values(spec, rng, index, options)
        obs = services.observation_save(actor=reporter, assignment=assignment, period=period,
                                        comment="Demo value.", **values)  # fmt: skip
        created += 1
        roll = rng.random()
        if index == 1 and roll < 0.1:
            continue  # still a draft
        obs = services.observation_submit(actor=reporter, observation=obs, version=obs.version)
        if index == 1 and roll < 0.2:
            continue  # waiting for review
        if index == 1 and roll < 0.23:
            services.observation_return(actor=reviewer, observation=obs, version=obs.version,
                                        comment="Please attach the training register.")  # fmt: skip
            continue
        services.observation_approve(actor=reviewer, observation=obs, version=obs.version)
    return created
