"""Generated pages and fragments, rendered with the Jinja templates in ``overrides/portal/``.

Nothing here knows MkDocs. Pages come out as Markdown documents whose body is HTML that
the templates build with autoescaping on; Markdown only sees the page's headings, written
with :func:`md_text`, which turns every character that Markdown or HTML could read as syntax
into a character reference.
"""

from __future__ import annotations

import re
import zlib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable

import jinja2
from markdown_it import MarkdownIt
from markupsafe import Markup, escape

from portal.render import freshness
from portal.render.glossary import Marker
from portal.i18n.i18n import N_, Language, N_plural
from portal.check.pocheck import translated_markup
from portal.render.maps import Maps, caption_id
from portal.model.model import Country, Figure, Observation, PartialDate, Region, Site, Text
from portal.render.routes import FIXED_PAGES, country_page, region_page
from portal.check.schemas import schemas

TEMPLATE_DIR = Path(__file__).resolve().parents[3] / "overrides" / "portal"
_ENGLISH = Language("en")

# -- text helpers -------------------------------------------------------------------------

# A Markdown link [text](target) in a summary, for the plain-text description. Linear time: the
# text cannot contain a bracket and the target no parenthesis, so each scan stops at the next one
# and no character is scanned from two starting points (the former [^\]]* scanned "[[[[…" again
# from every bracket: 200 s for a 400 KB summary).
_SUMMARY_LINK = re.compile(r"\[([^\[\]]*)\]\([^()]*\)")
_MD_SPECIAL = re.compile(r"[\\`*_{}\[\]()#+\-.!|~^=:<>&\"'$%@]")


def md_text(value: Any) -> Markup:
    """Text that Markdown and HTML both show exactly as written (for headings)."""
    return Markup(_MD_SPECIAL.sub(lambda m: f"&#{ord(m.group())};", str(value)))


_inline = MarkdownIt("zero", {"html": False, "linkify": False, "typographer": False}).enable(["emphasis", "link"])
_inline.validateLink = lambda url: url.strip().lower().startswith(("https://", "mailto:"))


def inline_markdown(value: Any) -> Markup:
    """The small Markdown subset of summaries: *emphasis*, **strong** and https/mailto links.

    Raw HTML is shown as text; links open in the same tab and carry rel=nofollow."""
    html = _inline.renderInline(str(value))
    html = html.replace("<a href=", '<a rel="nofollow noopener" href=')
    return Markup(html)


def no_final_stop(html: Any) -> Markup:
    """A text that ends a sentence, put inside brackets in another: its final full stop goes, so
    that "(… the last of five dates.)." reads "(… the last of five dates)."
    """
    text = str(html).rstrip()
    for end in (".</span>", "."):
        if text.endswith(end) and not text.endswith(".." + end[1:]):
            text = text[: -len(end)] + end[1:]
            break
    return Markup(text)


def _shorten(text: str, limit: int = 160) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1].rsplit(" ", 1)[0] + "…"


# Units and qualifiers as a reader sees them: the number is the plural's count ({num} is the
# formatted number, so that a translation can put it where its language wants it).
UNIT_FORMS = {
    "mines": N_plural("%(num)s mine", "%(num)s mines"),
    "items": N_plural("%(num)s item", "%(num)s items"),
    "people": N_plural("%(num)s person", "%(num)s people"),
    "maps": N_plural("%(num)s map", "%(num)s maps"),
    "documents": N_plural("%(num)s document", "%(num)s documents"),
    "ha": N_plural("%(num)s ha", "%(num)s ha"),
    "km2": N_plural("%(num)s km²", "%(num)s km²"),
}
UNIT_HEADINGS = {
    "mines": N_("mines"),
    "items": N_("items"),
    "people": N_("people"),
    "maps": N_("maps"),
    "documents": N_("documents"),
    "percent": "%",
    "ha": N_("hectares"),
    "km2": N_("square kilometres"),
}
QUALIFIER_FORMS = {
    "about": N_("about %(value)s"),
    "more_than": N_("more than %(value)s"),
    "at_least": N_("at least %(value)s"),
    "at_most": N_("at most %(value)s"),
    "fewer_than": N_("fewer than %(value)s"),
}


def format_amount(value: int | float, unit: str, qualifier: str | None = None, language: Language | None = None) -> str:
    """A number with its unit and qualifier, as a reader of the edition reads it: "about 300,000 mines"."""
    language = language or _ENGLISH
    if unit == "percent":
        text = language.percent(value)
    else:
        singular, plural = UNIT_FORMS[unit]
        # a fraction takes the plural (English) or the "few" form (Russian): count it as 2
        text = language.ngettext(singular, plural, value if float(value).is_integer() else 2, num=language.number(value))
    if qualifier:
        text = language.gettext(QUALIFIER_FORMS[qualifier], value=text)
    return text


def format_value(obs: Observation, language: Language | None = None) -> str:
    return format_amount(obs.value, obs.unit, obs.qualifier, language)


def format_date(value: PartialDate | None, approximate: bool = False, language: Language | None = None) -> str:
    language = language or _ENGLISH
    if value is None:
        return language.gettext("date not stated")
    text = language.date(value)
    return language.gettext("about %(date)s", date=text) if approximate else text


def page_url(src_uri: str) -> str:
    """The URL path (relative to the site root) of a Markdown page, with directory URLs."""
    if src_uri == "index.md":
        return ""
    stem = src_uri[: -len(".md")]
    if stem.endswith("/index"):
        stem = stem[: -len("/index")]
    return stem + "/"


def _relpath(target: str, start: str) -> str:
    """posixpath.relpath for the site's own normalised paths (no "." or ".." in them), without
    its abspath calls: a large site makes hundreds of thousands of links."""
    t = [part for part in target.split("/") if part and part != "."]
    s = [part for part in start.split("/") if part and part != "."]
    common = 0
    while common < len(t) and common < len(s) and t[common] == s[common]:
        common += 1
    return "/".join([".."] * (len(s) - common) + t[common:]) or "."


