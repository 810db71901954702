"""Boundaries: every kind of bad geometry gets a sentence saying what is wrong, and where."""

from __future__ import annotations

import io
import json

import pytest

from landhub.directory import geo

SQUARE_1DEG = {"type": "Polygon", "coordinates": [[[0, 0], [1, 0], [1, 1], [0, 1], [0, 0]]]}
BOWTIE = {"type": "Polygon", "coordinates": [[[0, 0], [1, 1], [1, 0], [0, 1], [0, 0]]]}


def _nested_collections(levels: int) -> str:
    geometry = SQUARE_1DEG
    for _ in range(levels):
        geometry = {"type": "GeometryCollection", "geometries": [geometry]}
    return json.dumps({"type": "Feature", "geometry": geometry})


class Upload(io.BytesIO):
    """A stand-in for Django's UploadedFile whose reported size can be large."""

    def __init__(self, data: bytes, name: str, size: int | None = None):
        super().__init__(data)
        self.name = name
        self.size = len(data) if size is None else size


def test_area_of_a_one_degree_square_at_the_equator():
    facts = geo.boundary_facts(geo.parse_boundary_geojson(SQUARE_1DEG))
    # 1° × 1° at the equator on the WGS 84 ellipsoid is about 12,308 km².
    assert facts["area_km2"] == pytest.approx(12_308, rel=0.002)
    assert (facts["centroid_lon"], facts["centroid_lat"]) == (0.5, 0.5)
    assert facts["bbox"] == [0.0, 0.0, 1.0, 1.0]
    assert facts["boundary_vertices"] == 5


def test_area_shrinks_towards_the_poles():
    north = {"type": "Polygon", "coordinates": [[[0, 60], [1, 60], [1, 61], [0, 61], [0, 60]]]}
    facts = geo.boundary_facts(geo.parse_boundary_geojson(north))
    assert facts["area_km2"] == pytest.approx(6_080, rel=0.01)


def test_self_intersection_is_located_and_repaired():
    with pytest.raises(geo.BoundaryError) as caught:
        geo.parse_boundary_geojson(BOWTIE)
    assert "Self-intersection near longitude 0.50000, latitude 0.50000" in caught.value.message
    repaired = caught.value.repaired
    assert repaired["type"] == "MultiPolygon"
    assert geo.parse_boundary_geojson(repaired)  # the repair itself is valid


@pytest.mark.parametrize(
    ("source", "message"),
    [
        ('{"type": "Polygon", "coordinates": [[[0, 0], [1, 0]', "not valid JSON"),
        ("[1, 2, 3]", "has no “type”"),
        ({"type": "Point", "coordinates": [1, 2]}, "No polygon found"),
        ({"type": "Polygon", "coordinates": "nonsense"}, "malformed coordinates"),
        ({"type": "FeatureCollection", "features": "x"}, "no list of features"),
        (
            {"type": "Polygon", "coordinates": [[[0, 0], [200, 0], [200, 1], [0, 0]]]},
            "longitude and latitude swapped",
        ),  # fmt: skip
        (b"\xff\xfe{bad", "not UTF-8"),
        (
            '{"type": "Polygon", "coordinates": [[[NaN, 0], [1, 0], [1, 1], [NaN, 0]]]}',
            "NaN is not a number",
        ),
        (
            '{"type": "Polygon", "coordinates": [[[Infinity, 0], [1, 0], [1, 1], [0, 0]]]}',
            "Infinity is not a number",
        ),
        (
            {"type": "Polygon", "coordinates": [[[0, 0], [1, float("nan")], [1, 1], [0, 0]]]},
            "finite number",
        ),
        ('{"type": "Polygon", "coordinates": [[[' + "9" * 5000 + ", 0]]]}", "not usable JSON"),
        ("[" * 100_000 + "]" * 100_000, "nested too deeply"),
        ({"type": "GeometryCollection", "geometries": 5}, "no list of geometries"),
        ({"type": "GeometryCollection", "geometries": "abc"}, "no list of geometries"),
        (_nested_collections(9), "nested more than"),
    ],
)
def test_malformed_geojson_gets_a_message(source, message):
    with pytest.raises(geo.BoundaryError, match=message):
        geo.parse_boundary_geojson(source)


def test_feature_collection_polygons_are_joined():
    second = {"type": "Polygon", "coordinates": [[[5, 5], [6, 5], [6, 6], [5, 6], [5, 5]]]}
    collection = {
        "type": "FeatureCollection",
        "features": [
            {"type": "Feature", "properties": {}, "geometry": SQUARE_1DEG},
            {"type": "Feature", "properties": {}, "geometry": second},
        ],
    }
    geometry = geo.parse_boundary_geojson(collection)
    assert geometry["type"] == "MultiPolygon" and len(geometry["coordinates"]) == 2


