"""What the templates show of the model, in one edition's language: an observation's value,
date, age and claimant (:class:`ObservationView`, built once per observation and edition), data
texts with their English fallback marked, and the numbered citations of a page."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from markupsafe import Markup, escape

from portal.i18n.i18n import Language
from portal.model import derived
from portal.model.model import Country, Figure, Observation, PartialDate, Region, Site, Text
from portal.render import freshness
from portal.render.formatting import ENGLISH, demand_state, format_date, format_value, inline_markdown
from portal.render.glossary import Marker


@dataclass
class Citations:
    """Numbers the sources cited on one page (or one fragment) in order of first use."""

    site: Site
    prefix: str = "source"
    order: list[str] = field(default_factory=list)
    language: Language = ENGLISH
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
        # id(observation) -> its view: a region's latest value is shown on its page, in the
        # regions table and on the maps, and is built once (the view keeps the observation alive)
        self._observations: dict[int, ObservationView] = {}

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
        """What the pages show of one observation (built once per observation and edition)."""
        view = self._observations.get(id(obs))
        if view is None:
            view = self._observations[id(obs)] = self._observation(obs)
        return view

    def _observation(self, obs: Observation) -> ObservationView:
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
                latest = [self.observation(o) for o in derived.latest(self.site, place, figure.id)]
                out.append((figure, latest, [self.observation(o) for o in observations]))
        return out

    def newest(self, place: Region | Country) -> PartialDate | None:
        """The date of the newest figure of a place (not when it was checked: see ``checked``)."""
        return derived.newest_date(self.site, place)

    def last_updated(self, place: Region | Country) -> str:
        every = derived.observations_of(place)
        return self.date(self.site.last_updated(every)) if every else self._("no figures yet")

    def demand_status(self, demand_id: str) -> dict[str, Any]:
        """A demand's status in words (:func:`portal.model.derived.demand_status`): its label, the
        facts it rests on, and its history of (event, effect)."""
        status = derived.demand_status(self.site, demand_id)
        ngettext, date = self.language.ngettext, self.date
        facts = []
        if status.answers:
            dates = ", ".join(date(e.date) for e in status.answers)
            facts.append(ngettext("Data handed over: %(dates)s (%(num)s recorded event).", "Data handed over: %(dates)s (%(num)s recorded events).", len(status.answers), dates=dates))
        if status.disputes:
            facts.append(
                ngettext(
                    "Disputed in %(num)s statement, most recently on %(date)s.", "Disputed in %(num)s statements, most recently on %(date)s.", len(status.disputes), date=date(status.last_dispute.date)
                )
            )
        if status.made:
            facts.append(
                ngettext("Made or repeated %(num)s time, most recently on %(date)s.", "Made or repeated %(num)s times, most recently on %(date)s.", len(status.made), date=date(status.last_made.date))
            )
        return {"label": demand_state(self.site, status, self.language), "facts": facts, "history": status.history}

