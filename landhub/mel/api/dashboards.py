"""API of the dashboards (``/api/v1/mel/dashboards/…``): the same figures as the pages, from
the roll-ups, for reports and other tools."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal

from django.http import Http404
from django.shortcuts import get_object_or_404
from ninja import Query, Router, Schema

from landhub.directory.api.common import paged, require_user

from ..models import Indicator, PeriodKind, RollupLevel
from ..selectors import dashboards as boards

router = Router(tags=["mel"])


class PlaceFilters(Schema):
    place: str = ""  # empty: the initiative; "region:<name>" or "country:<code>"
    margin: Decimal | None = None


class TrackingFilters(PlaceFilters):
    kind: str = PeriodKind.YEAR
    limit: int = 50  # indicators per call (at most 100), like the other lists
    offset: int = 0


class PointOut(Schema):
    period: str
    target: Decimal | None
    actual: Decimal | None
    progress: Decimal | None
    expected: Decimal | None
    status: str
    landscapes_reporting: int | None


class SeriesOut(Schema):
    indicator: str
    name: str
    unit: str
    place: str
    baseline: Decimal | None
    life_target: Decimal | None
    computed_at: datetime | None
    points: list[PointOut]


class RegionOut(Schema):
    region: str
    target: Decimal | None
    actual: Decimal | None
    progress: Decimal | None
    status: str


class IndicatorDashboardOut(SeriesOut):
    period: str | None
    regions: list[RegionOut]


class EngagementOut(Schema):
    landscapes_engaged: int
    landscapes_goal: int
    people: int  # the recorded populations added up (overlaps counted twice)
    people_reached: int  # counted once where landscapes overlap (``people`` until computed)
    people_reached_as_of: date | None  # null: no reach computation yet
    people_goal: int
    landscapes_without_population: int
    method: str
    by_region: list[dict]


class ProgressOut(Schema):
    engagement: EngagementOut
    headline: list[SeriesOut]


class TrackingOut(Schema):
    count: int  # indicators in the whole table
    place: str
    kind: str
    margin: Decimal
    periods: list[str]
    computed_at: datetime | None
    rows: list[SeriesOut]


def _place(user, raw: str) -> boards.Place:
    level, _sep, key = (raw or RollupLevel.INITIATIVE).partition(":")
    if level not in (RollupLevel.INITIATIVE, RollupLevel.REGION, RollupLevel.COUNTRY):
        raise Http404
    return boards.place_for(user=user, level=level, key=key)


def _margin(value: Decimal | None) -> Decimal:
    if value is None or not value.is_finite() or not 0 <= value <= 100:
        return boards.default_margin()
    return value


def _series(series: boards.Series) -> dict:
    return {
        "indicator": series.indicator.code, "name": series.indicator.name,
        "unit": series.indicator.unit, "place": series.place.label, "baseline": series.baseline,
        "life_target": series.life_target, "computed_at": series.computed_at,
        "points": [{
            "period": p.period.label, "target": p.judgement.target, "actual": p.judgement.actual,
            "progress": p.judgement.progress, "expected": p.judgement.expected,
            "status": p.judgement.status,
            "landscapes_reporting": p.rollup.to_date_scopes if p.rollup else None,
        } for p in series.points],
    }  # fmt: skip


@router.get("/dashboards/progress", response=ProgressOut, summary="Initiative progress")
def initiative_progress(request, filters: Query[PlaceFilters]):
    user = require_user(request)
    engagement = boards.engagement()
    headline = boards.headline_series(user=user, margin=_margin(filters.margin))
    return {
        "engagement": {
            "landscapes_engaged": engagement.engaged,
            "landscapes_goal": engagement.landscapes_goal, "people": engagement.people,
            "people_reached": engagement.people_reached,
            "people_reached_as_of": engagement.reach_as_of,
            "people_goal": engagement.people_goal,
            "landscapes_without_population": engagement.without_population,
            "method": str(boards.PEOPLE_METHOD), "by_region": engagement.by_region,
        },
        "headline": [_series(s) for s in headline],
    }  # fmt: skip


@router.get("/dashboards/indicators/{code}", response=IndicatorDashboardOut,
            summary="One indicator: actual against target over time, and by region")  # fmt: skip
def indicator_dashboard(request, code: str, filters: Query[PlaceFilters], period: str = ""):
    user = require_user(request)
    indicator = get_object_or_404(Indicator, code=code)
    margin = _margin(filters.margin)
    series = boards.indicator_series(user=user, indicator=indicator,
                                     place=_place(user, filters.place), margin=margin)  # fmt: skip
    chosen = next((p.period for p in series.points if p.period.label == period), None)
    if period and chosen is None:
        raise Http404
    chosen = chosen or (series.latest.period if series.latest else None)
    regions = boards.by_region(indicator=indicator, period=chosen, margin=margin) if chosen else []
    return {
        **_series(series), "period": chosen.label if chosen else None,
        "regions": [{"region": r.region, "target": r.judgement.target,
                     "actual": r.judgement.actual, "progress": r.judgement.progress,
                     "status": r.judgement.status} for r in regions],
    }  # fmt: skip


@router.get("/dashboards/tracking", response=TrackingOut,
            summary="Indicator performance tracking table")  # fmt: skip
def tracking_table(request, filters: Query[TrackingFilters]):
    user = require_user(request)
    if filters.kind not in PeriodKind.values:
        raise Http404
    count, indicators = paged(boards.tracking_indicators(kind=filters.kind),
                              limit=min(filters.limit, 100), offset=filters.offset)  # fmt: skip
    table = boards.tracking_table(
        user=user, place=_place(user, filters.place), kind=filters.kind,
        margin=_margin(filters.margin), indicators=indicators,
    )  # fmt: skip
    return {
        "count": count, "place": table.place.label, "kind": table.kind, "margin": table.margin,
        "periods": [p.label for p in table.periods], "computed_at": table.computed_at,
        "rows": [_series(s) for s in table.rows],
    }  # fmt: skip
