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

Hand-written rather than a library: the SVG is a few paths, circles and texts in one projection,
and the classes are quartiles; matplotlib or a GIS stack would add far more than they save.
"""

from __future__ import annotations

import json
import math
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path
from typing import Any

from markupsafe import Markup, escape

from portal.model.model import Figure, Region, Site

BASE_LAYER = Path(__file__).resolve().parents[3] / "overrides" / "assets" / "map" / "countries.geojson"
PALETTE = ("#ffffcc", "#a1dab4", "#41b6c4", "#225ea8")  # ColorBrewer YlGnBu, 4 classes: light to dark
NEIGHBOURS = 8  # at most this many other regions on a district page's map (the touching ones first)
SVG_WIDTH = 460  # user units; texts are 14 units high: about 10 px on a phone, 19 px at the widest
SVG_LABELS = 60  # an overview with more regions labels only its largest areas (the table names all)
PRECISION = 4  # decimals of the live map's coordinates (about 10 m)


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

    # -- the live map's files --------------------------------------------------------------

    def _feature(self, place: Place) -> dict[str, Any]:
        properties: dict[str, Any] = {"name": place.name}
        if place.is_area:  # a point's name goes at the point
            properties["label"] = [round(place.label[0], PRECISION), round(place.label[1], PRECISION)]
        return {"type": "Feature", "id": place.id, "properties": properties, "geometry": place.geometry}

    def files(self) -> dict[str, str]:
        """Every file the live maps fetch: path in the site -> text."""
        out = {"map/regions.geojson": self.overview()}
        for figure in self.figures:
            out[f"map/values-{figure.id}.json"] = self.values(figure)  # not GeoJSON: values by region id
        for rid in self.places:
            out[f"map/near/{rid}.geojson"] = self.near_file(rid)
        return out

    def paths(self) -> list[str]:
        return ["map/regions.geojson", *(f"map/values-{f.id}.json" for f in self.figures), *(f"map/near/{rid}.geojson" for rid in self.places)]

    def overview(self) -> str:
        layer = {
            "type": "FeatureCollection",
            "default": self.default_figure,
            "figures": [{"id": f.id, "label": self.views.t(f.label), "count": self.counts[f.id]} for f in self.figures],
            "words": self.words(),
            "features": [self._feature(p) for p in self.places.values()],
        }
        return _dumps(layer)

    def values(self, figure: Figure) -> str:
        legend = self.legend_cached(figure)
        values = {}
        for rid in self.places:
            v = self.value(self.site.regions[rid], figure, legend["limits"])
            if v:
                values[rid] = v
        return _dumps({"legend": legend, "values": values})

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

    def near(self, region_id: str) -> list[str]:
        """The region and its neighbours: those whose area touches its own, then the nearest by
        their label points, NEIGHBOURS in all at most."""
        import numpy

        cache = self.__dict__.setdefault("_near", {})
        if region_id in cache:
            return cache[region_id]
        ids, shapes, tree, centres = self._index
        if region_id not in self.places:
            return []
        me = self._position[region_id]
        touching = [int(i) for i in tree.query(shapes[me].buffer(0.01), predicate="intersects") if int(i) != me]
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

    def near_file(self, region_id: str) -> str:
        ids = self.near(region_id)
        legends, values = {}, {}
        for figure in self.figures:
            legend = self.legend_cached(figure)
            legends[figure.id] = legend
            values[figure.id] = {rid: v for rid in ids if (v := self.value(self.site.regions[rid], figure, legend["limits"]))}
        layer = {
            "type": "FeatureCollection",
            "focus": region_id,
            "default": self.default_figure,
            "figures": [{"id": f.id, "label": self.views.t(f.label), "count": self.counts[f.id]} for f in self.figures],
            "words": self.words(),
            "legends": legends,
            "values": values,
            "features": [self._feature(self.places[rid]) for rid in ids],
        }
        return _dumps(layer)

    def legend_cached(self, figure: Figure) -> dict[str, Any]:
        cache = self.__dict__.setdefault("_legends", {})
        if figure.id not in cache:
            cache[figure.id] = self.legend(figure)
        return cache[figure.id]

    # -- the static SVG --------------------------------------------------------------------

    @cached_property
    def _countries(self) -> list:
        from shapely.geometry import shape

        return [shape(f["geometry"]) for f in json.loads(BASE_LAYER.read_text("utf-8"))["features"]]

    def view(self, focus: list[str], near: bool) -> tuple[list[str], list[str]]:
        """(the regions a map draws, those it fits to): a district page draws its region and
        neighbours; other maps draw every region, fitted to the focus and its neighbours if any."""
        focus = [rid for rid in focus if rid in self.places]
        if near and focus:
            ids = self.near(focus[0])
            return ids, ids
        fit: list[str] = []
        for rid in focus:
            fit += [i for i in self.near(rid) if i not in fit]
        return list(self.places), fit or list(self.places)

    def svg(self, focus: list[str], figure_id: str, title: str, near: bool = False) -> Markup:
        """The map as an SVG image, drawn as the live map draws it."""
        import shapely

        ids, fit = self.view(focus, near)
        if not ids:
            return Markup("")
        figure = self.site.figures[figure_id]
        legend = self.legend_cached(figure)
        colours = self.colours(legend["limits"])
        places = [self.places[i] for i in ids]
        fitted = [self.places[i] for i in fit]
        west = min(p.bounds[0] for p in fitted)
        south = min(p.bounds[1] for p in fitted)
        east = max(p.bounds[2] for p in fitted)
        north = max(p.bounds[3] for p in fitted)
        pad = max(east - west, north - south, 0.2) * 0.08
        west, south, east, north = west - pad, south - pad, east + pad, north + pad
        (x0, y1), (x1, y0) = mercator(west, south), mercator(east, north)
        width = SVG_WIDTH
        height = max(min(width * (y1 - y0) / (x1 - x0), width * 1.25), width * 0.5)
        # centre the area in a frame of that shape
        scale = min(width / (x1 - x0), height / (y1 - y0))
        ox = (width - scale * (x1 - x0)) / 2 - scale * x0
        oy = (height - scale * (y1 - y0)) / 2 - scale * y0

        def xy(lon: float, lat: float) -> tuple[float, float]:
            mx, my = mercator(lon, lat)
            return mx * scale + ox, my * scale + oy

        def path(geometry) -> str:
            parts = []
            for polygon in getattr(geometry, "geoms", [geometry]):
                for ring in [polygon.exterior, *polygon.interiors]:
                    points: list[str] = []
                    for lon, lat in ring.coords:
                        x, y = xy(lon, lat)
                        point = f"{x:.0f} {y:.0f}"
                        if not points or point != points[-1]:
                            points.append(point)
                    if len(points) > 3:
                        parts.append("M" + " ".join(points) + "Z")
            return "".join(parts)

        # the view's longitude/latitude box, wider than the drawn area (the frame's shape)
        inverse_w = ((-ox) / scale) * 360 - 180
        inverse_e = ((width - ox) / scale) * 360 - 180
        frame = (inverse_w, south - pad * 4, inverse_e, north + pad * 4)
        n = _Ids("-".join(focus) or "all", figure_id)
        out = [
            f'<svg class="portal-map-svg" xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height:.0f}" role="img" aria-labelledby="{n.title}" aria-describedby="{n.caption}">',
            f'<title id="{n.title}">{escape(title)}</title>',
            f'<defs><pattern id="{n.hatch}" width="8" height="8" patternUnits="userSpaceOnUse" patternTransform="rotate(45)">'
            '<rect width="8" height="8" fill="#ffffff"/><line x1="0" y1="0" x2="0" y2="8" stroke="#6b7280" stroke-width="3"/></pattern></defs>',
            f'<rect width="{width}" height="{height:.0f}" fill="#dde6ee"/>',
        ]
        for country in self._countries:
            clipped = shapely.clip_by_rect(country, *frame)
            if not clipped.is_empty and clipped.geom_type in ("Polygon", "MultiPolygon"):
                d = path(clipped)
                if d:
                    out.append(f'<path d="{d}" fill="#eef0f2" stroke="#5c6770" stroke-width="0.8"/>')
        values = {rid: self.value(self.site.regions[rid], figure, legend["limits"]) for rid in ids}
        from shapely.geometry import shape

        towns: dict[tuple[str, str, int], list[str]] = {}  # circles grouped by their style: many regions, few bytes
        for place in sorted(places, key=lambda p: p.id in focus):
            v = values[place.id]
            fill = colours[v["c"]] if v else f"url(#{n.hatch})"
            stroke, stroke_width = ("#111827", 3) if place.id in focus else ("#374151", 1)
            if place.is_area:
                out.append(f'<path d="{path(shape(place.geometry))}" fill="{fill}" stroke="{stroke}" stroke-width="{stroke_width}"/>')
            else:
                x, y = xy(*place.label)
                towns.setdefault((fill, stroke, stroke_width), []).append(f'<circle cx="{x:.0f}" cy="{y:.0f}" r="5"/>')
        for (fill, stroke, stroke_width), circles in towns.items():
            out.append(f'<g fill="{fill}" stroke="{stroke}" stroke-width="{stroke_width}">' + "".join(circles) + "</g>")
        out.extend(self._labels(places, focus, xy, width, height))
        out.append("</svg>")
        return Markup("".join(out))

    def _labels(self, places: list[Place], focus: list[str], xy, width: float, height: float) -> list[str]:
        """Names, largest areas first (the focus first of all), leaving out any that would cover
        another or cross the frame."""
        size = 14
        taken: list[tuple[float, float, float, float]] = []
        out = []
        order = sorted(places, key=lambda p: (p.id not in focus, not p.is_area, -p.area, p.name))
        for place in order[:SVG_LABELS] if len(order) > SVG_LABELS else order:
            x, y = xy(*place.label)
            if not place.is_area:
                y -= 9  # above the town's circle
            w = 0.58 * size * len(place.name) + 4
            box = (x - w / 2, y - size * 0.8, x + w / 2, y + size * 0.35)
            if box[0] < 2 or box[2] > width - 2 or box[1] < 2 or box[3] > height - 2:
                continue
            if any(box[0] < b[2] and b[0] < box[2] and box[1] < b[3] and b[1] < box[3] for b in taken):
                continue
            taken.append(box)
            weight = ' font-weight="700"' if place.id in focus else ""
            out.append(f'<text x="{x:.1f}" y="{y:.1f}" font-size="{size}"{weight} text-anchor="middle" class="portal-map-svg__label">{escape(place.name)}</text>')
        return out


class _Ids:
    """Ids for the SVG's title and pattern, from what the map shows: the same in every build
    (pages are made in two processes, and must come out byte for byte the same)."""

    def __init__(self, where: str, figure: str):
        self.title = f"portal-map-svg-{where}-{figure}"
        self.hatch = f"portal-map-hatch-{where}-{figure}"
        self.caption = caption_id(where, figure)


def caption_id(where: str, figure: str) -> str:
    """The id of a map's caption (its safety notice), which the SVG and the live map point to."""
    return f"portal-map-caption-{where}-{figure}"


def _rounded(geometry: dict) -> dict:
    def walk(value):
        if isinstance(value, (list, tuple)) and value and isinstance(value[0], (int, float)):
            return [round(value[0], PRECISION), round(value[1], PRECISION)]
        return [walk(v) for v in value]

    return {"type": geometry["type"], "coordinates": walk(geometry["coordinates"])}


def _dumps(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False, separators=(",", ":"))

