"""Landscape boundaries: read GeoJSON or KML, validate, repair, and compute area and centroid.

Everything that touches geometry lives here so views, the API and imports give the same
answers and the same messages. Geometries are stored as GeoJSON dicts (WGS 84, lon/lat);
shapely validates them and pyproj measures the area on an equal-area projection.
"""

from __future__ import annotations

import json
import re
from functools import lru_cache

import numpy
from defusedxml import ElementTree as ET
from defusedxml.common import DefusedXmlException
from django.conf import settings
from django.utils.translation import gettext as _
from pyproj import Geod
from shapely import force_2d, get_coordinates, make_valid
from shapely.geometry import MultiPolygon, Point, Polygon, mapping, shape
from shapely.ops import unary_union
from shapely.validation import explain_validity

POLYGONAL = {"Polygon", "MultiPolygon"}
# The WGS 84 ellipsoid: Geod.geometry_area_perimeter integrates the area on the ellipsoid
# itself, which is exact to well under 0.1 % at any latitude — better than any single
# projection for landscapes from the equator to the high Andes.
_GEOD = Geod(ellps="WGS84")


class BoundaryError(ValueError):
    """A boundary that cannot be used, with a sentence saying what is wrong and where.

    ``repaired`` carries a valid version (GeoJSON dict) when shapely could repair it, so the
    user can accept the repair with one click instead of redrawing.
    """

    def __init__(self, message: str, repaired: dict | None = None):
        super().__init__(message)
        self.message = message
        self.repaired = repaired


def _megabytes(size: int) -> str:
    return f"{size / (1024 * 1024):.1f} MB"


def _max_bytes() -> int:
    return int(getattr(settings, "LANDHUB_MAX_BOUNDARY_BYTES", 5 * 1024 * 1024))


def _max_vertices() -> int:
    return int(getattr(settings, "LANDHUB_MAX_BOUNDARY_VERTICES", 50_000))


def count_vertices(geom) -> int:
    if isinstance(geom, Polygon):
        return len(geom.exterior.coords) + sum(len(r.coords) for r in geom.interiors)
    if isinstance(geom, MultiPolygon):
        return sum(count_vertices(p) for p in geom.geoms)
    return 1


# --- Reading ---------------------------------------------------------------------------------


def _decode(raw: bytes) -> str:
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise BoundaryError(
            _("The file is not UTF-8 text (byte 0x%(byte)02x at position %(pos)d).")
            % {"byte": raw[exc.start], "pos": exc.start}
        ) from exc


MAX_NESTING = 8  # FeatureCollection > Feature > GeometryCollection > … ; real files use 3


def _geometries_from_geojson(data, depth: int = 0) -> list[dict]:
    if depth > MAX_NESTING:
        raise BoundaryError(
            _("The GeoJSON is nested more than %(n)d levels deep.") % {"n": MAX_NESTING}
        )
    if not isinstance(data, dict) or not isinstance(data.get("type"), str):
        raise BoundaryError(_("This is not GeoJSON: it has no “type”."))
    kind = data["type"]
    if kind == "FeatureCollection":
        features = data.get("features")
        if not isinstance(features, list):
            raise BoundaryError(_("The FeatureCollection has no list of features."))
        geometries = []
        for feature in features:
            if isinstance(feature, dict) and feature.get("geometry"):
                geometries.extend(_geometries_from_geojson(feature["geometry"], depth + 1))
        return geometries
    if kind == "Feature":
        geometry = data.get("geometry")
        return _geometries_from_geojson(geometry, depth + 1) if geometry else []
    if kind == "GeometryCollection":
        members = data.get("geometries")
        if not isinstance(members, list):
            raise BoundaryError(_("The GeometryCollection has no list of geometries."))
        geometries = []
        for geometry in members:
            geometries.extend(_geometries_from_geojson(geometry, depth + 1))
        return geometries
    return [data]


def _shape(geometry: dict):
    try:
        # Heights (GPS and KML exports carry them) say nothing about the area: dropped.
        with numpy.errstate(invalid="ignore"):  # NaN is reported below, not warned about
            geom = force_2d(shape(geometry))
    except Exception as exc:  # shapely raises several types for malformed coordinates
        raise BoundaryError(
            _("The %(type)s has malformed coordinates (%(error)s).")
            % {"type": geometry.get("type", "geometry"), "error": str(exc)[:120]}
        ) from exc
    # Checked before any other geometry operation: GEOS raises on NaN and infinity.
    if not numpy.isfinite(get_coordinates(geom)).all():  # bounds skip NaN, so not those
        raise BoundaryError(_("Every coordinate must be a finite number (found NaN or infinity)."))
    return geom


