"""Open data: every dataset as CSV and JSON (and the map layers as GeoJSON), described by a
Frictionless Data Package. Nothing here knows MkDocs.

The field descriptions come from the JSON Schemas in data/schemas/, the same files that
validate the data, so that nothing is documented twice by hand.
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from portal.check.schemas import schemas
from portal.model import derived
from portal.model.model import LICENCES, Observation, PartialDate, Site, Text
from portal.render.formatting import demand_state

LICENCE = {
    "name": "CC-BY-4.0",
    "title": "Creative Commons Attribution 4.0",
    "path": "https://creativecommons.org/licenses/by/4.0/",
}
SOURCES_TERMS = (
    "The portal's compilation is published under CC BY 4.0. The original sources keep their own terms: "
    "cite the source of each figure (sources.csv) as well as the portal."
)

_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def neutralise(value: Any) -> Any:
    """Text that a spreadsheet would run as a formula is prefixed with an apostrophe (OWASP CSV injection)."""
    if isinstance(value, str) and value.startswith(_FORMULA_START):
        return "'" + value
    return value


@dataclass
class Column:
    name: str
    type: str  # Table Schema types: string, integer, number, boolean, date
    description: str
    get: Callable[[Any], Any]
    constraints: dict = field(default_factory=dict)
    unit: str = ""
    example: str = ""

    def schema(self) -> dict:
        out: dict[str, Any] = {"name": self.name, "type": self.type, "description": self.description}
        if self.constraints:
            out["constraints"] = self.constraints
        return out


@dataclass
class Table:
    name: str
    title: str
    description: str
    columns: list[Column]
    rows: list[Any]
    primary_key: str
    foreign_keys: list[dict] = field(default_factory=list)

    def records(self) -> list[dict]:
        return [{c.name: c.get(row) for c in self.columns} for row in self.rows]


class _Descriptions:
    """Descriptions of fields, read from the JSON Schemas that validate the data."""

    def __init__(self, schema_dir: Path):
        self.schemas = schemas(schema_dir)

    def __call__(self, schema: str, *path: str, fallback: str = "") -> str:
        current = f"{schema}.schema.json"
        node: Any = self.schemas.docs[current]
        entries = node.get("properties", {}).get(schema)
        if isinstance(entries, dict) and entries.get("type") == "array":  # checked: ..., then sources: [entries]
            node = entries
        for key in path:
            node = self.schemas.resolve(node, current).node
            if node.get("type") == "array" and "items" in node:
                node = self.schemas.resolve(node["items"], current).node
            node = node.get("properties", {}).get(key) or node.get("$defs", {}).get(key) or {}
        node = self.schemas.resolve(node, current).node if "description" not in node else node
        return node.get("description", fallback)


def _iso(value: PartialDate | None) -> str | None:
    return value.iso if value else None


def _join(values) -> str:
    return ";".join(values)


PARTIAL_DATE = {"pattern": r"^\d{4}(-\d{2}(-\d{2})?)?$"}


# The tables, in the order of the Data Package; each is downloadable as CSV and JSON.
TABLES = ("sources", "regions", "observations", "events", "demands")
# Every download, under the site's root.
PATHS = (*(f"data/{name}.{ext}" for name in TABLES for ext in ("csv", "json")), "data/map-layers.geojson", "data/datapackage.json")


class Exports:
    """The downloadable datasets of one build."""

    def __init__(self, site: Site, schema_dir: Path, more_files: Callable[[], Iterable[tuple[str, bytes]]] | None = None):
        """``more_files``: files that go with the downloads (each chart's values: portal.render.figurecharts)."""
        self.site = site
        self.more_files = more_files
        d = _Descriptions(schema_dir)
        self.tables = [
            self._sources(d),
            self._regions(d),
            self._observations(d),
            self._events(d),
            self._demands(d),
        ]
        assert tuple(t.name for t in self.tables) == TABLES

    @staticmethod
    def t(text: Text | None) -> str:
        """A data text in English (the downloads carry every translation in their own columns)."""
        return "" if text is None else text.get("en")

    # -- the tables -------------------------------------------------------------------------

    def _sources(self, d) -> Table:
        S = "sources"
        return Table(
            "sources",
            "Sources",
            "Every source the portal cites, once.",
            [
                Column("id", "string", d(S, "id"), lambda s: s.id, {"required": True, "unique": True}, example="trend-2021-07-03-fuzuli-zangilan-maps"),
                Column("title", "string", d(S, "title"), lambda s: s.title, {"required": True}),
                Column("publisher", "string", d(S, "publisher"), lambda s: s.publisher, {"required": True}, example="Trend News Agency"),
                Column("citing", "string", "Whom the publisher names as the origin of its report (the outlet it cites or reprints); when that one cites another, the names in order, separated by ;.", lambda s: _join(s.citing) or None, example="Caspian Post"),
                Column("licence", "string", d(S, "licence"), lambda s: s.licence, {"enum": list(LICENCES)}, example="CC-BY-4.0"),
                Column("published", "string", d(S, "published"), lambda s: _iso(s.published), PARTIAL_DATE, example="2021-07-03"),
                Column("url", "string", "The address of the source.", lambda s: s.url, {"required": True}),
                Column("accessed", "date", d(S, "accessed"), lambda s: s.accessed.first_day.isoformat(), {"required": True}),
                Column("language", "string", "Language of the source (ISO 639-1).", lambda s: s.language, example="en"),
                Column("notes", "string", "How the entry was established, where it needs saying.", lambda s: self.t(s.notes) or None),
                Column("caveats", "string", "How solid the source is: undated, names_no_source, secondary_report, own_estimate; separated by ;", lambda s: _join(s.caveats) or None),
                Column("caveat_note", "string", "The caveats in words.", lambda s: self.t(s.caveat_note) or None),
            ],
            list(self.site.sources.values()),
            "id",
        )

    def _regions(self, d) -> Table:
        R = "region"
        columns = [
            Column("id", "string", d(R, "id"), lambda r: r.id, {"required": True, "unique": True}, example="agdam"),
            Column("iso", "string", "ISO 3166-2 code of the district.", lambda r: r.iso, {"required": True}, example="AZ-AGM"),
            Column("name_en", "string", "Name in English.", lambda r: r.name.get("en"), {"required": True}),
            Column("name_az", "string", "Name in Azerbaijani, where given.", lambda r: dict(r.name.values).get("az")),
            Column("country", "string", d(R, "country"), lambda r: r.country, example="az"),
            Column("summary_en", "string", "Summary in the portal's own words (English).", lambda r: r.summary.get("en")),
        ]
        figures = [f for f in self.site.figures.values() if any(r.series(f.id) for r in self.site.regions.values())]
        for figure in figures:
            columns += self._latest_columns(figure)
        columns.append(Column("last_updated", "string", "The newest date of any of the region's figures.", lambda r: _iso(derived.newest_date(self.site, r)), PARTIAL_DATE))
        return Table(
            "regions",
            "Regions",
            "One row per region, with the latest value of each figure and that value's source. Where two sources share "
            "the latest date, the first listed is given here; observations.csv has every value.",
            columns,
            list(self.site.regions.values()),
            "id",
            [{"fields": f"{figure.id}_source", "reference": {"resource": "sources", "fields": "id"}} for figure in figures],
        )

    def _latest_columns(self, figure) -> list[Column]:
        label = self.t(figure.label).lower()

        def latest(region) -> Observation | None:
            found = derived.latest(self.site, region, figure.id)
            return found[0] if found else None

        def part(getter):
            return lambda r: (getter(latest(r)) if latest(r) else None)

        kind_type = "integer" if figure.kind == "count" else "number"
        constraints = {"minimum": 0, **({"maximum": 100} if figure.kind == "percent" else {})}
        return [
            Column(f"{figure.id}_value", kind_type, f"Latest {label}: {self.t(figure.description)}", part(lambda o: o.value), constraints, unit=" or ".join(figure.units)),
            Column(f"{figure.id}_unit", "string", f"Unit of {figure.id}_value.", part(lambda o: o.unit), {"enum": list(figure.units)}),
            Column(f"{figure.id}_qualifier", "string", "How exact the source says the value is (about, more_than, ...); empty when stated exactly.", part(lambda o: o.qualifier)),
            Column(f"{figure.id}_as_of", "string", "The date the value refers to; empty when the source gives none.", part(lambda o: _iso(self.site.observation_date(o))), PARTIAL_DATE),
            Column(f"{figure.id}_source", "string", "The source of the value (sources.csv id).", part(lambda o: o.source)),
            Column(f"{figure.id}_according_to", "string", "Who makes the claim, when not the publisher.", part(lambda o: o.according_to)),
        ]

    def observation_rows(self) -> list[tuple[str, str, int, Observation]]:
        rows = []
        for kind, places in (("country", self.site.countries.values()), ("region", self.site.regions.values())):
            for place in places:
                for series in place.figures:
                    for n, obs in enumerate(series.observations, start=1):
                        rows.append((kind, place.id, n, obs))
        for event in self.site.events:
            for series in event.figures:
                for n, obs in enumerate(series.observations, start=1):
                    rows.append(("event", event.id, n, obs))
        return rows

    def _observations(self, d) -> Table:
        def obs_desc(key: str, fallback: str = "") -> str:
            return d("common", "observation", key, fallback=fallback)

        return Table(
            "observations",
            "Observations",
            "Every value of every figure, as each source gives it (long format): regions, countries and events. "
            "Values of one figure from different sources are separate rows, never merged.",
            [
                Column("id", "string", "A stable id: place type, place id, figure and position.", lambda r: f"{r[0]}:{r[1]}:{r[3].figure}:{r[2]}", {"required": True, "unique": True}, example="region:agdam:estimated_mines:1"),
                Column("place_type", "string", "region, country or event.", lambda r: r[0], {"enum": ["region", "country", "event"]}),
                Column("place_id", "string", "The id of the region, country or event.", lambda r: r[1], example="agdam"),
                Column("figure", "string", "The figure (see data/figures.yml).", lambda r: r[3].figure, example="estimated_mines"),
                Column("value", "number", obs_desc("value"), lambda r: r[3].value, {"required": True, "minimum": 0}, example="300000"),
                Column("unit", "string", "Unit of the value.", lambda r: r[3].unit, example="mines"),
                Column("qualifier", "string", obs_desc("qualifier"), lambda r: r[3].qualifier, {"enum": ["about", "more_than", "at_least", "at_most", "fewer_than"]}),
                Column("as_of", "string", obs_desc("as_of"), lambda r: _iso(r[3].as_of), PARTIAL_DATE),
                Column("since", "string", obs_desc("since"), lambda r: _iso(r[3].since), PARTIAL_DATE),
                Column("date_approximate", "boolean", obs_desc("date_approximate"), lambda r: r[3].date_approximate),
                Column("source", "string", obs_desc("source"), lambda r: r[3].source, {"required": True}),
                Column("according_to", "string", obs_desc("according_to"), lambda r: r[3].according_to),
                Column("reported_as", "string", obs_desc("reported_as"), lambda r: r[3].reported_as),
                Column("note", "string", obs_desc("note"), lambda r: self.t(r[3].note) or None),
            ],
            self.observation_rows(),
            "id",
            [{"fields": "source", "reference": {"resource": "sources", "fields": "id"}}],
        )

    def _events(self, d) -> Table:
        E = "event"
        return Table(
            "events",
            "Events",
            "Dated events on the disclosure of minefield maps: demands, handovers, statements, rulings.",
            [
                Column("id", "string", d(E, "id"), lambda e: e.id, {"required": True, "unique": True}, example="2021-06-12-agdam-maps-handover"),
                Column("date", "string", d(E, "date"), lambda e: e.date.iso, {"required": True, **PARTIAL_DATE}),
                Column("date_approximate", "boolean", d(E, "date_approximate"), lambda e: e.date_approximate),
                Column("other_dates", "string", "Other dates that other sources give, as date (actor); separated by ;", lambda e: _join(f"{c.date.iso} ({c.according_to})" for c in e.date_claims) or None),
                Column("handover_dates", "string", "For a handover, every date a side gives (all with equal standing), as date (actor); separated by ;", lambda e: _join(f"{d.date.iso} ({d.according_to})" for d in e.handover.dates) if e.handover else None),
                Column("kind", "string", d(E, "kind"), lambda e: e.kind, example="handover"),
                Column("title", "string", d(E, "title"), lambda e: e.title.get("en")),
                Column("summary", "string", d(E, "summary"), lambda e: e.summary.get("en")),
                Column("actors", "string", "Actor ids, separated by ;", lambda e: _join(e.actors) or None),
                Column("regions", "string", "Region ids, separated by ;", lambda e: _join(e.regions) or None),
                Column("demands", "string", "demand:effect pairs, separated by ;", lambda e: _join(f"{x.demand}:{x.effect}" for x in e.demands) or None),
                Column("sources", "string", "Source ids, separated by ;", lambda e: _join(e.sources), {"required": True}),
            ],
            list(self.site.events),
            "id",
        )

    def _demands(self, d) -> Table:
        D = "demands"
        status = {dm.id: demand_state(self.site, derived.demand_status(self.site, dm.id)) for dm in self.site.demands}
        return Table(
            "demands",
            "Demands",
            "The demands for minefield data, who makes them and their status as derived from the events.",
            [
                Column("id", "string", d(D, "id"), lambda x: x.id, {"required": True, "unique": True}, example="complete-maps"),
                Column("title", "string", d(D, "title", fallback="The demand."), lambda x: x.title.get("en")),
                Column("description", "string", d(D, "description", fallback="What is asked for."), lambda x: x.description.get("en")),
                Column("scope", "string", d(D, "scope"), lambda x: "all" if x.scope is None else _join(x.scope)),
                Column("made_by", "string", "Actor ids with the earliest sourced date, as actor (date); separated by ;", lambda x: _join(f"{c.actor} ({c.since.iso if c.since else 'date not stated'})" for c in x.made_by)),
                Column("status", "string", "The status, derived from the events (never typed by hand).", lambda x: status[x.id]),
                Column("sources", "string", "Source ids, separated by ;", lambda x: _join(x.sources)),
            ],
            list(self.site.demands),
            "id",
        )

    # -- files ------------------------------------------------------------------------------

    def files(self, site_url: str, last_updated: str) -> dict[str, bytes]:
        """Every download, path (under data/) -> bytes, and datapackage.json describing them."""
        return dict(self.each_file(site_url, last_updated))

    def each_file(self, site_url: str, last_updated: str) -> Iterator[tuple[str, bytes]]:
        """:meth:`files` one at a time (the paths of :data:`PATHS`, in order), so that they can
        be written out without holding every download at once."""
        resources = []
        for table in self.tables:
            records = table.records()
            yield f"data/{table.name}.csv", _csv(table, records)
            yield f"data/{table.name}.json", json.dumps(records, ensure_ascii=False, indent=1, allow_nan=False).encode("utf-8")
            del records
            resources.append(_resource(table))
        yield "data/map-layers.geojson", _geojson(self.site)
        resources.append(MAP_LAYERS)
        yield "data/datapackage.json", json.dumps(_package(site_url, last_updated, resources), ensure_ascii=False, indent=1, allow_nan=False).encode("utf-8")
        if self.more_files is not None:
            yield from self.more_files()

    def last_updated(self) -> str:
        """The newest date the data was checked: the latest 'accessed' date of any source."""
        return max((s.accessed.last_day for s in self.site.sources.values()), default=None).isoformat()

    def summary(self, sizes: dict[str, int]) -> list[dict]:
        """What the data page lists: each table with its downloads, sizes (path -> bytes), rows and fields."""
        out = []
        for table in self.tables:
            out.append(
                {
                    "table": table,
                    "rows": len(table.rows),
                    "files": [(f"data/{table.name}.{ext}", sizes[f"data/{table.name}.{ext}"]) for ext in ("csv", "json")],
                }
            )
        return out


# -- the files ---------------------------------------------------------------------------------


def _csv(table: Table, records: list[dict]) -> bytes:
    buffer = io.StringIO(newline="")
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow([c.name for c in table.columns])
    for record in records:
        writer.writerow(["" if v is None else ("true" if v is True else "false" if v is False else neutralise(v)) for v in record.values()])
    return buffer.getvalue().encode("utf-8")


def _resource(table: Table) -> dict[str, Any]:
    """The Data Package's description of one table: its CSV file and Table Schema."""
    schema: dict[str, Any] = {"fields": [c.schema() for c in table.columns], "primaryKey": [table.primary_key], "missingValues": [""]}
    if table.foreign_keys:
        schema["foreignKeys"] = [{"fields": [fk["fields"]], "reference": {"resource": fk["reference"]["resource"], "fields": [fk["reference"]["fields"]]}} for fk in table.foreign_keys]
    return {
        "name": table.name,
        "title": table.title,
        "description": table.description,
        "path": f"{table.name}.csv",
        "format": "csv",
        "mediatype": "text/csv",
        "encoding": "utf-8",
        "profile": "tabular-data-resource",
        "schema": schema,
    }


def _geojson(site: Site) -> bytes:
    geo = {
        "type": "FeatureCollection",
        "features": [
            {
                "type": "Feature",
                **({"id": f.id} if f.id else {}),
                "properties": {k: v for k, v in {"region": f.region, "kind": f.kind, "name": f.name, "source": f.source, "reference": (f.reference.get("en") if f.reference else None)}.items() if v is not None},
                "geometry": f.geometry,
            }
            for f in site.geo
        ],
    }
    return json.dumps(geo, ensure_ascii=False, separators=(",", ":"), allow_nan=False).encode("utf-8")


MAP_LAYERS = {
    "name": "map-layers",
    "title": "Map layers",
    "description": "Every feature of data/geo/ (main towns; boundaries and survey layers where published), RFC 7946.",
    "path": "map-layers.geojson",
    "format": "geojson",
    "mediatype": "application/geo+json",
    "encoding": "utf-8",
}


def _package(site_url: str, last_updated: str, resources: list[dict]) -> dict[str, Any]:
    return {
        "profile": "data-package",  # not tabular-data-package: the map layers are GeoJSON
        "name": "minefield-maps-portal",
        "title": "Landmine contamination and minefield-map disclosure after the Armenia–Azerbaijan conflict",
        "description": SOURCES_TERMS,
        "homepage": site_url,
        "version": last_updated.replace("-", "."),
        "created": f"{last_updated}T00:00:00Z",
        "licenses": [LICENCE],
        "sources": [{"title": "Sources of each figure: see sources.csv", "path": f"{site_url}data/sources.csv"}],
        "resources": resources,
    }

