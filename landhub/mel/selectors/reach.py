"""Reads of the reach figure: the latest snapshot, its regions, the series over time, the most
overlapping pairs of landscapes.

Everything is read from the snapshots the task wrote (``ReachSnapshot``, ``ReachFigure``),
never from the geometry, so the page and the API cost a few indexed reads whatever the number
of landscapes. The figures are totals and shown to every signed-in member, like the
dashboards; the overlapping pairs name a landscape only to those who may see it.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Max
from django.http import Http404

from landhub.core.models import TaskProgress

from ..models import ReachFigure, ReachSnapshot
from ..reach import PROGRESS_KIND as REACH_PROGRESS_KIND
from .dashboards import PEOPLE_GOAL

__all__ = [
    "ReachOverview",
    "reach_latest",
    "reach_overview",
    "reach_pairs",
    "reach_progress",
    "reach_series",
    "reach_waiting",
]

SERIES_POINTS = 40  # dates on the page and in the API (ten years of quarters); CSV has all


@dataclass
class ReachPair:
    """Two overlapping landscapes; a name is ``None`` when the reader may not see it."""

    a_name: str | None
    a_slug: str | None
    b_name: str | None
    b_slug: str | None
    area_km2: float
    people_once: int
    people_recorded: int
    share_a: float
    share_b: float

    @property
    def removed(self) -> int:
        return self.people_recorded - self.people_once


@dataclass
class ReachPoint:
    """The figure of one place at one date of the series."""

    as_of: dt.date
    region: str
    reached: int
    recorded: int
    overlap_removed: int
    landscapes: int
    computed_at: dt.datetime


@dataclass
class ReachOverview:
    snapshot: ReachSnapshot | None
    total: ReachFigure | None
    regions: list[ReachFigure] = field(default_factory=list)
    series: list[ReachPoint] = field(default_factory=list)  # the initiative, oldest first
    region_series: list[ReachPoint] = field(default_factory=list)
    pairs: list[ReachPair] = field(default_factory=list)
    people_goal: int = PEOPLE_GOAL

    @property
    def share(self) -> Decimal | None:
        if self.total is None:
            return None
        return (Decimal(self.total.reached * 100) / self.people_goal).quantize(Decimal("0.01"))

    @property
    def bar(self) -> Decimal:
        """The progress bar's width: the share, never past 100 (synthetic data can be)."""
        return min(self.share or Decimal(0), Decimal(100))


def reach_latest() -> ReachSnapshot | None:
    """The snapshot of the most recent date (a past date computed later does not replace
    today's figure)."""
    return ReachSnapshot.objects.order_by("-as_of", "-computed_at", "-id").first()


def _latest_per_date(limit: int | None):
    ids = (
        ReachSnapshot.objects.values("as_of").annotate(last=Max("id")).order_by("-as_of")
        .values_list("last", flat=True)
    )  # fmt: skip
    return list(ids[:limit] if limit else ids)


def reach_series(*, region: str | None = None, limit: int | None = SERIES_POINTS):
    """The latest figure of each date (of ``region``: ``""`` the initiative, ``None`` every
    place), oldest first. Two queries."""
    figures = ReachFigure.objects.filter(snapshot_id__in=_latest_per_date(limit))
    if region is not None:
        figures = figures.filter(region=region)
    rows = figures.order_by("snapshot__as_of", "region").values_list(
        "snapshot__as_of", "region", "reached", "recorded", "overlap_removed", "landscapes",
        "snapshot__computed_at",
    )  # fmt: skip
    return [ReachPoint(*row) for row in rows]


def reach_pairs(*, user, snapshot: ReachSnapshot | None) -> list[ReachPair]:
    """The snapshot's most overlapping pairs, named as far as ``user`` may see. One query."""
    from landhub.directory.models import Landscape

    if snapshot is None or not snapshot.overlaps:
        return []
    ids = {p["a"] for p in snapshot.overlaps} | {p["b"] for p in snapshot.overlaps}
    names = {pk: (name, slug) for pk, name, slug in Landscape.objects.visible_to(user)
             .filter(pk__in=ids).values_list("pk", "name", "slug")}  # fmt: skip
    hidden = (None, None)
    return [
        ReachPair(*names.get(p["a"], hidden), *names.get(p["b"], hidden),
                  area_km2=p["area_km2"], people_once=p["people_once"],
                  people_recorded=p["people_recorded"], share_a=p["share_a"],
                  share_b=p["share_b"])
        for p in snapshot.overlaps
    ]  # fmt: skip


def reach_overview(*, user) -> ReachOverview:
    """Everything the reach page shows. Five queries whatever the number of landscapes."""
    snapshot = reach_latest()
    if snapshot is None:
        return ReachOverview(None, None)
    figures = list(snapshot.figures.order_by("region"))
    points = reach_series(region=None)
    return ReachOverview(
        snapshot=snapshot,
        total=next((f for f in figures if not f.region), None),
        regions=[f for f in figures if f.region],
        series=[p for p in points if not p.region],
        region_series=[p for p in points if p.region],
        pairs=reach_pairs(user=user, snapshot=snapshot),
    )


def reach_waiting() -> TaskProgress | None:
    """A "recompute now" still queued or running (hub staff see its progress)."""
    return (
        TaskProgress.objects.filter(kind=REACH_PROGRESS_KIND, status__in=[
            TaskProgress.Status.QUEUED, TaskProgress.Status.RUNNING])
        .order_by("-created_at").first()
    )  # fmt: skip


def reach_progress(*, pk: int) -> TaskProgress:
    """One computation's progress (whoever started it); 404 for any other task."""
    if not 0 < pk < 2**63:  # beyond the databases' integers: nothing, not an overflow
        raise Http404
    progress = TaskProgress.objects.filter(pk=pk, kind=REACH_PROGRESS_KIND).first()
    if progress is None:
        raise Http404
    return progress


def register_search_sections() -> None:
    """Called from ``MelConfig.ready``: reach has nothing to find in the global search (its
    figures are on the dashboards)."""
