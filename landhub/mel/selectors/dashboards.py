"""Reads of the dashboards and the indicator performance tracking table.

Everything here reads the roll-up tables (``Rollup`` for actuals, ``PlanRollup`` for
baselines and targets) and the directory's landscapes, never the observations: the figures
were combined when they were approved, so a dashboard costs a handful of indexed reads
whatever the number of values behind it.

**Which actual is compared with a target.** For a cumulative indicator (periods add up, or
each report is already the figure to date) the figure *to date* at the end of the period; for
a non-cumulative one the period's own figure. A life-of-initiative target is compared with the
figure to date.

**On track.** Progress is the share of the way from the baseline to the target
(``aggregation.target_progress``). Against a period's target a figure is on track when its
progress is at least 100 % minus the margin; against the life-of-initiative target, when it is
at least the share of the initiative's life elapsed by the end of the period, minus the margin.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal

from django.conf import settings
from django.db import connection
from django.db.models import Count, Exists, OuterRef, Q, Sum
from django.http import Http404
from django.utils.translation import gettext_lazy as _

from ..aggregation import Mode, target_progress
from ..models import (
    FrameworkNode,
    Indicator,
    IndicatorAssignment,
    PeriodKind,
    PlanRollup,
    ReachFigure,
    ReportingPeriod,
    Rollup,
    RollupLevel,
)

ENGAGED_STATUSES = ("engaged", "member")
LANDSCAPES_GOAL = 1000
PEOPLE_GOAL = 1_000_000_000

PEOPLE_METHOD = _(
    "People living in engaged or member landscapes, each counted once. Where the boundaries of "
    "landscapes overlap, the people in the shared area are estimated from the mean of the "
    "landscapes' densities (population divided by area) and counted once; landscapes with a "
    "point or no boundary count their whole recorded population, and landscapes without a "
    "recorded population count nobody. The figure is recomputed every night after a landscape "
    "changes; the reach page states the method in full. The recorded populations added up, "
    "with the overlaps counted twice, are shown beside it."
)


class Status:
    MET = "met"
    ON_TRACK = "on_track"
    BEHIND = "behind"
    NO_TARGET = "no_target"
    NO_DATA = "no_data"


STATUS_LABELS = {
    Status.MET: _("Target met"),
    Status.ON_TRACK: _("On track"),
    Status.BEHIND: _("Behind"),
    Status.NO_TARGET: _("No target"),
    Status.NO_DATA: _("No data yet"),
}


def default_margin() -> Decimal:
    return Decimal(str(getattr(settings, "LANDHUB_MEL_ON_TRACK_MARGIN", 10)))


def initiative_life() -> tuple[dt.date, dt.date]:
    start, end = getattr(settings, "LANDHUB_MEL_LIFE", ("2024-01-01", "2030-12-31"))
    return dt.date.fromisoformat(start), dt.date.fromisoformat(end)


def elapsed_share(by_end_of: dt.date) -> Decimal:
    """Share (0–100) of the initiative's life elapsed by the end of the day ``by_end_of``."""
    start, end = initiative_life()
    days = (by_end_of - start).days + 1
    total = (end - start).days + 1
    return Decimal(100) * min(max(days, 0), total) / total


# --- Places ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class Place:
    level: str
    key: str
    label: str

    @property
    def param(self) -> str:
        """The place as the dashboards' ``?place=`` value (a landscape has its own page)."""
        return "" if self.level == RollupLevel.INITIATIVE else f"{self.level}:{self.key}"


def place_for(*, user, level: str, key: str) -> Place:
    """The place a dashboard is drawn for; a landscape only if ``user`` may see it."""
    from landhub.directory.models import Country, Landscape

    if level == RollupLevel.INITIATIVE:
        return Place(level, "all", str(_("The whole initiative")))
    if level == RollupLevel.REGION:
        if not key or not Country.objects.filter(region=key).exists():
            raise Http404
        return Place(level, key, key)
    if level == RollupLevel.COUNTRY:
        country = Country.objects.filter(code=key.upper()).first()
        if country is None:
            raise Http404
        return Place(level, country.code, country.name)
    if level == RollupLevel.LANDSCAPE:
        landscape = Landscape.objects.visible_to(user).filter(slug=key).first()
        if landscape is None:
            raise Http404
        return Place(level, str(landscape.pk), landscape.name)
    raise Http404


