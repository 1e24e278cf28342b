"""The az, en and ru editions: one set of data, three complete sites.

Expected words come from the catalogues (overrides/locale/*.po), never typed here, so these
tests follow the translators' choices and fail when a label is left untranslated."""

from __future__ import annotations

import json
import re
import subprocess
import sys
from html import unescape as html_unescape

import pytest
import yaml
from markupsafe import escape as html_escape

from conftest import ROOT, Text, build, page
from portal.i18n import translations

sys.path.insert(0, str(ROOT / "hooks"))
from portal.i18n.i18n import Language  # noqa: E402
from portal.model.site import load_site  # noqa: E402
from portal.render.formatting import format_amount  # noqa: E402

EDITIONS = {"en": "", "az": "az/", "ru": "ru/"}


def translated(lang: str, message: str) -> str:
    text = Language(lang).gettext(message)
    assert text != message, f"{lang}: {message!r} is not translated in overrides/locale/{lang}.po"
    return text


def agdam(site, lang: str) -> str:
    return page(site, f"{EDITIONS[lang]}regions/agdam")


@pytest.mark.parametrize("lang", ["en", "az", "ru"])
def test_each_edition_declares_its_language(built_site, lang):
    html = agdam(built_site, lang)
    assert f'<html lang="{lang}"' in html
    home = page(built_site, EDITIONS[lang].rstrip("/") or ".")
    assert f'<html lang="{lang}"' in home


@pytest.mark.parametrize("lang", ["az", "ru"])
def test_a_region_page_shows_translated_labels_and_the_same_figures(built_site, lang):
    html = agdam(built_site, lang)
    text = Text.of(html)
    for label in ("Headline figures", "All figures, side by side", "Demands that concern this region", "Map and location", "Sources"):
        assert translated(lang, label) in text
    assert "Headline figures" not in text
    # the same figures, written the way the edition's readers write numbers
    language = Language(lang)
    values = re.findall(r'<span class="portal-value">([^<]*)</span>', html)
    assert format_amount(300000, "mines", "about", language) in values
    assert format_amount(97000, "mines", None, language) in values
    site = load_site(ROOT / "data")
    newest = site.latest(site.regions["agdam"].series("percent_cleared"))[0].value  # the headline shows the newest
    assert language.percent(newest) in values
    assert not any("300,000" in v for v in values)  # (the sources' own words, quoted, keep theirs)
    # the district's name as the data spells it in that language
    name = {"az": "Ağdam", "ru": "Агдам"}[lang]
    assert re.search(rf"<h1[^>]*>{name}", html)
    # the map's safety notice is there, translated
    assert translated(lang, "This map is not a safety or navigation tool.") in text


def test_dates_are_written_per_language(built_site):
    assert "12 June 2021" in Text.of(agdam(built_site, "en"))
    assert "12 iyun 2021" in Text.of(agdam(built_site, "az"))
    assert "12 июня 2021" in Text.of(agdam(built_site, "ru"))


def test_the_language_selector_leads_to_the_same_page_in_each_edition(built_site):
    for lang in EDITIONS:
        html = agdam(built_site, lang)
        for other, other_prefix in EDITIONS.items():
            href = f"http://127.0.0.1:8000/{other_prefix}regions/agdam/"
            assert re.search(rf'<a href="{re.escape(href)}" hreflang="{other}" lang="{other}" class="md-select__link"', html), (lang, other)


def test_pages_carry_no_site_level_hreflang_links(built_site):
    # each page's alternates are in the sitemaps; Material's links to the editions' home pages
    # would make every first visit download three sitemaps
    for lang, prefix in EDITIONS.items():
        assert not re.search(r'<link rel="alternate" href="[^"]*" hreflang=', agdam(built_site, lang))
        assert not re.search(r'<link rel="alternate" href="[^"]*" hreflang=', (built_site / prefix / "404.html").read_text("utf-8"))


