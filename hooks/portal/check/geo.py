"""GeoJSON checks for the files in ``data/geo/``: RFC 7946 first, then the portal's own rules.

Why not a JSON Schema: GeoJSON's rules are about nesting depth, closed rings, winding and
geometric validity, which a schema cannot say in words an editor can act on. So the checks are
written out, each problem as ``file:line: field: message`` (the field a JSON path such as
``features[3].geometry.coordinates[0]``), and every problem of a file is reported at once.

Two mistakes are repaired rather than refused, because the fix is mechanical and loses
nothing: a ring wound the wrong way (reversed) and coordinates more precise than the portal
publishes (rounded). Both give a warning, and ``GeoResult.data`` holds the repaired object.

Line numbers come from :func:`line_of`, a small scanner run over the text only when there is
something to report, so a clean file costs nothing but ``json.loads``.
"""

from __future__ import annotations

import difflib
import json
import math
import re
from collections import Counter
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from portal.check.schemacheck import value_problems
from portal.check.untrusted import text_problem
from portal.problems import Problem, format_path

KINDS = frozenset({"main_town", "boundary", "suspected_hazard_area", "confirmed_hazard_area", "released_land"})

GEOMETRY_TYPES = ("Point", "MultiPoint", "LineString", "MultiLineString", "Polygon", "MultiPolygon", "GeometryCollection")
TYPES = ("FeatureCollection", "Feature") + GEOMETRY_TYPES

_POSITION = "a position [longitude, latitude]"
# What each level of a geometry's "coordinates" holds, from the position (0) outwards.
_LEVELS = {
    "Point": (_POSITION,),
    "MultiPoint": (_POSITION, "an array of positions"),
    "LineString": (_POSITION, "an array of positions"),
    "MultiLineString": (_POSITION, "a line (an array of positions)", "an array of lines"),
    "Polygon": (_POSITION, "a ring (an array of positions)", "an array of rings"),
    "MultiPolygon": (_POSITION, "a ring (an array of positions)", "a polygon (an array of rings)", "an array of polygons"),
}
# Members that would change the meaning of an object (RFC 7946 §7.1).
_FORBIDDEN = {
    "FeatureCollection": ("coordinates", "geometry", "properties"),
    "Feature": ("features", "coordinates"),
    "geometry": ("features", "geometry", "properties"),
}
# Python's JSON messages, with what an editor can do about them.
_JSON_HINTS = {
    "Expecting ',' delimiter": "a comma is missing before this point (at the end of the line above?)",
    "Expecting ':' delimiter": "a ':' is missing after the member name",
    "Expecting property name enclosed in double quotes": "remove the comma before '}', and put names in double quotes",
    "Expecting value": "a value is missing: remove a comma before ']' or '}', and put text in double quotes",
    "Illegal trailing comma": "remove the comma before the closing bracket",
    "Extra data": "there is more after the end of the GeoJSON object: is a bracket closed too early?",
    "Unterminated string": "a double quote is not closed",
    "Invalid control character": "text cannot contain a line break or tab; write \\n or \\t",
    "Invalid \\escape": "a backslash in text must be written \\\\",
}
# shapely's (GEOS's) reasons for an invalid geometry, in plain words.
_REASONS = {
    "Self-intersection": "the polygon crosses itself near {at}",
    "Ring Self-intersection": "a ring touches itself at {at}; make it two rings or two polygons",
    "Hole lies outside shell": "a hole (inner ring) lies outside the outer ring, near {at}",
    "Holes are nested": "a hole (inner ring) lies inside another hole, near {at}",
    "Interior is disconnected": "the holes cut the polygon into pieces near {at}; make it a MultiPolygon",
    "Nested shells": "one polygon of the MultiPolygon lies inside another, near {at}",
    "Too few points in geometry component": "too few distinct positions near {at} (a position repeated in a row counts once)",
}
_MULTI_REASONS = {"Self-intersection": "two polygons of the MultiPolygon overlap near {at}"}
_WINDING = {
    True: "the outer ring runs clockwise; RFC 7946 wants outer rings counterclockwise (right-hand rule): it is published reversed",
    False: "this hole runs counterclockwise; RFC 7946 wants holes clockwise (right-hand rule): it is published reversed",
}
# The portal's properties of a feature; the first three are required.
_PROPERTIES = ("region", "kind", "source", "name", "note", "reference")
_HOMES = {"region": "data/regions/", "source": "data/sources.yml"}
SCHEMA_DIR = str(Path(__file__).resolve().parents[3] / "data" / "schemas")  # the portal's own
_AREA = ("Polygon", "MultiPolygon")
_KIND_GEOMETRY = {
    "main_town": ("Point",),
    "boundary": _AREA,
    "suspected_hazard_area": _AREA,
    "confirmed_hazard_area": _AREA,
    "released_land": _AREA,
}

