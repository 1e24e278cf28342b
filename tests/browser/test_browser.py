"""In a real browser (Debian's Chromium driven by Playwright): what readers get, with and
without JavaScript, after Material's instant navigation, and what axe-core finds.

The site is built with ``site_url`` set to the test server's address, so that Material's
instant navigation is really used (it turns itself off on another origin)."""

from __future__ import annotations

import functools
import http.server
import re
import threading
from pathlib import Path
from urllib.parse import urlparse

import pytest

from conftest import ROOT, axe, build_editions, need_chromium, sample_maps
from helpers import free_port

pytestmark = pytest.mark.browser

need_chromium()

from playwright.sync_api import Page, expect  # noqa: E402


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    """Serves the built site as GitHub Pages does: a missing page gets the site's own 404.html."""

    def log_message(self, *args):
        pass

    def send_error(self, code, message=None, explain=None):
        page = Path(self.directory) / "404.html"
        if code != 404 or not page.exists():
            return super().send_error(code, message, explain)
        body = page.read_bytes()
        self.send_response(404)
        self.send_header("Content-Type", "text/html; charset=utf-8")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(body)


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    port = free_port()
    base = f"http://127.0.0.1:{port}/"
    site = tmp_path_factory.mktemp("browser-site")
    build_editions(ROOT, site, SITE_URL=base)
    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", port), functools.partial(_QuietHandler, directory=str(site)))
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield base
    httpd.shutdown()


class Watch:
    """Console errors, failed requests and requests to any other host, for one page."""

    def __init__(self, page: Page, base: str):
        self.errors: list[str] = []
        self.failed: list[str] = []
        self.foreign: list[str] = []
        host = urlparse(base).netloc
        page.on("console", lambda m: self.errors.append(m.text) if m.type == "error" else None)
        page.on("pageerror", lambda e: self.errors.append(str(e)))
        page.on("requestfailed", lambda r: self.failed.append(r.url))
        page.on("request", lambda r: self.foreign.append(r.url) if urlparse(r.url).netloc not in (host, "") and not r.url.startswith("data:") else None)
        page.on("dialog", lambda d: (self.errors.append(f"dialog opened: {d.message}"), d.dismiss()))

    def assert_clean(self):
        assert not self.errors, self.errors
        assert not self.failed, self.failed
        assert not self.foreign, self.foreign


@pytest.fixture
def page(browser, server):
    context = browser.new_context(viewport={"width": 390, "height": 844})  # a phone
    pg = context.new_page()
    pg.watch = Watch(pg, server)
    yield pg
    context.close()


@pytest.mark.parametrize("path", ["", "regions/", "regions/agdam/", "regions/khojavend/", "impacts/", "sources/", "data-format/", "timeline/", "demands/", "data/", "contribute/", "handovers/", "countries/az/", "glossary/", "method/", "no-such-page/"])
def test_pages_have_no_serious_accessibility_violations(page, server, path):
    response = page.goto(server + path)
    page.wait_for_load_state("networkidle")
    assert axe(page) == []
    if path == "no-such-page/":  # the 404 page itself: its status is the one expected error
        assert response.status == 404 and "Page not found" in page.locator("article").inner_text()
        page.watch.errors = [e for e in page.watch.errors if "status of 404" not in e]
        page.watch.failed = []
    page.watch.assert_clean()


@pytest.mark.parametrize("path", ["az/", "az/regions/agdam/", "ru/regions/agdam/", "ru/timeline/", "az/contribute/"])
def test_the_az_and_ru_editions_have_no_serious_accessibility_violations(page, server, path):
    page.goto(server + path)
    page.wait_for_load_state("networkidle")
    assert axe(page) == []
    page.watch.assert_clean()


@pytest.mark.parametrize("javascript", [True, False])
def test_the_language_selector_keeps_the_reader_on_the_same_region(browser, server, javascript):
    context = browser.new_context(java_script_enabled=javascript)
    pg = context.new_page()
    watch = Watch(pg, server)
    pg.goto(server + "az/regions/agdam/")
    assert pg.locator("html").get_attribute("lang") == "az"
    pg.wait_for_load_state("networkidle")
    if javascript:
        pg.locator(".md-header__option .md-select").hover()
    link = pg.locator(".md-select__link[hreflang=ru]")
    if javascript:
        link.click()
    else:
        pg.goto(link.get_attribute("href"))  # without scripts the menu is not shown; its links still lead there
    pg.wait_for_url(server + "ru/regions/agdam/")
    pg.wait_for_load_state("networkidle")
    assert pg.locator("html").get_attribute("lang") == "ru"
    assert pg.locator("article h1").inner_text().startswith("Агдам")
    watch.assert_clean()
    context.close()