def relative_url(from_page: str, to_url: str) -> str:
    """A link from the page at ``from_page`` (a src_uri) to ``to_url`` (a site-root path with optional #anchor)."""
    path, _, anchor = to_url.partition("#")
    rel = _relpath(path or ".", page_url(from_page) or ".")
    if path == "" or path.endswith("/"):
        rel = "./" if rel == "." else rel + "/"
    return rel + (f"#{anchor}" if anchor else "")


KIND_LABELS = {
    "main_town": N_("main town"),
    "boundary": N_("boundary"),
    "suspected_hazard_area": N_("suspected hazard area"),
    "confirmed_hazard_area": N_("confirmed hazard area"),
    "released_land": N_("released land"),
}

EVENT_KINDS = {
    "demand": N_("Demand"),
    "handover": N_("Handover"),
    "statement": N_("Statement"),
    "agreement": N_("Agreement"),
    "incident": N_("Incident"),
    "clearance": N_("Clearance report"),
    "court_filing": N_("Court filing"),
    "court_ruling": N_("Court ruling"),
    "baseline": N_("Baseline"),
}

EFFECTS = {
    "made": N_("demand made or repeated"),
    "answered": N_("said to be fully answered"),
    "claimed_answered": N_("claimed answered; disputed"),
    "partly_answered": N_("partly answered: data handed over"),
    "disputed": N_("data handed over disputed as inaccurate or incomplete"),
    "rejected": N_("request rejected"),
    "not_granted": N_("provisional measures not granted"),
}

# Source caveats (data/sources.yml, `caveats:`): a short label beside every figure resting on
# the source, linking to its entry, and a longer note for the link's title.
CAVEAT_LABELS = {
    "undated": N_("undated source"),
    "names_no_source": N_("names no source"),
    "secondary_report": N_("second-hand report"),
    "own_estimate": N_("outlet's own estimate"),
}
CAVEAT_NOTES = {
    "undated": N_("The source gives no publication date."),
    "names_no_source": N_("The source gives figures without naming where they come from."),
    "secondary_report": N_("The source reports what another outlet or body said."),
    "own_estimate": N_("The figure is the outlet's own estimate."),
}

# -- citations ----------------------------------------------------------------------------


@dataclass
class Citations:
    """Numbers the sources cited on one page (or one fragment) in order of first use."""

    site: Site
    prefix: str = "source"
    order: list[str] = field(default_factory=list)
    language: Language = _ENGLISH
    # True while the fragments of a hand-written page are rendered: their sources are listed
    # once, at the foot of the page (expand_directives), not under each fragment.
    deferred: bool = False

    def __call__(self, source_id: str) -> Markup:
        if source_id not in self.order:
            self.order.append(source_id)
        n = self.order.index(source_id) + 1
        source = self.site.sources[source_id]
        label = escape(self.language.gettext("Source %(n)s: %(publisher)s", n=n, publisher=self.language.publisher(source)))
        return Markup(f'<a class="portal-cite" href="#{self.prefix}-{n}" aria-label="{label}">[{n}]</a>')

    def entries(self):
        return [(n, f"{self.prefix}-{n}", self.site.sources[sid]) for n, sid in enumerate(self.order, start=1)]


# -- view helpers -------------------------------------------------------------------------


@dataclass(frozen=True)
class ObservationView:
    obs: Observation
    value: str
    date: str
    period: str
    claimant: str
    sort_value: float
    age: str = ""  # "3 years old"; empty when the value has no date
    stale: bool = False  # older than its figure's stale_after_months
    stale_after: int = 12


class Views:
    """Turns model objects into what the templates show, in one edition's language."""

    def __init__(self, site: Site, lang: str = "en"):
        self.site = site
        self.lang = lang
        self.language = Language(lang)
        self._ = self.language.gettext
        self.fallbacks = 0  # data texts shown in English on the page being rendered
        self.fallbacks_total = 0  # and in the whole build
        self.today = freshness.today()
        self._charts = None
        self.marker = Marker(site.glossary, lang)

    def marked(self, text: str) -> Markup:
        """A plain interface or data string for the page body, with its glossary terms marked."""
        return self.marker.mark(escape(text))

    @property
    def charts(self):
        if self._charts is None:
            from portal.render.figurecharts import Charts

            self._charts = Charts(self)
        return self._charts

    def t(self, text: Text | None) -> str:
        return "" if text is None else text.get(self.lang)

    def translated(self, text: Text | None) -> bool:
        """Whether a data text exists in this edition's language (English texts always do)."""
        return text is None or self.lang == "en" or text.has(self.lang)

    def shown(self, text: Text | None, markdown: bool = False) -> Markup:
        """A data text for the page body: in English, marked lang="en", where the edition has no
        translation yet (counted, so that the page can say so once, near its top)."""
        if text is None:
            return Markup("")
        value = text.get(self.lang)
        html = self.marker.mark(inline_markdown(value) if markdown else escape(value))
        if self.translated(text):
            return html
        self.fallbacks += 1
        self.fallbacks_total += 1
        return Markup('<span lang="en">') + html + Markup("</span>")

    def untranslated_note(self) -> Markup:
        if not self.fallbacks:
            return Markup("")
        note = self._("Parts of this page are not yet translated into %(language)s and are shown in English.", language=self.language.in_text())
        return Markup('<p class="portal-untranslated" role="note">') + escape(note) + Markup("</p>")

    def number(self, value: int | float) -> str:
        return self.language.number(value)

    def date(self, value: PartialDate | None, approximate: bool = False) -> str:
        return format_date(value, approximate, self.language)

    def value(self, obs: Observation) -> str:
        return format_value(obs, self.language)

    def claimant(self, obs: Observation) -> str:
        if obs.according_to:
            return self._("according to %(who)s", who=self.t(self.site.actors[obs.according_to].short_name))
        return self._("as reported by %(publisher)s", publisher=self.language.publisher(self.site.sources[obs.source]))

    def observation(self, obs: Observation) -> ObservationView:
        date = self.site.observation_date(obs)
        as_of_text = self.date(date, obs.date_approximate)
        if obs.as_of is None and date is not None:
            as_of_text = self._("%(date)s (date of the source)", date=as_of_text)
        period = ""
        if obs.since:
            period = self._("%(start)s to %(end)s", start=self.date(obs.since), end=self.date(obs.as_of, obs.date_approximate))
        age, stale, limit = "", False, 12
        if date is not None:
            figure = self.site.figures.get(obs.figure)
            limit = figure.stale_after_months if figure else freshness.DEFAULT_STALE_AFTER_MONTHS
            age = freshness.age_text(date, self.today, self.language)
            stale = freshness.is_stale(date, self.today, limit)
        return ObservationView(obs, self.value(obs), as_of_text, period, self.claimant(obs), float(obs.value), age, stale, limit)

    def series(self, place: Region | Country) -> list[tuple[Figure, list[ObservationView], list[ObservationView]]]:
        """For each figure the place reports, in the order of data/figures.yml: (figure, latest, all)."""
        out = []
        for figure in self.site.figures.values():
            observations = place.series(figure.id)
            if observations:
                latest = [self.observation(o) for o in self.site.latest(observations)]
                out.append((figure, latest, [self.observation(o) for o in observations]))
        return out

    def newest(self, place: Region | Country) -> PartialDate | None:
        """The date of the newest figure of a place (not when it was checked: see ``checked``)."""
        return self.site.last_updated([o for s in place.figures for o in s.observations])

    def last_updated(self, place: Region | Country) -> str:
        every = [o for s in place.figures for o in s.observations]
        return self.date(self.site.last_updated(every)) if every else self._("no figures yet")


