"""Property-based tests (hypothesis): the parsers answer any input with a result or a message.

Whatever bytes or JSON a user uploads, the GeoJSON, KML, CSV and XLSX readers either return a
valid result or raise their own error with a sentence — never another exception (a 500).
"""

from __future__ import annotations

import io
import math

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from landhub.directory import geo
from landhub.directory.imports import ImportFileError, check_file, read_table

FAST = settings(max_examples=150, deadline=None,
                suppress_health_check=[HealthCheck.function_scoped_fixture])  # fmt: skip

json_values = st.recursive(
    st.none() | st.booleans() | st.floats(allow_nan=False) | st.integers() | st.text(max_size=20),
    lambda children: st.lists(children, max_size=5)
    | st.dictionaries(st.sampled_from(["type", "coordinates", "features", "geometry",
                                       "geometries", "properties", "x"]), children, max_size=5),
    max_leaves=30,
)  # fmt: skip
geometry_types = st.sampled_from(
    ["Polygon", "MultiPolygon", "Feature", "FeatureCollection", "Point", "GeometryCollection"]
)


@FAST
@given(st.one_of(json_values, st.builds(lambda t, c: {"type": t, "coordinates": c},
                                        geometry_types, json_values)))  # fmt: skip
def test_any_json_gives_a_geometry_or_a_message(value):
    try:
        result = geo.parse_boundary_geojson(value)
    except geo.BoundaryError as exc:
        assert exc.message
    else:
        assert result["type"] in ("Polygon", "MultiPolygon")
        assert geo.boundary_facts(result)["area_km2"] > 0


@FAST
@given(st.binary(max_size=300))
def test_any_bytes_as_a_boundary_file(raw):
    class Upload(io.BytesIO):
        name = "upload.geojson"
        size = len(raw)

    with pytest.raises(geo.BoundaryError):
        # Random bytes are never a valid polygon; they must be *refused*, politely.
        geo.parse_boundary_file(Upload(raw))


@FAST
@given(
    st.floats(-170, 170), st.floats(-70, 70), st.floats(0.01, 5),
    st.lists(st.floats(0.3, 1.0), min_size=3, max_size=30), st.integers(0, 29),
)  # fmt: skip
def test_star_shaped_polygons_are_valid_and_area_ignores_the_start_vertex(
    lon, lat, radius, factors, shift
):
    n = len(factors)
    ring = [
        [lon + radius * f * math.cos(2 * math.pi * i / n),
         lat + radius * f * math.sin(2 * math.pi * i / n)]
        for i, f in enumerate(factors)
    ]  # fmt: skip
    rotated = ring[shift % n :] + ring[: shift % n]
    first = geo.boundary_facts(geo.parse_boundary_geojson(
        {"type": "Polygon", "coordinates": [ring + ring[:1]]}))  # fmt: skip
    second = geo.boundary_facts(geo.parse_boundary_geojson(
        {"type": "Polygon", "coordinates": [rotated + rotated[:1]]}))  # fmt: skip
    assert first["area_km2"] > 0
    assert first["area_km2"] == pytest.approx(second["area_km2"], rel=1e-6, abs=0.05)


@FAST
@given(st.text(max_size=400))
def test_any_text_as_kml(text):
    try:
        geometry = geo.parse_kml(text)
    except geo.BoundaryError as exc:
        assert exc.message
    else:
        assert geometry["type"] in ("Polygon", "MultiPolygon")


@FAST
@given(st.binary(max_size=400))
def test_any_bytes_as_a_csv_table(raw):
    try:
        header, rows = read_table("upload.csv", raw)
    except ImportFileError as exc:
        assert str(exc)
    else:
        assert all(isinstance(line, int) and line >= 2 for line, _row in rows)


COLUMNS = ["name", "kind", "country", "capabilities", "themes", "website"]
cells = st.text(alphabet=st.characters(blacklist_categories=("Cs", "Cc")), max_size=15)


@pytest.mark.django_db
@FAST
@given(st.lists(st.dictionaries(st.sampled_from(COLUMNS), cells), max_size=6))
def test_checking_any_rows_reports_problems_by_line(rows):
    numbered = [(i + 2, row) for i, row in enumerate(rows)]
    report = check_file("organizations", COLUMNS, numbered)
    lines = {line for line, _row in numbered}
    assert all(error["line"] in lines for error in report.errors)
    assert len(report.rows) + len({e["line"] for e in report.errors}) == len(rows)


# Text that a spreadsheet keeps as text (a leading "=" makes a formula, read by its value).
plain_cells = cells.filter(lambda c: c and c.strip() == c and not c.startswith("="))


@FAST
@given(st.lists(st.lists(plain_cells, min_size=3, max_size=3),
                min_size=1, max_size=5))  # fmt: skip
def test_xlsx_round_trip(values):
    from openpyxl import Workbook

    book = Workbook()
    book.active.append(["name", "kind", "country"])
    for row in values:
        book.active.append(row)
    out = io.BytesIO()
    book.save(out)
    header, rows = read_table("upload.xlsx", out.getvalue())
    assert header == ["name", "kind", "country"]
    assert [list(row.values()) for _line, row in rows] == values