def test_a_first_visit_downloads_only_its_own_editions_small_sitemap(page, server):
    """Material's instant navigation reads the edition's sitemap; the other editions' sitemaps and
    the hreflang one are for search engines, not for a reader's phone."""
    requested = []
    page.on("request", lambda r: requested.append(r.url))
    page.goto(server + "ru/regions/agdam/")
    page.wait_for_load_state("networkidle")
    sitemaps = [url for url in requested if "sitemap" in url and "/feeds/" not in url]
    assert sitemaps == [server + "ru/sitemap.xml"]
    page.watch.assert_clean()


def test_the_search_index_is_downloaded_only_when_the_reader_turns_to_search(page, server):
    """Hundreds of KB once there are hundreds of regions: a reader who never searches never pays for it."""
    requested = []
    page.on("request", lambda r: requested.append(r.url))
    page.goto(server + "regions/agdam/")
    page.wait_for_load_state("networkidle")
    page.wait_for_timeout(300)
    assert not [url for url in requested if url.endswith("/search/search_index.json") or "/workers/search." in url]  # nor its worker
    with page.expect_request(server + "search/search_index.json"), page.expect_request(re.compile(r".*/assets/javascripts/workers/search\.[^/]+\.js$")):
        page.keyboard.press("/")  # Material's shortcut: it moves the focus into the search box
    expect(page.locator("input[data-md-component=search-query]")).to_be_focused()
    page.keyboard.type("Agdam")  # and search works: the worker started with the index
    expect(page.locator(".md-search-result__item").first).to_be_visible(timeout=15000)
    page.watch.assert_clean()


@pytest.mark.parametrize("lang, query, expected", [("az", "Ağdam", "Ağdam"), ("az", "Xocal", "Xocalı"), ("ru", "Агдам", "Агдам")])
def test_search_in_each_edition_finds_a_district_by_its_name_in_that_language(page, server, lang, query, expected):
    page.goto(server + f"{lang}/")
    page.wait_for_load_state("networkidle")
    page.locator("label[for=__search]").first.click()
    field = page.locator("input[data-md-component=search-query]")
    field.press_sequentially(query, delay=30)
    field.press("End")  # Material reads the query on key-up; typed Cyrillic letters send none
    results = page.locator(".md-search-result__item")
    expect(results.first).to_be_visible(timeout=15000)
    assert any(expected in text for text in results.all_inner_texts())
    page.watch.assert_clean()


def test_the_regions_table_sorts_by_click_and_by_keyboard(page, server):
    page.goto(server + "regions/")
    table = page.locator("table[data-portal-sortable]")
    expect(table).to_have_attribute("data-portal-sortable", "ready")
    names = lambda: table.locator("tbody th[scope=row]").all_inner_texts()  # noqa: E731
    assert names() == sorted(names())
    header = table.locator("thead th", has_text="Estimated mines")
    header.click()
    values = [float(v) for v in table.locator("tbody tr td:nth-child(2)").evaluate_all("cells => cells.map(c => c.dataset.sort)")]
    assert values in (sorted(values), sorted(values, reverse=True)) and values != [-1.0] * len(values)
    assert header.get_attribute("aria-sort") in ("ascending", "descending")
    first = header.get_attribute("aria-sort")
    header.focus()
    page.keyboard.press("Enter")
    assert header.get_attribute("aria-sort") not in (None, first)
    page.watch.assert_clean()


def test_the_table_is_complete_without_javascript(browser, server):
    context = browser.new_context(java_script_enabled=False)
    pg = context.new_page()
    pg.goto(server + "regions/")
    rows = pg.locator("table[data-portal-sortable] tbody tr")
    assert rows.count() == len(list((ROOT / "data" / "regions").glob("*.yml")))
    assert "about 300,000 mines" in rows.filter(has_text="Agdam").inner_text()
    context.close()


