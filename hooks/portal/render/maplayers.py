"""The live map's files (static files of the built site, fetched by assets/portal-map.js):

- ``map/regions.geojson``: every region's shape, its name and label point, the figures a reader
  can switch to and the script's words;
- ``map/values-<figure>.json``: each region's newest value, date, who says so and the source's
  caveat, as text, with the figure's legend (values by region id, not GeoJSON);
- ``map/near/<region>.geojson``: for each district page, the region and its neighbours only,
  with the values of every figure, so that a district page's weight does not grow with the
  number of regions.

What they show (places, classes, legends, values, neighbours) comes from :class:`portal.render.maps.Maps`.
"""

from __future__ import annotations

import json
from typing import TYPE_CHECKING, Any

from portal.model.model import Figure

if TYPE_CHECKING:  # pragma: no cover
    from portal.render.maps import Maps, Place


class MapLayers:
    def __init__(self, maps: Maps):
        self.maps = maps

    def _feature(self, place: Place) -> dict[str, Any]:
        from portal.render.maps import PRECISION

        properties: dict[str, Any] = {"name": place.name}
        if place.is_area:  # a point's name goes at the point
            properties["label"] = [round(place.label[0], PRECISION), round(place.label[1], PRECISION)]
        return {"type": "Feature", "id": place.id, "properties": properties, "geometry": place.geometry}

    def files(self) -> dict[str, str]:
        """Every file the live maps fetch: path in the site -> text."""
        out = {"map/regions.geojson": self.overview()}
        for figure in self.maps.figures:
            out[f"map/values-{figure.id}.json"] = self.values(figure)  # not GeoJSON: values by region id
        for rid in self.maps.places:
            out[f"map/near/{rid}.geojson"] = self.near_file(rid)
        return out

    def paths(self) -> list[str]:
        maps = self.maps
        return ["map/regions.geojson", *(f"map/values-{f.id}.json" for f in maps.figures), *(f"map/near/{rid}.geojson" for rid in maps.places)]

    def _figures(self) -> list[dict[str, Any]]:
        maps = self.maps
        return [{"id": f.id, "label": maps.views.t(f.label), "count": maps.counts[f.id]} for f in maps.figures]

    def overview(self) -> str:
        maps = self.maps
        layer = {
            "type": "FeatureCollection",
            "default": maps.default_figure,
            "figures": self._figures(),
            "words": maps.words(),
            "features": [self._feature(p) for p in maps.places.values()],
        }
        return _dumps(layer)

    def values(self, figure: Figure) -> str:
        maps = self.maps
        legend = maps.legend_cached(figure)
        values = {}
        for rid in maps.places:
            v = maps.value(maps.site.regions[rid], figure, legend["limits"])
            if v:
                values[rid] = v
        return _dumps({"legend": legend, "values": values})

    def near_file(self, region_id: str) -> str:
        maps = self.maps
        ids = maps.near(region_id)
        legends, values = {}, {}
        for figure in maps.figures:
            legend = maps.legend_cached(figure)
            legends[figure.id] = legend
            values[figure.id] = {rid: v for rid in ids if (v := maps.value(maps.site.regions[rid], figure, legend["limits"]))}
        layer = {
            "type": "FeatureCollection",
            "focus": region_id,
            "default": maps.default_figure,
            "figures": self._figures(),
            "words": maps.words(),
            "legends": legends,
            "values": values,
            "features": [self._feature(maps.places[rid]) for rid in ids],
        }
        return _dumps(layer)


def _dumps(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False, separators=(",", ":"))
