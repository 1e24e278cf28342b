"""`make serve` as an editor uses it: a real `mkdocs serve` on 127.0.0.1 and a real browser.

A broken data file shows its problems in the open page within seconds (the page reloads by
itself), the page comes back when the file is fixed; a change to a template and to a
translators' catalogue shows without a restart; a change to the hook's code says to restart."""

from __future__ import annotations

import os
import re
import subprocess
import sys
import time

import pytest

from conftest import AGDAM, Project, axe, copy_project, need_chromium
from helpers import fetch, free_port
from portal.glue import servepage

need_chromium()

from playwright.sync_api import expect  # noqa: E402

pytestmark = pytest.mark.browser

SECONDS = 20_000  # ms: "within a few seconds" on a loaded two-core machine, with margin


class Server:
    """`mkdocs serve` on a copy of the project, as `make serve` runs it."""

    def __init__(self, project: Project, edition: str = "en"):
        self.project = project
        self.port = free_port()
        self.base = f"http://127.0.0.1:{self.port}/"
        self.log = project.root / "serve.log"
        env = {k: v for k, v in os.environ.items() if k not in ("GITHUB_ACTIONS", "GITHUB_REPOSITORY")}
        env.update(NO_MKDOCS_2_WARNING="1", PORTAL_EDITION=edition, PYTHONPATH=str(project.root / "hooks"))
        self.process = subprocess.Popen(
            [sys.executable, "-m", "mkdocs", "serve", "--dev-addr", f"127.0.0.1:{self.port}"],
            cwd=project.root,
            env=env,
            stdout=self.log.open("w"),
            stderr=subprocess.STDOUT,
        )

    def wait(self, path: str, needle: str, timeout: float = 120) -> None:
        start = time.monotonic()
        while time.monotonic() - start < timeout:
            if needle in fetch(self.base + path):
                return
            assert self.process.poll() is None, self.output()
            time.sleep(0.2)
        raise AssertionError(f"{needle!r} never appeared at {path}:\n{self.output()}")

    def output(self) -> str:
        return self.log.read_text("utf-8", errors="replace")

    def stop(self) -> None:
        self.process.terminate()
        try:
            self.process.wait(timeout=30)
        except subprocess.TimeoutExpired:  # pragma: no cover
            self.process.kill()


@pytest.fixture
def serve(tmp_path):
    servers: list[Server] = []

    def start(edition: str = "en") -> Server:
        server = Server(copy_project(tmp_path / f"project-{edition}"), edition)
        servers.append(server)
        return server

    yield start
    for server in servers:
        server.stop()


def open_page(browser, url: str):
    page = browser.new_page()
    page.console = []
    page.on("console", lambda m: page.console.append(f"{m.type}: {m.text}"))
    page.goto(url)
    # MkDocs's live reload runs (the page's policy allows its inline script): the page reloads by itself
    expect(page.locator("h1").first).to_be_visible()
    deadline = time.monotonic() + 10
    while "log: Enabled live reload" not in page.console and time.monotonic() < deadline:
        page.wait_for_timeout(100)
    assert "log: Enabled live reload" in page.console, page.console
    assert not [m for m in page.console if "Content Security Policy" in m], page.console
    return page


def test_a_broken_file_shows_its_problem_in_the_open_page_and_the_page_recovers(serve, browser):
    server = serve()
    server.wait("regions/agdam/", "portal-region")
    page = open_page(browser, server.base + "regions/agdam/")
    heading = page.locator("h1").first.inner_text()
    good = server.project.read(AGDAM)

    server.project.replace(AGDAM, "  en: Agdam", "  en: Agdam: the district")
    problems = page.locator("#portal-build-problems")
    expect(problems).to_be_visible(timeout=SECONDS)  # the open page reloaded by itself
    line = server.project.line_of(AGDAM, "en: Agdam: the district")
    expected = f"data/regions/agdam.yml:{line}: YAML syntax error: "
    expect(problems).to_contain_text(expected)
    # exactly the terminal's lines, quotes and all (escaped in the page's source, text on screen)
    shown = problems.inner_text().splitlines()
    terminal = [entry for entry in server.output().splitlines() if entry.startswith(("ERROR   -  data/", "data/"))]
    assert shown[0] in [t.removeprefix("ERROR   -  ") for t in terminal], (shown, terminal)
    assert "restart" not in page.content()
    # no serious accessibility problem on it (axe-core, evaluated through DevTools as in test_browser)
    assert axe(page) == []
    # every address shows it, the home page and a page that does not exist alike
    other = browser.new_page()
    for address in ("", "sources/", "no-such-page/"):
        other.goto(server.base + address)
        expect(other.locator("#portal-build-problems")).to_contain_text(expected)
    other.close()
    # assets are still served (the last good site's), and nothing waits for a build
    assert "portal" in fetch(server.base + "assets/portal.css") or fetch(server.base + "assets/portal.css") == ""

    server.project.write(AGDAM, good)
    expect(page.locator("h1").first).to_have_text(heading, timeout=SECONDS)
    expect(page.locator("#portal-build-problems")).to_have_count(0)
    page.close()


