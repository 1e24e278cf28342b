"""Every generated page in one table: its address (``src_uri``), the template and the Renderer
method that make it, the data file it is made from (what "edit this page" opens), its
description for search engines, and whether it is in the navigation; and the URL rules that
turn a page into a link, as MkDocs makes them with ``use_directory_urls`` true or false.

The Renderer makes the pages, the hook gives them to MkDocs, the data checks refuse an id that
would take one of them (a region ``index`` would replace the list of regions at
``regions/index.md``). Nothing here imports Jinja or MkDocs, so that validating the data does
not load them."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from portal.i18n.i18n import N_, N_plural

if TYPE_CHECKING:  # pragma: no cover
    from portal.model.model import Site

REGION_PREFIX = "regions/"
COUNTRY_PREFIX = "countries/"


@dataclass(frozen=True)
class Route:
    """One generated page."""

    src_uri: str
    template: str
    make: str  # the Renderer method that makes the page (the data page: portal.glue.prerender)
    data_file: str | None  # a file, or a folder (ending in /), of the repository
    # for search engines and link previews: a message, or (singular, plural) counting ``counted``
    description: str | tuple[str, str] | None = None
    counted: str = ""  # the Site's collection (regions, events, sources) the description counts
    in_nav: bool = True  # region and country pages stay out: Material renders the whole nav into every page
    item: str = ""  # the region's or country's id


# The pages made from data/ as a whole (not one per item), in the order MkDocs reads them first.
REGIONS_INDEX = Route("regions/index.md", "regions_index.html", "regions_index", "data/regions/",
    N_plural("Landmine figures for %(num)s district, with its sources.", "Landmine figures for %(num)s districts, each with its sources."), "regions")
IMPACTS = Route("impacts.md", "impacts_page.html", "impacts_page", "data/impacts.yml",
    N_("The impacts of withheld minefield data and the benefits of transparency and joint demining, with sources."))
SOURCES = Route("sources.md", "sources_page.html", "sources_page", "data/sources.yml",
    N_plural("The %(num)s source the portal cites, with where it is used.", "The %(num)s sources the portal cites, with where each is used."), "sources")
TIMELINE = Route("timeline.md", "timeline.html", "timeline_page", "data/events/",
    N_plural("%(num)s dated, sourced event on the demands for minefield maps and the handovers that answered them.",
             "%(num)s dated, sourced events on the demands for minefield maps and the handovers that answered them."), "events")
DEMANDS = Route("demands.md", "demands_page.html", "demands_page", "data/demands.yml",
    N_("The demands for minefield data, who makes them, since when, and their status derived from dated events."))
GLOSSARY = Route("glossary.md", "glossary_page.html", "glossary_page", "data/glossary.yml",
    N_("The terms and abbreviations the portal uses, each with a sourced definition."))
HANDOVERS = Route("handovers.md", "handovers_page.html", "handovers_page", "data/events/",
    N_("Every handover of minefield maps: the dates each side gives, the districts, what was handed over and released, and later claims about the maps' accuracy, each with its source."))
_FIXED = (REGIONS_INDEX, IMPACTS, SOURCES, TIMELINE, DEMANDS, GLOSSARY, HANDOVERS)
# The downloads' page: made with the downloads (portal.glue.prerender), after every other page.
DATA = Route("data.md", "data_page.html", "data_page", "data/",
    N_("Every dataset of the portal as CSV, JSON and GeoJSON, with a Frictionless Data Package and field documentation."))
FIXED_PAGES = tuple(route.src_uri for route in _FIXED)
DATA_PAGE = DATA.src_uri
_BY_URI = {route.src_uri: route for route in (*_FIXED, DATA)}
# The same pages by name, for the templates (``pages.timeline``, ``pages.regions``): the address without its slash.
PAGES = {uri.removesuffix(".md").removesuffix("/index"): route for uri, route in _BY_URI.items()}


def country_page(country_id: str) -> str:
    return f"{COUNTRY_PREFIX}{country_id}.md"


def region_page(region_id: str) -> str:
    return f"{REGION_PREFIX}{region_id}.md"


def region_url(region_id: str) -> str:
    """A region's page, as a site-root address (see :func:`relative_url`)."""
    return page_url(region_page(region_id))


def country_url(country_id: str) -> str:
    """A country's page, as a site-root address."""
    return page_url(country_page(country_id))


def region_route(region) -> Route:
    return Route(region_page(region.id), "region.html", "region_page", region.file, in_nav=False, item=region.id)


def country_route(country) -> Route:
    return Route(country_page(country.id), "country.html", "country_page", country.file, in_nav=False, item=country.id)


def routes(site: Site) -> list[Route]:
    """Every generated page but the data page, in the order they are made: the fixed pages,
    then one page a country, one a region."""
    return [*_FIXED, *map(country_route, site.countries.values()), *map(region_route, site.regions.values())]


def page_uris(site: Site) -> list[str]:
    """Every generated page's src_uri, the data page last."""
    return [*(route.src_uri for route in routes(site)), DATA_PAGE]


