"""Roll-ups: approved landscape values combined per indicator, period and place.

``recompute(indicator, since=period)`` rewrites the roll-up rows of one indicator from its
approved observations; the approval service calls it inside the approval's transaction, so a
dashboard never shows a value that is not approved nor misses one that is. ``rebuild()`` runs
the same function for every indicator (``landhub mel-rebuild-rollups``): the same code path,
hence exactly the same numbers.

Every level is combined from the landscapes' own figures (``aggregation.combine``): a
country from its landscapes, a region from its landscapes (a landscape in two countries of
one region counts once), the initiative from all of them.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar

from django.db import connection, transaction
from django.utils import timezone

from .aggregation import Rule, Value, combine, in_period, to_date
from .models import (
    Indicator,
    IndicatorAssignment,
    Observation,
    ObservationPart,
    ObservationStatus,
    PlanRollup,
    ReportingPeriod,
    Rollup,
    RollupLevel,
    ScopeKind,
    Target,
)


def _series(indicator: Indicator):
    """``{option_id or None: {landscape_id: {period_start: Value}}}`` of approved values, and
    the periods they were reported for."""
    scale = indicator.scale
    approved = Observation.objects.filter(
        assignment__indicator=indicator, assignment__scope_kind=ScopeKind.LANDSCAPE,
        status=ObservationStatus.APPROVED,
    )  # fmt: skip
    series: dict = defaultdict(lambda: defaultdict(dict))
    periods: dict = {}
    where: dict[int, tuple[int, object]] = {}  # observation → (landscape, period start)
    for pk, landscape_id, period_id, start, value, numerator, denominator, na in (
        approved.values_list("pk", "assignment__landscape_id", "period_id", "period__start",
                             "value", "numerator", "denominator", "not_applicable")
    ):  # fmt: skip
        periods[start] = period_id
        if not na:
            where[pk] = (landscape_id, start)
            series[None][landscape_id][start] = Value.of(value, numerator, denominator,
                                                         scale=scale)  # fmt: skip
    if where and indicator.disaggregations.exists():
        # By the ids just read, in chunks: a subquery repeating the filters above made
        # PostgreSQL choose a plan that ran for minutes inside a long transaction.
        ids = list(where)
        for start_at in range(0, len(ids), 2000):
            for option_id, observation_id, value, numerator, denominator in (
                ObservationPart.objects.filter(observation_id__in=ids[start_at:start_at + 2000])
                .values_list("option_id", "observation_id", "value", "numerator", "denominator")
            ):  # fmt: skip
                landscape_id, start = where[observation_id]
                series[option_id][landscape_id][start] = Value.of(value, numerator, denominator,
                                                                  scale=scale)  # fmt: skip
    return series, periods


def _places(landscape_ids) -> dict[int, list[tuple[str, str]]]:
    """Each landscape's places above it: its countries and their regions (each once)."""
    from landhub.directory.models import Landscape

    places: dict[int, list[tuple[str, str]]] = defaultdict(list)
    through = Landscape.countries.through.objects.filter(landscape_id__in=landscape_ids)
    for landscape_id, code, region in through.values_list(
        "landscape_id", "country_id", "country__region"
    ):
        places[landscape_id].append((RollupLevel.COUNTRY, code))
        if region and (RollupLevel.REGION, region) not in places[landscape_id]:
            places[landscape_id].append((RollupLevel.REGION, region))
    for landscape_id in landscape_ids:
        places[landscape_id].append((RollupLevel.INITIATIVE, "all"))
    return places


def _rows(indicator, period_id, start, by_landscape, places, option_id, now) -> list[tuple]:
    mode, rule, scale = indicator.cumulative_mode, indicator.aggregation, indicator.scale
    combine_with: Callable = lambda values: combine(  # noqa: E731 - one line reads best
        values, rule, threshold=indicator.threshold, lower_is_better=indicator.lower_is_better,
        scale=scale,
    )  # fmt: skip
    groups: dict[tuple[str, str], tuple[list, list]] = defaultdict(lambda: ([], []))
    rows = []
    for landscape_id, series in by_landscape.items():
        this = in_period(series, start, mode)
        upto = to_date(series, start, mode, rule, scale=scale)
        if this.is_empty and upto.is_empty:
            continue
        rows.append(_row(indicator, period_id, RollupLevel.LANDSCAPE, str(landscape_id),
                         option_id, this, upto, now))  # fmt: skip
        for place in places.get(landscape_id, []):
            groups[place][0].append(this)
            groups[place][1].append(upto)
    for (level, key), (this_values, upto_values) in groups.items():
        rows.append(_row(indicator, period_id, level, key, option_id,
                         combine_with(this_values), combine_with(upto_values), now))  # fmt: skip
    return rows


ROLLUP_COLUMNS = ["indicator_id", "period_id", "level", "key", "option_id", "value", "numerator",
                  "denominator", "scopes", "to_date", "to_date_numerator", "to_date_denominator",
                  "to_date_scopes", "computed_at"]  # fmt: skip


