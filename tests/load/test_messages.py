"""Messages in plain words (issue 18): every kind of YAML slip and every usual way of writing a
date gives the line to change and what to type there; warnings that matter, and only those.

Each case breaks a fresh copy of the real data in one way, as an editor in GitHub's web editor
would, and names the whole message the editor reads."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

from conftest import AGDAM, ROOT, SOURCES, problems
from portal.i18n import translations
from portal.model.builders.geo import NO_GEOMETRY
from portal.model.site import load_site

SUMMARY_SOURCES = next(line for line in (ROOT / AGDAM).read_text("utf-8").splitlines() if line.startswith("summary_sources: ["))
# the line of the first '- ' of the list of sources (the list is under the file's 'sources:')
FIRST_SOURCE = next(n for n, line in enumerate((ROOT / SOURCES).read_text("utf-8").splitlines(), start=1) if line.startswith("- id: "))


# (case, file, text to replace, replacement, the line (found by this text after the change), the message)
YAML_CASES = [
    (
        "indented-one-space-too-many", AGDAM, "  az: Ağdam", "   az: Ağdam", "   az: Ağdam",
        "line {n} is indented 3 spaces, more than the field 'en' above it (2), so it reads as part of that field's text; "
        "line it up with the field above: `  az: Ağdam` (YAML: mapping values are not allowed in this context)",
    ),
    (
        "indented-one-space-too-few-in-a-list", AGDAM, "      source: caspian-post-landmine-maps", "     source: caspian-post-landmine-maps", "     source: caspian-post-landmine-maps",
        "line {n} is indented 5 spaces, but the fields of this list item are indented 6; line it up with the fields above: "
        "`      source: caspian-post-landmine-maps` (YAML: did not find expected '-' indicator)",
    ),
    (
        "indented-between-two-levels", AGDAM, "  ru: Агдам", " ru: Агдам", " ru: Агдам",
        "line {n} is indented 1 space: between the field above it (2 spaces) and the fields of the level above (0); line it up with the one it belongs to: "
        "`  ru: Агдам` or `ru: Агдам` (YAML: did not find expected key)",
    ),
    (
        "missing-dash", SOURCES, "- id: trend-2021-04-05-hajiyev", "id: trend-2021-04-05-hajiyev", "id: trend-2021-04-05-hajiyev",
        f"line {{n}} is at the level of the list's dashes ('- ', line {FIRST_SOURCE}) but has none. If it starts a new item, write `- id: trend-2021-04-05-hajiyev`; "
        "if it belongs to the item above, indent it 2 spaces, in line with the fields above: `  id: trend-2021-04-05-hajiyev` (YAML: mapping values are not allowed in this context)",
    ),
    (
        "colon-in-unquoted-text", AGDAM, 'en: "President Aliyev said on 16 June 2021 that 97,000 mines are buried in the district, 54,000 of them anti-tank mines."',
        "en: President Aliyev said on 16 June 2021: 97,000 mines are buried in the district.", "en: President Aliyev said",
        "the text of 'en' on line {n} contains ': ', which YAML reads as the start of another field; put the whole text in double quotes: "
        "`        en: \"President Aliyev said on 16 June 2021: 97,000 mines are buried in the district.\"` (YAML: mapping values are not allowed in this context)",
    ),
    (
        "tab", AGDAM, "  ru: Агдам", "\tru: Агдам", "\tru: Агдам",
        "line {n} is indented with a tab; indent with spaces only (two for each level), as in `  ru: Агдам` (YAML: found a tab character that violates indentation)",
    ),
    (
        "tab-at-the-start-of-a-block", AGDAM, "  en: Agdam", "\ten: Agdam", "\ten: Agdam",
        "line {n} is indented with a tab; indent with spaces only (two for each level), as in `  en: Agdam` (YAML: found character that cannot start any token)",
    ),
    (
        "no-space-after-colon", AGDAM, "country: az", "country:az", "country:az",
        "line {n} has no space after the ':' of 'country'; write `country: az` (YAML: could not find expected ':')",
    ),
    (
        # the next quote down the file closes it, and libyaml stops after that one, lines below
        "quote-never-closed", AGDAM, 'reported_as: "Around 25 percent (over 16,000 hectares of land)"', 'reported_as: "Around 25 percent (over 16,000 hectares of land)', "reported_as: \"Around 25",
        "the quote (\") opened on line {n} is never closed; end the text with \" on that line: "
        "`      reported_as: \"Around 25 percent (over 16,000 hectares of land)\"` (YAML: did not find expected key)",
    ),
    (
        "text-after-the-closing-quote", AGDAM, 'reported_as: "Around 25 percent (over 16,000 hectares of land)"', 'reported_as: "Around 25 percent" (over 16,000 hectares of land)', "reported_as: \"Around 25",
        "line {n} has text after a closing quote; put the whole text in quotes (a ' inside single quotes is written ''): "
        "`      reported_as: '\"Around 25 percent\" (over 16,000 hectares of land)'` (YAML: did not find expected key)",
    ),
    (
        "bracket-never-closed", AGDAM, SUMMARY_SOURCES, SUMMARY_SOURCES.removesuffix("]"), "summary_sources:",
        "the '[' on line {n} is not closed; a list in brackets [ ] ends with ']' on the same line "
        f"(`{SUMMARY_SOURCES}`), or write one item a line instead, each starting with '- ' "
        "(YAML: did not find expected ',' or ']')",
    ),
    (
        "reserved-first-character", AGDAM, "country: az", "country: @az", "country: @az",
        "a value cannot start with '@' unless it is in quotes: `country: \"@az\"` (YAML: found character that cannot start any token)",
    ),
    (
        "folded-text-not-indented", AGDAM, "    President's special representative (April 2023).", "  President's special representative (April 2023).",
        "  President's special representative (April 2023).",
        "line {n} continues the text of 'en' but is not indented under it; indent every line of that text by 4 spaces: "
        "`    President's special representative (April 2023).` (YAML: could not find expected ':')",
    ),
    (
        "list-on-the-same-line", AGDAM, SUMMARY_SOURCES, "summary_sources: - kaaf-2021-06-13-pashinyan", "summary_sources:",
        "a list item ('- ') cannot follow 'summary_sources:' on the same line (line {n}); put each item on its own line, indented under the field, "
        "or write the list in brackets: `summary_sources: [a, b]` (YAML: block sequence entries are not allowed in this context)",
    ),
    (
        "backslash-in-double-quotes", AGDAM, 'reported_as: "Around 25 percent (over 16,000 hectares of land)"', 'reported_as: "C:\\quarry"', 'C:\\quarry',
        "inside double quotes a backslash starts a code; on line {n} write \\\\ for one backslash, or use single quotes instead of double quotes "
        "(YAML: found unknown escape character)",
    ),
]


@pytest.mark.parametrize("case", YAML_CASES, ids=lambda c: c[0])
def test_each_yaml_slip_says_what_to_type(project, case):
    _, rel, old, new, line_text, message = case
    project.replace(rel, old, new)
    n = project.line_of(rel, line_text)
    expected = f"{rel}:{n}: YAML syntax error: " + message.replace("{n}", str(n))
    assert expected in problems(project)


def test_a_list_item_without_its_dash(project):
    # a block list of sources, the second without its dash
    project.replace(AGDAM, SUMMARY_SOURCES, "summary_sources:\n  - kaaf-2021-06-13-pashinyan\n  clarion-2021-06-12-swap")
    n = project.line_of(AGDAM, "  clarion-2021-06-12-swap")
    assert (
        f"{AGDAM}:{n}: YAML syntax error: line {n} is in a list but has no dash; each item of a list starts with '- ': "
        "`  - clarion-2021-06-12-swap` (YAML: could not find expected ':')"
    ) in problems(project)


def test_the_first_item_of_a_list_under_a_field_without_its_dash(project):
    # data/sources.yml: `sources:`, then its items with their dashes at the same column
    first = project.read(SOURCES).split("\n")[FIRST_SOURCE - 1]
    project.replace(SOURCES, first, first.removeprefix("- "))
    second = next(n for n, line in enumerate(project.read(SOURCES).splitlines(), start=1) if line.startswith("- id: "))
    assert (
        f"{SOURCES}:{FIRST_SOURCE}: YAML syntax error: line {FIRST_SOURCE} is at the level of the list's dashes ('- ', line {second}) but has none; "
        f"each item of the list starts with '- ': `{first}` (YAML: mapping values are not allowed in this context)"
    ) in problems(project)


def test_a_quote_never_closed_at_the_last_quote_of_the_file(project):
    # no quote further down closes it: libyaml reads on to the end of the file
    *_, last = (line for line in project.read(AGDAM).splitlines() if line.rstrip().endswith('"'))
    project.replace(AGDAM, last, last.rstrip().removesuffix('"'))
    n = project.line_of(AGDAM, last.rstrip().removesuffix('"'))
    assert (
        f"{AGDAM}:{n}: YAML syntax error: the quote (\") opened on line {n} is never closed; end the text with \" on that line: "
        f"`{last.rstrip()}` (YAML: found unexpected end of stream)"
    ) in problems(project)


def test_the_end_of_document_marker(project):
    project.replace(AGDAM, "country: az\n", "country: az\n...\n")
    n = project.line_of(AGDAM, "...") + 1
    assert (
        f"{AGDAM}:{n}: YAML syntax error: line {n} follows the end of the document ('...' or '---' above it); a data file holds one document: "
        "remove that marker (YAML: did not find expected <document start>)"
    ) in problems(project)


def test_an_invisible_control_character_is_named_with_its_line(project):
    project.replace(AGDAM, "  en: Agdam", "  en: Ag\x07dam")
    n = project.line_of(AGDAM, "Ag\x07dam")
    assert f"{AGDAM}:{n}: line {n} holds an invisible control character (U+0007), often pasted from another program; delete it (retype the text around it)" in problems(project)


# -- dates ---------------------------------------------------------------------------------

DATE = "expected a date written YYYY-MM-DD (or YYYY-MM, or YYYY when only the month or year is known)"
DATE_CASES = [
    ("day-first", "19/10/2021", f"{DATE}, got the text '19/10/2021'; for '19/10/2021' write 2021-10-19"),
    ("day-first-dots", "19.10.2021", f"{DATE}, got the text '19.10.2021'; for '19.10.2021' write 2021-10-19"),
    ("month-first", "10/19/2021", f"{DATE}, got the text '10/19/2021'; for '10/19/2021' write 2021-10-19"),
    (
        "ambiguous",
        "12/06/2021",
        f"{DATE}, got the text '12/06/2021'; '12/06/2021' could be 12 June or 6 December 2021: write 2021-06-12 (day 12) or 2021-12-06 (day 6), as the source means it",
    ),
    ("same-day-and-month", "6/6/2021", f"{DATE}, got the text '6/6/2021'; for '6/6/2021' write 2021-06-06"),
    ("words", "12 June 2021", f"{DATE}, got the text '12 June 2021'; for '12 June 2021' write 2021-06-12"),
    ("words-month-first", "June 12, 2021", f"{DATE}, got the text 'June 12, 2021'; for 'June 12, 2021' write 2021-06-12"),
    ("russian", "12 июня 2021 г.", f"{DATE}, got the text '12 июня 2021 г.'; for '12 июня 2021 г.' write 2021-06-12"),
    ("azerbaijani", "12 iyun 2021", f"{DATE}, got the text '12 iyun 2021'; for '12 iyun 2021' write 2021-06-12"),
    ("month-and-year", "June 2021", f"{DATE}, got the text 'June 2021'; for 'June 2021' write 2021-06"),
    ("slashes-year-first", "2021/6/12", f"{DATE}, got the text '2021/6/12'; for '2021/6/12' write 2021-06-12"),
    ("no-leading-zeros", "2021-6-12", f"{DATE}, got the text '2021-6-12'; for '2021-6-12' write 2021-06-12"),
    ("two-digit-year", "12.06.21", f"{DATE}, got the text '12.06.21'; '12.06.21' has a two-digit year: write the year in full, as YYYY-MM-DD"),
    ("not-a-date", "last summer", f"{DATE}, got the text 'last summer'"),
]


@pytest.mark.parametrize("typed, expected", [c[1:] for c in DATE_CASES], ids=[c[0] for c in DATE_CASES])
def test_a_date_echoes_what_was_typed_and_proposes_the_iso_form(project, typed, expected):
    project.replace(AGDAM, "as_of: 2021-06-12", f"as_of: {typed}")
    n = project.line_of(AGDAM, f"as_of: {typed}")
    assert f"{AGDAM}:{n}: figures.mines_on_handed_over_maps[0].as_of: {expected}" in problems(project)


def test_a_date_that_yaml_reads_as_a_number(project):
    project.replace(AGDAM, "as_of: 2021-06-12", "as_of: 2021.06")
    n = project.line_of(AGDAM, "as_of: 2021.06")
    assert (
        f"{AGDAM}:{n}: figures.mines_on_handed_over_maps[0].as_of: expected the date the value refers to (YYYY-MM-DD, YYYY-MM or YYYY), "
        "or null when the source gives none; got the number 2021.06; for '2021.06' write 2021-06"
    ) in problems(project)


def test_day_and_month_swapped_in_the_iso_form(project):
    project.replace(AGDAM, "as_of: 2021-06-12", "as_of: 2021-19-10")
    n = project.line_of(AGDAM, "as_of: 2021-19-10")
    assert f"{AGDAM}:{n}: figures.mines_on_handed_over_maps[0].as_of: '2021-19-10' is not a real date; there is no month 19: day and month swapped? write 2021-10-19" in problems(project)


# -- reported_as against value ---------------------------------------------------------------


def warnings(project) -> list[str]:
    return [str(p) for p in load_site(project.data).warnings if p.severity == "warning"]


def test_today_s_data_has_no_warning_but_missing_translations():
    assert [str(p) for p in load_site(ROOT / "data").warnings if p.severity != "note"] == []


def test_a_value_changed_without_its_reported_as_is_a_warning_at_its_line(project):
    project.replace(AGDAM, "    - value: 300000", "    - value: 305")
    n = project.line_of(AGDAM, "- value: 305")
    at = project.line_of(AGDAM, "reported_as: Approx. 300,000")
    assert warnings(project) == [
        f"{AGDAM}:{n}: warning: figures.estimated_mines[0].value: 305 disagrees with reported_as 'Approx. 300,000' (line {at}), which gives 300,000; "
        "correct whichever is wrong (reported_as quotes the source, value is its number written out: 300000 for 'Approx. 300,000')"
    ]


@pytest.mark.parametrize(
    "value, reported_as",
    [
        ("300000", "Approx. 300,000"),
        ("300000", "approx. 300 000"),
        ("300000", "about 300k mines"),
        ("300000", "около 300 тыс. мин"),
        ("1500000", "about 1.5 million mines"),
        ("1500000", "около 1,5 млн мин"),
        ("300000", "300.000 mina"),
        ("300000", "in 2021, an estimated 300,000 mines"),  # other numbers beside it
        ("300000", "hundreds of thousands"),  # no digits: not read
        ("5", "5 m from the road"),  # a short unit word may be metres, not millions
    ],
)
def test_reported_as_in_any_usual_form_agrees_with_its_value(project, value, reported_as):
    project.replace(AGDAM, "    - value: 300000", f"    - value: {value}")
    project.replace(AGDAM, "reported_as: Approx. 300,000", f"reported_as: {reported_as!r}".replace("'", '"'))
    assert warnings(project) == []


@pytest.mark.parametrize("value, reported_as", [("40", "40% cleared"), ("40", "40 percent"), ("40", "forty per cent")])
def test_a_percentage_agrees_with_its_wording(project, value, reported_as):
    project.replace(AGDAM, "reported_as: 40% cleared", f'reported_as: "{reported_as}"')
    project.replace(AGDAM, "    - value: 40\n", f"    - value: {value}\n")
    assert warnings(project) == []


def test_a_percentage_that_disagrees_is_a_warning(project):
    project.replace(AGDAM, "    - value: 40\n", "    - value: 45\n")
    n, at = project.line_of(AGDAM, "- value: 45"), project.line_of(AGDAM, "reported_as: 40% cleared")
    assert warnings(project) == [
        f"{AGDAM}:{n}: warning: figures.percent_cleared[0].value: 45 disagrees with reported_as '40% cleared' (line {at}), which gives 40; "
        "correct whichever is wrong (reported_as quotes the source, value is its number written out: 300000 for 'Approx. 300,000')"
    ]


def test_an_area_in_km2_agrees_with_a_value_in_hectares(project):
    project.replace(
        "data/countries/az.yml",
        "      since: 2024-10-07\n",
        "      since: 2024-10-07\n      reported_as: 11.987 km2\n",
    )
    value = [o.value for s in load_site(project.data).countries["az"].figures for o in s.observations if o.reported_as == "11.987 km2"]
    assert value == [1198.7], "the case is the weekly cleared area in ha"
    assert warnings(project) == []


# -- counts and what validate says ----------------------------------------------------------


def run(*args: str, cwd=ROOT) -> subprocess.CompletedProcess:
    import os

    env = {**os.environ, "PYTHONPATH": str(ROOT / "hooks")}
    env.pop("GITHUB_ACTIONS", None)
    return subprocess.run([sys.executable, "-m", "portal", *args], capture_output=True, text=True, timeout=120, env=env, cwd=cwd)


def test_validate_counts_agree_in_number_and_it_never_speaks_of_publishing(project):
    for extra in sorted((project.data / "countries").glob("*.yml"))[1:]:
        extra.unlink()
    ok = run("validate", "--data", str(project.data))
    assert ok.returncode == 0, ok.stderr
    assert ", 1 country, " in ok.stdout and "countries" not in ok.stdout
    project.replace(AGDAM, "value: 40", "value: 140")
    failed = run("validate", "--data", str(project.data))
    assert failed.returncode == 1
    assert failed.stderr.splitlines()[-1] == "1 problem in the data. Fix the lines above, then run make validate again."
    assert "publish" not in failed.stderr + ok.stderr


def unplace(project, count: int = 2) -> list[str]:
    """Takes every feature of ``count`` regions out of the copy's data/geo/ (since issue 17 every
    region of the sample has its boundary) and returns the files of the regions left unplaced."""
    regions = sorted(path.stem for path in (project.data / "regions").glob("*.yml"))[-count:]
    for path in sorted((project.data / "geo").glob("*.geojson")):
        collection = json.loads(path.read_text("utf-8"))
        collection["features"] = [f for f in collection["features"] if (f.get("properties") or {}).get("region") not in regions]
        path.write_text(json.dumps(collection, ensure_ascii=False), "utf-8")
    data = load_site(project.data)
    placed = {f.region for f in data.geo}
    return sorted(r.file for r in data.regions.values() if r.id not in placed)


def english_only(project, rel: str = AGDAM, field: str = "      note:") -> None:
    """Makes one text of the copy English only: ``field``'s translations go, its English text stays
    (since issue 14 every text of the sample has its az and ru, as drafts)."""
    lines = project.read(rel).split("\n")
    start = next(i for i, line in enumerate(lines) if line.rstrip() == field)
    depth = len(field) - len(field.lstrip())
    end = next((i for i in range(start + 1, len(lines)) if lines[i].strip() and len(lines[i]) - len(lines[i].lstrip()) <= depth), len(lines))
    english = next(line for line in lines[start + 1 : end] if line.strip().startswith("en: "))
    lines[start:end] = [f"{field} {english.split('en: ', 1)[1]}"]
    project.write(rel, "\n".join(lines))


def test_regions_without_geometry_are_one_note_not_a_warning_each(project):
    unplaced = unplace(project)
    assert len(unplaced) == 2, unplaced
    result = run("validate", "--data", str(project.data), "--no-translations")
    assert result.returncode == 0
    assert result.stderr.splitlines() == [f"note: {', '.join(unplaced)}: {NO_GEOMETRY}"]


def test_missing_translations_are_one_line_per_edition_and_listed_on_request(project):
    english_only(project)
    result = run("validate", "--data", str(project.data), "--content", str(project.root / "content"))
    lines = [line for line in result.stderr.splitlines() if "translat" in line]
    missing = translations.missing_in_data(project.data)
    assert missing, "the sample lacks some translations"
    assert len(lines) == 2 and [line.split(":")[1].strip() for line in lines] == ["az", "ru"]
    assert all(line.endswith("make validate TRANSLATIONS=1 (python -m portal validate --translations) lists them") for line in lines)
    full = run("validate", "--translations", "--data", str(project.data), "--content", str(project.root / "content"))
    assert all(f"warning: {line}" in full.stderr.splitlines() for line in missing)
    quiet = run("validate", "--no-translations", "--data", str(project.data))
    assert "translat" not in quiet.stderr


def test_make_validate_passes_translations_on(tmp_path):
    make = subprocess.run(["make", "-n", "validate", "TRANSLATIONS=1"], cwd=ROOT, capture_output=True, text=True)
    assert "-m portal validate --translations" in make.stdout
    make = subprocess.run(["make", "-n", "validate"], cwd=ROOT, capture_output=True, text=True)
    assert "--translations" not in make.stdout


def test_the_build_says_in_one_line_what_an_edition_shows_in_english_and_lists_it_on_request(project):
    from conftest import build

    english_only(project)
    unplace(project)
    result = build(project.root, project.root / "site" / "az", PORTAL_EDITION="az")
    assert result.returncode == 0, result.stderr[-2000:]
    summary = [line for line in result.stderr.splitlines() if "not yet translated" in line]
    assert len(summary) == 1 and " az: " in summary[0] and "shown in English (not yet translated); make validate TRANSLATIONS=1" in summary[0], summary
    assert "no az (Azərbaycanca)" not in result.stderr
    listed = build(project.root, project.root / "site" / "az", PORTAL_EDITION="az", PORTAL_TRANSLATIONS="1")
    assert listed.returncode == 0
    wanted = [line for line in translations.missing_in_data(project.data, ("az",))]
    assert wanted and all(line in listed.stderr for line in wanted)
    # the regions without geometry: one note in the build too
    assert len([line for line in result.stderr.splitlines() if NO_GEOMETRY in line]) == 1


@pytest.mark.parametrize("rel", [AGDAM, SOURCES, "data/countries/az.yml", "data/events/2024-02-12-anama-new-forms-inaccurate.yml"])
def test_every_usual_slip_on_every_line_gives_a_message_on_a_line_of_the_file(rel):
    """One slip at a time on every line (a space more or less, a tab, a lost dash, quote or space
    after ':', an extra ': x'): never a traceback, always a line of the file and words, not
    libyaml's alone."""
    from portal.load.yamlload import Loaded, load_text

    lines = (ROOT / rel).read_text("utf-8").split("\n")
    slips = 0
    for i, line in enumerate(lines):
        for changed in (line[1:], " " + line, "\t" + line.lstrip(), line.replace(": ", ":", 1), line + ": x", line.replace("- ", "", 1), line.replace('"', "", 1), "  " + line):
            if changed == line:
                continue
            loaded = load_text("\n".join(lines[:i] + [changed] + lines[i + 1 :]), Loaded(rel))
            for problem in loaded.problems:
                assert 1 <= problem.line <= len(lines), (changed, str(problem))
                if problem.message.startswith("YAML syntax error: "):
                    slips += 1
                    words = problem.message.removeprefix("YAML syntax error: ").split(" (YAML: ")[0]
                    assert words.startswith(("line ", "the ", "a ", "on line ", "inside ", "& and *")), str(problem)
    assert slips > len(lines)