_ID = re.compile(r"[a-z0-9]+(-[a-z0-9]+)*")  # common.schema.json's id
_NESTED = ("an array of numbers", "an array of positions", "an array of arrays of positions")
_JSON_NUMBER = re.compile(r"-?(?:0|[1-9][0-9]*)(?:\.[0-9]+)?(?:[eE][-+]?[0-9]+)?")
_TOKEN = re.compile(r'[ \t\r\n]+|"[^"\\]*(?:\\.[^"\\]*)*"|[{}\[\]:,]|[^ \t\r\n{}\[\]:,"]+')


@dataclass
class GeoResult:
    """What check_geojson found in one file, and the object to publish when it found no error."""

    data: dict | None  # the parsed object, repaired (winding, rounding); None if there is any error
    problems: list[Problem]  # errors and warnings together
    # For check_layer's line numbers: the text as read, and the rings that data has reversed
    # (whose positions are in the opposite order to the text's).
    text: str = field(default="", repr=False)
    rewound: frozenset[tuple] = field(default=frozenset(), repr=False)


def check_geojson(raw: bytes, file: str, *, max_bytes: int = 2_000_000, precision: int = 6) -> GeoResult:
    """Generic RFC 7946 validation of any GeoJSON object (geometry, Feature or FeatureCollection)."""
    if len(raw) > max_bytes:
        message = f"the file is {len(raw):,} bytes; the limit is {max_bytes:,}. Split it into smaller files or simplify the geometry"
        return GeoResult(None, [Problem(file, 0, "", message)])
    try:
        text = raw.decode("utf-8").removeprefix("\ufeff")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        message = f"the file is not UTF-8 text (byte 0x{raw[exc.start]:02x}); save it with UTF-8 encoding"
        return GeoResult(None, [Problem(file, line, "", message)])
    data, duplicates, unreadable = _parse(text, file)
    if unreadable:
        return GeoResult(None, [unreadable], text)
    found = _Findings(data)
    for path, message in duplicates:
        found.error(path, message)
    structure = _Structure(found)
    structure.root(data)
    rewound = _repair(structure.sound, found, precision)
    problems = found.problems(file, text)
    failed = any(p.severity == "error" for p in problems)
    return GeoResult(None if failed else data, problems, text, rewound)


def check_layer(
    result: GeoResult,
    file: str,
    *,
    regions: set[str],
    sources: set[str],
    bbox: tuple[float, float, float, float],
    kinds: frozenset[str] = KINDS,
    schema_dir: str = SCHEMA_DIR,
) -> list[Problem]:
    """Portal-level rules for a file in data/geo/ (run after check_geojson succeeded); a
    feature's note and reference are checked against ``schema_dir``'s text definition.

    Returns nothing for a file that check_geojson refused: its problems are already reported.
    """
    data = result.data
    if data is None:
        return []
    found = _Findings(data)
    if data["type"] != "FeatureCollection":
        found.error(("type",), f"expected 'FeatureCollection' (a file in data/geo/ is a list of features), got '{data['type']}'")
        return found.problems(file, result.text)
    layer = _Layer(found, regions, sources, bbox, kinds, result.rewound, str(schema_dir))
    first_of_id: dict[Any, int] = {}
    for index, feature in enumerate(data["features"]):
        path = ("features", index)
        kind = layer.properties(feature["properties"], path + ("properties",))
        layer.geometry(feature["geometry"], path + ("geometry",), kind)
        if "id" in feature:
            first = first_of_id.setdefault(feature["id"], index)
            if first != index:
                found.error(path + ("id",), f"duplicate id '{feature['id']}' (features[{first}] has it too); ids must be unique")
    return found.problems(file, result.text)


def line_of(text: str, path: tuple) -> int:
    """1-based line where the JSON value at ``path`` (keys and indices) starts; used for messages.

    A path that is not in the text (a missing member) gives the line of its nearest ancestor.
    """
    return _lines(text, [path])[path]


# -- reading -------------------------------------------------------------------------------


class _NotJson(ValueError):
    """NaN or Infinity: Python's json reads them, but they are not JSON."""


def _refuse_constant(name: str) -> float:
    raise _NotJson(name)