# -- the renderer -------------------------------------------------------------------------


class Renderer:
    """Renders generated pages and directive fragments for one language edition."""

    def __init__(
        self,
        site: Site,
        *,
        edit_base: str | None = None,
        tiles: dict[str, str] | None = None,
        schema_dir: Path | None = None,
        lang: str = "en",
        template_dir: Path = TEMPLATE_DIR,
    ):
        self.site = site
        self.tiles = tiles if tiles and tiles.get("url") else None
        self.schema_dir = schema_dir or TEMPLATE_DIR.parents[1] / "data" / "schemas"
        self.views = Views(site, lang)
        self.maps = Maps(site, self.views)
        self.edit_base = edit_base.rstrip("/") + "/" if edit_base else None
        self.env = jinja2.Environment(
            loader=jinja2.FileSystemLoader(str(template_dir)),
            autoescape=True,  # MkDocs's own environment does not autoescape; ours always does
            undefined=jinja2.StrictUndefined,
            trim_blocks=True,
            lstrip_blocks=True,
            keep_trailing_newline=True,
        )
        self.lang = lang
        self._ = self.views._
        self.env.filters.update(gl=self.views.marked, nostop=no_final_stop, md=md_text, inline_md=inline_markdown, number=self.views.number, date=self.views.date, t=self.views.t, tl=self.views.shown,
            tmd=lambda text: self.views.shown(text, markdown=True),
        )
        self.env.globals.update(
            site=site,
            views=self.views,
            kind_labels={k: self._(v) for k, v in KIND_LABELS.items()},
            tiles=self.tiles,
            event_kinds={k: self._(v) for k, v in EVENT_KINDS.items()},
            effects={k: self._(v) for k, v in EFFECTS.items()},
            lang=lang,
            maps=self.maps,
            map_caption_id=lambda focus, figure: caption_id("-".join(focus) or "all", figure),
            focus_names=lambda ids: ", ".join(self.views.t(site.regions[i].name) for i in ids),
            untranslated_mark=Markup(UNTRANSLATED_MARK),
            format_amount=lambda value, unit, qualifier=None: format_amount(value, unit, qualifier, self.views.language),
            checked_of=lambda place: getattr(place, "checked", None),
            caveats_of=lambda sid: getattr(site.sources[sid], "caveats", ()) if sid in site.sources else (),
            caveat_labels={k: self._(v) for k, v in CAVEAT_LABELS.items()},
            caveat_notes={k: self._(v) for k, v in CAVEAT_NOTES.items()},
            _=self._markup_gettext,
            ngettext=self._markup_ngettext,
        )

    # _() and ngettext() in templates, as Jinja's i18n extension does them with "newstyle"
    # gettext (the translation is markup, the values are escaped into it), without its
    # per-call context machinery: 30 calls a region page.
    # The translation is not trusted: its text is escaped and its tags are the English's
    # (portal.check.pocheck.translated_markup); the English comes from the templates.
    def _markup_gettext(self, message: str, **values: Any) -> Markup:
        text = translated_markup(message, self.views.language.lookup(message))
        return text % values if values else text

    def _markup_ngettext(self, singular: str, plural: str, n: int, **values: Any) -> Markup:
        values.setdefault("num", self.views.language.number(n))
        text = self.views.language.translations.ngettext(singular, plural, int(n))
        # the markup of every form is the singular's (portal.check.pocheck checks the plural forms against it)
        return (Markup(plural) if text == plural else translated_markup(singular, text)) % values

    def cite(self, prefix: str = "source") -> Citations:
        return Citations(self.site, prefix, language=self.views.language)

    def sources_fragment(self, cite: Citations, src_uri: str) -> str:
        """The one numbered list of a page's sources, for its foot."""
        cite.deferred = False
        return self._render("sources_list.html", src_uri, cite)

    def place_charts(self, place: Region | Country, kind: str, prefix: str) -> dict:
        """Each chartable figure of a place: figure id -> ChartView."""
        out = {}
        for s in place.figures:
            chart = self.views.charts.chart(self.site.figures[s.figure], s.observations, kind, place.id, f"{prefix}-{s.figure}-chart")
            if chart is not None:
                out[s.figure] = chart
        return out

    def edit_url(self, data_file: str) -> str | None:
        return f"{self.edit_base}{data_file}" if self.edit_base else None

    def _render(self, template: str, src_uri: str, cite: Citations, **context: Any) -> str:
        def url(target: str) -> str:
            return relative_url(src_uri, target)

        self.views.fallbacks = 0
        html = self.env.get_template(template).render(url=url, cite=cite, edit_url=self.edit_url, **context)
        return html.replace(UNTRANSLATED_MARK, self.views.untranslated_note(), 1).replace(UNTRANSLATED_MARK, "")

    # what a generated page is made from ------------------------------------------------

    def data_file(self, src_uri: str) -> str | None:
        """The data file (or folder, ending in /) that a generated page is made from."""
        if src_uri.startswith("regions/") and src_uri != "regions/index.md":
            region = self.site.regions.get(src_uri[len("regions/") : -len(".md")])
            return region.file if region else None
        return {
            "regions/index.md": "data/regions/",
            "timeline.md": "data/events/",
            "demands.md": "data/demands.yml",
            "impacts.md": "data/impacts.yml",
            "sources.md": "data/sources.yml",
            "data.md": "data/",
            "glossary.md": "data/glossary.yml",
            "handovers.md": "data/events/",
        }.get(src_uri) or (self.site.countries[src_uri[len("countries/") : -len(".md")]].file if src_uri.startswith("countries/") and src_uri[len("countries/") : -len(".md")] in self.site.countries else None)

    def description(self, src_uri: str) -> str:
        """A plain-text description of a generated page, from its data (for search engines and link previews)."""
        if src_uri.startswith("regions/") and src_uri != "regions/index.md":
            region = self.site.regions[src_uri[len("regions/") : -len(".md")]]
            text = _SUMMARY_LINK.sub(r"\1", self.views.t(region.summary)).replace("*", "")
            return _shorten(f"{self.views.t(region.name)}: {text}")
        return {
            "regions/index.md": self.views.language.ngettext(
                "Landmine figures for %(num)s district, with its sources.", "Landmine figures for %(num)s districts, each with its sources.", len(self.site.regions)
            ),
            "timeline.md": self.views.language.ngettext(
                "%(num)s dated, sourced event on the demands for minefield maps and the handovers that answered them.",
                "%(num)s dated, sourced events on the demands for minefield maps and the handovers that answered them.",
                len(self.site.events),
            ),
            "demands.md": self._("The demands for minefield data, who makes them, since when, and their status derived from dated events."),
            "impacts.md": self._("The impacts of withheld minefield data and the benefits of transparency and joint demining, with sources."),
            "sources.md": self.views.language.ngettext(
                "The %(num)s source the portal cites, with where it is used.", "The %(num)s sources the portal cites, with where each is used.", len(self.site.sources)
            ),
            "data.md": self._("Every dataset of the portal as CSV, JSON and GeoJSON, with a Frictionless Data Package and field documentation."),
            "glossary.md": self._("The terms and abbreviations the portal uses, each with a sourced definition."),
            "handovers.md": self._("Every handover of minefield maps: the dates each side gives, the districts, what was handed over and released, and later claims about the maps' accuracy, each with its source."),
        }.get(src_uri) or (self._("National figures for %(country)s over time, every value with its source.", country=self.views.t(self.site.countries[src_uri[len("countries/") : -len(".md")]].name)) if src_uri.startswith("countries/") else "")

    # pages ---------------------------------------------------------------------------

    FIXED_PAGES = FIXED_PAGES  # portal.render.routes: the data checks refuse ids that would take one of them

    def page_uris(self) -> list[str]:
        """Every generated page's src_uri (rendered one at a time by :meth:`page`)."""
        return [*self.FIXED_PAGES, *(country_page(c) for c in self.site.countries), *(region_page(region_id) for region_id in self.site.regions)]

    def page(self, src_uri: str) -> str:
        """One generated page as Markdown."""
        fixed = {
            "regions/index.md": self.regions_index,
            "impacts.md": self.impacts_page,
            "sources.md": self.sources_page,
            "timeline.md": self.timeline_page,
            "demands.md": self.demands_page,
            "glossary.md": self.glossary_page,
            "handovers.md": self.handovers_page,
        }
        if src_uri in fixed:
            return fixed[src_uri]()
        if src_uri.startswith("countries/"):
            return self.country_page(self.site.countries[src_uri[len("countries/") : -len(".md")]])
        return self.region_page(self.site.regions[src_uri[len("regions/") : -len(".md")]])

    def pages(self) -> dict[str, str]:
        """Every generated page: src_uri -> Markdown (all at once: for tests and tools)."""
        return {src_uri: self.page(src_uri) for src_uri in self.page_uris()}

    def data_page(self, downloads: list[dict], last_updated: str, package_size: int) -> str:
        """The /data/ page: every download with its size, row count and field documentation."""
        return self._render(
            "data_page.html",
            "data.md",
            self.cite(),
            downloads=downloads,
            last_updated=last_updated,
            package_size=package_size,
        )

    def timeline_page(self) -> str:
        years: dict[int, list] = {}
        for event in self.site.events:
            years.setdefault(event.date.year, []).append(event)
        events = self.site.events
        kinds = {e.kind for e in events}
        actors = {a for e in events for a in e.actors}
        regions = {r for e in events for r in e.regions}
        options = {
            "kinds": [(k, self._(label)) for k, label in EVENT_KINDS.items() if k in kinds],
            "actors": [a for a in self.site.actors.values() if a.id in actors],
            "regions": [r for r in self.site.regions.values() if r.id in regions],
        }
        return self._render("timeline.html", "timeline.md", self.cite(), years=years, options=options)

    def demands_page(self) -> str:
        return self._render(
            "demands_page.html",
            "demands.md",
            self.cite(),
            statuses={d.id: self.demand_status(d.id) for d in self.site.demands},
        )

    def demand_status(self, demand_id: str) -> dict[str, Any]:
        """A demand's status, derived from the events that concern it (never typed by hand)."""
        history = self.site.events_for_demand(demand_id)
        answers = [e for e, effect in history if effect in ("answered", "claimed_answered", "partly_answered")]
        claimed = [e for e, effect in history if effect == "claimed_answered"]
        disputes = [e for e, effect in history if effect == "disputed"]
        last_answer = answers[-1].date.last_day if answers else None
        _, ngettext, date = self._, self.views.language.ngettext, self.views.date
        if not answers:
            label = _("Open: no handover of data recorded")
        elif claimed:
            label = _("Claimed answered; disputed")
        elif disputes and disputes[-1].date.last_day >= last_answer:
            label = _("Partly answered; the data handed over is disputed")
        elif history[-1][1] == "answered":
            who = history[-1][0].according_to
            label = _("Said to be answered, according to %(who)s", who=self.views.t(self.site.actors[who].short_name)) if who else _("Said to be answered")
        else:
            label = _("Partly answered")
        facts = []
        if answers:
            dates = ", ".join(date(e.date) for e in answers)
            facts.append(ngettext("Data handed over: %(dates)s (%(num)s recorded event).", "Data handed over: %(dates)s (%(num)s recorded events).", len(answers), dates=dates))
        if disputes:
            facts.append(
                ngettext(
                    "Disputed in %(num)s statement, most recently on %(date)s.", "Disputed in %(num)s statements, most recently on %(date)s.", len(disputes), date=date(disputes[-1].date)
                )
            )
        made = [e for e, effect in history if effect == "made"]
        if made:
            facts.append(
                ngettext("Made or repeated %(num)s time, most recently on %(date)s.", "Made or repeated %(num)s times, most recently on %(date)s.", len(made), date=date(made[-1].date))
            )
        return {"label": label, "facts": facts, "history": history}

    def region_page(self, region: Region) -> str:
        src_uri = f"regions/{region.id}.md"
        cite = self.cite()
        return self._render(
            "region.html",
            src_uri,
            cite,
            region=region,
            country=self.site.countries[region.country],
            series=self.views.series(region),
            charts=self.place_charts(region, "region", "fig"),
            demands=self.site.demands_for(region.id),
            events=self.site.events_for_region(region.id),
        )

    def country_page(self, country: Country) -> str:
        src_uri = f"countries/{country.id}.md"
        return self._render(
            "country.html",
            src_uri,
            self.cite(),
            place=country,
            series=self.views.series(country),
            charts=self.place_charts(country, "country", f"nat-{country.id}"),
        )

    def glossary_page(self) -> str:
        return self._render("glossary_page.html", "glossary.md", self.cite())

    def handovers_page(self) -> str:
        from portal.render.register import register

        return self._render("handovers_page.html", "handovers.md", self.cite(), register=register(self))

    def regions_index(self) -> str:
        return self._render("regions_index.html", "regions/index.md", self.cite(), table=self.regions_table("regions/index.md"))

    def impacts_page(self) -> str:
        return self._render("impacts_page.html", "impacts.md", self.cite(), tables=["impacts", "benefits"])

    def sources_page(self) -> str:
        return self._render("sources_page.html", "sources.md", self.cite(), uses=self.source_uses())

    # fragments (directives) -----------------------------------------------------------

    def fragment(self, name: str, args: dict[str, str], src_uri: str, index: int, cite: Citations | None = None) -> str:
        """One directive's HTML. With ``cite`` (the page's), its sources are numbered with the
        rest of the page and listed once at its foot; without, under the fragment."""
        cite = cite or self.cite(prefix=f"{name}-{index}-source")
        if name == "figures":
            country = self.site.countries[args.get("country", next(iter(self.site.countries)))]
            return self._render("figures.html", src_uri, cite, place=country, series=self.views.series(country), anchor=f"figures-{country.id}")
        if name == "chart":
            place, kind = (self.site.regions[args["region"]], "region") if "region" in args else (self.site.countries[args.get("country", next(iter(self.site.countries)))], "country")
            figure = self.site.figures[args["figure"]]
            chart = self.views.charts.chart(figure, place.series(figure.id), kind, place.id, f"chart-{index}")
            views_ = [self.views.observation(o) for o in place.series(figure.id)]
            return self._render("chart.html", src_uri, cite, chart=chart, figure=figure, views_=views_, place=place, kind=kind, heading_id=f"chart-{index}-cap")
        if name == "regions-table":
            return self._render("regions_table.html", src_uri, cite, table=self.regions_table(src_uri))
        if name == "impacts":
            return self._render("impacts.html", src_uri, cite, tables=args.get("table", "impacts,benefits").split(","))
        if name == "demands":
            return self._render("demands.html", src_uri, cite, demands=self.site.demands)
        if name == "events":
            limit = int(args.get("limit", "5"))
            return self._render("events_latest.html", src_uri, cite, events=list(reversed(self.site.events))[:limit], compact=args.get("style") == "compact")
        if name == "figure-definitions":
            return self._render("figure_definitions.html", src_uri, cite)
        if name == "schema":
            file = "common.schema.json" if args["name"] in COMMON_SCHEMA_PARTS else f"{args['name']}.schema.json"
            return self._render("schema_fields.html", src_uri, cite, name=args["name"], file=file, fields=self.schema_fields(args["name"]))
        if name == "map":
            focus = [r for r in args.get("regions", "").split(",") if r]
            return self._render("map.html", src_uri, cite, focus=focus, figure=args.get("figure") or self.maps.default_figure, near=False)
        raise KeyError(name)

    # editors' documentation, from the JSON Schemas that validate the data --------------------

    def schema_fields(self, name: str) -> list[dict[str, Any]]:
        found = schemas(self.schema_dir)
        resolve = found.resolve
        docs = found.docs
        current = f"{name}.schema.json"
        if name in COMMON_SCHEMA_PARTS:
            current = "common.schema.json"
            root = docs[current]["$defs"][name]
        else:
            root = docs[current]
        if root.get("type") == "array":
            root, _, _ = resolve(root["items"], current)
        entries = root.get("properties", {}).get({"glossary": "terms"}.get(name, name))
        if isinstance(entries, dict) and entries.get("type") == "array":  # checked: ..., then name: [entries]
            root, _, _ = resolve(entries["items"], current)
        # a mapping of entries by id (figures.yml), beside the file's own checked date
        if "additionalProperties" in root and isinstance(root["additionalProperties"], dict) and set(root.get("properties", {})) <= {"checked", "draft_translations"}:
            root = root["additionalProperties"]
        out = []
        for key, node in root.get("properties", {}).items():
            resolved, _, definition = resolve(node, current)
            kind = {"text": "text (or one per language)", "name": "name (or one per language)", "ids": "list of ids", "figures": "figures (lists of observations)",
                    "short_text": "short text (or one per language), at most 160 characters", "caveats": "list of: undated, names_no_source, secondary_report, own_estimate",
                    "checked": "date (YYYY-MM-DD)", "handover": "a handover block (see below)", "qualifier": "one of: about, more_than, at_least, at_most, fewer_than",
                    "whole_number": "whole number"}.get(definition or "")
            if not kind:
                if "enum" in resolved:
                    kind = "one of: " + ", ".join(map(str, resolved["enum"]))
                elif "anyOf" in resolved:
                    kind = resolved.get("x-message", "see description").removeprefix("expected ")
                else:
                    types = resolved.get("type", "")
                    types = types[0] if isinstance(types, list) else types
                    kind = {"string": "text", "number": "number", "boolean": "true or false", "array": "list", "object": "fields"}.get(types, definition or str(types))
                    if definition in ("date", "id", "plain_text"):
                        kind = {"date": "date (YYYY-MM-DD, YYYY-MM or YYYY)", "id": "id", "plain_text": "text"}[definition]
            out.append({"name": key, "required": key in root.get("required", []), "type": kind, "description": resolved.get("description", "")})
        return out

    # map layers ---------------------------------------------------------------------------

    def map_layers(self) -> dict[str, str]:
        """The static files the live maps fetch (portal/maps.py): every region's shape, each
        figure's values, and each district's neighbourhood."""
        return self.maps.files()

    def map_layer_paths(self) -> list[str]:
        """Where :meth:`map_layers` puts its files, without making them."""
        return self.maps.paths()

    # shared computations --------------------------------------------------------------

    TABLE_FIGURES = ("estimated_mines", "percent_cleared", "mines_on_handed_over_maps")

    def regions_table(self, src_uri: str) -> dict[str, Any]:
        """Rows of the regions table: the latest value of each column's figure, and honest totals."""
        figures = [self.site.figures[f] for f in self.TABLE_FIGURES if f in self.site.figures]
        rows = []
        for region in self.site.regions.values():
            cells = []
            for figure in figures:
                observations = region.series(figure.id)
                latest = [self.views.observation(o) for o in self.site.latest(observations)] if observations else []
                shared = self._shared_handover(region, src_uri) if not latest and figure.id == "mines_on_handed_over_maps" else ""
                cells.append({"latest": latest, "others": len(observations) - len(latest), "shared": shared})
            rows.append({"region": region, "cells": cells, "updated": self.views.last_updated(region)})
        totals = [self._total(figure, [row["cells"][i]["latest"] for row in rows]) for i, figure in enumerate(figures)]
        for i, figure in enumerate(figures):
            if any(row["cells"][i]["shared"] for row in rows):  # a sum would leave out maps handed over for several districts at once
                totals[i] = {"value": None, "why": self._("No total: some districts' maps were handed over together, with no count per district; the register of handovers gives what each side says.")}
        return {"figures": figures, "rows": rows, "totals": totals}

    def _shared_handover(self, region: Region, src_uri: str) -> Markup:
        """For a district without its own count of mines on the maps handed over: what is true
        when its maps were handed over together with other districts' (the handover register)."""
        out = []
        for event in self.site.events_for_region(region.id):
            handover = getattr(event, "handover", None)
            regions = handover.regions if handover is not None else (event.regions if event.kind == "handover" else ())
            if region.id not in regions:
                continue
            others = [self.views.t(self.site.regions[r].name) for r in regions if r != region.id and r in self.site.regions]
            dates = sorted({d.date for d in handover.dates}, key=lambda d: d.first_day) if handover is not None else [event.date]
            when = self._(" or ").join(self.views.date(d) for d in dates)
            text = self._("maps handed over together with %(names)s (%(date)s); no separate count", names=", ".join(others), date=when) if others else self._("maps handed over (%(date)s); no count given", date=when)
            link = relative_url(src_uri, f"handovers/#handover-{event.id}" if handover is not None else f"timeline/#{event.id}")
            out.append(Markup('<a href="{}">{}</a>').format(link, text))
        return Markup("<br>").join(out)

    def _total(self, figure: Figure, latest_per_region: list[list[ObservationView]]) -> dict[str, Any]:
        """A total is shown only when it is honest: a count, one value per region, all from one
        source, in one unit. Otherwise the table says why there is none."""
        _, ngettext = self._, self.views.language.ngettext
        with_value = [views for views in latest_per_region if views]
        missing = len(latest_per_region) - len(with_value)
        if figure.kind != "count":
            return {"value": None, "why": _("Percentages cannot be added up.")}
        if not with_value:
            return {"value": None, "why": _("No region has this figure.")}
        if any(len(views) > 1 for views in with_value):
            return {"value": None, "why": _("Some regions have several latest values from different sources.")}
        sources = {views[0].obs.source for views in with_value}
        units = {views[0].obs.unit for views in with_value}
        if len(sources) > 1 or len(units) > 1:
            return {"value": None, "why": _("No total: the values come from different sources and dates.")}
        total = sum(views[0].obs.value for views in with_value)
        approximate = any(views[0].obs.qualifier for views in with_value)
        source = self.site.sources[sources.pop()]
        why = ngettext(
            "Sum of the values for %(num)s region, all from %(publisher)s",
            "Sum of the values for %(num)s regions, all from %(publisher)s",
            len(with_value),
            publisher=self.views.language.publisher(source),
        )
        if missing:
            why += "; " + ngettext("%(num)s region has no value and is not counted", "%(num)s regions have no value and are not counted", missing)
        why += "."
        return {
            "value": format_amount(total, units.pop(), "about" if approximate else None, self.views.language),
            "why": why,
            "source": source.id,
        }

    def source_uses(self) -> dict[str, list[tuple[str, str]]]:
        """For each source, where the portal uses it: (label, site-root URL)."""
        # dicts keep the order of first use and make the "already listed?" test constant-time
        found: dict[str, dict[tuple[str, str], None]] = {sid: {} for sid in self.site.sources}

        def add(sid: str, label: str, url: str) -> None:
            found[sid][(label, url)] = None

        for country in self.site.countries.values():
            for s in country.figures:
                for o in s.observations:
                    add(o.source, f"{self.views.t(country.name)}: {self.views.t(self.site.figures[s.figure].label)}", f"#figures-{country.id}")
            for sid in country.summary_sources:
                add(sid, self._("%(place)s: summary", place=self.views.t(country.name)), f"#figures-{country.id}")
        for region in self.site.regions.values():
            url = f"regions/{region.id}/"
            name = self.views.t(region.name)
            for sid in region.summary_sources:
                add(sid, self._("%(place)s: summary", place=name), url)
            for feature in self.site.features_of(region.id):
                add(feature.source, self._("%(place)s: %(layer)s (map)", place=name, layer=self._(KIND_LABELS[feature.kind])), url)
            for s in region.figures:
                for o in s.observations:
                    add(o.source, f"{name}: {self.views.t(self.site.figures[s.figure].label)}", url)
        for row in self.site.impacts + self.site.benefits:
            for sid in row.sources:
                add(sid, (self._("Impact: %(title)s") if row.table == "impacts" else self._("Benefit: %(title)s")) % {"title": self.views.t(row.title)}, "impacts/")
        for event in self.site.events:
            cited = set(event.sources) | {o.source for s in event.figures for o in s.observations}
            cited |= {sid for claim in event.date_claims for sid in claim.sources}
            cited |= set(event.handover.sources) if event.handover else set()
            for sid in sorted(cited):
                add(sid, self._("Timeline: %(date)s, %(title)s", date=self.views.date(event.date), title=self.views.t(event.title)), f"timeline/#{event.id}")
        for demand in self.site.demands:
            for sid in set(demand.sources) | {s for c in demand.made_by for s in c.sources}:
                add(sid, self._("Demand: %(title)s", title=self.views.t(demand.title)), f"demands/#demand-{demand.id}")
        return {sid: list(entries) for sid, entries in found.items()}