def test_neighbouring_parcels_are_dissolved_into_one_area():
    """Two parcels sharing an edge (a common export of cadastral data) make one landscape."""
    east = {"type": "Polygon", "coordinates": [[[1, 0], [2, 0], [2, 1], [1, 1], [1, 0]]]}
    collection = {"type": "FeatureCollection", "features": [
        {"type": "Feature", "properties": {}, "geometry": SQUARE_1DEG},
        {"type": "Feature", "properties": {}, "geometry": east},
    ]}  # fmt: skip
    geometry = geo.parse_boundary_geojson(collection)
    assert geometry["type"] == "Polygon"
    facts = geo.boundary_facts(geometry)
    assert facts["area_km2"] == pytest.approx(2 * 12_364, rel=0.01)  # two 1° squares


def test_an_invalid_part_is_still_named_and_repairable():
    collection = {"type": "FeatureCollection", "features": [
        {"type": "Feature", "properties": {}, "geometry": BOWTIE},
        {"type": "Feature", "properties": {}, "geometry": {
            "type": "Polygon", "coordinates": [[[5, 5], [6, 5], [6, 6], [5, 6], [5, 5]]]}},
    ]}  # fmt: skip
    with pytest.raises(geo.BoundaryError, match="not valid") as caught:
        geo.parse_boundary_geojson(collection)
    assert caught.value.repaired is not None


def test_heights_are_dropped():
    with_heights = {"type": "Polygon", "coordinates": [
        [[0, 0, 1200.5], [1, 0, 1210], [1, 1, 1300], [0, 1, 1250], [0, 0, 1200.5]]]}  # fmt: skip
    geometry = geo.parse_boundary_geojson(with_heights)
    assert all(len(point) == 2 for point in geometry["coordinates"][0])


def test_kml_polygon_with_a_hole():
    kml = """<?xml version="1.0"?><kml xmlns="http://www.opengis.net/kml/2.2"><Placemark>
      <Polygon><outerBoundaryIs><LinearRing><coordinates>0,0 2,0 2,2 0,2 0,0</coordinates>
      </LinearRing></outerBoundaryIs><innerBoundaryIs><LinearRing><coordinates>
      0.5,0.5 1,0.5 1,1 0.5,1 0.5,0.5</coordinates></LinearRing></innerBoundaryIs></Polygon>
      </Placemark></kml>"""
    geometry = geo.parse_boundary_file(Upload(kml.encode(), "area.kml"))
    assert geometry["type"] == "Polygon" and len(geometry["coordinates"]) == 2


def test_kml_without_polygon_and_kml_with_entities():
    with pytest.raises(geo.BoundaryError, match="contains no polygon"):
        geo.parse_boundary_file(Upload(b"<kml><Placemark><Point><coordinates>1,2</coordinates>"
                                       b"</Point></Placemark></kml>", "p.kml"))  # fmt: skip
    bomb = b'<?xml version="1.0"?><!DOCTYPE kml [<!ENTITY a "aaaa">]><kml>&a;</kml>'
    with pytest.raises(geo.BoundaryError, match="DOCTYPE or entities"):
        geo.parse_boundary_file(Upload(bomb, "bomb.kml"))


def test_a_50_mb_upload_is_refused_without_reading_it():
    upload = Upload(b"{}", "huge.geojson", size=50 * 1024 * 1024)
    with pytest.raises(geo.BoundaryError, match="The file is 50.0 MB; the limit is 10.0 MB"):
        geo.parse_boundary_file(upload)
    assert upload.tell() == 0  # refused on its declared size


def test_too_many_vertices(settings):
    settings.LANDHUB_MAX_BOUNDARY_VERTICES = 10
    ring = [[i / 100, 0] for i in range(20)] + [[0.2, 1], [0, 0]]
    with pytest.raises(geo.BoundaryError, match="22 vertices; the limit is 10"):
        geo.parse_boundary_geojson({"type": "Polygon", "coordinates": [ring]})


def test_point_is_checked():
    assert geo.point_geometry("-1.5", "36.8") == {"type": "Point", "coordinates": [36.8, -1.5]}
    with pytest.raises(geo.BoundaryError, match="within ±90"):
        geo.point_geometry(95, 10)
    with pytest.raises(geo.BoundaryError, match="must be numbers"):
        geo.point_geometry("north", "east")


def test_shapefile_is_refused_kindly():
    with pytest.raises(geo.BoundaryError, match="KMZ and shapefiles"):
        geo.parse_boundary_file(Upload(json.dumps(SQUARE_1DEG).encode(), "area.zip"))
