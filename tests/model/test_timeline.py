"""The timeline of events: editors' mistakes in event files, what readers see on the timeline,
the demands page and region histories, and the feeds as a feed reader parses them."""

from __future__ import annotations

import datetime as dt
import json
import re

import feedparser
import pytest

from conftest import ROOT, Text, page, problems
from portal.model.site import load_site

AGDAM_EVENT = "data/events/2021-06-12-agdam-maps-handover.yml"
EVENT_FILES = sorted((ROOT / "data" / "events").glob("*.yml"))
# The event's own list of sources (its last line), as the data has it.
AGDAM_SOURCES = next(line for line in (ROOT / AGDAM_EVENT).read_text("utf-8").splitlines() if line.startswith("sources: ["))


CASES = [
    ("unknown-region", "regions: [agdam]", "regions: [agdam, atlantis]", "regions: [agdam, atlantis]", "regions[1]: unknown region 'atlantis'; add it to data/regions/ first"),
    ("unknown-demand", "{demand: complete-maps, effect: partly_answered}", "{demand: all-maps, effect: partly_answered}", "demand: all-maps", "demands[0].demand: unknown demand 'all-maps'; add it to data/demands.yml first"),
    ("unknown-effect", "{demand: complete-maps, effect: partly_answered}", "{demand: complete-maps, effect: handed_over}", "effect: handed_over",
        "demands[0].effect: expected one of: made, answered, claimed_answered, partly_answered, disputed, rejected, not_granted; got the text 'handed_over'"),
    ("unknown-actor", "actors: [am-pm, ", "actors: [aliyev, ", "actors: [aliyev", "actors[0]: unknown actor 'aliyev'; add it to data/actors.yml first"),
    ("unknown-source", AGDAM_SOURCES, AGDAM_SOURCES.replace("sources: [", "sources: [reuters, "), "sources: [reuters", "sources[0]: unknown source 'reuters'; add it to data/sources.yml first"),
    ("unknown-kind", "kind: handover", "kind: exchange", "kind: exchange", "kind: expected one of: demand, handover, statement, agreement, incident, clearance, court_filing, court_ruling, baseline; got the text 'exchange'"),
    ("date-not-file-name", "date: 2021-06-12", "date: 2021-06-11", "date: 2021-06-11", "date: the date 2021-06-11 disagrees with the file name, which should start with 2021-06-11-"),
    ("impossible-date", "date: 2021-06-12", "date: 2021-06-31", "date: 2021-06-31", "date: '2021-06-31' is not a real date"),
    ("id-not-file-name", "id: 2021-06-12-agdam-maps-handover", "id: 2021-06-12-agdam-handover", "id: 2021", "id: the id '2021-06-12-agdam-handover' differs from the file name; rename the file to 2021-06-12-agdam-handover.yml or set id: 2021-06-12-agdam-maps-handover"),
    ("no-sources", AGDAM_SOURCES, "sources: []", "sources: []", "sources: must list at least 1 item"),
]


@pytest.mark.parametrize("old, new, line_text, expected", [c[1:] for c in CASES], ids=[c[0] for c in CASES])
def test_each_event_mistake_gives_the_exact_message(project, old, new, line_text, expected):
    project.replace(AGDAM_EVENT, old, new)
    line = project.line_of(AGDAM_EVENT, line_text)
    assert f"{AGDAM_EVENT}:{line}: {expected}" in problems(project)


def test_an_event_in_the_future_is_refused(project):
    later = (dt.date.today() + dt.timedelta(days=40)).isoformat()
    rel = f"data/events/{later}-future-handover.yml"
    project.write(rel, project.read(AGDAM_EVENT).replace("2021-06-12-agdam-maps-handover", f"{later}-future-handover").replace("date: 2021-06-12", f"date: {later}"))
    line = project.line_of(rel, f"date: {later}")
    assert f"{rel}:{line}: date: '{later}' is in the future (today is {dt.date.today().isoformat()})" in problems(project)


# -- what readers see ------------------------------------------------------------------------


def test_the_timeline_lists_every_event_in_order_grouped_by_year(built_site):
    timeline = page(built_site, "timeline")
    ids = re.findall(r'<li class="portal-event" id="([^"]+)"', timeline)
    assert len(ids) == len(EVENT_FILES) == len(set(ids))
    events = load_site(ROOT / "data").events
    assert ids == [e.id for e in events]  # date order: a month-only date counts from the month's first day
    days = [e.date.first_day for e in events]
    assert days == sorted(days)
    years = re.findall(r'<h2 id="year-(\d{4})">', timeline)
    assert years == sorted(set(i[:4] for i in ids))
    for year in years:  # every event sits in its year's section
        section = timeline[timeline.index(f'<h2 id="year-{year}">') :]
        section = section[: section.index("</section>")]
        assert all(i.startswith(year) for i in re.findall(r'class="portal-event" id="([^"]+)"', section))
    assert '<a class="portal-permalink" href="#2021-06-12-agdam-maps-handover"' in timeline


