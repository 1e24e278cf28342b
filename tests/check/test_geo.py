"""GeoJSON in data/geo/: every kind of mistake gives the exact ``file:line: field: message``.

The tables below hold one case per kind of mistake. The public conformance corpora in
``tests/fixtures/geojson-conformance/`` (placemark/check-geojson and mapbox/geojsonhint, with
their licences) are an
outside yardstick: every ``good`` file passes and every ``bad`` file is refused, except the
winding and precision fixtures, which the portal repairs with a warning.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from shapely.geometry import LinearRing

from conftest import ROOT
from portal.check.geo import KINDS, GeoResult, check_geojson, check_layer, line_of
from portal.load.yamlload import load_file

CONFORMANCE = ROOT / "tests" / "fixtures" / "geojson-conformance"
FILE = "data/geo/test.geojson"
REGIONS = {"agdam", "fuzuli"}
SOURCES = {"gazetteer"}
AREA = (44.0, 38.0, 51.0, 42.5)
# Fixtures of geojsonhint's bad/ folder that the portal repairs (with a warning) instead of refusing.
REPAIRED = {"polygon_winding_order", "bad-polygon-interiorring-rhr", "excessive_precision_truncated"}

TOWN = '{"region": "agdam", "kind": "main_town", "source": "gazetteer"}'
BOUNDARY = '{"region": "agdam", "kind": "boundary", "source": "gazetteer"}'
POINT = '{"type": "Point", "coordinates": [46.9, 40.0]}'


def feature(geometry: str = POINT, properties: str = TOWN, fid: str | None = '"agdam-town"') -> str:
    """One feature on one line, as in data/geo/towns.geojson."""
    id_member = f'"id": {fid}, ' if fid is not None else ""
    return f'{{"type": "Feature", {id_member}"properties": {properties}, "geometry": {geometry}}}'


def collection(*features: str) -> str:
    """A FeatureCollection whose n-th feature is on line n + 1."""
    return '{"type": "FeatureCollection", "features": [\n' + ",\n".join(features) + "\n]}\n"


def messages(text: str | bytes, **options) -> list[str]:
    raw = text.encode() if isinstance(text, str) else text
    return [str(p) for p in check_geojson(raw, FILE, **options).problems]


def layer_messages(text: str) -> list[str]:
    result = check_geojson(text.encode(), FILE)
    layer = check_layer(result, FILE, regions=REGIONS, sources=SOURCES, bbox=AREA)
    return [str(p) for p in result.problems + layer]


def numbers(value) -> list:
    """Every number in nested arrays."""
    return [n for item in value for n in numbers(item)] if isinstance(value, list) else [value]


# -- check_geojson: RFC 7946 --------------------------------------------------------------

TYPES = "FeatureCollection, Feature, Point, MultiPoint, LineString, MultiLineString, Polygon, MultiPolygon, GeometryCollection"
GEOMETRIES = "Point, MultiPoint, LineString, MultiLineString, Polygon, MultiPolygon, GeometryCollection"

# (case id, file text, every message expected)
GENERIC = [
    # reading
    ("syntax-missing-comma", '{"type": "Point"\n "coordinates": [1, 2]}', [
        "data/geo/test.geojson:2: JSON syntax error at column 2: expecting ',' delimiter; a comma is missing before this point (at the end of the line above?)"]),
    ("syntax-trailing-comma", '{"type": "Point",\n "coordinates": [1, 2],\n}', [
        "data/geo/test.geojson:3: JSON syntax error at column 1: expecting property name enclosed in double quotes; remove the comma before '}', and put names in double quotes"]),
    ("syntax-single-quotes", "{'type': 'Point'}", [
        "data/geo/test.geojson:1: JSON syntax error at column 2: expecting property name enclosed in double quotes; remove the comma before '}', and put names in double quotes"]),
    ("syntax-extra-data", '{"type": "Point", "coordinates": [1, 2]}}', [
        "data/geo/test.geojson:1: JSON syntax error at column 41: extra data; there is more after the end of the GeoJSON object: is a bracket closed too early?"]),
    ("nan", '{"type": "Point",\n "coordinates": [NaN, 2]}', [
        "data/geo/test.geojson:2: JSON syntax error at column 18: NaN is not a JSON number; write a number, or null"]),
    ("empty", "  \n", ["data/geo/test.geojson:1: the file is empty; expected a GeoJSON object"]),
    ("duplicate-member", '{"type": "Point",\n "coordinates": [1, 2],\n "type": "Point"}', [
        "data/geo/test.geojson:1: the member 'type' is given more than once in this object; keep one"]),
    ("duplicate-member-nested", collection(feature(properties='{"region": "agdam",\n "region": "fuzuli"}')), [
        "data/geo/test.geojson:2: features[0].properties: the member 'region' is given more than once in this object; keep one (feature 'agdam-town')"]),
    # type
    ("root-array", "[\n]", ['data/geo/test.geojson:1: expected a GeoJSON object ({"type": ...}), got an empty array']),
    ("type-missing", '{"coordinates": [1, 2]}', [f"data/geo/test.geojson:1: type: required member is missing; expected one of: {TYPES}"]),
    ("type-not-text", '{"type": 7, "coordinates": [1, 2]}', [f"data/geo/test.geojson:1: type: expected one of: {TYPES}; got the number 7"]),
    ("type-unknown", '{"type": "Poligon", "coordinates": []}', [
        f"data/geo/test.geojson:1: type: expected one of: {TYPES}; got 'Poligon' (did you mean 'Polygon'?)"]),
    ("type-case", '{"type": "featurecollection", "features": []}', [
        "data/geo/test.geojson:1: type: expected 'FeatureCollection' (types are case-sensitive), got 'featurecollection'"]),
    ("feature-type", collection('{"type": "Featre", "properties": null, "geometry": null}'), [
        "data/geo/test.geojson:2: features[0].type: expected 'Feature', got 'Featre' (did you mean 'Feature'?)"]),
    ("crs", '{"type": "FeatureCollection",\n "crs": {"type": "name", "properties": {"name": "EPSG:3857"}},\n "features": []}', [
        "data/geo/test.geojson:2: crs: remove 'crs': RFC 7946 dropped it, and coordinates must be WGS 84 longitude, latitude"]),
    # FeatureCollection and Feature
    ("features-missing", '{"type": "FeatureCollection"}', [
        "data/geo/test.geojson:1: features: required member is missing; expected an array of Feature objects"]),
    ("features-not-array", '{"type": "FeatureCollection", "features": {}}', [
        "data/geo/test.geojson:1: features: expected an array of Feature objects, got an object"]),
    ("feature-not-object", collection("null"), ["data/geo/test.geojson:2: features[0]: expected a Feature object, got null"]),
    ("collection-with-properties", '{"type": "FeatureCollection", "features": [],\n "properties": {}}', [
        "data/geo/test.geojson:2: properties: a FeatureCollection cannot have a 'properties' member (RFC 7946 §7.1); remove it"]),
    ("feature-with-coordinates", '{"type": "Feature", "properties": null, "geometry": null,\n "coordinates": [1, 2]}', [
        "data/geo/test.geojson:2: coordinates: a Feature cannot have a 'coordinates' member (RFC 7946 §7.1); remove it"]),
    ("geometry-with-properties", '{"type": "Point", "coordinates": [1, 2],\n "properties": {}}', [
        "data/geo/test.geojson:2: properties: a Point cannot have a 'properties' member (RFC 7946 §7.1); remove it"]),
    ("properties-missing", collection('{"type": "Feature",\n "id": "agdam-town", "geometry": null}'), [
        "data/geo/test.geojson:2: features[0].properties: required member is missing; expected an object, or null (feature 'agdam-town')"]),
    ("properties-array", '{"type": "Feature", "geometry": null,\n "properties": []}', [
        "data/geo/test.geojson:2: properties: expected an object, or null, got an empty array"]),
    ("properties-number", '{"type": "Feature", "geometry": null,\n "properties": 123}', [
        "data/geo/test.geojson:2: properties: expected an object, or null, got the number 123"]),
    ("geometry-missing", '{"type": "Feature", "properties": null}', [
        "data/geo/test.geojson:1: geometry: required member is missing; expected a geometry object, or null"]),
    ("geometry-array", '{"type": "Feature", "properties": null,\n "geometry": []}', [
        "data/geo/test.geojson:2: geometry: expected a geometry object, or null, got an empty array"]),
    ("id-object", collection('{"type": "Feature", "properties": {"region": "agdam"},\n "id": {}, "geometry": null}'), [
        "data/geo/test.geojson:3: features[0].id: expected text or a number, got an object (feature of region 'agdam')"]),
    ("id-boolean", '{"type": "Feature", "properties": null, "geometry": null, "id": true}', [
        "data/geo/test.geojson:1: id: expected text or a number, got true"]),
    # coordinates
    ("coordinates-missing", '{"type": "Polygon"}', [
        "data/geo/test.geojson:1: coordinates: required member is missing; a Polygon needs an array of rings"]),
    ("coordinates-text", '{"type": "LineString", "coordinates": "46.1 40.2"}', [
        "data/geo/test.geojson:1: coordinates: expected an array of positions, got the text '46.1 40.2'"]),
    ("number-not-nested", '{"type": "MultiPoint",\n "coordinates": [46, 40]}', [
        "data/geo/test.geojson:2: coordinates: expected an array of positions, got an array of numbers: this needs to be nested more deeply"]),
    ("number-for-position", '{"type": "LineString", "coordinates": [[46, 40], 47]}', [
        "data/geo/test.geojson:1: coordinates[1]: expected a position [longitude, latitude], got the number 47: this needs to be nested more deeply"]),
    ("polygon-not-nested", '{"type": "Polygon", "coordinates":\n [[46, 40], [47, 40], [47, 41], [46, 40]]}', [
        "data/geo/test.geojson:2: coordinates: expected an array of rings, got an array of positions: this needs to be nested more deeply"]),
    ("nested-too-deeply", '{"type": "Point", "coordinates": [[46, 40]]}', [
        "data/geo/test.geojson:1: coordinates: expected a position [longitude, latitude], got an array of positions: this is nested too deeply"]),
    ("coordinate-quoted", '{"type": "Point", "coordinates": [46.9,\n "40.0"]}', [
        "data/geo/test.geojson:2: coordinates[1]: expected a number, got the text '40.0'; write it without quotes: 40.0"]),
    ("coordinate-boolean", '{"type": "Point", "coordinates": [true, 40]}', [
        "data/geo/test.geojson:1: coordinates[0]: expected a number, got true"]),
    ("coordinate-null", '{"type": "LineString", "coordinates": [[46, 40], [47, null]]}', [
        "data/geo/test.geojson:1: coordinates[1][1]: expected a number, got null"]),
    ("coordinate-too-large", '{"type": "Point", "coordinates": [1e999, 40]}', [
        "data/geo/test.geojson:1: coordinates[0]: expected a number, got one too large to use"]),
    ("coordinate-array", '{"type": "Point", "coordinates": [46, [40]]}', [
        "data/geo/test.geojson:1: coordinates[1]: expected a number, got an array: this is nested too deeply"]),
    ("position-too-short", '{"type": "Point", "coordinates": [46]}', [
        "data/geo/test.geojson:1: coordinates: a position needs 2 numbers [longitude, latitude], got 1"]),
    ("position-too-long", '{"type": "Point", "coordinates": [46, 40, 0, 1]}', [
        "data/geo/test.geojson:1: coordinates: a position has at most 3 numbers [longitude, latitude, altitude], got 4"]),
    ("mixed-dimensions", '{"type": "LineString", "coordinates": [[46, 40],\n [47, 41, 500]]}', [
        "data/geo/test.geojson:2: coordinates[1]: this position has 3 numbers but the geometry's first has 2; give every position of a geometry 2 numbers, or every one 3"]),
    ("line-too-short", '{"type": "LineString", "coordinates": [[46, 40]]}', [
        "data/geo/test.geojson:1: coordinates: a line needs at least 2 positions, got 1"]),
    ("multiline-too-short", '{"type": "MultiLineString", "coordinates": [\n [[46, 40], [47, 41]],\n [[46, 40]]]}', [
        "data/geo/test.geojson:3: coordinates[1]: a line needs at least 2 positions, got 1"]),
    ("ring-not-closed", '{"type": "Polygon", "coordinates": [\n [[46, 40], [47, 40], [47, 41], [46, 41]]]}', [
        "data/geo/test.geojson:2: coordinates[0]: a ring must end where it starts: the last position [46, 41] is not the first [46, 40]; repeat the first position at the end"]),
    ("ring-too-short", '{"type": "Polygon", "coordinates": [\n [[46, 40], [47, 40], [46, 40]]]}', [
        "data/geo/test.geojson:2: coordinates[0]: a ring needs at least 4 positions (the last repeats the first), got 3"]),
    # GeometryCollection and bbox
    ("collection-nested", '{"type": "GeometryCollection", "geometries": [\n {"type": "Point", "coordinates": [1, 2]},\n {"type": "GeometryCollection", "geometries": []}]}', [
        "data/geo/test.geojson:3: geometries[1]: a GeometryCollection cannot contain another GeometryCollection; list its geometries in the outer one"]),
    ("collection-single", '{"type": "GeometryCollection",\n "geometries": [{"type": "Point", "coordinates": [1, 2]}]}', [
        "data/geo/test.geojson:2: geometries: a GeometryCollection with a single geometry: use the geometry itself"]),
    ("collection-member-false", '{"type": "GeometryCollection", "geometries": [\n {"type": "Point", "coordinates": [1, 2]},\n false]}', [
        "data/geo/test.geojson:3: geometries[1]: expected a geometry object, got false"]),
    ("collection-member-feature", '{"type": "GeometryCollection", "geometries": [\n {"type": "Point", "coordinates": [1, 2]},\n {"type": "Feature", "properties": null, "geometry": null}]}', [
        f"data/geo/test.geojson:3: geometries[1].type: expected one of: {GEOMETRIES}; got 'Feature'",
        "data/geo/test.geojson:3: geometries[1].geometry: a geometry cannot have a 'geometry' member (RFC 7946 §7.1); remove it",
        "data/geo/test.geojson:3: geometries[1].properties: a geometry cannot have a 'properties' member (RFC 7946 §7.1); remove it"]),
    ("geometries-missing", '{"type": "GeometryCollection"}', [
        "data/geo/test.geojson:1: geometries: required member is missing; expected an array of geometry objects"]),
    ("bbox-text", '{"type": "Point", "coordinates": [1, 2],\n "bbox": "1 2 1 2"}', [
        "data/geo/test.geojson:2: bbox: expected an array of 4 numbers [west, south, east, north], got the text '1 2 1 2'"]),
    ("bbox-length", '{"type": "Point", "coordinates": [1, 2],\n "bbox": [1, 2, 1]}', [
        "data/geo/test.geojson:2: bbox: expected 4 numbers [west, south, east, north] (or 6, with altitudes), got 3"]),
    ("bbox-quoted", '{"type": "Point", "coordinates": [1, 2],\n "bbox": [1, 2, 1, "2"]}', [
        "data/geo/test.geojson:2: bbox[3]: expected a number, got the text '2'; write it without quotes: 2"]),
    # validity (shapely)
    ("self-intersection", '{"type": "Polygon", "coordinates": [\n [[46, 40], [47, 41], [47, 40], [46, 41], [46, 40]]]}', [
        "data/geo/test.geojson:1: coordinates: the polygon crosses itself near 46.5, 40.5"]),
    ("ring-touches-itself", '{"type": "Polygon", "coordinates": [\n [[46, 40], [48, 40], [48, 42], [47, 40], [46, 42], [46, 40]]]}', [
        "data/geo/test.geojson:1: coordinates: a ring touches itself at 47, 40; make it two rings or two polygons"]),
    ("hole-outside", '{"type": "Polygon", "coordinates": [\n [[46, 40], [47, 40], [47, 41], [46, 41], [46, 40]],\n [[48, 40], [48, 41], [49, 41], [48, 40]]]}', [
        "data/geo/test.geojson:1: coordinates: a hole (inner ring) lies outside the outer ring, near 48, 40"]),
    ("multipolygon-overlap", '{"type": "MultiPolygon", "coordinates": [\n [[[46, 40], [48, 40], [48, 42], [46, 42], [46, 40]]],\n [[[47, 41], [49, 41], [49, 43], [47, 43], [47, 41]]]]}', [
        "data/geo/test.geojson:1: coordinates: two polygons of the MultiPolygon overlap near 47, 42"]),
    ("multipolygon-part", '{"type": "MultiPolygon", "coordinates": [\n [[[46, 40], [48, 40], [48, 42], [46, 42], [46, 40]]],\n [[[50, 40], [51, 41], [51, 40], [50, 41], [50, 40]]]]}', [
        "data/geo/test.geojson:3: coordinates[1]: the polygon crosses itself near 50.5, 40.5"]),
    ("line-in-one-place", '{"type": "LineString", "coordinates": [[46, 40], [46, 40]]}', [
        "data/geo/test.geojson:1: coordinates: too few distinct positions near 46, 40 (a position repeated in a row counts once)"]),
    # every problem of the file at once, each naming its feature
    ("many-problems", collection(
        feature(geometry='{"type": "Point", "coordinates": ["46.9", 40]}'),
        feature(fid=None, geometry='{"type": "Polygon", "coordinates": [[46, 40]]}')), [
        "data/geo/test.geojson:2: features[0].geometry.coordinates[0]: expected a number, got the text '46.9'; write it without quotes: 46.9 (feature 'agdam-town')",
        "data/geo/test.geojson:3: features[1].geometry.coordinates: expected an array of rings, got an array of positions: this needs to be nested more deeply (feature of region 'agdam')"]),
]


@pytest.mark.parametrize("text, expected", [pytest.param(t, e, id=i) for i, t, e in GENERIC])
def test_generic_mistake(text: str, expected: list[str]) -> None:
    result = check_geojson(text.encode(), FILE)
    assert [str(p) for p in result.problems] == expected
    assert result.data is None


def test_file_too_large() -> None:
    assert messages('{"type": "Point", "coordinates": [1, 2]}', max_bytes=10) == [
        "data/geo/test.geojson: the file is 40 bytes; the limit is 10. Split it into smaller files or simplify the geometry"
    ]


def test_not_utf8() -> None:
    assert messages(b'{"type": "Feature", "geometry": null,\n "properties": {"name": "A\xefdam"}}') == [
        "data/geo/test.geojson:2: the file is not UTF-8 text (byte 0xef); save it with UTF-8 encoding"
    ]


def test_byte_order_mark_is_accepted() -> None:
    assert messages(b'\xef\xbb\xbf{"type": "Point", "coordinates": [1, 2]}') == []


@pytest.mark.parametrize("name", ["good-polygon", "multipolygon-with-hole", "empty-multipolygon", "geometry-collection", "null-geometry", "point-3d"])
def test_valid_geometry(name: str) -> None:
    text = {
        "good-polygon": '{"type": "Polygon", "coordinates": [[[46, 40], [47, 40], [47, 41], [46, 41], [46, 40]]]}',
        "multipolygon-with-hole": '{"type": "MultiPolygon", "coordinates": [[[[46, 40], [48, 40], [48, 42], [46, 42], [46, 40]],'
        " [[46.5, 40.5], [46.5, 41.5], [47.5, 41.5], [47.5, 40.5], [46.5, 40.5]]]]}",
        "empty-multipolygon": '{"type": "MultiPolygon", "coordinates": []}',
        "geometry-collection": '{"type": "GeometryCollection", "geometries": [{"type": "Point", "coordinates": [1, 2]},'
        ' {"type": "LineString", "coordinates": [[1, 2], [3, 4]]}]}',
        "null-geometry": '{"type": "Feature", "id": 7, "properties": null, "geometry": null}',
        "point-3d": '{"type": "Point", "coordinates": [46.9, 40.0, 120.5]}',
    }[name]
    result = check_geojson(text.encode(), FILE)
    assert result.problems == []
    assert result.data == json.loads(text)


# -- repairs -----------------------------------------------------------------------------


def test_clockwise_outer_ring_is_rewound() -> None:
    text = collection(feature(properties=BOUNDARY, geometry='{"type": "Polygon", "coordinates": [\n[[46, 40], [46, 41], [47, 41], [47, 40], [46, 40]]]}'))
    result = check_geojson(text.encode(), FILE)
    assert [str(p) for p in result.problems] == [
        "data/geo/test.geojson:3: warning: features[0].geometry.coordinates[0]: the outer ring runs clockwise; RFC 7946 wants "
        "outer rings counterclockwise (right-hand rule): it is published reversed (feature 'agdam-town')"
    ]
    ring = result.data["features"][0]["geometry"]["coordinates"][0]
    assert ring == [[46, 40], [47, 40], [47, 41], [46, 41], [46, 40]]
    assert LinearRing(ring).is_ccw


def test_counterclockwise_hole_is_rewound() -> None:
    text = '{"type": "Polygon", "coordinates": [[[46, 40], [48, 40], [48, 42], [46, 42], [46, 40]],\n [[46.5, 40.5], [47.5, 40.5], [47.5, 41.5], [46.5, 41.5], [46.5, 40.5]]]}'
    result = check_geojson(text.encode(), FILE)
    assert [str(p) for p in result.problems] == [
        "data/geo/test.geojson:2: warning: coordinates[1]: this hole runs counterclockwise; RFC 7946 wants holes clockwise "
        "(right-hand rule): it is published reversed"
    ]
    assert not LinearRing(result.data["coordinates"][1]).is_ccw
    assert LinearRing(result.data["coordinates"][0]).is_ccw


def test_excess_decimals_are_rounded() -> None:
    text = collection(
        feature(geometry='{"type": "Point", "coordinates": [46.9, 40.0]}', fid='"a"'),
        feature(geometry='{"type": "Point", "coordinates": [46.12345678, 40.87654321]}', fid='"b"'),
        feature(geometry='{"type": "Point", "coordinates": [46.5, 40.00000001]}', fid='"c"'),
    )
    result = check_geojson(text.encode(), FILE)
    assert [str(p) for p in result.problems] == [
        "data/geo/test.geojson:3: warning: features[1].geometry.coordinates: 2 positions have more than 6 decimal places "
        "(this is the first); they are published rounded to 6 (feature 'b')"
    ]
    assert [f["geometry"]["coordinates"] for f in result.data["features"]] == [[46.9, 40.0], [46.123457, 40.876543], [46.5, 40.0]]


def test_one_position_with_excess_decimals() -> None:
    assert messages('{"type": "Point", "coordinates": [46.1234567, 40]}', precision=5) == [
        "data/geo/test.geojson:1: warning: coordinates: this position has more than 5 decimal places; it is published rounded to 5"
    ]


# -- check_layer: the portal's rules -----------------------------------------------------

AREA_TEXT = "(lon 44–51, lat 38–42.5)"

LAYER = [
    ("not-a-collection", POINT, ["data/geo/test.geojson:1: type: expected 'FeatureCollection' (a file in data/geo/ is a list of features), got 'Point'"]),
    ("properties-null", collection(feature(properties="null")), [
        "data/geo/test.geojson:2: features[0].properties: expected an object with region, kind and source, got null (feature 'agdam-town')"]),
    ("property-typo", collection(feature(properties='{"regoin": "agdam", "kind": "main_town", "source": "gazetteer"}')), [
        "data/geo/test.geojson:2: features[0].properties.regoin: unknown property 'regoin' (did you mean 'region'?); expected one of: kind, name, note, reference, region, source (feature 'agdam-town')",
        "data/geo/test.geojson:2: features[0].properties.region: required property is missing (feature 'agdam-town')"]),
    ("property-missing", collection(feature(properties='{"region": "agdam", "kind": "main_town"}')), [
        "data/geo/test.geojson:2: features[0].properties.source: required property is missing (feature 'agdam-town')"]),
    ("region-typo", collection(feature(properties='{"region": "agdma", "kind": "main_town", "source": "gazetteer"}')), [
        "data/geo/test.geojson:2: features[0].properties.region: unknown region 'agdma' (did you mean 'agdam'?) (feature 'agdam-town')"]),
    ("region-unknown", collection(feature(properties='{"region": "baku", "kind": "main_town", "source": "gazetteer"}')), [
        "data/geo/test.geojson:2: features[0].properties.region: unknown region 'baku'; add it to data/regions/ first (feature 'agdam-town')"]),
    ("region-number", collection(feature(properties='{"region": 7, "kind": "main_town", "source": "gazetteer"}')), [
        "data/geo/test.geojson:2: features[0].properties.region: expected text (a region id), got the number 7 (feature 'agdam-town')"]),
    ("source-unknown", collection(feature(properties='{"region": "agdam", "kind": "main_town", "source": "gazeteer"}')), [
        "data/geo/test.geojson:2: features[0].properties.source: unknown source 'gazeteer' (did you mean 'gazetteer'?) (feature 'agdam-town')"]),
    ("kind-unknown", collection(feature(properties='{"region": "agdam", "kind": "town", "source": "gazetteer"}')), [
        "data/geo/test.geojson:2: features[0].properties.kind: expected one of: boundary, confirmed_hazard_area, main_town, released_land, "
        "suspected_hazard_area; got the text 'town' (did you mean 'main_town'?) (feature 'agdam-town')"]),
    ("name-empty", collection(feature(properties='{"region": "agdam", "kind": "main_town", "source": "gazetteer", "name": " "}')), [
        "data/geo/test.geojson:2: features[0].properties.name: expected a name, got empty text; remove 'name' or give one (feature 'agdam-town')"]),
    ("note-number", collection(feature(properties='{"region": "agdam", "kind": "main_town", "source": "gazetteer", "note": 5}')), [
        "data/geo/test.geojson:2: features[0].properties.note: expected text, or a mapping of language (en, az, ru) to text; got the number 5 (feature 'agdam-town')"]),
    # a note is a text as in every data file (common.schema.json's text): English, or one per language
    ("note-without-english", collection(feature(properties='{"region": "agdam", "kind": "main_town", "source": "gazetteer", "note": {"ru": "Точка"}}')), [
        "data/geo/test.geojson:2: features[0].properties.note.en: required field is missing (feature 'agdam-town')"]),
    ("note-unknown-language", collection(feature(properties='{"region": "agdam", "kind": "main_town", "source": "gazetteer", "note": {"en": "A point", "de": "Ein Punkt"}}')), [
        "data/geo/test.geojson:2: features[0].properties.note.de: unknown field 'de'; expected one of: az, en, ru (feature 'agdam-town')"]),
    ("note-empty-translation", collection(feature(properties='{"region": "agdam", "kind": "main_town", "source": "gazetteer", "note": {"en": "A point", "az": " "}}')), [
        "data/geo/test.geojson:2: features[0].properties.note.az: must not be empty or only spaces (feature 'agdam-town')"]),
    ("town-as-polygon", collection(feature(geometry='{"type": "Polygon", "coordinates": [[[46, 40], [47, 40], [47, 41], [46, 40]]]}')), [
        "data/geo/test.geojson:2: features[0].geometry.type: a main_town must be a Point, got 'Polygon' (feature 'agdam-town')"]),
    ("boundary-as-point", collection(feature(properties=BOUNDARY)), [
        "data/geo/test.geojson:2: features[0].geometry.type: a boundary must be a Polygon or MultiPolygon, got 'Point' (feature 'agdam-town')"]),
    ("town-without-geometry", collection(feature(geometry="null")), [
        "data/geo/test.geojson:2: features[0].geometry: a main_town needs a Point geometry, got null (feature 'agdam-town')"]),
    ("hazard-area-empty", collection(feature(
        properties='{"region": "agdam", "kind": "suspected_hazard_area", "source": "gazetteer"}',
        geometry='{"type": "MultiPolygon", "coordinates": []}')), [
        "data/geo/test.geojson:2: features[0].geometry.coordinates: a suspected_hazard_area needs positions, got an empty array (feature 'agdam-town')"]),
    ("swapped", collection(feature(geometry='{"type": "Point", "coordinates": [40.1, 46.9]}')), [
        f"data/geo/test.geojson:2: features[0].geometry.coordinates: position [40.1, 46.9] is outside the portal's area {AREA_TEXT}: "
        "are longitude and latitude swapped? (feature 'agdam-town')"]),
    ("outside", collection(feature(geometry='{"type": "Point", "coordinates": [56.1, 40.2]}')), [
        f"data/geo/test.geojson:2: features[0].geometry.coordinates: position [56.1, 40.2] is outside the portal's area {AREA_TEXT}: "
        "check the numbers: a position is [longitude, latitude] (feature 'agdam-town')"]),
    ("projected", collection(feature(geometry='{"type": "Point", "coordinates": [5220000.5, 4870000.25]}')), [
        "data/geo/test.geojson:2: features[0].geometry.coordinates: position [5220000.5, 4870000.25] is not longitude and latitude "
        "(longitude -180 to 180, latitude -90 to 90): are these projected coordinates? GeoJSON needs WGS 84 longitude, latitude "
        "in degrees (feature 'agdam-town')"]),
    ("latitude-over-90", collection(feature(geometry='{"type": "Point", "coordinates": [46.1, 140.2]}')), [
        "data/geo/test.geojson:2: features[0].geometry.coordinates: position [46.1, 140.2] is not longitude and latitude "
        "(longitude -180 to 180, latitude -90 to 90): check the numbers: a position is [longitude, latitude] (feature 'agdam-town')"]),
    ("polygon-swapped", collection(feature(properties=BOUNDARY, geometry='{"type": "Polygon", "coordinates": [[[40, 46], [41, 46], [41, 47], [40, 47], [40, 46]]]}')), [
        "data/geo/test.geojson:2: features[0].geometry.coordinates[0][0]: position [40, 46] and 4 more of this feature are outside the "
        f"portal's area {AREA_TEXT}: are longitude and latitude swapped? (feature 'agdam-town')"]),
    ("duplicate-id", collection(feature(), feature()), [
        "data/geo/test.geojson:3: features[1].id: duplicate id 'agdam-town' (features[0] has it too); ids must be unique (feature 'agdam-town')"]),
]


@pytest.mark.parametrize("text, expected", [pytest.param(t, e, id=i) for i, t, e in LAYER])
def test_layer_mistake(text: str, expected: list[str]) -> None:
    assert layer_messages(text) == expected


def test_layer_position_of_a_rewound_ring_is_found_in_the_text() -> None:
    """The ring is clockwise, so data holds it reversed; the message still points at the text."""
    ring = "[[46, 40],\n[46, 43],\n[47, 42],\n[48, 41],\n[48, 40],\n[46, 40]]"
    text = collection(feature(properties=BOUNDARY, geometry='{"type": "Polygon", "coordinates": [\n' + ring + "]}"))
    assert layer_messages(text) == [
        "data/geo/test.geojson:3: warning: features[0].geometry.coordinates[0]: the outer ring runs clockwise; RFC 7946 wants "
        "outer rings counterclockwise (right-hand rule): it is published reversed (feature 'agdam-town')",
        "data/geo/test.geojson:4: features[0].geometry.coordinates[0][1]: position [46, 43] is outside the portal's area "
        f"{AREA_TEXT}: check the numbers: a position is [longitude, latitude] (feature 'agdam-town')",
    ]


def test_layer_with_custom_kinds() -> None:
    text = collection(feature(properties='{"region": "agdam", "kind": "river", "source": "gazetteer"}'))
    result = check_geojson(text.encode(), FILE)
    assert check_layer(result, FILE, regions=REGIONS, sources=SOURCES, bbox=AREA, kinds=KINDS | {"river"}) == []


def test_layer_skips_a_refused_file() -> None:
    result = check_geojson(b"{", FILE)
    assert result.data is None
    assert check_layer(result, FILE, regions=REGIONS, sources=SOURCES, bbox=AREA) == []


@pytest.mark.parametrize("name", ["towns.geojson", "boundaries.geojson"])
def test_project_layers_pass(name: str) -> None:
    path = ROOT / "data" / "geo" / name
    regions = {p.stem for p in (ROOT / "data" / "regions").glob("*.yml")}
    listed = load_file(ROOT / "data" / "sources.yml", "data/sources.yml").data
    sources = {s["id"] for s in (listed["sources"] if isinstance(listed, dict) else listed)}
    result = check_geojson(path.read_bytes(), f"data/geo/{name}")
    assert result.problems == []  # no warning either: nothing to repair (winding, decimals)
    assert check_layer(result, f"data/geo/{name}", regions=regions, sources=sources, bbox=AREA) == []
    assert result.data == json.loads(path.read_text("utf-8"))


# -- line_of -----------------------------------------------------------------------------

LINES_TEXT = '{\n "a": "x\\"]}[{",\n "b": [\n  1,\n  {"c": [2,\n   3]}],\n "d": {}\n}'


@pytest.mark.parametrize(
    "path, line",
    [((), 1), (("a",), 2), (("b",), 3), (("b", 0), 4), (("b", 1), 5), (("b", 1, "c", 1), 6), (("d",), 7), (("b", 1, "missing"), 5), (("zz", 3), 1)],
)
def test_line_of(path: tuple, line: int) -> None:
    assert line_of(LINES_TEXT, path) == line


# -- conformance corpora -----------------------------------------------------------------


def fixtures(pattern: str) -> list:
    found = sorted(CONFORMANCE.glob(pattern))
    assert found, f"no conformance fixtures match {CONFORMANCE}/{pattern}"
    return [pytest.param(p, id=str(p.relative_to(CONFORMANCE))) for p in found]


def check_fixture(path: Path) -> tuple[str, GeoResult]:
    name = str(path.relative_to(CONFORMANCE))
    return name, check_geojson(path.read_bytes(), name)


@pytest.mark.parametrize("path", fixtures("*/good/*.geojson"))
def test_conformance_good(path: Path) -> None:
    _, result = check_fixture(path)
    assert [str(p) for p in result.problems if p.severity == "error"] == []
    assert result.data is not None


@pytest.mark.parametrize("path", fixtures("*/bad/*.geojson"))
def test_conformance_bad(path: Path) -> None:
    name, result = check_fixture(path)
    errors = [p for p in result.problems if p.severity == "error"]
    if path.stem in REPAIRED:
        assert errors == []
        assert [p.severity for p in result.problems] and all(str(p).startswith(f"{name}:") for p in result.problems)
        assert result.data is not None
        assert_repaired(result.data)
    else:
        assert errors, f"{name} was accepted"
        assert all(str(p).startswith(f"{name}:") for p in errors)
        assert result.data is None


@pytest.mark.parametrize("path", fixtures("*/bad/*.geojson"))
def test_conformance_bad_names_lines(path: Path) -> None:
    """Every message names a line of the file: no bad fixture is unreadable as a whole (too large)."""
    name, result = check_fixture(path)
    last = len(path.read_text("utf-8").splitlines())
    for problem in result.problems:
        assert 0 < problem.line <= last, str(problem)
        assert str(problem).startswith(f"{name}:{problem.line}: "), str(problem)


def assert_repaired(data: dict) -> None:
    """Right-hand rule and at most 6 decimals everywhere (these fixtures are single geometries)."""
    polygons = {"Polygon": [data["coordinates"]], "MultiPolygon": data["coordinates"]}.get(data["type"], [])
    for rings in polygons:
        assert [LinearRing(ring).is_ccw for ring in rings] == [True] + [False] * (len(rings) - 1)
    assert all(round(n, 6) == n for n in numbers(data["coordinates"]))