def test_scripts_start_again_after_instant_navigation(page, server):
    page.goto(server)
    page.wait_for_load_state("networkidle")  # Material's scripts have taken over the links
    page.evaluate("() => { window.portalTestMarker = 'same document' }")
    page.get_by_role("link", name="regions table").first.click()  # the home page links to it
    expect(page).to_have_url(server + "regions/")
    page.get_by_role("link", name="Agdam", exact=True).first.click()
    expect(page).to_have_url(server + "regions/agdam/")
    expect(page).to_have_title("Agdam - Minefield Maps Portal")
    page.get_by_role("link", name="All regions").click()
    expect(page).to_have_url(server + "regions/")
    # the pages were swapped in by instant navigation (the window survived), so the table's
    # script must have started again from document$, not from a page load
    assert page.evaluate("() => window.portalTestMarker") == "same document"
    expect(page.locator("table[data-portal-sortable]")).to_have_attribute("data-portal-sortable", "ready")
    page.go_back()
    expect(page).to_have_url(server + "regions/agdam/")
    page.watch.assert_clean()


# -- maps --------------------------------------------------------------------------------


MAPS = sample_maps()


def drawn(path: str) -> list[str]:
    """The districts a page's map draws: all of them, or a district and its neighbours."""
    match = re.fullmatch(r"regions/([a-z0-9-]+)/", path)
    return MAPS.near(match.group(1)) if match else list(MAPS.places)


# What must lie inside the map's box: Leaflet's controls, the districts' names, open popups.
INSIDE = """container => {
  const box = container.getBoundingClientRect();
  return [...container.querySelectorAll('.leaflet-control, .portal-map-label__name, .leaflet-popup')]
    .filter(e => { const r = e.getBoundingClientRect(); return r.width > 0 && r.height > 0; })
    .filter(e => { const r = e.getBoundingClientRect();
      return r.left < box.left - 1 || r.right > box.right + 1 || r.top < box.top - 1 || r.bottom > box.bottom + 1; })
    .map(e => e.className + ': ' + e.textContent.slice(0, 40));
}"""


def map_drawn(page: Page, path: str) -> None:
    """The page's map is drawn, with Leaflet's styles, a shape and a name for each of its districts,
    and nothing of it outside its box."""
    container = page.locator("[data-portal-map]")
    expect(container).to_have_attribute("data-portal-map-ready", "true")
    districts = drawn(path)
    expect(container.locator(".leaflet-overlay-pane path.leaflet-interactive")).to_have_count(len(districts))
    expect(container.locator(".leaflet-marker-icon.portal-map-label")).to_have_count(len(districts))
    # Leaflet's stylesheet applies (without it the panes are static and spill over the page)
    assert container.locator(".leaflet-pane").first.evaluate("e => getComputedStyle(e).position") == "absolute"
    assert page.locator(".leaflet-container").count() == 1  # the previous page's map is gone
    expect(page.locator(".portal-map-static")).to_be_hidden()  # the live map replaces the static one
    assert container.evaluate(INSIDE) == []
    # the names shown are readable: none covers another, and most districts have theirs
    shown = container.locator(".portal-map-label__name").evaluate_all(
        "names => names.map(n => n.getBoundingClientRect()).filter(r => r.width > 0).map(r => [r.left, r.top, r.right, r.bottom])"
    )
    assert not [(a, b) for i, a in enumerate(shown) for b in shown[i + 1 :] if a[0] < b[2] and b[0] < a[2] and a[1] < b[3] and b[1] < a[3]]
    assert len(shown) >= len(districts) // 2


@pytest.mark.parametrize("path", ["", "regions/", "regions/agdam/"])
def test_the_map_draws_every_district_with_its_legend_and_caption(page, server, path):
    page.goto(server + path)
    map_drawn(page, path)
    caption = page.locator(".portal-map-caption")
    expect(caption).to_contain_text("This map is not a safety or navigation tool.")
    expect(caption).to_contain_text("It shows no hazard areas.")
    expect(caption).to_contain_text("approximate and not authoritative")
    legend = MAPS.legend_cached(MAPS.site.figures[MAPS.default_figure])
    box = page.locator(".portal-map-legend")
    expect(box.locator("summary")).to_contain_text(f"{legend['title']} ({legend['unit']})")
    box.locator("summary").click()  # folded on a phone: the reader opens it
    expect(box).to_contain_text(legend["dates"])
    if legend["none"]:
        expect(box).to_contain_text(legend["none"])
    expect(box.locator("li")).to_have_count(len(legend["classes"]) + bool(legend["none"]))
    page.watch.assert_clean()


