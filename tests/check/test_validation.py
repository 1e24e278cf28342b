"""Every kind of editor mistake gives the exact ``file:line: field: message`` an editor sees.

Each case breaks a fresh copy of the real data in one way and names the message it expects.
"""

from __future__ import annotations

import datetime as dt

import pytest
import yaml

from conftest import AGDAM, ROOT, SOURCES, problems, run_cli
from portal.load.yamlload import MAX_BYTES
from portal.model.site import load_site
from portal.problems import DataError, report

TODAY = dt.date.today().isoformat()


# (case id, file, text to replace, replacement, the line (found by this text after the change), expected message)
CASES = [
    ("yaml-colon-in-value", AGDAM, "  en: Agdam", "  en: Agdam: the district", "en: Agdam: the district",
        "data/regions/agdam.yml:{n}: YAML syntax error: the text of 'en' on line {n} contains ': ', which YAML reads as the start of another field; put the whole text in double quotes: `  en: \"Agdam: the district\"` (YAML: mapping values are not allowed in this "
        "context)"),
    ("tab-indent", AGDAM, "  az: Ağdam", "\taz: Ağdam", "\taz: Ağdam",
        "data/regions/agdam.yml:{n}: YAML syntax error: line {n} is indented with a tab; indent with spaces only (two for each level), as in `  az: Ağdam` (YAML: found a tab character that violates indentation)"),
    ("duplicate-key", AGDAM, "iso: AZ-AGM\n", "iso: AZ-AGM\niso: AZ-FUZ\n", "iso: AZ-FUZ", "data/regions/agdam.yml:{n}: duplicate key 'iso' (first given on line {first}); keep one"),
    ("anchor", AGDAM, "country: az", "country: &c az", "country: &c", "data/regions/agdam.yml:{n}: anchors (&c) are not allowed; write each value out in full"),
    ("alias", AGDAM, "      source: caspian-post-landmine-maps\n      reported_as: 40% cleared", "      source: *src\n      reported_as: 40% cleared", "source: *src", "data/regions/agdam.yml:{n}: aliases (*src) are not allowed; write the value out in full"),
    ("tag", AGDAM, "iso: AZ-AGM", "iso: !!str AZ-AGM", "iso: !!str", "data/regions/agdam.yml:{n}: tags (!!str) are not allowed; remove it and quote the value if it is text"),
    ("two-documents", AGDAM, "country: az\n", "country: az\n---\nid: other\n", "---", "data/regions/agdam.yml:{n}: the file holds more than one YAML document ('---'); keep one per file"),
    ("norway-boolean", "data/countries/az.yml", "      date_approximate: true", "      date_approximate: yes", "date_approximate: yes",
        "data/countries/az.yml:{n}: figures.mine_victims_total[8].date_approximate: expected true or false, got the text 'yes'; write true or false"),
    ("leading-zero", AGDAM, "value: 97000", "value: 097000", "value: 097000", "data/regions/agdam.yml:{n}: figures.mines_on_handed_over_maps[0].value: expected a number, got the text '097000'; a number cannot start with 0: write 97000"),
    ("sexagesimal", AGDAM, "value: 97000", "value: 12:30", "value: 12:30", "data/regions/agdam.yml:{n}: figures.mines_on_handed_over_maps[0].value: expected a number, got the text '12:30'"),
    ("thousands-separator", AGDAM, "value: 97000", "value: 97,000", "value: 97,000", "data/regions/agdam.yml:{n}: figures.mines_on_handed_over_maps[0].value: expected a number, got the text '97,000'; write numbers without separators: 97000"),
    ("number-where-text", AGDAM, "reported_as: Approx. 300,000", "reported_as: 1.10", "reported_as: 1.10", 'data/regions/agdam.yml:{n}: figures.estimated_mines[0].reported_as: expected text, got the number 1.10; put it in quotes to keep it as written: "1.10"'),
    ("unknown-key-typo", AGDAM, "country: az\n", "country: az\nstaus: checked\n", "staus:", "data/regions/agdam.yml:{n}: staus: unknown field 'staus'; expected one of: checked, country, draft_translations, figures, id, iso, name, summary, summary_sources"),
    ("unknown-key-suggestion", AGDAM, "      reported_as: Approx. 300,000", "      reportd_as: Approx. 300,000", "reportd_as",
        "data/regions/agdam.yml:{n}: figures.estimated_mines[0].reportd_as: unknown field 'reportd_as' (did you mean 'reported_as'?); expected one of: according_to, as_of, date_approximate, note, qualifier, reported_as, since, source, unit, value"),
    ("wrong-type", AGDAM, "value: 97000", "value: many", "value: many", "data/regions/agdam.yml:{n}: figures.mines_on_handed_over_maps[0].value: expected a number, got the text 'many'"),
    ("list-expected", AGDAM, "summary_sources: [kaaf-2021-06-13-pashinyan, clarion-2021-06-12-swap, abc-az-agdam-maps, caspian-post-landmine-maps, trend-2023-02-28-anama-agdam, trend-2023-04-17-huseynov]", "summary_sources: clarion-2021-06-12-swap", "summary_sources:",
        "data/regions/agdam.yml:{n}: summary_sources: expected a list (lines starting with '- '), got the text 'clarion-2021-06-12-swap'"),
    ("missing-required", AGDAM, "      source: kaaf-2021-06-13-pashinyan\n", "", "- value: 97000", "data/regions/agdam.yml:{n}: figures.mines_on_handed_over_maps[0].source: required field is missing"),
    ("empty-text", AGDAM, "        en: \"President Aliyev said on 16 June 2021 that 97,000 mines are buried in the district, 54,000 of them anti-tank mines.\"", "        en: '   '", "en: '   '",
        "data/regions/agdam.yml:{n}: figures.mines_on_handed_over_maps[0].note.en: must not be empty or only spaces"),
    ("unknown-language", AGDAM, "  az: Ağdam", "  fr: Agdam", "fr: Agdam", "data/regions/agdam.yml:{n}: name.fr: unknown field 'fr'; expected one of: az, en, ru"),
    ("unknown-source", AGDAM, "      source: kaaf-2021-06-13-pashinyan", "      source: ministry-website", "source: ministry-website",
        "data/regions/agdam.yml:{n}: figures.mines_on_handed_over_maps[0].source: unknown source 'ministry-website'; add it to data/sources.yml first"),
    ("unknown-source-suggestion", AGDAM, "      source: kaaf-2021-06-13-pashinyan", "      source: kaaf-2021-06-13-pashinyn", "source: kaaf-2021-06-13-pashinyn",
        "data/regions/agdam.yml:{n}: figures.mines_on_handed_over_maps[0].source: unknown source 'kaaf-2021-06-13-pashinyn' (did you mean 'kaaf-2021-06-13-pashinyan'?)"),
    ("unknown-actor", AGDAM, "according_to: az-mfa", "according_to: aliyev", "according_to: aliyev", "data/regions/agdam.yml:{n}: figures.mines_on_handed_over_maps[0].according_to: unknown actor 'aliyev'; add it to data/actors.yml first"),
    ("unknown-figure", AGDAM, "  percent_cleared:", "  percent_clear:", "percent_clear:", "data/regions/agdam.yml:{n}: figures.percent_clear: unknown figure 'percent_clear' (did you mean 'percent_cleared'?)"),
    ("id-not-file-name", AGDAM, "id: agdam", "id: aghdam", "id: aghdam", "data/regions/agdam.yml:{n}: id: the id 'aghdam' differs from the file name; rename the file to aghdam.yml or set id: agdam"),
    ("bad-id-form", AGDAM, "id: agdam", "id: Agdam", "id: Agdam", "data/regions/agdam.yml:{n}: id: expected an id of lower-case letters, digits and single hyphens, such as 'agdam' or 'anama-2024-02-12'"),
    ("iso-not-a-code", AGDAM, "iso: AZ-AGM", "iso: AZ-ZZZ", "iso: AZ-ZZZ", "data/regions/agdam.yml:{n}: iso: 'AZ-ZZZ' is not an ISO 3166-2 code"),
    ("iso-other-country", AGDAM, "iso: AZ-AGM", "iso: AM-ER", "iso: AM-ER", "data/regions/agdam.yml:{n}: iso: 'AM-ER' is not a code of AZ; region codes of this country start with AZ-"),
    ("iso-form", AGDAM, "iso: AZ-AGM", "iso: Agdam", "iso: Agdam", "data/regions/agdam.yml:{n}: iso: expected an ISO 3166-2 code such as AZ-AGM"),
    ("unknown-country", AGDAM, "country: az", "country: azerbaijan", "country: azerbaijan", "data/regions/agdam.yml:{n}: country: unknown country 'azerbaijan'; add it to data/countries/ first"),
    ("percent-over-100", AGDAM, "value: 40", "value: 140", "value: 140", "data/regions/agdam.yml:{n}: figures.percent_cleared[0].value: a percentage must be between 0 and 100, got 140"),
    ("negative-count", AGDAM, "value: 97000", "value: -5", "value: -5", "data/regions/agdam.yml:{n}: figures.mines_on_handed_over_maps[0].value: must be at least 0, got -5"),
    ("fractional-count", AGDAM, "value: 97000", "value: 97000.5", "value: 97000.5", "data/regions/agdam.yml:{n}: figures.mines_on_handed_over_maps[0].value: a count must be a whole number, got 97000.5"),
    ("wrong-unit", AGDAM, "      as_of: 2021-06-12\n      source: kaaf-2021-06-13-pashinyan", "      unit: km2\n      as_of: 2021-06-12\n      source: kaaf-2021-06-13-pashinyan", "unit: km2",
        "data/regions/agdam.yml:{n}: figures.mines_on_handed_over_maps[0].unit: 'km2' is not a unit of 'mines_on_handed_over_maps'; expected one of: mines"),
    ("qualifier-typo", AGDAM, "      as_of: 2021-06-12\n      source: kaaf-2021-06-13-pashinyan", "      qualifier: approx\n      as_of: 2021-06-12\n      source: kaaf-2021-06-13-pashinyan", "qualifier: approx",
        "data/regions/agdam.yml:{n}: figures.mines_on_handed_over_maps[0].qualifier: expected one of: about, more_than, at_least, at_most, fewer_than; got the text 'approx'"),
    ("impossible-date", AGDAM, "as_of: 2021-06-12", "as_of: 2021-02-30", "as_of: 2021-02-30", "data/regions/agdam.yml:{n}: figures.mines_on_handed_over_maps[0].as_of: '2021-02-30' is not a real date"),
    ("future-date", AGDAM, "as_of: 2021-06-12", "as_of: 2999-01-01", "as_of: 2999-01-01", f"data/regions/agdam.yml:{{n}}: figures.mines_on_handed_over_maps[0].as_of: '2999-01-01' is in the future (today is {TODAY})"),
    ("date-form", AGDAM, "as_of: 2021-06-12", "as_of: 12 June 2021", "as_of: 12 June 2021",
        "data/regions/agdam.yml:{n}: figures.mines_on_handed_over_maps[0].as_of: expected a date written YYYY-MM-DD (or YYYY-MM, or YYYY when only the month or year is known), got the text '12 June 2021'; for '12 June 2021' write 2021-06-12"),
    ("period-backwards", "data/countries/az.yml", "      since: 2024-10-07", "      since: 2024-11-07", "since: 2024-11-07", "data/countries/az.yml:{n}: figures.cleared_area_period[3].since: the period starts (2024-11-07) after its end, as_of (2024-10-13)"),
    ("period-missing", "data/countries/az.yml", "      since: 2024-10-07\n", "", "value: 1198.7", "data/countries/az.yml:{n}: figures.cleared_area_period[3].since: 'cleared_area_period' counts a period: give its start date in 'since'"),
    ("url-scheme", SOURCES, "url: https://en.trend.az/azerbaijan/politics/3404058.html", "url: javascript:alert(1)", "url: javascript:alert(1)", "data/sources.yml:{n}: sources[2].url: expected a web address starting with https:// (or http://)"),
    ("accessed-before-published", SOURCES, "  published: 2021-04-05\n  url: https://en.trend.az/azerbaijan/politics/3404058.html\n  accessed: 2026-11-29", "  published: 2021-04-05\n  url: https://en.trend.az/azerbaijan/politics/3404058.html\n  accessed: 2021-01-01",
        "accessed: 2021-01-01", "data/sources.yml:{n}: sources[2].accessed: accessed (2021-01-01) is before the publication date (2021-04-05)"),
    ("summary-link-scheme", AGDAM, "    President's special representative (April 2023).", "    [President's special representative](javascript:alert(1)) (April 2023).", "summary:",
        "data/regions/agdam.yml:{n}: summary: link 'javascript:alert(1)' is not allowed; links must start with https:// or mailto:"),
    ("markup-in-name", AGDAM, "  en: Agdam", '  en: "\\"><img src=x onerror=alert(1)>"', "onerror", 'data/regions/agdam.yml:{n}: name.en: must be a non-empty name without the characters < > " { } [ ] * _ ` | \\ (names land in page titles and links)'),
    ("unknown-region-in-demand", "data/demands.yml", "  scope: all\n  made_by:\n    - actor: az-mfa", "  scope: [agdam, atlantis]\n  made_by:\n    - actor: az-mfa", "scope: [agdam, atlantis]",
        "data/demands.yml:{n}: demands[0].scope[1]: unknown region 'atlantis'; add it to data/regions/ first"),
    ("demand-scope-form", "data/demands.yml", "  scope: all\n  made_by:\n    - actor: az-mfa", "  scope: everywhere\n  made_by:\n    - actor: az-mfa", "scope: everywhere",
        "data/demands.yml:{n}: demands[0].scope: expected 'all' or a list of region ids; got the text 'everywhere'"),
    ("hyphen-folded", "data/events/2025-05-22-neutralised-items-total.yml", "36,904 anti-personnel\n    and 21,778", "36,904 anti-\n    personnel and 21,778", "36,904 anti-",
        "data/events/2025-05-22-neutralised-items-total.yml:{n}: summary.en: the line ends with a hyphen inside a text that YAML folds into one line, so the page would read 'anti- personnel'; move the whole hyphenated word onto one line"),
    ("stale-limit", "data/figures.yml", "  headline: true\n  description:\n    en: An estimate", "  headline: true\n  stale_after_months: 0\n  description:\n    en: An estimate", "stale_after_months: 0",
        "data/figures.yml:{n}: estimated_mines.stale_after_months: must be at least 1, got 0"),
    ("glossary-unknown-source", "data/glossary.yml", "  sources: [landmine-monitor-2019-azerbaijan]\n\n- id: non-technical-survey", "  sources: [landmine-monitor-2019]\n\n- id: non-technical-survey", "sources: [landmine-monitor-2019]",
        "data/glossary.yml:{n}: terms[2].sources[0]: unknown source 'landmine-monitor-2019' (did you mean 'landmine-monitor-2019-azerbaijan'?)"),
    ("glossary-term-twice", "data/glossary.yml", "  term: ICJ\n", "  term: ANAMA  # twice\n", "term: ANAMA  # twice", "data/glossary.yml:{n}: terms[4].term: 'ANAMA' is already defined in the glossary (item 1); define each term once"),
    ("impact-without-source", "data/impacts.yml", "    sources: [caspian-post-landmine-maps]\n", "    sources: []\n", "sources: []", "data/impacts.yml:{n}: impacts[0].sources: must list at least 1 item"),
]