def _polygonal(geometries: list[dict]):
    """Union the polygons found; refuse when there are none."""
    polygons = []
    for geometry in geometries:
        kind = geometry.get("type") if isinstance(geometry, dict) else None
        if not isinstance(kind, str) or kind not in POLYGONAL:
            continue
        polygons.append(_shape(geometry))
    if not polygons:
        raise BoundaryError(
            _("No polygon found. A boundary must be a Polygon or MultiPolygon (points and lines "
              "cannot describe an area).")
        )  # fmt: skip
    if len(polygons) == 1:
        return polygons[0]
    if all(polygon.is_valid for polygon in polygons):
        # Neighbouring parcels of one landscape share edges: dissolve them into one area
        # (as a MultiPolygon they would touch along lines, which is not valid).
        return unary_union(polygons)
    # Keep an invalid part as it is, so the user is told where it is and offered a repair.
    parts = []
    for polygon in polygons:
        parts.extend(polygon.geoms if isinstance(polygon, MultiPolygon) else [polygon])
    return MultiPolygon(parts)


def _validated(geom) -> dict:
    """Check size, coordinates and validity; return the GeoJSON mapping."""
    vertices = count_vertices(geom)
    if vertices > _max_vertices():
        raise BoundaryError(
            _("The boundary has %(count)s vertices; the limit is %(limit)s. Simplify it first "
              "(for example with mapshaper or QGIS) and upload again.")
            % {"count": f"{vertices:,}", "limit": f"{_max_vertices():,}"}
        )  # fmt: skip
    minx, miny, maxx, maxy = geom.bounds
    if minx < -180 or maxx > 180 or miny < -90 or maxy > 90:
        raise BoundaryError(
            _("Coordinates must be longitude (−180 to 180) and latitude (−90 to 90) in WGS 84; "
              "this boundary reaches %(bounds)s. Is it in another projection, or are longitude "
              "and latitude swapped?") % {"bounds": ", ".join(f"{v:.2f}" for v in geom.bounds)}
        )  # fmt: skip
    if not geom.is_valid:
        reason = explain_validity(geom)
        where = ""
        match = re.search(r"\[([-\d.eE]+)\s+([-\d.eE]+)\]", reason)
        if match:
            where = _(" near longitude %(lon)s, latitude %(lat)s") % {
                "lon": f"{float(match.group(1)):.5f}",
                "lat": f"{float(match.group(2)):.5f}",
            }
        what = reason.split("[")[0].strip() or reason
        repaired = _repair(geom)
        raise BoundaryError(
            _("The polygon is not valid: %(what)s%(where)s.") % {"what": what, "where": where},
            repaired=repaired,
        )
    if geom.is_empty or geom.area == 0:
        raise BoundaryError(_("The polygon has no area."))
    return _rounded(mapping(geom))


def _repair(geom) -> dict | None:
    fixed = make_valid(geom)
    if isinstance(fixed, Polygon | MultiPolygon):
        result = fixed
    else:  # GeometryCollection: keep the areas, drop stray lines and points
        parts = [g for g in getattr(fixed, "geoms", []) if isinstance(g, Polygon | MultiPolygon)]
        if not parts:
            return None
        result = unary_union(parts)
    if result.is_empty or not result.is_valid or result.area == 0:
        return None
    return _rounded(mapping(result))


