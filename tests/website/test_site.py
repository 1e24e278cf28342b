"""End-to-end: strict builds of the portal, and what a reader sees in the built pages."""

from __future__ import annotations

import html
import json
import re
from pathlib import Path
from urllib.parse import urljoin, urlparse

import pytest

from conftest import REPOSITORY, ROOT, Links, Text, page, sample_maps, sample_site
from portal.model.site import load_site


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


CITING_PAGES = ("regions/agdam", "regions", "sources", "timeline", "impacts", "demands", "handovers")


def _citing(lang: str, publisher: str, *cited: str) -> str:
    """A publisher with whom it cites, in the edition's words as its catalogue gives them."""
    from portal.i18n.i18n import Language

    language = Language(lang)
    original = cited[-1]
    for name in reversed(cited[:-1]):
        original = language.lookup("%(name)s, citing %(original)s") % {"name": name, "original": original}
    return language.lookup("%(publisher)s (citing %(original)s)") % {"publisher": publisher, "original": original}


@pytest.mark.parametrize("lang", ["en", "az", "ru"])
def test_a_source_that_cites_another_says_so_in_the_editions_words(built_site, lang):
    """data/sources.yml's citing: the original outlet follows the publisher wherever it shows,
    in the edition's words; no English "citing" inside an az or ru sentence."""
    prefix = "" if lang == "en" else f"{lang}/"
    caspian, kaaf = _citing(lang, "asia-news.biz", "Caspian Post"), _citing(lang, "Kaaf", "Tasnim", "TASS")
    if lang == "en":
        assert (caspian, kaaf) == ("asia-news.biz (citing Caspian Post)", "Kaaf (citing Tasnim, citing TASS)")
    else:
        assert "citing" not in caspian + kaaf, f"overrides/locale/{lang}.po: the citing strings are not translated"
    agdam = Text.of(page(built_site, f"{prefix}regions/agdam"))
    from portal.i18n.i18n import Language

    reported = Language(lang).lookup("as reported by %(publisher)s") % {"publisher": caspian}
    assert reported in agdam  # beside the figure
    assert f"{caspian}, “Azerbaijan Intensifies Calls for Complete Landmine Maps from Armenia”" in agdam  # the source list
    sources = Text.of(page(built_site, f"{prefix}sources"))
    assert caspian in sources and kaaf in sources
    timeline = Text.of(page(built_site, f"{prefix}timeline"))
    assert kaaf in timeline
    feed = json.loads((built_site / prefix / "feeds" / "events.json").read_text("utf-8"))
    assert any(f"{kaaf}: https://kaaf.at/" in item["content_text"] for item in feed["items"])
    if lang != "en":
        for path in CITING_PAGES:
            assert not re.search(r"\bciting\b", Text.of(page(built_site, prefix + path)), re.I), f"{prefix}{path}"


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
    assert len(names) == len(list((ROOT / "data" / "regions").glob("*.yml")))
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
    from portal.model.site import load_site

    site = load_site(ROOT / "data")
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




def test_every_internal_link_and_anchor_resolves(built_site):
    pages = {}
    for path in built_site.rglob("*.html"):
        parser = Links(anchors_only=True)
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
    project.replace("data/sources.yml", "  publisher: asia-news.biz\n", f"  publisher: {yaml_b}\n")
    project.replace("data/sources.yml", "  citing: Caspian Post\n", f"  citing: {yaml_a}\n")
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
    project.replace("content/index.md", "<!-- portal:map -->", "<!-- portal:map regions=agdam,atlantis figure=mines -->")
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
    figure = sample_maps().legend_cached(sample_site().figures[sample_maps().default_figure])
    label = f"Map of the districts, centred on Agdam, Fuzuli: {figure['title']} ({figure['unit']})."
    caption = f"portal-map-caption-agdam-fuzuli-{figure['id']}"
    assert f'data-portal-map hidden role="region" aria-describedby="{caption}" aria-label="{label}' in about
    assert f'aria-describedby="{caption}">' in about and f'<figcaption class="portal-map-caption" id="{caption}">' in about  # the SVG and the live map point to the safety notice
    assert 'data-focus="agdam,fuzuli"' in about and 'data-layer="../map/regions.geojson"' in about
    assert f"<title id=\"portal-map-svg-agdam-fuzuli-{figure['id']}\">{label}</title>" in about
    assert "This map is not a safety or navigation tool." in Text.of(about)