# Where a template wants the "not yet translated" note (filled in once the page is rendered).
UNTRANSLATED_MARK = "<!--portal-untranslated-->"
SCHEMA_NAMES = ("sources", "actors", "figures", "country", "region", "observation", "handover", "event", "impacts", "demands", "glossary")
COMMON_SCHEMA_PARTS = ("observation", "handover")  # definitions of common.schema.json with their own table

DIRECTIVES: dict[str, set[str]] = {
    "schema": {"name"},
    "events": {"limit", "style"},
    "map": {"regions", "figure"},
    "figures": {"country"},
    "regions-table": set(),
    "impacts": {"table"},
    "demands": set(),
    "chart": {"country", "region", "figure"},
    "figure-definitions": set(),
}

_DIRECTIVE_START = re.compile(r"<!--\s*portal:")
# One line, closed on that line: an unclosed comment would hide the rest of the page.
_DIRECTIVE = re.compile(r"<!--[ \t]*portal:(?P<name>[A-Za-z0-9_-]*)(?P<args>[^\n>]*?)-->")
_ARGUMENT_VALUE = re.compile(r"[A-Za-z0-9_,.-]+")


@dataclass(frozen=True)
class Directive:
    name: str
    args: dict[str, str]
    line: int
    start: int
    end: int