def _row(indicator, period_id, level, key, option_id, this: Value, upto: Value, now) -> tuple:
    """One ``Rollup`` row as a tuple of ``ROLLUP_COLUMNS`` (written by ``insert_rows``)."""
    return (indicator.pk, period_id, level, key, option_id, this.value, this.numerator,
            this.denominator, this.scopes, upto.value, upto.numerator, upto.denominator,
            upto.scopes, now)  # fmt: skip


def insert_rows(model, columns: list[str], rows: list[tuple], *, batch: int = 5000) -> None:
    """Append ``rows`` (tuples of ``columns``) to ``model``'s table: ``COPY`` on PostgreSQL,
    ``executemany`` of a one-row ``INSERT`` elsewhere. Several times faster than
    ``bulk_create`` for the hundreds of thousands of roll-up rows of a large rebuild (no model
    instances, no per-value preparation, no 999-parameter batches on SQLite). Values must be
    what the driver takes: ``Decimal``, ``int``, ``str``, ``None`` and a datetime from
    ``db_datetime``."""
    if not rows:
        return
    ops = connection.ops
    table = ops.quote_name(model._meta.db_table)
    names = ", ".join(ops.quote_name(c) for c in columns)
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            with cursor.copy(f"COPY {table} ({names}) FROM STDIN") as copy:
                for row in rows:
                    copy.write_row(row)
            return
        marks = ", ".join(["%s"] * len(columns))
        sql = f"INSERT INTO {table} ({names}) VALUES ({marks})"  # noqa: S608 - names from the model
        for start in range(0, len(rows), batch):
            cursor.executemany(sql, rows[start : start + batch])


def db_datetime(moment):
    """``moment`` as the database driver takes it for a ``DateTimeField`` column."""
    return moment if connection.vendor == "postgresql" else (
        connection.ops.adapt_datetimefield_value(moment))  # fmt: skip


def _delete(queryset) -> None:
    """Delete roll-up rows with one ``DELETE``: nothing refers to them, and the ``post_delete``
    receiver of ``core.counts`` would otherwise make Django load and signal every row (5 s
    for one indicator of the budget-sized data set)."""
    queryset._raw_delete(queryset.db)


# Inside ``deferred()``: {indicator pk: (indicator, earliest period changed or None = all)}.
_pending: ContextVar[dict | None] = ContextVar("mel_rollups_pending", default=None)
# Inside ``deferred()``: {indicator pk: indicator} whose baselines or targets changed.
_pending_plans: ContextVar[dict | None] = ContextVar("mel_plan_rollups_pending", default=None)


@contextmanager
def deferred() -> Iterator[None]:
    """Approve many values (an import, the demo) and recompute each indicator once at the end,
    still inside the caller's transaction."""
    token, plans_token = _pending.set({}), _pending_plans.set({})
    try:
        yield
        pending, plans = _pending.get(), _pending_plans.get()
    finally:
        _pending.reset(token)
        _pending_plans.reset(plans_token)
    for indicator, since in pending.values():
        recompute(indicator, since=since)
    for indicator in plans.values():
        recompute_plan(indicator)


@transaction.atomic
def recompute(indicator: Indicator, *, since: ReportingPeriod | None = None) -> int:
    """Rewrite the roll-ups of ``indicator`` for the periods from ``since`` on (a change in a
    period moves every later figure to date). Returns the number of rows written."""
    pending = _pending.get()
    if pending is not None:
        earlier = pending.get(indicator.pk, (indicator, since))[1]
        if since is None or earlier is None:
            pending[indicator.pk] = (indicator, None)
        else:
            pending[indicator.pk] = (indicator, min(since, earlier, key=lambda p: p.start))
        return 0
    series, periods = _series(indicator)
    starts = sorted(s for s in periods if since is None or s >= since.start)
    stale = Rollup.objects.filter(indicator=indicator)
    if since is not None:
        stale = stale.filter(period__start__gte=since.start)
    _delete(stale)
    landscape_ids = {lid for by_landscape in series.values() for lid in by_landscape}
    places = _places(landscape_ids)
    now = db_datetime(timezone.now())
    rows = []
    for start in starts:
        for option_id, by_landscape in series.items():
            rows += _rows(indicator, periods[start], start, by_landscape, places, option_id, now)
    insert_rows(Rollup, ROLLUP_COLUMNS, rows)
    return len(rows)


# --- Baselines and targets -------------------------------------------------------------------


def _plan_rule(indicator: Indicator) -> str:
    """Targets carry no denominator, so a fraction's targets combine as a plain average."""
    return Rule.AVERAGE if indicator.aggregation == Rule.WEIGHTED_AVERAGE else (
        indicator.aggregation)  # fmt: skip


