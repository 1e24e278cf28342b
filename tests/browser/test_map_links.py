"""The live map's popups link to each district's page in the URL form of the build: MkDocs's
``use_directory_urls`` true ("regions/agdam/") and false ("regions/agdam.html", a site read
from a folder). portal-map.js takes the link from the page (``data-region-url``), never makes one."""

from __future__ import annotations

import functools
import http.server
import threading

import pytest

from conftest import copy_project, need_chromium, sample_maps
from helpers import free_port

pytestmark = pytest.mark.browser

need_chromium()

from playwright.sync_api import expect  # noqa: E402

MAPS = sample_maps()


class _Quiet(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args):
        pass


@pytest.fixture(scope="module", params=[True, False], ids=["directory-urls", "file-urls"])
def map_site(request, tmp_path_factory):
    """The English edition built with use_directory_urls true or false, served on 127.0.0.1:
    (its address, whether directory URLs are used)."""
    project = copy_project(tmp_path_factory.mktemp("map-links") / "project")
    if not request.param:
        project.replace("mkdocs.yml", "use_directory_urls: true", "use_directory_urls: false")
    port = free_port()
    base = f"http://127.0.0.1:{port}/"
    result = project.build(SITE_URL=base)
    assert result.returncode == 0, result.stderr
    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", port), functools.partial(_Quiet, directory=str(project.root / "site")))
    threading.Thread(target=httpd.serve_forever, daemon=True).start()
    yield base, request.param
    httpd.shutdown()


def _address(base: str, directory_urls: bool, page: str) -> str:
    """A page ("", "regions/", "regions/agdam/") in the build's form."""
    if directory_urls:
        return base + page
    return base + (page + "index.html" if page in ("", "regions/") else page.rstrip("/") + ".html")


@pytest.mark.parametrize("start", ["", "regions/", "regions/agdam/"])
def test_a_map_popup_opens_the_districts_page_in_either_url_form(browser, map_site, start):
    base, directory_urls = map_site
    context = browser.new_context(viewport={"width": 1366, "height": 900})
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda e: errors.append(str(e)))
    page.goto(_address(base, directory_urls, start))
    expect(page.locator("[data-portal-map]")).to_have_attribute("data-portal-map-ready", "true")
    # a neighbour of Agdam, drawn on every one of these maps, and not the page's own district
    rid = next(r for r in MAPS.near("agdam") if r != "agdam")
    name = MAPS.places[rid].name
    page.locator(f"[data-portal-map] path.portal-map-district[aria-label^='{name}:']").focus()
    page.keyboard.press("Enter")
    link = page.locator(".leaflet-popup-content").get_by_role("link", name=name, exact=True)
    expected = _address(base, directory_urls, f"regions/{rid}/")
    expect(link).to_have_attribute("href", expected)
    link.click()
    expect(page).to_have_url(expected)
    expect(page.locator("h1").first).to_contain_text(name)  # the district's page, not the 404 page
    assert errors == []
    context.close()
