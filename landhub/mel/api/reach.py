"""API of the reach figure (``/api/v1/mel/reach``): the latest figures, by region, and the
series over time, read from the snapshots like the page; hub staff ask for a recomputation."""

from __future__ import annotations

from datetime import date, datetime

from ninja import Router, Schema, Status

from landhub.directory.api.common import require_user

from .. import services
from ..selectors import reach as selectors

router = Router(tags=["mel"])


class FigureOut(Schema):
    region: str  # empty: the whole initiative
    landscapes: int
    recorded: int
    reached: int
    overlap_removed: int
    overlapping_landscapes: int
    without_polygon: int
    without_population: int


class PairOut(Schema):
    a: str | None  # the landscape's slug; null when the caller may not see it
    b: str | None
    area_km2: float
    people_once: int
    people_recorded: int


class PointOut(Schema):
    as_of: date
    region: str
    reached: int
    recorded: int
    overlap_removed: int
    landscapes: int


class LatestOut(Schema):
    as_of: date
    computed_at: datetime
    from_history: bool
    method_version: int
    seconds: float
    people_goal: int
    total: FigureOut | None
    regions: list[FigureOut]
    overlaps: list[PairOut]


class ReachOut(Schema):
    latest: LatestOut | None
    series: list[PointOut]  # the latest figure of each date, every place, oldest first


class RecomputeOut(Schema):
    progress_id: int
    status: str


def _figure(f) -> dict:
    return {name: getattr(f, name) for name in FigureOut.model_fields}


@router.get("/reach", response=ReachOut, summary="People reached, counted once")
def reach(request):
    user = require_user(request)
    overview = selectors.reach_overview(user=user)
    s = overview.snapshot
    latest = None
    if s is not None:
        latest = {
            "as_of": s.as_of, "computed_at": s.computed_at, "from_history": s.from_history,
            "method_version": s.method_version, "seconds": s.seconds,
            "people_goal": overview.people_goal,
            "total": _figure(overview.total) if overview.total else None,
            "regions": [_figure(f) for f in overview.regions],
            "overlaps": [{"a": p.a_slug, "b": p.b_slug, "area_km2": p.area_km2,
                          "people_once": p.people_once, "people_recorded": p.people_recorded}
                         for p in overview.pairs],
        }  # fmt: skip
    points = overview.series + overview.region_series
    series = [{"as_of": p.as_of, "region": p.region, "reached": p.reached,
               "recorded": p.recorded, "overlap_removed": p.overlap_removed,
               "landscapes": p.landscapes} for p in points]  # fmt: skip
    return {"latest": latest, "series": sorted(series, key=lambda p: (p["as_of"], p["region"]))}


@router.post("/reach/recompute", response={202: RecomputeOut},
             summary="Count the people reached again (hub staff; in the background)")  # fmt: skip
def reach_recompute(request):
    user = require_user(request)
    progress = services.reach_request(actor=user)
    return Status(202, {"progress_id": progress.pk, "status": progress.status})