def place_choices() -> dict:
    """Regions and countries a dashboard can be drawn for (those with landscapes)."""
    from landhub.directory.models import Country

    countries = list(
        Country.objects.filter(landscapes__isnull=False).distinct().order_by("name")
        .values_list("code", "name", "region")
    )  # fmt: skip
    return {"regions": sorted({region for _c, _n, region in countries if region}),
            "countries": [(code, name) for code, name, _r in countries]}  # fmt: skip


# --- Figures ---------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class RollupFigures:
    """The figures of one ``Rollup`` row the dashboards show, read as plain values: the
    tracking table reads 300 indicators × 7 periods of them, and a model instance for each
    cost more than the query (110 of 135 ms at 2,000,000 values)."""

    indicator_id: int
    period_id: int
    key: str
    value: Decimal | None
    to_date: Decimal | None
    scopes: int
    to_date_scopes: int
    computed_at: dt.datetime

    FIELDS = ("indicator_id", "period_id", "key", "value", "to_date", "scopes",
              "to_date_scopes", "computed_at")  # fmt: skip


@dataclass(frozen=True, slots=True)
class PlanFigures:
    """The figures of one ``PlanRollup`` row, read as plain values (see ``RollupFigures``)."""

    indicator_id: int
    period_id: int | None
    key: str
    target: Decimal | None
    baseline: Decimal | None
    computed_at: dt.datetime

    FIELDS = ("indicator_id", "period_id", "key", "target", "baseline", "computed_at")


def _figures(queryset, kind) -> list:
    return [kind(*row) for row in queryset.values_list(*kind.FIELDS)]


def actual_of(indicator: Indicator, rollup: RollupFigures | None) -> Decimal | None:
    """The figure compared with a target (see the module's docstring)."""
    if rollup is None:
        return None
    if indicator.cumulative_mode == Mode.NON_CUMULATIVE:
        return rollup.value
    return rollup.to_date


@dataclass
class Judgement:
    actual: Decimal | None
    target: Decimal | None
    progress: Decimal | None
    expected: Decimal | None  # progress expected by now (100 against a period's own target)
    status: str

    @property
    def status_label(self) -> str:
        return str(STATUS_LABELS[self.status])


def judge(indicator: Indicator, *, actual, period_target, life_target, baseline,
          period_end: dt.date | None, margin: Decimal) -> Judgement:  # fmt: skip
    """How far ``actual`` is along the way to its target, and whether that is on track."""
    if actual is None:
        return Judgement(None, period_target if period_target is not None else life_target, None,
                         None, Status.NO_DATA)  # fmt: skip
    if period_target is not None:
        target, expected = period_target, Decimal(100)
    elif life_target is not None and period_end is not None:
        target, expected = life_target, elapsed_share(period_end)
    else:
        return Judgement(actual, None, None, None, Status.NO_TARGET)
    progress = target_progress(actual, target, baseline,
                               lower_is_better=indicator.lower_is_better)  # fmt: skip
    if progress is not None:
        progress = progress.quantize(Decimal("0.1"))  # a tenth of a percent is plenty to judge
    if progress is None:
        status = Status.NO_TARGET
    elif progress >= 100:
        status = Status.MET
    elif progress >= expected - margin:
        status = Status.ON_TRACK
    else:
        status = Status.BEHIND
    return Judgement(actual, target, progress, expected.quantize(Decimal("0.1")), status)


@dataclass
class Point:
    """One period of an indicator at one place."""

    period: ReportingPeriod
    rollup: RollupFigures | None
    plan: PlanFigures | None
    judgement: Judgement


@dataclass
class Series:
    indicator: Indicator
    place: Place
    baseline: Decimal | None
    life_target: Decimal | None
    points: list[Point] = field(default_factory=list)
    computed_at: dt.datetime | None = None
    cells: list[Point | None] = field(default_factory=list)  # the tracking table's columns

    @property
    def latest(self) -> Point | None:
        reported = [p for p in self.points if p.judgement.actual is not None]
        return reported[-1] if reported else None


def _plans(indicators, place: Place) -> dict:
    """``{(indicator id, period id or None): PlanFigures}`` at ``place``."""
    return {
        (plan.indicator_id, plan.period_id): plan
        for plan in _figures(
            PlanRollup.objects.filter(indicator__in=indicators, level=place.level, key=place.key),
            PlanFigures,
        )  # fmt: skip
    }


