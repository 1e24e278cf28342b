"""Shared fixtures and helpers: copies of the project to break on purpose, strict builds of it,
what a reader sees in a built page, and the browser. Every helper that more than one test file
uses lives here (or, when bench/ uses it too, in helpers.py); the test files import them with
``from conftest import ...`` (pyproject.toml puts tests/ on the import path)."""

from __future__ import annotations

import hashlib
import os
import re
import shutil
import subprocess
import sys
from dataclasses import dataclass
from html.parser import HTMLParser
from pathlib import Path

import pytest

from helpers import CHROMIUM

ROOT = Path(__file__).resolve().parents[1]
PROJECT_PARTS = ("content", "data", "hooks", "overrides", "mkdocs.yml", "CONTRIBUTING.md")
REPOSITORY = "https://github.com/example-org/minefield-portal"
AGDAM = "data/regions/agdam.yml"
SOURCES = "data/sources.yml"
AXE = ROOT / "tests" / "vendor" / "axe-core" / "axe.min.js"


@dataclass
class Project:
    """A throwaway copy of the project."""

    root: Path

    @property
    def data(self) -> Path:
        return self.root / "data"

    def read(self, rel: str) -> str:
        return (self.root / rel).read_text("utf-8")

    def write(self, rel: str, text: str) -> None:
        path = self.root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, "utf-8")

    def replace(self, rel: str, old: str, new: str, count: int = 1) -> None:
        text = self.read(rel)
        assert old in text, f"{old!r} not in {rel}"
        self.write(rel, text.replace(old, new, count))

    def line_of(self, rel: str, needle: str, occurrence: int = 1) -> int:
        """1-based line number of the n-th line containing ``needle``."""
        seen = 0
        for number, line in enumerate(self.read(rel).splitlines(), start=1):
            if needle in line:
                seen += 1
                if seen == occurrence:
                    return number
        raise AssertionError(f"{needle!r} not in {rel}")

    def build(self, **env: str) -> subprocess.CompletedProcess:
        return build(self.root, self.root / "site", **env)

    def page(self, url_path: str) -> str:
        return (self.root / "site" / url_path / "index.html").read_text("utf-8")


def build(project: Path, site_dir: Path, **env: str) -> subprocess.CompletedProcess:
    environment = {k: v for k, v in os.environ.items() if k not in ("GITHUB_ACTIONS", "GITHUB_REPOSITORY")}
    environment.update(NO_MKDOCS_2_WARNING="1", PORTAL_REPOSITORY_URL=REPOSITORY)
    environment.update(env)
    return subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "--strict", "-f", str(project / "mkdocs.yml"), "-d", str(site_dir)],
        cwd=project,
        env=environment,
        capture_output=True,
        text=True,
        timeout=300,
    )


def copy_project(dest: Path) -> Project:
    for part in PROJECT_PARTS:
        src = ROOT / part
        if src.is_dir():
            shutil.copytree(src, dest / part, ignore=shutil.ignore_patterns("__pycache__"))
        else:
            shutil.copy2(src, dest / part)
    return Project(dest)


@pytest.fixture
def project(tmp_path: Path) -> Project:
    return copy_project(tmp_path / "project")


def english_only(project: Project, rel: str = "data/regions/agdam.yml", key: str = "summary") -> str:
    """Take the translations of one top-level text away (the sample's texts are all translated):
    the text stays in English, as a new text is before anyone translates it. Returns the text."""
    import json

    import yaml

    text = project.read(rel)
    english = yaml.safe_load(text)[key]["en"]
    start = text.index(f"\n{key}:\n") + 1
    end = start + len(key) + 2
    while end < len(text) and text[end] == " ":  # the indented lines of the mapping
        end = text.index("\n", end) + 1
    project.write(rel, text[:start] + f"{key}: {json.dumps(english, ensure_ascii=False)}\n" + text[end:])
    return english


EDITIONS = ("en", "az", "ru")


def build_editions(project: Path, site_dir: Path, **env: str) -> None:
    """Every language edition, as `make build` builds them: English at the root, the others in site/<lang>."""
    for lang in EDITIONS:
        result = build(project, site_dir if lang == "en" else site_dir / lang, PORTAL_EDITION=lang, **env)
        assert result.returncode == 0, f"{lang} edition: {result.stderr}"


@pytest.fixture(scope="session")
def built_site(tmp_path_factory) -> Path:
    """The sample site, every edition, built once, strictly, as a reader gets it."""
    site = tmp_path_factory.mktemp("site")
    build_editions(ROOT, site)
    return site


def problems(project: Project) -> list[str]:
    """Every problem loading the copy's data/ reports (it must report one at least)."""
    from portal.model.site import load_site
    from portal.problems import DataError

    with pytest.raises(DataError) as caught:
        load_site(project.data)
    return [str(p) for p in caught.value.problems]