def route(site: Site, src_uri: str) -> Route | None:
    """The route of a generated page; None for any other page."""
    if src_uri in _BY_URI:
        return _BY_URI[src_uri]
    item = src_uri[:-len(".md")].rpartition("/")[2]
    if src_uri == region_page(item) and item in site.regions:
        return region_route(site.regions[item])
    if src_uri == country_page(item) and item in site.countries:
        return country_route(site.countries[item])
    return None


def in_nav(src_uri: str) -> bool:
    """Whether a generated page is listed in the navigation (by its address alone)."""
    return src_uri in _BY_URI or not src_uri.startswith((REGION_PREFIX, COUNTRY_PREFIX))


def reserved_region_ids() -> dict[str, str]:
    """{id: the generated page that a region with this id would replace}: every generated page
    in the regions' folder that is not a region's own."""
    return {
        uri[len(REGION_PREFIX) : -len(".md")]: uri
        for uri in _BY_URI
        if uri.startswith(REGION_PREFIX) and uri.endswith(".md")
    }


# -- addresses ---------------------------------------------------------------------------------
#
# Links inside the pages are written as site-root addresses in the directory form, as a reader
# sees them with MkDocs's default use_directory_urls: true ("regions/agdam/", "timeline/#id",
# "" for the home page); :func:`relative_url` turns one into the link from a page, in the form
# of the build (with use_directory_urls: false, "regions/agdam.html").


def page_url(src_uri: str, directory_urls: bool = True) -> str:
    """The address (relative to the site root) of a Markdown page, as MkDocs makes it: "regions/agdam/"
    with directory URLs, else "regions/agdam.html" (the home page: "", or "index.html")."""
    stem = src_uri[: -len(".md")]
    if not directory_urls:
        return stem + ".html"
    if stem == "index":
        return ""
    if stem.endswith("/index"):
        stem = stem[: -len("/index")]
    return stem + "/"


def anchor(route: Route, fragment: str) -> str:
    """A place on a generated page, as a site-root address: "timeline/#2021-06-12-agdam"."""
    return f"{page_url(route.src_uri)}#{fragment}"


def address(route: Route, fragment: str = "") -> str:
    """A generated page, or a place on it, as a site-root address: "timeline/", or "timeline/#id".
    The templates' way to a page (with :data:`PAGES`, :func:`region_url` and :func:`country_url`):
    ``url(address(pages.timeline, e.id))``."""
    return anchor(route, fragment) if fragment else page_url(route.src_uri)


def _file_form(path: str) -> str:
    """A site-root address in the directory form as MkDocs writes it with use_directory_urls:
    false. An address ending in "/" is a page ("regions/agdam/": regions/agdam.md, or
    regions/index.md where that is a generated page; "" the home page), unless it is a folder
    of assets (a script's base address); any other address is a file, and stays."""
    if path == "":
        return "index.html"
    if not path.endswith("/") or path.startswith("assets/"):
        return path
    return "index.html" if path == "/" else (path + "index.html" if f"{path}index.md" in _BY_URI else path[:-1] + ".html")


def _relpath(target: str, start: str) -> str:
    """posixpath.relpath for the site's own normalised paths (no "." or ".." in them), without
    its abspath calls: a large site makes hundreds of thousands of links."""
    t = [part for part in target.split("/") if part and part != "."]
    s = [part for part in start.split("/") if part and part != "."]
    common = 0
    while common < len(t) and common < len(s) and t[common] == s[common]:
        common += 1
    return "/".join([".."] * (len(s) - common) + t[common:]) or "."


def relative_url(from_page: str, to_url: str, directory_urls: bool = True) -> str:
    """A link from the page at ``from_page`` (a src_uri) to ``to_url`` (a site-root address in the
    directory form, with an optional #anchor or ?query), in the URL form of the build."""
    path, _, anchor = to_url.partition("#")
    path, mark, query = path.partition("?")
    suffix = (f"?{query}" if mark else "") + (f"#{anchor}" if anchor else "")
    if not directory_urls:
        start = page_url(from_page, False).rpartition("/")[0]
        target = _file_form(path)
        rel = _relpath(target, start)
        return (("./" if rel == "." else rel + "/") if target.endswith("/") else rel) + suffix
    rel = _relpath(path or ".", page_url(from_page) or ".")
    if path == "" or path.endswith("/"):
        rel = "./" if rel == "." else rel + "/"
    return rel + suffix


# -- "edit this page" ----------------------------------------------------------------------


def edit_url(repository: tuple[str, str] | None, path: str | None) -> str | None:
    """Where "edit this page" (or "edit this data") opens ``path``, a file or folder (ending in /)
    of the repository: GitHub's editor for a file, its listing for a folder. ``repository`` is
    (its address, the branch); None without one (or without a path)."""
    if not repository or not path:
        return None
    verb = "tree" if path.endswith("/") else "edit"
    return f"{repository[0]}/{verb}/{repository[1]}/{path}"