def _parse(text: str, file: str) -> tuple[Any, list[tuple[tuple, str]], Problem | None]:
    """The parsed value, the duplicate members found (path, message), or why it cannot be read."""
    repeated: list[tuple[dict, list[str]]] = []  # the objects are kept alive, so their ids stay unique

    def pairs_hook(pairs: list[tuple[str, Any]]) -> dict:
        obj = dict(pairs)
        if len(obj) < len(pairs):
            counts = Counter(name for name, _ in pairs)
            repeated.append((obj, [name for name, count in counts.items() if count > 1]))
        return obj

    try:
        data = json.loads(text, object_pairs_hook=pairs_hook, parse_constant=_refuse_constant)
    except json.JSONDecodeError as exc:
        if not text.strip():
            return None, [], Problem(file, 1, "", "the file is empty; expected a GeoJSON object")
        hint = next((f"; {h}" for k, h in _JSON_HINTS.items() if exc.msg.startswith(k)), "")
        message = f"JSON syntax error at column {exc.colno}: {exc.msg[0].lower()}{exc.msg[1:]}{hint}"
        return None, [], Problem(file, exc.lineno, "", message)
    except _NotJson as exc:
        line, column = _position_of_atom(text, str(exc))
        message = f"JSON syntax error at column {column}: {exc} is not a JSON number; write a number, or null"
        return None, [], Problem(file, line, "", message)
    except RecursionError:
        return None, [], Problem(file, 0, "", "the file is nested too deeply to be read")
    wanted = {id(obj): names for obj, names in repeated}
    duplicates = [
        (path, f"the member '{name}' is given more than once in this object; keep one")
        for path, obj in _objects(data)
        if id(obj) in wanted
        for name in wanted[id(obj)]
    ]
    return data, duplicates, None


def _objects(value: Any) -> Iterator[tuple[tuple, dict]]:
    """Every object in a parsed document, with its path (iterative: nesting can be deep)."""
    stack: list[tuple[tuple, Any]] = [((), value)]
    while stack:
        path, value = stack.pop()
        if isinstance(value, dict):
            yield path, value
            stack.extend((path + (key,), item) for key, item in value.items())
        elif isinstance(value, list):
            stack.extend((path + (index,), item) for index, item in enumerate(value))


def _position_of_atom(text: str, atom: str) -> tuple[int, int]:
    """Line and column of the first bare ``atom`` (not inside a string) in the text."""
    line, line_start = 1, 0
    for match in _TOKEN.finditer(text):
        token = match.group()
        if token == atom:
            return line, match.start() - line_start + 1
        if "\n" in token and token[0] in " \t\r\n":
            line += token.count("\n")
            line_start = match.start() + token.rindex("\n") + 1
    return 1, 1


class _Frame:
    """An open object or array while scanning: the key or index of the value being read."""

    __slots__ = ("step", "in_object", "expects_key")

    def __init__(self, in_object: bool):
        self.in_object = in_object
        self.expects_key = in_object
        self.step: str | int | None = None if in_object else 0


def _lines(text: str, paths: Iterable[tuple]) -> dict[tuple, int]:
    """The line of each path's value (or of its nearest ancestor present): one pass over the text."""
    paths = list(paths)
    wanted = {path[:n] for path in paths for n in range(len(path) + 1)}
    found: dict[tuple, int] = {}
    stack: list[_Frame] = []
    line = 1
    for match in _TOKEN.finditer(text):
        token = match.group()
        first = token[0]
        top = stack[-1] if stack else None
        if first in " \t\r\n":
            line += token.count("\n")
        elif first == '"' and top is not None and top.expects_key:
            top.step, top.expects_key = json.loads(token), False
        elif first == ",":
            if top.in_object:
                top.expects_key = True
            else:
                top.step += 1
        elif first in "}]":
            stack.pop()
        elif first != ":":  # a value starts here
            path = tuple(frame.step for frame in stack)
            if path in wanted and path not in found:
                found[path] = line
                if len(found) == len(wanted):
                    break
            if first in "{[":
                stack.append(_Frame(first == "{"))
    return {path: _nearest(found, path) for path in paths}


def _nearest(found: dict[tuple, int], path: tuple) -> int:
    for n in range(len(path), -1, -1):
        if path[:n] in found:
            return found[path[:n]]
    return 0


# -- findings ------------------------------------------------------------------------------


