"""Charts over time, freshness and glossary marking: the builders on hand-made input, then on
the built site as a reader gets it."""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
import time
from xml.etree import ElementTree

from conftest import ROOT
from portal.i18n.i18n import Language
from portal.model.model import GlossaryTerm, PartialDate, Text
from portal.model.site import load_site
from portal.render import charts, freshness
from portal.render.figurecharts import chartable, csv_paths
from portal.render.glossary import Marker

SVG = "{http://www.w3.org/2000/svg}"


def series(name: str, *points: tuple[str, float]) -> charts.Series:
    return charts.Series(name, tuple(charts.Point(dt.date.fromisoformat(d), v, f"{v:g} people") for d, v in points))


def draw(*s: charts.Series, **kw) -> ElementTree.Element:
    options = dict(chart_id="c", title="Victims over time", description="Rising.", axis_label="people", short_number=lambda v: f"{v:g}")
    options.update(kw)
    return ElementTree.fromstring(str(charts.svg(list(s), **options)))


def test_a_chart_draws_one_line_per_series_with_its_own_dash_and_marker():
    root = draw(series("ANAMA", ("2021-11-22", 180), ("2023-11-13", 336), ("2024-02-12", 345)), series("Foreign Ministry", ("2022-08-23", 232), ("2024-01-26", 342)))
    assert root.get("role") == "img" and root.get("aria-labelledby") == "c-t c-d"
    assert root.find(f"{SVG}title").text == "Victims over time" and root.find(f"{SVG}desc").text == "Rising."
    lines = [p for p in root.iter(f"{SVG}path") if p.get("fill") == "none"]
    assert len(lines) == 2
    assert len({p.get("stroke") for p in lines}) == 2
    assert lines[0].get("stroke-dasharray") is None and lines[1].get("stroke-dasharray")  # not colour alone
    texts = [t.text for t in root.iter(f"{SVG}text")]
    assert "ANAMA" in texts and "Foreign Ministry" in texts  # the legend names every series
    assert "345" in texts and "342" in texts  # the last value of each series, labelled at its point
    assert {"2022", "2023", "2024"} <= set(texts)  # a tick at each year inside the range
    assert "people" in texts


def test_points_sit_in_date_order_and_the_y_axis_starts_at_zero():
    root = draw(series("A", ("2024-01-01", 30), ("2022-01-01", 10), ("2023-01-01", 20)))
    line = next(p for p in root.iter(f"{SVG}path") if p.get("fill") == "none")
    xs = [float(x) for x in re.findall(r"[ML]([\d.]+) ", line.get("d"))]
    ys = [float(y) for y in re.findall(r"[ML][\d.]+ ([\d.]+)", line.get("d"))]
    assert xs == sorted(xs) and ys == sorted(ys, reverse=True)  # later and higher: right and up
    assert "0" in [t.text for t in root.iter(f"{SVG}text")]


def test_every_text_in_a_chart_is_escaped():
    root = draw(series('<script>alert(1)</script>"', ("2021-01-01", 1), ("2022-01-01", 2)), title="<b>x</b>")
    assert root.find(f"{SVG}title").text == "<b>x</b>"
    assert any(t.text == '<script>alert(1)</script>"' for t in root.iter(f"{SVG}text"))
    assert not list(root.iter(f"{SVG}script")) and not list(root.iter("script"))


def test_values_within_one_year_are_labelled_with_their_dates():
    root = draw(series("A", ("2024-01-01", 1), ("2024-12-01", 2)), date_label=lambda d: d.strftime("%b %Y"))
    texts = [t.text for t in root.iter(f"{SVG}text")]
    assert "Jan 2024" in texts and "Dec 2024" in texts
    # two months apart: one label, so that the two cannot overlap
    root = draw(series("A", ("2023-02-01", 1), ("2023-04-17", 2)), date_label=lambda d: d.strftime("%B %Y"))
    texts = [t.text for t in root.iter(f"{SVG}text")]
    assert "February 2023 – April 2023" in texts and "February 2023" not in texts