def test_a_template_change_shows_without_a_restart_and_hook_code_says_restart(serve, browser):
    server = serve()
    server.wait("regions/agdam/", "portal-region")
    page = open_page(browser, server.base + "regions/agdam/")
    template = "overrides/portal/region.html"
    text = server.project.read(template)
    marker = "Marker of the serve test"
    anchor = '<div class="portal-region"'
    assert anchor in text
    server.project.write(template, text.replace(anchor, f'<p id="serve-marker">{marker}</p>\n\n{anchor}', 1))
    expect(page.locator("#serve-marker")).to_have_text(marker, timeout=SECONDS)

    before = server.output().count("Building documentation")
    (server.project.root / "hooks" / "portal" / "problems.py").write_text(server.project.read("hooks/portal/problems.py") + "\n# changed\n", "utf-8")
    deadline = time.monotonic() + 15
    while "hooks/portal/problems.py changed: restart make serve" not in server.output() and time.monotonic() < deadline:
        time.sleep(0.2)
    assert "hooks/portal/problems.py changed: restart make serve" in server.output(), server.output()
    time.sleep(2)
    assert server.output().count("Building documentation") == before  # no rebuild with the old code
    page.close()


def test_a_catalogue_change_shows_without_a_restart(serve, browser):
    server = serve("az")
    server.wait("regions/", "<h1")
    page = open_page(browser, server.base + "regions/")
    catalogue = server.project.read("overrides/locale/az.po")
    match = re.search(r'\nmsgid "Regions"\nmsgstr "([^"]+)"', catalogue)
    assert match, "the az catalogue translates 'Regions'"
    expect(page.locator("h1").first).to_contain_text(match.group(1))
    changed = match.group(1) + " (redaktə)"
    server.project.write("overrides/locale/az.po", catalogue.replace(match.group(0), f'\nmsgid "Regions"\nmsgstr "{changed}"'))
    expect(page.locator("h1").first).to_contain_text(changed, timeout=SECONDS)
    page.close()


def test_the_error_page_escapes_what_it_shows():
    page = servepage.error_page(['data/regions/x.yml:3: name.en: <img src=x onerror=alert(1)> & "quotes"'], 7)
    assert "<img" not in page
    assert "&lt;img src=x onerror=alert(1)&gt; &amp; &quot;quotes&quot;" in page
    assert 'data-build="7"' in page
    # its one script and its style are allowed by its policy, nothing else
    from portal.glue.csp import inline_script_hashes

    assert inline_script_hashes(page)[0] in servepage.ERROR_PAGE_POLICY


def test_serve_starts_on_broken_data_and_shows_the_site_once_fixed(tmp_path):
    project = copy_project(tmp_path / "project")
    good = project.read(AGDAM)
    project.replace(AGDAM, "iso: AZ-AGM", "iso: AZ-AGM\n\tcountry: az")
    server = Server(project)
    try:
        server.wait("regions/agdam/", 'id="portal-build-problems"')
        line = project.line_of(AGDAM, "\tcountry: az")
        assert f"data/regions/agdam.yml:{line}: " in fetch(server.base + "regions/agdam/")
        project.write(AGDAM, good)
        server.wait("regions/agdam/", "portal-region", timeout=60)
        assert 'id="portal-build-problems"' not in fetch(server.base)
    finally:
        server.stop()


def test_a_page_that_fails_the_strict_build_shows_its_warning(tmp_path):
    project = copy_project(tmp_path / "project")
    server = Server(project)
    try:
        server.wait("about/", "</article>")
        about = project.read("content/about.md")
        project.write("content/about.md", about + "\nSee [the missing page](no-such-page.md).\n")
        server.wait("about/", 'id="portal-build-problems"', timeout=60)
        shown = fetch(server.base + "about/")
        assert "no-such-page.md" in shown and "Aborted with 1 warnings in strict mode!" in shown
        project.write("content/about.md", about)
        server.wait("about/", "</article>", timeout=60)
        assert 'id="portal-build-problems"' not in fetch(server.base + "about/")
    finally:
        server.stop()


def test_only_the_live_reload_script_is_added_to_a_served_page_s_policy():
    from portal.glue import csp

    page = '<head><meta charset="utf-8"><meta http-equiv="Content-Security-Policy" content="default-src \'self\'; script-src \'self\' \'sha256-a\'"></head><body><script>alert(1)</script><script>livereload(1, 2);</script></body>'
    allowed = csp.allow_live_reload(page)
    reload_hash = csp.inline_script_hashes("<script>livereload(1, 2);</script>")[0]
    other = csp.inline_script_hashes("<script>alert(1)</script>")[0]
    policy = re.search(r'content="([^"]*)"', allowed).group(1)
    assert reload_hash in policy and other not in policy and "'sha256-a'" in policy
    assert csp.allow_live_reload("<p>no policy</p>") == "<p>no policy</p>"