def test_the_maps_survive_instant_navigation(browser, server):
    """home -> a district -> the regions index -> another district -> back, by instant navigation
    (served from 127.0.0.1): after each click the map is drawn again, whole and inside its box."""
    for width in (360, 1366):
        context = browser.new_context(viewport={"width": width, "height": 800})
        page = context.new_page()
        watch = Watch(page, server)
        page.goto(server)
        page.wait_for_load_state("networkidle")
        page.evaluate("() => { window.portalTestMarker = 'same document' }")
        map_drawn(page, "")
        # the home page names no district in its text (issue 16): its map's popup links to the district
        page.locator("[data-portal-map] path.portal-map-district[aria-label^='Agdam:']").focus()
        page.keyboard.press("Enter")
        page.locator(".leaflet-popup-content").get_by_role("link").click()
        expect(page).to_have_url(server + "regions/agdam/")
        map_drawn(page, "regions/agdam/")
        page.get_by_role("link", name="All regions").click()
        expect(page).to_have_url(server + "regions/")
        map_drawn(page, "regions/")
        page.locator("table[data-portal-sortable]").get_by_role("link", name="Fuzuli", exact=True).click()
        expect(page).to_have_url(server + "regions/fuzuli/")
        map_drawn(page, "regions/fuzuli/")
        label = page.locator("[data-portal-map] path.portal-map-district[aria-label^='Fuzuli']")
        label.focus()
        page.keyboard.press("Enter")
        expect(page.locator(".leaflet-popup-content")).to_contain_text("Fuzuli")
        page.wait_for_timeout(400)  # the popup's pan into view
        assert page.locator("[data-portal-map]").evaluate(INSIDE) == []
        page.go_back()
        expect(page).to_have_url(server + "regions/")
        map_drawn(page, "regions/")
        assert page.evaluate("() => window.portalTestMarker") == "same document"  # instant navigation was used
        folded = page.locator("details.portal-map-legend").evaluate("d => d.open") is False
        assert folded == (width < 720), width  # folded on a phone, open on a wide screen
        watch.assert_clean()  # no console error, no failed request, no request to another host
        context.close()


def test_every_district_is_reached_by_keyboard_and_its_popup_says_each_thing_once(page, server):
    page.goto(server + "regions/")
    map_drawn(page, "regions/")
    figure = MAPS.site.figures[MAPS.default_figure]
    legend = MAPS.legend_cached(figure)
    page.locator("[data-portal-map]").focus()
    reached = []
    for _ in range(len(MAPS.places) + 8):
        page.keyboard.press("Tab")
        label = page.evaluate("() => document.activeElement.closest('[data-portal-map]') ? document.activeElement.getAttribute('aria-label') : null")
        if label and ": " in label:
            reached.append(label)
    names = {p.name for p in MAPS.places.values()}
    assert {label.split(": ")[0] for label in reached} == names
    for rid, place in MAPS.places.items():
        value = MAPS.value(MAPS.site.regions[rid], figure, legend["limits"])
        assert f"{place.name}: {value['t'] if value else 'no value'}" in reached
    # Enter on a district opens its popup: value, date, who says so, its page, each once
    rid = next(r for r in MAPS.places if MAPS.value(MAPS.site.regions[r], figure, legend["limits"]))
    value = MAPS.value(MAPS.site.regions[rid], figure, legend["limits"])
    page.locator(f"[data-portal-map] path.portal-map-district[aria-label^='{MAPS.places[rid].name}:']").focus()
    page.keyboard.press("Enter")
    popup = page.locator(".leaflet-popup-content")
    expect(popup).to_contain_text(f"{legend['title']}: {value['t']}")
    text = popup.inner_text()
    parts = [value["t"], f"Date: {value['d']}", f"Who says so: {value['w']}"] + ([f"Caveat: {value['k']}"] if value.get("k") else [])
    for part in parts:
        assert text.count(part) == 1, (part, text)
    publisher = MAPS.site.sources[MAPS.newest(MAPS.site.regions[rid], figure.id)[0].source].publisher
    assert text.count(publisher) == 1, text  # the source is named once
    links = popup.get_by_role("link")
    expect(links).to_have_count(1)
    expect(links).to_have_attribute("href", server + f"regions/{rid}/")
    page.wait_for_timeout(400)
    assert page.locator("[data-portal-map]").evaluate(INSIDE) == []
    page.keyboard.press("Escape")  # closes it and gives the focus back to the district
    expect(popup).to_have_count(0)
    assert page.evaluate("() => document.activeElement.getAttribute('aria-label')").startswith(MAPS.places[rid].name + ":")
    page.watch.assert_clean()