def test_map_layers_are_static_files_with_one_feature_per_placed_region(built_site):
    import json

    root = ROOT
    layer = json.loads((built_site / "map" / "regions.geojson").read_text("utf-8"))
    boundaries = json.loads((root / "data" / "geo" / "boundaries.geojson").read_text("utf-8"))["features"]
    towns = json.loads((root / "data" / "geo" / "towns.geojson").read_text("utf-8"))["features"]
    with_area = {f["properties"]["region"] for f in boundaries}
    placed = with_area | {f["properties"]["region"] for f in towns}
    assert sorted(f["id"] for f in layer["features"]) == sorted(placed)
    for feature in layer["features"]:  # every region with a boundary is drawn as its area, the others at their town
        assert feature["geometry"]["type"] in (("Polygon", "MultiPolygon") if feature["id"] in with_area else ("Point",)), feature["id"]
    agdam = next(f for f in layer["features"] if f["id"] == "agdam")
    assert agdam["properties"]["name"] == "Agdam"
    assert layer["figures"] and all(f["count"] > 0 for f in layer["figures"])
    values = json.loads((built_site / "map" / "values-estimated_mines.json").read_text("utf-8"))
    assert values["values"]["agdam"]["t"] == "about 300,000 mines"
    site = sample_site()
    observation = site.latest(site.regions["agdam"].series("estimated_mines"))[0]
    source = site.sources[observation.source]
    assert values["values"]["agdam"]["w"] == f"as reported by {source.publisher}" + (f" (citing {', citing '.join(source.citing)})" if source.citing else "")
    note = site.sources[observation.source].caveat_note
    assert values["values"]["agdam"].get("k") == (note.get("en") if note else None)  # the source's caveat, once
    assert values["legend"]["title"] == "Estimated mines" and values["legend"]["unit"] == "mines"
    assert "a" not in values["values"]["agdam"]  # an undated value has no age
    # a dated value's popup gives its age as the cards do, and marks it when it is stale
    from portal.i18n.i18n import Language
    from portal.render import freshness

    dated = json.loads((built_site / "map" / "values-cleared_area_period.json").read_text("utf-8"))
    newest = site.latest(site.regions["agdam"].series("cleared_area_period"))[0]
    assert dated["values"]["agdam"]["a"] == freshness.age_text(newest.as_of, freshness.today(), Language("en"))
    stale = freshness.is_stale(newest.as_of, freshness.today(), site.figures["cleared_area_period"].stale_after_months)
    assert dated["values"]["agdam"].get("s") == (1 if stale else None)


def test_the_default_figure_is_the_one_most_regions_have():
    import yaml

    maps = sample_maps()
    counts = {}
    for path in (ROOT / "data" / "regions").glob("*.yml"):
        for figure in (yaml.safe_load(path.read_text("utf-8")).get("figures") or {}):
            counts[figure] = counts.get(figure, 0) + 1
    assert counts[maps.default_figure] == max(counts.values())


def test_the_default_figure_follows_the_data(project):
    """Give a figure that the sample's default does not lead to more districts: the maps switch to it."""
    import yaml

    leader = sample_maps().default_figure
    other = "contaminated_area" if leader != "contaminated_area" else "percent_cleared"
    unit = yaml.safe_load(project.read("data/figures.yml"))[other]["units"][0]
    regions = sorted((project.data / "regions").glob("*.yml"))
    have = sum(1 for p in regions if leader in (yaml.safe_load(p.read_text("utf-8")).get("figures") or {}))
    for path in regions[: have + 1]:
        text = path.read_text("utf-8")
        rel = f"data/regions/{path.name}"
        entry = f"  {other}:\n    - value: 12\n      as_of: 2023-12-31\n      source: caspian-post-landmine-maps\n      unit: {unit}\n"
        if other in (yaml.safe_load(text).get("figures") or {}):
            continue
        if "\nfigures: {}" in text:
            project.replace(rel, "\nfigures: {}", "\nfigures:\n" + entry)
        elif "\nfigures:\n" in text:
            project.replace(rel, "\nfigures:\n", "\nfigures:\n" + entry)
        else:
            project.write(rel, text.rstrip("\n") + "\nfigures:\n" + entry)
    result = project.build()
    assert result.returncode == 0, result.stderr
    label = yaml.safe_load(project.read("data/figures.yml"))[other]["label"]["en"]
    assert f"Legend: <span class=\"portal-map-legend__title\">{label}" in project.page("")
    assert f"Legend: <span class=\"portal-map-legend__title\">{label}" in project.page("regions/agdam")


