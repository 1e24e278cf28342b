"""Feeds of the timeline: Atom (feedgen) and JSON Feed 1.1 (json), one entry per event, the
newest :data:`ENTRIES` of them (feed readers fetch a feed again and again; the whole history is
the timeline page and the downloads data/events.csv and .json).

Built from the model; nothing here knows MkDocs. Entry links point at the event's anchor on
the timeline page, entry dates are the events' dates (midnight UTC; partial dates use their
first day)."""

from __future__ import annotations

import datetime as dt
import json

from portal.i18n.i18n import N_, Language
from portal.model import derived
from portal.model.model import Event, Site
from portal.render import routes

TITLE = N_("Minefield maps: timeline of demands and handovers")
SUBTITLE = N_("Dated, sourced events on the disclosure of minefield maps after the Armenia–Azerbaijan conflict.")
ATOM = "feeds/events.atom"
JSON = "feeds/events.json"
ENTRIES = 100  # the sample data has fewer events: every one of them is in the feeds
EMPTY_SITEMAP = '<?xml version="1.0" encoding="UTF-8"?>\n<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9"></urlset>\n'


def _when(event: Event) -> dt.datetime:
    return dt.datetime.combine(event.date.first_day, dt.time(0, 0), tzinfo=dt.UTC)


def _text(site: Site, event: Event, language: Language) -> str:
    sources = "; ".join(f"{language.publisher(site.sources[s])}: {site.sources[s].url}" for s in event.sources)
    return f"{event.summary.get(language.code)}\n\n" + language.gettext("Sources: %(sources)s", sources=sources)


def _timeline(site_url: str, directory_urls: bool) -> str:
    """The timeline page's address (the feeds' home page; an entry's link is its anchor there)."""
    return site_url + routes.page_url(routes.TIMELINE.src_uri, directory_urls)


def atom(site: Site, site_url: str, language: Language | None = None, limit: int = ENTRIES, directory_urls: bool = True) -> bytes:
    language = language or Language()
    lang = language.code
    timeline = _timeline(site_url, directory_urls)
    from feedgen.feed import FeedGenerator  # on first use: it loads lxml, which validation never needs

    feed = FeedGenerator()
    feed.id(site_url + ATOM)
    feed.title(language.gettext(TITLE))
    feed.subtitle(language.gettext(SUBTITLE))
    feed.link(href=timeline, rel="alternate")
    feed.link(href=site_url + ATOM, rel="self")
    feed.language(lang)
    events = derived.newest_events(site, limit)
    feed.updated(_when(events[0]) if events else dt.datetime(2020, 11, 10, tzinfo=dt.UTC))
    for event in reversed(events):  # feedgen prepends: add oldest first, newest ends up on top
        entry = feed.add_entry()
        entry.id(f"{timeline}#{event.id}")
        entry.title(event.title.get(lang))
        entry.link(href=f"{timeline}#{event.id}", rel="alternate")
        entry.published(_when(event))
        entry.updated(_when(event))
        entry.summary(_text(site, event, language))
        entry.category(term=event.kind)
    return feed.atom_str(pretty=True)


def json_feed(site: Site, site_url: str, language: Language | None = None, limit: int = ENTRIES, directory_urls: bool = True) -> str:
    language = language or Language()
    lang = language.code
    timeline = _timeline(site_url, directory_urls)
    items = [
        {
            "id": f"{timeline}#{event.id}",
            "url": f"{timeline}#{event.id}",
            "title": event.title.get(lang),
            "content_text": _text(site, event, language),
            "date_published": _when(event).isoformat(),
            "tags": [event.kind],
        }
        for event in derived.newest_events(site, limit)
    ]
    feed = {
        "version": "https://jsonfeed.org/version/1.1",
        "title": language.gettext(TITLE),
        "home_page_url": timeline,
        "feed_url": site_url + JSON,
        "language": lang,
        "items": items,
    }
    return json.dumps(feed, ensure_ascii=False, indent=1, allow_nan=False)