def test_a_missing_data_translation_falls_back_to_english_with_a_note(project):
    # the sample's event titles are translated (as drafts): take one translation away
    rel = "data/events/2021-06-12-agdam-maps-handover.yml"
    data = yaml.safe_load(project.read(rel))
    title = data["title"]["en"]
    text = project.read(rel)
    start = text.index("\ntitle:\n")
    end = text.index("\nsummary:", start)
    project.write(rel, text[:start] + "\ntitle: " + json.dumps(title) + text[end:])
    result = build(project.root, project.root / "site" / "az", PORTAL_EDITION="az")
    assert result.returncode == 0, result.stderr
    html = project.page("az/regions/agdam")
    assert f'<a href="../../timeline/#2021-06-12-agdam-maps-handover"><span lang="en">{html_escape(title)}</span></a>' in html
    note = Language("az").gettext("Parts of this page are not yet translated into %(language)s and are shown in English.", language=Language("az").in_text())
    assert "Azərbaycan dilinə" in note
    assert note in Text.of(html)
    assert 'role="note"' in html


def test_a_page_missing_in_a_language_shows_the_english_page_with_a_note(built_site):
    for lang in ("az", "ru"):
        html = page(built_site, f"{lang}/contribute")
        note = Language(lang).gettext("This page is not yet translated into %(language)s; it is shown in English.", language=Language(lang).in_text())
        assert {"az": "Azərbaycan dilinə", "ru": "на русский язык"}[lang] in note  # the language as a sentence names it
        assert note != "This page is not yet translated into %(language)s; it is shown in English."
        assert note in Text.of(html)
        assert '<div lang="en">' in html
        # its headings in the table of contents, which Material writes outside the page's text, too
        tocs = re.findall(r'<ul class="md-nav__list" data-md-component="toc"[^>]*>', html)
        assert tocs and all('lang="en"' in toc for toc in tocs)
    for translated_page in ("ru/about", "az/about", "about"):  # a translated page keeps its language
        assert 'data-md-component="toc" lang="en"' not in page(built_site, translated_page)


def test_heading_anchors_keep_their_letters(built_site):
    for lang in ("az", "ru"):
        html = agdam(built_site, lang)
        heading = translated(lang, "Map and location")
        anchor = re.search(r'<h2 id="([^"]+)">' + re.escape(heading), html).group(1)
        assert not anchor.startswith("_") and anchor == anchor.lower()
        assert any(ch not in "abcdefghijklmnopqrstuvwxyz0123456789-_" for ch in anchor), anchor


def test_search_is_set_up_per_edition(built_site):
    config = {}
    for lang, prefix in EDITIONS.items():
        index = json.loads((built_site / prefix / "search" / "search_index.json").read_text("utf-8"))
        config[lang] = (index["config"]["lang"], index["config"]["pipeline"])
    # Russian: lunr's Russian stemmer; Azerbaijani (no lunr stemmer): whole words, no English stop words
    assert config == {"en": (["en"], ["stopWordFilter"]), "az": (["en"], []), "ru": (["ru"], ["stopWordFilter"])}
    # the az and ru indexes are written in UTF-8, not as \u escapes
    assert "Ağdam" in (built_site / "az" / "search" / "search_index.json").read_text("utf-8")
    az = json.loads((built_site / "az" / "search" / "search_index.json").read_text("utf-8"))
    assert any(doc["location"] == "regions/agdam/" and "Ağdam" in doc["title"] for doc in az["docs"])


def test_downloads_are_the_same_in_every_edition(built_site):
    for name in ("regions.csv", "observations.json", "datapackage.json", "map-layers.geojson"):
        english = (built_site / "data" / name).read_bytes()
        assert (built_site / "az" / "data" / name).read_bytes() == english
        assert (built_site / "ru" / "data" / name).read_bytes() == english


def test_feeds_and_the_404_page_speak_the_edition(built_site):
    feed = json.loads((built_site / "ru" / "feeds" / "events.json").read_text("utf-8"))
    assert feed["language"] == "ru"
    assert feed["title"] == translated("ru", "Minefield maps: timeline of demands and handovers")
    assert feed["home_page_url"] == "http://127.0.0.1:8000/ru/timeline/"
    not_found = (built_site / "az" / "404.html").read_text("utf-8")
    assert translated("az", "Page not found") in not_found
    # the root's 404 page (the one GitHub Pages serves everywhere) offers the other editions
    root = (built_site / "404.html").read_text("utf-8")
    assert '<a href="http://127.0.0.1:8000/az/" hreflang="az" lang="az">Azərbaycanca</a>' in root