def _rounded(value):
    """Round coordinates to 6 decimals (~0.1 m) and turn tuples into JSON lists."""
    if isinstance(value, dict):
        return {k: _rounded(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        if value and all(isinstance(v, int | float) for v in value):
            return [round(float(v), 6) for v in value]
        return [_rounded(v) for v in value]
    return value


def parse_boundary_geojson(source) -> dict:
    """A drawn, pasted or imported GeoJSON (text or dict) → a valid Polygon/MultiPolygon dict."""
    if isinstance(source, bytes):
        source = _decode(source)
    if isinstance(source, str):
        if len(source.encode("utf-8")) > _max_bytes():
            raise BoundaryError(_too_big(len(source.encode("utf-8"))))
        try:
            source = json.loads(source, parse_constant=_refuse_constant)
        except json.JSONDecodeError as exc:
            raise BoundaryError(
                _("This is not valid JSON: %(error)s (line %(line)d, column %(col)d).")
                % {"error": exc.msg, "line": exc.lineno, "col": exc.colno}
            ) from exc
        except RecursionError as exc:
            raise BoundaryError(_("The JSON is nested too deeply to be a boundary.")) from exc
        except ValueError as exc:  # e.g. a number of thousands of digits
            raise BoundaryError(
                _("This is not usable JSON: %(error)s.") % {"error": str(exc)[:120]}
            ) from exc
    return _validated(_polygonal(_geometries_from_geojson(source)))


def _refuse_constant(name: str):
    """``NaN`` and ``Infinity`` are not JSON, though Python's reader accepts them."""
    raise ValueError(_("%(name)s is not a number") % {"name": name})


def _too_big(size: int) -> str:
    return _("The file is %(size)s; the limit is %(limit)s.") % {
        "size": _megabytes(size),
        "limit": _megabytes(_max_bytes()),
    }


KML_NS = re.compile(r"^\{[^}]*\}")


def parse_kml(text: str) -> dict:
    """Read the polygons of a KML document (outer and inner rings) into a GeoJSON geometry."""
    if re.search(r"<!DOCTYPE|<!ENTITY", text[:4096], re.IGNORECASE):
        # Entities are how XML bombs and external-file reads work; KML never needs them.
        raise BoundaryError(_("KML files with a DOCTYPE or entities are not accepted."))
    try:
        root = ET.fromstring(text)
    except DefusedXmlException as exc:
        raise BoundaryError(_("KML files with a DOCTYPE or entities are not accepted.")) from exc
    except ET.ParseError as exc:
        raise BoundaryError(_("This is not valid KML: %(error)s.") % {"error": exc}) from exc

    def local(tag: str) -> str:
        return KML_NS.sub("", tag)

    def ring(element) -> list[list[float]]:
        for node in element.iter():
            if local(node.tag) == "coordinates" and node.text:
                points = []
                for chunk in node.text.split():
                    parts = chunk.split(",")
                    try:
                        points.append([float(parts[0]), float(parts[1])])
                    except (ValueError, IndexError) as exc:
                        raise BoundaryError(
                            _("A KML coordinate is not “longitude,latitude”: %(chunk)s")
                            % {"chunk": chunk[:40]}
                        ) from exc
                return points
        return []

    geometries = []
    for polygon in root.iter():
        if local(polygon.tag) != "Polygon":
            continue
        outer, inner = [], []
        for child in polygon:
            if local(child.tag) == "outerBoundaryIs":
                outer = ring(child)
            elif local(child.tag) == "innerBoundaryIs":
                inner.append(ring(child))
        if outer:
            geometries.append({"type": "Polygon", "coordinates": [outer, *inner]})
    if not geometries:
        raise BoundaryError(_("The KML file contains no polygon."))
    return _validated(_polygonal(geometries))


def parse_boundary_file(uploaded) -> dict:
    """An uploaded GeoJSON or KML file → a valid Polygon/MultiPolygon GeoJSON dict."""
    size = getattr(uploaded, "size", None)
    if size is not None and size > _max_bytes():
        raise BoundaryError(_too_big(size))
    raw = uploaded.read(_max_bytes() + 1)
    if len(raw) > _max_bytes():
        raise BoundaryError(_too_big(len(raw)))
    text = _decode(raw)
    name = (getattr(uploaded, "name", "") or "").lower()
    stripped = text.lstrip()
    if name.endswith(".kml") or stripped.startswith("<"):
        return parse_kml(text)
    if name.endswith(".kmz") or name.endswith(".shp") or name.endswith(".zip"):
        raise BoundaryError(_("Upload GeoJSON or KML; KMZ and shapefiles are not read yet."))
    return parse_boundary_geojson(text)


def point_geometry(lat, lon) -> dict:
    try:
        lat, lon = float(lat), float(lon)
    except (TypeError, ValueError) as exc:
        raise BoundaryError(_("Latitude and longitude must be numbers.")) from exc
    if not (-90 <= lat <= 90 and -180 <= lon <= 180):
        raise BoundaryError(_("Latitude must be within ±90 and longitude within ±180."))
    return {"type": "Point", "coordinates": [round(lon, 6), round(lat, 6)]}


# --- Measuring -------------------------------------------------------------------------------


def boundary_facts(geometry: dict | None) -> dict:
    """Area (km², on the WGS 84 ellipsoid), centroid, bounding box and vertex count."""
    if not geometry:
        return {
            "area_km2": None,
            "centroid_lat": None,
            "centroid_lon": None,
            "bbox": None,
            "boundary_vertices": 0,
        }
    geom = shape(geometry)
    if isinstance(geom, Point):
        return {
            "area_km2": None,
            "centroid_lat": geom.y,
            "centroid_lon": geom.x,
            "bbox": [geom.x, geom.y, geom.x, geom.y],
            "boundary_vertices": 1,
        }
    area_m2, _perimeter = _GEOD.geometry_area_perimeter(geom)
    # A representative point is always inside (a centroid of a crescent may not be).
    inside = geom.centroid if geom.contains(geom.centroid) else geom.representative_point()
    return {
        "area_km2": round(abs(area_m2) / 1_000_000, 2),
        "centroid_lat": round(inside.y, 6),
        "centroid_lon": round(inside.x, 6),
        "bbox": [round(v, 6) for v in geom.bounds],
        "boundary_vertices": count_vertices(geom),
    }


@lru_cache(maxsize=1)
def example_geojson() -> str:
    """A small valid boundary, shown as a hint next to the paste box."""
    return json.dumps(
        {
            "type": "Polygon",
            "coordinates": [[[36.0, -1.0], [36.5, -1.0], [36.5, -0.5], [36.0, -0.5], [36.0, -1.0]]],
        }
    )