class _Findings:
    """Problems found at JSON paths; their lines are looked up together at the end."""

    def __init__(self, data: Any):
        self.data = data
        self.items: list[tuple[tuple, str, str]] = []

    def error(self, path: tuple, message: str) -> None:
        self.items.append((path, message, "error"))

    def warning(self, path: tuple, message: str) -> None:
        self.items.append((path, message, "warning"))

    def problems(self, file: str, text: str) -> list[Problem]:
        lines = _lines(text, [path for path, _, _ in self.items]) if self.items else {}
        return [
            Problem(file, lines[path], format_path(path), message + self.label(path), severity)
            for path, message, severity in self.items
        ]

    def label(self, path: tuple) -> str:
        """`` (feature 'agdam-town')`` for a path inside a feature of the collection."""
        if len(path) < 2 or path[0] != "features" or not isinstance(path[1], int) or not isinstance(self.data, dict):
            return ""
        features = self.data.get("features")
        return _feature_label(features[path[1]]) if isinstance(features, list) and path[1] < len(features) else ""


def _feature_label(feature: Any) -> str:
    if not isinstance(feature, dict):
        return ""
    fid = feature.get("id")
    if isinstance(fid, str) or (_is_number(fid) and math.isfinite(fid)):
        return f" (feature '{fid}')"
    properties = feature.get("properties")
    region = properties.get("region") if isinstance(properties, dict) else None
    return f" (feature of region '{region}')" if isinstance(region, str) else ""


# -- RFC 7946 ------------------------------------------------------------------------------


