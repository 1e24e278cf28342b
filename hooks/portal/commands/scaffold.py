"""``python -m portal new``: start a region, an event or a source from a commented stub.

An editor who copies an existing file copies its facts too, and has to guess which fields are
required. A stub says in a comment what every field means, passes every other check as it is
written, and holds ``TODO:`` placeholders that are obviously not facts: ``make validate`` and the
build refuse the file, line by line, until each is replaced (portal.check.untrusted), so that a stub
is never published. Nothing is ever overwritten: an existing file or id is refused.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import re
import sys
import unicodedata
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pycountry

from portal.check.untrusted import STUB_MESSAGE
from portal.load.yamlload import load_file
from portal.model.site import load_site
from portal.problems import DataError
from portal.render.routes import reserved_region_ids

ID = re.compile(r"[a-z0-9]+(-[a-z0-9]+)*")
DATE = re.compile(r"\d{4}(-\d{2}(-\d{2})?)?")
URL = re.compile(r"https?://[^\s<>\"]+")
TODO_SUMMARY = "TODO: write two or three sentences in your own words."


class Refused(Exception):
    """Nothing was written; the message says why and what to do instead."""


# -- the stubs ---------------------------------------------------------------------------------


def region_stub(ident: str, iso: str, subdivision: str, name: str, country: str, today: str) -> str:
    return f"""\
# yaml-language-server: $schema=../schemas/region.schema.json
# A new region, started with `python -m portal new region`. Replace every TODO with facts from
# your sources, then run `make validate`. Add the region's main town to data/geo/towns.geojson
# so that it appears on the maps.

# checked: the day you last compared this file with its sources (YYYY-MM-DD); set it again
# whenever you check its figures, dates and wording against the pages cited.
checked: {today}
# id: the file name without .yml (lower-case letters, digits and hyphens).
id: {ident}
# iso: the district's ISO 3166-2 code ({subdivision}).
iso: {iso}
# name: the name in English; add az: (Azerbaijani) and ru: (Russian) below it when you know them.
name:
  en: {_quoted(name)}
# country: the id of the country's file in data/countries/.
country: {country}
# summary: two or three sentences in your own words; *emphasis* and [links](https://...) allowed.
summary: >-
  {TODO_SUMMARY}
# summary_sources: the sources of the claims in the summary (ids in data/sources.yml), for example:
# summary_sources: [caspian-post-landmine-maps]
# figures: one list per figure of data/figures.yml, one entry per value a source gives, for example:
#   estimated_mines:
#     - value: 300000            # the number, without separators or units
#       qualifier: about         # optional: about, more_than, at_least, at_most or fewer_than
#       as_of: 2024-10-31        # the date the value refers to; null when the source gives none
#       source: source-id        # the source's id in data/sources.yml
#       according_to: actor-id   # optional: who makes the claim (an id in data/actors.yml)
#       reported_as: about 300,000 mines   # optional: the source's own words
figures: {{}}
"""


def event_stub(ident: str, date: str, kinds: list[str], effects: list[str], first_source: str, today: str) -> str:
    return f"""\
# yaml-language-server: $schema=../schemas/event.schema.json
# A new event, started with `python -m portal new event`. Replace every TODO with facts from
# your sources, then run `make validate`.

# checked: the day you last compared this file with its sources (YYYY-MM-DD).
checked: {today}
# id: the file name without .yml: the date, then a few words.
id: {ident}
# date: when it happened: YYYY-MM-DD, or YYYY-MM or YYYY when the source gives no more.
# Add date_approximate: true below it when the date is inferred rather than stated.
date: {date}
# kind: TODO: check it. One of: {", ".join(kinds)}.
kind: statement
# title: a short headline in your own words.
title: "TODO: a short headline in your own words."
# summary: one to three sentences in your own words; say who claims what.
summary: >-
  {TODO_SUMMARY}
