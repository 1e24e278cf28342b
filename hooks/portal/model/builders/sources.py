"""data/sources.yml and data/actors.yml: what every other file cites, and who says it."""

from __future__ import annotations

import pycountry

from portal.check import untrusted
from portal.load.yamlload import Loaded
from portal.model.builders.checks import Checker, text_or_none
from portal.model.model import Actor, Source, Text


def sources(check: Checker, loaded: Loaded) -> dict[str, Source]:
    items, at = check.entries(loaded, "sources")
    check.unique_ids(loaded, items, at)
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
                notes=text_or_none(item.get("notes")),
                caveats=tuple(item.get("caveats") or ()),
                caveat_note=text_or_none(item.get("caveat_note")),
                citing=tuple(c.strip() for c in ([item["citing"]] if isinstance(item.get("citing"), str) else item.get("citing") or ())),
                licence=item.get("licence"),
            )
        except (KeyError, TypeError, AttributeError):
            continue  # already reported by the schema
    return out


def actors(check: Checker, loaded: Loaded) -> dict[str, Actor]:
    items, at = check.entries(loaded, "actors")
    check.unique_ids(loaded, items, at)
    out = {}
    for i, item in enumerate(items):
        if isinstance(item, dict) and item.get("country") and not pycountry.countries.get(alpha_2=item["country"]):
            check.add(loaded, at + (i, "country"), f"'{item['country']}' is not an ISO 3166-1 country code")
        try:
            name = Text.of(item["name"])
            out[item["id"]] = Actor(
                id=item["id"],
                name=name,
                short_name=text_or_none(item.get("short_name")) or name,
                kind=item["kind"],
                country=item.get("country"),
            )
        except (KeyError, TypeError, AttributeError):
            continue
    return out
