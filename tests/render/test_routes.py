"""The one table of generated pages (portal.render.routes) and the links the pages make, with
MkDocs's use_directory_urls true (the default) and false (every page a .html file, for reading
the site from a folder)."""

from __future__ import annotations

import html
import json
import re
import sys
from pathlib import Path
from urllib.parse import urljoin, urlparse

import pytest

from conftest import ROOT, Links
from portal.model.site import load_site
from portal.render import routes
from portal.render.pages import Renderer

SITE = load_site(ROOT / "data")




def test_every_generated_page_has_one_route_with_its_data_file():
    renderer = Renderer(SITE)
    uris = routes.page_uris(SITE)
    assert uris == [*renderer.page_uris(), routes.DATA_PAGE]
    assert len(uris) == len(set(uris)) == len(routes.FIXED_PAGES) + len(SITE.countries) + len(SITE.regions) + 1
    for region in SITE.regions.values():
        route = routes.route(SITE, routes.region_page(region.id))
        assert (route.data_file, route.in_nav, route.template) == (region.file, False, "region.html")
    assert routes.route(SITE, "about.md") is None and routes.route(SITE, "regions/no-such-district.md") is None
    assert all(renderer.description(uri) for uri in uris)  # every page describes itself to search engines


def test_links_take_the_form_of_the_build():
    assert routes.relative_url("regions/agdam.md", "timeline/#e1") == "../../timeline/#e1"
    assert routes.relative_url("regions/agdam.md", "timeline/#e1", directory_urls=False) == "../timeline.html#e1"
    assert routes.relative_url("index.md", "regions/", directory_urls=False) == "regions/index.html"
    assert routes.relative_url("regions/index.md", "regions/agdam/", directory_urls=False) == "agdam.html"
    assert routes.relative_url("demands.md", "timeline/?kind=handover", directory_urls=False) == "timeline.html?kind=handover"
    # a folder of assets is a script's base address, not a page
    assert routes.relative_url("regions/agdam.md", "assets/vendor/tablesort/", directory_urls=False) == "../assets/vendor/tablesort/"
    assert routes.page_url("regions/index.md") == "regions/" and routes.page_url("regions/index.md", False) == "regions/index.html"


def _spelt_addresses(template: str) -> list[str]:
    """The quoted texts of a template that spell a generated page's address by hand: a page of the
    route table ("timeline/", "timeline/#" ~ id, "timeline/?kind=…", "timeline.html") or any
    address in the folders of the regions' and countries' pages ("regions/" ~ id ~ "/")."""
    pages = [routes.page_url(route.src_uri) for route in routes.PAGES.values()]
    folders = (routes.REGION_PREFIX, routes.COUNTRY_PREFIX)
    spelt = []
    # not the comments, nor the names of the templates included ("impacts.html")
    template = re.sub(r"\{#.*?#\}|\b(?:include|import|extends|from)\s+(?:'[^']*'|\"[^\"]*\")", "", template, flags=re.S)
    for literal in re.findall(r"'([^'\n]*)'", template) + re.findall(r'"([^"\n]*)"', template):
        text = literal.removeprefix("/")
        if text.startswith(folders) or any(
            text in (page, page[:-1] + ".html") or text.startswith((page + "#", page + "?")) for page in pages
        ):
            spelt.append(literal)
    return spelt


def test_no_template_spells_a_generated_page_s_address():
    """The templates link to a generated page through the route table (url(region_url(id)),
    url(address(pages.timeline, id))), so that an address changed in portal.render.routes
    changes every link to it, in both forms of use_directory_urls."""
    templates = sorted((ROOT / "overrides" / "portal").glob("*.html"))
    assert len(templates) > 10
    spelt = {path.name: _spelt_addresses(path.read_text("utf-8")) for path in templates}
    assert {name: found for name, found in spelt.items() if found} == {}
    # what the scan finds: each page of the table, and the folders of the places' pages
    bad = "{{ url('regions/' ~ r ~ '/') }} {{ url('countries/' ~ c ~ '/') }} <a href=\"timeline/\"> {{ url('demands/#demand-' ~ d) }} {{ url('timeline/?kind=handover') }} {{ url('/sources/') }} {{ url('glossary.html') }}"
    assert _spelt_addresses(bad) == ["regions/", "countries/", "demands/#demand-", "timeline/?kind=handover", "/sources/", "glossary.html", "timeline/"]
    assert sorted(routes.PAGES) == sorted(routes.page_url(uri).rstrip("/") for uri in [*routes.FIXED_PAGES, routes.DATA_PAGE])
    for name in routes.PAGES:
        ok = f"{{{{ url(address(pages.{name}, 'x')) }}}} {{{{ url('data/{name}.csv') }}}} {{{{ url('map/{name}.geojson') }}}} {{{{ _('the {name}') }}}} {{% include '{name}.html' %}} {{# url('{name}/') #}}"
        assert _spelt_addresses(ok) == [], name


def test_the_templates_are_given_the_route_table():
    from portal.render.environment import environment
    from portal.render.maps import Maps
    from portal.render.views import Views

    views = Views(SITE, "en")
    env = environment(views, Maps(SITE, views), None)
    region, country = next(iter(SITE.regions)), next(iter(SITE.countries))
    template = env.from_string("{{ region_url(r) }} {{ country_url(c) }} {{ address(pages.timeline) }} {{ address(pages.demands, 'demand-' ~ d) }} {{ address(pages.regions) }}")
    shown = template.render(r=region, c=country, d="x")
    assert shown == f"regions/{region}/ countries/{country}/ timeline/ demands/#demand-x regions/"
    with pytest.raises(Exception, match="no_such_page"):
        env.from_string("{{ address(pages.no_such_page) }}").render()