def _series(indicator: Indicator, place: Place, periods: list[ReportingPeriod], rollups: dict,
            plans: dict, margin: Decimal) -> Series:  # fmt: skip
    life = plans.get((indicator.pk, None))
    baseline = life.baseline if life else None
    if baseline is None:
        baseline = next((p.baseline for (i, _pid), p in plans.items()
                         if i == indicator.pk and p.baseline is not None), None)  # fmt: skip
    series = Series(indicator, place, baseline, life.target if life else None)
    stamps = [life.computed_at] if life else []
    for period in periods:
        rollup = rollups.get((indicator.pk, period.pk))
        plan = plans.get((indicator.pk, period.pk))
        if rollup is None and plan is None:
            continue
        stamps += [x.computed_at for x in (rollup, plan) if x is not None]
        series.points.append(Point(period, rollup, plan, judge(
            indicator, actual=actual_of(indicator, rollup),
            period_target=plan.target if plan else None, life_target=series.life_target,
            baseline=baseline, period_end=period.end, margin=margin,
        )))  # fmt: skip
    series.computed_at = max(stamps) if stamps else None
    return series


def indicator_series(*, user, indicator: Indicator, place: Place,
                     margin: Decimal | None = None) -> Series:  # fmt: skip
    """An indicator's actual against its target, period by period, at one place. Three
    queries."""
    margin = default_margin() if margin is None else margin
    rollups = {
        (r.indicator_id, r.period_id): r
        for r in _figures(
            Rollup.objects.filter(
                indicator=indicator, level=place.level, key=place.key, option__isnull=True
            ),
            RollupFigures,
        )  # fmt: skip
    }
    plans = _plans([indicator], place)
    period_ids = {pid for _i, pid in rollups} | {pid for _i, pid in plans if pid is not None}
    periods = list(ReportingPeriod.objects.filter(pk__in=period_ids).order_by("start"))
    return _series(indicator, place, periods, rollups, plans, margin)


@dataclass
class RegionRow:
    region: str
    rollup: RollupFigures | None
    plan: PlanFigures | None
    judgement: Judgement


def by_region(*, indicator: Indicator, period: ReportingPeriod,
              margin: Decimal | None = None) -> list[RegionRow]:  # fmt: skip
    """Each region's figure for ``period`` against its target. Two queries."""
    margin = default_margin() if margin is None else margin
    rollups = {
        r.key: r
        for r in _figures(
            Rollup.objects.filter(
                indicator=indicator, level=RollupLevel.REGION, period=period, option__isnull=True
            ),
            RollupFigures,
        )
    }
    plans: dict = {}
    for plan in _figures(
        PlanRollup.objects.filter(
            Q(period=period) | Q(period__isnull=True), indicator=indicator, level=RollupLevel.REGION
        ),
        PlanFigures,
    ):
        plans.setdefault(plan.key, {})[plan.period_id] = plan
    rows = []
    for region in sorted(set(rollups) | set(plans)):
        own = plans.get(region, {})
        plan, life = own.get(period.pk), own.get(None)
        baseline = next((p.baseline for p in (life, plan) if p and p.baseline is not None), None)
        rows.append(RegionRow(region, rollups.get(region), plan, judge(
            indicator, actual=actual_of(indicator, rollups.get(region)),
            period_target=plan.target if plan else None,
            life_target=life.target if life else None, baseline=baseline,
            period_end=period.end, margin=margin,
        )))  # fmt: skip
    return rows


def by_option(*, indicator: Indicator, place: Place, period: ReportingPeriod) -> list[Rollup]:
    """The disaggregated figures of ``period`` at ``place`` (scheme, then option order)."""
    return list(
        Rollup.objects.filter(indicator=indicator, level=place.level, key=place.key,
                              period=period, option__isnull=False)
        .select_related("option__scheme")
        .order_by("option__scheme__name", "option__position")
    )  # fmt: skip


# --- The tracking table ----------------------------------------------------------------------


@dataclass
class TrackingTable:
    place: Place
    kind: str
    periods: list[ReportingPeriod]
    rows: list[Series]
    margin: Decimal
    computed_at: dt.datetime | None


