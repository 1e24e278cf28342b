"""The addresses of the generated pages, in one place: the Renderer makes them, and the data
checks refuse an id that would take one of them (a region ``index`` would replace the list of
regions at ``regions/index.md``). Kept apart from :mod:`portal.render.pages` so that validating the
data does not import Jinja."""

from __future__ import annotations

REGION_PREFIX = "regions/"
# The pages made from data/ as a whole (not one per item), in the order MkDocs reads them first.
FIXED_PAGES = ("regions/index.md", "impacts.md", "sources.md", "timeline.md", "demands.md", "glossary.md", "handovers.md")
COUNTRY_PREFIX = "countries/"
DATA_PAGE = "data.md"


def country_page(country_id: str) -> str:
    return f"{COUNTRY_PREFIX}{country_id}.md"


def region_page(region_id: str) -> str:
    return f"{REGION_PREFIX}{region_id}.md"


def reserved_region_ids() -> dict[str, str]:
    """{id: the generated page that a region with this id would replace}: every generated page
    in the regions' folder that is not a region's own."""
    return {
        uri[len(REGION_PREFIX) : -len(".md")]: uri
        for uri in (*FIXED_PAGES, DATA_PAGE)
        if uri.startswith(REGION_PREFIX) and uri.endswith(".md")
    }
