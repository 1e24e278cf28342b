"""``python -m portal diff``: what a pull request does to the published data, in Markdown.

The pull-request check appends this to ``$GITHUB_STEP_SUMMARY``. Its readers are editors and
reviewers, not programmers, so it speaks of regions, events, sources and figures as the site
shows them ("about 300,000 mines"), never of YAML lines; a reviewer checks the values here
against the sources without reading a diff of files.

Both sides are read with :func:`~portal.model.site.load_site`, so the comparison is between what
the site publishes before and after the change: reordering a file or editing a comment is no
change. Every text that comes from the data is escaped, because an editor's text must never
become Markdown or HTML in the summary.
"""

from __future__ import annotations

import argparse
import dataclasses
import math
import re
import subprocess
import sys
import tempfile
from collections import defaultdict
from collections.abc import Callable, Hashable, Iterable, Iterator, Mapping
from dataclasses import dataclass
from itertools import zip_longest
from pathlib import Path
from typing import Any

from portal.model.model import (
    AccuracyClaim,
    DateClaim,
    DemandClaim,
    DemandEffect,
    GeoFeature,
    Handover,
    HandoverDate,
    HandoverItem,
    HandoverRelease,
    Mediation,
    Observation,
    Site,
    Text,
)
from portal.model.site import load_site
from portal.problems import DataError, Problem
from portal.render.formatting import KIND_LABELS, format_date, format_value
from portal.render.routes import reserved_region_ids

DEFAULT_REF = "origin/main"
HEADING = "## What this pull request does to the published data"
STATUSES = ("added", "removed", "moved", "changed")
EMPTY_SITE = Site(sources={}, actors={}, figures={}, countries={}, regions={}, impacts=(), benefits=(), demands=())

# Fields that are not data a reader sees: where an item is written, or what is compared apart.
NOT_COMPARED = {"id", "file", "line", "table", "figures", "geometry"}
# Fields of an observation that its description ("about 300,000 mines (title, date)") already shows.
DESCRIBED = NOT_COMPARED | {"figure", "value", "unit", "qualifier", "source", "as_of", "since", "date_approximate"}


# -- what changed ----------------------------------------------------------------------------


@dataclass(frozen=True)
class Detail:
    """One line under a changed item: a field's value before and after (None where it is absent)."""

    field: str
    old: str | None = None
    new: str | None = None


@dataclass(frozen=True)
class Change:
    status: str  # one of STATUSES
    label: str
    details: tuple[Detail, ...] = ()


@dataclass(frozen=True)
class Section:
    heading: str
    singular: str
    plural: str
    changes: tuple[Change, ...]


@dataclass(frozen=True)
class Kind:
    """One kind of item the site publishes, and how to find and name it in a Site."""

    heading: str
    singular: str
    plural: str
    items: Callable[[Site], Mapping[Hashable, Any]]
    label: Callable[[Any], str]


KINDS = (
    Kind("Regions", "region", "regions", lambda s: s.regions, lambda r: f"{r.name} ({as_data(r.file)})"),
    Kind("Countries", "country", "countries", lambda s: s.countries, lambda c: f"{c.name} ({as_data(c.file)})"),
    Kind(
        "Events",
        "event",
        "events",
        lambda s: {e.id: e for e in s.events},
        lambda e: f"{format_date(e.date, e.date_approximate)}: {e.title} ({as_data(e.file)})",
    ),
    Kind("Sources", "source", "sources", lambda s: s.sources, lambda x: f"{x.title} ({x.id})"),
    Kind("Demands", "demand", "demands", lambda s: {d.id: d for d in s.demands}, lambda d: f"{d.title} ({d.id})"),
    Kind("Actors", "actor", "actors", lambda s: s.actors, lambda a: f"{a.name} ({a.id})"),
    Kind(
        "Impacts and benefits",
        "row of the impacts tables",
        "rows of the impacts tables",
        lambda s: {(r.table, r.id): r for r in (*s.impacts, *s.benefits)},
        lambda r: f"{r.title} ({r.table} table, {r.id})",
    ),
    Kind("Kinds of figure", "kind of figure", "kinds of figure", lambda s: s.figures, lambda f: f"{f.label} ({f.id})"),
)


def as_data(file: str) -> str:
    """A data file as editors know it, data/regions/agdam.yml, whatever the compared folder is called."""
    return "data/" + file.split("/", 1)[-1]


def pairs(old: Iterable[tuple[Hashable, Any]], new: Iterable[tuple[Hashable, Any]]) -> Iterator[tuple[Any, Any]]:
    """Match items by key, in the new order, then the removed ones; (old, None) or (None, new) when unmatched.

    Keys may repeat (two observations of one figure, source and date): they pair in order."""
    before: dict[Hashable, list] = defaultdict(list)
    after: dict[Hashable, list] = defaultdict(list)
    for key, item in old:
        before[key].append(item)
    for key, item in new:
        after[key].append(item)
    for key in [*after, *(k for k in before if k not in after)]:
        yield from zip_longest(before[key], after[key])