@pytest.mark.parametrize(
    "rel, old, new, line_text, expected", [c[1:] for c in CASES], ids=[c[0] for c in CASES]
)
def test_each_mistake_gives_the_exact_message(project, rel, old, new, line_text, expected):
    project.replace(rel, old, new)
    expected = expected.replace("{n}", str(project.line_of(rel, line_text)))
    if "{first}" in expected:  # the line of the first of two duplicate keys
        expected = expected.replace("{first}", str(project.line_of(rel, new.split("\n")[0])))
    assert expected in problems(project)


def test_a_bracket_left_open_is_reported_at_its_own_line(project):
    project.replace(AGDAM, "figures:\n", "figures: [\n")
    line = project.line_of(AGDAM, "figures: [")  # libyaml notices later, at the first token it cannot place
    assert (
        f"data/regions/agdam.yml:{line}: YAML syntax error: the '[' on line {line} is not closed; a list in brackets [ ] ends with ']' "
        "on the same line (`figures: []`), or write one item a line instead, each starting with '- ' (YAML: did not find expected node content)"
    ) in problems(project)


def test_non_utf8_bytes_are_refused_with_their_line(project):
    line = project.line_of(AGDAM, "az: Ağdam")
    path = project.root / AGDAM
    path.write_bytes(path.read_bytes().replace("Ağdam".encode(), b"A\xffdam"))  # a Latin-1 editor's save
    assert f"data/regions/agdam.yml:{line}: the file is not UTF-8 text (byte 0xff); save it with UTF-8 encoding" in problems(project)