class _Structure:
    """The structural walk; collects the geometries sound enough for shapely in ``sound``."""

    def __init__(self, found: _Findings):
        self.found = found
        self.sound: list[tuple[tuple, str, list]] = []  # (path of coordinates, type, coordinates)

    def error(self, path: tuple, message: str) -> None:
        self.found.error(path, message)

    def root(self, value: Any) -> None:
        if not isinstance(value, dict):
            self.error((), f'expected a GeoJSON object ({{"type": ...}}), got {_describe(value)}')
            return
        kind = self.type_of(value, (), TYPES)
        if kind == "FeatureCollection":
            self.collection(value, ())
        elif kind == "Feature":
            self.feature(value, ())
        elif kind:
            self.geometry(value, ())
        else:
            self.common(value, ())

    def type_of(self, obj: dict, path: tuple, allowed: tuple[str, ...]) -> str | None:
        """The object's type among ``allowed``, reporting any mistake in it.

        A type in the wrong case is reported and then taken as meant, so that the rest of the
        object is checked too.
        """
        kind = obj.get("type")
        where = path + ("type",)
        expected = f"'{allowed[0]}'" if len(allowed) == 1 else f"one of: {', '.join(allowed)}"
        sep = "," if len(allowed) == 1 else ";"  # "expected 'Feature', got …" / "expected one of: a, b; got …"
        if "type" not in obj:
            self.error(where, f"required member is missing; expected {expected}")
        elif not isinstance(kind, str):
            self.error(where, f"expected {expected}{sep} got {_describe(kind)}")
        elif kind in allowed:
            return kind
        else:
            meant = next((t for t in allowed if t.lower() == kind.lower()), None)
            if meant:
                self.error(where, f"expected '{meant}' (types are case-sensitive), got '{kind}'")
                return meant
            self.error(where, f"expected {expected}{sep} got '{kind}'{_did_you_mean(kind, allowed)}")
        return None

    def members(self, obj: dict, path: tuple, role: str, name: str) -> None:
        """No members that belong to another kind of object (``role``), then the common ones."""
        for member in _FORBIDDEN[role]:
            if member in obj:
                self.error(path + (member,), f"a {name} cannot have a '{member}' member (RFC 7946 §7.1); remove it")
        self.common(obj, path)

    def common(self, obj: dict, path: tuple) -> None:
        """What every GeoJSON object shares: no crs, and a well-formed bbox if any."""
        if "crs" in obj:
            self.error(path + ("crs",), "remove 'crs': RFC 7946 dropped it, and coordinates must be WGS 84 longitude, latitude")
        if "bbox" in obj:
            self.bbox(obj["bbox"], path + ("bbox",))

    def bbox(self, box: Any, path: tuple) -> None:
        if not isinstance(box, list):
            self.error(path, f"expected an array of 4 numbers [west, south, east, north], got {_describe(box)}")
            return
        for index, value in enumerate(box):
            if why := _not_a_number(value):
                self.error(path + (index,), why)
        if len(box) not in (4, 6):
            self.error(path, f"expected 4 numbers [west, south, east, north] (or 6, with altitudes), got {len(box)}")

    def collection(self, obj: dict, path: tuple) -> None:
        self.members(obj, path, "FeatureCollection", "FeatureCollection")
        where = path + ("features",)
        features = obj.get("features")
        if "features" not in obj:
            self.error(where, "required member is missing; expected an array of Feature objects")
        elif not isinstance(features, list):
            self.error(where, f"expected an array of Feature objects, got {_describe(features)}")
        else:
            for index, feature in enumerate(features):
                if isinstance(feature, dict):
                    self.feature(feature, where + (index,))
                else:
                    self.error(where + (index,), f"expected a Feature object, got {_describe(feature)}")

    def feature(self, obj: dict, path: tuple) -> None:
        """A Feature; an object in ``features`` is checked as one whatever its type says."""
        self.type_of(obj, path, ("Feature",))
        self.members(obj, path, "Feature", "Feature")
        if "id" in obj and not (isinstance(obj["id"], str) or _is_number(obj["id"])):
            self.error(path + ("id",), f"expected text or a number, got {_describe(obj['id'])}")
        elif "id" in obj and _is_number(obj["id"]) and _not_a_number(obj["id"]):
            self.error(path + ("id",), _not_a_number(obj["id"]))
        properties = obj.get("properties")
        if "properties" not in obj:
            self.error(path + ("properties",), "required member is missing; expected an object, or null")
        elif properties is not None and not isinstance(properties, dict):
            self.error(path + ("properties",), f"expected an object, or null, got {_describe(properties)}")
        geometry = obj.get("geometry")
        if "geometry" not in obj:
            self.error(path + ("geometry",), "required member is missing; expected a geometry object, or null")
        elif isinstance(geometry, dict):
            self.geometry(geometry, path + ("geometry",))
        elif geometry is not None:
            self.error(path + ("geometry",), f"expected a geometry object, or null, got {_describe(geometry)}")

    def geometry(self, obj: dict, path: tuple, in_collection: bool = False) -> None:
        kind = self.type_of(obj, path, GEOMETRY_TYPES)
        self.members(obj, path, "geometry", kind or "geometry")
        if kind == "GeometryCollection":
            self.geometries(obj, path, in_collection)
        elif kind:
            self.coordinates(obj, path, kind)

    def geometries(self, obj: dict, path: tuple, nested: bool) -> None:
        """A GeometryCollection: one level only, and more than one member (else use the geometry)."""
        if nested:
            self.error(path, "a GeometryCollection cannot contain another GeometryCollection; list its geometries in the outer one")
            return
        where = path + ("geometries",)
        members = obj.get("geometries")
        if "geometries" not in obj:
            self.error(where, "required member is missing; expected an array of geometry objects")
            return
        if not isinstance(members, list):
            self.error(where, f"expected an array of geometry objects, got {_describe(members)}")
            return
        if len(members) == 1:
            self.error(where, "a GeometryCollection with a single geometry: use the geometry itself")
        for index, member in enumerate(members):
            if isinstance(member, dict):
                self.geometry(member, where + (index,), in_collection=True)
            else:
                self.error(where + (index,), f"expected a geometry object, got {_describe(member)}")

    def coordinates(self, obj: dict, path: tuple, kind: str) -> None:
        where = path + ("coordinates",)
        levels = _LEVELS[kind]
        if "coordinates" not in obj:
            self.error(where, f"required member is missing; a {kind} needs {levels[-1]}")
            return
        coordinates = obj["coordinates"]
        if coordinates == [] and kind != "Point":  # an empty geometry (RFC 7946 §3.1)
            self.sound.append((where, kind, coordinates))
        elif self.nest(coordinates, where, len(levels) - 1, kind) and self.same_dimensions(coordinates, where, kind):
            self.sound.append((where, kind, coordinates))

    def nest(self, value: Any, path: tuple, depth: int, kind: str) -> bool:
        """Whether ``value`` is sound at ``depth`` levels above a position (0: a position)."""
        expected = _LEVELS[kind][depth]
        actual = _nesting(value)
        if actual is not None and actual != depth + 1:
            how = "needs to be nested more deeply" if actual < depth + 1 else "is nested too deeply"
            self.error(path, f"expected {expected}, got {_nested(actual, value)}: this {how}")
            return False
        if depth == 0:
            return self.position(value, path)
        if not isinstance(value, list):
            self.error(path, f"expected {expected}, got {_describe(value)}")
            return False
        sound = [self.nest(item, path + (index,), depth - 1, kind) for index, item in enumerate(value)]
        return all(sound) and (depth != 1 or self.line_or_ring(value, path, kind))

    def position(self, value: Any, path: tuple) -> bool:
        if not isinstance(value, list):
            self.error(path, f"expected {_POSITION}, got {_describe(value)}")
            return False
        sound = True
        for index, number in enumerate(value):
            if why := _not_a_number(number):
                self.error(path + (index,), why)
                sound = False
        if len(value) < 2:
            self.error(path, f"a position needs 2 numbers [longitude, latitude], got {len(value)}")
        elif len(value) > 3:
            self.error(path, f"a position has at most 3 numbers [longitude, latitude, altitude], got {len(value)}")
        return sound and 2 <= len(value) <= 3

    def line_or_ring(self, positions: list, path: tuple, kind: str) -> bool:
        """The counts RFC 7946 sets: a line has 2 positions or more; a ring 4 or more, and is closed."""
        if kind in ("LineString", "MultiLineString"):
            if len(positions) < 2:
                self.error(path, f"a line needs at least 2 positions, got {len(positions)}")
                return False
            return True
        if kind not in ("Polygon", "MultiPolygon"):
            return True
        sound = True
        if len(positions) < 4:
            self.error(path, f"a ring needs at least 4 positions (the last repeats the first), got {len(positions)}")
            sound = False
        if positions and positions[0] != positions[-1]:
            self.error(
                path,
                f"a ring must end where it starts: the last position {_text(positions[-1])} is not the first "
                f"{_text(positions[0])}; repeat the first position at the end",
            )
            sound = False
        return sound

    def same_dimensions(self, coordinates: list, path: tuple, kind: str) -> bool:
        """All positions of a geometry have 2 numbers, or all have 3."""
        positions = _positions(coordinates, len(_LEVELS[kind]) - 1, path)
        _, first = next(positions, ((), []))
        for where, position in positions:
            if len(position) != len(first):
                self.error(
                    where,
                    f"this position has {len(position)} numbers but the geometry's first has {len(first)}; "
                    "give every position of a geometry 2 numbers, or every one 3",
                )
                return False
        return True


