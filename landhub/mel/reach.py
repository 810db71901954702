"""People reached toward 1 billion, each person counted once where landscapes overlap.

Pure functions: no database, no Django. ``services/reach.py`` reads the engaged landscapes
(today's, or as they were on a past date from their history), calls ``compute`` once for the
whole initiative and once per region, and keeps the result as a ``ReachSnapshot``.

**The method** (also written on the page, ``METHOD_STEPS``, and in ``docs/guide/mel-reach.md``)

1. People reached are the people living in engaged landscapes (status engaged or member),
   each person counted once.
2. A landscape with a polygon boundary and a recorded population has a density: population ÷
   area, the area measured on the WGS 84 ellipsoid (``pyproj.Geod``, as ``directory.geo``
   measures ``area_km2``). We assume its people are spread evenly over it.
3. The union of the engaged polygons is split into pieces where the same set of landscapes
   overlap: the boundaries' lines are merged and noded (``unary_union``) and ``polygonize``
   rebuilds the faces; an ``STRtree`` finds which polygons touch, so only neighbours are ever
   compared and a landscape that overlaps nothing costs no geometry at all.
4. A piece covered by one landscape holds density × area of its people. A piece covered by
   several holds **the mean of their densities × its area**, counted once. For two landscapes
   of populations P1, P2 sharing an overlap of area A this counts P1 + P2 − A·(d1 + d2)/2.
   Why the mean: each landscape's population comes from its own survey and neither is
   preferred; the larger density would overstate the people in the overlap, the smaller
   would understate them.
5. Landscapes with a point or no boundary (or a boundary without area) cannot be tested for
   overlap: they count their whole recorded population. Landscapes without a recorded
   population count nothing and take no part in the overlaps (their density is unknown, and
   treating it as zero would halve their neighbours' people in the shared area).
6. A region's figure is computed over the engaged landscapes of that region (a landscape's
   ``region`` field); the initiative's over all of them at once, so an overlap across two
   regions is counted once in the total (and the regions may add up to a little more).

Landscapes are assumed to lie within −180°…180° (no polygon crossing the antimeridian), as
``directory.geo`` stores them.
"""

from __future__ import annotations

import heapq
from collections.abc import Iterable
from dataclasses import dataclass, field
from itertools import combinations

import numpy
from pyproj import Geod
from shapely import STRtree, get_coordinates, make_valid, polygonize, unary_union
from shapely.geometry import MultiPolygon, Polygon, shape

# The same ellipsoid as ``directory.geo``: areas here and ``Landscape.area_km2`` agree.
GEOD = Geod(ellps="WGS84")
METHOD_VERSION = 1
PROGRESS_KIND = "mel.reach"  # ``core.TaskProgress.kind`` of a "recompute now"
TOP_PAIRS = 10
# Pieces smaller than this (km²) are slivers left by nearly coincident edges of two drawn
# boundaries: a hundredth of a hectare holds nobody worth counting, and dropping them keeps
# shared borders from showing up as "overlaps".
SLIVER_KM2 = 1e-4


@dataclass(frozen=True)
class LandscapeInput:
    """What the method needs of one engaged landscape."""

    id: int
    name: str
    region: str
    population: int | None
    boundary: dict | None


@dataclass
class OverlapPair:
    """Two landscapes that overlap: the shared area and the people living there, counted
    once (by the method) and as the plain sum would have counted them (each density)."""

    a: int
    b: int
    area_km2: float = 0.0
    people_once: float = 0.0
    people_recorded: float = 0.0
    share_a: float = 0.0  # percent of landscape a's area that b also covers
    share_b: float = 0.0

    @property
    def removed(self) -> float:
        return self.people_recorded - self.people_once

    def as_dict(self) -> dict:
        return {
            "a": self.a,
            "b": self.b,
            "area_km2": round(self.area_km2, 2),
            "people_once": round(self.people_once),
            "people_recorded": round(self.people_recorded),
            "share_a": round(self.share_a, 1),
            "share_b": round(self.share_b, 1),
        }


@dataclass
class ReachResult:
    """The figure of one group of landscapes (a region, or the whole initiative)."""

    landscapes: int = 0
    recorded: int = 0  # plain sum of the recorded populations
    reached_exact: float = 0.0
    overlapping_landscapes: int = 0
    without_polygon: int = 0
    without_population: int = 0
    pairs: list[OverlapPair] = field(default_factory=list)  # the TOP_PAIRS largest

    @property
    def reached(self) -> int:
        # Never more than recorded: rounding of a sum of floats must not add a person.
        return min(self.recorded, max(0, round(self.reached_exact)))

    @property
    def overlap_removed(self) -> int:
        return self.recorded - self.reached


def _ring_m2(ring) -> float:
    coords = get_coordinates(ring)
    area, _perimeter = GEOD.polygon_area_perimeter(coords[:, 0], coords[:, 1])
    return abs(area)


def area_km2(geom) -> float:
    """Area on the WGS 84 ellipsoid, in km²: each outer ring less its holes, whatever the
    rings' orientation. The same integration as ``Geod.geometry_area_perimeter`` (which
    ``directory.geo`` uses), fed numpy arrays: 2.5 times faster on large boundaries."""
    polygons = geom.geoms if isinstance(geom, MultiPolygon) else [geom]
    total = 0.0
    for polygon in polygons:
        total += _ring_m2(polygon.exterior) - sum(_ring_m2(r) for r in polygon.interiors)
    return total / 1_000_000


