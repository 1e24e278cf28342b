"""``python -m portal export``: the pages and files made from data/, written without MkDocs, so
that the portal can move to another static-site generator (or be read file by file)."""

from __future__ import annotations

import yaml

from conftest import ROOT, run_cli
from portal.model.site import load_site

AGDAM = ROOT / "data" / "regions" / "agdam.yml"


def test_the_export_holds_every_page_and_the_published_downloads(tmp_path, built_site):
    out = tmp_path / "export"
    result = run_cli("export", "--out", str(out))
    assert result.returncode == 0, result.stderr
    regions = sorted(p.stem for p in (ROOT / "data" / "regions").glob("*.yml"))
    assert sorted(p.stem for p in (out / "regions").glob("*.md") if p.stem != "index") == regions
    from portal.render.figurecharts import csv_paths

    site = load_site(ROOT / "data")
    pages = len(regions) + len(site.countries) + 13  # the fixed generated pages and the hand-written ones
    files = sum(1 for f in out.rglob("*") if f.is_file() and f.suffix != ".md")
    assert result.stdout.strip() == f"exported the English edition into {out}: {pages} pages (Markdown) and {files} files"
    assert sorted(str(f.relative_to(out)) for f in (out / "data" / "charts").glob("*.csv")) == sorted(csv_paths(site))
    assert sorted(p.relative_to(out).as_posix() for p in (out / "map" / "near").iterdir()) == [f"map/near/{r}.geojson" for r in regions]  # every region here is on the maps
    agdam = (out / "regions" / "agdam.md").read_text("utf-8")
    assert agdam.startswith(f"# {yaml.safe_load(AGDAM.read_text('utf-8'))['name']['en']}\n")
    assert "portal-stash" not in agdam
    home = (out / "index.md").read_text("utf-8")
    assert "<!-- portal:" not in home and 'class="portal-block portal-national"' in home  # directives replaced by what they show
    # the downloads and feeds are those of the published site, byte for byte
    for path in ("data/events.csv", "data/datapackage.json", "data/map-layers.geojson", "feeds/events.atom", "map/regions.geojson", "map/near/agdam.geojson"):
        assert (out / path).read_bytes() == (built_site / path).read_bytes(), path


def test_an_edition_is_exported_in_its_language(tmp_path):
    out = tmp_path / "az"
    result = run_cli("export", "--out", str(out), "--lang", "az")
    assert result.returncode == 0, result.stderr
    name = yaml.safe_load(AGDAM.read_text("utf-8"))["name"]["az"]
    assert (out / "regions" / "agdam.md").read_text("utf-8").startswith(f"# {name}\n")
    assert (out / "about.md").read_text("utf-8") == (ROOT / "content" / "about.az.md").read_text("utf-8")  # the az page, no directives


def test_broken_data_and_pages_export_nothing_and_say_every_problem(project, tmp_path):
    project.replace("data/regions/agdam.yml", "value: 40", "value: 140")
    project.write("content/about.az.md", project.read("content/about.az.md") + "\n<!-- portal:no-such-thing -->\n")
    out = tmp_path / "export"
    result = run_cli("export", "--out", str(out), "--data", str(project.data), "--content", str(project.root / "content"))
    assert result.returncode == 1
    lines = result.stderr.splitlines()
    assert any(line.startswith("data/regions/agdam.yml:") and "got 140" in line for line in lines)
    assert any(line.startswith("content/about.az.md:") and "no-such-thing" in line for line in lines)
    assert result.stderr.strip().endswith("nothing was exported")
    assert list(tmp_path.iterdir()) == [project.root]  # no folder, not even a half-written one


def test_the_export_never_writes_into_a_folder_with_files(tmp_path):
    out = tmp_path / "export"
    out.mkdir()
    (out / "keep.txt").write_text("mine", "utf-8")
    result = run_cli("export", "--out", str(out))
    assert result.returncode == 1
    assert "not an empty folder" in result.stderr
    assert [p.name for p in out.iterdir()] == ["keep.txt"]
