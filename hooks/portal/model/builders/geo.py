"""data/geo/: the map layers (RFC 7946 and the portal's own rules, :mod:`portal.check.geo`), their
repaired features, ids and main towns unique across every layer, and a note for each region that
no layer places."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

from portal.check.geo import _lines as geo_lines
from portal.check.geo import check_geojson, check_layer
from portal.check.schemacheck import value_problems
from portal.load.discovery import DataFiles, unreadable
from portal.load.yamlload import Loaded
from portal.model.builders.checks import Checker, text_or_none
from portal.model.model import GeoFeature
from portal.problems import Problem, format_path

NO_GEOMETRY = "not on the maps: no main town or boundary in data/geo/ (add the main town to data/geo/towns.geojson, with its source)"
# Used when no country gives its area: roughly Azerbaijan and Armenia.
DEFAULT_AREA = (44.0, 38.0, 51.0, 42.5)


def _area(countries: dict) -> tuple[float, float, float, float]:
    """The box every feature must lie in: the countries' boxes together."""
    boxes = [c.bbox for c in countries.values() if c.bbox]
    if not boxes:
        return DEFAULT_AREA
    return (min(b[0] for b in boxes), min(b[1] for b in boxes), max(b[2] for b in boxes), max(b[3] for b in boxes))


class _Layers:
    """The layers read so far, and what must be unique across them."""

    def __init__(self, check: Checker, regions: dict, sources: dict, countries: dict, schema_dir: str):
        self.check = check
        self.schema_dir = schema_dir  # a note is a text of the data's schemas (common.schema.json)
        self.region_ids, self.source_ids = set(regions), set(sources)
        self.area = _area(countries)
        self.features: list[GeoFeature] = []
        # Feature ids and main towns are unique across every file of data/geo/: {id: (file, path)}
        self.first_id: dict[Any, tuple[str, tuple]] = {}
        self.first_town: dict[str, tuple[str, tuple]] = {}
        self.texts: dict[str, str] = {}
        # (file, path, message with {where}, first file, first path): said once every line is known
        self.pending: list[tuple] = []

    def read(self, path: Path, rel: str) -> None:
        check = self.check
        try:
            result = check_geojson(path.read_bytes(), rel)
        except Exception as exc:  # an unreadable file, or a bug: said, never a traceback
            check.problems.append(unreadable(rel, exc))
            return
        check.problems.extend(result.problems)
        if result.data is None:
            return
        self.checked(result.data, rel)
        self.drafts(result.data, rel)
        layer = check_layer(result, rel, regions=self.region_ids, sources=self.source_ids, bbox=self.area, schema_dir=self.schema_dir)
        # When a region or source file could not be read, its ids are unknown: say nothing about them.
        skipped = tuple(f".properties.{kind}" for kind in ("region", "source") if kind in check.unreadable)
        layer = [p for p in layer if not (skipped and p.field.endswith(skipped))]
        if result.data.get("type") == "FeatureCollection":
            self.unique(result, rel)
        check.problems.extend(layer)
        if not any(p.severity == "error" for p in layer):
            self.features += [_feature(feature, rel) for feature in result.data["features"]]

    def unique(self, result, rel: str) -> None:
        """A feature id, or a region's main town, given twice in data/geo/ (in one file or two):
        noted in ``pending`` as (file, path, message with {where}, first file, first path)."""
        self.texts[rel] = result.text
        for index, feature in enumerate(result.data["features"]):
            props = feature.get("properties") if isinstance(feature, dict) else None
            if "id" in feature:
                path = ("features", index, "id")
                first = self.first_id.setdefault(feature["id"], (rel, path))
                if first[0] != rel:  # within one file, check_layer says it, with the feature's index
                    self.pending.append((rel, path, f"duplicate feature id '{feature['id']}' (also used at {{where}}); ids must be unique across data/geo/", *first))
            if isinstance(props, dict) and props.get("kind") == "main_town" and isinstance(props.get("region"), str):
                path = ("features", index, "properties", "kind")
                first = self.first_town.setdefault(props["region"], (rel, path))
                if first != (rel, path):
                    self.pending.append((rel, path, f"region '{props['region']}' has a second main town (the first is at {{where}}); keep one", *first))

    def pending_problems(self) -> list[Problem]:
        """The lines of every noted feature, found in one pass over each file."""
        wanted: dict[str, set] = {}
        for rel, path, _, first_rel, first_path in self.pending:
            wanted.setdefault(rel, set()).add(path)
            wanted.setdefault(first_rel, set()).add(first_path)
        lines = {rel: geo_lines(self.texts[rel], paths) for rel, paths in wanted.items()}
        return [
            Problem(rel, lines[rel][path], format_path(path), message.format(where=f"{first_rel}:{lines[first_rel][first_path]}"))
            for rel, path, message, first_rel, first_path in self.pending
        ]

    def checked(self, data: Any, rel: str) -> None:
        """A layer's optional `"checked": "YYYY-MM-DD"` member (a GeoJSON foreign member)."""
        if not isinstance(data, dict) or "checked" not in data:
            return
        value = data["checked"]
        layer = Loaded(file=rel)  # a GeoJSON layer has no line index here: its first line
        if not isinstance(value, str) or not re.fullmatch(r"\d{4}-\d{2}-\d{2}", value):
            self.check.add(layer, ("checked",), f"expected the day the layer was last compared with its sources, written \"YYYY-MM-DD\", got {value!r}")
            return
        when = self.check.date(layer, ("checked",), value)
        if when:
            self.check.checked[rel] = when

    def drafts(self, data: Any, rel: str) -> None:
        """A layer's optional `"draft_translations": ["az", "ru"]` member: its notes' az and ru
        texts are drafts, as a data file's top says (common.schema.json's draft_translations)."""
        if not isinstance(data, dict) or "draft_translations" not in data:
            return
        layer = Loaded(file=rel)
        value = data["draft_translations"]
        found = value_problems(value, "common.schema.json#/$defs/draft_translations", self.schema_dir)
        for at, message in found:
            self.check.add(layer, ("draft_translations", *at), message)
        if not found:
            self.check.drafts[rel] = tuple(value)


def _feature(feature: dict, rel: str) -> GeoFeature:
    props = feature["properties"]
    return GeoFeature(
        id=feature.get("id"),
        region=props["region"],
        kind=props["kind"],
        source=props["source"],
        geometry=feature["geometry"],
        name=props.get("name"),
        reference=text_or_none(props.get("reference")),
        note=text_or_none(props.get("note")),
        file=rel,
    )


def geo(check: Checker, files: DataFiles, regions: dict, sources: dict, countries: dict) -> tuple[GeoFeature, ...]:
    """Every layer in data/geo/: RFC 7946 and the portal's own rules; repaired features."""
    paths, strays = files.geo_layers()
    check.problems.extend(strays)
    layers = _Layers(check, regions, sources, countries, str(files.data_dir / "schemas"))
    for path in paths:
        layers.read(path, files.relative(path))
    check.problems.extend(layers.pending_problems())
    if "region" not in check.unreadable and not any(p.file.startswith("data/geo/") and p.severity == "error" for p in check.problems):
        placed = {f.region for f in layers.features}
        for region in regions.values():
            if region.id not in placed:
                # A note, not a warning: expected while no source gives a region's town. Validate
                # and the build name them all in one line; the pull-request check lists a new one.
                check.problems.append(Problem(region.file, 1, "", NO_GEOMETRY, "note"))
    return tuple(layers.features)