def test_the_edit_link_opens_a_file_in_the_editor_and_a_folder_in_the_listing():
    repository = ("https://github.com/example-org/minefield-portal", "main")
    assert routes.edit_url(repository, "data/regions/agdam.yml") == "https://github.com/example-org/minefield-portal/edit/main/data/regions/agdam.yml"
    assert routes.edit_url(repository, "data/events/") == "https://github.com/example-org/minefield-portal/tree/main/data/events/"
    assert routes.edit_url(None, "data/events/") is None


@pytest.fixture(scope="module")
def file_urls_site(tmp_path_factory):
    """The English edition built with use_directory_urls: false."""
    from conftest import copy_project

    project = copy_project(tmp_path_factory.mktemp("file-urls") / "project")
    project.replace("mkdocs.yml", "use_directory_urls: true", "use_directory_urls: false")
    result = project.build()
    assert result.returncode == 0, result.stderr
    return project.root / "site"


def test_with_use_directory_urls_false_every_link_of_every_page_resolves_to_a_file(file_urls_site):
    pages = {}
    for path in file_urls_site.rglob("*.html"):
        parser = Links()
        parser.feed(path.read_text("utf-8"))
        pages[path] = parser
    assert (file_urls_site / "regions" / "agdam.html").is_file() and (file_urls_site / "regions" / "index.html").is_file()
    broken, checked = [], 0
    for path, parser in pages.items():
        for href in parser.links:
            if href.startswith(("http://", "https://", "mailto:", "data:")) or path.name == "404.html":
                continue  # the 404 page's links are root-relative: they work only at the site's root
            target = urlparse(urljoin("file://" + str(path), href))
            file = Path(target.path)
            checked += 1
            if not file.is_file() and not (href.endswith("/") and (file / "tablesort.min.js").is_file()):
                broken.append(f"{path.relative_to(file_urls_site)}: {href}")
            elif target.fragment and file in pages and html.unescape(target.fragment) not in pages[file].ids:
                broken.append(f"{path.relative_to(file_urls_site)}: {href} (no such anchor)")
    assert checked > len(pages)  # every page links somewhere
    assert not broken, "\n".join(broken)
    # a region page's own links, by name: to the timeline, the list of regions, a source
    region = pages[file_urls_site / "regions" / "agdam.html"].links
    assert "../timeline.html" in {link.partition("#")[0] for link in region} and "index.html" in region


def test_with_use_directory_urls_false_the_feeds_link_to_the_timeline_page(file_urls_site):
    feed = json.loads((file_urls_site / "feeds" / "events.json").read_text("utf-8"))
    assert feed["home_page_url"].endswith("/timeline.html")
    assert feed["items"] and all("/timeline.html#" in item["url"] for item in feed["items"])


def test_the_downloads_the_feeds_and_diff_do_not_load_the_renderer():
    """publish/ and ``python -m portal diff`` work from the model and the formatting alone."""
    import subprocess

    code = (
        "import sys\n"
        "import portal.publish.exports, portal.publish.feeds, portal.commands.datadiff\n"
        "print(sorted(m for m in sys.modules if m.startswith(('portal.render.', 'jinja2'))))\n"
    )
    result = subprocess.run([sys.executable, "-c", code], env={"PYTHONPATH": str(ROOT / "hooks"), "PATH": ""}, capture_output=True, text=True, check=True)
    assert result.stdout.strip() == "['portal.render.formatting', 'portal.render.routes']"


def test_each_observation_is_put_into_words_once_per_build(monkeypatch):
    """A region's latest value is on its page, in the regions table and on the maps: one view."""
    from collections import Counter

    from portal.render.views import Views

    built: Counter = Counter()
    original = Views._observation

    def counting(self, obs):
        built[id(obs)] += 1
        return original(self, obs)

    monkeypatch.setattr(Views, "_observation", counting)
    renderer = Renderer(SITE)
    renderer.pages()
    renderer.map_layers()
    assert built and max(built.values()) == 1
    latest = {id(o) for r in SITE.regions.values() for s in r.figures for o in SITE.latest(s.observations)}
    assert latest <= set(built)  # every latest value was shown


def _region_url_patterns(page_html: str) -> list[str]:
    """The district link pattern of each live map on a page (what portal-map.js fills in)."""
    return [html.unescape(m) for m in re.findall(r'data-portal-map hidden[^>]*? data-region-url="([^"]*)"', page_html)]


def test_with_use_directory_urls_false_every_map_popup_links_to_its_districts_page(file_urls_site):
    """portal-map.js makes each popup's link from the map's data-region-url ("{id}" for the
    district's id): from every page with a map, every district's link is a built page."""
    layer = json.loads((file_urls_site / "map" / "regions.geojson").read_text("utf-8"))
    ids = [feature["id"] for feature in layer["features"]]
    assert ids
    with_maps = set()
    for path in file_urls_site.rglob("*.html"):
        for pattern in _region_url_patterns(path.read_text("utf-8")):
            with_maps.add(path.relative_to(file_urls_site).as_posix())
            assert "{id}" in pattern and pattern.endswith(".html"), (path, pattern)
            for rid in ids:
                target = Path(urlparse(urljoin("file://" + str(path), pattern.replace("{id}", rid))).path)
                assert target == file_urls_site / "regions" / f"{rid}.html" and target.is_file(), (path, pattern)
    assert {"index.html", "regions/index.html", "regions/agdam.html"} <= with_maps
