"""data/demands.yml: what each side asks for, who asks it since when, and for which regions."""

from __future__ import annotations

from portal.load.yamlload import Loaded
from portal.model.builders.checks import Checker
from portal.model.model import Demand, DemandClaim, Text


def _claims(check: Checker, loaded: Loaded, at: tuple, made_by: list, sources: dict, actors: dict) -> tuple[DemandClaim, ...]:
    claims = []
    for j, claim in enumerate(made_by):
        if not isinstance(claim, dict):
            continue
        check.refs(loaded, at + ("made_by", j, "actor"), claim.get("actor"), actors, "actor")
        check.refs(loaded, at + ("made_by", j, "sources"), claim.get("sources"), sources, "source")
        since = check.date(loaded, at + ("made_by", j, "since"), claim.get("since"))
        try:
            claims.append(DemandClaim(actor=claim["actor"], since=since, sources=tuple(claim["sources"])))
        except (KeyError, TypeError):
            continue
    return tuple(claims)


def demands(check: Checker, loaded: Loaded, sources: dict, actors: dict, regions: dict) -> tuple[Demand, ...]:
    items, at = check.entries(loaded, "demands")
    check.unique_ids(loaded, items, at)
    out = []
    for i, item in enumerate(items):
        if not isinstance(item, dict):
            continue
        check.refs(loaded, at + (i, "sources"), item.get("sources"), sources, "source")
        check.links(loaded, at + (i, "description"), item.get("description"))
        if isinstance(item.get("scope"), list):
            check.refs(loaded, at + (i, "scope"), item["scope"], regions, "region")
        claims = _claims(check, loaded, at + (i,), item.get("made_by") or [], sources, actors)
        try:
            scope = None if item["scope"] == "all" else tuple(item["scope"])
            out.append(
                Demand(
                    id=item["id"],
                    title=Text.of(item["title"]),
                    description=Text.of(item["description"]),
                    scope=scope,
                    made_by=claims,
                    sources=tuple(item["sources"]),
                )
            )
        except (KeyError, TypeError, AttributeError):
            continue
    return tuple(out)