def test_an_oversized_file_is_refused(project):
    project.write("data/regions/agdam.yml", project.read(AGDAM) + "#" * (MAX_BYTES + 1) + "\n")
    size = (project.root / AGDAM).stat().st_size
    assert f"data/regions/agdam.yml:1: the file is {size:,} bytes; the limit is {MAX_BYTES:,}. Split it into smaller files." in problems(project)


def test_a_duplicate_source_id_names_both_lines(project):
    project.replace(SOURCES, "- id: trend-2021-04-05-hajiyev", "- id: trend-2021-03-04-un-letter")
    first = project.line_of(SOURCES, "- id: trend-2021-03-04-un-letter", 1)
    second = project.line_of(SOURCES, "- id: trend-2021-03-04-un-letter", 2)
    assert f"data/sources.yml:{second}: sources[2].id: duplicate id 'trend-2021-03-04-un-letter' (also used on line {first})" in problems(project)


def test_a_duplicate_iso_code_names_the_other_file(project):
    project.replace("data/regions/fuzuli.yml", "iso: AZ-FUZ", "iso: AZ-AGM")
    found = problems(project)
    line = project.line_of("data/regions/fuzuli.yml", "iso: AZ-AGM")
    assert f"data/regions/fuzuli.yml:{line}: iso: ISO code AZ-AGM is also used by data/regions/agdam.yml" in found


