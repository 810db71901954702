"""The reach method (``mel.reach``) on hand-made polygons with known answers.

Expected figures are worked out here by the method's formula — a piece covered by several
landscapes holds the mean of their densities × its area — with every area measured by
``pyproj.Geod`` on the WGS 84 ellipsoid directly from the corners (never with planar maths),
near the equator and far from it (60° N, where a degree of longitude is half as wide).
Tolerance: one person, the rounding of the stored whole number.
"""

from __future__ import annotations

import pytest
from pyproj import Geod

from landhub.mel.reach import LandscapeInput, by_region, compute

GEOD = Geod(ellps="WGS84")
LATITUDES = [-0.5, 60.0]  # across the equator, and far north
TOLERANCE = 1  # person


def box(x0, y0, x1, y1) -> list:
    return [[x0, y0], [x1, y0], [x1, y1], [x0, y1], [x0, y0]]


def polygon(x0, y0, x1, y1) -> dict:
    return {"type": "Polygon", "coordinates": [box(x0, y0, x1, y1)]}


def area(x0, y0, x1, y1) -> float:
    """km² of the box on the ellipsoid, from its four corners."""
    signed, _perimeter = GEOD.polygon_area_perimeter([x0, x1, x1, x0], [y0, y0, y1, y1])
    return abs(signed) / 1e6


def land(pk, population, boundary, region="Africa", name=None) -> LandscapeInput:
    return LandscapeInput(pk, name or f"L{pk}", region, population, boundary)


@pytest.mark.parametrize("lat", LATITUDES)
def test_two_squares_overlapping_by_half_count_the_shared_half_once(lat):
    a = land(1, 1_000_000, polygon(0, lat, 1, lat + 1))
    b = land(2, 3_000_000, polygon(0.5, lat, 1.5, lat + 1))
    d1 = 1_000_000 / area(0, lat, 1, lat + 1)
    d2 = 3_000_000 / area(0.5, lat, 1.5, lat + 1)
    shared = area(0.5, lat, 1, lat + 1)
    expected = 1_000_000 + 3_000_000 - shared * (d1 + d2) / 2
    result = compute([a, b])
    assert abs(result.reached - expected) <= TOLERANCE
    assert result.recorded == 4_000_000
    assert result.overlap_removed == result.recorded - result.reached
    assert result.overlapping_landscapes == 2
    # Half of each: about half a million of the first and 1.5 million of the second live in
    # the overlap; the mean density counts a million of them once.
    assert abs(result.reached - 3_000_000) < 10_000
    [pair] = result.pairs
    assert (pair.a, pair.b) == (1, 2)
    assert pair.area_km2 == pytest.approx(shared, rel=1e-9)
    assert pair.people_once == pytest.approx(shared * (d1 + d2) / 2, rel=1e-9)
    assert pair.share_a == pytest.approx(100 * shared / area(0, lat, 1, lat + 1), rel=1e-9)


def test_far_from_the_equator_the_same_degrees_hold_half_the_area():
    """Why the areas are on the ellipsoid: a 1° box at 60° N is half a box at the equator."""
    ratio = area(0, 60, 1, 61) / area(0, -0.5, 1, 0.5)
    assert 0.48 < ratio < 0.50


@pytest.mark.parametrize("lat", LATITUDES)
def test_three_landscapes_share_a_common_piece(lat):
    """A spans 0–2° of longitude, B 1–3°, C 1.5–2.5°, all over the same degree of latitude:
    pieces [0,1] A; [1,1.5] A+B; [1.5,2] A+B+C; [2,2.5] B+C; [2.5,3] B."""
    y0, y1 = lat, lat + 1
    pa, pb, pc = 2_000_000, 600_000, 900_000
    landscapes = [land(1, pa, polygon(0, y0, 2, y1)), land(2, pb, polygon(1, y0, 3, y1)),
                  land(3, pc, polygon(1.5, y0, 2.5, y1))]  # fmt: skip
    d = {1: pa / area(0, y0, 2, y1), 2: pb / area(1, y0, 3, y1), 3: pc / area(1.5, y0, 2.5, y1)}
    pieces = [((1, 1.5), (1, 2)), ((1.5, 2), (1, 2, 3)), ((2, 2.5), (2, 3))]
    removed = 0.0
    for (x0, x1), covering in pieces:
        densities = [d[i] for i in covering]
        removed += (sum(densities) - sum(densities) / len(densities)) * area(x0, y0, x1, y1)
    result = compute(landscapes)
    assert abs(result.reached - (pa + pb + pc - removed)) <= TOLERANCE
    assert result.overlapping_landscapes == 3
    # The common piece is counted once: the mean of three densities, not their sum.
    common = area(1.5, y0, 2, y1)
    assert result.reached < pa + pb + pc - common * (d[1] + d[2] + d[3]) * 2 / 3 + 1
    assert {(p.a, p.b) for p in result.pairs} == {(1, 2), (1, 3), (2, 3)}
    ab = next(p for p in result.pairs if (p.a, p.b) == (1, 2))
    assert ab.area_km2 == pytest.approx(area(1, y0, 1.5, y1) + common, rel=1e-9)


