"""The static map: an SVG drawn at build time, for readers without JavaScript and for print.

It uses the live map's projection (spherical Web Mercator, as Leaflet's default CRS) and the
classes of :class:`portal.render.maps.Maps`; every text in it is escaped. A district page draws
its region and neighbours, fitted to them; other maps draw every region.

What it costs, and what it weighs. Every shape is projected once per build (the regions' and
the base layer's countries, with shapely's vectorised functions), not once per page. On each
page the shapes are scaled to the frame, simplified to half a unit of the SVG's 460-unit width
(the frame is at most about 700 px wide, so nothing moves by more than a pixel), rounded to
whole units, and written as relative path commands ("l-5 3 7 5"), which are about a third
shorter than absolute ones and compress better. Countries are clipped to the frame (plus a
margin wider than their stroke), since what lies outside it is never seen.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass
from functools import cached_property
from typing import TYPE_CHECKING, Any

from markupsafe import Markup, escape

if TYPE_CHECKING:  # pragma: no cover
    from portal.render.maps import Maps, Place

SVG_WIDTH = 460  # user units; texts are 14 units high: about 10 px on a phone, 19 px at the widest
SVG_LABELS = 60  # an overview with more regions labels only its largest areas (the table names all)
SIMPLIFY = 0.5  # user units: how far a simplified outline may stray from the drawn one
MARGIN = 4  # user units around the frame that clipped outlines keep (wider than their stroke)


def project(coords):
    """:func:`portal.render.maps.mercator` on an array of (lon, lat) rows, in one go."""
    import numpy

    lon, lat = coords[:, 0], numpy.radians(numpy.clip(coords[:, 1], -85.0, 85.0))
    return numpy.column_stack(((lon + 180.0) / 360.0, (1.0 - numpy.log(numpy.tan(lat) + 1.0 / numpy.cos(lat)) / numpy.pi) / 2.0))


@dataclass(frozen=True)
class Frame:
    """Where the map's area goes in the SVG: its size, and the projection's scale and offset."""

    width: float
    height: float
    scale: float
    ox: float
    oy: float

    def at(self, projected: tuple[float, float]) -> tuple[float, float]:
        """Where a projected point goes in the SVG."""
        return projected[0] * self.scale + self.ox, projected[1] * self.scale + self.oy

    def clip_box(self) -> tuple[float, float, float, float]:
        """The frame and its margin, in projected units."""
        s = self.scale
        return (-MARGIN - self.ox) / s, (-MARGIN - self.oy) / s, (self.width + MARGIN - self.ox) / s, (self.height + MARGIN - self.oy) / s

    def paths(self, geometries) -> list[str]:
        """Each projected geometry as the ``d`` of one SVG path: scaled to the frame, simplified,
        rounded to whole units, each ring closed and written in relative commands ("" when every
        ring is smaller than a unit or two)."""
        import numpy
        import shapely

        if not len(geometries):
            return []

        offset = numpy.array([self.ox, self.oy])
        drawn = shapely.simplify(shapely.transform(geometries, lambda c: c * self.scale + offset), SIMPLIFY, preserve_topology=True)
        parts, part_of = shapely.get_parts(drawn, return_index=True)
        rings, ring_of = shapely.get_rings(parts, return_index=True)
        coords, coord_of = shapely.get_coordinates(rings, return_index=True)
        points = numpy.rint(coords).astype(numpy.int64)
        keep = numpy.ones(len(points), dtype=bool)  # not the same as the point before it in its ring
        keep[1:] = (points[1:] != points[:-1]).any(axis=1) | (coord_of[1:] != coord_of[:-1])
        points, coord_of = points[keep], coord_of[keep]
        starts = numpy.searchsorted(coord_of, numpy.arange(len(rings) + 1))
        out = [""] * len(geometries)
        for ring in range(len(rings)):
            ring_points = points[starts[ring] : starts[ring + 1]]
            if len(ring_points) > 1 and (ring_points[0] == ring_points[-1]).all():
                ring_points = ring_points[:-1]  # "z" closes the ring
            if len(ring_points) < 3:
                continue
            steps = " ".join(map(str, (ring_points[1:] - ring_points[:-1]).ravel().tolist())).replace(" -", "-")
            out[part_of[ring_of[ring]]] += f"M{ring_points[0][0]} {ring_points[0][1]}l{steps}z"
        return out


class StaticMap:
    """The static SVG maps of one edition."""

    def __init__(self, maps: Maps):
        self.maps = maps

    @cached_property
    def _countries(self):
        """The base layer's countries (overrides/assets/map/countries.geojson), projected."""
        import numpy
        import shapely
        from shapely.geometry import shape

        from portal.render.maps import BASE_LAYER

        shapes = [shape(f["geometry"]) for f in json.loads(BASE_LAYER.read_text("utf-8"))["features"]]
        projected = shapely.transform(numpy.array(shapes, dtype=object), project)
        return projected, shapely.bounds(projected)

    @cached_property
    def _areas(self) -> dict[str, Any]:
        """Every place drawn as an area, projected: region id -> shapely geometry."""
        import numpy
        import shapely
        from shapely.geometry import shape

        ids = [rid for rid, place in self.maps.places.items() if place.is_area]
        shapes = numpy.array([shape(self.maps.places[rid].geometry) for rid in ids] or [], dtype=object)
        return dict(zip(ids, shapely.transform(shapes, project), strict=True)) if ids else {}

    def label_point(self, place: Place) -> tuple[float, float]:
        """Where a place's name (or its town's circle) goes, projected (once a build)."""
        cache = self.__dict__.setdefault("_labels_projected", {})
        if place.id not in cache:
            from portal.render.maps import mercator

            cache[place.id] = mercator(*place.label)
        return cache[place.id]

    def view(self, focus: list[str], near: bool) -> tuple[list[str], list[str]]:
        """(the regions a map draws, those it fits to): a district page draws its region and
        neighbours; other maps draw every region, fitted to the focus and its neighbours if any."""
        maps = self.maps
        focus = [rid for rid in focus if rid in maps.places]
        if near and focus:
            ids = maps.near(focus[0])
            return ids, ids
        fit: list[str] = []
        for rid in focus:
            fit += [i for i in maps.near(rid) if i not in fit]
        return list(maps.places), fit or list(maps.places)

    @staticmethod
    def frame(fitted: list[Place]) -> Frame:
        """A frame around the places (with a margin), of the SVG's width and a height between
        half and 1.25 times that; the area centred in it."""
        from portal.render.maps import mercator

        west = min(p.bounds[0] for p in fitted)
        south = min(p.bounds[1] for p in fitted)
        east = max(p.bounds[2] for p in fitted)
        north = max(p.bounds[3] for p in fitted)
        pad = max(east - west, north - south, 0.2) * 0.08
        (x0, y1), (x1, y0) = mercator(west - pad, south - pad), mercator(east + pad, north + pad)
        width = SVG_WIDTH
        height = max(min(width * (y1 - y0) / (x1 - x0), width * 1.25), width * 0.5)
        scale = min(width / (x1 - x0), height / (y1 - y0))
        return Frame(width, height, scale, (width - scale * (x1 - x0)) / 2 - scale * x0, (height - scale * (y1 - y0)) / 2 - scale * y0)

    def svg(self, focus: list[str], figure_id: str, title: str, near: bool = False) -> Markup:
        """The map as an SVG image, drawn as the live map draws it."""
        import numpy

        maps = self.maps
        ids, fit = self.view(focus, near)
        if not ids:
            return Markup("")
        figure = maps.site.figures[figure_id]
        legend = maps.legend_cached(figure)
        places = [maps.places[i] for i in ids]
        frame = self.frame([maps.places[i] for i in fit])
        width, height = frame.width, frame.height
        n = _Ids("-".join(focus) or "all", figure_id)
        out = [
            f'<svg class="portal-map-svg" xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height:.0f}" role="img" aria-labelledby="{n.title}" aria-describedby="{n.caption}">',
            f'<title id="{n.title}">{escape(title)}</title>',
            f'<defs><pattern id="{n.hatch}" width="8" height="8" patternUnits="userSpaceOnUse" patternTransform="rotate(45)">'
            '<rect width="8" height="8" fill="#ffffff"/><line x1="0" y1="0" x2="0" y2="8" stroke="#6b7280" stroke-width="3"/></pattern></defs>',
            f'<rect width="{width}" height="{height:.0f}" fill="#dde6ee"/>',
        ]
        # every outline of the map in one go: the countries' (clipped to the frame), then the areas'
        ordered = sorted(places, key=lambda p: p.id in focus)  # the focus drawn last, over its neighbours
        areas = [p for p in ordered if p.is_area]
        countries = self._countries_near(frame)
        drawn = frame.paths(numpy.concatenate([countries, numpy.array([self._areas[p.id] for p in areas], dtype=object)]))
        countries_d = "".join(drawn[: len(countries)])
        if countries_d:
            out.append(f'<path d="{countries_d}" fill="#eef0f2" stroke="#5c6770" stroke-width="0.8"/>')
        values = {rid: maps.value(maps.site.regions[rid], figure, legend["limits"]) for rid in ids}
        colours = maps.colours(legend["limits"])
        paths = dict(zip((p.id for p in areas), drawn[len(countries) :], strict=True))
        out.extend(self._places(ordered, paths, focus, lambda rid: colours[values[rid]["c"]] if values[rid] else f"url(#{n.hatch})", frame))
        out.extend(self._labels(places, focus, lambda place: frame.at(self.label_point(place)), width, height))
        out.append("</svg>")
        return Markup("".join(out))

    def _countries_near(self, frame: Frame):
        """The countries that reach into the frame, clipped to it (with its margin)."""
        import numpy
        import shapely

        countries, bounds = self._countries
        west, south, east, north = frame.clip_box()
        near = (bounds[:, 0] <= east) & (bounds[:, 2] >= west) & (bounds[:, 1] <= north) & (bounds[:, 3] >= south)
        if not near.any():
            return numpy.array([], dtype=object)
        clipped = shapely.clip_by_rect(countries[near], west, south, east, north)
        kind = shapely.get_type_id(clipped)
        return clipped[((kind == 3) | (kind == 6)) & ~shapely.is_empty(clipped)]  # 3, 6: (Multi)Polygon

    def _places(self, ordered: list[Place], paths: dict[str, str], focus: list[str], fill_of: Callable[[str], str], frame: Frame) -> list[str]:
        """The regions: areas filled by their class (hatched without a value), the focus
        outlined; then the points (main towns), grouped by their style."""
        out = []
        towns: dict[tuple[str, str, int], list[str]] = {}  # circles grouped by their style: many regions, few bytes
        for place in ordered:
            fill = fill_of(place.id)
            stroke, stroke_width = ("#111827", 3) if place.id in focus else ("#374151", 1)
            if place.is_area:
                out.append(f'<path d="{paths[place.id]}" fill="{fill}" stroke="{stroke}" stroke-width="{stroke_width}"/>')
            else:
                x, y = frame.at(self.label_point(place))
                towns.setdefault((fill, stroke, stroke_width), []).append(f'<circle cx="{x:.0f}" cy="{y:.0f}" r="5"/>')
        for (fill, stroke, stroke_width), circles in towns.items():
            out.append(f'<g fill="{fill}" stroke="{stroke}" stroke-width="{stroke_width}">' + "".join(circles) + "</g>")
        return out

    @staticmethod
    def _labels(places: list[Place], focus: list[str], xy, width: float, height: float) -> list[str]:
        """Names, largest areas first (the focus first of all), leaving out any that would cover
        another or cross the frame."""
        size = 14
        taken: list[tuple[float, float, float, float]] = []
        out = []
        order = sorted(places, key=lambda p: (p.id not in focus, not p.is_area, -p.area, p.name))
        for place in order[:SVG_LABELS] if len(order) > SVG_LABELS else order:
            x, y = xy(place)
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
        from portal.render.maps import caption_id

        self.caption = caption_id(where, figure)


