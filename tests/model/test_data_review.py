"""The December 2026 review of the data (issue 14): each class of finding that can be checked
mechanically stays fixed. Counts and values are read from the data, never typed here."""

from __future__ import annotations

import re

import pytest

from conftest import ROOT, Text, page, problems
from portal.model.model import Observation
from portal.model.site import load_site

SITE = load_site(ROOT / "data")
OFFICIAL = ("government", "agency", "official")
# A source whose own reporting is the only voice (an outlet's estimate, a page naming no source, a
# reprint): its figures are shown "as reported by" the outlet, with no actor to credit.
OUTLET_ONLY = {"own_estimate", "names_no_source", "secondary_report"}


def observations(site=SITE) -> list[tuple[str, Observation, tuple[str, ...]]]:
    """(file, observation, actors of its event or ()) for every value the portal shows."""
    out = []
    for place in (*site.countries.values(), *site.regions.values()):
        out += [(place.file, o, ()) for s in place.figures for o in s.observations]
    for event in site.events:
        out += [(event.file, o, event.actors) for s in event.figures for o in s.observations]
    return out


# -- attribution ---------------------------------------------------------------------------------


def test_every_figure_names_who_claims_it_unless_the_outlet_is_the_only_voice():
    unattributed = [
        (file, o.figure, o.value)
        for file, o, _ in observations()
        if o.according_to is None and not OUTLET_ONLY & set(SITE.sources[o.source].caveats)
    ]
    assert unattributed == []
    assert all(o.according_to in SITE.actors for _, o, _ in observations() if o.according_to)


def test_official_figures_carry_according_to():
    """An event where a government, agency or official speaks credits each of its figures."""
    official_events = [e for e in SITE.events if any(SITE.actors[a].kind in OFFICIAL for a in e.actors) and e.figures]
    assert official_events
    missing = [
        (e.file, s.figure)
        for e in official_events
        for s in e.figures
        for o in s.observations
        if not o.according_to and not OUTLET_ONLY & set(SITE.sources[o.source].caveats)  # e.g. Reuters' own count
    ]
    assert missing == []


# -- qualifiers ----------------------------------------------------------------------------------

QUALIFIER_WORDS = {
    "about": ("about", "around", "approx", "nearly", "almost", "some ", "roughly"),
    "more_than": ("more than", "over ", "exceed", "above"),
    "at_least": ("at least",),
    "at_most": ("at most", "not go over", "not exceed", "no more than", "up to"),
    "fewer_than": ("fewer than", "less than", "under "),
}


def qualifier_without_its_word(o: Observation) -> bool:
    """A qualifier (about, more than …) that the source's own words, quoted in reported_as, lack."""
    if not o.qualifier or not o.reported_as:
        return False
    return not any(word in o.reported_as.casefold() for word in QUALIFIER_WORDS[o.qualifier])


def test_the_check_catches_a_qualifier_the_quote_lacks():
    """The review's "more than 55%" where the page says "55 per cent"."""
    wrong = Observation(figure="incidents_outside_mapped_areas", value=55, unit="percent", source="x", as_of=None, qualifier="more_than", reported_as="55 per cent of mine explosions")
    right = Observation(figure="estimated_mines", value=1000000, unit="mines", source="x", as_of=None, qualifier="more_than", reported_as="the number of mines exceeds 1 million")
    assert qualifier_without_its_word(wrong) and not qualifier_without_its_word(right)


def test_no_qualifier_that_the_quoted_words_lack():
    quoted = [o for _, o, _ in observations() if o.qualifier and o.reported_as]
    assert quoted, "the sample quotes the words of qualified values"
    assert [(o.file, o.line, o.qualifier, o.reported_as) for o in quoted if qualifier_without_its_word(o)] == []


# -- disputed dates ------------------------------------------------------------------------------


