"""Generated pages and fragments, rendered with the Jinja templates in ``overrides/portal/``.

Nothing here knows MkDocs. Pages come out as Markdown documents whose body is HTML that
the templates build with autoescaping on; Markdown only sees the page's headings, written
with :func:`~portal.render.formatting.md_text`, which turns every character that Markdown or
HTML could read as syntax into a character reference. Which pages there are, and where, is
:mod:`portal.render.routes`; what the templates show of the model, :mod:`portal.render.views`.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from portal.model import derived
from portal.model.model import Country, Region, Site
from portal.render import routes
from portal.render.environment import TEMPLATE_DIR, environment, render
from portal.render.formatting import EVENT_KINDS, plain_summary, shorten
from portal.render.maps import Maps
from portal.render.schemadocs import schema_fields, schema_file
from portal.render.tables import Tables
from portal.render.views import Citations, Views


class Renderer:
    """Renders generated pages and directive fragments for one language edition.

    ``repository`` (its address and branch) makes the "edit this data" links; ``directory_urls``
    is MkDocs's ``use_directory_urls``, the form of every link the pages make."""

    def __init__(
        self,
        site: Site,
        *,
        repository: tuple[str, str] | None = None,
        tiles: dict[str, str] | None = None,
        schema_dir: Path | None = None,
        lang: str = "en",
        template_dir: Path = TEMPLATE_DIR,
        directory_urls: bool = True,
    ):
        self.site = site
        self.lang = lang
        self.tiles = tiles if tiles and tiles.get("url") else None
        self.schema_dir = schema_dir or TEMPLATE_DIR.parents[1] / "data" / "schemas"
        self.repository = repository
        self.directory_urls = directory_urls
        self.views = Views(site, lang)
        self._ = self.views._
        self.maps = Maps(site, self.views)
        self.tables = Tables(self.views, self.link)
        self.env = environment(self.views, self.maps, self.tiles, template_dir)

    def link(self, src_uri: str, target: str) -> str:
        """A link from the page ``src_uri`` to a site-root address (:func:`portal.render.routes.relative_url`)."""
        return routes.relative_url(src_uri, target, self.directory_urls)

    def cite(self, prefix: str = "source") -> Citations:
        return Citations(self.site, prefix, language=self.views.language)

    def sources_fragment(self, cite: Citations, src_uri: str) -> str:
        """The one numbered list of a page's sources, for its foot."""
        cite.deferred = False
        return self._render("sources_list.html", src_uri, cite)

    def place_charts(self, place: Region | Country, kind: str, prefix: str) -> dict:
        """Each chartable figure of a place: figure id -> ChartView."""
        out = {}
        for s in place.figures:
            chart = self.views.charts.chart(self.site.figures[s.figure], s.observations, kind, place.id, f"{prefix}-{s.figure}-chart")
            if chart is not None:
                out[s.figure] = chart
        return out

    def edit_url(self, data_file: str) -> str | None:
        return routes.edit_url(self.repository, data_file)

    def _page(self, route: routes.Route, **context: Any) -> str:
        return self._render(route.template, route.src_uri, self.cite(), **context)

    def _render(self, template: str, src_uri: str, cite: Citations, **context: Any) -> str:
        return render(self.env, self.views, template, url=lambda target: self.link(src_uri, target), cite=cite, edit_url=self.edit_url, **context)

    # what a generated page is made from ------------------------------------------------

    def data_file(self, src_uri: str) -> str | None:
        """The data file (or folder, ending in /) that a generated page is made from."""
        route = routes.route(self.site, src_uri)
        return route.data_file if route else None

    def description(self, src_uri: str) -> str:
        """A plain-text description of a generated page, from its data (for search engines and link previews)."""
        route = routes.route(self.site, src_uri)
        if route is None:
            return ""
        if route.make == "region_page":
            region = self.site.regions[route.item]
            return shorten(f"{self.views.t(region.name)}: {plain_summary(self.views.t(region.summary))}")
        if route.make == "country_page":
            return self._("National figures for %(country)s over time, every value with its source.", country=self.views.t(self.site.countries[route.item].name))
        if isinstance(route.description, tuple):
            return self.views.language.ngettext(*route.description, len(getattr(self.site, route.counted)))
        return self._(route.description)

    # pages ---------------------------------------------------------------------------

    FIXED_PAGES = routes.FIXED_PAGES  # the data checks refuse ids that would take one of them

    def page_uris(self) -> list[str]:
        """Every generated page's src_uri but the data page's (rendered one at a time by :meth:`page`)."""
        return [route.src_uri for route in routes.routes(self.site)]

    def page(self, src_uri: str) -> str:
        """One generated page as Markdown."""
        route = routes.route(self.site, src_uri)
        if route is None or route is routes.DATA:
            raise KeyError(src_uri)
        if route.item:
            places = self.site.regions if route.make == "region_page" else self.site.countries
            return getattr(self, route.make)(places[route.item])
        return getattr(self, route.make)()

    def pages(self) -> dict[str, str]:
        """Every generated page: src_uri -> Markdown (all at once: for tests and tools)."""
        return {src_uri: self.page(src_uri) for src_uri in self.page_uris()}

    def data_page(self, downloads: list[dict], last_updated: str, package_size: int) -> str:
        """The /data/ page: every download with its size, row count and field documentation."""
        return self._page(routes.DATA, downloads=downloads, last_updated=last_updated, package_size=package_size)

    def timeline_page(self) -> str:
        years: dict[int, list] = {}
        for event in self.site.events:
            years.setdefault(event.date.year, []).append(event)
        events = self.site.events
        kinds = {e.kind for e in events}
        actors = {a for e in events for a in e.actors}
        regions = {r for e in events for r in e.regions}
        options = {
            "kinds": [(k, self._(label)) for k, label in EVENT_KINDS.items() if k in kinds],
            "actors": [a for a in self.site.actors.values() if a.id in actors],
            "regions": [r for r in self.site.regions.values() if r.id in regions],
        }
        return self._page(routes.TIMELINE, years=years, options=options)

    def demands_page(self) -> str:
        return self._page(routes.DEMANDS, statuses={d.id: self.views.demand_status(d.id) for d in self.site.demands})

    def region_page(self, region: Region) -> str:
        return self._page(
            routes.region_route(region),
            region=region,
            country=self.site.countries[region.country],
            series=self.views.series(region),
            charts=self.place_charts(region, "region", "fig"),
            demands=self.site.demands_for(region.id),
            events=self.site.events_for_region(region.id),
        )

    def country_page(self, country: Country) -> str:
        return self._page(
            routes.country_route(country),
            place=country,
            series=self.views.series(country),
            charts=self.place_charts(country, "country", f"nat-{country.id}"),
        )

    def glossary_page(self) -> str:
        return self._page(routes.GLOSSARY)

    def handovers_page(self) -> str:
        from portal.render.register import register

        return self._page(routes.HANDOVERS, register=register(self))

    def regions_index(self) -> str:
        return self._page(routes.REGIONS_INDEX, table=self.tables.regions_table(routes.REGIONS_INDEX.src_uri))

    def impacts_page(self) -> str:
        return self._page(routes.IMPACTS, tables=["impacts", "benefits"])

    def sources_page(self) -> str:
        return self._page(routes.SOURCES, uses=self.tables.source_uses())

    # fragments (directives) -----------------------------------------------------------

    def fragment(self, name: str, args: dict[str, str], src_uri: str, index: int, cite: Citations | None = None) -> str:
        """One directive's HTML. With ``cite`` (the page's), its sources are numbered with the
        rest of the page and listed once at its foot; without, under the fragment."""
        cite = cite or self.cite(prefix=f"{name}-{index}-source")
        if name == "figures":
            country = self.site.countries[args.get("country", next(iter(self.site.countries)))]
            return self._render("figures.html", src_uri, cite, place=country, series=self.views.series(country), anchor=f"figures-{country.id}")
        if name == "chart":
            place, kind = (self.site.regions[args["region"]], "region") if "region" in args else (self.site.countries[args.get("country", next(iter(self.site.countries)))], "country")
            figure = self.site.figures[args["figure"]]
            chart = self.views.charts.chart(figure, place.series(figure.id), kind, place.id, f"chart-{index}")
            views_ = [self.views.observation(o) for o in place.series(figure.id)]
            return self._render("chart.html", src_uri, cite, chart=chart, figure=figure, views_=views_, place=place, kind=kind, heading_id=f"chart-{index}-cap")
        if name == "regions-table":
            return self._render("regions_table.html", src_uri, cite, table=self.tables.regions_table(src_uri))
        if name == "impacts":
            return self._render("impacts.html", src_uri, cite, tables=args.get("table", "impacts,benefits").split(","))
        if name == "demands":
            return self._render("demands.html", src_uri, cite, demands=self.site.demands)
        if name == "events":
            limit = int(args.get("limit", "5"))
            return self._render("events_latest.html", src_uri, cite, events=derived.newest_events(self.site, limit), compact=args.get("style") == "compact")
        if name == "figure-definitions":
            return self._render("figure_definitions.html", src_uri, cite)
        if name == "schema":
            return self._render("schema_fields.html", src_uri, cite, name=args["name"], file=schema_file(args["name"]), fields=schema_fields(self.schema_dir, args["name"]))
        if name == "map":
            focus = [r for r in args.get("regions", "").split(",") if r]
            return self._render("map.html", src_uri, cite, focus=focus, figure=args.get("figure") or self.maps.default_figure, near=False)
        raise KeyError(name)

    # map layers ---------------------------------------------------------------------------

    def map_layers(self) -> dict[str, str]:
        """The static files the live maps fetch (portal/render/maps.py): every region's shape,
        each figure's values, and each district's neighbourhood."""
        return self.maps.files()

    def map_layer_paths(self) -> list[str]:
        """Where :meth:`map_layers` puts its files, without making them."""
        return self.maps.paths()
