"""Shared fixtures: copies of the project to break on purpose, and strict builds of it."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared"
PROJECT_PARTS = ("content", "data", "hooks", "overrides", "mkdocs.yml", "CONTRIBUTING.md")
REPOSITORY = "https://github.com/example-org/minefield-portal"


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