def disputed_events():
    """Events for which sides give different dates: a handover's dates, or date_claims."""
    out = []
    for event in SITE.events:
        if event.handover and event.handover.disputed_dates:
            out.append((event, [day for day, _ in event.handover.dates_by_date]))
        elif event.date_claims:
            out.append((event, [event.date, *(c.date for c in event.date_claims)]))
    return out


def test_a_disputed_event_names_every_date_in_its_title_and_none_in_its_id():
    assert disputed_events(), "the sample has the end-2021 handover, dated 29 November and 4 December"
    for event, dates in disputed_events():
        title = event.title.get()
        for day in dates:
            assert f"{day.day} {day.human().split()[1]}" in title, (event.id, day)  # "29 November"
        earliest = min(dates, key=lambda d: d.first_day)
        assert event.date == earliest  # ordered by the earliest date, by rule, not by side
        slug = event.id.removeprefix(earliest.iso + "-")
        assert not re.search(r"\d{4}-\d{2}(-\d{2})?", slug) and not any(d.human().split()[1].lower() in slug for d in dates if d.day)


def test_both_dates_of_a_disputed_event_are_shown_on_the_timeline(built_site):
    timeline = page(built_site, "timeline")
    for event, dates in disputed_events():
        item = timeline[timeline.index(f'id="{event.id}"') :]
        shown = Text.of("<article>" + item[: item.index("</li>")] + "</article>")
        for day in dates:
            assert day.human() in shown, (event.id, day)
        assert event.title.get() in shown
        meta = item[: item.index("</p>")]  # the line above the title: every date, none first by side
        if event.handover:
            assert [re.findall(r'<time datetime="([^"]+)"', meta)] == [[day.iso for day in dates]]


def test_a_handover_dated_by_one_side_only_is_refused(project):
    rel = "data/events/2021-11-29-end-2021-maps-handover.yml"
    project.replace(rel, "date: 2021-11-29\nkind: handover", "date: 2021-12-04\nkind: handover")
    line = project.line_of(rel, "date: 2021-12-04")
    assert any(p.startswith(f"{rel}:{line}: date: a handover is dated by the earliest of its handover.dates (2021-11-29)") for p in problems(project))


# -- handovers -----------------------------------------------------------------------------------


def test_every_handover_is_structured_and_every_reference_resolves():
    handovers = [e for e in SITE.events if e.kind == "handover"]
    assert handovers and all(e.handover for e in handovers)
    assert list(SITE.handovers) == handovers  # in date order
    for event in handovers:
        h = event.handover
        assert h.dates and h.handed_over
        actors = [d.according_to for d in h.dates] + [x.according_to for x in (*h.handed_over, *h.released) if x.according_to]
        actors += [m.actor for m in h.mediated_by] + [c.according_to for c in h.accuracy_claims]
        assert set(actors) <= set(SITE.actors), event.id
        assert set(h.sources) <= set(SITE.sources), event.id
        assert set(h.regions) <= set(SITE.regions), event.id
        assert all(c.percent_accurate is None or 0 <= c.percent_accurate <= 100 for c in h.accuracy_claims)


@pytest.mark.parametrize(
    "old, new, needle, expected",
    [
        ("      according_to: am-nss\n      sources: [asbarez", "      according_to: nss-armenia\n      sources: [asbarez", "according_to: nss-armenia", "handover.dates[1].according_to: unknown actor 'nss-armenia'"),
        ("  regions: [agdam]\n  handed_over", "  regions: [atlantis]\n  handed_over", "regions: [atlantis]", "handover.regions[0]: unknown region 'atlantis'"),
        ("    - source: clarion-2021-06-12-swap\n      people: 15", "    - source: reuters\n      people: 15", "source: reuters", "handover.released[0].source: unknown source 'reuters'"),
    ],
    ids=["actor", "region", "source"],
)
def test_a_handover_reference_that_does_not_resolve_is_named_with_its_line(project, old, new, needle, expected):
    rel = "data/events/2021-06-12-agdam-maps-handover.yml"
    project.replace(rel, old, new)
    line = project.line_of(rel, needle)
    assert any(p.startswith(f"{rel}:{line}: {expected}") for p in problems(project))