def test_a_stray_file_in_regions_is_reported(project):
    project.write("data/regions/lachin.yaml", "id: lachin\n")
    assert "data/regions/lachin.yaml: not read: files in data/regions/ must end in .yml" in problems(project)


def test_a_missing_data_file_is_reported(project):
    (project.root / "data/impacts.yml").unlink()
    assert "data/impacts.yml: the file is missing" in problems(project)


def test_unquoted_dates_and_yes_no_stay_text_where_text_is_expected(project):
    """YAML 1.1 would turn these into a date, False and 83; the editor meant the text."""
    project.replace(AGDAM, "reported_as: Approx. 300,000", "reported_as: 2021-06-12")
    project.replace(AGDAM, "reported_as: 40% cleared", "reported_as: NO")
    project.replace(AGDAM, "        en: \"President Aliyev said on 16 June 2021 that 97,000 mines are buried in the district, 54,000 of them anti-tank mines.\"", "        en: 0123")
    site = load_site(project.data)
    agdam = site.regions["agdam"]
    assert agdam.series("estimated_mines")[0].reported_as == "2021-06-12"
    assert agdam.series("percent_cleared")[0].reported_as == "NO"
    assert agdam.series("mines_on_handed_over_maps")[0].note.get() == "0123"


def test_every_problem_of_a_run_is_reported_together(project):
    project.replace(AGDAM, "value: 40", "value: 140")
    project.replace("data/regions/fuzuli.yml", "iso: AZ-FUZ", "iso: AZ-ZZZ")
    project.replace(SOURCES, "  publisher: Massis Post", "  publisher: Massis Post\n  staus: ok")
    found = problems(project)
    assert any(p.startswith("data/regions/agdam.yml:") and "percentage" in p for p in found)
    iso_line = project.line_of("data/regions/fuzuli.yml", "iso: AZ-ZZZ")
    assert any(p.startswith(f"data/regions/fuzuli.yml:{iso_line}: iso:") for p in found)
    assert any(p.startswith("data/sources.yml:") and "unknown field 'staus'" in p for p in found)