# Optional fields, for example:
# actors: [az-mfa]          # who acted or spoke (ids in data/actors.yml)
# regions: [agdam]          # the regions it concerns (ids in data/regions/)
# according_to: az-mfa      # whose account the date and summary follow, when the sources disagree
# demands:                  # the demands it concerns (ids in data/demands.yml) and what it did to each;
#   - {{demand: complete-maps, effect: made}}   # effect: {", ".join(effects)}
# date_claims:              # other dates that other sources give for the same event
#   - {{date: 2021-06-13, according_to: am-pm, sources: [source-id]}}
# handover:                 # required when kind is handover: every date each side gives (equal
#                           # standing; date: above is the earliest), the districts, what was handed over
#   dates:
#     - {{date: 2021-11-29, according_to: am-nss, sources: [source-id]}}
#     - {{date: 2021-12-04, according_to: az-sss, sources: [source-id]}}
#   regions: []             # districts the maps cover, as reported; [] when no source says
#   handed_over:
#     - {{according_to: az-sss, source: source-id, maps: 8, description: "what was handed over, in your words"}}
#   released:               # optional; also mediated_by (actor, source) and accuracy_claims
#     - {{source: source-id, people: 10, description: "10 servicemen"}}
# figures:                  # values the event reports, written as in the region files
#   mines_on_handed_over_maps:
#     - {{value: 97000, qualifier: about, as_of: 2021-06-12, source: source-id}}
# sources: the sources of this event (ids in data/sources.yml).
# TODO: replace this placeholder: it is the first source in data/sources.yml, not this event's source.
sources: [{first_source}]
"""


def source_stub(ident: str, url: str, today: str) -> str:
    return f"""
# TODO: a new source, added with `python -m portal new source`: fill in the title, the publisher
# and the publication date from the page itself, then run `make validate`.
- id: {ident}
  # title: the title as the source gives it.
  title: "TODO: the title as the source gives it"
  # publisher: who published it (outlet, agency, court), its name alone.
  publisher: "TODO: who published it"
  # citing (optional): the outlet it cites or reprints, such as citing: Caspian Post.
  # licence (optional): the licence it gives its data under: CC-BY-4.0 or public-domain.
  # published: the publication date (YYYY-MM-DD, YYYY-MM or YYYY); null when the page gives none.
  published: null
  # url: the address of the page.
  url: {url}
  # accessed: when you read and checked the page (the day this entry was added).
  accessed: {today}
  # language: the two-letter code of the page's language: en, az, ru.
  language: en
  # notes (optional): what a reader should know, such as a reprint or an inferred date.
  # caveats (optional): how solid the source is, any of: undated, names_no_source,
  # secondary_report, own_estimate; and caveat_note: a short note (at most 160 characters).