def test_a_handover_event_without_its_block_is_refused(project):
    rel = "data/events/2021-06-12-agdam-maps-handover.yml"
    text = project.read(rel)
    start, end = text.index("handover:\n"), text.index("demands:\n")
    project.write(rel, text[:start] + text[end:])
    line = project.line_of(rel, "kind: handover")
    assert f"{rel}:{line}: kind: an event of kind handover needs a 'handover:' block (its dates, regions and what was handed over)" in problems(project)


# -- checked -------------------------------------------------------------------------------------


def data_files() -> list[str]:
    files = [p for p in (ROOT / "data").rglob("*.yml") if "schemas" not in p.parts]
    return sorted(p.relative_to(ROOT).as_posix() for p in files)


def test_every_data_file_says_when_it_was_last_checked():
    assert data_files() and set(data_files()) <= set(SITE.checked)
    layers = sorted(p.relative_to(ROOT).as_posix() for p in (ROOT / "data" / "geo").glob("*.geojson"))
    assert "data/geo/towns.geojson" in layers and "data/geo/towns.geojson" in SITE.checked
    assert SITE.regions["agdam"].checked == SITE.checked["data/regions/agdam.yml"]
    assert all(e.checked == SITE.checked[e.file] for e in SITE.events)


@pytest.mark.parametrize("rel", ["data/regions/lachin.yml", "data/sources.yml", "data/figures.yml"])
def test_a_file_without_checked_is_refused(project, rel):
    text = project.read(rel)
    line = next(line for line in text.splitlines() if line.startswith("checked: "))
    project.replace(rel, line + "\n", "")
    assert any(p.startswith(f"{rel}:") and "checked: required field is missing" in p for p in problems(project))


def test_an_undated_caveat_contradicting_a_date_is_refused(project):
    project.replace("data/sources.yml", "  published: 2021-03-04\n", "  published: 2021-03-04\n  caveats: [undated]\n")
    line = project.line_of("data/sources.yml", "caveats: [undated]")
    assert any(p.startswith(f"data/sources.yml:{line}: sources[1].caveats: 'undated' contradicts the publication date") for p in problems(project))


# -- sources -------------------------------------------------------------------------------------


def test_an_undated_source_has_no_date_and_says_so():
    undated = [s for s in SITE.sources.values() if "undated" in s.caveats]
    assert undated and all(s.published is None for s in undated)


def test_figures_resting_only_on_the_aggregator_are_not_credited_to_an_official():
    aggregator = [s.id for s in SITE.sources.values() if {"names_no_source", "secondary_report"} <= set(s.caveats)]
    for demand in SITE.demands:
        for claim in demand.made_by:
            if set(claim.sources) <= set(aggregator):
                assert SITE.actors[claim.actor].kind not in OFFICIAL, (demand.id, claim.actor)


def test_the_sources_download_carries_the_caveats_and_the_schema_descriptions(built_site):
    import csv
    import io
    import json

    rows = list(csv.DictReader(io.StringIO((built_site / "data" / "sources.csv").read_text("utf-8"))))
    shown = {r["id"]: r["caveats"] for r in rows}
    assert shown == {s.id: ";".join(s.caveats) for s in SITE.sources.values()}
    package = json.loads((built_site / "data" / "datapackage.json").read_text("utf-8"))
    fields = next(r for r in package["resources"] if r["name"] == "sources")["schema"]["fields"]
    assert all(f.get("description") for f in fields)  # read from the schema's entries, not its top level


def test_the_region_codes_are_those_pycountry_knows():
    """places reads pycountry's database file for the codes alone: the same set as its API."""
    import pycountry

    from portal.model.builders.places import subdivision_codes

    assert subdivision_codes() == {s.code.lower() for s in pycountry.subdivisions}
    assert "az-agm" in subdivision_codes() and "az-zzz" not in subdivision_codes()
