"""The register of map handovers: what the handovers page shows, from the events' ``handover``
blocks (data/events/, the structure in data/schemas/event.schema.json).

One row per handover, every date each side gives (all of equal standing), the districts, what
was handed over as each side describes it, what was released and who mediated, and later
claims about the maps' accuracy; then, per district, the handovers that concern it. Totals are
given only where they are honest: per speaker, over the handovers that speaker gives a number
for, and saying how many of the handovers that is.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from portal.model.model import Event

if TYPE_CHECKING:  # pragma: no cover
    from portal.render.pages import Renderer


@dataclass(frozen=True)
class Row:
    event: Event
    handover: Any  # model.Handover
    dates_differ: bool


def handover_events(site) -> list[Event]:
    """Events with a handover block, ordered by their earliest date (the model's own order
    where it has one)."""
    ordered = getattr(site, "handovers", None)
    if ordered is not None:
        return list(ordered() if callable(ordered) else ordered)
    events = [e for e in site.events if getattr(e, "handover", None) is not None]
    return sorted(events, key=lambda e: min(d.date.first_day for d in e.handover.dates))


def register(renderer: Renderer) -> dict[str, Any]:
    site = renderer.site
    views = renderer.views
    rows = [Row(e, e.handover, len({d.date for d in e.handover.dates}) > 1) for e in handover_events(site)]
    # per district: every handover whose maps cover it, and with which other districts
    by_region: dict[str, list[Row]] = {}
    for row in rows:
        for region in row.handover.regions:
            by_region.setdefault(region, []).append(row)
    districts = [(site.regions[r], by_region[r]) for r in site.regions if r in by_region]
    unknown = [row for row in rows if not row.handover.regions]
    # honest totals: per speaker (according_to, or the reporting source), over the handovers it
    # gives a number of maps for; the table says for how many of the handovers that is
    totals: dict[tuple[str, str], dict[str, Any]] = {}
    for row in rows:
        for item in row.handover.handed_over:
            for field_name in ("maps", "forms", "mines_shown"):
                value = getattr(item, field_name, None)
                if value is None:
                    continue
                key = (item.according_to or f"source:{item.source}", field_name)
                entry = totals.setdefault(key, {"value": 0, "events": [], "sources": [], "approximate": False, "field": field_name})
                if row.event.id in entry["events"]:  # one speaker, two items of one handover: not added twice
                    continue
                entry["value"] += value
                entry["events"].append(row.event.id)
                entry["sources"].append(item.source)
                entry["approximate"] = entry["approximate"] or bool(item.qualifier)
                entry["who"] = views.t(site.actors[item.according_to].short_name) if item.according_to else views.language.publisher(site.sources[item.source])
    total_rows = [t for t in totals.values() if len(t["events"]) > 1]
    return {"rows": rows, "districts": districts, "unknown": unknown, "totals": total_rows, "count": len(rows)}