def tracking_indicators(*, kind: str = PeriodKind.YEAR):
    """The rows of the tracking table: active indicators reported by periods of ``kind``, by
    code (the page shows them a page at a time)."""
    return Indicator.objects.filter(archived_at__isnull=True, frequency=kind).order_by("code")


def _periods_with_figures(place: Place, kind: str) -> list[ReportingPeriod]:
    """Periods of ``kind`` with an actual or a target at ``place``: the table's columns, the
    same on every page. One query (an index probe per period)."""
    at_place = {"level": place.level, "key": place.key, "period": OuterRef("pk")}
    return list(
        ReportingPeriod.objects.filter(kind=kind)
        .filter(Exists(Rollup.objects.filter(**at_place))
                | Exists(PlanRollup.objects.filter(**at_place)))
        .order_by("start")
    )  # fmt: skip


def tracking_table(
    *, user, place: Place, kind: str = PeriodKind.YEAR, margin: Decimal | None = None,
    indicators=None,
) -> TrackingTable:  # fmt: skip
    """The indicator performance tracking table at ``place``: ``indicators`` (a page of
    ``tracking_indicators``; all of them when None) with their baseline, and per period their
    target, actual and progress. Four queries whatever the number of values."""
    margin = default_margin() if margin is None else margin
    if indicators is None:
        indicators = tracking_indicators(kind=kind)
    indicators = list(indicators)
    rollups = {
        (r.indicator_id, r.period_id): r
        for r in _figures(
            Rollup.objects.filter(
                level=place.level, key=place.key, option__isnull=True, indicator__in=indicators
            ),
            RollupFigures,
        )  # fmt: skip
    }
    plans = _plans(indicators, place)
    periods = _periods_with_figures(place, kind)
    rows = [_series(ind, place, periods, rollups, plans, margin) for ind in indicators]
    for series in rows:
        by_period = {point.period.pk: point for point in series.points}
        series.cells = [by_period.get(period.pk) for period in periods]
    stamps = [s.computed_at for s in rows if s.computed_at]
    return TrackingTable(place, kind, periods, rows, margin, max(stamps) if stamps else None)


# --- Initiative progress ---------------------------------------------------------------------


@dataclass
class Engagement:
    """Landscapes engaged and their people. ``people`` is the plain sum of the recorded
    populations (overlaps counted twice); ``reach`` is the latest figure of the initiative
    that counts them once (``ReachFigure``, from ``selectors/reach.py``; ``None`` until the
    first computation), ``reach_regions`` its figures by region name."""

    engaged: int
    people: int
    without_population: int
    by_region: list[dict]
    landscapes_goal: int = LANDSCAPES_GOAL
    people_goal: int = PEOPLE_GOAL
    reach: ReachFigure | None = None
    reach_as_of: dt.date | None = None
    reach_regions: dict = field(default_factory=dict)

    @property
    def people_reached(self) -> int:
        """The headline: counted once when computed, else the plain sum."""
        return self.reach.reached if self.reach is not None else self.people

    @property
    def landscapes_share(self) -> Decimal:
        return (Decimal(self.engaged * 100) / self.landscapes_goal).quantize(Decimal("0.1"))

    @property
    def people_share(self) -> Decimal:
        return (Decimal(self.people_reached * 100) / self.people_goal).quantize(Decimal("0.01"))