def test_a_chart_costs_well_under_a_millisecond():
    s = [series("A", *((f"{2020 + i}-06-01", i * 10.0) for i in range(6))), series("B", ("2021-01-01", 5), ("2024-01-01", 50))]
    charts.svg(s, chart_id="w", title="t", description="d", axis_label="", short_number=str)
    runs = 300
    start = time.perf_counter()
    for _ in range(runs):
        charts.svg(s, chart_id="w", title="t", description="d", axis_label="", short_number=str)
    per_chart = (time.perf_counter() - start) / runs
    assert per_chart < 0.001, f"{per_chart * 1000:.3f} ms a chart"


def test_ages_are_counted_in_whole_months_then_years():
    en = Language("en")
    on = dt.date(2026, 12, 1)
    assert freshness.age_text(PartialDate(2026, 11, 20), on, en) == "less than a month old"
    assert freshness.age_text(PartialDate(2026, 6), on, en) == "5 months old"  # from the last day of June
    assert freshness.age_text(PartialDate(2025, 5, 22), on, en) == "18 months old"
    assert freshness.age_text(PartialDate(2023, 6, 21), on, en) == "3 years old"
    assert freshness.age_text(PartialDate(2021), on, en) == "4 years old"  # from 31 December 2021
    assert not freshness.is_stale(PartialDate(2026, 1, 5), on, 12) and freshness.is_stale(PartialDate(2025, 11, 30), on, 12)
    assert freshness.is_stale(PartialDate(2026, 5, 31), on, 6)
    ru = Language("ru")
    assert freshness.age_text(PartialDate(2023, 6, 21), on, ru) != freshness.age_text(PartialDate(2023, 6, 21), on, en)


def term(id_, en, definition, **kw) -> GlossaryTerm:
    return GlossaryTerm(id_, Text.of(en), Text.of(definition), ("s",), **kw)


def test_the_glossary_marks_whole_terms_outside_tags_and_the_longer_term_first():
    marker = Marker([term("ts", "technical survey", "Looks for mines."), term("nts", "non-technical survey", "Asks around."), term("anama", "ANAMA", "The agency.", expansion=Text.of("Azerbaijan National Agency for Mine Action"))], "en")
    html = str(marker.mark('<a href="/ANAMA">ANAMA says</a> non-technical survey and Technical survey; ANAMAS and BANAMA'))
    assert '<a href="/ANAMA">' in html  # attributes are left alone
    assert '<abbr title="Azerbaijan National Agency for Mine Action: The agency.">ANAMA</abbr> says' in html
    assert '<abbr title="Asks around.">non-technical survey</abbr>' in html
    assert '<abbr title="Looks for mines.">Technical survey</abbr>' in html  # any case for a lower-case term
    assert "ANAMAS and BANAMA" in html  # whole words only; abbreviations as written


def test_the_glossary_allows_azerbaijani_suffixes():
    marker = Marker([term("ts", {"en": "technical survey", "az": "texniki tədqiqat"}, {"en": "x", "az": "y"})], "az")
    assert str(marker.mark("texniki tədqiqatla azaldılmış")) == '<abbr title="y">texniki tədqiqatla</abbr> azaldılmış'


# -- on the built site -------------------------------------------------------------------------


SITE = load_site(ROOT / "data")


def test_every_chartable_national_figure_has_a_chart_with_title_description_table_and_csv(built_site):
    national = (built_site / "countries" / "az" / "index.html").read_text("utf-8")
    country = SITE.countries["az"]
    expected = [s.figure for s in country.figures if chartable(SITE, SITE.figures[s.figure], s.observations)]
    assert expected
    for figure in expected:
        section = national[national.index(f'id="nat-az-{figure}"') :]
        section = section[: section.index("</section>")]
        assert '<svg class="portal-chart__svg"' in section, figure
        title = re.search(r'<figcaption id="[^"]+" class="portal-chart__title">([^<]+)</figcaption>', section).group(1)
        assert title.endswith(" over time")
        assert re.search(r'<p class="portal-chart__desc"[^>]*>\d+ dated values? from \d+ sources? or speakers?\.', section), figure
        assert "<table>" in section  # the values, the accessible alternative
        link = re.search(r'<a href="([^"]+\.csv)" download>', section).group(1)
        rows = list(csv.DictReader(io.StringIO((built_site / "countries" / "az" / link).resolve().read_text("utf-8"))))
        observations = country.series(figure)
        assert len(rows) == len(observations) and {r["figure"] for r in rows} == {figure}
    assert sorted(str(p.relative_to(built_site)) for p in (built_site / "data" / "charts").glob("*.csv")) == sorted(csv_paths(SITE))


