"""data/events/: one file per event, dated by its file name, with the figures it reported, its
effects on the demands, the sides' own dates for it, and a handover's details (:mod:`.handovers`)."""

from __future__ import annotations

from portal.load.yamlload import Loaded
from portal.model.builders.checks import Checker, stem, text_or_none
from portal.model.builders.figures import observations
from portal.model.builders.handovers import handover
from portal.model.model import DateClaim, DemandEffect, Event, Text


def _effects(check: Checker, loaded: Loaded, data: dict, demand_ids: set[str]) -> tuple[DemandEffect, ...]:
    effects = []
    for i, item in enumerate(data.get("demands") or []):
        if isinstance(item, dict):
            check.refs(loaded, ("demands", i, "demand"), item.get("demand"), demand_ids, "demand")
            if isinstance(item.get("demand"), str) and isinstance(item.get("effect"), str):
                effects.append(DemandEffect(item["demand"], item["effect"]))
    return tuple(effects)


def _date_claims(check: Checker, loaded: Loaded, data: dict, sources, actors) -> tuple[DateClaim, ...]:
    """Each side's own date for the event (``date_claims``), side by side."""
    claims = []
    for i, item in enumerate(data.get("date_claims") or []):
        if not isinstance(item, dict):
            continue
        check.refs(loaded, ("date_claims", i, "according_to"), item.get("according_to"), actors, "actor")
        check.refs(loaded, ("date_claims", i, "sources"), item.get("sources"), sources, "source")
        claim_date = check.date(loaded, ("date_claims", i, "date"), item.get("date"))
        if claim_date and isinstance(item.get("according_to"), str) and isinstance(item.get("sources"), list):
            claims.append(DateClaim(claim_date, item["according_to"], tuple(item["sources"]), text_or_none(item.get("note"))))
    return tuple(claims)


def _event(check: Checker, loaded: Loaded, sources, actors, figures, regions, demand_ids: set[str]) -> Event | None:
    data = check.one_per_file(loaded)
    if data is None:
        return None
    date = check.date(loaded, ("date",), data.get("date"))
    if date and not stem(loaded.file).startswith(date.iso + "-"):
        check.add(loaded, ("date",), f"the date {date.iso} disagrees with the file name, which should start with {date.iso}-")
    check.refs(loaded, ("sources",), data.get("sources"), sources, "source")
    check.refs(loaded, ("actors",), data.get("actors"), actors, "actor")
    check.refs(loaded, ("regions",), data.get("regions"), regions, "region")
    if "according_to" in data:
        check.refs(loaded, ("according_to",), data.get("according_to"), actors, "actor")
    for field in ("title", "summary"):
        check.links(loaded, (field,), data.get(field))
    effects = _effects(check, loaded, data, demand_ids)
    claims = _date_claims(check, loaded, data, sources, actors)
    series = tuple(observations(check, loaded, data.get("figures"), sources, actors, figures))
    block = handover(check, loaded, data, date, sources, actors, regions)
    try:
        return Event(
            id=data["id"],
            date=date,
            kind=data["kind"],
            title=Text.of(data["title"]),
            summary=Text.of(data["summary"]),
            sources=tuple(data["sources"]),
            actors=tuple(data.get("actors") or ()),
            regions=tuple(data.get("regions") or ()),
            demands=effects,
            figures=series,
            date_approximate=bool(data.get("date_approximate", False)),
            date_claims=claims,
            according_to=data.get("according_to"),
            file=loaded.file,
            checked=check.checked.get(loaded.file),
            handover=block,
        )
    except (KeyError, TypeError, AttributeError):
        return None


def events(check: Checker, files: list[Loaded], sources, actors, figures, regions, demands) -> tuple[Event, ...]:
    """Every dated event, oldest first."""
    demand_ids = {d.id for d in demands}
    out = [event for event in (_event(check, loaded, sources, actors, figures, regions, demand_ids) for loaded in files) if event]
    return tuple(sorted((e for e in out if e.date), key=lambda e: (e.date.first_day, e.id)))
