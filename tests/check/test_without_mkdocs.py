"""``python -m portal validate`` and ``export`` run where MkDocs and Material cannot be imported
(the generator can change: Zensical, MkDocs 2), and say and write exactly what they say and write
with them installed.

.importlinter forbids the imports of ours; only running the commands shows that no library they
use imports MkDocs either. The commands run in a fresh interpreter whose import system refuses
``mkdocs`` and ``material`` (and every module under them), as if they were not installed."""

from __future__ import annotations

import os
import subprocess
import sys

from conftest import ROOT, run_cli, tree
from portal.model.site import load_site
from portal.problems import count

# Refuses mkdocs and material as a missing package does, then runs `python -m portal ARGS`.
BLOCKED = """
import runpy, sys

class NotInstalled:
    def find_spec(self, name, path=None, target=None):
        if name.split(".")[0] in ("mkdocs", "material"):
            raise ModuleNotFoundError(f"No module named {name!r}", name=name)
        return None

sys.meta_path.insert(0, NotInstalled())
sys.argv = ["python -m portal", *sys.argv[1:]]
runpy.run_module("portal", run_name="__main__", alter_sys=True)
"""


def run_without_mkdocs(*args: str) -> subprocess.CompletedProcess:
    """``python -m portal ARGS`` as run_cli runs it, but with MkDocs and Material not importable."""
    env = {**os.environ, "PYTHONPATH": str(ROOT / "hooks")}
    env.pop("GITHUB_ACTIONS", None)
    return subprocess.run([sys.executable, "-c", BLOCKED, *args], capture_output=True, text=True, timeout=120, env=env, cwd=ROOT)


def test_the_wrapper_makes_mkdocs_and_material_unimportable():
    """Else the tests below would prove nothing."""
    for module in ("mkdocs", "mkdocs.utils.yaml", "material"):
        script = BLOCKED.replace('runpy.run_module("portal", run_name="__main__", alter_sys=True)', f"import {module}")
        result = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, timeout=60)
        assert result.returncode == 1 and f"ModuleNotFoundError: No module named '{module.split('.')[0]}'" in result.stderr, (module, result.stderr)
    __import__("mkdocs"), __import__("material")  # installed here: it is the wrapper that refuses them


def test_validate_says_data_ok_without_mkdocs():
    result = run_without_mkdocs("validate", "--no-translations")
    assert result.returncode == 0, result.stderr
    site = load_site(ROOT / "data")
    observations = sum(len(s.observations) for r in (*site.regions.values(), *site.countries.values()) for s in r.figures)
    said = [count(len(site.regions), "region", "regions"), count(len(site.countries), "country", "countries"), count(len(site.sources), "source", "sources"), count(len(site.events), "event", "events"), count(observations, "observation", "observations")]
    assert result.stdout.splitlines() == [f"data OK: {', '.join(said)}"]
    assert result.stderr == ""
    with_mkdocs = run_cli("validate")
    assert run_without_mkdocs("validate").stderr == with_mkdocs.stderr  # the missing translations' lines too


def test_validate_says_the_same_problems_without_mkdocs(project):
    """A broken configuration value, front matter and data file: every line as with MkDocs."""
    project.replace("mkdocs.yml", "site_name: Minefield Maps Portal", "site_name: Minefield <b>Maps</b>")
    project.write("content/about.md", "Title: About\n\n# About\n")
    project.replace("content/contribute.md", "---\n", "---\nhide: [toc\n", 1)
    project.replace("data/regions/agdam.yml", "value: 40", "value: 140")
    args = ("validate", "--data", str(project.data), "--content", str(project.root / "content"), "--config", str(project.root / "mkdocs.yml"))
    result, expected = run_without_mkdocs(*args), run_cli(*args)
    assert result.returncode == expected.returncode == 1
    lines = result.stderr.splitlines()
    assert "mkdocs.yml: site_name: '<' is not allowed in plain text (no HTML here)" in lines
    assert "content/about.md:1: front matter: write it between two '---' lines (MkDocs read the first lines of the page as its front matter)" in lines
    assert any(line.startswith("content/contribute.md:2: front matter: YAML syntax error: ") for line in lines), lines
    assert any(line.startswith("data/regions/agdam.yml:") and "got 140" in line for line in lines), lines
    assert result.stderr == expected.stderr and "Traceback" not in result.stderr


def test_a_broken_mkdocs_yml_is_said_at_its_line_without_mkdocs(project):
    project.replace("mkdocs.yml", "  - Timeline: timeline.md", "  - Timeline: timeline.md\n   Oops: oops.md")
    line = project.line_of("mkdocs.yml", "Oops: oops.md")
    result = run_without_mkdocs("validate", "--data", str(project.data), "--content", str(project.root / "content"), "--config", str(project.root / "mkdocs.yml"))
    assert result.returncode == 1
    assert result.stderr.splitlines()[0].startswith(f"mkdocs.yml:{line}: YAML syntax error: line {line} is indented 3 spaces"), result.stderr
    assert "Traceback" not in result.stderr


def test_export_writes_the_same_files_without_mkdocs(tmp_path):
    out, expected = tmp_path / "without", tmp_path / "with"
    result = run_without_mkdocs("export", "--out", str(out))
    assert result.returncode == 0, result.stderr
    assert run_cli("export", "--out", str(expected)).returncode == 0
    files = tree(out)
    pages = sum(1 for path in files if path.endswith(".md"))
    written = sum(1 for path, digest in files.items() if digest != "folder")
    assert result.stdout.splitlines() == [f"exported the English edition into {out}: {pages} pages (Markdown) and {written - pages} files"]
    regions = sorted(p.stem for p in (ROOT / "data" / "regions").glob("*.yml"))
    assert sorted(p.stem for p in (out / "regions").glob("*.md") if p.stem != "index") == regions
    assert files == tree(expected)  # byte for byte what the export writes with MkDocs installed