def test_removing_a_cited_source_names_every_citing_line(project):
    text = project.read(SOURCES)
    start = text.index("- id: kaaf-2021-06-13-pashinyan")
    end = text.index("- id:", start + 5)
    project.write(SOURCES, text[:start] + text[end:])
    found = problems(project)
    summary_line = project.line_of(AGDAM, "summary_sources:")
    figure_line = project.line_of(AGDAM, "source: kaaf-2021-06-13-pashinyan")
    agdam = yaml.safe_load(project.read(AGDAM))
    index = agdam["summary_sources"].index("kaaf-2021-06-13-pashinyan")
    figure, position = next((f, i) for f, obs in agdam["figures"].items() for i, o in enumerate(obs) if o["source"] == "kaaf-2021-06-13-pashinyan")
    assert f"data/regions/agdam.yml:{summary_line}: summary_sources[{index}]: unknown source 'kaaf-2021-06-13-pashinyan'; add it to data/sources.yml first" in found
    assert f"data/regions/agdam.yml:{figure_line}: figures.{figure}[{position}].source: unknown source 'kaaf-2021-06-13-pashinyan'; add it to data/sources.yml first" in found


def test_github_actions_get_annotations(project, monkeypatch):
    project.replace(AGDAM, "value: 40", "value: 140")
    with pytest.raises(DataError) as caught:
        load_site(project.data)
    monkeypatch.setenv("GITHUB_ACTIONS", "true")
    text = report(caught.value.problems)
    line = project.line_of(AGDAM, "value: 140")
    assert (
        f"::error file=data/regions/agdam.yml,line={line},title=figures.percent_cleared[0].value::"
        "figures.percent_cleared[0].value: a percentage must be between 0 and 100, got 140"
    ) in text.splitlines()