def engagement() -> Engagement:
    """Landscapes engaged toward 1,000 and the people living in them toward 1 billion, in
    total and by region (a landscape in two regions counts in each, once in the total), with
    the latest reach figure that counts people once where landscapes overlap. Four
    queries."""
    from landhub.directory.models import Country, Landscape

    from .reach import reach_latest

    engaged = Landscape.objects.filter(archived_at__isnull=True,
                                       initiative_status__in=ENGAGED_STATUSES)  # fmt: skip
    totals = engaged.aggregate(
        n=Count("pk"), people=Sum("population"),
        missing=Count("pk", filter=Q(population__isnull=True)),
    )  # fmt: skip
    landscape_table = Landscape._meta.db_table
    through = Landscape.countries.through
    through_table = through._meta.db_table
    landscape_column = through._meta.get_field("landscape").column
    country_column = through._meta.get_field("country").column
    country_table = Country._meta.db_table
    country_pk = Country._meta.pk.column
    placeholders = ", ".join(["%s"] * len(ENGAGED_STATUSES))
    # One pass: each (region, landscape) pair once, then counted per region.
    sql = f"""
        SELECT region, COUNT(*), SUM(population),
               SUM(CASE WHEN population IS NULL THEN 1 ELSE 0 END)
        FROM (SELECT DISTINCT c.region AS region, l.id AS id, l.population AS population
              FROM {landscape_table} l
              JOIN {through_table} t ON t.{landscape_column} = l.id
              JOIN {country_table} c ON c.{country_pk} = t.{country_column}
              WHERE l.archived_at IS NULL AND l.initiative_status IN ({placeholders})
                AND c.region <> '') pairs
        GROUP BY region ORDER BY region
    """  # noqa: S608 - table names from the models, values as parameters
    with connection.cursor() as cursor:
        cursor.execute(sql, list(ENGAGED_STATUSES))
        regions = [{"region": region, "engaged": n, "people": int(people or 0),
                    "without_population": int(missing or 0)}
                   for region, n, people, missing in cursor.fetchall()]  # fmt: skip
    snapshot = reach_latest()
    figures = {f.region: f for f in snapshot.figures.all()} if snapshot else {}
    for row in regions:  # people reached, counted once, where the region has a figure
        row["reached"] = figures[row["region"]].reached if row["region"] in figures else None
    return Engagement(totals["n"], int(totals["people"] or 0), totals["missing"], regions,
                      reach=figures.pop("", None), reach_as_of=snapshot.as_of if snapshot else None,
                      reach_regions=figures)  # fmt: skip


def _place_series(indicators: list[Indicator], place: Place, margin: Decimal) -> list[Series]:
    """Each indicator's series at ``place``, over the periods of its own frequency. Three
    queries."""
    rollups = {
        (r.indicator_id, r.period_id): r
        for r in _figures(
            Rollup.objects.filter(
                level=place.level, key=place.key, option__isnull=True, indicator__in=indicators
            ),
            RollupFigures,
        )  # fmt: skip
    }
    plans = _plans(indicators, place)
    period_ids = {pid for _i, pid in rollups} | {pid for _i, pid in plans if pid is not None}
    periods = list(ReportingPeriod.objects.filter(pk__in=period_ids).order_by("start"))
    return [_series(ind, place, [p for p in periods if p.kind == ind.frequency], rollups, plans,
                    margin) for ind in indicators]  # fmt: skip


def headline_series(*, user, limit: int = 8, margin: Decimal | None = None) -> list[Series]:
    """The initiative's impact indicators (those assigned to an impact node of the
    initiative's own framework) at the initiative level. Five queries.

    The impact nodes are read first and each indicator, in code order, is probed for an
    assignment to one of them (index ``mel_assignment_indicator_node``) until ``limit`` are
    found: a semi-join over every impact assignment (47,650 at scale) took PostgreSQL 196 ms."""
    impact_nodes = list(FrameworkNode.objects.filter(
        kind="impact", framework__landscape__isnull=True).values_list("pk", flat=True))  # fmt: skip
    on_impact = IndicatorAssignment.objects.filter(indicator=OuterRef("pk"),
                                                   node_id__in=impact_nodes)  # fmt: skip
    indicators = list(Indicator.objects.filter(Exists(on_impact), archived_at__isnull=True)
                      .order_by("code")[:limit])  # fmt: skip
    place = Place(RollupLevel.INITIATIVE, "all", str(_("The whole initiative")))
    return _place_series(indicators, place, default_margin() if margin is None else margin)


def landscape_indicators(*, landscape):
    """The indicators assigned to ``landscape``, by code (its dashboard pages through them)."""
    assigned = IndicatorAssignment.objects.filter(landscape=landscape, scope_kind="landscape")
    return Indicator.objects.filter(pk__in=assigned.values("indicator_id")).order_by("code")


def landscape_series(*, user, landscape, indicators=None,
                     margin: Decimal | None = None) -> list[Series]:  # fmt: skip
    """``indicators`` (a page of ``landscape_indicators``; all when None) with their figures
    at ``landscape``. Three queries."""
    if indicators is None:
        indicators = landscape_indicators(landscape=landscape)
    place = Place(RollupLevel.LANDSCAPE, str(landscape.pk), landscape.name)
    return _place_series(list(indicators), place,
                         default_margin() if margin is None else margin)  # fmt: skip