def run_cli(*args: str) -> subprocess.CompletedProcess:
    """``python -m portal ARGS`` in a fresh process, as an editor runs it."""
    env = {**os.environ, "PYTHONPATH": str(ROOT / "hooks")}
    env.pop("GITHUB_ACTIONS", None)
    return subprocess.run([sys.executable, "-m", "portal", *args], capture_output=True, text=True, timeout=120, env=env)


def tree(path: Path) -> dict[str, str]:
    """Every file and link under ``path`` (hidden ones included) with a hash of its bytes."""
    out = {}
    for folder, dirs, files in os.walk(path):
        dirs.sort()
        for name in sorted(files):
            full = Path(folder) / name
            out[full.relative_to(path).as_posix()] = hashlib.sha256(full.read_bytes()).hexdigest()
        for name in dirs:
            out[(Path(folder) / name).relative_to(path).as_posix() + "/"] = "folder"
    return out


def prefill(site: Path) -> dict[str, str]:
    """A previously published site: the editions' folders and a hidden file that MkDocs keeps."""
    for rel, text in {"index.html": "<p>the published site</p>", "az/index.html": "<p>az</p>", "ru/index.html": "<p>ru</p>", ".nojekyll": ""}.items():
        (site / rel).parent.mkdir(parents=True, exist_ok=True)
        (site / rel).write_text(text, "utf-8")
    return tree(site)


# -- what a reader sees ------------------------------------------------------------------


class Text(HTMLParser):
    """The visible text of a page's article (scripts and styles left out), whitespace folded."""

    def __init__(self):
        super().__init__()
        self.parts: list[str] = []
        self.skip = 0
        self.in_article = 0

    SEPARATE = {"td", "th", "tr", "li", "p", "div", "br", "dt", "dd", "h1", "h2", "h3", "caption", "summary"}

    def handle_starttag(self, tag, attrs):
        if tag in ("script", "style"):
            self.skip += 1
        if tag == "article":
            self.in_article += 1
        if tag in self.SEPARATE:
            self.parts.append(" ")

    def handle_endtag(self, tag):
        if tag in self.SEPARATE:
            self.parts.append(" ")
        if tag in ("script", "style"):
            self.skip -= 1
        if tag == "article":
            self.in_article -= 1

    def handle_data(self, data):
        if not self.skip and self.in_article:
            self.parts.append(data)

    @classmethod
    def of(cls, page: str) -> str:
        parser = cls()
        parser.feed(page)
        return re.sub(r"\s+", " ", "".join(parser.parts)).strip()


class Links(HTMLParser):
    """Every id of a page, and the addresses its elements point at: every href and src (but a
    link rel=canonical or alternate to another host), or with ``anchors_only`` the links of <a>."""

    def __init__(self, anchors_only: bool = False):
        super().__init__()
        self.anchors_only = anchors_only
        self.links: list[str] = []
        self.ids: set[str] = set()

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if "id" in attrs:
            self.ids.add(attrs["id"])
        if self.anchors_only:
            if tag == "a" and attrs.get("href"):
                self.links.append(attrs["href"])
            return
        for name in ("href", "src"):
            if attrs.get(name) and not (tag == "link" and attrs.get("rel") in ("canonical", "alternate") and attrs[name].startswith("http")):
                self.links.append(attrs[name])


def page(site: Path, path: str) -> str:
    return (site / path / "index.html").read_text("utf-8")


def sample_site():
    """The sample data, loaded as the build loads it."""
    from portal.model.site import load_site

    return load_site(ROOT / "data")


def sample_maps(site=None):
    """The maps of the sample data, as the build makes them (names, neighbourhoods, values)."""
    from portal.render.maps import Maps
    from portal.render.views import Views

    site = site or sample_site()
    return Maps(site, Views(site))


# -- the browser -------------------------------------------------------------------------


def need_chromium() -> None:
    """Called at the top of a browser test module: skips it without Chromium, except in CI."""
    if not CHROMIUM:
        if os.environ.get("CI"):
            raise RuntimeError("CI is set but Chromium is missing: .ci/run installs Debian's chromium; browser tests must run in CI")
        pytest.skip("no Chromium on this machine (sudo apt-get install chromium); browser tests skipped", allow_module_level=True)


def axe(page) -> list[dict]:
    """The serious and critical problems axe-core finds in the open page (a Playwright Page)."""
    # Evaluated through the DevTools protocol, which the page's Content-Security-Policy does not
    # govern: injecting a <script> would (rightly) be refused by the policy.
    page.evaluate(AXE.read_text("utf-8"))
    result = page.evaluate(
        """async () => await axe.run(document, {
            runOnly: {type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa', 'best-practice']},
        })"""
    )
    return [
        {"id": v["id"], "impact": v["impact"], "nodes": [n["target"] for n in v["nodes"]][:5]}
        for v in result["violations"]
        if v["impact"] in ("serious", "critical")
    ]


@pytest.fixture(scope="module")
def browser():
    """Headless Chromium, one for each test module."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        b = p.chromium.launch(
            executable_path=CHROMIUM,
            headless=True,
            args=["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--no-first-run", "--disable-sync"],
        )
        yield b
        b.close()