@pytest.mark.parametrize("lat", LATITUDES)
def test_a_landscape_inside_another(lat):
    outer, inner = polygon(0, lat, 2, lat + 1), polygon(0.5, lat + 0.25, 1, lat + 0.75)
    d_outer = 5_000_000 / area(0, lat, 2, lat + 1)
    inner_area = area(0.5, lat + 0.25, 1, lat + 0.75)
    d_inner = 400_000 / inner_area
    expected = 5_000_000 + 400_000 - inner_area * (d_outer + d_inner) / 2
    result = compute([land(1, 5_000_000, outer), land(2, 400_000, inner)])
    assert abs(result.reached - expected) <= TOLERANCE
    [pair] = result.pairs
    assert pair.share_b == pytest.approx(100.0)  # all of the inner one is shared


@pytest.mark.parametrize("lat", LATITUDES)
def test_touching_landscapes_remove_nobody(lat):
    result = compute([land(1, 700_000, polygon(0, lat, 1, lat + 1)),
                      land(2, 300_000, polygon(1, lat, 2, lat + 1)),
                      land(3, 100_000, polygon(0, lat + 1, 2, lat + 2))])  # fmt: skip
    assert (result.reached, result.overlap_removed, result.overlapping_landscapes) == (
        1_100_000, 0, 0)  # fmt: skip
    assert result.pairs == []


@pytest.mark.parametrize("lat", LATITUDES)
def test_a_multipolygon_overlapping_with_both_parts(lat):
    y0, y1 = lat, lat + 1
    multi = {"type": "MultiPolygon", "coordinates": [[box(0, y0, 1, y1)], [box(2, y0, 3, y1)]]}
    d_multi = 1_200_000 / (area(0, y0, 1, y1) + area(2, y0, 3, y1))
    d_bridge = 800_000 / area(0.5, y0, 2.5, y1)
    shared = area(0.5, y0, 1, y1) + area(2, y0, 2.5, y1)
    expected = 1_200_000 + 800_000 - shared * (d_multi + d_bridge) / 2
    result = compute([land(1, 1_200_000, multi), land(2, 800_000, polygon(0.5, y0, 2.5, y1))])
    assert abs(result.reached - expected) <= TOLERANCE
    assert result.pairs[0].area_km2 == pytest.approx(shared, rel=1e-9)


def test_a_landscape_with_a_point_counts_its_whole_population():
    point = {"type": "Point", "coordinates": [0.5, 0.5]}  # inside the square, but untestable
    result = compute([land(1, 1_000_000, polygon(0, 0, 1, 1)), land(2, 250_000, point),
                      land(3, 50_000, None)])  # fmt: skip
    assert (result.reached, result.without_polygon, result.overlapping_landscapes) == (
        1_300_000, 2, 0)  # fmt: skip


def test_a_landscape_without_population_counts_nobody_and_leaves_its_neighbours_whole():
    result = compute([land(1, 1_000_000, polygon(0, 0, 1, 1)),
                      land(2, None, polygon(0.5, 0, 1.5, 1)), land(3, None, None)])  # fmt: skip
    counts = (result.reached, result.recorded, result.without_population)
    assert counts == (1_000_000, 1_000_000, 2)
    assert result.landscapes == 3 and result.overlapping_landscapes == 0


def test_boundaries_that_enclose_no_area_or_are_malformed_count_as_without_polygon():
    flat = {"type": "Polygon", "coordinates": [[[0, 0], [1, 0], [2, 0], [0, 0]]]}
    broken = {"type": "Polygon", "coordinates": "nonsense"}
    result = compute([land(1, 10, flat), land(2, 20, broken), land(3, 30, {"type": "Line"})])
    assert (result.reached, result.without_polygon) == (60, 3)


def test_regions_count_their_own_landscapes_and_the_total_counts_a_cross_region_overlap_once():
    africa = land(1, 1_000_000, polygon(0, 0, 1, 1), region="Africa")
    asia = land(2, 1_000_000, polygon(0.5, 0, 1.5, 1), region="Asia")
    alone = land(3, 500_000, polygon(10, 0, 11, 1), region="Asia")
    results = by_region([africa, asia, alone])
    assert set(results) == {"", "Africa", "Asia"}
    assert results["Africa"].reached == 1_000_000  # nobody else in Africa overlaps it
    assert results["Asia"].reached == 1_500_000
    shared = area(0.5, 0, 1, 1)
    expected = 2_500_000 - shared * (1_000_000 / area(0, 0, 1, 1) + 1_000_000 / area(
        0.5, 0, 1.5, 1)) / 2  # fmt: skip
    assert abs(results[""].reached - expected) <= TOLERANCE
    # The regions add up to more than the initiative: the overlap across them is counted once.
    assert results["Africa"].reached + results["Asia"].reached > results[""].reached
    assert results["Asia"].pairs == []  # only the initiative keeps its pairs


def test_nothing_engaged_is_zero():
    result = compute([])
    assert (result.landscapes, result.recorded, result.reached, result.pairs) == (0, 0, 0, [])


def test_many_landscapes_keep_only_the_ten_most_overlapping_pairs():
    chain = [land(i, 100_000 * (i + 1), polygon(i * 0.5, 0, i * 0.5 + 1, 1)) for i in range(15)]
    result = compute(chain)
    assert len(result.pairs) == 10
    removed = [p.removed for p in result.pairs]
    assert removed == sorted(removed, reverse=True)
    assert result.overlapping_landscapes == 15
