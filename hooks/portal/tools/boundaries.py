"""Import region boundaries from a GeoJSON boundary file into the portal's format.

    PYTHONPATH=hooks python -m portal.tools.boundaries INPUT.geojson --match-property shapeName \\
        --map "Ağdam=agdam" --map "Füzuli=fuzuli" --source SOURCE_ID --out data/geo/boundaries.geojson

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
import sys
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import shapely
from shapely.geometry import MultiPolygon, Polygon, shape
from shapely.geometry.polygon import orient

ID = re.compile(r"^[a-z0-9]+(-[a-z0-9]+)*$")  # as common.schema.json#/$defs/id


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
    """A FeatureCollection, compact, one feature per line."""
    lines = [json.dumps(feature, ensure_ascii=False, separators=(",", ":")) for feature in features]
    return '{"type":"FeatureCollection","features":[\n' + ",\n".join(lines) + "\n]}\n"


def arguments(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="python -m portal.tools.boundaries", description=__doc__.splitlines()[0])
    parser.add_argument("input", type=Path, help="a GeoJSON FeatureCollection in longitude/latitude (WGS 84)")
    parser.add_argument("--match-property", required=True, help="the name property: shapeName (geoBoundaries), name (OSM)")
    parser.add_argument("--map", dest="pairs", action="append", type=parse_pair, default=[], metavar="NAME=REGION_ID")
    parser.add_argument("--map-file", type=Path, help="CSV with two columns name,region (a header row is allowed)")
    parser.add_argument("--source", required=True, help="id of the source in data/sources.yml")
    parser.add_argument("--out", required=True, type=Path)
    parser.add_argument("--tolerance", type=float, default=0.001, help="simplification in degrees (default 0.001, ~100 m)")
    parser.add_argument("--precision", type=int, default=5, help="decimals kept (default 5, about 1 m)")
    parser.add_argument("--force", action="store_true", help="overwrite --out if it exists")
    args = parser.parse_args(argv)
    if not args.pairs and not args.map_file:
        parser.error("name at least one boundary with --map NAME=REGION_ID or --map-file")
    if not ID.match(args.source):
        parser.error(f"--source {args.source!r} is not an id (lower-case letters, digits and single hyphens)")
    return args


def main(argv: list[str] | None = None) -> int:
    args = arguments(argv)
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