def test_the_figure_switcher_changes_the_map_without_a_reload(page, server):
    assert len(MAPS.figures) >= 2, "the sample has several figures on the maps"
    page.goto(server)
    map_drawn(page, "")
    page.evaluate("() => { window.portalTestMarker = 'same document' }")
    other = next(f for f in MAPS.figures if f.id != MAPS.default_figure)
    legend = MAPS.legend_cached(other)
    page.get_by_label("Figure shown").select_option(other.id)
    box = page.locator(".portal-map-legend")
    expect(box.locator("summary")).to_contain_text(f"{legend['title']} ({legend['unit']})")
    rid = next(iter(MAPS.places))
    value = MAPS.value(MAPS.site.regions[rid], other, legend["limits"])
    label = page.locator(f"[data-portal-map] path.portal-map-district[aria-label^='{MAPS.places[rid].name}:']")
    expect(label).to_have_attribute("aria-label", f"{MAPS.places[rid].name}: {value['t'] if value else 'no value'}")
    assert page.evaluate("() => window.portalTestMarker") == "same document"
    page.watch.assert_clean()


@pytest.mark.parametrize("path", ["", "regions/", "regions/agdam/"])
def test_without_javascript_the_static_map_shows_names_legend_and_caption(browser, server, path):
    context = browser.new_context(java_script_enabled=False, viewport={"width": 360, "height": 800})
    pg = context.new_page()
    pg.goto(server + path)
    svg = pg.locator(".portal-map-static svg")
    expect(svg).to_be_visible()
    assert svg.bounding_box()["height"] > 200
    expect(pg.locator("[data-portal-map]")).to_be_hidden()  # no empty box
    names = svg.locator("text").all_text_contents()
    assert names and set(names) <= {MAPS.places[r].name for r in drawn(path)}
    size = svg.locator("text").first.evaluate("t => t.getBoundingClientRect().height")
    assert size >= 9, size  # readable on a phone
    expect(pg.locator(".portal-map-legend")).to_be_visible()
    expect(pg.locator(".portal-map-caption")).to_contain_text("This map is not a safety or navigation tool.")
    if path == "regions/":
        figure = pg.locator(".portal-map-figure").bounding_box()
        assert pg.locator("table[data-portal-sortable]").bounding_box()["y"] > figure["y"]  # the table below the map
    context.close()


def test_a_value_or_source_with_markup_is_shown_as_text_in_popups(browser, tmp_path):
    """Leaflet treats strings as HTML; the portal builds popups from text nodes."""
    from conftest import copy_project

    project = copy_project(tmp_path / "project")
    payload = '"><img src=x onerror=alert(1)>'
    rid = next(r for r in MAPS.places if MAPS.newest(MAPS.site.regions[r], MAPS.default_figure))
    observation = MAPS.newest(MAPS.site.regions[rid], MAPS.default_figure)[0]
    publisher = MAPS.site.sources[observation.source].publisher
    text = project.read("data/sources.yml")
    at = text.index(f"publisher: {publisher}\n", text.index(f"- id: {observation.source}\n"))  # that source's own line
    project.write("data/sources.yml", text[:at] + "publisher: " + __import__("json").dumps(payload) + text[at + len(f"publisher: {publisher}") :])
    port = free_port()
    base = f"http://127.0.0.1:{port}/"
    build_editions(project.root, project.root / "site", SITE_URL=base)
    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", port), functools.partial(_QuietHandler, directory=str(project.root / "site")))
    threading.Thread(target=httpd.serve_forever, daemon=True).start()
    try:
        context = browser.new_context()
        pg = context.new_page()
        watch = Watch(pg, base)
        pg.goto(base + "regions/")
        pg.locator(f"[data-portal-map] path.portal-map-district[aria-label^='{MAPS.places[rid].name}:']").focus()
        pg.keyboard.press("Enter")
        popup = pg.locator(".leaflet-popup-content")
        expect(popup).to_contain_text(payload)
        assert popup.locator("img").count() == 0
        watch.assert_clean()  # no dialog, no request for "x"
        context.close()
    finally:
        httpd.shutdown()