def test_the_static_map_is_an_svg_with_names_classes_legend_and_caption(built_site):
    home = (built_site / "index.html").read_text("utf-8")
    figure = home[home.index('<figure class="portal-map-figure"') : home.index("</figure>", home.index('<figure class="portal-map-figure"'))]
    # the SVG comes first, then the (hidden) box of the live map, the legend and the caption
    assert figure.index("<svg class=\"portal-map-svg\"") < figure.index("data-portal-map hidden") < figure.index("portal-map-legend") < figure.index("<figcaption class=\"portal-map-caption\"")
    svg = figure[figure.index("<svg class=\"portal-map-svg\"") : figure.index("</svg>") + 6]
    maps = sample_maps()
    legend = maps.legend_cached(sample_site().figures[maps.default_figure])
    names = re.findall(r"<text [^>]*>([^<]*)</text>", svg)
    assert len(names) >= len(maps.places) // 2 and set(names) <= {p.name for p in maps.places.values()}
    colours = set(re.findall(r'<path d="[^"]*" fill="(#[0-9a-f]{6})" stroke="#374151"', svg))
    assert colours and colours <= {row["colour"] for row in legend["classes"]}  # the legend's classes
    assert svg.count('fill="url(#portal-map-hatch-') == len(maps.places) - legend["count"]  # no value: hatched
    text = Text.of("<article>" + figure + "</figure></article>")
    for part in ("This map is not a safety or navigation tool.", "It shows no hazard areas.", "approximate and not authoritative", "Natural Earth, public domain"):
        assert part in text
    assert legend["dates"] in text and legend["title"] in text and legend["unit"] in text
    region = (built_site / "regions" / "agdam" / "index.html").read_text("utf-8")
    near = maps.near("agdam")
    assert 'data-layer="../../map/near/agdam.geojson"' in region
    svg = region[region.index("<svg class=\"portal-map-svg\"") : region.index("</svg>", region.index("<svg class=\"portal-map-svg\""))]
    assert svg.count("<path d=") + svg.count("<circle ") <= len(near) + 20  # its neighbourhood (and country outlines), not every region
    assert '<text x="' in svg and 'font-weight="700" text-anchor="middle" class="portal-map-svg__label">Agdam</text>' in svg
    # the district, outlined, is drawn at a size a reader sees (a fifth of the frame or more), inside it
    width, height = map(float, re.search(r'viewBox="0 0 ([0-9.]+) ([0-9.]+)"', svg).groups())
    focus = re.search(r'<path d="([^"]*)" fill="[^"]*" stroke="#111827" stroke-width="3"/>', svg).group(1)
    xs, ys = zip(*svg_points(focus), strict=True)
    assert 0 <= min(xs) and max(xs) <= width and 0 <= min(ys) and max(ys) <= height
    assert max(max(xs) - min(xs), max(ys) - min(ys)) >= min(width, height) / 5


def svg_points(d: str) -> list[tuple[float, float]]:
    """The points of an SVG path's ``d`` as the static maps write it: rings of "M x y"
    (absolute) then "l dx dy ..." (relative to the point before), each closed by "z"."""
    assert set(re.findall(r"[A-Za-z]", d)) <= {"M", "l", "z"}, d
    points: list[tuple[float, float]] = []
    for command, numbers in re.findall(r"([Ml])([^Mlz]*)", d):
        values = [float(n) for n in re.findall(r"-?[0-9.]+", numbers)]
        for x, y in zip(values[0::2], values[1::2], strict=True):
            if command == "l":
                x, y = points[-1][0] + x, points[-1][1] + y
            points.append((x, y))
    return points


