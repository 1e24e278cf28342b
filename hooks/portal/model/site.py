"""Load every data file once, validate it all, and build the model.

``load_site(data_dir)`` returns a :class:`~portal.model.model.Site` or raises
:class:`~portal.problems.DataError` carrying every problem of the run, so that an editor
sees all their mistakes at once.
"""

from __future__ import annotations

import datetime as dt
import difflib
import gc
import hashlib
import os
import re
from pathlib import Path
from typing import Any, Collection, Iterator

import pycountry

from portal.check import dates, schemacheck, untrusted, wording
from portal.load import forking
from portal.check.geo import _lines as geo_lines
from portal.check.geo import check_geojson, check_layer
from portal.model.model import (
    AccuracyClaim,
    Actor,
    Country,
    Demand,
    DateClaim,
    DemandClaim,
    DemandEffect,
    Event,
    Figure,
    FigureSeries,
    ImpactRow,
    Observation,
    GeoFeature,
    GlossaryTerm,
    Handover,
    HandoverDate,
    HandoverItem,
    HandoverRelease,
    Mediation,
    PartialDate,
    Region,
    Site,
    Source,
    Text,
)
from portal.problems import DataError, Problem, format_path
from portal.render.routes import reserved_region_ids
from portal.load.yamlload import Loaded, load_bytes

# The single files whose entries are a list under one key, after the file's own `checked` date:
#   checked: 2026-12-01
#   sources:
#   - id: ...
LISTS = {"sources": "sources", "actors": "actors", "demands": "demands", "glossary": "terms"}
SINGLE_FILES = {
    "sources.yml": "sources",
    "actors.yml": "actors",
    "figures.yml": "figures",
    "impacts.yml": "impacts",
    "demands.yml": "demands",
    "glossary.yml": "glossary",
}
FOLDERS = {"regions": "region", "countries": "country", "events": "event"}
# Folders of data/ that other parts of the portal own (read elsewhere, or not yet).
OTHER_FOLDERS = {"schemas"}
GEO_FOLDER = "geo"
NO_GEOMETRY = "not on the maps: no main town or boundary in data/geo/ (add the main town to data/geo/towns.geojson, with its source)"
# Used when no country gives its area: roughly Azerbaijan and Armenia.
DEFAULT_AREA = (44.0, 38.0, 51.0, 42.5)

# Parsed and schema-checked files by content (see _Loader.read), kept only in long-lived
# processes (`mkdocs serve`): a one-shot build would only hold them in memory for longer. The
# model is rebuilt from them on every run, so a cached file is never shared in a mutable state.
_PARSED: dict[tuple[str, str, str, str], tuple[Loaded, tuple[Problem, ...]]] | None = None


# From this many data files on, load_site parses half of them in a forked process (two cores
# here: 0.7 s of 4.8 s at 5,000 regions). Below it, the fork and the pickling cost more than they save.
PARALLEL_MIN_FILES = 500


def _can_fork() -> bool:
    """See portal.load.forking; and no cache to fill (`mkdocs serve` keeps one, and has threads)."""
    return _PARSED is None and forking.can_fork()


def keep_parsed_files() -> None:
    """Reuse parsed files across runs in this process (for `mkdocs serve`)."""
    global _PARSED
    if _PARSED is None:
        _PARSED = {}

_FIGURE_ID = re.compile(r"[a-z][a-z0-9_]*")
_ID = re.compile(r"[a-z0-9]+(-[a-z0-9]+)*")  # common.schema.json's id
COUNT_UNITS = ("documents", "items", "maps", "mines", "people")
# "40%", "40 percent", "40,5 %" in the source's own words. Linear time: a number is read only from
# its first digit (the look-behind), so a long run of digits is not scanned again from each one.
_PERCENT = re.compile(r"(?<![\d.,])(\d+(?:[.,]\d+)?)\s?(?:%|per ?cent)", re.IGNORECASE)
# The suffixes of the files data/ holds: a folder with one of these names is a mistake.
_FILE_SUFFIXES = (".yml", ".yaml", ".json", ".geojson")
_LINK = re.compile(r"\]\(\s*<?((?:[^\s()<>]|\([^\s()]*\))*)")  # a link target, with balanced (parentheses)


class _Checker:
    """Collects problems, with the line of each field."""

    def __init__(self, today: dt.date):
        self.today = today
        self.problems: list[Problem] = []
        # Kinds of id whose defining file could not be read: references to them are not
        # checked, so that one syntax error does not bury the editor in follow-on errors.
        self.unreadable: set[str] = set()

    def add(self, loaded: Loaded, path: tuple, message: str, severity: str = "error") -> None:
        self.problems.append(Problem(loaded.file, loaded.line(path), format_path(path), message, severity))

    def date(self, loaded: Loaded, path: tuple, text: Any) -> PartialDate | None:
        if isinstance(text, int) and not isinstance(text, bool):
            text = str(text)  # a year written without quotes
        if not isinstance(text, str) or not re.fullmatch(r"\d{4}(-\d{2}(-\d{2})?)?", text):
            return None  # the schema has reported it
        try:
            value = PartialDate.parse(text)
            value.first_day  # noqa: B018 - raises for a month or day that does not exist
            value.last_day  # noqa: B018
        except ValueError:
            self.add(loaded, path, f"'{text}' is not a real date{dates.swapped(text)}")
            return None
        if value.first_day > self.today:
            self.add(loaded, path, f"'{text}' is in the future (today is {self.today.isoformat()})")
            return None
        if value.year < 1900:
            self.add(loaded, path, f"'{text}' is before 1900; check the year")
            return None
        return value

    def refs(self, loaded: Loaded, path: tuple, ids: Any, known: Collection[str], what: str) -> None:
        if what in self.unreadable:
            return
        if isinstance(ids, str):
            ids = [ids]
            paths = [path]
        elif isinstance(ids, list):
            paths = [path + (i,) for i in range(len(ids))]
        else:
            return
        for item, item_path in zip(ids, paths):
            if isinstance(item, str) and item not in known:  # dicts and sets: a constant-time look-up
                msg = f"unknown {what} '{item}'"
                close = difflib.get_close_matches(item, [k for k in known if _valid_id(k)], n=1)
                msg += f" (did you mean '{close[0]}'?)" if close else f"; add it to {_home_of(what)} first"
                self.add(loaded, item_path, msg)

    def links(self, loaded: Loaded, path: tuple, text: Any) -> None:
        """Summaries may link only to https:// and mailto: addresses."""
        values = text.values() if isinstance(text, dict) else [text]
        for value in values:
            if not isinstance(value, str):
                continue
            for target in _LINK.findall(value):
                if not target.startswith(("https://", "mailto:")):
                    self.add(loaded, path, f"link '{target}' is not allowed; links must start with https:// or mailto:")
                elif untrusted.credentials(target):
                    self.add(loaded, path, f"link: {untrusted.credentials(target)}")