# -- timeline ----------------------------------------------------------------------------


def visible_events(page: Page) -> list[str]:
    return page.locator(".portal-timeline .portal-event:visible").evaluate_all("items => items.map(i => i.id)")


def test_timeline_filters_hide_and_show_events_and_the_address_keeps_them(page, server):
    page.goto(server + "timeline/")
    form = page.locator("form[data-portal-filters]")
    expect(form).to_be_visible()
    expect(page.locator(".portal-filter-count")).to_contain_text("Showing")
    everything = visible_events(page)
    assert len(everything) == len(list((ROOT / "data" / "events").glob("*.yml")))
    page.get_by_label("Kind").select_option("handover")
    handovers = visible_events(page)
    assert handovers and len(handovers) < len(everything)
    assert all(page.locator(f"[id='{i}']").get_attribute("data-kind") == "handover" for i in handovers)
    assert "kind=handover" in page.url
    expect(page.locator(".portal-filter-count")).to_have_text(f"Showing {len(handovers)} of {len(everything)} events.")
    page.get_by_label("Region").select_option("agdam")
    expect(page.locator(".portal-filter-count")).to_have_text(f"Showing 1 of {len(everything)} events.")
    assert visible_events(page) == ["2021-06-12-agdam-maps-handover"]
    assert "region=agdam" in page.url
    # years without a visible event are hidden with their heading
    expect(page.locator("section.portal-year[data-year='2017']")).to_be_hidden()
    # a shared address opens with the same filter
    shared = page.url
    other = page.context.new_page()
    other.goto(shared)
    expect(other.locator(".portal-filter-count")).to_have_text(f"Showing 1 of {len(everything)} events.")
    assert visible_events(other) == ["2021-06-12-agdam-maps-handover"]
    other.close()
    page.get_by_role("button", name="Show all").click()
    expect(page.locator(".portal-filter-count")).to_have_text(f"Showing {len(everything)} of {len(everything)} events.")
    assert visible_events(page) == everything
    assert "?" not in page.url
    page.watch.assert_clean()


def test_every_event_is_listed_without_javascript(browser, server):
    context = browser.new_context(java_script_enabled=False)
    pg = context.new_page()
    pg.goto(server + "timeline/?kind=handover")
    assert pg.locator(".portal-timeline .portal-event").count() == len(list((ROOT / "data" / "events").glob("*.yml")))
    expect(pg.locator("form[data-portal-filters]")).to_be_hidden()
    context.close()


# -- injected scripts ----------------------------------------------------------------------

INJECTED = "<script>window.portalInjected = (window.portalInjected || 0) + 1</script>"


def test_an_injected_inline_script_is_refused_at_build_time_and_the_policy_alone_would_block_it(browser, server, tmp_path):
    """In a page, a translation and a setting, the same script: every build refuses it before
    writing anything; and put into a built page afterwards (in the body, where a page or a
    translation would put it, and in the head, where a setting would), the page's own
    Content-Security-Policy keeps it from running while the templates' scripts still run."""
    from urllib.request import urlopen

    from conftest import build, copy_project

    kinds = {
        "page": (lambda p: p.write("content/about.md", p.read("content/about.md") + "\n" + INJECTED + "\n"), {}),
        "catalogue": (lambda p: p.replace("overrides/locale/az.po", 'msgid "Regions"\nmsgstr "', 'msgid "Regions"\nmsgstr "' + INJECTED.replace('"', '\\"')), {"PORTAL_EDITION": "az"}),
        "configuration": (lambda p: None, {"SITE_URL": f'{server}"><{INJECTED[1:]}/'}),
    }
    for kind, (change, env) in kinds.items():
        project = copy_project(tmp_path / kind)
        change(project)
        site = project.root / "site" / ("az" if env.get("PORTAL_EDITION") == "az" else "")
        result = build(project.root, site, **env)
        assert result.returncode != 0, kind
        assert not (site / "about").exists() and not (site / "index.html").exists(), kind  # nothing written

    html = urlopen(server + "about/").read().decode("utf-8")
    assert "portalInjected" not in html
    injected = html.replace("</head>", INJECTED + "</head>", 1).replace('<article class="md-content__inner md-typeset">', '<article class="md-content__inner md-typeset">' + INJECTED, 1)
    assert injected.count(INJECTED) == 2
    context = browser.new_context()
    # an init script runs through the DevTools protocol, outside the page's policy
    context.add_init_script("window.portalViolations = []; document.addEventListener('securitypolicyviolation', e => window.portalViolations.push(e.effectiveDirective))")
    pg = context.new_page()
    pg.route(server + "about/", lambda route: route.fulfill(status=200, content_type="text/html; charset=utf-8", body=injected))
    pg.goto(server + "about/")
    pg.wait_for_function("window.portalViolations.length >= 2")
    assert pg.evaluate("window.portalInjected") is None
    assert pg.evaluate("window.portalViolations").count("script-src-elem") == 2
    assert pg.evaluate("typeof __md_get") == "function"  # Material's own inline script ran
    context.close()