def _repair(sound: list[tuple[tuple, str, list]], found: _Findings, precision: int) -> frozenset[tuple]:
    """Round, check with shapely and rewind the sound geometries; returns the rings reversed."""
    _round(sound, found, precision)
    rewound: set[tuple] = set()
    for path, kind, coordinates in sound:
        if _valid(kind, coordinates, path, found):
            rewound |= _rewind(kind, coordinates, path, found)
    return frozenset(rewound)


def _round(sound: list[tuple[tuple, str, list]], found: _Findings, precision: int) -> None:
    """More decimals than the portal publishes: rounded, and one warning for the whole file."""
    changed: list[tuple] = []
    for path, kind, coordinates in sound:
        for where, position in _positions(coordinates, len(_LEVELS[kind]) - 1, path):
            rounded = [round(number, precision) for number in position]
            if rounded != position:
                changed.append(where)
                position[:] = rounded
    if len(changed) == 1:
        found.warning(changed[0], f"this position has more than {precision} decimal places; it is published rounded to {precision}")
    elif changed:
        found.warning(
            changed[0],
            f"{len(changed)} positions have more than {precision} decimal places (this is the first); "
            f"they are published rounded to {precision}",
        )


def _valid(kind: str, coordinates: list, path: tuple, found: _Findings) -> bool:
    """shapely's verdict, in plain words; each polygon of a MultiPolygon is judged on its own first."""
    if kind == "MultiPolygon":
        parts = [_valid_shape("Polygon", polygon, path + (index,), found) for index, polygon in enumerate(coordinates)]
        if not all(parts):
            return False
    return _valid_shape(kind, coordinates, path, found)


def _valid_shape(kind: str, coordinates: list, path: tuple, found: _Findings) -> bool:
    import shapely  # imported on first use: shapely and numpy take 0.15 s to load, and Points never need them
    from shapely.geometry import shape

    reason = shapely.is_valid_reason(shape({"type": kind, "coordinates": coordinates}))
    if reason == "Valid Geometry":
        return True
    found.error(path, _explain(reason, kind))
    return False


def _explain(reason: str, kind: str) -> str:
    """``Self-intersection[46.1 40.2]`` -> ``the polygon crosses itself near 46.1, 40.2``."""
    match = re.fullmatch(r"(.*?)\[(.*)\]", reason)
    if not match:
        return f"the geometry is not valid: {reason}"
    what, where = match.groups()
    at = ", ".join(_short(float(number)) for number in where.split()[:2])
    template = (_MULTI_REASONS if kind == "MultiPolygon" else {}).get(what) or _REASONS.get(what)
    return template.format(at=at) if template else f"the geometry is not valid near {at}: {what}"