def _home_of(what: str) -> str:
    return {
        "source": "data/sources.yml",
        "actor": "data/actors.yml",
        "figure": "data/figures.yml",
        "region": "data/regions/",
        "country": "data/countries/",
        "demand": "data/demands.yml",
    }.get(what, "data/")


def _unique_ids(check: _Checker, loaded: Loaded, items: Any, path: tuple = ()) -> dict[str, int]:
    seen: dict[str, int] = {}
    if not isinstance(items, list):
        return seen
    for i, item in enumerate(items):
        if isinstance(item, dict) and isinstance(item.get("id"), str):
            ident = item["id"]
            if ident in seen:
                check.add(loaded, path + (i, "id"), f"duplicate id '{ident}' (also used on line {seen[ident]})")
            else:
                seen[ident] = loaded.line(path + (i, "id"))
    return seen


def _stem(shown: str) -> str:
    """Path(shown).stem without a Path object (thousands of files)."""
    return os.path.splitext(os.path.basename(shown))[0]


def _relative(path: Path, root: Path) -> str:
    try:
        return path.relative_to(root).as_posix()
    except ValueError:
        return path.as_posix()


def _unreadable(shown: str, exc: BaseException) -> Problem:
    return Problem(shown, 0, "", untrusted.unreadable(exc))


def _irregular(data_dir: Path, root: Path) -> tuple[set[str], list[Problem]]:
    """Everything under data/ that is not a regular file or a plain folder: symbolic links (which
    could point anywhere outside the repository), folders named like files (``x.yml/``), devices
    and pipes. Their paths (not read) and a problem for each."""
    skipped: set[str] = set()
    problems: list[Problem] = []
    for folder, dirs, files in os.walk(data_dir):  # never follows a link
        for name in sorted(dirs + files):
            if name.startswith("."):
                continue
            path = os.path.join(folder, name)
            shown = _relative(Path(path), root)
            if os.path.islink(path):
                problems.append(Problem(shown, 0, "", "not read: a symbolic link; data files must be ordinary files in the repository"))
            elif name in dirs and name.endswith(_FILE_SUFFIXES):
                problems.append(Problem(shown, 0, "", f"not read: a folder named like a file; data files must be ordinary files (rename or remove the folder {name}/)"))
            elif name in files and not os.path.isfile(path):
                problems.append(Problem(shown, 0, "", "not read: not an ordinary file"))
            else:
                continue
            skipped.add(os.path.normpath(path))
        dirs[:] = [d for d in dirs if os.path.normpath(os.path.join(folder, d)) not in skipped and not d.startswith(".")]
    return skipped, problems


def _text(value: Any) -> Text | None:
    return None if value is None else Text.of(value)


def _valid_id(ident: str) -> bool:
    return _ID.fullmatch(ident) is not None and ident not in reserved_region_ids()


