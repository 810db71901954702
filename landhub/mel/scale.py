"""Synthetic MEL data for the benchmark (``landhub generate-scale``; the budget-sized set with
``--mel-indicators 300 --mel-observations 2000000``).

What is generated, deterministic for a seed:

- ``indicators`` indicators cycling through twelve kinds modelled on the demo's (counts,
  areas, money, percentages, ratios, scales with levels, yes/no, milestones; sum, average,
  weighted average, latest, count meeting a threshold; the three cumulative modes); a third of
  them split by a disaggregation scheme (sex, age group or stakeholder group) whose parts add
  up to the total;
- a published initiative framework (the ``initiative`` template's nodes and edges), each
  indicator on one of its nodes (some on the impact node, so the headline table has rows);
- annual reporting periods ending with ``LAST_YEAR`` — as many years as needed to place the
  observations over the synthetic landscapes, at least ``MIN_YEARS``;
- per indicator, assignments to a sample of the synthetic ("Scale …") landscapes of the
  directory's generator, with a baseline, yearly targets for the initiative's years and a
  target for its life;
- ``observations`` **approved** values (with their parts), then ``rollups.rebuild()``.

Written in batches by ``rollups.insert_rows`` (``executemany`` on SQLite, ``COPY`` on
PostgreSQL; the same writer as the roll-ups) with ids chosen here, so parts need no
read-back: several times faster than ``bulk_create``. No history rows and no notifications: this is
load, not an audit trail, and nobody reviewed these values.
"""

from __future__ import annotations

import datetime as dt
import math
import random
from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal

from django.core.management.color import no_style
from django.db import connection, transaction
from django.db.models import Max
from django.utils import timezone

from . import rollups
from .framework_templates import TEMPLATES
from .models import (
    Framework,
    FrameworkEdge,
    FrameworkNode,
    Indicator,
    IndicatorAssignment,
    Observation,
    ObservationPart,
    ReportingPeriod,
    Target,
)

INDICATORS = 30  # whatever the scale: the library does not grow with the network
OBSERVATIONS_PER_SCALE = 100_000
LAST_YEAR = 2025
MIN_YEARS = 7
INITIATIVE_YEARS = (2024, 2025)  # yearly targets only within the initiative's life
BATCH = 5000
CODE_PREFIX = "SCALE-"


@dataclass(frozen=True)
class Kind:
    """One kind of synthetic indicator."""

    name: str
    measure: str
    aggregation: str
    mode: str
    node: str  # code of the initiative template's node
    unit: str = ""
    scheme: str = ""  # slug of a demo disaggregation scheme
    size: int = 1000  # typical yearly value per landscape
    levels: tuple[str, ...] = ()
    threshold: int | None = None
    direction: str = "increase"


# Four of twelve have a disaggregation scheme: a third of the indicators.
KINDS = [
    Kind("People trained", "count", "sum", "cumulative", "P1", "people", "sex", 400),
    Kind("Hectares under restoration", "area", "latest", "cumulative_not_summed", "I1", "ha",
         size=20_000),
    Kind("Share of women in decision bodies", "percentage", "weighted_average",
         "non_cumulative", "O1", size=40),
    Kind("Finance mobilised", "currency", "sum", "cumulative", "O2", "USD", "stakeholder",
         500_000),
    Kind("Partnership governance score", "ordinal", "average", "non_cumulative", "O1",
         levels=("absent", "emerging", "functioning", "mature")),
    Kind("Wildfire incidents recorded", "count", "sum", "non_cumulative", "O3", "incidents",
         size=12, direction="decrease"),
    Kind("Farmers reached by extension services", "count", "sum", "non_cumulative", "P1",
         "people", "age", 1500),
    Kind("Agreed long-term landscape vision", "yes_no", "sum", "non_cumulative", "O1"),
    Kind("Average usefulness of services received", "ratio", "weighted_average",
         "non_cumulative", "P1", "score", size=10),
    Kind("Households with improved income", "count", "sum", "cumulative", "I1", "households",
         "sex", 900),
    Kind("Landscapes meeting the water-quality target", "count", "count_meeting",
         "non_cumulative", "O4", "landscapes", threshold=70, size=100),
    Kind("Investment plan milestone", "milestone", "count_meeting", "non_cumulative", "P3",
         threshold=2),
]  # fmt: skip