def test_the_catalogue_template_is_up_to_date():
    """A new interface string must reach portal.pot (python -m portal.tools.i18n update) for translators to see it."""
    result = subprocess.run([sys.executable, "-m", "portal.tools.i18n", "check"], cwd=ROOT, env={"PYTHONPATH": str(ROOT / "hooks"), "PATH": ""}, capture_output=True, text=True)
    assert result.returncode == 0, result.stderr


def test_validate_lists_missing_translations_as_warnings(project):
    project.replace("data/regions/agdam.yml", "  az: Ağdam\n", "")
    result = subprocess.run(
        [sys.executable, "-m", "portal", "validate", "--data", str(project.data), "--content", str(project.root / "content")],
        env={"PYTHONPATH": str(project.root / "hooks"), "PATH": ""},
        capture_output=True,
        text=True,
    )
    assert result.returncode == 0, result.stderr  # warnings, not errors
    line = project.line_of("data/regions/agdam.yml", "name:")
    listed = f"warning: data/regions/agdam.yml:{line}: name: no az (Azərbaycanca) translation; the az edition shows the English text"
    page = "warning: content/contribute.md: no ru (Русский) version (content/contribute.ru.md); the ru edition shows the English page"
    # by default one line per edition, with the counts; the list on request
    assert listed not in result.stderr and page not in result.stderr
    missing = {lang: [line for line in translations.missing_in_data(project.data) if f" no {lang} (" in line] for lang in ("az", "ru")}
    pages = {lang: [line for line in translations.missing_pages(project.root / "content") if f" no {lang} (" in line] for lang in ("az", "ru")}
    assert listed.removeprefix("warning: ") in missing["az"]

    def counted(n: int, one: str, many: str) -> str:
        return f"{n} {one if n == 1 else many}"

    for lang in ("az", "ru"):
        # what is missing, in words: "1 text in 1 file and 3 pages"; what is not missing goes unsaid
        files = len({line.split(":", 1)[0] for line in missing[lang]})
        parts = [f"{counted(len(missing[lang]), 'text', 'texts')} in {counted(files, 'file', 'files')}"] if missing[lang] else []
        parts += [counted(len(pages[lang]), "page", "pages")] if pages[lang] else []
        expected = f"warning: {lang}: {' and '.join(parts)} not yet translated (shown in English meanwhile); make validate TRANSLATIONS=1 (python -m portal validate --translations) lists them"
        assert expected in result.stderr.splitlines()
    assert [line.split(":")[0] for line in result.stderr.splitlines() if "translat" in line] == ["warning", "warning"]
    assert "data OK" in result.stdout
    full = subprocess.run(
        [sys.executable, "-m", "portal", "validate", "--translations", "--data", str(project.data), "--content", str(project.root / "content")],
        env={"PYTHONPATH": str(project.root / "hooks"), "PATH": ""},
        capture_output=True,
        text=True,
    )
    assert full.returncode == 0 and listed in full.stderr and page in full.stderr


def test_the_az_page_falls_back_to_the_english_name_when_the_data_has_none(project):
    project.replace("data/regions/agdam.yml", "  az: Ağdam\n", "")
    result = build(project.root, project.root / "site" / "az", PORTAL_EDITION="az")
    assert result.returncode == 0, result.stderr
    html = (project.root / "site" / "az" / "regions" / "index.html").read_text("utf-8")
    assert '<span lang="en">Agdam</span>' in html


def test_edition_mistakes_are_clear_errors(project):
    result = build(project.root, project.root / "site", PORTAL_EDITION="fr")
    assert result.returncode != 0
    assert "theme.language (PORTAL_EDITION) is 'fr'; expected one of: en, az, ru" in result.stderr
    result = build(project.root, project.root / "site", PORTAL_EDITION="az")
    assert result.returncode != 0
    assert "mkdocs build -d site/az" in result.stderr
    project.write("content/history.ru.md", "# История\n")
    result = build(project.root, project.root / "site")
    assert result.returncode != 0
    assert "content/history.ru.md: translated page without an English page content/history.md" in result.stderr