def _rewind(kind: str, coordinates: list, path: tuple, found: _Findings) -> set[tuple]:
    """RFC 7946's right-hand rule: outer rings counterclockwise, holes clockwise; others reversed."""
    from shapely.geometry import LinearRing  # on first use, as in _valid_shape

    if kind == "Polygon":
        polygons = [(path, coordinates)]
    elif kind == "MultiPolygon":
        polygons = [(path + (index,), rings) for index, rings in enumerate(coordinates)]
    else:
        return set()
    rewound = set()
    for where, rings in polygons:
        for index, ring in enumerate(rings):
            outer = index == 0
            if LinearRing(ring).is_ccw != outer:
                ring.reverse()
                rewound.add(where + (index,))
                found.warning(where + (index,), _WINDING[outer])
    return rewound


# -- the portal's rules ----------------------------------------------------------------------


class _Layer:
    """Rules for a feature of a layer in data/geo/ (its structure is sound: check_geojson passed)."""

    def __init__(
        self,
        found: _Findings,
        regions: set[str],
        sources: set[str],
        bbox: tuple[float, float, float, float],
        kinds: frozenset[str],
        rewound: frozenset[tuple],
        schema_dir: str = SCHEMA_DIR,
    ):
        self.schema_dir = schema_dir
        self.found = found
        self.known = {"region": set(regions), "source": set(sources)}
        self.bbox = bbox
        self.kinds = kinds
        self.rewound = rewound

    def properties(self, properties: Any, path: tuple) -> str | None:
        """Checks the properties; returns the feature's kind when it is a known one."""
        if not isinstance(properties, dict):
            self.found.error(path, f"expected an object with region, kind and source, got {_describe(properties)}")
            return None
        for key in properties:
            if key not in _PROPERTIES:
                self.found.error(
                    path + (key,),
                    f"unknown property '{key}'{_did_you_mean(key, _PROPERTIES)}; expected one of: {', '.join(sorted(_PROPERTIES))}",
                )
        for key in _PROPERTIES[:3]:
            if key not in properties:
                self.found.error(path + (key,), "required property is missing")
        for key in ("region", "source"):
            if key in properties:
                self.reference(properties[key], path + (key,), key)
        if "name" in properties and not isinstance(properties["name"], str):
            self.found.error(path + ("name",), f"expected text, got {_describe(properties['name'])}")
        for key in ("note", "reference"):  # a text as in every data file: English, or {en, az, ru}
            if key not in properties:
                continue
            for at, message in value_problems(properties[key], "common.schema.json#/$defs/text", self.schema_dir):
                self.found.error(path + (key, *at), message)
            if isinstance(properties[key], dict):
                for lang, text in properties[key].items():
                    message = text_problem(text) if isinstance(text, str) else None
                    if message:
                        self.found.error(path + (key, lang), message)
        if isinstance(properties.get("name"), str) and not properties["name"].strip():
            self.found.error(path + ("name",), "expected a name, got empty text; remove 'name' or give one")
        for key, value in properties.items():
            message = text_problem(value) if isinstance(value, str) else None
            if message:
                self.found.error(path + (key,), message)
        return self.kind(properties.get("kind"), path + ("kind",)) if "kind" in properties else None

    def reference(self, value: Any, path: tuple, what: str) -> None:
        if not isinstance(value, str):
            self.found.error(path, f"expected text (a {what} id), got {_describe(value)}")
        elif value not in self.known[what]:
            # only ids that the schema accepts are suggested
            hint = _did_you_mean(value, (k for k in self.known[what] if _ID.fullmatch(k))) or f"; add it to {_HOMES[what]} first"
            self.found.error(path, f"unknown {what} '{value}'{hint}")

    def kind(self, value: Any, path: tuple) -> str | None:
        if isinstance(value, str) and value in self.kinds:
            return value
        got = _describe(value) + (_did_you_mean(value, self.kinds) if isinstance(value, str) else "")
        self.found.error(path, f"expected one of: {', '.join(sorted(self.kinds))}; got {got}")
        return None

    def geometry(self, geometry: dict | None, path: tuple, kind: str | None) -> None:
        """The geometry type that the feature's kind needs (when known), and its positions."""
        allowed = _KIND_GEOMETRY.get(kind or "", ())
        names = " or ".join(allowed)
        if geometry is None:
            if allowed:
                self.found.error(path, f"a {kind} needs a {names} geometry, got null")
            return
        if allowed and geometry["type"] not in allowed:
            self.found.error(path + ("type",), f"a {kind} must be a {names}, got '{geometry['type']}'")
        elif allowed and geometry["coordinates"] == []:
            self.found.error(path + ("coordinates",), f"a {kind} needs positions, got an empty array")
        self.positions(geometry, path)

    def positions(self, geometry: dict, path: tuple) -> None:
        """Every position a longitude and latitude inside the portal's area: one problem per feature."""
        outside = [
            (where, position)
            for member_path, member in _members(geometry, path)
            for where, position in _positions(
                member["coordinates"], len(_LEVELS[member["type"]]) - 1, member_path + ("coordinates",), self.rewound
            )
            if not self.inside(position)
        ]
        if outside:
            where, position = outside[0]
            self.found.error(where, self.outside_message(position, len(outside) - 1))

    def inside(self, position: list) -> bool:
        lon_min, lat_min, lon_max, lat_max = self.bbox
        return lon_min <= position[0] <= lon_max and lat_min <= position[1] <= lat_max

    def outside_message(self, position: list, others: int) -> str:
        """Says where the portal's positions must be, and the likely mistake: swapped or projected."""
        lon_min, lat_min, lon_max, lat_max = self.bbox
        lon, lat = position[0], position[1]
        which = f"position {_text(position)}" + (f" and {others} more of this feature" if others else "")
        are = "are" if others else "is"
        if -180 <= lon <= 180 and -90 <= lat <= 90:
            what = f"{which} {are} outside the portal's area (lon {lon_min:g}–{lon_max:g}, lat {lat_min:g}–{lat_max:g})"
            swapped = self.inside([lat, lon])
            hint = "are longitude and latitude swapped?" if swapped else "check the numbers: a position is [longitude, latitude]"
        else:
            what = f"{which} {are} not longitude and latitude (longitude -180 to 180, latitude -90 to 90)"
            projected = max(abs(lon), abs(lat)) > 360
            hint = (
                "are these projected coordinates? GeoJSON needs WGS 84 longitude, latitude in degrees"
                if projected
                else "check the numbers: a position is [longitude, latitude]"
            )
        return f"{what}: {hint}"