# -- issue 16: pages that read well on a phone and a desktop, with and without JavaScript -------

# One page of every kind: home, a region (with and without figures), the national figures
# (charts), the register, the tables, the timeline, the hand-written pages, 404.
PAGE_KINDS = ["", "regions/agdam/", "regions/khojavend/", "regions/", "countries/az/", "handovers/", "timeline/", "demands/", "impacts/", "sources/", "data/", "glossary/", "method/", "about/", "data-format/", "ru/regions/agdam/", "az/handovers/", "no-such-page/"]
WIDTHS = (360, 1366)


@pytest.fixture(scope="module", params=[(w, js) for w in WIDTHS for js in (True, False)], ids=lambda p: f"{p[0]}px-{'js' if p[1] else 'nojs'}")
def reader(request, browser, server):
    width, javascript = request.param
    context = browser.new_context(viewport={"width": width, "height": 800}, java_script_enabled=javascript)
    pg = context.new_page()
    yield pg, width, javascript
    context.close()


def test_no_page_scrolls_sideways(reader, server):
    pg, width, javascript = reader
    wide = []
    for path in PAGE_KINDS:
        pg.goto(server + path)
        scroll = pg.evaluate("() => document.documentElement.scrollWidth")
        if scroll > width:
            wide.append(f"{path or 'home'}: {scroll} px")
    assert not wide, wide


@pytest.mark.parametrize("javascript", [True, False], ids=["js", "nojs"])
@pytest.mark.parametrize("width", [1366, 640])
def test_tables_of_values_fit_the_page_on_a_tablet_or_desktop(browser, server, javascript, width):
    """On a desktop (1366 px), and a small tablet or a phone held sideways (640 px, where they are
    stacked cards as on a phone), no table of values hides its last columns (its notes) behind a
    sideways scroll of its own: not on a district page, the country page, nor the home page's
    chart, in the edition with the longest words either (ru)."""
    context = browser.new_context(viewport={"width": width, "height": 800}, java_script_enabled=javascript)
    pg = context.new_page()
    scrolled = []
    for path in ("", "ru/", "regions/agdam/", "ru/regions/agdam/", "az/regions/agdam/", "ru/regions/fuzuli/", "ru/countries/az/"):
        pg.goto(server + path)
        pg.evaluate("() => document.querySelectorAll('details').forEach(d => { d.open = true; })")
        tables = pg.evaluate("() => [...document.querySelectorAll('.portal-stack')].map(e => [e.scrollWidth, e.clientWidth])")
        assert tables, path
        scrolled += [f"{path or 'home'}: {inner} px in {shown} px" for inner, shown in tables if inner > shown + 1]
    context.close()
    assert not scrolled, scrolled


def test_region_names_are_never_broken_inside_a_word(reader, server):
    pg, width, javascript = reader
    pg.goto(server + "regions/")
    cells = pg.locator("table[data-portal-sortable] tbody th[scope=row] a")
    assert cells.count() == len(list((ROOT / "data" / "regions").glob("*.yml")))
    for i in range(cells.count()):
        name = cells.nth(i)
        lines = name.evaluate("e => { const r = document.createRange(); r.selectNodeContents(e); return new Set([...r.getClientRects()].map(x => Math.round(x.top))).size; }")
        assert lines == 1, (name.inner_text(), lines)


def test_observation_tables_are_stacked_cards_on_a_phone_with_who_and_source_first(reader, server):
    pg, width, javascript = reader
    pg.goto(server + "regions/agdam/")
    table = pg.locator(".portal-stack table").first
    first_row = table.locator("tbody tr").first
    cells = first_row.locator("td")
    display = cells.first.evaluate("e => getComputedStyle(e).display")
    if width < 600:
        assert display == "block"  # a card: each cell on its own line, with its heading
        labels = [cells.nth(i).get_attribute("data-label") for i in range(4)]
        assert labels == ["Value", "As of", "Who says so", "Source"]
        box = first_row.bounding_box()
        assert box["x"] >= 0 and box["x"] + box["width"] <= width  # nothing hidden behind a sideways scroll
    else:
        assert display == "table-cell"