@transaction.atomic
def recompute_plan(indicator: Indicator) -> int:
    """Rewrite the baseline and target roll-ups (``PlanRollup``) of ``indicator``: each
    landscape's own, combined to its countries, regions and the initiative by the aggregation
    rule; the initiative's own assignment, where it has a baseline or targets, stands for the
    initiative. The planning services call it after every change of a baseline or target."""
    pending = _pending_plans.get()
    if pending is not None:
        pending[indicator.pk] = indicator
        return 0
    scale = indicator.scale
    baselines: dict[int, Value] = {}
    own_baseline: Value | None = None
    assignments = IndicatorAssignment.objects.filter(
        indicator=indicator, scope_kind__in=[ScopeKind.LANDSCAPE, ScopeKind.INITIATIVE]
    ).values_list("pk", "scope_kind", "landscape_id", "baseline_value", "baseline_numerator",
                  "baseline_denominator")  # fmt: skip
    scope_of: dict[int, int | None] = {}  # assignment → landscape (None: the initiative)
    for pk, kind, landscape_id, value, numerator, denominator in assignments:
        baseline = Value.of(value, numerator, denominator, scale=scale)
        if kind == ScopeKind.INITIATIVE:
            scope_of[pk] = None
            own_baseline = None if baseline.is_empty else baseline
        else:
            scope_of[pk] = landscape_id
            baselines[landscape_id] = baseline
    targets: dict = defaultdict(dict)  # period id or None → {landscape id or None: Value}
    for assignment_id, period_id, value in Target.objects.filter(
        assignment_id__in=list(scope_of)
    ).values_list("assignment_id", "period_id", "value"):
        targets[period_id][scope_of[assignment_id]] = Value.of(value)
    places = _places([lid for lid in scope_of.values() if lid is not None])
    rule = _plan_rule(indicator)

    def combined(values: list[Value]) -> Value:
        return combine(values, rule, threshold=indicator.threshold,
                       lower_is_better=indicator.lower_is_better, scale=scale)  # fmt: skip

    # Every place that has a baseline or a target gets a row per period with a target, and a
    # life row (the baseline is repeated on each: dashboards read one row per period).
    baseline_at: dict[tuple[str, str], Value] = {}
    grouped: dict[tuple[str, str], list[Value]] = defaultdict(list)
    for landscape_id, baseline in baselines.items():
        baseline_at[(RollupLevel.LANDSCAPE, str(landscape_id))] = baseline
        for place in places.get(landscape_id, []):
            grouped[place].append(baseline)
    for place, values in grouped.items():
        baseline_at[place] = combined(values)
    if own_baseline is not None:
        baseline_at[(RollupLevel.INITIATIVE, "all")] = own_baseline
    target_at: dict[tuple, Value] = {}
    for period_id, by_scope in targets.items():
        grouped = defaultdict(list)
        for landscape_id, target in by_scope.items():
            if landscape_id is None:
                continue
            target_at[(RollupLevel.LANDSCAPE, str(landscape_id), period_id)] = target
            for place in places.get(landscape_id, []):
                grouped[place].append(target)
        for (level, key), values in grouped.items():
            target_at[(level, key, period_id)] = combined(values)
        if None in by_scope:
            target_at[(RollupLevel.INITIATIVE, "all", period_id)] = by_scope[None]
    _delete(PlanRollup.objects.filter(indicator=indicator))
    now = db_datetime(timezone.now())
    rows = {}
    for (level, key, period_id), target in target_at.items():
        baseline = baseline_at.get((level, key), EMPTY_PLAN)
        rows[(level, key, period_id)] = (
            indicator.pk, level, key, period_id, target.value, target.scopes, baseline.value,
            baseline.scopes if not baseline.is_empty else 0, now,
        )  # fmt: skip
    for (level, key), baseline in baseline_at.items():
        if (level, key, None) not in rows and not baseline.is_empty:
            rows[(level, key, None)] = (indicator.pk, level, key, None, None, 0, baseline.value,
                                        baseline.scopes, now)  # fmt: skip
    insert_rows(PlanRollup, PLAN_COLUMNS, list(rows.values()))
    return len(rows)


PLAN_COLUMNS = ["indicator_id", "level", "key", "period_id", "target", "target_scopes",
                "baseline", "baseline_scopes", "computed_at"]  # fmt: skip
EMPTY_PLAN = Value(None, scopes=0)


def rebuild(*, report: Callable[[str], None] = lambda _msg: None) -> int:
    """Every indicator's roll-ups (actuals, baselines and targets) from scratch."""
    written = 0
    for indicator in Indicator.objects.order_by("code"):
        written += recompute(indicator) + recompute_plan(indicator)
        report(f"{indicator.code}: done")
    return written


# --- When a landscape moves ------------------------------------------------------------------


def recompute_landscapes(landscape_ids) -> int:
    """Every indicator assigned to these landscapes, rolled up again: after a landscape's
    countries change, its figures belong to other countries and regions."""
    indicators = Indicator.objects.filter(
        pk__in=IndicatorAssignment.objects.filter(landscape_id__in=list(landscape_ids))
        .values("indicator_id")
    ).order_by("code")  # fmt: skip
    written = 0
    for indicator in indicators:
        written += recompute(indicator) + recompute_plan(indicator)
    return written