def find_directives(markdown: str, page: str, site: Site | None, in_code: Callable[[int, str], bool] | None = None) -> tuple[list[Directive], list[str]]:
    """Every ``<!-- portal:NAME key=value -->`` in a page, and the errors in them (``page:line: ...``).

    A directive shown in code (a code block, or `code` in a sentence) is documentation: it is
    left as it is. Anything else that starts like a directive must be one, on one line."""
    from portal.check.pagecheck import code_map

    found, errors = [], []
    for start in _DIRECTIVE_START.finditer(markdown):
        in_code = in_code or code_map(markdown)
        line = markdown.count("\n", 0, start.start()) + 1
        end_of_line = markdown.find("\n", start.start())
        text = markdown[start.start() : len(markdown) if end_of_line < 0 else end_of_line]
        if in_code(line, text):
            continue
        match = _DIRECTIVE.match(markdown, start.start())
        if match is None:
            name = re.match(r"[A-Za-z0-9_-]*", markdown[start.end() :]).group()
            errors.append(f"{page}:{line}: portal:{name}: the directive's comment is not closed; end it with --> on the same line")
            continue
        name = match.group("name")
        where = f"{page}:{line}: portal:{name}"
        if name not in DIRECTIVES:
            errors.append(f"{where}: unknown directive; expected one of: {', '.join(sorted(DIRECTIVES))}")
            continue
        args: dict[str, str] = {}
        for token in match.group("args").split():
            key, eq, value = token.partition("=")
            if not eq or not value:
                errors.append(f"{where}: argument '{token}' must be written key=value")
            elif key not in DIRECTIVES[name]:
                allowed = ", ".join(sorted(DIRECTIVES[name])) or "none"
                errors.append(f"{where}: unknown argument '{key}'; allowed: {allowed}")
            elif key in args:
                errors.append(f"{where}: argument '{key}' is given twice; give it once")
            elif key == "limit" and not (re.fullmatch(r"[0-9]+", value) and 0 < int(value) <= 100):
                errors.append(f"{where}: limit must be a whole number from 1 to 100; got '{value}'")
                args[key] = ""
            elif not _ARGUMENT_VALUE.fullmatch(value):
                errors.append(f"{where}: the value of '{key}' may contain only letters a-z, digits 0-9, '-', '_', '.' and ','; got '{value}'")
                args[key] = ""
            else:
                args[key] = value
        if name == "schema" and args.get("name") not in SCHEMA_NAMES and args.get("name") != "":
            errors.append(f"{where}: name must be one of: {', '.join(SCHEMA_NAMES)}")
        if "table" in args and args["table"] and not set(args["table"].split(",")) <= {"impacts", "benefits"}:
            errors.append(f"{where}: table must be impacts, benefits or impacts,benefits; got '{args['table']}'")
        if site is not None:
            if args.get("country") and args["country"] not in site.countries:
                errors.append(f"{where}: unknown country '{args['country']}'; known: {', '.join(site.countries)}")
            for region in args.get("regions", "").split(",") if name == "map" else ():
                if region and region not in site.regions:
                    errors.append(f"{where}: unknown region '{region}' in regions=")
            if name == "map" and args.get("figure") and args["figure"] not in site.figures:
                errors.append(f"{where}: unknown figure '{args['figure']}'; see data/figures.yml")
            elif name == "map" and "figure" in args and not any(r.series(args["figure"]) for r in site.regions.values()):
                errors.append(f"{where}: no region reports '{args['figure']}' yet, so its map would be empty")
            if name == "chart":
                if "figure" not in args or args["figure"] not in site.figures:
                    errors.append(f"{where}: figure= must name a figure of data/figures.yml")
                elif "region" in args and args["region"] not in site.regions:
                    errors.append(f"{where}: unknown region '{args['region']}'")
                else:
                    from portal.render.figurecharts import chartable

                    place = site.regions.get(args.get("region", "")) or site.countries.get(args.get("country", next(iter(site.countries), "")))
                    if place is not None and not chartable(site, site.figures[args["figure"]], place.series(args["figure"])):
                        errors.append(f"{where}: '{args['figure']}' has fewer than two dated values there, so there is nothing to chart")
        if "style" in args and args["style"] and args["style"] not in ("full", "compact"):
            errors.append(f"{where}: style must be full or compact; got '{args['style']}'")
        found.append(Directive(name, args, line, match.start(), match.end()))
    return found, errors


