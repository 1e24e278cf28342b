"""A failed build never costs the published site, and never ends in a Python traceback.

Each edition is built into a hidden folder beside its target that replaces it only when the
build is complete (portal.glue.atomic, the hook's on_pre_build and on_post_build); `make build`
(portal.tools.build_site) replaces site/ only when all three editions are built. Every failure
below happens after MkDocs would have emptied site/: the site must be byte for byte as it was.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import REPOSITORY, ROOT, copy_project, prefill, tree

sys.path.insert(0, str(ROOT / "hooks"))
from portal.glue import atomic  # noqa: E402


def environment(**env: str) -> dict[str, str]:
    out = {k: v for k, v in os.environ.items() if k not in ("GITHUB_ACTIONS", "GITHUB_REPOSITORY")}
    out.update(NO_MKDOCS_2_WARNING="1", PORTAL_REPOSITORY_URL=REPOSITORY, PYTHONPATH=str(ROOT / "hooks"), **env)
    return out


def mkdocs_build(project, *extra: str, **env: str) -> subprocess.CompletedProcess:
    """`mkdocs build` alone, as GitHub Actions and editors call it, into the project's site/."""
    command = [sys.executable, "-m", "mkdocs", "build", "-f", str(project.root / "mkdocs.yml"), *extra]
    return subprocess.run(command, cwd=project.root, env=environment(**env), capture_output=True, text=True, timeout=300)


def leftovers(project) -> list[str]:
    return sorted(p.name for p in [*project.root.iterdir(), *(project.root / "site").iterdir()] if atomic.is_partial(p.name))


# (case id, how the project is broken, the line the build prints)
FAILURES = [
    (
        "broken-link-strict",
        lambda p: p.replace("content/about.md", "\n", "\nSee [the missing page](missing.md).\n"),
        "WARNING -  Doc file 'about.md' contains a link 'missing.md', but the target is not found among documentation files.",
    ),
    (
        "page-named-like-a-generated-one",
        lambda p: p.write("content/timeline.md", "# My timeline\n"),
        "content/timeline.md: this page is generated from data/; rename or remove the hand-written file",
    ),
    (
        "missing-snippet",
        lambda p: p.replace("content/contribute.md", "CONTRIBUTING.md", "NO-SUCH-FILE.md"),
        "NO-SUCH-FILE.md",
    ),
    (
        "page-not-utf-8",
        lambda p: (p.root / "content" / "about.md").write_bytes("# Ağdam\n".encode("cp1254")),
        "content/about.md:1: the file is not UTF-8 text (byte 0xf0); save it with UTF-8 encoding",
    ),
    (
        "data-error",
        lambda p: p.replace("data/regions/agdam.yml", "value: 97000", "value: 1e309"),
        "data/regions/agdam.yml",
    ),
]


@pytest.mark.parametrize("case, breaks, message", FAILURES, ids=[c[0] for c in FAILURES])
def test_a_failed_build_leaves_the_site_exactly_as_it_was(tmp_path, case, breaks, message):
    project = copy_project(tmp_path / "project")
    before = prefill(project.root / "site")
    breaks(project)
    result = mkdocs_build(project, "--strict")
    assert result.returncode != 0
    assert message in result.stderr, result.stderr
    assert "Traceback" not in result.stderr, result.stderr
    assert tree(project.root / "site") == before
    assert leftovers(project) == []


def test_a_complete_build_replaces_the_site_and_keeps_its_hidden_files(tmp_path):
    project = copy_project(tmp_path / "project")
    prefill(project.root / "site")
    result = mkdocs_build(project, "--strict")
    assert result.returncode == 0, result.stderr
    site = project.root / "site"
    assert "the published site" not in (site / "index.html").read_text("utf-8")
    assert (site / "regions" / "agdam" / "index.html").is_file()
    assert (site / ".nojekyll").is_file()  # MkDocs keeps hidden files of site_dir; so does the swap
    assert not (site / "az").exists()  # as MkDocs's own clean removes the other editions
    assert leftovers(project) == []


def test_an_interrupted_build_leaves_nothing_that_the_next_build_keeps(tmp_path):
    target = tmp_path / "site"
    stale = tmp_path / ".site.partial-999999999"  # a build killed outright (no such process now)
    stale.mkdir()
    (stale / "half.html").write_text("half", "utf-8")
    stale_files = tmp_path / ".site.files-999999999"  # its downloads and map layers, not yet moved in
    (stale_files / "data").mkdir(parents=True)
    (stale_files / "data" / "events.csv").write_text("half", "utf-8")
    partial = atomic.partial_dir(str(target))
    assert not stale.exists() and not stale_files.exists()
    assert Path(partial).is_dir() and not any(Path(partial).iterdir())
    (Path(partial) / "index.html").write_text("new", "utf-8")
    atomic.replace(partial, str(target))
    assert (target / "index.html").read_text("utf-8") == "new" and not Path(partial).exists()


AZ_MISTAKES = [
    # a placeholder renamed in a catalogue string: refused wherever it is checked (every edition)
    ("az-catalogue-placeholder", lambda p: p.replace("overrides/locale/az.po", 'msgstr[0] "%(num)s rayon üzrə mina', 'msgstr[0] "%(nu)s rayon üzrə mina'), None),
    # a broken link in the az page only: English is built, then the az edition fails
    ("az-page-broken-link", lambda p: p.replace("content/about.az.md", "\n", "\n[Xəritə](yoxdur.md)\n"), "az"),
]


@pytest.mark.parametrize("case, breaks, failing", AZ_MISTAKES, ids=[c[0] for c in AZ_MISTAKES])
def test_make_build_with_one_bad_az_string_leaves_the_site_as_it_was(tmp_path, case, breaks, failing):
    """`make build` (its script): a failure in any edition, and site/ is as it was, all editions."""
    project = copy_project(tmp_path / "project")
    before = prefill(project.root / "site")
    breaks(project)
    result = subprocess.run(
        [sys.executable, "-m", "portal.tools.build_site", str(project.root / "site"), "-f", str(project.root / "mkdocs.yml")],
        cwd=project.root,
        env=environment(),
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert result.returncode == 1
    failed = [lang for lang in ("en", "az", "ru") if f"The {lang} edition failed (above): {project.root / 'site'} was left as it was." in result.stderr]
    assert len(failed) == 1, result.stderr
    if failing:
        assert failed == [failing] and "Building the en edition" in result.stderr
    assert "Building the ru edition" not in result.stderr  # nothing after the failure is built
    assert "Traceback" not in result.stderr, result.stderr
    assert tree(project.root / "site") == before
    assert leftovers(project) == []


def test_make_build_uses_the_script_that_swaps_the_site_in_whole():
    makefile = (ROOT / "Makefile").read_text("utf-8")
    recipe = makefile.split("\nbuild:", 1)[1].split("\n\n", 1)[0]
    assert "python -m portal.tools.build_site site" in recipe and "mkdocs build" not in recipe