def polygon_of(boundary: dict | None):
    """The landscape's area as a valid (Multi)Polygon and its km², or ``None`` (a point,
    nothing, or a boundary that encloses no area)."""
    if not isinstance(boundary, dict) or boundary.get("type") not in ("Polygon", "MultiPolygon"):
        return None
    try:
        geom = shape(boundary)
    except Exception:  # noqa: BLE001 - malformed stored GeoJSON counts as no polygon
        return None
    if not numpy.isfinite(numpy.asarray(geom.bounds, dtype=float)).all():
        return None
    if not geom.is_valid:  # stored boundaries are validated; older rows may not be
        geom = make_valid(geom)
        parts = [g for g in getattr(geom, "geoms", [geom]) if isinstance(g, Polygon | MultiPolygon)]
        geom = unary_union(parts) if parts else None
    if geom is None or geom.is_empty or not isinstance(geom, Polygon | MultiPolygon):
        return None
    area = area_km2(geom)
    return (geom, area) if area > 0 else None


def _components(geoms: list) -> list[list[int]]:
    """Groups of polygons linked by intersecting (touching included), found with an STRtree
    so that only neighbours are compared."""
    parent = list(range(len(geoms)))

    def find(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    if geoms:
        tree = STRtree(geoms)
        left, right = tree.query(geoms, predicate="intersects")
        for i, j in zip(left.tolist(), right.tolist(), strict=True):
            if i < j:
                root_i, root_j = find(i), find(j)
                if root_i != root_j:
                    parent[root_j] = root_i
    groups: dict[int, list[int]] = {}
    for i in range(len(geoms)):
        groups.setdefault(find(i), []).append(i)
    return list(groups.values())


def _shared_pieces(geoms: list, members: list[int]):
    """The faces of the overlay of ``members`` that several of them cover: (area km²,
    indexes covering it). Faces covered by one landscape (or by none: a hole) are skipped
    before they are measured — they change nothing."""
    lines = unary_union([geoms[i].boundary for i in members])
    tree = STRtree([geoms[i] for i in members])
    for piece in polygonize(lines.geoms if hasattr(lines, "geoms") else [lines]).geoms:
        if piece.is_empty:
            continue
        inside = piece.representative_point()
        covering = [members[k] for k in tree.query(inside, predicate="within").tolist()]
        if len(covering) > 1:
            yield area_km2(piece), sorted(covering)


def compute(
    landscapes: Iterable[LandscapeInput], *, top: int = TOP_PAIRS, shapes: dict | None = None
) -> ReachResult:
    """The people reached by ``landscapes`` (already the engaged ones), by the method above.
    ``shapes`` (id → ``polygon_of``) saves reading the same boundaries again per region."""
    result = ReachResult()
    geoms: list = []
    people: list[int] = []
    densities: list[float] = []
    areas: list[float] = []
    ids: list[int] = []
    for landscape in landscapes:
        result.landscapes += 1
        if landscape.population is None:
            result.without_population += 1
            continue
        result.recorded += landscape.population
        if shapes is not None and landscape.id in shapes:
            found = shapes[landscape.id]
        else:
            found = polygon_of(landscape.boundary)
        if found is None:
            result.without_polygon += 1
            result.reached_exact += landscape.population
            continue
        geom, area = found
        geoms.append(geom)
        people.append(landscape.population)
        areas.append(area)
        densities.append(landscape.population / area)
        ids.append(landscape.id)

    # Start from every polygon's whole population; each overlap piece then gives back what
    # the plain sum counted beyond the mean density: (Σ d − mean d) × area. A landscape that
    # overlaps nothing is exact with no geometry computed, and touching edges remove nothing.
    result.reached_exact += float(sum(people))
    pairs: dict[tuple[int, int], OverlapPair] = {}
    overlapping: set[int] = set()
    for members in _components(geoms):
        if len(members) < 2:
            continue
        for area, covering in _shared_pieces(geoms, members):
            if area < SLIVER_KM2:
                continue
            total_density = sum(densities[i] for i in covering)
            mean_density = total_density / len(covering)
            result.reached_exact -= (total_density - mean_density) * area
            overlapping.update(covering)
            for i, j in combinations(covering, 2):
                pair = pairs.setdefault((i, j), OverlapPair(ids[i], ids[j]))
                pair.area_km2 += area
                pair.people_once += mean_density * area
                pair.people_recorded += (densities[i] + densities[j]) * area
    result.overlapping_landscapes = len(overlapping)
    for (i, j), pair in pairs.items():
        pair.share_a = 100 * pair.area_km2 / areas[i]
        pair.share_b = 100 * pair.area_km2 / areas[j]
    result.pairs = heapq.nlargest(top, pairs.values(), key=lambda p: (p.removed, p.area_km2))
    return result


def by_region(landscapes: list[LandscapeInput]) -> dict[str, ReachResult]:
    """One result per region (``""`` = the whole initiative, computed over all at once)."""
    regions: dict[str, list[LandscapeInput]] = {}
    for landscape in landscapes:
        regions.setdefault(landscape.region or "", []).append(landscape)
    shapes = read_shapes(landscapes)
    results = {"": compute(landscapes, shapes=shapes)}
    for region, members in sorted(regions.items()):
        if region:  # landscapes without a region count only in the initiative's total
            results[region] = compute(members, top=0, shapes=shapes)
    return results


def read_shapes(landscapes: Iterable[LandscapeInput]) -> dict:
    """id → ``polygon_of`` of every landscape with a population, read once for all places."""
    return {ls.id: polygon_of(ls.boundary) for ls in landscapes if ls.population is not None}