def test_the_register_lists_every_handover_date_with_its_sources(reader, server):
    from portal.model.site import load_site

    pg, width, javascript = reader
    site = load_site(ROOT / "data")
    pg.goto(server + "handovers/")
    assert site.handovers
    for event in site.handovers:
        row = pg.locator(f"#handover-{event.id}")
        expect(row).to_be_visible()
        dates = row.locator("th time")
        assert sorted(dates.evaluate_all("els => els.map(e => e.getAttribute('datetime'))")) == sorted(d.date.iso for d in event.handover.dates)
        for d in event.handover.dates:
            item = row.locator("th li", has=pg.locator(f'time[datetime="{d.date.iso}"]')).filter(has_text=site.actors[d.according_to].short_name.get("en"))
            for sid in d.sources:
                number = item.locator("a.portal-cite").nth(d.sources.index(sid)).inner_text().strip("[]")
                listed = pg.locator(f"li#source-{number}")
                assert site.sources[sid].title in listed.inner_text()


def test_every_chart_has_a_title_a_description_and_a_table_and_is_drawn_without_javascript(reader, server):
    pg, width, javascript = reader
    for path in ("", "countries/az/"):
        pg.goto(server + path)
        figures = pg.locator("figure.portal-chart")
        assert figures.count() > 0, path
        for i in range(figures.count()):
            figure = figures.nth(i)
            svg = figure.locator("svg.portal-chart__svg")
            box = svg.bounding_box()
            assert box and box["width"] > 200 and box["height"] > 150 and box["x"] + box["width"] <= width  # drawn, and within the screen
            assert svg.locator("path[fill=none]").count() + svg.locator("circle").count() > 0
            assert figure.locator("figcaption").inner_text().strip()
            assert svg.get_attribute("role") == "img" and svg.locator("title").count() == 1
            assert "dated value" in figure.locator(".portal-chart__desc").inner_text()
            table = figure.locator("xpath=ancestor::section[1]//table")
            assert table.count() == 1 and table.locator("tbody tr").count() >= 2
            # the text of the chart is readable: at least 9 px on a phone
            size = svg.locator("text").first.evaluate("e => e.getBoundingClientRect().height")
            assert size >= 9, size


def test_every_card_says_how_old_its_value_is(reader, server):
    pg, width, javascript = reader
    for path in ("", "regions/agdam/", "countries/az/"):
        pg.goto(server + path)
        cards = pg.locator(".portal-headline dd:not(.portal-more)")
        assert cards.count() > 0
        for i in range(cards.count()):
            assert cards.nth(i).locator(".portal-age").count() == 1, (path, cards.nth(i).inner_text())


def test_one_list_of_sources_per_page_and_one_number_per_source(reader, server):
    pg, width, javascript = reader
    for path in ("", "regions/agdam/", "countries/az/", "handovers/", "timeline/", "glossary/"):
        pg.goto(server + path)
        assert pg.locator("section.portal-sources").count() == 1, path
        items = pg.locator("section.portal-sources li")
        urls = items.evaluate_all("els => els.map(e => e.querySelector('a').href)")
        assert len(urls) == len(set(urls)), path  # each source is one number
        for cite in pg.locator("a.portal-cite").evaluate_all("els => els.map(e => e.hash)"):
            assert pg.locator(cite).count() == 1, (path, cite)


def test_the_home_page_is_a_few_screens_long(reader, server):
    """The home page within 8 phone screens (360 by 800 px) and 4 desktop screens (1366 by 800 px),
    as issue 16 asks, with the map of issue 17 on it (beside its legend on a wide screen)."""
    pg, width, javascript = reader
    pg.goto(server)
    if javascript:
        expect(pg.locator("[data-portal-map]")).to_have_attribute("data-portal-map-ready", "true")  # the live map in place
    height = pg.evaluate("() => document.documentElement.scrollHeight")
    screens = height / 800
    assert screens <= (4 if width > 600 else 8), f"{height} px: {screens:.2f} screens"