def test_a_chart_lists_what_it_does_not_plot(built_site):
    national = (built_site / "countries" / "az" / "index.html").read_text("utf-8")
    # contaminated area: one value per speaker; both plotted (same unit); nothing undated
    undated = [(s.figure, o) for s in SITE.countries["az"].figures for o in s.observations if SITE.observation_date(o) is None]
    for figure, _ in undated:
        if chartable(SITE, SITE.figures[figure], SITE.countries["az"].series(figure)):
            section = national[national.index(f'id="nat-az-{figure}"') :]
            assert "(no date given)" in section[: section.index("</section>")]


def test_freshness_is_beside_every_value_on_cards_and_tables(built_site):
    agdam = (built_site / "regions" / "agdam" / "index.html").read_text("utf-8")
    cards = re.findall(r'<div class="portal-headline__item">.*?</div>', agdam, flags=re.S)
    assert cards
    for card in cards:
        values = card.count('class="portal-value"')
        assert values and len(re.findall(r'class="portal-age[ "]', card)) == values, card
    rows = re.findall(r"<tr><td class=\"portal-num\".*?</tr>", agdam, flags=re.S)
    assert rows and all('class="portal-age' in row for row in rows)
    assert "⚠" in agdam and "years old" in agdam
    # the caveats of the Caspian Post report, beside its figure, linking to the source's entry
    caspian = SITE.sources["caspian-post-landmine-maps"]
    assert caspian.caveats
    assert agdam.count('class="portal-caveat" href="../../sources/#caspian-post-landmine-maps"') >= 2 * len(caspian.caveats)


def test_region_and_country_pages_say_when_they_were_checked(built_site):
    agdam = (built_site / "regions" / "agdam" / "index.html").read_text("utf-8")
    region = SITE.regions["agdam"]
    assert region.checked is not None
    assert f"Figures checked against their sources on {Language('en').date(region.checked)}" in agdam
    newest = SITE.last_updated([o for s in region.figures for o in s.observations])
    assert f"newest figure dated {Language('en').date(newest)}" in agdam


def test_every_page_footer_gives_the_last_check_the_build_date_and_the_licence(built_site):
    checked = max(SITE.checked.values(), key=lambda d: d.last_day)
    for path in [built_site / "index.html", built_site / "regions" / "agdam" / "index.html", built_site / "about" / "index.html", built_site / "ru" / "index.html"]:
        html = path.read_text("utf-8")
        footer = html[html.index('class="md-copyright portal-footer"') :]
        assert f'<time datetime="{checked.last_day.isoformat()}">' in footer, path
        assert f'<time datetime="{dt.date.today().isoformat()}">' in footer, path
        assert 'href="https://creativecommons.org/licenses/by/4.0/" rel="license"' in footer, path


def test_glossary_terms_get_their_definition_on_generated_and_hand_written_pages(built_site):
    anama = next(g for g in SITE.glossary if g.id == "anama")
    title = f"{anama.expansion.get('en')}: {anama.definition.get('en')}".replace("'", "&#39;")
    about = (built_site / "about" / "index.html").read_text("utf-8")
    national = (built_site / "countries" / "az" / "index.html").read_text("utf-8")
    for html in (about, national):
        assert ">ANAMA</abbr>" in html and title.split(":")[0] in html
    glossary = (built_site / "glossary" / "index.html").read_text("utf-8")
    for g in SITE.glossary:
        assert f'id="{g.id}"' in glossary