def show(value: Any) -> str:
    """A field's value as plain text, the way an editor wrote it."""
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, tuple):
        return ", ".join(map(show, value)) if all(isinstance(v, (str, int, float)) for v in value) else "; ".join(map(show, value))
    if isinstance(value, DemandClaim):
        return f"{value.actor}, since {value.since or 'date not stated'}, sources: {show(value.sources)}"
    if isinstance(value, DemandEffect):
        return f"{value.demand}: {value.effect}"
    if isinstance(value, DateClaim):
        note = f", note: {value.note}" if value.note else ""
        return f"{value.date} according to {value.according_to}, sources: {show(value.sources)}{note}"
    if isinstance(value, (HandoverDate, HandoverItem, HandoverRelease, Mediation, AccuracyClaim)):
        parts = ((f.name, getattr(value, f.name)) for f in dataclasses.fields(value))
        return ", ".join(f"{name.replace('_', ' ')}: {show(v)}" for name, v in parts if v is not None and v != ())
    return str(value)  # text, numbers, PartialDate (as YYYY-MM-DD)


def fields(item: Any, skip: set[str] = NOT_COMPARED) -> dict[str, str]:
    """The fields a reader sees, as text: one entry per language of a text ('summary', 'summary (az)')."""
    out: dict[str, str] = {}
    for field in dataclasses.fields(item):
        value = getattr(item, field.name)
        if field.name in skip:
            continue
        if field.name == "scope" and value is None:  # a demand with scope: all
            value = "all regions"
        if isinstance(value, Handover):  # one line per part: "handover released: ..."
            for part in dataclasses.fields(value):
                items = getattr(value, part.name)
                if items:
                    out[f"{field.name} {part.name.replace('_', ' ')}"] = show(items)
        elif isinstance(value, Text):
            out.update({field.name if lang == "en" else f"{field.name} ({lang})": text for lang, text in value.values})
        elif value is not None and value != ():
            out[field.name] = show(value)
    return out


def field_details(old: dict[str, str], new: dict[str, str], prefix: str = "") -> list[Detail]:
    return [
        Detail(prefix + name, old.get(name), new.get(name))
        for name in [*new, *(n for n in old if n not in new)]
        if old.get(name) != new.get(name)
    ]


class Comparison:
    """Compares two sites; names sources and regions as the new site does, so a renamed source
    shows once, as a changed source, and not again under every figure that cites it."""

    def __init__(self, base: Site, head: Site):
        self.base = base
        self.head = head
        self.titles = {sid: s.title for site in (base, head) for sid, s in site.sources.items()}
        self.region_names = {rid: str(r.name) for site in (base, head) for rid, r in site.regions.items()}

    def sections(self) -> list[Section]:
        out = [Section(k.heading, k.singular, k.plural, tuple(self.items(k))) for k in KINDS]
        out.append(Section("Map features", "map feature", "map features", tuple(self.features())))
        return [s for s in out if s.changes]

    def items(self, kind: Kind) -> Iterator[Change]:
        """Added items with their figures (the values a reviewer checks against the sources), removed
        items by name, changed items with every changed field and figure."""
        for old, new in pairs(kind.items(self.base).items(), kind.items(self.head).items()):
            if old is None:
                yield Change("added", kind.label(new), tuple(self.observations(None, new)))
            elif new is None:
                yield Change("removed", kind.label(old))
            elif details := field_details(fields(old), fields(new)) + self.observations(old, new):
                yield Change("changed", kind.label(new), tuple(details))

    # -- figures -----------------------------------------------------------------------------

    def describe(self, obs: Observation) -> str:
        """'about 300,000 mines (title of the source, 12 June 2021)': what a reader sees, and where from."""
        when = format_date(obs.as_of, obs.date_approximate)
        if obs.since:
            when = f"{obs.since.human()} to {when}"
        return f"{format_value(obs)} ({self.titles[obs.source]}, {when})"

    def observations(self, old: Any | None, new: Any) -> list[Detail]:
        """Observations matched by figure, source and date: added, removed or changed."""

        def keyed(place: Any) -> list[tuple[Hashable, Observation]]:
            series = getattr(place, "figures", ())  # none for a new place, or for a source or an actor
            return [((o.figure, o.source, o.as_of), o) for s in series for o in s.observations]

        details: list[Detail] = []
        for a, b in pairs(keyed(old), keyed(new)):
            if a is None or b is None:
                details.append(Detail((a or b).figure, a and self.describe(a), b and self.describe(b)))
                continue
            if self.describe(a) != self.describe(b):
                details.append(Detail(b.figure, self.describe(a), self.describe(b)))
            prefix = f"{b.figure}, {self.describe(b)}, "
            details += field_details(fields(a, DESCRIBED), fields(b, DESCRIBED), prefix)
        return details

    # -- geometry ----------------------------------------------------------------------------

    def feature_label(self, feature: GeoFeature) -> str:
        """'Aghdam (main town of Agdam, data/geo/towns.geojson)'."""
        kind = KIND_LABELS.get(feature.kind, feature.kind)
        region = self.region_names.get(feature.region, feature.region)
        return f"{feature.name or kind.capitalize()} ({kind} of {region}, {as_data(feature.file)})"

    def features(self) -> Iterator[Change]:
        def keyed(site: Site) -> list[tuple[Hashable, GeoFeature]]:
            return [(f.id or (f.file, f.region, f.kind, f.name), f) for f in site.geo]

        for old, new in pairs(keyed(self.base), keyed(self.head)):
            if old is None or new is None:
                yield Change("added" if old is None else "removed", self.feature_label(new or old))
                continue
            details = field_details(fields(old), fields(new))
            moved = _points(old) and _points(new) and old.geometry != new.geometry
            if moved:
                details.insert(0, Detail(f"moved {_km(old, new)}", _where(old), _where(new)))
            elif old.geometry != new.geometry:
                details.insert(0, Detail("the shape changed"))
            if details:
                yield Change("moved" if moved else "changed", self.feature_label(new), tuple(details))