def test_names_in_the_static_map_are_escaped(project):
    project.replace("data/regions/agdam.yml", "  en: Agdam\n", "  en: Ag & dam's\n")  # names refuse < > and "
    result = project.build()
    assert result.returncode == 0, result.stderr
    page = project.page("regions/agdam")
    svg = page[page.index("<svg class=\"portal-map-svg\"") : page.index("</svg>", page.index("<svg class=\"portal-map-svg\""))]
    assert ">Ag &amp; dam&#39;s</text>" in svg and "Ag & dam" not in svg
    assert "<title id=\"portal-map-svg-agdam-" in svg and "Ag &amp; dam&#39;s" in svg[: svg.index("</title>")]


def test_a_district_page_loads_only_its_neighbourhood(built_site):
    import json

    from portal.render.maps import NEIGHBOURS

    maps = sample_maps()
    for rid in maps.places:
        near = json.loads((built_site / "map" / "near" / f"{rid}.geojson").read_text("utf-8"))
        ids = [f["id"] for f in near["features"]]
        assert ids[0] == rid and near["focus"] == rid and len(ids) <= NEIGHBOURS + 1
        assert set(near["values"]) == {f["id"] for f in near["figures"]}
        assert all(set(values) <= set(ids) for values in near["values"].values())
    # the districts that touch Agdam's boundary are its neighbours
    from shapely.geometry import shape

    agdam = shape(maps.places["agdam"].geometry)
    touching = {rid for rid, p in maps.places.items() if rid != "agdam" and p.is_area and shape(p.geometry).distance(agdam) < 0.005}
    assert touching and touching <= set(maps.near("agdam"))


def test_regions_without_a_boundary_are_drawn_at_their_town_and_without_geometry_are_left_out(project):
    import json

    text = project.read("data/geo/boundaries.geojson")
    lines = [line for line in text.splitlines() if '"region":"kalbajar"' not in line and '"region":"lachin"' not in line]
    lines[-2] = lines[-2].rstrip(",")
    project.write("data/geo/boundaries.geojson", "\n".join(lines) + "\n")
    towns = json.loads(project.read("data/geo/towns.geojson"))
    towns["features"] = [f for f in towns["features"] if f["properties"]["region"] != "lachin"]
    project.write("data/geo/towns.geojson", json.dumps(towns, ensure_ascii=False))
    result = project.build()
    assert result.returncode == 0, result.stderr
    layer = json.loads((project.root / "site" / "map" / "regions.geojson").read_text("utf-8"))
    kinds = {f["id"]: f["geometry"]["type"] for f in layer["features"]}
    assert kinds["kalbajar"] == "Point" and "lachin" not in kinds
    near = json.loads((project.root / "site" / "map" / "near" / "kalbajar.geojson").read_text("utf-8"))
    assert near["features"][0]["geometry"]["type"] == "Point"
    assert "<circle " in project.page("regions/kalbajar")
    assert not (project.root / "site" / "map" / "near" / "lachin.geojson").exists()
    assert "not on the maps" in project.page("regions/lachin")


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
    root = ROOT
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
    from portal.glue.csp import inline_script_hashes

    for path in [*all_pages(built_site), built_site / "404.html"]:
        html_text = path.read_text("utf-8")
        found = re.search(r'<meta http-equiv="Content-Security-Policy" content="([^"]+)">', html_text)
        assert found, path
        assert html_text.index(found.group(0)) < html_text.index("<script"), path  # before any script
        policy = dict(d.strip().split(" ", 1) for d in found.group(1).split(";"))
        assert policy["default-src"] == "'self'" and policy["object-src"] == "'none'" and policy["base-uri"] == "'self'"
        assert "unsafe-inline" not in policy["script-src"] and "unsafe-eval" not in policy["script-src"]
        assert set(inline_script_hashes(html_text)) <= set(policy["script-src"].split()), path