def test_conflicting_claims_appear_side_by_side_on_the_timeline(built_site):
    timeline = page(built_site, "timeline")
    text = Text.of(timeline)
    site = load_site(ROOT / "data")
    disputed = [e for e in site.handovers if e.handover.disputed_dates]
    assert disputed, "the sample has a handover that the sides date differently"
    for event in disputed:
        item = timeline[timeline.index(f'id="{event.id}"') :]
        item = Text.of("<article>" + item[: item.index("</li>")] + "</article>")
        shown = re.sub(r" \[\d+\]", "", item)  # without the citation numbers
        for day, given in event.handover.dates_by_date:
            names = ", ".join(site.actors[d.according_to].short_name.get() for d in given)
            assert f"{day.human()} according to {names}" in shown
    assert "Claimed accuracy of the maps handed over: 25% according to President of Azerbaijan" in text
    assert "Claimed accuracy of the maps handed over: 2% according to ANAMA" in text


def test_the_demands_page_derives_status_and_history_from_events(built_site):
    demands = page(built_site, "demands")
    text = Text.of(demands)
    site = load_site(ROOT / "data")
    history = site.events_for_demand("complete-maps")
    answers = [e for e, effect in history if effect in ("answered", "claimed_answered", "partly_answered")]
    assert any(effect == "claimed_answered" for _, effect in history)
    assert "Status: Claimed answered; disputed." in text
    dates = ", ".join(e.date.human() for e in answers)
    assert f"Data handed over: {dates} ({len(answers)} recorded events)." in text
    section = demands[demands.index('id="demand-complete-maps"') :]
    agdam = next(e for e, _ in history if e.id == "2021-06-12-agdam-maps-handover")
    title = agdam.title.get().replace("'", "&#39;")
    assert f'<a href="../timeline/#2021-06-12-agdam-maps-handover">{title}</a>' in section
    assert "Status: Open: no handover of data recorded." in text  # the demands no event concerns yet


def test_a_region_page_shows_its_history(built_site):
    agdam = page(built_site, "regions/agdam")
    assert '<a href="../../timeline/#2021-06-12-agdam-maps-handover">' in agdam
    assert '<a href="../../timeline/#2021-06-13-pashinyan-small-part-of-maps">' in agdam
    site = load_site(ROOT / "data")
    for region in site.regions.values():  # every region page lists the events that concern it
        shown = page(built_site, f"regions/{region.id}")
        for event in site.events_for_region(region.id):
            assert f'<a href="../../timeline/#{event.id}">' in shown
        if not site.events_for_region(region.id):
            assert "No event on the timeline concerns this region yet." in Text.of(shown)


def test_the_home_page_shows_the_latest_events(built_site):
    home = page(built_site, "")
    latest = home[home.index('class="portal-block portal-key"') :]
    latest = latest[: latest.index("</ol>")]
    shown = re.findall(r'href="timeline/#([^"]+)"', latest)
    assert shown == sorted((p.stem for p in EVENT_FILES), reverse=True)[:3]


def test_feeds_carry_the_newest_events_only_when_there_are_many():
    """A feed is fetched again and again by readers: past feeds.ENTRIES events, the oldest are
    left to the timeline page and the downloads (checked here with a limit below the sample's 27)."""
    from portal.publish import feeds

    site = load_site(ROOT / "data")
    newest = sorted(p.stem for p in EVENT_FILES)[::-1][:3]
    atom = feedparser.parse(feeds.atom(site, "https://example.org/", limit=3))
    assert [e.link.split("#")[1] for e in atom.entries] == newest
    items = json.loads(feeds.json_feed(site, "https://example.org/", limit=3))["items"]
    assert [i["url"].split("#")[1] for i in items] == newest
    assert len(EVENT_FILES) < feeds.ENTRIES  # so the built feeds below hold every sample event


def test_feeds_have_one_entry_per_event_with_links_and_dates(built_site):
    atom = feedparser.parse((built_site / "feeds" / "events.atom").read_bytes())
    assert not atom.bozo, atom.bozo_exception
    assert len(atom.entries) == len(EVENT_FILES)
    entry = next(e for e in atom.entries if e.link.endswith("#2021-06-12-agdam-maps-handover"))
    assert entry.link == "http://127.0.0.1:8000/timeline/#2021-06-12-agdam-maps-handover"
    assert entry.title == load_site(ROOT / "data").events[[e.id for e in load_site(ROOT / "data").events].index("2021-06-12-agdam-maps-handover")].title.get()
    assert entry.published_parsed[:3] == (2021, 6, 12)
    assert atom.entries[0].link.endswith("#" + max(p.stem for p in EVENT_FILES))  # newest first

    feed = json.loads((built_site / "feeds" / "events.json").read_text("utf-8"))
    assert feed["version"] == "https://jsonfeed.org/version/1.1"
    assert feed["feed_url"] == "http://127.0.0.1:8000/feeds/events.json"
    assert len(feed["items"]) == len(EVENT_FILES)
    assert all(i["id"] and i["content_text"] and i["title"] for i in feed["items"])  # required by JSON Feed 1.1
    assert {i["url"].split("#")[1] for i in feed["items"]} == {p.stem for p in EVENT_FILES}
    item = next(i for i in feed["items"] if i["url"].endswith("#2021-06-12-agdam-maps-handover"))
    assert item["date_published"] == "2021-06-12T00:00:00+00:00"


def test_every_page_announces_the_feeds(built_site):
    for path in built_site.rglob("index.html"):
        html = path.read_text("utf-8")
        assert 'rel="alternate" type="application/atom+xml"' in html, path
        assert 'rel="alternate" type="application/feed+json"' in html, path
