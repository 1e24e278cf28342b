"""An event's ``handover:`` block: the sides' dates of a handover of minefield maps (none
preferred), the regions, what was handed over, who was released, who mediated, and the sides'
claims on the maps' accuracy. Every id is resolved, and the event is dated by the earliest date."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from portal.load.yamlload import Loaded
from portal.model.builders.checks import Checker
from portal.model.model import (
    AccuracyClaim,
    Handover,
    HandoverDate,
    HandoverItem,
    HandoverRelease,
    Mediation,
    PartialDate,
    Text,
)

AT = ("handover",)


def _whole(item: dict, key: str) -> int | None:
    value = item.get(key)
    return value if isinstance(value, int) and not isinstance(value, bool) else None


@dataclass
class _Block:
    """One event's handover block, with what its references are checked against."""

    check: Checker
    loaded: Loaded
    block: dict
    sources: Any
    actors: Any

    def items(self, key: str):
        """(index, item) of each mapping of the list ``key`` (the schema reports anything else)."""
        return [(i, item) for i, item in enumerate(self.block.get(key) or []) if isinstance(item, dict)]

    def actor(self, path: tuple, value: Any) -> None:
        if value is not None:
            self.check.refs(self.loaded, AT + path, value, self.actors, "actor")

    def source(self, path: tuple, value: Any) -> None:
        self.check.refs(self.loaded, AT + path, value, self.sources, "source")

    def date(self, path: tuple, value: Any) -> PartialDate | None:
        return self.check.date(self.loaded, AT + path, value)


def _dates(b: _Block) -> list[HandoverDate]:
    dates = []
    for i, item in b.items("dates"):
        b.actor(("dates", i, "according_to"), item.get("according_to"))
        b.source(("dates", i, "sources"), item.get("sources"))
        when = b.date(("dates", i, "date"), item.get("date"))
        if when and isinstance(item.get("according_to"), str) and isinstance(item.get("sources"), list):
            dates.append(HandoverDate(when, item["according_to"], tuple(item["sources"])))
    return dates


def _handed_over(b: _Block) -> tuple[HandoverItem, ...]:
    items = []
    for i, item in b.items("handed_over"):
        b.actor(("handed_over", i, "according_to"), item.get("according_to"))
        b.source(("handed_over", i, "source"), item.get("source"))
        b.check.links(b.loaded, AT + ("handed_over", i, "description"), item.get("description"))
        if item.get("qualifier") and not any(k in item for k in ("maps", "forms", "mines_shown")):
            b.check.add(b.loaded, AT + ("handed_over", i, "qualifier"), "a qualifier applies to maps, forms or mines_shown; give one of them or remove it")
        try:
            items.append(
                HandoverItem(
                    source=item["source"],
                    description=Text.of(item["description"]),
                    according_to=item.get("according_to"),
                    maps=_whole(item, "maps"),
                    forms=_whole(item, "forms"),
                    mines_shown=_whole(item, "mines_shown"),
                    qualifier=item.get("qualifier"),
                )
            )
        except (KeyError, TypeError, AttributeError):
            continue
    return tuple(items)


def _released(b: _Block) -> tuple[HandoverRelease, ...]:
    released = []
    for i, item in b.items("released"):
        b.actor(("released", i, "according_to"), item.get("according_to"))
        b.source(("released", i, "source"), item.get("source"))
        try:
            released.append(HandoverRelease(item["source"], Text.of(item["description"]), item.get("according_to"), _whole(item, "people")))
        except (KeyError, TypeError, AttributeError):
            continue
    return tuple(released)


def _mediated(b: _Block) -> tuple[Mediation, ...]:
    mediated = []
    for i, item in b.items("mediated_by"):
        b.actor(("mediated_by", i, "actor"), item.get("actor"))
        b.source(("mediated_by", i, "source"), item.get("source"))
        if isinstance(item.get("actor"), str) and isinstance(item.get("source"), str):
            mediated.append(Mediation(item["actor"], item["source"]))
    return tuple(mediated)


def _accuracy_claims(b: _Block) -> tuple[AccuracyClaim, ...]:
    claims = []
    for i, item in b.items("accuracy_claims"):
        b.actor(("accuracy_claims", i, "according_to"), item.get("according_to"))
        b.source(("accuracy_claims", i, "source"), item.get("source"))
        when = b.date(("accuracy_claims", i, "date"), item.get("date"))
        percent = item.get("percent_accurate")
        try:
            if when:
                claims.append(
                    AccuracyClaim(when, item["according_to"], item["source"], Text.of(item["description"]),
                                  percent if isinstance(percent, (int, float)) and not isinstance(percent, bool) else None)
                )
        except (KeyError, TypeError, AttributeError):
            continue
    return tuple(claims)


def handover(check: Checker, loaded: Loaded, data: dict, date: PartialDate | None, sources, actors, regions) -> Handover | None:
    """The event's handover block: every id resolved, and the event dated by its earliest date."""
    block = data.get("handover")
    if block is None:
        if data.get("kind") == "handover":
            check.add(loaded, ("kind",), "an event of kind handover needs a 'handover:' block (its dates, regions and what was handed over)")
        return None
    if not isinstance(block, dict):
        return None  # the schema has reported it
    b = _Block(check, loaded, block, sources, actors)
    dates = _dates(b)
    check.refs(loaded, AT + ("regions",), block.get("regions"), regions, "region")
    items, released, mediated, claims = _handed_over(b), _released(b), _mediated(b), _accuracy_claims(b)
    if not dates:
        return None
    result = Handover(
        dates=tuple(dates),
        regions=tuple(r for r in block.get("regions") or () if isinstance(r, str)),
        handed_over=items,
        released=released,
        mediated_by=mediated,
        accuracy_claims=claims,
    )
    earliest = result.earliest
    if date and date != earliest and len(dates) == len(block.get("dates") or ()):
        check.add(
            loaded, ("date",),
            f"a handover is dated by the earliest of its handover.dates ({earliest.iso}), not {date.iso}: no side's date is preferred; set date: {earliest.iso} and rename the file to match",
        )
    if data.get("kind") != "handover":
        check.add(loaded, ("handover",), f"only an event of kind handover has a 'handover:' block (this one is '{data.get('kind')}')")
    return result