class _Loader:
    def __init__(self, data_dir: Path, today: dt.date | None):
        self.data_dir = data_dir
        self.root = data_dir.parent
        self.check = _Checker(today or dt.date.today())
        self.schema_dir = str(data_dir / "schemas")
        self.checked: dict[str, PartialDate] = {}  # data file -> when last compared with its sources
        self.drafts: dict[str, tuple[str, ...]] = {}  # data file -> languages whose texts are unreviewed drafts

    def checked_date(self, loaded: Loaded) -> PartialDate | None:
        """The file's own `checked` date (the schema requires it), recorded for Site.checked."""
        data = loaded.data
        if isinstance(data, dict) and isinstance(data.get("draft_translations"), list):
            self.drafts[loaded.file] = tuple(lang for lang in data["draft_translations"] if isinstance(lang, str))
        if not isinstance(data, dict) or "checked" not in data:
            return None
        value = self.check.date(loaded, ("checked",), data.get("checked"))
        if value is not None:
            self.checked[loaded.file] = value
        return value

    def entries(self, loaded: Loaded, schema: str) -> tuple[list, tuple]:
        """The entries of a list file (sources, actors, demands) and their path in the file."""
        self.checked_date(loaded)
        key = LISTS[schema]
        data = loaded.data
        items = data.get(key) if isinstance(data, dict) else None
        return (items if isinstance(items, list) else []), (key,)

    def read(self, path: Path | str, schema: str, shown: str | None = None) -> Loaded:
        """Parse and schema-check one file, and record its problems."""
        return self._record(self._parse(path, schema, shown))

    def _record(self, parsed: tuple[Loaded, tuple[Problem, ...]]) -> Loaded:
        loaded, problems = parsed
        self.check.problems.extend(loaded.problems)
        self.check.problems.extend(problems)
        self.check.problems.extend(loaded.text_problems)
        return loaded

    def _parse(self, path: Path | str, schema: str, shown: str | None = None) -> tuple[Loaded, tuple[Problem, ...]]:
        """Parse and schema-check one file, once per content: under `mkdocs serve` a rebuild after
        one edit reads every file again but parses and checks only the one that changed."""
        if shown is None:
            shown = _relative(Path(path), self.root)
        try:
            with open(path, "rb") as stream:
                raw = stream.read()
            key = (shown, schema, self.schema_dir, hashlib.sha1(raw).hexdigest()) if _PARSED is not None else None
            cached = _PARSED.get(key) if _PARSED is not None else None
            if cached is None:
                loaded = load_bytes(raw, shown)
                problems = [] if loaded.problems else schemacheck.check(loaded, schema, self.schema_dir)
                cached = (loaded, tuple(problems + untrusted.file_problems(loaded, raw)))
                if _PARSED is not None:
                    _PARSED[key] = cached
            return cached
        except Exception as exc:  # an unreadable file, or a bug: said, with the file, never a traceback
            return Loaded(file=shown, problems=[_unreadable(shown, exc)]), ()

    def _parse_many(self, jobs: list[tuple[str, str, str]]) -> list[tuple[Loaded, tuple[Problem, ...]]]:
        """``_parse`` for every (path, schema, shown) job, in order; the second half in a forked
        process when there are many files and a second core (see _can_fork)."""
        def parse(part: list[tuple[str, str, str]]) -> list[tuple[Loaded, tuple[Problem, ...]]]:
            return [self._parse(*job) for job in part]

        if len(jobs) < PARALLEL_MIN_FILES or not _can_fork():
            return parse(jobs)
        return forking.in_two(jobs, parse)

    def load(self) -> Site:
        check = self.check
        self.skipped, irregular = _irregular(self.data_dir, self.root)
        check.problems.extend(irregular)
        singles: dict[str, Loaded] = {}
        for name, schema in SINGLE_FILES.items():
            path = self.data_dir / name
            if os.path.normpath(path) in self.skipped:
                singles[schema] = Loaded(file=_relative(path, self.root))
                check.unreadable.add(schema.rstrip("s"))
                continue
            if not path.is_file():
                check.problems.append(Problem(_relative(path, self.root), 0, "", "the file is missing"))
                singles[schema] = Loaded(file=_relative(path, self.root))
                check.unreadable.add(schema.rstrip("s"))
                continue
            singles[schema] = self.read(path, schema)
            if singles[schema].problems:
                check.unreadable.add(schema.rstrip("s"))
        # Every file of the folders is parsed first (on two cores when there are many), then
        # their problems are recorded folder by folder, file by file, as if read one by one.
        listing: dict[str, tuple[str, list[str]]] = {}
        jobs: list[tuple[str, str, str]] = []
        for folder, schema in FOLDERS.items():
            # Names as text, sorted as pathlib sorts them: thousands of files, and pathlib's
            # objects cost more than the parsing of a small file.
            directory = self.data_dir / folder
            names = sorted(entry.name for entry in os.scandir(directory)) if directory.is_dir() and os.path.normpath(directory) not in self.skipped else []
            names = [name for name in names if os.path.normpath(os.path.join(directory, name)) not in self.skipped]
            shown_dir = _relative(directory, self.root)
            listing[folder] = (shown_dir, names)
            jobs += [(os.path.join(directory, name), schema, f"{shown_dir}/{name}") for name in names if name.endswith(".yml")]
        parsed = iter(self._parse_many(jobs))
        folders: dict[str, list[Loaded]] = {}
        for folder, schema in FOLDERS.items():
            shown_dir, names = listing[folder]
            folders[schema] = [self._record(next(parsed)) for name in names if name.endswith(".yml")]
            if any(f.problems for f in folders[schema]):
                check.unreadable.add(schema)
            for name in names:
                if not name.endswith(".yml") and not name.startswith("."):
                    check.problems.append(Problem(f"{shown_dir}/{name}", 0, "", f"not read: files in data/{folder}/ must end in .yml"))
        for stray in sorted(self.data_dir.iterdir()):
            if stray.name.startswith(".") or os.path.normpath(stray) in self.skipped:
                continue
            if stray.is_dir() and stray.name not in FOLDERS and stray.name not in OTHER_FOLDERS and stray.name != GEO_FOLDER:
                check.problems.append(Problem(_relative(stray, self.root), 0, "", "unknown folder in data/; it is not read"))
            if stray.is_file() and stray.name not in SINGLE_FILES:
                check.problems.append(Problem(_relative(stray, self.root), 0, "", "unknown file in data/; it is not read"))

        sources = self.sources(singles["sources"])
        actors = self.actors(singles["actors"])
        figures = self.figures(singles["figures"])
        countries = self.places(folders["country"], "country", sources, actors, figures, {})
        regions = self.places(folders["region"], "region", sources, actors, figures, countries)
        impacts, benefits = self.impacts(singles["impacts"], sources)
        demands = self.demands(singles["demands"], sources, actors, regions)
        geo = self.geo(regions, sources, countries)
        events = self.events(folders["event"], sources, actors, figures, regions, demands)
        glossary = self.glossary(singles["glossary"], sources)

        errors = [p for p in check.problems if p.severity == "error"]
        if errors:
            raise DataError(check.problems)
        ordered = dict(sorted(regions.items(), key=lambda kv: (kv[1].name.get("en").casefold(), kv[0])))
        return Site(
            sources=sources,
            actors=actors,
            figures=figures,
            countries=countries,
            regions=ordered,
            impacts=impacts,
            benefits=benefits,
            demands=demands,
            geo=geo,
            events=events,
            warnings=tuple(check.problems),
            glossary=glossary,
            checked=dict(sorted(self.checked.items())),
            draft_translations=dict(sorted(self.drafts.items())),
        )

    # -- the single files -------------------------------------------------------------

    def sources(self, loaded: Loaded) -> dict[str, Source]:
        check = self.check
        items, at = self.entries(loaded, "sources")
        _unique_ids(check, loaded, items, at)
        out = {}
        for i, item in enumerate(items):
            if not isinstance(item, dict):
                continue
            published = check.date(loaded, at + (i, "published"), item.get("published"))
            accessed = check.date(loaded, at + (i, "accessed"), item.get("accessed"))
            if published and accessed and accessed.last_day < published.first_day:
                check.add(loaded, at + (i, "accessed"), f"accessed ({accessed}) is before the publication date ({published})")
            if published and "undated" in (item.get("caveats") or ()):
                check.add(loaded, at + (i, "caveats"), f"'undated' contradicts the publication date ({published}); remove one of them")
            if isinstance(item.get("url"), str) and untrusted.credentials(item["url"]):
                check.add(loaded, at + (i, "url"), untrusted.credentials(item["url"]))
            try:
                out[item["id"]] = Source(
                    id=item["id"],
                    title=item["title"].strip(),
                    publisher=item["publisher"].strip(),
                    published=published,
                    url=item["url"],
                    accessed=accessed,
                    language=item["language"],
                    notes=_text(item.get("notes")),
                    caveats=tuple(item.get("caveats") or ()),
                    caveat_note=_text(item.get("caveat_note")),
                )
            except (KeyError, TypeError, AttributeError):
                continue  # already reported by the schema
        return out

    def actors(self, loaded: Loaded) -> dict[str, Actor]:
        items, at = self.entries(loaded, "actors")
        _unique_ids(self.check, loaded, items, at)
        out = {}
        for i, item in enumerate(items):
            if isinstance(item, dict) and item.get("country") and not pycountry.countries.get(alpha_2=item["country"]):
                self.check.add(loaded, at + (i, "country"), f"'{item['country']}' is not an ISO 3166-1 country code")
            try:
                name = Text.of(item["name"])
                out[item["id"]] = Actor(
                    id=item["id"],
                    name=name,
                    short_name=_text(item.get("short_name")) or name,
                    kind=item["kind"],
                    country=item.get("country"),
                )
            except (KeyError, TypeError, AttributeError):
                continue
        return out

    def figures(self, loaded: Loaded) -> dict[str, Figure]:
        out = {}
        self.checked_date(loaded)
        for key, item in (loaded.data if isinstance(loaded.data, dict) else {}).items():
            if key in ("checked", "draft_translations"):
                continue  # about the file, not a figure
            if not _FIGURE_ID.fullmatch(key):
                self.check.add(loaded, (key,), "a figure id is lower-case letters, digits and underscores, such as estimated_mines")
            try:
                kind, units = item["kind"], tuple(item["units"])
                if kind == "percent" and units != ("percent",):
                    self.check.add(loaded, (key, "units"), "a percent figure has the unit 'percent' only")
                if kind == "area" and not set(units) <= {"ha", "km2"}:
                    self.check.add(loaded, (key, "units"), "an area figure has the units ha and/or km2")
                if kind == "count" and not set(units) <= set(COUNT_UNITS):
                    wrong = ", ".join(u for u in units if u not in COUNT_UNITS)
                    self.check.add(loaded, (key, "units"), f"a count figure has count units only ({', '.join(COUNT_UNITS)}); {wrong} is not one")
                out[key] = Figure(
                    id=key,
                    label=Text.of(item["label"]),
                    kind=kind,
                    units=units,
                    description=Text.of(item["description"]),
                    per_period=bool(item.get("per_period", False)),
                    headline=bool(item.get("headline", False)),
                    stale_after_months=int(item.get("stale_after_months", 12)),
                )
            except (KeyError, TypeError, AttributeError):
                continue
        return out

    def glossary(self, loaded: Loaded, sources: dict) -> tuple[GlossaryTerm, ...]:
        """data/glossary.yml: terms and abbreviations, each with a sourced definition."""
        items, at = self.entries(loaded, "glossary")
        _unique_ids(self.check, loaded, items, at)
        out = []
        seen: dict[tuple[str, str], int] = {}
        for i, item in enumerate(items):
            if not isinstance(item, dict):
                continue
            self.check.refs(loaded, at + (i, "sources"), item.get("sources"), sources, "source")
            try:
                term = Text.of(item["term"])
                forms = tuple((lang, form.strip()) for lang, values in (item.get("also") or {}).items() for form in values)
                for lang, written in [*term.values, *forms]:
                    key = (lang, written.casefold())
                    if key in seen:
                        self.check.add(loaded, at + (i, "term"), f"'{written}' is already defined in the glossary (item {seen[key] + 1}); define each term once")
                    seen[key] = i
                out.append(
                    GlossaryTerm(
                        id=item["id"],
                        term=term,
                        definition=Text.of(item["definition"]),
                        sources=tuple(item["sources"]),
                        expansion=_text(item.get("expansion")),
                        forms=forms,
                    )
                )
            except (KeyError, TypeError, AttributeError):
                continue
        return tuple(out)

    def impacts(self, loaded: Loaded, sources: dict) -> tuple[tuple[ImpactRow, ...], tuple[ImpactRow, ...]]:
        tables = []
        self.checked_date(loaded)
        data = loaded.data if isinstance(loaded.data, dict) else {}
        for table in ("impacts", "benefits"):
            rows = []
            _unique_ids(self.check, loaded, data.get(table), (table,))
            for i, item in enumerate(data.get(table) or []):
                if not isinstance(item, dict):
                    continue
                self.check.refs(loaded, (table, i, "sources"), item.get("sources"), sources, "source")
                for field in ("title", "description"):
                    self.check.links(loaded, (table, i, field), item.get(field))
                try:
                    rows.append(
                        ImpactRow(
                            id=item["id"],
                            table=table,
                            title=Text.of(item["title"]),
                            description=Text.of(item["description"]),
                            sources=tuple(item["sources"]),
                        )
                    )
                except (KeyError, TypeError, AttributeError):
                    continue
            tables.append(tuple(rows))
        return tables[0], tables[1]

    def demands(self, loaded: Loaded, sources: dict, actors: dict, regions: dict) -> tuple[Demand, ...]:
        check = self.check
        items, at = self.entries(loaded, "demands")
        _unique_ids(check, loaded, items, at)
        out = []
        for i, item in enumerate(items):
            if not isinstance(item, dict):
                continue
            check.refs(loaded, at + (i, "sources"), item.get("sources"), sources, "source")
            check.links(loaded, at + (i, "description"), item.get("description"))
            if isinstance(item.get("scope"), list):
                check.refs(loaded, at + (i, "scope"), item["scope"], regions, "region")
            claims = []
            for j, claim in enumerate(item.get("made_by") or []):
                if not isinstance(claim, dict):
                    continue
                check.refs(loaded, at + (i, "made_by", j, "actor"), claim.get("actor"), actors, "actor")
                check.refs(loaded, at + (i, "made_by", j, "sources"), claim.get("sources"), sources, "source")
                since = check.date(loaded, at + (i, "made_by", j, "since"), claim.get("since"))
                try:
                    claims.append(DemandClaim(actor=claim["actor"], since=since, sources=tuple(claim["sources"])))
                except (KeyError, TypeError):
                    continue
            try:
                scope = None if item["scope"] == "all" else tuple(item["scope"])
                out.append(
                    Demand(
                        id=item["id"],
                        title=Text.of(item["title"]),
                        description=Text.of(item["description"]),
                        scope=scope,
                        made_by=tuple(claims),
                        sources=tuple(item["sources"]),
                    )
                )
            except (KeyError, TypeError, AttributeError):
                continue
        return tuple(out)

    def _one_per_file(self, loaded: Loaded) -> dict | None:
        """A file that holds one item (a region, country or event) named by its file name."""
        data = loaded.data
        if not isinstance(data, dict):
            if not loaded.problems and data is None:
                self.check.add(loaded, (), "the file is empty")
            return None
        self.checked_date(loaded)
        stem = _stem(loaded.file)
        ident = data.get("id")
        if isinstance(ident, str) and ident != stem:
            # never suggest an id that the schema refuses (or that a generated page reserves)
            fixes = [f"rename the file to {ident}.yml" if _valid_id(ident) else "", f"set id: {stem}" if _valid_id(stem) else ""]
            fixes = [fix for fix in fixes if fix]
            if fixes:
                self.check.add(loaded, ("id",), f"the id '{ident}' differs from the file name; {' or '.join(fixes)}")
            elif _ID.fullmatch(stem) is None:
                self.check.add(loaded, ("id",), f"the id '{ident}' differs from the file name; name the file after its id, in lower-case letters, digits and single hyphens")
        return data

    # -- events --------------------------------------------------------------------------

    def events(self, files: list[Loaded], sources, actors, figures, regions, demands) -> tuple[Event, ...]:
        check = self.check
        demand_ids = {d.id for d in demands}
        out: list[Event] = []
        for loaded in files:
            data = self._one_per_file(loaded)
            if data is None:
                continue
            stem = _stem(loaded.file)
            date = check.date(loaded, ("date",), data.get("date"))
            if date and not stem.startswith(date.iso + "-"):
                check.add(loaded, ("date",), f"the date {date.iso} disagrees with the file name, which should start with {date.iso}-")
            check.refs(loaded, ("sources",), data.get("sources"), sources, "source")
            check.refs(loaded, ("actors",), data.get("actors"), actors, "actor")
            check.refs(loaded, ("regions",), data.get("regions"), regions, "region")
            if "according_to" in data:
                check.refs(loaded, ("according_to",), data.get("according_to"), actors, "actor")
            for field in ("title", "summary"):
                check.links(loaded, (field,), data.get(field))
            effects = []
            for i, item in enumerate(data.get("demands") or []):
                if isinstance(item, dict):
                    check.refs(loaded, ("demands", i, "demand"), item.get("demand"), demand_ids, "demand")
                    if isinstance(item.get("demand"), str) and isinstance(item.get("effect"), str):
                        effects.append(DemandEffect(item["demand"], item["effect"]))
            claims = []
            for i, item in enumerate(data.get("date_claims") or []):
                if not isinstance(item, dict):
                    continue
                check.refs(loaded, ("date_claims", i, "according_to"), item.get("according_to"), actors, "actor")
                check.refs(loaded, ("date_claims", i, "sources"), item.get("sources"), sources, "source")
                claim_date = check.date(loaded, ("date_claims", i, "date"), item.get("date"))
                if claim_date and isinstance(item.get("according_to"), str) and isinstance(item.get("sources"), list):
                    claims.append(DateClaim(claim_date, item["according_to"], tuple(item["sources"]), _text(item.get("note"))))
            series = tuple(self.observations(loaded, data.get("figures"), sources, actors, figures))
            handover = self.handover(loaded, data, date, sources, actors, regions)
            try:
                out.append(
                    Event(
                        id=data["id"],
                        date=date,
                        kind=data["kind"],
                        title=Text.of(data["title"]),
                        summary=Text.of(data["summary"]),
                        sources=tuple(data["sources"]),
                        actors=tuple(data.get("actors") or ()),
                        regions=tuple(data.get("regions") or ()),
                        demands=tuple(effects),
                        figures=series,
                        date_approximate=bool(data.get("date_approximate", False)),
                        date_claims=tuple(claims),
                        according_to=data.get("according_to"),
                        file=loaded.file,
                        checked=self.checked.get(loaded.file),
                        handover=handover,
                    )
                )
            except (KeyError, TypeError, AttributeError):
                continue
        return tuple(sorted((e for e in out if e.date), key=lambda e: (e.date.first_day, e.id)))

    def handover(self, loaded: Loaded, data: dict, date: PartialDate | None, sources, actors, regions) -> Handover | None:
        """The event's handover block: every id resolved, and the event dated by its earliest date."""
        check = self.check
        block = data.get("handover")
        if block is None:
            if data.get("kind") == "handover":
                check.add(loaded, ("kind",), "an event of kind handover needs a 'handover:' block (its dates, regions and what was handed over)")
            return None
        if not isinstance(block, dict):
            return None  # the schema has reported it
        at = ("handover",)

        def actor(path: tuple, value: Any) -> None:
            if value is not None:
                check.refs(loaded, at + path, value, actors, "actor")

        def source(path: tuple, value: Any) -> None:
            check.refs(loaded, at + path, value, sources, "source")

        def whole(item: dict, key: str) -> int | None:
            value = item.get(key)
            return value if isinstance(value, int) and not isinstance(value, bool) else None

        dates = []
        for i, item in enumerate(block.get("dates") or []):
            if not isinstance(item, dict):
                continue
            actor(("dates", i, "according_to"), item.get("according_to"))
            source(("dates", i, "sources"), item.get("sources"))
            when = check.date(loaded, at + ("dates", i, "date"), item.get("date"))
            if when and isinstance(item.get("according_to"), str) and isinstance(item.get("sources"), list):
                dates.append(HandoverDate(when, item["according_to"], tuple(item["sources"])))
        check.refs(loaded, at + ("regions",), block.get("regions"), regions, "region")
        items = []
        for i, item in enumerate(block.get("handed_over") or []):
            if not isinstance(item, dict):
                continue
            actor(("handed_over", i, "according_to"), item.get("according_to"))
            source(("handed_over", i, "source"), item.get("source"))
            check.links(loaded, at + ("handed_over", i, "description"), item.get("description"))
            if item.get("qualifier") and not any(k in item for k in ("maps", "forms", "mines_shown")):
                check.add(loaded, at + ("handed_over", i, "qualifier"), "a qualifier applies to maps, forms or mines_shown; give one of them or remove it")
            try:
                items.append(
                    HandoverItem(
                        source=item["source"],
                        description=Text.of(item["description"]),
                        according_to=item.get("according_to"),
                        maps=whole(item, "maps"),
                        forms=whole(item, "forms"),
                        mines_shown=whole(item, "mines_shown"),
                        qualifier=item.get("qualifier"),
                    )
                )
            except (KeyError, TypeError, AttributeError):
                continue
        released = []
        for i, item in enumerate(block.get("released") or []):
            if not isinstance(item, dict):
                continue
            actor(("released", i, "according_to"), item.get("according_to"))
            source(("released", i, "source"), item.get("source"))
            try:
                released.append(HandoverRelease(item["source"], Text.of(item["description"]), item.get("according_to"), whole(item, "people")))
            except (KeyError, TypeError, AttributeError):
                continue
        mediated = []
        for i, item in enumerate(block.get("mediated_by") or []):
            if not isinstance(item, dict):
                continue
            actor(("mediated_by", i, "actor"), item.get("actor"))
            source(("mediated_by", i, "source"), item.get("source"))
            if isinstance(item.get("actor"), str) and isinstance(item.get("source"), str):
                mediated.append(Mediation(item["actor"], item["source"]))
        claims = []
        for i, item in enumerate(block.get("accuracy_claims") or []):
            if not isinstance(item, dict):
                continue
            actor(("accuracy_claims", i, "according_to"), item.get("according_to"))
            source(("accuracy_claims", i, "source"), item.get("source"))
            when = check.date(loaded, at + ("accuracy_claims", i, "date"), item.get("date"))
            percent = item.get("percent_accurate")
            try:
                if when:
                    claims.append(
                        AccuracyClaim(when, item["according_to"], item["source"], Text.of(item["description"]),
                                      percent if isinstance(percent, (int, float)) and not isinstance(percent, bool) else None)
                    )
            except (KeyError, TypeError, AttributeError):
                continue
        if not dates:
            return None
        handover = Handover(
            dates=tuple(dates),
            regions=tuple(r for r in block.get("regions") or () if isinstance(r, str)),
            handed_over=tuple(items),
            released=tuple(released),
            mediated_by=tuple(mediated),
            accuracy_claims=tuple(claims),
        )
        earliest = handover.earliest
        if date and date != earliest and len(dates) == len(block.get("dates") or ()):
            check.add(
                loaded, ("date",),
                f"a handover is dated by the earliest of its handover.dates ({earliest.iso}), not {date.iso}: no side's date is preferred; set date: {earliest.iso} and rename the file to match",
            )
        if data.get("kind") != "handover":
            check.add(loaded, ("handover",), f"only an event of kind handover has a 'handover:' block (this one is '{data.get('kind')}')")
        return handover

    # -- geometry ------------------------------------------------------------------------

    def geo(self, regions: dict, sources: dict, countries: dict) -> tuple[GeoFeature, ...]:
        """Every layer in data/geo/: RFC 7946 and the portal's own rules; repaired features."""
        check = self.check
        folder = self.data_dir / GEO_FOLDER
        readable = folder.is_dir() and os.path.normpath(folder) not in self.skipped
        paths = [p for p in sorted(folder.glob("*.geojson")) if os.path.normpath(p) not in self.skipped] if readable else []
        for stray in sorted(folder.iterdir()) if readable else []:
            if os.path.normpath(stray) in self.skipped:
                continue
            if stray.suffix != ".geojson" and not stray.name.startswith(".") and stray.name != "README.md":
                check.problems.append(Problem(_relative(stray, self.root), 0, "", "not read: files in data/geo/ must end in .geojson"))
        boxes = [c.bbox for c in countries.values() if c.bbox]
        area = (
            (min(b[0] for b in boxes), min(b[1] for b in boxes), max(b[2] for b in boxes), max(b[3] for b in boxes))
            if boxes
            else DEFAULT_AREA
        )
        features: list[GeoFeature] = []
        region_ids, source_ids = set(regions), set(sources)
        # Feature ids and main towns are unique across every file of data/geo/: {id: (file, line)}
        first_id: dict[Any, tuple[str, tuple]] = {}
        first_town: dict[str, tuple[str, tuple]] = {}
        texts: dict[str, str] = {}
        pending: list[tuple] = []
        for path in paths:
            rel = _relative(path, self.root)
            try:
                result = check_geojson(path.read_bytes(), rel)
            except Exception as exc:  # an unreadable file, or a bug: said, never a traceback
                check.problems.append(_unreadable(rel, exc))
                continue
            check.problems.extend(result.problems)
            if result.data is None:
                continue
            self._geo_checked(result.data, rel)
            layer = check_layer(result, rel, regions=region_ids, sources=source_ids, bbox=area)
            # When a region or source file could not be read, its ids are unknown: say nothing about them.
            skipped = tuple(f".properties.{kind}" for kind in ("region", "source") if kind in check.unreadable)
            layer = [p for p in layer if not (skipped and p.field.endswith(skipped))]
            if result.data.get("type") == "FeatureCollection":
                self._unique_features(result, rel, first_id, first_town, texts, pending)
            check.problems.extend(layer)
            if any(p.severity == "error" for p in layer):
                continue
            for feature in result.data["features"]:
                props = feature["properties"]
                features.append(
                    GeoFeature(
                        id=feature.get("id"),
                        region=props["region"],
                        kind=props["kind"],
                        source=props["source"],
                        geometry=feature["geometry"],
                        name=props.get("name"),
                        reference=props.get("reference"),
                        note=props.get("note"),
                        file=rel,
                    )
                )
        check.problems.extend(self._pending_problems(texts, pending))
        if "region" not in check.unreadable and not any(p.file.startswith("data/geo/") and p.severity == "error" for p in check.problems):
            placed = {f.region for f in features}
            for region in regions.values():
                if region.id not in placed:
                    # A note, not a warning: expected while no source gives a region's town. Validate
                    # and the build name them all in one line; the pull-request check lists a new one.
                    check.problems.append(Problem(region.file, 1, "", NO_GEOMETRY, "note"))
        return tuple(features)

    @staticmethod
    def _unique_features(result, rel: str, first_id: dict, first_town: dict, texts: dict, pending: list) -> None:
        """A feature id, or a region's main town, given twice in data/geo/ (in one file or two):
        noted in ``pending`` as (file, path, message with {where}, first file, first path)."""
        texts[rel] = result.text
        for index, feature in enumerate(result.data["features"]):
            props = feature.get("properties") if isinstance(feature, dict) else None
            if "id" in feature:
                path = ("features", index, "id")
                first = first_id.setdefault(feature["id"], (rel, path))
                if first[0] != rel:  # within one file, check_layer says it, with the feature's index
                    pending.append((rel, path, f"duplicate feature id '{feature['id']}' (also used at {{where}}); ids must be unique across data/geo/", *first))
            if isinstance(props, dict) and props.get("kind") == "main_town" and isinstance(props.get("region"), str):
                path = ("features", index, "properties", "kind")
                first = first_town.setdefault(props["region"], (rel, path))
                if first != (rel, path):
                    pending.append((rel, path, f"region '{props['region']}' has a second main town (the first is at {{where}}); keep one", *first))

    @staticmethod
    def _pending_problems(texts: dict, pending: list) -> list[Problem]:
        """The lines of every noted feature, found in one pass over each file."""
        wanted: dict[str, set] = {}
        for rel, path, _, first_rel, first_path in pending:
            wanted.setdefault(rel, set()).add(path)
            wanted.setdefault(first_rel, set()).add(first_path)
        lines = {rel: geo_lines(texts[rel], paths) for rel, paths in wanted.items()}
        return [
            Problem(rel, lines[rel][path], format_path(path), message.format(where=f"{first_rel}:{lines[first_rel][first_path]}"))
            for rel, path, message, first_rel, first_path in pending
        ]

    def _geo_checked(self, data: Any, rel: str) -> None:
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
            self.checked[rel] = when

    # -- regions and countries ---------------------------------------------------------

    def places(self, files: list[Loaded], kind: str, sources, actors, figures, countries) -> dict:
        check = self.check
        out: dict[str, Region | Country] = {}
        isos: dict[str, str] = {}
        for loaded in files:
            data = self._one_per_file(loaded)
            if data is None:
                continue
            ident = data.get("id")
            if ident in out:
                check.add(loaded, ("id",), f"duplicate {kind} id '{ident}'")
            reserved = reserved_region_ids()
            if kind == "region" and ident in reserved:
                check.add(loaded, ("id",), f"'{ident}' cannot be a region id: the generated page {reserved[ident]} has that address; give the region (and its file) another id")
            iso = data.get("iso")
            if isinstance(iso, str):
                if iso in isos:
                    check.add(loaded, ("iso",), f"ISO code {iso} is also used by {isos[iso]}")
                isos[iso] = loaded.file
                if kind == "region":
                    self._region_iso(loaded, iso, data.get("country"), countries)
                elif re.fullmatch(r"[A-Z]{2}", iso) and not pycountry.countries.get(alpha_2=iso):
                    check.add(loaded, ("iso",), f"'{iso}' is not an ISO 3166-1 country code")
            check.refs(loaded, ("summary_sources",), data.get("summary_sources"), sources, "source")
            check.links(loaded, ("summary",), data.get("summary"))
            series = tuple(self.observations(loaded, data.get("figures"), sources, actors, figures))
            try:
                common = dict(
                    id=data["id"],
                    iso=data["iso"],
                    name=Text.of(data["name"]),
                    summary=Text.of(data["summary"]),
                    summary_sources=tuple(data.get("summary_sources") or ()),
                    figures=series,
                    file=loaded.file,
                    checked=self.checked.get(loaded.file),
                )
                if kind == "country":
                    bbox = data.get("bbox")
                    out[data["id"]] = Country(bbox=tuple(bbox) if bbox else None, **common)
                else:
                    out[data["id"]] = Region(country=data["country"], **common)
            except (KeyError, TypeError, AttributeError, ValueError):
                continue
        return out

    def _region_iso(self, loaded: Loaded, iso: str, country_id: Any, countries: dict) -> None:
        if not isinstance(country_id, str):
            return
        if country_id not in countries:
            self.check.refs(loaded, ("country",), country_id, countries, "country")
            return
        expected = countries[country_id].iso
        if not iso.startswith(expected + "-"):
            self.check.add(loaded, ("iso",), f"'{iso}' is not a code of {expected}; region codes of this country start with {expected}-")
        elif not pycountry.subdivisions.get(code=iso):
            self.check.add(loaded, ("iso",), f"'{iso}' is not an ISO 3166-2 code")

    def observations(self, loaded: Loaded, figures_data: Any, sources, actors, figures) -> Iterator[FigureSeries]:
        check = self.check
        if not isinstance(figures_data, dict):
            return
        for key, items in figures_data.items():
            if key not in figures and "figure" in check.unreadable:
                continue
            if key not in figures:
                close = difflib.get_close_matches(key, list(figures), n=1)
                hint = f" (did you mean '{close[0]}'?)" if close else "; add it to data/figures.yml first"
                check.add(loaded, ("figures", key), f"unknown figure '{key}'{hint}")
                continue
            figure = figures[key]
            series = []
            for i, obs in enumerate(items if isinstance(items, list) else []):
                made = self._observation(loaded, ("figures", key, i), obs, figure, sources, actors)
                if made:
                    series.append(made)
            if series:
                yield FigureSeries(key, tuple(series))

    def _reported_as(self, loaded: Loaded, path: tuple, value, raw: str, reported_as: Any, unit: Any) -> None:
        """A warning when the source's words (reported_as) give numbers of which none is the value."""
        for text in wording.texts_of(reported_as):
            written = wording.contradiction(value, text, unit if isinstance(unit, str) else None)
            if written:
                line = loaded.line(path + ("reported_as",))
                gives = " or ".join(dict.fromkeys(written))
                self.check.add(
                    loaded,
                    path + ("value",),
                    f"{raw} disagrees with reported_as '{text}' (line {line}), which gives {gives}; correct whichever is wrong "
                    "(reported_as quotes the source, value is its number written out: 300000 for 'Approx. 300,000')",
                    "warning",
                )
                return

    def _observation(self, loaded, path, obs, figure: Figure, sources, actors) -> Observation | None:
        check = self.check
        if not isinstance(obs, dict):
            return None
        check.refs(loaded, path + ("source",), obs.get("source"), sources, "source")
        if "according_to" in obs:
            check.refs(loaded, path + ("according_to",), obs.get("according_to"), actors, "actor")
        as_of = check.date(loaded, path + ("as_of",), obs.get("as_of"))
        since = check.date(loaded, path + ("since",), obs.get("since"))
        if as_of and since and since.first_day > as_of.last_day:
            check.add(loaded, path + ("since",), f"the period starts ({since}) after its end, as_of ({as_of})")
        source = sources.get(obs.get("source")) if isinstance(obs.get("source"), str) else None
        if as_of and source is not None and source.published and as_of.first_day > source.published.last_day:
            check.add(
                loaded,
                path + ("as_of",),
                f"as_of ({as_of}) is after the publication of '{source.id}' ({source.published}): a source cannot report a later state; check both dates",
            )
        if figure.per_period and "since" not in obs:
            check.add(loaded, path + ("since",), f"'{figure.id}' counts a period: give its start date in 'since'")
        unit = obs.get("unit", figure.units[0])
        if "unit" in obs and isinstance(unit, str) and unit not in figure.units:
            check.add(loaded, path + ("unit",), f"'{unit}' is not a unit of '{figure.id}'; expected one of: {', '.join(figure.units)}")
        value = obs.get("value")
        raw = loaded.raw.get(path + ("value",), str(value))
        if isinstance(value, (int, float)) and not isinstance(value, bool):
            if value < 0:
                check.add(loaded, path + ("value",), f"must be at least 0, got {raw}")
            elif figure.kind == "percent" and value > 100:
                check.add(loaded, path + ("value",), f"a percentage must be between 0 and 100, got {raw}")
            elif figure.kind == "count" and not isinstance(value, int):
                check.add(loaded, path + ("value",), f"a count must be a whole number, got {raw}")
            elif figure.kind == "percent" and 0 < value <= 1 and isinstance(obs.get("reported_as"), str):
                reported = [m.group() for m in _PERCENT.finditer(obs["reported_as"]) if float(m.group(1).replace(",", ".")) > value]
                if reported:
                    check.add(
                        loaded,
                        path + ("value",),
                        f"{raw} looks like a fraction of 1, but reported_as gives {reported[0]}: percentages are written out of 100, as the source gives them",
                    )
                else:
                    self._reported_as(loaded, path, value, raw, obs.get("reported_as"), unit)
            else:
                self._reported_as(loaded, path, value, raw, obs.get("reported_as"), unit)
        try:
            return Observation(
                figure=figure.id,
                value=value,
                unit=unit,
                source=obs["source"],
                as_of=as_of,
                since=since,
                qualifier=obs.get("qualifier"),
                date_approximate=bool(obs.get("date_approximate", False)),
                according_to=obs.get("according_to"),
                reported_as=obs.get("reported_as"),
                note=_text(obs.get("note")),
                file=loaded.file,
                line=loaded.line(path),
            )
        except (KeyError, TypeError, AttributeError):
            return None


def load_site(data_dir: Path, today: dt.date | None = None) -> Site:
    """Load, validate and model everything in ``data_dir``; raise DataError on any error."""
    # Loading allocates a few objects per key of every file and frees almost none of them
    # until the end: the cyclic garbage collector would walk the growing heap again and again
    # for nothing (a sixth of the time at 5,000 regions). Reference counting still frees the rest.
    collecting = gc.isenabled()
    gc.disable()
    try:
        return _Loader(Path(data_dir), today).load()
    finally:
        if collecting:
            gc.enable()