def test_the_validate_command_passes_on_the_sample_data():
    result = run_cli("validate")
    assert result.returncode == 0, result.stderr
    regions = len(list((ROOT / "data" / "regions").glob("*.yml")))
    events = len(list((ROOT / "data" / "events").glob("*.yml")))
    sources = (ROOT / "data" / "sources.yml").read_text("utf-8").count("\n- id: ")
    countries = len(list((ROOT / "data" / "countries").glob("*.yml")))
    assert result.stdout.startswith(f"data OK: {regions} regions, {countries} {'country' if countries == 1 else 'countries'}, {sources} sources, {events} events")


def test_the_validate_command_fails_with_every_problem(project):
    project.replace(AGDAM, "value: 40", "value: 140")
    project.replace("data/regions/kalbajar.yml", "source: caspian-post-landmine-maps", "source: caspian-post")
    result = run_cli("validate", "--data", str(project.data))
    assert result.returncode == 1
    lines = result.stderr.splitlines()
    assert any(line.startswith("data/regions/agdam.yml:") and "got 140" in line for line in lines)
    assert any(line.startswith("data/regions/kalbajar.yml:") and "unknown source 'caspian-post'" in line for line in lines)
    assert lines[-1] == "2 problems in the data. Fix the lines above, then run make validate again."
    assert "published" not in result.stderr  # validate publishes nothing, and never says so


CITING_IN_PUBLISHER = (
    "must name who published the page, and only them: write whom they cite in the field citing "
    "(publisher: asia-news.biz, then citing: Caspian Post) and the licence in the field licence "
    "(publisher: GeoNames, then licence: CC-BY-4.0, or licence: public-domain), "
    "not '(citing ...)', '(reprinted ...)', '(CC BY 4.0)' or '(public domain)' after the name"
)


@pytest.mark.parametrize("old_form", ["asia-news.biz (citing Caspian Post)", "Kaaf (a Tasnim report Citing TASS)", "The Clarion (Reuters report, reprinted)"])
def test_the_old_citing_in_brackets_form_points_the_editor_to_the_citing_field(project, old_form):
    """An editor who writes whom a source cites the old way, inside publisher, is told where it goes."""
    project.replace(SOURCES, "  publisher: asia-news.biz\n  citing: Caspian Post\n", f"  publisher: {old_form}\n")
    result = run_cli("validate", "--data", str(project.data))
    assert result.returncode == 1
    n = project.line_of(SOURCES, f"publisher: {old_form}")
    assert f"data/sources.yml:{n}: sources[0].publisher: {CITING_IN_PUBLISHER}" in result.stderr.splitlines()
    assert "Traceback" not in result.stderr


@pytest.mark.parametrize("old_form, licence", [("GeoNames (CC BY 4.0)", "CC-BY-4.0"), ("Natural Earth (public domain)", "public-domain"), ("GeoNames (CC-BY-4.0)", "CC-BY-4.0")])
def test_the_old_licence_in_brackets_form_points_the_editor_to_the_licence_field(project, old_form, licence):
    """An editor who writes a licence the old way, inside publisher, is told to use the field licence."""
    name = old_form.split(" (")[0]
    project.replace(SOURCES, f"  publisher: {name}\n  licence: {licence}\n", f"  publisher: {old_form}\n")
    result = run_cli("validate", "--data", str(project.data))
    assert result.returncode == 1
    n = project.line_of(SOURCES, f"publisher: {old_form}")
    index = next(i for i, s in enumerate(yaml.safe_load(project.read(SOURCES))["sources"]) if s["publisher"] == old_form)
    assert f"data/sources.yml:{n}: sources[{index}].publisher: {CITING_IN_PUBLISHER}" in result.stderr.splitlines()
    assert "Traceback" not in result.stderr