PLANNED_MEASURES = ("count", "area", "currency", "percentage")


def counts(scale: float, *, indicators: int | None = None,
           observations: int | None = None) -> tuple[int, int]:  # fmt: skip
    """(indicators, observations) for ``scale`` unless given."""
    return (
        indicators or INDICATORS,
        observations or max(1, round(OBSERVATIONS_PER_SCALE * scale)),
    )


def _next_id(model) -> int:
    return (model.objects.aggregate(top=Max("pk"))["top"] or 0) + 1


def _reset_sequences(models: list) -> None:
    """Ids were chosen here; PostgreSQL's sequences must move past them."""
    with connection.cursor() as cursor:
        for sql in connection.ops.sequence_reset_sql(no_style(), models):
            cursor.execute(sql)


def _values(kind: Kind, rng: random.Random, base: float, year_index: int, options) -> tuple:
    """(value, numerator, denominator, parts) of one landscape and year; ``parts`` is a list
    of (option id, value) adding up to the value within each scheme."""
    growth = 1 + 0.15 * year_index
    if kind.measure in ("percentage", "ratio"):
        denominator = max(1, round(kind.size * base))
        if kind.measure == "percentage":
            numerator = round(denominator * min(0.95, rng.uniform(0.2, 0.5) * growth))
            value = Decimal(numerator * 100) / denominator
        else:
            numerator = round(denominator * rng.uniform(3.2, 4.8))
            value = Decimal(numerator) / denominator
        return str(value.quantize(Decimal("0.000001"))), numerator, denominator, ()
    if kind.measure == "ordinal":
        level = min(len(kind.levels) - 1, rng.randint(0, 1) + max(0, year_index) // 2)
        return level, None, None, ()
    if kind.measure == "yes_no":
        return int(rng.random() < 0.3 + 0.1 * year_index), None, None, ()
    if kind.measure == "milestone":
        return min(2, rng.randint(0, 1) + max(0, year_index) // 3), None, None, ()
    if kind.aggregation == "count_meeting":
        return rng.randint(50, 90), None, None, ()
    if kind.mode == "cumulative_not_summed":  # a stock: never shrinks
        return round(kind.size * base * growth), None, None, ()
    total = max(1, round(kind.size * base * rng.uniform(0.6, 1.2) * growth))
    parts = []
    remaining = total
    for index, option_id in enumerate(options):
        share = remaining if index == len(options) - 1 else round(remaining * rng.uniform(0.3, 0.6))
        parts.append((option_id, share))
        remaining -= share
    return total, None, None, parts


def _targets(kind: Kind, base: float, years: list[int]) -> list[tuple[int | None, int]]:
    """(year or None for the life of the initiative, target) in step with ``_values``."""
    if kind.measure not in PLANNED_MEASURES:
        return []
    if kind.measure == "percentage":
        return [(year, 40 + 5 * i) for i, year in enumerate(INITIATIVE_YEARS) if year in years]
    first = years[0]
    grows = kind.mode != "non_cumulative"
    per_year = kind.size * base
    planned = []
    for year in INITIATIVE_YEARS:
        if year in years:
            index = year - first
            value = per_year * (index + 1) * 0.9 if grows and kind.mode == "cumulative" else (
                per_year * (1 + 0.15 * index))  # fmt: skip
            planned.append((year, max(1, round(value))))
    life = per_year * len(years) if kind.mode == "cumulative" else per_year * 2
    return [*planned, (None, max(1, round(life)))]


def generate(
    scale: float, *, seed: int = 1000, report: Callable[[str], None] = print,
    indicators: int | None = None, observations: int | None = None,
) -> dict:  # fmt: skip
    """Add synthetic MEL data (see the module's docstring); returns the counts written."""
    from landhub.directory.models import Landscape
    from landhub.directory.scale import PREFIX

    from .demo import _schemes

    n_indicators, n_observations = counts(scale, indicators=indicators,
                                          observations=observations)  # fmt: skip
    landscapes = list(
        Landscape.objects.filter(name__startswith=PREFIX).order_by("pk").values_list("pk",
                                                                                     flat=True)
    )  # fmt: skip
    if not landscapes:
        return {}
    if Indicator.objects.filter(code__startswith=CODE_PREFIX).exists():
        raise ValueError("This database already has synthetic MEL indicators.")
    rng = random.Random(seed + 5)
    share, extra = divmod(n_observations, n_indicators)
    per_indicator = [share + (1 if i < extra else 0) for i in range(n_indicators)]
    # As many years as it takes to place every value on the landscapes, at least MIN_YEARS.
    n_years = max(MIN_YEARS, math.ceil(per_indicator[0] / len(landscapes)))
    years = list(range(LAST_YEAR - n_years + 1, LAST_YEAR + 1))
    now = timezone.now()
    stamp = rollups.db_datetime(now)
    with transaction.atomic():
        schemes = _schemes()
        options = {slug: list(scheme.options.order_by("position").values_list("pk", flat=True))
                   for slug, scheme in schemes.items()}  # fmt: skip
        existing = set(ReportingPeriod.objects.filter(label__in=[str(y) for y in years])
                       .values_list("label", flat=True))  # fmt: skip
        ReportingPeriod.objects.bulk_create([
            ReportingPeriod(kind="year", label=str(y), start=dt.date(y, 1, 1),
                            end=dt.date(y, 12, 31), due=dt.date(y + 1, 2, 15))
            for y in years if str(y) not in existing
        ])  # fmt: skip
        period_of = {int(p.label): p.pk for p in ReportingPeriod.objects.filter(
            kind="year", label__in=[str(y) for y in years])}  # fmt: skip
        nodes = _framework(now)
        specs = []
        for i in range(n_indicators):
            kind = KINDS[i % len(KINDS)]
            specs.append(Indicator(
                code=f"{CODE_PREFIX}{i + 1:04d}", name=f"Scale {kind.name} ({i + 1})",
                definition=f"{kind.name}, per landscape and year. Synthetic benchmark data.",
                measure=kind.measure, unit=kind.unit,
                currency="USD" if kind.measure == "currency" else "",
                levels=list(kind.levels), direction=kind.direction, aggregation=kind.aggregation,
                cumulative_mode=kind.mode, threshold=kind.threshold, frequency="year",
            ))  # fmt: skip
        Indicator.objects.bulk_create(specs, batch_size=1000)
        saved = dict(Indicator.objects.filter(code__startswith=CODE_PREFIX)
                     .values_list("code", "pk"))  # fmt: skip
        Indicator.disaggregations.through.objects.bulk_create([
            Indicator.disaggregations.through(indicator_id=saved[spec.code],
                                              disaggregationscheme_id=schemes[kind.scheme].pk)
            for spec, kind in ((s, KINDS[i % len(KINDS)]) for i, s in enumerate(specs))
            if kind.scheme
        ])  # fmt: skip
        report(f"  MEL indicators: {n_indicators:,}; periods {years[0]}–{years[-1]}")
        written = _assignments_and_values(
            rng, specs, saved, per_indicator, landscapes, years, period_of, nodes, options,
            stamp, report,
        )  # fmt: skip
        _reset_sequences([IndicatorAssignment, Target, Observation, ObservationPart])
        report(f"  MEL observations: {written['observations']:,} approved, "
               f"{written['parts']:,} parts")  # fmt: skip
    # Roll-ups in their own transactions (one per indicator), as the rebuild command does.
    rows = rollups.rebuild()
    report(f"  MEL roll-ups: {rows:,} rows")
    return {"indicators": n_indicators, **written, "rollups": rows}


def _framework(now) -> dict[str, int]:
    """The initiative's published framework from the ``initiative`` template; node ids by
    code."""
    template = TEMPLATES["initiative"]
    framework = Framework.objects.create(
        title="Scale initiative framework", slug="scale-initiative-framework",
        description="Synthetic benchmark framework.", status="published", template="initiative",
        visibility="network",
    )  # fmt: skip
    FrameworkNode.objects.bulk_create([
        FrameworkNode(framework=framework, kind=kind, code=code, title=title, position=i)
        for i, (code, kind, title) in enumerate(template.nodes)
    ])  # fmt: skip
    nodes = dict(framework.nodes.values_list("code", "pk"))
    FrameworkEdge.objects.bulk_create([
        FrameworkEdge(framework=framework, source_id=nodes[s], target_id=nodes[t],
                      assumption=assumption, evidence=strength)
        for s, t, assumption, strength in template.edges
    ])  # fmt: skip
    return nodes


def _assignments_and_values(rng, specs, saved, per_indicator, landscapes, years, period_of,
                            nodes, options, stamp, report) -> dict:  # fmt: skip
    """Assignments, targets, approved observations and parts, inserted in batches."""
    assignment_columns = ["id", "indicator_id", "node_id", "scope_kind", "landscape_id",
                          "organization_id", "baseline_value", "baseline_numerator",
                          "baseline_denominator", "baseline_date", "baseline_source",
                          "baseline_missing_reason", "reporter_id", "version", "created_at",
                          "updated_at"]  # fmt: skip
    target_columns = ["id", "assignment_id", "period_id", "value", "version", "created_at",
                      "updated_at"]  # fmt: skip
    observation_columns = [
        "id", "assignment_id", "period_id", "status", "value", "numerator", "denominator",
        "not_applicable", "not_applicable_reason", "comment", "evidence_url", "submitted_by_id",
        "submitted_at", "reviewed_by_id", "reviewed_at", "review_comment", "version",
        "created_at", "updated_at",
    ]  # fmt: skip
    part_columns = ["id", "observation_id", "option_id", "value", "numerator", "denominator"]
    ids = {model: _next_id(model) for model in (IndicatorAssignment, Target, Observation,
                                                 ObservationPart)}  # fmt: skip
    batches: dict = {IndicatorAssignment: [], Target: [], Observation: [], ObservationPart: []}
    columns = {IndicatorAssignment: assignment_columns, Target: target_columns,
               Observation: observation_columns, ObservationPart: part_columns}  # fmt: skip
    totals = {"assignments": 0, "targets": 0, "observations": 0, "parts": 0}
    baseline_date = dt.date(years[0] - 1, 12, 31)
    if connection.vendor != "postgresql":
        baseline_date = baseline_date.isoformat()

    def add(model, row):
        batches[model].append(row)
        if len(batches[model]) >= BATCH:
            flush(model)

    def flush(model):
        rollups.insert_rows(model, columns[model], batches[model])
        batches[model] = []

    for index, spec in enumerate(specs):
        kind = KINDS[index % len(KINDS)]
        count = per_indicator[index]
        sample = rng.sample(landscapes, min(len(landscapes), math.ceil(count / len(years))))
        parts_of = options.get(kind.scheme, [])
        left = count
        for landscape_id in sample:
            base = rng.uniform(0.4, 1.2)
            baseline, numerator, denominator, _parts = _values(kind, rng, base, -1, [])
            assignment_id = ids[IndicatorAssignment]
            ids[IndicatorAssignment] += 1
            add(IndicatorAssignment, (
                assignment_id, saved[spec.code], nodes[kind.node], "landscape", landscape_id,
                None, None if numerator is not None else baseline, numerator, denominator,
                baseline_date, "Synthetic baseline", "", None, 1, stamp, stamp,
            ))  # fmt: skip
            totals["assignments"] += 1
            for year, value in _targets(kind, base, years):
                add(Target, (ids[Target], assignment_id, period_of.get(year), value, 1, stamp,
                             stamp))  # fmt: skip
                ids[Target] += 1
                totals["targets"] += 1
            reported = years[-left:] if left < len(years) else years
            for year in reported:
                value, numerator, denominator, parts = _values(
                    kind, rng, base, year - years[0], parts_of
                )
                observation_id = ids[Observation]
                ids[Observation] += 1
                add(Observation, (
                    observation_id, assignment_id, period_of[year], "approved", value, numerator,
                    denominator, False, "", "", "", None, stamp, None, stamp, "", 1, stamp,
                    stamp,
                ))  # fmt: skip
                for option_id, share in parts:
                    add(ObservationPart, (ids[ObservationPart], observation_id, option_id,
                                          share, None, None))  # fmt: skip
                    ids[ObservationPart] += 1
                    totals["parts"] += 1
            left -= len(reported)
            totals["observations"] += len(reported)
            if left <= 0:
                break
        if (index + 1) % 50 == 0:
            report(f"  MEL values: {index + 1:,} indicators, {totals['observations']:,} values")
    for model in batches:
        flush(model)
    return totals
