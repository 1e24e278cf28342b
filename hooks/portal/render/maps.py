"""What the maps show: the figure, its classes and legend, the layers the live map fetches, and
the same map as a static SVG made at build time (for readers without JavaScript, and for print).

- The default figure is the one with a value for the most regions (newest value per region),
  ties broken by the order of ``data/figures.yml``: a figure that only a few districts have does
  not become the map's default because a template names it.
- Classes: quartiles of the newest values, rounded to two significant digits (fixed quarters
  for percentages), the same for every map of an edition, so that a colour means the same on
  the home page and on a district page. "No value" is a hatch pattern, not only a colour.
- Layers (static files of the built site): ``map/regions.geojson`` (every region's shape, its
  name and label point), ``map/values-<figure>.json`` (each region's newest value, date, who
  says so and the source's caveat, as text, with the figure's legend), and for each district
  page ``map/near/<region>.json``: the region and its neighbours only, with the values of every
  figure, so that a district page's weight does not grow with the number of regions.
- The SVG uses the live map's projection (spherical Web Mercator, as Leaflet's default CRS) and
  the same classes; every text in it is escaped.

This module holds what both kinds of map share (places, figures, classes, legends, popups'
values, neighbourhoods); :mod:`portal.render.maplayers` writes the live map's files and
:mod:`portal.render.mapsvg` draws the static SVG. :class:`Maps` is what the pages use of all three.

Hand-written rather than a library: the SVG is a few paths, circles and texts in one projection,
and the classes are quartiles; matplotlib or a GIS stack would add far more than they save.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path
from typing import Any

from markupsafe import Markup

from portal.model.model import Figure, Region, Site

BASE_LAYER = Path(__file__).resolve().parents[3] / "overrides" / "assets" / "map" / "countries.geojson"
PALETTE = ("#ffffcc", "#a1dab4", "#41b6c4", "#225ea8")  # ColorBrewer YlGnBu, 4 classes: light to dark
NEIGHBOURS = 8  # at most this many other regions on a district page's map (the touching ones first)
SVG_WIDTH = 460  # user units; texts are 14 units high: about 10 px on a phone, 19 px at the widest
SVG_LABELS = 60  # an overview with more regions labels only its largest areas (the table names all)
PRECISION = 4  # decimals of the live map's coordinates (about 10 m)
# The country outlines under every map (overrides/assets/map/, see its ATTRIBUTION.md): Natural
# Earth's, in the public domain; credited with the district boundaries' sources (Maps.attribution).
OUTLINE_CREDIT = ("Natural Earth", "public-domain")


@dataclass(frozen=True)
class Place:
    """A region as the maps draw it: its area (boundary) or its main town (point)."""

    id: str
    name: str
    geometry: dict  # GeoJSON: Polygon/MultiPolygon of its boundary, or the town's Point
    label: tuple[float, float]  # lon, lat where its name goes
    bounds: tuple[float, float, float, float]  # west, south, east, north
    area: float  # in square degrees; 0 for a point

    @property
    def is_area(self) -> bool:
        return self.area > 0


def mercator(lon: float, lat: float) -> tuple[float, float]:
    """Spherical Web Mercator (EPSG:3857, Leaflet's default), in units of the world's width."""
    lat = max(min(lat, 85.0), -85.0)
    return (lon + 180.0) / 360.0, (1.0 - math.log(math.tan(math.radians(lat)) + 1.0 / math.cos(math.radians(lat))) / math.pi) / 2.0


def attribution(site: Site, language: Any) -> str:
    """Who drew the maps' boundaries, each with its licence in the edition's words, once: the
    outlines' publisher, then the publishers of data/geo/'s boundaries (their sources' publisher
    and licence fields): "Boundaries: Natural Earth (public domain)"."""
    publisher, licence = OUTLINE_CREDIT
    credits = [language.gettext("%(publisher)s (%(licence)s)", publisher=publisher, licence=language.licence(licence))]
    for feature in site.geo:
        if feature.kind == "boundary" and feature.source in site.sources:
            credit = language.publisher(site.sources[feature.source])
            if credit not in credits:
                credits.append(credit)
    return language.gettext("Boundaries: %(publishers)s", publishers=", ".join(credits))


def _nice(value: float) -> float:
    """A value rounded to two significant digits (the classes' limits)."""
    if value <= 0:
        return 0
    digits = 10 ** (math.floor(math.log10(value)) - 1)
    return round(value / digits) * digits


class Maps:
    """The maps of one edition (its texts come from ``views``)."""

    def __init__(self, site: Site, views: Any):
        self.site = site
        self.views = views
        self._ = views._

    # -- places and values -----------------------------------------------------------------

    @cached_property
    def places(self) -> dict[str, Place]:
        from shapely.geometry import shape
        from shapely.ops import polylabel, unary_union

        out = {}
        for region in self.site.regions.values():
            areas = self.site.features_of(region.id, "boundary")
            name = self.views.t(region.name)
            if areas:
                geometry = unary_union([shape(f.geometry) for f in areas]) if len(areas) > 1 else shape(areas[0].geometry)
                largest = max(getattr(geometry, "geoms", [geometry]), key=lambda g: g.area)
                point = polylabel(largest, tolerance=0.005) if largest.area > 1e-6 else largest.representative_point()
                gj = geometry.__geo_interface__
                out[region.id] = Place(region.id, name, _rounded(gj), (point.x, point.y), geometry.bounds, geometry.area)
                continue
            town = self.site.main_town(region.id)
            if town:
                lon, lat = town.geometry["coordinates"][:2]
                out[region.id] = Place(region.id, name, {"type": "Point", "coordinates": [round(lon, PRECISION), round(lat, PRECISION)]}, (lon, lat), (lon, lat, lon, lat), 0.0)
        return out

    def newest(self, region: Region, figure_id: str):
        """The newest observations of a figure for a region (several when they share a date)."""
        observations = region.series(figure_id)
        return self.site.latest(observations) if observations else ()

    @cached_property
    def counts(self) -> dict[str, int]:
        """For each figure, how many regions on the maps have a value."""
        return {
            figure.id: sum(1 for rid in self.places if self.site.regions[rid].series(figure.id))
            for figure in self.site.figures.values()
        }

    @cached_property
    def figures(self) -> list[Figure]:
        """The figures a reader can switch to: those that at least one region on the maps has."""
        return [f for f in self.site.figures.values() if self.counts[f.id]]

    @cached_property
    def default_figure(self) -> str:
        """The figure with a value for the most regions; among those, the one with the most dated
        newest values; then the first in data/figures.yml."""

        def dated(figure: Figure) -> int:
            return sum(
                1
                for rid in self.places
                for o in self.newest(self.site.regions[rid], figure.id)[:1]
                if self.site.observation_date(o) is not None
            )

        ranked = sorted(self.site.figures.values(), key=lambda f: (-self.counts[f.id], -dated(f)))  # stable: keeps the file's order
        return ranked[0].id if ranked else ""

    def classes(self, figure: Figure) -> list[float]:
        """The lower limits of the classes (the first is the smallest value, or 0)."""
        if figure.kind == "percent":
            return [0, 25, 50, 75]
        values = sorted({float(self.newest(self.site.regions[rid], figure.id)[0].value) for rid in self.places if self.site.regions[rid].series(figure.id)})
        if not values:
            return [0]
        if len(values) <= len(PALETTE):
            limits = values
        else:
            limits = [values[0]] + [values[round(i * (len(values) - 1) / len(PALETTE))] for i in range(1, len(PALETTE))]
        out: list[float] = []
        for limit in limits:
            limit = _nice(limit) if out else min(limit, _nice(limit))
            if not out or limit > out[-1]:
                out.append(limit)
        return out

    @staticmethod
    def class_of(value: float, limits: list[float]) -> int:
        return max([i for i, low in enumerate(limits) if value >= low] or [0])

    def colours(self, limits: list[float]) -> list[str]:
        """As many colours as classes, spread over the palette (two classes: light and dark)."""
        n = len(limits)
        if n == 1:
            return [PALETTE[2]]
        return [PALETTE[round(i * (len(PALETTE) - 1) / (n - 1))] for i in range(n)]

    def _amount(self, value: float, figure: Figure) -> str:
        from portal.render.formatting import format_amount

        return format_amount(value, figure.units[0], None, self.views.language)

    def legend(self, figure: Figure) -> dict[str, Any]:
        """The legend of a figure: title with unit, classes, no value, dates and sources."""
        from portal.render.formatting import UNIT_HEADINGS

        _ = self._
        limits = self.classes(figure)
        colours = self.colours(limits)
        rows = []
        for i, low in enumerate(limits):
            if figure.kind == "percent":
                high = limits[i + 1] if i + 1 < len(limits) else 100
                label = _("%(low)s to %(high)s", low=self.views.language.percent(low), high=self.views.language.percent(high))
            elif i + 1 < len(limits):
                label = _("%(low)s to under %(high)s", low=self._amount(low, figure), high=self._amount(limits[i + 1], figure))
            else:
                label = _("%(value)s or more", value=self._amount(low, figure))
            rows.append({"colour": colours[i], "label": label})
        regions = [self.site.regions[rid] for rid in self.places]
        newest = [o for r in regions for o in self.newest(r, figure.id)[:1]]
        dates = sorted((d for d in (self.site.observation_date(o) for o in newest) if d is not None), key=lambda d: d.last_day)
        undated = len(newest) - len(dates)
        if dates:
            first, last = self.views.date(dates[0]), self.views.date(dates[-1])
            if figure.per_period:  # each value counts a period: say when the periods end
                when = _("Periods ending %(date)s", date=first) if first == last else _("Periods ending from %(first)s to %(last)s", first=first, last=last)
            else:
                when = _("Values dated %(date)s", date=first) if first == last else _("Values dated from %(first)s to %(last)s", first=first, last=last)
            if undated:
                when += "; " + self.views.language.ngettext("%(num)s value gives no date", "%(num)s values give no date", undated)
        else:
            when = _("No value gives a date")
        sources = {o.source for o in newest}
        if len(sources) > 1:
            said = _("Values come from %(num)s different sources and dates: compare them with care.", num=self.views.number(len(sources)))
        else:
            said = _("All values come from one source, %(publisher)s.", publisher=self.views.language.publisher(self.site.sources[next(iter(sources))])) if sources else ""
        missing = len(regions) - len(newest)
        return {
            "id": figure.id,
            "title": self.views.t(figure.label),
            "unit": self._(UNIT_HEADINGS[figure.units[0]]),
            "limits": limits,
            "classes": rows,
            "none": self._("Hatched: no value") if missing else "",
            "dates": when + ". " + self.views.language.ngettext(
                "%(num)s of %(total)s districts on the maps has a value.", "%(num)s of %(total)s districts on the maps have a value.", len(newest), total=self.views.number(len(regions))
            ),
            "sources": said,
            "count": len(newest),
        }

    def value(self, region: Region, figure: Figure, limits: list[float]) -> dict[str, Any] | None:
        """What a popup says of one region's figure, as text: value, date, who, caveat."""
        cache = self.__dict__.setdefault("_values", {})
        key = (region.id, figure.id, tuple(limits))
        if key not in cache:
            cache[key] = self._value(region, figure, limits)
        return cache[key]

    def _value(self, region: Region, figure: Figure, limits: list[float]) -> dict[str, Any] | None:
        latest = self.newest(region, figure.id)
        if not latest:
            return None
        obs = latest[0]
        view = self.views.observation(obs)
        source = self.site.sources[obs.source]
        if obs.according_to:
            who = self._("%(claim)s, reported by %(publisher)s", claim=view.claimant, publisher=self.views.language.publisher(source))
        else:
            who = view.claimant
        # c: class, t: value, d: date, a: its age ("3 years old"), s: older than the figure's
        # stale_after_months, w: who says so, k: the source's caveat, o: other values
        out: dict[str, Any] = {"c": self.class_of(float(obs.value), limits), "t": view.value, "d": view.period or view.date, "w": who}
        if view.age:
            out["a"] = view.age
        if view.stale:
            out["s"] = 1
        caveat = self.caveat(source)
        if caveat:
            out["k"] = caveat
        if len(latest) > 1:
            out["o"] = self.views.language.ngettext(
                "%(num)s other value of the same date: see the district page", "%(num)s other values of the same date: see the district page", len(latest) - 1
            )
        return out

    def caveat(self, source) -> str:
        """The source's caveat, in words: its caveat_note, else a plain generic label (the short
        labels of the caveat codes belong to the reader pages)."""
        if source.caveat_note:
            return self.views.t(source.caveat_note)
        if source.caveats:
            return self._("The source of this value has caveats: see the sources page.")
        return ""

    @cached_property
    def attribution(self) -> str:
        return attribution(self.site, self.views.language)

    def words(self) -> dict[str, str]:
        return {
            "date": self._("Date"),
            "who": self._("Who says so"),
            "caveat": self._("Caveat"),
            "none": self._("no value"),
            "page": self._("District page"),
            "figure": self._("Figure shown"),
            "legend": self._("Legend"),
        }

    def near(self, region_id: str) -> list[str]:
        """The region and its neighbours (:class:`Neighbourhoods`); [] for a region not on the maps."""
        return self._neighbourhoods.near(region_id)

    @cached_property
    def _neighbourhoods(self) -> Neighbourhoods:
        return Neighbourhoods(self.places)

    def legend_cached(self, figure: Figure) -> dict[str, Any]:
        cache = self.__dict__.setdefault("_legends", {})
        if figure.id not in cache:
            cache[figure.id] = self.legend(figure)
        return cache[figure.id]

    # -- the live map's files and the static SVG ---------------------------------------------

    @cached_property
    def layers(self):
        from portal.render.maplayers import MapLayers

        return MapLayers(self)

    @cached_property
    def static(self):
        from portal.render.mapsvg import StaticMap

        return StaticMap(self)

    def files(self) -> dict[str, str]:
        """Every file the live maps fetch: path in the site -> text (portal.render.maplayers)."""
        return self.layers.files()

    def paths(self) -> list[str]:
        """Where :meth:`files` puts its files, without making them."""
        return self.layers.paths()

    def svg(self, focus: list[str], figure_id: str, title: str, near: bool = False) -> Markup:
        """The map as an SVG image, drawn as the live map draws it (portal.render.mapsvg)."""
        return self.static.svg(focus, figure_id, title, near)


class Neighbourhoods:
    """Which regions a district page's map draws beside its own (at most NEIGHBOURS)."""

    def __init__(self, places: dict[str, Place]):
        self.places = places
        self._near: dict[str, list[str]] = {}

    @cached_property
    def _index(self):
        """An R-tree of the places' shapes and their label points (for the neighbours)."""
        import numpy
        from shapely import STRtree
        from shapely.geometry import shape

        ids = list(self.places)
        shapes = [shape(self.places[i].geometry) for i in ids]
        centres = numpy.array([self.places[i].label for i in ids]) if ids else numpy.zeros((0, 2))
        return ids, shapes, STRtree(shapes), centres

    @cached_property
    def _touching(self) -> list[list[int]]:
        """For each place, the places whose shape comes within 0.01° of its own: one query of
        the R-tree for all of them (one a page cost a tenth of a millisecond each)."""
        import numpy
        import shapely

        ids, shapes, tree, _ = self._index
        if not ids:
            return []
        mine, theirs = tree.query(shapely.buffer(numpy.array(shapes, dtype=object), 0.01), predicate="intersects")
        out: list[list[int]] = [[] for _ in ids]
        for me, other in zip(mine.tolist(), theirs.tolist(), strict=True):
            if me != other:
                out[me].append(other)
        return out

    def near(self, region_id: str) -> list[str]:
        """The region and its neighbours: those whose area touches its own, then the nearest by
        their label points, NEIGHBOURS in all at most."""
        import numpy

        cache = self._near
        if region_id in cache:
            return cache[region_id]
        ids, shapes, tree, centres = self._index
        if region_id not in self.places:
            return []
        me = self._position[region_id]
        touching = self._touching[me]
        distance = numpy.hypot(*(centres - centres[me]).T)
        k = min(NEIGHBOURS + 1, len(ids))
        closest = numpy.argpartition(distance, k - 1)[:k] if k < len(ids) else numpy.arange(len(ids))
        nearest = [int(i) for i in sorted(closest, key=lambda i: (distance[i], i)) if int(i) != me]
        chosen: list[int] = []
        for i in sorted(touching, key=lambda i: distance[i]) + nearest:
            if i not in chosen and len(chosen) < NEIGHBOURS:
                chosen.append(i)
        cache[region_id] = [region_id] + [ids[i] for i in chosen]
        return cache[region_id]

    @cached_property
    def _position(self) -> dict[str, int]:
        return {rid: i for i, rid in enumerate(self._index[0])}


def caption_id(where: str, figure: str) -> str:
    """The id of a map's caption (its safety notice), which the SVG and the live map point to."""
    return f"portal-map-caption-{where}-{figure}"


def _rounded(geometry: dict) -> dict:
    def walk(value):
        if isinstance(value, (list, tuple)) and value and isinstance(value[0], (int, float)):
            return [round(value[0], PRECISION), round(value[1], PRECISION)]
        return [walk(v) for v in value]

    return {"type": geometry["type"], "coordinates": walk(geometry["coordinates"])}