def _points(feature: GeoFeature) -> bool:
    return feature.geometry.get("type") == "Point"


def _where(feature: GeoFeature) -> str:
    lon, lat = feature.geometry["coordinates"][:2]
    return f"longitude {lon}, latitude {lat}"


def _km(old: GeoFeature, new: GeoFeature) -> str:
    """The distance between two points (haversine): a swapped or mistyped coordinate shows as hundreds of km."""
    (lon1, lat1), (lon2, lat2) = (map(math.radians, f.geometry["coordinates"][:2]) for f in (old, new))
    h = math.sin((lat2 - lat1) / 2) ** 2 + math.cos(lat1) * math.cos(lat2) * math.sin((lon2 - lon1) / 2) ** 2
    km = 2 * 6371.0 * math.asin(math.sqrt(h))
    return f"{km:,.1f} km" if km < 10 else f"{km:,.0f} km"


# -- Markdown ----------------------------------------------------------------------------------

# Characters Markdown or HTML could read as syntax anywhere in a line; an underscore only where
# it could start or end emphasis (not inside a word such as estimated_mines).
_SPECIAL = re.compile(r"[\\`*{}\[\]<>|#~&$]|(?<![^\W_])_|_(?![^\W_])")


def md(text: str) -> str:
    """Data text shown exactly as written: one line, every Markdown and HTML character escaped."""
    return _SPECIAL.sub(lambda m: "\\" + m.group(), " ".join(str(text).split()))


def fenced(lines: list[str]) -> str:
    """Lines shown verbatim: a fence longer than any run of ~ inside, so no line can close it."""
    longest = max((len(run) for run in re.findall(r"~+", "\n".join(lines))), default=0)
    fence = "~" * max(3, longest + 1)
    return "\n".join([fence, *lines, fence])


def detail_line(detail: Detail) -> str:
    if detail.old is not None and detail.new is not None:
        return f"  - {md(detail.field)}: {md(detail.old)} → {md(detail.new)}"
    if detail.new is not None:
        return f"  - {md(detail.field)}: added {md(detail.new)}"
    if detail.old is not None:
        return f"  - {md(detail.field)}: removed {md(detail.old)}"
    return f"  - {md(detail.field)}"


def count_line(sections: list[Section]) -> str:
    """'1 region added, 2 regions changed, 1 event removed.'"""
    parts = []
    for section in sections:
        for status in STATUSES:
            n = sum(1 for c in section.changes if c.status == status)
            if n:
                parts.append(f"{n} {section.singular if n == 1 else section.plural} {status}")
    return ", ".join(parts) + "."


def render_changes(sections: list[Section]) -> list[str]:
    if not sections:
        return ["No change to the published data."]
    lines = [count_line(sections)]
    for section in sections:
        lines += ["", f"### {section.heading}", ""]
        for change in section.changes:
            lines.append(f"- **{change.status.capitalize()}:** {md(change.label)}")
            lines += [detail_line(d) for d in change.details]
    return lines


def shown(problems: Iterable[Problem]) -> list[str]:
    return [str(dataclasses.replace(p, file=as_data(p.file))) for p in problems]