"""


def _quoted(text: str) -> str:
    """A YAML double-quoted string (JSON's is one), so that no name is read as a number or yes/no."""
    return json.dumps(text, ensure_ascii=False)


# -- the commands ----------------------------------------------------------------------------------


def new_region(args: argparse.Namespace) -> str:
    data = args.data.resolve()
    ident = _checked_id(args.id, "region", "agdam")
    path = data / "regions" / f"{ident}.yml"
    _refuse_existing(path, data)
    name = args.name or ident.replace("-", " ").title()
    subdivision, country = _region_code(data, args.iso, name, ident)
    _write_new(path, data, region_stub(ident, subdivision.code, _described(subdivision), name, country, dt.date.today().isoformat()))
    return (
        f"Created {_rel(path, data)} for {name} ({subdivision.code}, {_described(subdivision)}). Next: replace the TODO "
        "summary, add figures with their sources, add the main town to data/geo/towns.geojson, then run make validate "
        "(it refuses the file while a TODO is left)."
    )


def new_event(args: argparse.Namespace) -> str:
    data = args.data.resolve()
    if not DATE.fullmatch(args.date):
        raise Refused(f"'{args.date}' is not a date written YYYY-MM-DD (or YYYY-MM, or YYYY)")
    ident = f"{args.date}-{_checked_id(args.slug, 'event', 'agdam-maps-handover')}"
    path = data / "events" / f"{ident}.yml"
    _refuse_existing(path, data)
    sources = _sources(data)
    if not sources:
        raise Refused("data/sources.yml has no sources yet; add the event's source first with: python -m portal new source")
    schema = json.loads((data / "schemas" / "event.schema.json").read_text("utf-8"))["properties"]
    kinds = schema["kind"]["enum"]
    effects = schema["demands"]["items"]["properties"]["effect"]["enum"]
    _write_new(path, data, event_stub(ident, args.date, kinds, effects, sources[0]["id"], dt.date.today().isoformat()))
    return (
        f"Created {_rel(path, data)}. Next: replace every TODO (the kind, the title, the summary and the placeholder "
        f"source '{sources[0]['id']}'), then run make validate (it refuses the file while a TODO is left)."
    )


def new_source(args: argparse.Namespace) -> str:
    data = args.data.resolve()
    ident = _checked_id(args.id, "source", "anama-2024-02-12")
    if not URL.fullmatch(args.url):
        raise Refused(f"'{args.url}' is not a web address; it must start with https:// (or http://) and contain no spaces")
    path = data / "sources.yml"
    for item in _sources(data):
        if item.get("id") == ident:
            raise Refused(f"the id '{ident}' is already used in data/sources.yml; choose another id")
        if item.get("url") == args.url:
            raise Refused(f"this address is already in data/sources.yml as '{item.get('id')}'; cite that id instead")
    before = path.read_text("utf-8")
    text = before if before.endswith("\n") else before + "\n"
    path.write_text(text + source_stub(ident, args.url, dt.date.today().isoformat()), "utf-8")
    _keep_if_valid(data, _rel(path, data), text.count("\n") + 1, lambda: path.write_text(before, "utf-8"))
    return (
        f"Added the source '{ident}' at the end of data/sources.yml. Next: fill in its TODO title and publisher, "
        "then run make validate (it refuses the file while a TODO is left)."
    )


# -- checks ------------------------------------------------------------------------------------


def _checked_id(ident: str, what: str, example: str) -> str:
    if not ID.fullmatch(ident):
        raise Refused(f"'{ident}' cannot be the id of a {what}: use lower-case letters, digits and single hyphens, such as '{example}'")
    return ident


def _refuse_existing(path: Path, data: Path) -> None:
    if path.exists():
        raise Refused(f"{_rel(path, data)} already exists; edit it, or choose another id")


def _sources(data: Path) -> list[dict[str, Any]]:
    """The entries of data/sources.yml; refused when it cannot be read, since ids could not be checked."""
    loaded = load_file(data / "sources.yml", "data/sources.yml")
    entries = loaded.data.get("sources") if isinstance(loaded.data, dict) else None
    if loaded.problems or not isinstance(entries, (list, type(None))):
        raise Refused("data/sources.yml cannot be read; fix it first (make validate shows where)")
    return [item for item in entries or [] if isinstance(item, dict)]


def _ids_by_iso(data: Path, folder: str) -> dict[str, tuple[str, str]]:
    """{iso: (id, file)} of the readable files of data/<folder>/."""
    out = {}
    for path in sorted((data / folder).glob("*.yml")):
        value = load_file(path, _rel(path, data)).data
        if isinstance(value, dict) and isinstance(value.get("iso"), str):
            out[value["iso"]] = (str(value.get("id")), _rel(path, data))
    return out


def _region_code(data: Path, given: str | None, name: str, ident: str) -> tuple[Any, str]:
    """The region's ISO 3166-2 subdivision, given or found by name, and its country's id."""
    countries = _ids_by_iso(data, "countries")
    used = _ids_by_iso(data, "regions")
    if given:
        subdivision = pycountry.subdivisions.get(code=given.upper())
        if subdivision is None:
            raise Refused(f"'{given}' is not an ISO 3166-2 code; district codes look like AZ-AGM")
    else:
        subdivision = _find_code(countries, used, name, ident)
    if subdivision.code in used:
        raise Refused(f"the ISO code {subdivision.code} is already used by {used[subdivision.code][1]}")
    if subdivision.country_code not in countries:
        raise Refused(f"{subdivision.code} is a code of {subdivision.country_code}, and no file in data/countries/ has iso: {subdivision.country_code}")
    return subdivision, countries[subdivision.country_code][0]


def _find_code(countries: dict, used: dict, name: str, ident: str) -> Any:
    """The one unused subdivision whose name matches (Ağdam Rayon matches 'agdam'); refused, with the choices, otherwise."""
    wanted = {_fold(name), _fold(ident)}
    free = [s for iso in countries for s in pycountry.subdivisions.get(country_code=iso) or [] if s.code not in used]
    found = [s for s in free if _fold(s.name) in wanted]
    if len(found) == 1:
        return found[0]
    listing = "\n".join(f"  {s.code}  {_described(s)}" for s in sorted(found or free, key=lambda s: s.code))
    if found:
        raise Refused(f"'{name}' matches several ISO 3166-2 codes; choose one with --iso:\n{listing}")
    raise Refused(f"no ISO 3166-2 code was found for '{name}'; give it with --iso. The codes no region uses yet:\n{listing}")


def _described(subdivision: Any) -> str:
    """'Ağdam (Rayon)': the name alone is ambiguous (Şəki is a rayon and a municipality)."""
    return f"{subdivision.name} ({subdivision.type})"


def _fold(text: str) -> str:
    """Letters and digits without accents: 'Ağdam' and 'agdam' both give 'agdam'."""
    text = unicodedata.normalize("NFKD", text.casefold().replace("ə", "e").replace("ı", "i"))
    return "".join(c for c in text if c.isalnum() and c.isascii())


# -- writing ---------------------------------------------------------------------------------------


def _write_new(path: Path, data: Path, text: str) -> None:
    with path.open("x", encoding="utf-8") as out:  # "x": never overwrite, even a file created meanwhile
        out.write(text)
    _keep_if_valid(data, _rel(path, data), 0, path.unlink)


def _keep_if_valid(data: Path, rel: str, first_line: int, undo: Callable[[], None]) -> None:
    """Undo the write when what was written fails the checks (a future date, a bad name).

    Problems elsewhere in the data are the editor's work in progress and do not count, and
    neither do the TODO placeholders that the stub holds on purpose."""
    try:
        load_site(data, reserved_ids=reserved_region_ids())
    except DataError as exc:
        mine = [
            str(p)
            for p in exc.problems
            if p.severity == "error" and p.file == rel and (p.line == 0 or p.line >= first_line) and p.message != STUB_MESSAGE
        ]
        if mine:
            undo()
            raise Refused("what would be written does not pass the checks:\n" + "\n".join(mine)) from None


def _rel(path: Path, data: Path) -> str:
    return path.relative_to(data.parent).as_posix()


# -- the command line ------------------------------------------------------------------------------


def add_command(commands: argparse._SubParsersAction, data_dir: Path) -> None:
    parser = commands.add_parser("new", help="start a new region, event or source from a commented stub")
    kinds = parser.add_subparsers(dest="kind", required=True)
    common = argparse.ArgumentParser(add_help=False)
    common.add_argument("--data", type=Path, default=data_dir, help="the data folder (default: data/)")

    region = kinds.add_parser("region", parents=[common], help="write data/regions/ID.yml")
    region.add_argument("id", help="the region's id, such as agdam: lower-case letters, digits and hyphens")
    region.add_argument("--name", help="the name in English (default: from the id)")
    region.add_argument("--iso", help="the ISO 3166-2 code, such as AZ-AGM (default: found from the name)")
    region.set_defaults(run=_running(new_region))

    event = kinds.add_parser("event", parents=[common], help="write data/events/DATE-SLUG.yml")
    event.add_argument("slug", help="a few words of the id after the date, such as agdam-maps-handover")
    event.add_argument("--date", required=True, help="when it happened: YYYY-MM-DD")
    event.set_defaults(run=_running(new_event))

    source = kinds.add_parser("source", parents=[common], help="add an entry to data/sources.yml")
    source.add_argument("id", help="the source's id, such as anama-2024-02-12")
    source.add_argument("--url", required=True, help="the address of the page")
    source.set_defaults(run=_running(new_source))


def _running(command: Callable[[argparse.Namespace], str]) -> Callable[[argparse.Namespace], int]:
    """Print what was done, or why nothing was written (exit status 1)."""

    def run(args: argparse.Namespace) -> int:
        try:
            if not (args.data / "sources.yml").is_file():
                raise Refused(f"{args.data} is not the data folder (it has no sources.yml); give it with --data")
            print(command(args))
        except Refused as exc:
            print(f"Nothing was written: {exc}", file=sys.stderr)
            return 1
        return 0

    return run
