"""The tables that several pages share, with what they take from the whole of the data: the
regions table (the latest value of each column's figure, and a total only where one is
honest), and where each source is used (the sources page)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from markupsafe import Markup

from portal.model import derived
from portal.model.model import Figure, Region
from portal.render import routes
from portal.render.formatting import KIND_LABELS, format_amount
from portal.render.views import ObservationView, Views


class Tables:
    """The shared tables of one edition; ``link(src_uri, target)`` is a link from a page to a
    site-root address (:func:`portal.render.routes.relative_url`)."""

    def __init__(self, views: Views, link: Callable[[str, str], str]):
        self.site = views.site
        self.views = views
        self._ = views._
        self.link = link

    TABLE_FIGURES = ("estimated_mines", "percent_cleared", "mines_on_handed_over_maps")

    def regions_table(self, src_uri: str) -> dict[str, Any]:
        """Rows of the regions table: the latest value of each column's figure, and honest totals."""
        figures = [self.site.figures[f] for f in self.TABLE_FIGURES if f in self.site.figures]
        rows = []
        for region in self.site.regions.values():
            cells = []
            for figure in figures:
                observations = region.series(figure.id)
                latest = [self.views.observation(o) for o in derived.latest(self.site, region, figure.id)]
                shared = self._shared_handover(region, src_uri) if not latest and figure.id == "mines_on_handed_over_maps" else ""
                cells.append({"latest": latest, "others": len(observations) - len(latest), "shared": shared})
            rows.append({"region": region, "cells": cells, "updated": self.views.last_updated(region)})
        totals = [self._total(figure, [row["cells"][i]["latest"] for row in rows]) for i, figure in enumerate(figures)]
        for i in range(len(figures)):
            if any(row["cells"][i]["shared"] for row in rows):  # a sum would leave out maps handed over for several districts at once
                totals[i] = {"value": None, "why": self._("No total: some districts' maps were handed over together, with no count per district; the register of handovers gives what each side says.")}
        return {"figures": figures, "rows": rows, "totals": totals}

    def _shared_handover(self, region: Region, src_uri: str) -> Markup:
        """For a district without its own count of mines on the maps handed over: what is true
        when its maps were handed over together with other districts' (the handover register)."""
        out = []
        for event in self.site.events_for_region(region.id):
            handover = getattr(event, "handover", None)
            regions = handover.regions if handover is not None else (event.regions if event.kind == "handover" else ())
            if region.id not in regions:
                continue
            others = [self.views.t(self.site.regions[r].name) for r in regions if r != region.id and r in self.site.regions]
            dates = sorted({d.date for d in handover.dates}, key=lambda d: d.first_day) if handover is not None else [event.date]
            when = self._(" or ").join(self.views.date(d) for d in dates)
            text = self._("maps handed over together with %(names)s (%(date)s); no separate count", names=", ".join(others), date=when) if others else self._("maps handed over (%(date)s); no count given", date=when)
            link = self.link(src_uri, routes.anchor(routes.HANDOVERS, f"handover-{event.id}") if handover is not None else routes.anchor(routes.TIMELINE, event.id))
            out.append(Markup('<a href="{}">{}</a>').format(link, text))
        return Markup("<br>").join(out)

    def _total(self, figure: Figure, latest_per_region: list[list[ObservationView]]) -> dict[str, Any]:
        """A total is shown only when it is honest: a count, one value per region, all from one
        source, in one unit. Otherwise the table says why there is none."""
        _, ngettext = self._, self.views.language.ngettext
        with_value = [views for views in latest_per_region if views]
        missing = len(latest_per_region) - len(with_value)
        if figure.kind != "count":
            return {"value": None, "why": _("Percentages cannot be added up.")}
        if not with_value:
            return {"value": None, "why": _("No region has this figure.")}
        if any(len(views) > 1 for views in with_value):
            return {"value": None, "why": _("Some regions have several latest values from different sources.")}
        sources = {views[0].obs.source for views in with_value}
        units = {views[0].obs.unit for views in with_value}
        if len(sources) > 1 or len(units) > 1:
            return {"value": None, "why": _("No total: the values come from different sources and dates.")}
        total = sum(views[0].obs.value for views in with_value)
        approximate = any(views[0].obs.qualifier for views in with_value)
        source = self.site.sources[sources.pop()]
        why = ngettext(
            "Sum of the values for %(num)s region, all from %(publisher)s",
            "Sum of the values for %(num)s regions, all from %(publisher)s",
            len(with_value),
            publisher=self.views.language.publisher(source),
        )
        if missing:
            why += "; " + ngettext("%(num)s region has no value and is not counted", "%(num)s regions have no value and are not counted", missing)
        why += "."
        return {
            "value": format_amount(total, units.pop(), "about" if approximate else None, self.views.language),
            "why": why,
            "source": source.id,
        }

    def source_uses(self) -> dict[str, list[tuple[str, str]]]:
        """For each source, where the portal uses it: (label, site-root URL)."""
        # dicts keep the order of first use and make the "already listed?" test constant-time
        found: dict[str, dict[tuple[str, str], None]] = {sid: {} for sid in self.site.sources}

        def add(sid: str, label: str, url: str) -> None:
            found[sid][(label, url)] = None

        for country in self.site.countries.values():
            for s in country.figures:
                for o in s.observations:
                    add(o.source, f"{self.views.t(country.name)}: {self.views.t(self.site.figures[s.figure].label)}", f"#figures-{country.id}")
            for sid in country.summary_sources:
                add(sid, self._("%(place)s: summary", place=self.views.t(country.name)), f"#figures-{country.id}")
        for region in self.site.regions.values():
            url = routes.region_url(region.id)
            name = self.views.t(region.name)
            for sid in region.summary_sources:
                add(sid, self._("%(place)s: summary", place=name), url)
            for feature in self.site.features_of(region.id):
                add(feature.source, self._("%(place)s: %(layer)s (map)", place=name, layer=self._(KIND_LABELS[feature.kind])), url)
            for s in region.figures:
                for o in s.observations:
                    add(o.source, f"{name}: {self.views.t(self.site.figures[s.figure].label)}", url)
        for row in self.site.impacts + self.site.benefits:
            for sid in row.sources:
                add(sid, (self._("Impact: %(title)s") if row.table == "impacts" else self._("Benefit: %(title)s")) % {"title": self.views.t(row.title)}, routes.page_url(routes.IMPACTS.src_uri))
        for event in self.site.events:
            cited = set(event.sources) | {o.source for s in event.figures for o in s.observations}
            cited |= {sid for claim in event.date_claims for sid in claim.sources}
            cited |= set(event.handover.sources) if event.handover else set()
            for sid in sorted(cited):
                add(sid, self._("Timeline: %(date)s, %(title)s", date=self.views.date(event.date), title=self.views.t(event.title)), routes.anchor(routes.TIMELINE, event.id))
        for demand in self.site.demands:
            for sid in set(demand.sources) | {s for c in demand.made_by for s in c.sources}:
                add(sid, self._("Demand: %(title)s", title=self.views.t(demand.title)), routes.anchor(routes.DEMANDS, f"demand-{demand.id}"))
        return {sid: list(entries) for sid, entries in found.items()}