def new_warnings(base: Site, head: Site) -> list[Problem]:
    """Warnings the change brings (lines shift, so a warning is the same by file, field and message)."""
    known = {(as_data(p.file), p.field, p.message) for p in base.warnings}
    return [p for p in head.warnings if (as_data(p.file), p.field, p.message) not in known]


# -- the comparison of two folders ------------------------------------------------------------


def summarise(base_dir: Path, head_dir: Path) -> tuple[str, int]:
    """The Markdown summary of the change from ``base_dir`` to ``head_dir``, and the exit status.

    1 when the new data has errors: they are listed instead of a comparison, since nothing can be
    published. When the old data cannot be read, everything new is listed as added."""
    lines = [HEADING, ""]
    base_dir, head_dir = base_dir.resolve(), head_dir.resolve()  # so that every file is named <folder>/..., see as_data
    try:
        head = load_site(head_dir, reserved_ids=reserved_region_ids())
    except DataError as exc:
        errors = [p for p in exc.problems if p.severity == "error"]
        noun = "problem" if len(errors) == 1 else "problems"
        lines += [
            f"The data in this change has {len(errors)} {noun}, so nothing can be published until they are fixed. "
            "Each line gives the file, the line and what to change:",
            "",
            fenced(shown(errors)),
        ]
        return "\n".join(lines) + "\n", 1
    try:
        base = load_site(base_dir, reserved_ids=reserved_region_ids())
    except DataError as exc:
        count = sum(1 for p in exc.problems if p.severity == "error")
        noun = "problem" if count == 1 else "problems"
        lines += [f"The data before this change could not be read ({count} {noun}), so everything below is listed as added.", ""]
        base = EMPTY_SITE
    lines += render_changes(Comparison(base, head).sections())
    warnings = new_warnings(base, head)
    if warnings:
        lines += ["", "### Warnings", "", "The site is still published with these, but check them:", "", fenced(shown(warnings))]
    return "\n".join(lines) + "\n", 0


def checkout(ref: str, data_dir: Path, into: Path) -> Path:
    """Extract the data folder as it is at git ``ref`` into ``into``; return the extracted folder."""
    data_dir = data_dir.resolve()
    top = Path(_git(["rev-parse", "--show-toplevel"], data_dir).decode().strip())
    rel = data_dir.relative_to(top).as_posix()
    archive = _git(["archive", "--format=tar", ref, "--", rel], top)
    subprocess.run(["tar", "-x", "-C", str(into)], input=archive, check=True)
    return into / rel


def _git(args: list[str], cwd: Path) -> bytes:
    result = subprocess.run(["git", *args], cwd=cwd, capture_output=True)
    if result.returncode:
        raise GitError(result.stderr.decode(errors="replace").strip())
    return result.stdout


class GitError(Exception):
    """git could not give the old version of the data (an unknown ref, or not a repository)."""


# -- the command ----------------------------------------------------------------------------------


def add_command(commands: argparse._SubParsersAction, data_dir: Path) -> None:
    parser = commands.add_parser(
        "diff",
        help="summarise, in Markdown, what a change does to the published data",
        description="Compare two versions of the data folder (BASE and HEAD), or the data folder with its "
        f"version at a git ref (--git-base, default {DEFAULT_REF}), and print a Markdown summary for reviewers.",
    )
    parser.add_argument("base", nargs="?", type=Path, help="the data folder before the change")
    parser.add_argument("head", nargs="?", type=Path, help="the data folder after the change")
    parser.add_argument("--git-base", metavar="REF", nargs="?", const=DEFAULT_REF, help=f"compare with data/ at this git ref (default {DEFAULT_REF})")
    parser.add_argument("--data", type=Path, default=data_dir, help="with --git-base: the data folder of the working tree (default: data/)")
    parser.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    if args.base is not None and (args.head is None or args.git_base):
        print("Give two data folders (BASE HEAD), or --git-base REF, not both.", file=sys.stderr)
        return 2
    if args.base is not None:
        missing = [str(p) for p in (args.base, args.head) if not p.is_dir()]
        if missing:
            print(f"Not a folder: {', '.join(missing)}", file=sys.stderr)
            return 2
        text, status = summarise(args.base, args.head)
        print(text, end="")
        return status
    ref = args.git_base or DEFAULT_REF
    with tempfile.TemporaryDirectory() as tmp:
        try:
            base = checkout(ref, args.data, Path(tmp))
        except GitError as exc:
            print(f"Could not take the data as it is at {ref} from git ({exc}). Fetch it first, or name another ref with --git-base.", file=sys.stderr)
            return 2
        text, status = summarise(base, args.data)
    print(text, end="")
    return status