def _members(geometry: dict, path: tuple) -> Iterator[tuple[tuple, dict]]:
    """The geometry itself, or the members of a GeometryCollection (never nested here)."""
    if geometry["type"] == "GeometryCollection":
        for index, member in enumerate(geometry["geometries"]):
            yield path + ("geometries", index), member
    else:
        yield path, geometry


# -- small helpers ---------------------------------------------------------------------------


def _positions(coordinates: Any, depth: int, path: tuple, rewound: frozenset[tuple] = frozenset()) -> Iterator[tuple[tuple, list]]:
    """Every position with its path, in the order of the text (rings in ``rewound`` were reversed)."""
    if depth == 0:
        yield path, coordinates
        return
    items = enumerate(reversed(coordinates) if path in rewound else coordinates)
    for index, item in items:
        yield from _positions(item, depth - 1, path + (index,), rewound)


def _nesting(value: Any) -> int | None:
    """How many arrays deep the first items go before a number (1 for a position); None if unclear."""
    depth = 0
    while isinstance(value, list):
        if not value:
            return None
        value, depth = value[0], depth + 1
    return depth if _is_number(value) else None


def _nested(depth: int, value: Any) -> str:
    """What a value nested ``depth`` arrays deep (see :func:`_nesting`) looks like, in words."""
    if depth == 0:
        return _describe(value)
    if depth <= len(_NESTED):
        return _NESTED[depth - 1]
    return f"arrays nested {depth} deep"


def _is_number(value: Any) -> bool:
    return isinstance(value, (int, float)) and not isinstance(value, bool)


def _not_a_number(value: Any) -> str | None:
    """Why ``value`` is not a usable number, or None when it is one."""
    if _is_number(value):
        return None if math.isfinite(value) else "expected a number, got one too large to use"
    hint = ""
    if isinstance(value, str) and _JSON_NUMBER.fullmatch(value.strip()):
        hint = f"; write it without quotes: {value.strip()}"
    elif isinstance(value, list):
        hint = ": this is nested too deeply"
    return f"expected a number, got {_describe(value)}{hint}"


def _describe(value: Any) -> str:
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "true" if value else "false"
    if _is_number(value):
        return f"the number {value!r}"
    if isinstance(value, str):
        return f"the text '{value}'" if len(value) < 60 else "a long text"
    if isinstance(value, list):
        return "an array" if value else "an empty array"
    return "an object"


def _text(position: list) -> str:
    """A position as written in JSON: ``[46.92736, 39.99096]``."""
    return "[" + ", ".join(map(repr, position)) + "]"


def _short(number: float) -> str:
    """``46.1`` for 46.10000000000001, ``3`` for 3.0: a place in a message."""
    return f"{number:.6f}".rstrip("0").rstrip(".")


def _did_you_mean(value: str, options: Iterable[str]) -> str:
    close = difflib.get_close_matches(value, list(options), n=1)
    return f" (did you mean '{close[0]}'?)" if close else ""
