"""End-to-end: strict builds of the portal, and what a reader sees in the built pages."""

from __future__ import annotations

import html
import re
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import urljoin, urlparse


from conftest import REPOSITORY, ROOT
from portal.dataset import load_site


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


def page(site: Path, path: str) -> str:
    return (site / path / "index.html").read_text("utf-8")


def table_rows(page_html: str, marker: str = "data-portal-sortable") -> list[str]:
    """The body rows of the table that carries ``marker``."""
    table = page_html[page_html.index(marker) :]
    body = table[table.index("<tbody>") : table.index("</tbody>")]
    return re.findall(r"<tr>.*?</tr>", body, flags=re.S)


def test_a_region_page_shows_its_figures_sources_and_edit_link(built_site):
    agdam = page(built_site, "regions/agdam")
    text = Text.of(agdam)
    assert "<title>Agdam - Minefield Maps Portal</title>" in agdam
    # the seed article's estimate, attributed, and the conflicting handed-over figure beside it
    assert "about 300,000 mines as reported by asia-news.biz (citing Caspian Post), date not stated" in text
    assert "97,000 mines according to Azerbaijan's Foreign Ministry, 12 June 2021" in text
    # the numbered source note gives title, publisher, date and address
    assert "asia-news.biz (citing Caspian Post), “Azerbaijan Intensifies Calls for Complete Landmine Maps from Armenia”, publication date not stated" in text
    assert 'href="https://asia-news.biz/asia/azerbaijan/azerbaijan-demands-armenia-landmine-maps"' in agdam
    assert f'href="{REPOSITORY}/edit/main/data/regions/agdam.yml">Edit this data</a>' in agdam
    assert "Complete and precise minefield maps for all conflict areas" in text
    assert "This map is not a safety or navigation tool." in text


def test_every_citation_on_a_region_page_points_at_a_listed_source(built_site):
    agdam = page(built_site, "regions/agdam")
    cited = set(re.findall(r'class="portal-cite" href="#(source-\d+)"', agdam))
    listed = set(re.findall(r'<li id="(source-\d+)">', agdam))
    assert cited and cited == listed