_STASHED = re.compile(r"<!--portal-stash-(\d+)-->")


def stash(html: str, store: list[bytes]) -> str:
    """A placeholder for a block of finished HTML, put back by :func:`unstash` after Markdown.

    Python-Markdown parses raw HTML blocks with a slow, pure-Python HTML parser; the generated
    pages are almost all HTML that needs no Markdown, so it never sees it. Data text cannot
    forge a placeholder: it is escaped, so it holds no "<"."""
    store.append(zlib.compress(html.encode("utf-8"), 1))  # kept until the page is built: small
    return f"\n\n<!--portal-stash-{len(store) - 1}-->\n\n"


def unstash(html: str, store: list[bytes]) -> str:
    return _STASHED.sub(lambda m: zlib.decompress(store[int(m.group(1))]).decode("utf-8"), html)


def stash_page(markdown: str, store: list[str], each_block: Callable[[str], str] | None = None) -> str:
    """A generated page's HTML blocks, stashed (each passed through ``each_block`` first, if
    given); its Markdown headings (lines starting with #) stay."""
    out: list[str] = []
    block: list[str] = []

    def flush() -> None:
        text = "\n".join(block).strip()
        if text:
            out.append(stash(each_block(text) if each_block else text, store).strip() if text.startswith("<") else text)
        block.clear()

    for line in markdown.splitlines():
        if line.startswith("#"):
            flush()
            out.append(line)
        else:
            block.append(line)
    flush()
    return "\n\n".join(out) + "\n"


