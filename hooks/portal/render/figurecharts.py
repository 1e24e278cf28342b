"""From the model to a chart: which figures get one, its series, its words and its CSV.

A figure gets a chart on a page when two or more of its values there are dated. Each source or
speaker is its own series (conflicting values stay visible, never merged); values without a
date are not plotted but listed under the chart; values in another unit than the chart's are
listed too (they are never converted). Figures that count a period (a week, a year) get no
chart: periods of different lengths cannot be compared on one line.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache
from typing import TYPE_CHECKING

from babel.numbers import format_compact_decimal
from markupsafe import Markup

from portal.i18n.i18n import N_
from portal.model.model import Figure, Observation, PartialDate, Site
from portal.render import charts

if TYPE_CHECKING:  # pragma: no cover
    from portal.render.views import Views

TREND = {"up": N_("rising"), "down": N_("falling"), "flat": N_("unchanged")}
CHART_UNIT = {"mines": N_("mines"), "items": N_("items"), "people": N_("people"), "maps": N_("maps"), "documents": N_("documents"), "percent": "%", "ha": N_("hectares"), "km2": N_("square kilometres")}


@dataclass(frozen=True)
class ChartView:
    id: str
    title: str
    svg: Markup
    description: str
    not_plotted: list[str]
    csv_path: str  # site-root path of the chart's data
    caveats: tuple[tuple[str, str], ...] = ()  # (series name, source id) of plotted values whose source has caveats


def chartable(site: Site, figure: Figure, observations: Iterable[Observation]) -> bool:
    if figure.per_period:
        return False
    units = [o.unit for o in observations if site.observation_date(o) is not None]
    return len(units) >= 2 and max(units.count(u) for u in set(units)) >= 2


def _when(date: PartialDate):
    """Where a partial date sits on the axis: the middle of its month or year."""
    first, last = date.first_day, date.last_day
    return first + (last - first) / 2


def series_key(obs: Observation) -> str:
    return obs.according_to or f"source:{obs.source}"


def csv_path(place_kind: str, place_id: str, figure_id: str) -> str:
    return f"data/charts/{place_kind}-{place_id}-{figure_id}.csv"


def chart_csv(site: Site, place_kind: str, place_id: str, figure: Figure, observations: Iterable[Observation]) -> bytes:
    """The values behind a chart, one row each, in the long format of observations.csv."""
    from portal.publish.exports import neutralise  # render/ needs publish/ only for a chart's CSV (no cycle)

    buffer = io.StringIO(newline="")
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(["place_type", "place_id", "figure", "series", "value", "unit", "qualifier", "date", "date_of", "source", "according_to", "plotted"])
    for obs in observations:
        date = site.observation_date(obs)
        date_of = "as_of" if obs.as_of else ("source_published" if date else "")
        who = site.actors[obs.according_to].short_name.get("en") if obs.according_to else site.sources[obs.source].publisher
        writer.writerow([place_kind, place_id, figure.id, neutralise(who), obs.value, obs.unit, obs.qualifier or "", date.iso if date else "", date_of, obs.source, obs.according_to or "", "true" if date else "false"])
    return buffer.getvalue().encode("utf-8")


class Charts:
    """Charts for one edition (its language, number and date formats)."""

    def __init__(self, views: Views):
        self.views = views
        self.site = views.site
        language = views.language
        self._ = language.gettext
        locale = language.locale

        @lru_cache(maxsize=4096)
        def short(value: float) -> str:
            if abs(value) >= 10000:
                return format_compact_decimal(value, locale=locale, fraction_digits=1)
            return language.number(int(value) if float(value).is_integer() else value)

        self.short = short

    def who(self, obs: Observation) -> str:
        if obs.according_to:
            return self.views.t(self.site.actors[obs.according_to].short_name)
        return self.views.language.publisher(self.site.sources[obs.source])

    def chart(self, figure: Figure, observations: tuple[Observation, ...], place_kind: str, place_id: str, chart_id: str) -> ChartView | None:
        if not chartable(self.site, figure, observations):
            return None
        _, views = self._, self.views
        unit, groups, not_plotted = self._groups(observations)
        if sum(len(g) for g in groups.values()) < 2:
            return None
        series, sentences, flagged = self._series(groups)
        title = _("%(figure)s over time", figure=views.t(figure.label))
        plotted = sum(len(g) for g in groups.values())
        intro = views.language.ngettext(
            "%(num)s dated value from %(series)s source or speaker.", "%(num)s dated values from %(series)s sources or speakers.", plotted, series=views.number(len(groups))
        )
        description = " ".join([intro, *sentences])
        language = views.language
        svg = charts.svg(
            series,
            chart_id=chart_id,
            title=title,
            description=description,
            axis_label=_(CHART_UNIT[unit]),
            short_number=self.short,
            year_label=str,
            date_label=lambda d: language.date(PartialDate(d.year, d.month)),
            maximum=100 if unit == "percent" else None,
        )
        return ChartView(chart_id, title, svg, description, not_plotted, csv_path(place_kind, place_id, figure.id), tuple(flagged))

    def _groups(self, observations: tuple[Observation, ...]) -> tuple[str, dict[str, list[Observation]], list[str]]:
        """(the chart's unit, the dated values in it by series, the others as the reader reads them)."""
        _, views, site = self._, self.views, self.site
        dated = [o for o in observations if site.observation_date(o) is not None]
        units = [o.unit for o in dated]
        unit = max(dict.fromkeys(units), key=units.count)  # the most common unit; the first on a tie
        groups: dict[str, list[Observation]] = {}
        not_plotted = []
        for obs in observations:
            date = site.observation_date(obs)
            if date is None:
                not_plotted.append(_("%(value)s %(who)s (no date given)", value=views.value(obs), who=views.claimant(obs)))
            elif obs.unit != unit:
                not_plotted.append(_("%(value)s %(who)s (given in another unit)", value=views.value(obs), who=views.claimant(obs)))
            else:
                groups.setdefault(series_key(obs), []).append(obs)
        return unit, groups, not_plotted

    def _series(self, groups: dict[str, list[Observation]]) -> tuple[list[charts.Series], list[str], dict[tuple[str, str], None]]:
        """(each group as a series, oldest first; a sentence on each; the (series name, source) of
        values whose source has caveats, whose series' names get "(!)")."""
        _, views, site = self._, self.views, self.site
        series = []
        sentences = []
        flagged: dict[tuple[str, str], None] = {}
        for group in groups.values():
            for obs in group:
                if getattr(site.sources[obs.source], "caveats", ()):
                    flagged[(self.who(obs), obs.source)] = None
            group.sort(key=lambda o: site.observation_date(o).last_day)
            who = self.who(group[0])
            marked = who + (" (!)" if any((who, o.source) in flagged for o in group) else "")
            series.append(charts.Series(marked, tuple(charts.Point(_when(site.observation_date(o)), float(o.value), views.value(o)) for o in group)))
            first, last = group[0], group[-1]
            if len(group) == 1:
                sentences.append(_("%(who)s: %(value)s (%(date)s), one value.", who=who, value=views.value(first), date=views.date(site.observation_date(first))))
            else:
                trend = "up" if last.value > first.value else "down" if last.value < first.value else "flat"
                sentences.append(
                    _(
                        "%(who)s: from %(first)s (%(start)s) to %(last)s (%(end)s), %(trend)s.",
                        who=who,
                        first=views.value(first),
                        start=views.date(site.observation_date(first)),
                        last=views.value(last),
                        end=views.date(site.observation_date(last)),
                        trend=_(TREND[trend]),
                    )
                )
        return series, sentences, flagged

    def csv_files(self) -> Iterable[tuple[str, bytes]]:
        """Every chart's CSV (the same in every edition: English labels)."""
        for kind, places in (("country", self.site.countries.values()), ("region", self.site.regions.values())):
            for place in places:
                for s in place.figures:
                    figure = self.site.figures[s.figure]
                    if chartable(self.site, figure, s.observations):
                        yield csv_path(kind, place.id, figure.id), chart_csv(self.site, kind, place.id, figure, s.observations)



def csv_paths(site: Site) -> list[str]:
    """Where :meth:`Charts.csv_files` puts its files, without making them."""
    out = []
    for kind, places in (("country", site.countries.values()), ("region", site.regions.values())):
        for place in places:
            for s in place.figures:
                if chartable(site, site.figures[s.figure], s.observations):
                    out.append(csv_path(kind, place.id, s.figure))
    return out
