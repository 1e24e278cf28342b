"""The pull-request summary of a data change: the lines an editor or reviewer reads.

Each test copies the real data twice (before and after), makes the kind of change an editor
makes in the after copy, and checks the summary's exact lines.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys

import pytest
from markdown_it import MarkdownIt

from conftest import AGDAM, ROOT, Project
from portal.__main__ import main
from portal.commands.datadiff import HEADING, summarise
from portal.model.builders.geo import NO_GEOMETRY
from portal.model.site import load_site

CASPIAN = "Azerbaijan Intensifies Calls for Complete Landmine Maps from Armenia"


@pytest.fixture
def before(tmp_path) -> Project:
    shutil.copytree(ROOT / "data", tmp_path / "before" / "data")
    return Project(tmp_path / "before")


@pytest.fixture
def after(tmp_path) -> Project:
    shutil.copytree(ROOT / "data", tmp_path / "after" / "data")
    return Project(tmp_path / "after")


def lines_of(before: Project, after: Project, expected_status: int = 0) -> list[str]:
    text, status = summarise(before.data, after.data)
    assert status == expected_status, text
    return text.splitlines()


def test_an_editors_change_is_summarised_field_by_field(before, after):
    after.replace(AGDAM, "    - value: 300000", "    - value: 310000")
    after.replace("data/regions/kalbajar.yml", "reported_as: Approx. 200,000", "reported_as: About 200,000")
    after.write(
        "data/regions/kalbajar.yml",
        after.read("data/regions/kalbajar.yml")
        + "  mines_on_handed_over_maps:\n"
        "    - value: 1000\n"
        "      qualifier: about\n"
        "      as_of: 2021-06-12\n"
        "      source: clarion-2021-06-12-swap\n",
    )
    beylagan = after.read("data/regions/lachin.yml")
    for old, new in [("id: lachin", "id: beylagan"), ("AZ-LAC", "AZ-BEY"), ("en: Lachin", "en: Beylagan"), ("az: Laçın", "az: Beyləqan")]:
        beylagan = beylagan.replace(old, new)
    beylagan = beylagan[: beylagan.index("\nfigures:")] + "\nfigures: {}\n"  # a new region without figures yet
    after.write("data/regions/beylagan.yml", beylagan)
    (after.data / "events" / "2021-04-05-mine-awareness-day-statement.yml").unlink()
    after.replace(
        "data/sources.yml",
        "title: Azerbaijan swaps 15 Armenian prisoners for map showing landmines",
        "title: Azerbaijan swaps 15 Armenian prisoners for a map of landmines",
    )
    after.replace("data/geo/towns.geojson", "[46.92736,39.99096]", "[46.93736,39.99096]")

    lines = lines_of(before, after)

    assert lines[:3] == [
        HEADING,
        "",
        "1 region added, 2 regions changed, 1 event removed, 1 source changed, 1 map feature moved.",
    ]
    assert lines[lines.index("### Regions") :] == [
        "### Regions",
        "",
        "- **Changed:** Agdam (data/regions/agdam.yml)",
        f"  - estimated_mines: about 300,000 mines ({CASPIAN}, date not stated) → about 310,000 mines ({CASPIAN}, date not stated)",
        "- **Added:** Beylagan (data/regions/beylagan.yml)",
        "- **Changed:** Kalbajar (data/regions/kalbajar.yml)",
        f"  - estimated_mines, about 200,000 mines ({CASPIAN}, date not stated), reported_as: Approx. 200,000 → About 200,000",
        "  - mines_on_handed_over_maps: added about 1,000 mines (Azerbaijan swaps 15 Armenian prisoners for a map of landmines, 12 June 2021)",
        "",
        "### Events",
        "",
        "- **Removed:** 5 April 2021: Presidential aide: Armenia refuses to provide maps (data/events/2021-04-05-mine-awareness-day-statement.yml)",
        "",
        "### Sources",
        "",
        "- **Changed:** Azerbaijan swaps 15 Armenian prisoners for a map of landmines (clarion-2021-06-12-swap)",
        "  - title: Azerbaijan swaps 15 Armenian prisoners for map showing landmines → Azerbaijan swaps 15 Armenian prisoners for a map of landmines",
        "",
        "### Map features",
        "",
        "- **Moved:** Aghdam (main town of Agdam, data/geo/towns.geojson)",
        "  - moved 0.9 km: longitude 46.92736, latitude 39.99096 → longitude 46.93736, latitude 39.99096",
        "",
        "### Warnings",
        "",
        "The site is still published with these, but check them:",
        "",
        "~~~",
        # the value changed, the source's words not: the check says so, at the value's line
        f"data/regions/agdam.yml:{after.line_of(AGDAM, 'value: 310000')}: warning: figures.estimated_mines[0].value: 310000 disagrees with reported_as "
        f"'Approx. 300,000' (line {after.line_of(AGDAM, 'reported_as: Approx. 300,000')}), which gives 300,000; correct whichever is wrong "
        "(reported_as quotes the source, value is its number written out: 300000 for 'Approx. 300,000')",
        f"data/regions/beylagan.yml:1: note: {NO_GEOMETRY}",
        "~~~",
    ]


def test_an_added_observation_and_a_changed_text_field(before, after):
    after.replace(
        "data/regions/goranboy.yml",
        "figures: {}",
        "figures:\n  estimated_mines:\n    - value: 50000\n      as_of: 2022-08-23\n      source: newsaz-2022-08-un-letter\n      according_to: az-mfa",
    )
    after.replace("data/regions/goranboy.yml", "  az: Goranboy", "  az: Goranboy rayonu")
    lines = lines_of(before, after)
    title = load_site(after.data).sources["newsaz-2022-08-un-letter"].title
    assert lines[2] == "1 region changed."
    assert lines[6:] == [
        "- **Changed:** Goranboy (data/regions/goranboy.yml)",
        "  - name (az): Goranboy → Goranboy rayonu",
        f"  - estimated_mines: added 50,000 mines ({title}, 23 August 2022)",
    ]


def test_the_command_prints_the_summary_for_the_check(before, after):
    after.replace(AGDAM, "    - value: 300000", "    - value: 310000")
    env = {**os.environ, "PYTHONPATH": str(ROOT / "hooks")}
    result = subprocess.run(
        [sys.executable, "-m", "portal", "diff", str(before.data), str(after.data)],
        capture_output=True, text=True, timeout=60, env=env,
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout == summarise(before.data, after.data)[0]
    assert "1 region changed." in result.stdout.splitlines()


def test_a_change_with_errors_lists_every_problem_and_fails(before, after):
    after.replace(AGDAM, "value: 40", "value: 140")
    after.replace("data/regions/kalbajar.yml", "source: caspian-post-landmine-maps", "source: caspian-post")
    lines = lines_of(before, after, expected_status=1)
    agdam_line = after.line_of(AGDAM, "value: 140")
    kalbajar_line = after.line_of("data/regions/kalbajar.yml", "source: caspian-post")
    assert lines == [
        HEADING,
        "",
        "The data in this change has 2 problems, so nothing can be published until they are fixed. "
        "Each line gives the file, the line and what to change:",
        "",
        "~~~",
        f"data/regions/agdam.yml:{agdam_line}: figures.percent_cleared[0].value: a percentage must be between 0 and 100, got 140",
        f"data/regions/kalbajar.yml:{kalbajar_line}: figures.estimated_mines[0].source: unknown source 'caspian-post' "
        "(did you mean 'caspian-post-landmine-maps'?)",
        "~~~",
    ]


def render(lines: list[str]) -> str:
    """HTML as GitHub would make it from the summary, raw HTML and tables allowed."""
    return MarkdownIt("commonmark", {"html": True}).enable("table").render("\n".join(lines))


def test_data_text_cannot_become_markdown_or_html(before, after):
    title = "Maps | *all* <script>alert(1)</script> [here](https://example.org) _x_ # y & `z` $1$ ~~w~~ \\"
    after.replace("data/sources.yml", "title: Azerbaijan swaps 15 Armenian prisoners for map showing landmines", f"title: '{title}'")
    lines = lines_of(before, after)
    escaped = r"Maps \| \*all\* \<script\>alert(1)\</script\> \[here\](https://example.org) \_x\_ \# y \& \`z\` \$1\$ \~\~w\~\~ \\"
    assert f"- **Changed:** {escaped} (clarion-2021-06-12-swap)" in lines
    html = render(lines)
    assert "<script>" not in html and "<a " not in html and "<em>" not in html and "<code>" not in html and "<td>" not in html
    assert "<li><strong>Changed:</strong> Maps | *all* &lt;script&gt;alert(1)&lt;/script&gt; [here](https://example.org) _x_ # y &amp; `z` $1$ ~~w~~ \\ (clarion-2021-06-12-swap)" in html


def test_problem_text_stays_inside_its_code_block(before, after):
    after.replace(AGDAM, "value: 97000", "value: '~~~~ <b>bold</b>'")
    lines = lines_of(before, after, expected_status=1)
    assert lines[4] == lines[-1] == "~~~~~"
    html = render(lines)
    assert "<b>" not in html and "&lt;b&gt;bold&lt;/b&gt;" in html


def test_no_change(before, after):
    after.replace(AGDAM, "figures:\n", "# Checked against the sources in November.\nfigures:\n")  # a comment is not published
    assert lines_of(before, after) == [HEADING, "", "No change to the published data."]


def test_when_the_base_cannot_be_read_everything_is_added(before, after):
    before.replace(AGDAM, "value: 40", "value: 140")
    lines = lines_of(before, after)
    site = load_site(after.data)
    assert lines[2] == "The data before this change could not be read (1 problem), so everything below is listed as added."
    assert lines[4].startswith(f"{len(site.regions)} regions added, 1 country added, {len(site.events)} events added, ")


def test_the_git_base_command(after, capsys):
    subprocess.run(["git", "init", "-q"], cwd=after.root, check=True)
    subprocess.run(["git", "add", "data"], cwd=after.root, check=True)
    subprocess.run(
        ["git", "-c", "user.name=Test", "-c", "user.email=test@example.org", "commit", "-q", "-m", "data"], cwd=after.root, check=True
    )
    after.replace(AGDAM, "    - value: 300000", "    - value: 310000")
    assert main(["diff", "--git-base", "HEAD", "--data", str(after.data)]) == 0
    out = capsys.readouterr().out.splitlines()
    assert out[2:8] == ["1 region changed.", "", "### Regions", "", "- **Changed:** Agdam (data/regions/agdam.yml)", out[7]]
    assert out[7].startswith("  - estimated_mines: about 300,000 mines (")
    assert main(["diff", "--git-base", "no-such-ref", "--data", str(after.data)]) == 2
    assert capsys.readouterr().err.startswith("Could not take the data as it is at no-such-ref from git (fatal: ")


def test_a_changed_handover_is_summarised_part_by_part(before, after):
    rel = "data/events/2021-11-29-end-2021-maps-handover.yml"
    after.replace(rel, "      people: 10\n", "      people: 11\n")
    lines = lines_of(before, after)
    assert lines[2] == "1 event changed."
    changed = next(line for line in lines if line.startswith("  - handover released:"))
    assert changed.endswith("people: 11") and "people: 10 → " in changed