def test_a_translation_that_breaks_a_placeholder_is_refused_with_its_line(project):
    project.replace("overrides/locale/ru.po", 'msgid "District of %(country)s"\nmsgstr "Район (%(country)s)"', 'msgid "District of %(country)s"\nmsgstr "Район (%(contry)s)"')
    line = project.line_of("overrides/locale/ru.po", 'msgid "District of %(country)s"')
    expected = f"overrides/locale/ru.po:{line}: translation of 'District of %(country)s': unknown named placeholder 'contry'"
    for lang, site in (("en", "site"), ("ru", "site/ru")):  # every edition refuses it: nothing is published
        result = build(project.root, project.root / site, PORTAL_EDITION=lang)
        assert result.returncode != 0 and expected in result.stderr, result.stderr[-2000:]
    result = subprocess.run(
        [sys.executable, "-m", "portal", "validate", "--data", str(project.data), "--content", str(project.root / "content")],
        env={"PYTHONPATH": str(project.root / "hooks"), "PATH": ""},
        capture_output=True,
        text=True,
    )
    assert result.returncode == 1 and expected in result.stderr


@pytest.mark.parametrize("lang", ["az", "ru"])
def test_interface_words_around_the_data_speak_the_edition(built_site, lang):
    """No English from the templates or the build inside an az or ru page: the headings' ¶
    link, the data page's headings and sizes, a source's language."""
    prefix = EDITIONS[lang]
    about = page(built_site, f"{prefix}about")
    assert 'title="Permanent link"' not in about
    assert 'class="headerlink" href="#' in about and f'title="{html_escape(translated(lang, "Permanent link"))}"' in about
    data = page(built_site, f"{prefix}data")
    headings = re.findall(r"<h2[^>]*>([^<]+)", data)
    for title in ("Sources", "Regions", "Observations", "Events", "Demands"):
        assert translated(lang, title) in headings, headings
    language = Language(lang)
    size = (built_site / prefix / "data" / "sources.csv").stat().st_size
    shown = language.gettext("%(size)s KB", size=language.number(round(size / 1000, 1)))  # az writes KB too
    assert f'sources.csv</a> ({shown})' in data
    sources = Text.of(page(built_site, f"{prefix}sources"))
    english = language.locale.languages["en"]
    assert translated(lang, "language: %(name)s") % {"name": english} in sources
    assert not re.search(r"\bPermanent link\b|\blanguage: en\b", sources)


@pytest.mark.parametrize("lang", ["en", "az", "ru"])
def test_a_source_s_title_and_words_are_marked_with_their_language(built_site, lang):
    """A source's title and the words it is quoted with are in the source's language: marked so
    where that is not the page's (WCAG 3.1.2), for screen readers and translation tools."""
    sources = yaml.safe_load((ROOT / "data" / "sources.yml").read_text("utf-8"))["sources"]
    language_of = {s["url"]: s["language"] for s in sources}
    assert set(language_of.values()) - {lang}  # the sample has sources in another language than each edition's
    # the sources page: every source's title
    titles = re.findall(r'<p><strong( lang="[a-z]+")?>(.*?)</strong>', page(built_site, f"{EDITIONS[lang]}sources"))
    title_language = {s["title"]: s["language"] for s in sources}
    shown = [(marked, html_unescape(title)) for marked, title in titles if html_unescape(title) in title_language]
    assert len(shown) == len(sources)
    for marked, title in shown:
        assert marked == ("" if title_language[title] == lang else f' lang="{title_language[title]}"'), title
    # the source lists of the pages that cite them
    for path in ("regions/agdam", "", "timeline"):
        html = page(built_site, f"{EDITIONS[lang]}{path}")
        links = re.findall(r'<a href="([^"]+)" rel="nofollow noopener" hreflang="([a-z]+)"( lang="[a-z]+")?>', html)
        assert links, path
        for url, hreflang, marked in links:
            assert hreflang == language_of[html_unescape(url)], url
            assert marked == ("" if hreflang == lang else f' lang="{hreflang}"'), (path, url)
    # Agdam's values quoted in their sources' words, all from English sources (read from the data)
    agdam_data = yaml.safe_load((ROOT / "data" / "regions" / "agdam.yml").read_text("utf-8"))
    quoting = {obs["source"] for values in agdam_data["figures"].values() for obs in values if obs.get("reported_as")}
    assert quoting and {s["language"] for s in sources if s["id"] in quoting} == {"en"}
    quoted = re.findall(r'<span class="portal-reported">(.*?)</span></td>', agdam(built_site, lang))
    assert quoted and all(('<span lang="en">' in q) == (lang != "en") for q in quoted)
