"""data/countries/ and data/regions/: one file per place, with its ISO code, summary and figures."""

from __future__ import annotations

import json
import re
from functools import cache
from typing import Any

import pycountry

from portal.load.yamlload import Loaded
from portal.model.builders.checks import Checker
from portal.model.builders.figures import observations
from portal.model.model import Country, Region, Text


def places(check: Checker, files: list[Loaded], kind: str, sources, actors, figures, countries) -> dict:
    """The countries (``kind`` "country"; ``countries`` empty) or the regions, by id, in file order."""
    out: dict[str, Region | Country] = {}
    isos: dict[str, str] = {}
    for loaded in files:
        data = check.one_per_file(loaded)
        if data is None:
            continue
        ident = data.get("id")
        if ident in out:
            check.add(loaded, ("id",), f"duplicate {kind} id '{ident}'")
        reserved = check.reserved
        if kind == "region" and ident in reserved:
            check.add(loaded, ("id",), f"'{ident}' cannot be a region id: the generated page {reserved[ident]} has that address; give the region (and its file) another id")
        iso = data.get("iso")
        if isinstance(iso, str):
            if iso in isos:
                check.add(loaded, ("iso",), f"ISO code {iso} is also used by {isos[iso]}")
            isos[iso] = loaded.file
            if kind == "region":
                _region_iso(check, loaded, iso, data.get("country"), countries)
            elif re.fullmatch(r"[A-Z]{2}", iso) and not pycountry.countries.get(alpha_2=iso):
                check.add(loaded, ("iso",), f"'{iso}' is not an ISO 3166-1 country code")
        check.refs(loaded, ("summary_sources",), data.get("summary_sources"), sources, "source")
        check.links(loaded, ("summary",), data.get("summary"))
        series = tuple(observations(check, loaded, data.get("figures"), sources, actors, figures))
        try:
            common = dict(
                id=data["id"],
                iso=data["iso"],
                name=Text.of(data["name"]),
                summary=Text.of(data["summary"]),
                summary_sources=tuple(data.get("summary_sources") or ()),
                figures=series,
                file=loaded.file,
                checked=check.checked.get(loaded.file),
            )
            if kind == "country":
                bbox = data.get("bbox")
                out[data["id"]] = Country(bbox=tuple(bbox) if bbox else None, **common)
            else:
                out[data["id"]] = Region(country=data["country"], **common)
        except (KeyError, TypeError, AttributeError, ValueError):
            continue
    return out


def _region_iso(check: Checker, loaded: Loaded, iso: str, country_id: Any, countries: dict) -> None:
    if not isinstance(country_id, str):
        return
    if country_id not in countries:
        check.refs(loaded, ("country",), country_id, countries, "country")
        return
    expected = countries[country_id].iso
    if not iso.startswith(expected + "-"):
        check.add(loaded, ("iso",), f"'{iso}' is not a code of {expected}; region codes of this country start with {expected}-")
    elif iso.lower() not in subdivision_codes():
        check.add(loaded, ("iso",), f"'{iso}' is not an ISO 3166-2 code")


@cache
def subdivision_codes() -> frozenset[str]:
    """Every ISO 3166-2 code pycountry knows, in lower case (``pycountry.subdivisions.get(code=)``
    compares so), read from pycountry's own database file: its ``get`` first makes an object and
    five indexes for each of its 5,046 subdivisions (22 ms in every build and validate), where
    this check needs only the codes (6 ms). tests/model compares the two for every code."""
    database = pycountry.subdivisions
    with open(database.filename, encoding="utf-8") as file:
        return frozenset(entry["code"].lower() for entry in json.load(file)[database.root_key])