def test_conflicting_figures_are_shown_side_by_side(built_site):
    national = page(built_site, "countries/az")
    section = national[national.index('id="nat-az-map_accuracy_claimed"') :]
    rows = [re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", row)).replace(" ,", ",").strip() for row in re.findall(r"<tr>.*?</tr>", section[: section.index("</table>")], flags=re.S)]
    # the claimed accuracy of the maps: 25% (the President) and 2% (ANAMA), both with their sources
    assert any(row.startswith("25% 24 September 2021") and "according to President of Azerbaijan [" in row for row in rows), rows
    assert any(row.startswith("2% 19 October 2022") and "according to ANAMA [" in row for row in rows), rows


def test_the_regions_table_lists_every_region_once(built_site):
    regions = page(built_site, "regions")
    rows = table_rows(regions)
    names = [re.search(r'<a href="[^"]+">([^<]+)</a>', row).group(1) for row in rows]
    assert len(names) == len(list((Path(__file__).parents[1] / "data" / "regions").glob("*.yml")))
    assert names == sorted(names)
    agdam = next(row for row in rows if ">Agdam<" in row)
    site = load_site(ROOT / "data")
    newest = site.latest(site.regions["agdam"].series("percent_cleared"))[0].value  # the table shows the newest value
    assert "about 300,000 mines" in agdam and f"{newest:g}%" in agdam
    assert 'href="agdam/"' in agdam
    # totals only where honest: the three estimates all come from one source, and the table says so
    text = Text.of(regions)
    assert "about 650,000 mines" in text
    assert "Sum of the values for 3 regions, all from asia-news.biz (citing Caspian Post); 9 regions have no value and are not counted." in text
    assert "Percentages cannot be added up." in text


def test_the_home_page_gives_key_developments_national_figures_a_chart_and_links_onward(built_site):
    from portal.dataset import load_site

    site = load_site(Path(__file__).parents[1] / "data")
    home = page(built_site, "")
    text = Text.of(home)
    assert "Not a safety or navigation tool" in text
    # the newest three events first, each linked to the timeline
    key = home[home.index('class="portal-block portal-key"') :]
    key = key[: key.index("</ol>")]
    newest = list(reversed(site.events))[:3]
    assert re.findall(r'href="timeline/#([^"]+)"', key) == [e.id for e in newest]
    assert "Mine victims (killed and injured)" in text
    newest = site.latest(site.countries["az"].series("mine_victims_total"))[0]
    claimant = site.actors[newest.according_to].short_name.get()
    assert f"{newest.value:,} people according to {claimant}" in text
    assert 'id="figures-az"' in home and 'class="portal-chart__svg"' in home
    # everything else is one click away
    for target in ("handovers/", "demands/", "timeline/", "impacts/", "sources/", "method/", "glossary/", "regions/", "countries/az/"):
        assert f'href="{target}' in home, target
    national = Text.of(page(built_site, "countries/az"))
    assert "The same report gives 65 killed and 278 injured, which add up to 343, not 345." in national


def test_the_sources_page_links_back_to_where_each_source_is_used(built_site):
    sources = page(built_site, "sources")
    entry = sources[sources.index('<li id="kaaf-2021-06-13-pashinyan">') :]
    entry = entry[: entry.index("</li>")]
    assert '<a href="../regions/agdam/">Agdam: summary</a>' in entry
    assert "Agdam: Mines shown on maps handed over" in entry


def test_no_page_requests_google_fonts_or_another_host(built_site):
    for path in built_site.rglob("*.html"):
        text = path.read_text("utf-8")
        assert "fonts.googleapis.com" not in text and "fonts.gstatic.com" not in text, path
        for src in re.findall(r'<(?:script|link|img)[^>]+(?:src|href)="(https?://[^"]+)"', text):
            assert src.startswith("http://127.0.0.1:8000/"), (path, src)


class Links(HTMLParser):
    def __init__(self):
        super().__init__()
        self.links: list[str] = []
        self.ids: set[str] = set()

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if "id" in attrs:
            self.ids.add(attrs["id"])
        if tag == "a" and attrs.get("href"):
            self.links.append(attrs["href"])


def test_every_internal_link_and_anchor_resolves(built_site):
    pages = {}
    for path in built_site.rglob("*.html"):
        parser = Links()
        parser.feed(path.read_text("utf-8"))
        pages[path] = parser
    broken = []
    for path, parser in pages.items():
        base = "file://" + str(path)
        for href in parser.links:
            if href.startswith(("http://", "https://", "mailto:")):
                continue
            if href.startswith("/"):  # root-relative, as Material writes them on the 404 page
                href = str(built_site) + href
            target = urlparse(urljoin(base, href))
            file = Path(target.path)
            if file.is_dir() or not file.suffix:
                file = file / "index.html"
            if not file.exists():
                broken.append(f"{path.relative_to(built_site)}: {href}")
            elif target.fragment and file in pages and html.unescape(target.fragment) not in pages[file].ids:
                broken.append(f"{path.relative_to(built_site)}: {href} (no such anchor)")
    assert not broken, "\n".join(broken)


# -- builds of changed copies ----------------------------------------------------------------


def test_adding_one_region_file_adds_one_page_and_one_row(project):
    before = project.build()
    assert before.returncode == 0, before.stderr
    rows_before = len(table_rows(project.page("regions")))
    project.write(
        "data/regions/test-district.yml",
        "checked: 2026-12-01\nid: test-district\niso: AZ-BAR\nname: Test District\ncountry: az\n"
        "summary: A district added by a test.\nfigures:\n  estimated_mines:\n"
        "    - value: 1234\n      as_of: 2024-01-01\n      source: caspian-post-landmine-maps\n",
    )
    after = project.build()
    assert after.returncode == 0, after.stderr
    assert len(table_rows(project.page("regions"))) == rows_before + 1
    assert "1,234 mines" in Text.of(project.page("regions/test-district"))
    assert "No event on the timeline concerns this region yet." in Text.of(project.page("regions/test-district"))


def test_a_broken_data_file_stops_the_build_before_anything_is_written(project):
    project.replace("data/regions/agdam.yml", "value: 40", "value: 140")
    project.replace("data/sources.yml", "- id: massispost-2021-04-13-minsk-group", "- id: massis")
    result = project.build()
    assert result.returncode != 0
    line = project.line_of("data/regions/agdam.yml", "value: 140")
    assert f"data/regions/agdam.yml:{line}: figures.percent_cleared[0].value: a percentage must be between 0 and 100, got 140" in result.stderr
    assert "data/demands.yml:" in result.stderr and "unknown source 'massispost-2021-04-13-minsk-group'" in result.stderr
    assert not (project.root / "site").exists()


def test_an_unknown_directive_is_an_error_naming_the_page_and_line(project):
    project.replace("content/index.md", "<!-- portal:figures country=az -->", "<!-- portal:demand -->\n\n<!-- portal:figures country=xx -->")
    result = project.build()
    assert result.returncode != 0
    line = project.line_of("content/index.md", "portal:demand -->")
    assert f"content/index.md:{line}: portal:demand: unknown directive; expected one of: chart, demands, events, figure-definitions, figures, impacts, map, regions-table" in result.stderr
    assert f"content/index.md:{line + 2}: portal:figures: unknown country 'xx'; known: az" in result.stderr


def test_an_unknown_directive_argument_is_an_error(project):
    project.replace("content/index.md", "<!-- portal:chart country=az figure=mine_victims_total -->", "<!-- portal:regions-table sort=name -->")
    result = project.build()
    assert result.returncode != 0
    line = project.line_of("content/index.md", "sort=name")
    assert f"content/index.md:{line}: portal:regions-table: unknown argument 'sort'; allowed: none" in result.stderr


PAYLOADS = ("<script>alert(1)</script>", '"><img src=x onerror=alert(1)>')


def test_markup_in_any_text_field_is_shown_as_text(project):
    """Editor text is data: every text field that is not a name gets both payloads; the pages
    show them as text and never as markup (names are refused: see test_validation)."""
    a, b = PAYLOADS
    yaml_a, yaml_b = "'" + a + "'", "'" + b.replace("'", "''") + "'"
    agdam = "data/regions/agdam.yml"
    project.replace(agdam, "  buried there; the sources do not explain the difference.", f"  buried there; {a} {b} the sources do not explain the difference.")
    project.replace(agdam, "reported_as: Approx. 300,000", f"reported_as: {yaml_a}")
    project.replace(agdam, 'en: "President Aliyev said on 16 June 2021 that 97,000 mines are buried in the district, 54,000 of them anti-tank mines."', f"en: {yaml_b}")
    project.replace("data/sources.yml", "  title: Azerbaijan Intensifies Calls for Complete Landmine Maps from Armenia", f"  title: {yaml_a}")
    project.replace("data/sources.yml", "  publisher: asia-news.biz (citing Caspian Post)", f"  publisher: {yaml_b}")
    project.replace("data/sources.yml", "    en: >-\n      The report gives no publication date.", f"    en: >-\n      {a} The report gives no publication date.")
    project.replace("data/impacts.yml", '      en: "Civilian safety"', f"      en: {yaml_a}")
    project.replace("data/impacts.yml", '      en: "The report says shared data lets demining teams work faster."', f"      en: {yaml_b}")
    project.replace("data/demands.yml", '    en: "Time-bound commitments to share minefield information"', f"    en: {yaml_b}")
    project.replace("data/figures.yml", "    en: Estimated mines", f"    en: {yaml_a}")
    project.replace("data/countries/az.yml", '        en: "The same report gives 65 killed and 278 injured, which add up to 343, not 345."', f"        en: {yaml_b}")
    # names refuse < and >, but an entity-like name must not turn into markup either (page titles!)
    project.replace("data/regions/fuzuli.yml", "  en: Fuzuli", '  en: "&lt;/title&gt;&lt;script&gt;alert(1)&lt;/script&gt;"')
    result = project.build()
    assert result.returncode == 0, result.stderr
    assert "<title>&lt;/title&gt;&lt;script&gt;alert(1)&lt;/script&gt; - Minefield Maps Portal</title>" in project.page("regions/fuzuli")
    for path in (project.root / "site").rglob("*.html"):
        text = path.read_text("utf-8")
        for payload in PAYLOADS:
            assert payload not in text, f"{path}: {payload}"
        assert "<img src=x" not in text and "<script>alert" not in text
    shown = Text.of(project.page("regions/agdam"))
    assert a in shown and b in shown  # shown to the reader as the text it is
    assert a in Text.of(project.page("")) and b in Text.of(project.page("impacts"))


def test_a_bad_map_directive_argument_is_an_error(project):
    project.replace("content/index.md", "<!-- portal:map figure=cleared_area_period -->", "<!-- portal:map regions=agdam,atlantis figure=mines -->")
    result = project.build()
    assert result.returncode != 0
    line = project.line_of("content/index.md", "portal:map regions=")
    assert f"content/index.md:{line}: portal:map: unknown region 'atlantis' in regions=" in result.stderr
    assert f"content/index.md:{line}: portal:map: unknown figure 'mines'; see data/figures.yml" in result.stderr


def test_a_map_directive_places_a_map_focused_on_its_regions(project):
    project.write("content/about.md", project.read("content/about.md") + "\n<!-- portal:map regions=agdam,fuzuli -->\n")
    result = project.build()
    assert result.returncode == 0, result.stderr
    about = project.page("about")
    assert 'data-portal-map role="region" aria-label="Map of the regions, centred on Agdam, Fuzuli: Estimated mines.' in about
    assert 'data-focus="agdam,fuzuli"' in about and 'data-layer="../map/regions-estimated_mines.geojson"' in about
    assert "This map is not a safety or navigation tool." in Text.of(about)


def test_map_layers_are_static_files_with_one_feature_per_placed_region(built_site):
    import json

    layer = json.loads((built_site / "map" / "regions-estimated_mines.geojson").read_text("utf-8"))
    towns = json.loads((Path(__file__).parents[1] / "data" / "geo" / "towns.geojson").read_text("utf-8"))
    assert [f["id"] for f in layer["features"]] == sorted(f["properties"]["region"] for f in towns["features"])
    agdam = next(f for f in layer["features"] if f["id"] == "agdam")
    assert agdam["properties"]["value_text"] == "about 300,000 mines"
    assert agdam["properties"]["claim"] == "as reported by asia-news.biz (citing Caspian Post)"
    assert agdam["geometry"] == {"type": "Point", "coordinates": [46.92736, 39.99096]}
    assert layer["figure_label"] == "Estimated mines" and layer["unit_label"] == "mines"


# -- site essentials (issue 5) -----------------------------------------------------------


def all_pages(site: Path) -> list[Path]:
    return sorted(p for p in site.rglob("index.html"))


def test_every_page_has_a_description_open_graph_tags_and_a_canonical_url(built_site):
    for path in all_pages(built_site):
        html_text = path.read_text("utf-8")
        assert re.search(r'<meta name="description" content="[^"]{20,}">', html_text), path
        for prop in ("og:title", "og:description", "og:url", "og:site_name"):
            assert f'<meta property="{prop}" content="' in html_text, (path, prop)
        assert '<link rel="canonical" href="http://127.0.0.1:8000/' in html_text, path
    agdam = page(built_site, "regions/agdam")
    assert '<meta property="og:title" content="Agdam">' in agdam
    summary = load_site(ROOT / "data").regions["agdam"].summary.get()
    assert f'<meta name="description" content="Agdam: {html.escape(summary[:40])}' in agdam


def test_each_edition_has_a_sitemap_of_its_pages_and_search_engines_get_every_address_per_language(built_site):
    editions = {"en": built_site, "az": built_site / "az", "ru": built_site / "ru"}
    every = set()
    for lang, root in editions.items():
        prefix = "" if lang == "en" else f"{lang}/"
        sitemap = (root / "sitemap.xml").read_text("utf-8")
        listed = re.findall(r"<loc>http://127\.0\.0\.1:8000/([^<]*)</loc>", sitemap)
        pages = {p.parent.relative_to(root).as_posix() for p in all_pages(root)}
        pages = {prefix + ("" if p == "." else p + "/") for p in pages if p.split("/")[0] not in editions}
        assert set(listed) == pages, lang
        assert "xhtml:link" not in sitemap  # Material downloads this one on a first visit: kept small
        every |= pages
    # the hreflang sitemap: each page in each edition, with its versions in the others and English as default
    hreflang = (built_site / "sitemap-hreflang.xml").read_text("utf-8")
    entries = dict(re.findall(r"<url><loc>http://127\.0\.0\.1:8000/([^<]*)</loc>(.*?)</url>", hreflang))
    assert set(entries) == every
    for url, links in entries.items():
        path = url.split("/", 1)[1] if url.split("/")[0] in ("az", "ru") else url
        for other in editions:
            href = "http://127.0.0.1:8000/" + ("" if other == "en" else f"{other}/") + path
            assert f'<xhtml:link rel="alternate" hreflang="{other}" href="{href}"/>' in links, (url, other)
        assert f'hreflang="x-default" href="http://127.0.0.1:8000/{path}"' in links
    robots = (built_site / "robots.txt").read_text("utf-8")
    assert "Sitemap: http://127.0.0.1:8000/az/sitemap.xml" in robots and "Sitemap: http://127.0.0.1:8000/sitemap-hreflang.xml" in robots


def test_edit_links_open_the_data_file_or_the_markdown(built_site):
    assert f'href="{REPOSITORY}/edit/main/data/regions/agdam.yml" title="Edit this page"' in page(built_site, "regions/agdam")
    assert f'href="{REPOSITORY}/edit/main/data/sources.yml" title="Edit this page"' in page(built_site, "sources")
    assert f'href="{REPOSITORY}/tree/main/data/events/" title="Edit this page"' in page(built_site, "timeline")
    assert f'href="{REPOSITORY}/edit/main/content/about.md" title="Edit this page"' in page(built_site, "about")


def test_a_custom_404_page_points_readers_on(built_site):
    text = Text.of((built_site / "404.html").read_text("utf-8"))
    assert "Page not found" in text and "Timeline" in text and "Regions" in text


def test_the_json_schemas_are_published_and_named_by_every_data_file(built_site):
    root = Path(__file__).parents[1]
    for schema in (root / "data" / "schemas").glob("*.schema.json"):
        assert (built_site / "schemas" / schema.name).read_bytes() == schema.read_bytes()
    for data_file in (root / "data").rglob("*.yml"):
        first = data_file.read_text("utf-8").splitlines()[0]
        assert first.startswith("# yaml-language-server: $schema="), data_file
        target = (data_file.parent / first.split("$schema=", 1)[1]).resolve()
        assert target.is_file() and target.parent == root / "data" / "schemas", data_file


def test_the_contribution_guide_is_on_the_site(built_site):
    text = Text.of(page(built_site, "contribute"))
    assert "Step by step, in GitHub's web editor" in text and "Reviewer's checklist" in text


def test_a_print_stylesheet_keeps_tables_and_sources(built_site):
    css = (built_site / "assets" / "portal.css").read_text("utf-8")
    assert "@media print" in css and "attr(href)" in css


def test_every_page_carries_a_strict_content_security_policy(built_site):
    from portal.csp import inline_script_hashes

    for path in [*all_pages(built_site), built_site / "404.html"]:
        html_text = path.read_text("utf-8")
        found = re.search(r'<meta http-equiv="Content-Security-Policy" content="([^"]+)">', html_text)
        assert found, path
        assert html_text.index(found.group(0)) < html_text.index("<script"), path  # before any script
        policy = dict(d.strip().split(" ", 1) for d in found.group(1).split(";"))
        assert policy["default-src"] == "'self'" and policy["object-src"] == "'none'" and policy["base-uri"] == "'self'"
        assert "unsafe-inline" not in policy["script-src"] and "unsafe-eval" not in policy["script-src"]
        assert set(inline_script_hashes(html_text)) <= set(policy["script-src"].split()), path