def test_a_licence_the_portal_does_not_know_is_refused_with_the_ones_it_does(project):
    project.replace(SOURCES, "  licence: public-domain\n", "  licence: public domain\n")
    result = run_cli("validate", "--data", str(project.data))
    assert result.returncode == 1
    n = project.line_of(SOURCES, "licence: public domain")
    index = next(i for i, s in enumerate(yaml.safe_load(project.read(SOURCES))["sources"]) if s.get("licence") == "public domain")
    expected = (
        f"data/sources.yml:{n}: sources[{index}].licence: expected one of: CC-BY-4.0, public-domain; "
        "got the text 'public domain' (did you mean 'public-domain'?)"
    )
    assert expected in result.stderr.splitlines(), result.stderr


def test_a_citing_field_of_the_wrong_form_is_explained(project):
    project.replace(SOURCES, "  citing: Caspian Post\n", "  citing: {name: Caspian Post}\n")
    result = run_cli("validate", "--data", str(project.data))
    assert result.returncode == 1
    n = project.line_of(SOURCES, "citing: {name: Caspian Post}")
    expected = f"data/sources.yml:{n}: sources[0].citing: expected a name (citing: Caspian Post) or a list of names in order (citing: [Tasnim, TASS]); got "
    assert any(line.startswith(expected) for line in result.stderr.splitlines()), result.stderr


def test_a_second_run_in_the_same_process_sees_an_edit(project):
    """Files are parsed once per content (as under `mkdocs serve`): an edit must still show."""
    from portal.load.discovery import keep_parsed_files

    keep_parsed_files()
    first = load_site(project.data)
    assert first.regions["agdam"].series("percent_cleared")[0].value == 40
    project.replace(AGDAM, "value: 40", "value: 41")
    assert load_site(project.data).regions["agdam"].series("percent_cleared")[0].value == 41
    project.replace(AGDAM, "value: 41", "value: 141")
    line = project.line_of(AGDAM, "value: 141")
    assert f"data/regions/agdam.yml:{line}: figures.percent_cleared[0].value: a percentage must be between 0 and 100, got 141" in problems(project)
    project.replace(AGDAM, "value: 141", "value: 40")
    assert load_site(project.data).regions["agdam"].series("percent_cleared")[0].value == 40


def test_load_site_refuses_the_region_ids_its_caller_reserves(project):
    """The model does not import the renderer's addresses (portal.render.routes): validate and the
    build pass them in (tests/check/test_untrusted_data.py shows a region 'index' refused by both).
    Here, any reservation: refused with the line of the id, and never suggested as a fix."""
    reserved = {"agdam": "regions/agdam.md"}
    project.replace("data/regions/fuzuli.yml", "id: fuzuli", "id: agdam")
    with pytest.raises(DataError) as caught:
        load_site(project.data, reserved_ids=reserved)
    found = [str(p) for p in caught.value.problems]
    line = project.line_of(AGDAM, "id: agdam")
    assert f"data/regions/agdam.yml:{line}: id: 'agdam' cannot be a region id: the generated page regions/agdam.md has that address; give the region (and its file) another id" in found
    fuzuli = project.line_of("data/regions/fuzuli.yml", "id: agdam")
    # without the reservation the id would be offered ("rename the file to agdam.yml or set id: fuzuli")
    assert f"data/regions/fuzuli.yml:{fuzuli}: id: the id 'agdam' differs from the file name; set id: fuzuli" in found
    with pytest.raises(DataError) as unreserved:
        load_site(project.data)
    assert f"data/regions/fuzuli.yml:{fuzuli}: id: the id 'agdam' differs from the file name; rename the file to agdam.yml or set id: fuzuli" in [str(p) for p in unreserved.value.problems]
    assert not any("cannot be a region id" in str(p) for p in unreserved.value.problems)