def expand_directives(markdown: str, page: str, src_uri: str, renderer: Renderer, store: list[str] | None = None) -> str:
    """Replace each directive of the page ``src_uri`` (shown to editors as ``page``) with its fragment;
    with a ``store``, the fragments are stashed (see :func:`stash`)."""
    directives, errors = find_directives(markdown, page, renderer.site)
    if errors:
        raise ValueError("\n".join(errors))
    out, last = [], 0
    cite = renderer.cite()
    cite.deferred = True
    for index, d in enumerate(directives, start=1):
        out.append(markdown[last : d.start])
        fragment = renderer.fragment(d.name, d.args, src_uri, index, cite).strip()
        out.append(stash(fragment, store) if store is not None else "\n\n" + fragment + "\n\n")
        last = d.end
    out.append(markdown[last:])
    if cite.order:  # one numbered list of sources, at the foot of the page
        fragment = renderer.sources_fragment(cite, src_uri).strip()
        out.append(stash(fragment, store) if store is not None else "\n\n" + fragment + "\n\n")
    return "".join(out)


def _line_of_message(message: str) -> int:
    match = re.match(r"[^:]*:([0-9]+):", message)
    return int(match.group(1)) if match else 0


def scan_pages(docs_dir: Path, site: Site | None) -> list[str]:
    """Every problem of the Markdown pages of ``docs_dir`` and of the files they may include
    (:mod:`portal.check.pagecheck`), and their directives' errors, with file:line (checked before
    anything is built). A file that cannot be read is reported, and its directives are not."""
    from portal.check.pagecheck import check_page, other_files, snippet_pages

    docs_dir = Path(docs_dir)
    errors: list[str] = other_files(docs_dir)
    pages = [(path, path.relative_to(docs_dir.parent).as_posix()) for path in sorted(docs_dir.rglob("*.md"))]
    for path, rel in pages + snippet_pages(docs_dir.parent):
        checked = check_page(path, rel, docs_dir.parent)
        found = checked.errors
        if checked.text is not None and (path, rel) in pages:
            found += find_directives(checked.text, rel, site, checked.in_code)[1]
        errors += sorted(found, key=_line_of_message)
    return errors

