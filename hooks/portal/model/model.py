"""The portal's data model: plain frozen dataclasses, built only from validated data."""

from __future__ import annotations

import calendar
import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass, field
from functools import cached_property

LANGUAGES = ("en", "az", "ru")

@dataclass(frozen=True, slots=True)
class Text:
    """Text in one or more languages; English is always there."""

    values: tuple[tuple[str, str], ...]

    @classmethod
    def of(cls, value: str | Mapping[str, str]) -> Text:
        if isinstance(value, str):
            return cls((("en", value.strip()),))
        return cls(tuple((lang, value[lang].strip()) for lang in LANGUAGES if lang in value))

    def get(self, lang: str = "en") -> str:
        """The text in ``lang``, else in English (called for every text of every page: no dict)."""
        english = None
        for code, value in self.values:
            if code == lang and value:
                return value
            if code == "en":
                english = value
        if english is None:
            raise KeyError("en")
        return english

    def has(self, lang: str) -> bool:
        return any(code == lang for code, _ in self.values)

    def __str__(self) -> str:
        return self.get("en")


@dataclass(frozen=True, slots=True)
class PartialDate:
    """A date known to the day, the month or only the year."""

    year: int
    month: int | None = None
    day: int | None = None

    @classmethod
    def parse(cls, text: str) -> PartialDate:
        parts = [int(p) for p in text.split("-")]
        return cls(*parts)

    @property
    def precision(self) -> str:
        return "day" if self.day else "month" if self.month else "year"

    @property
    def iso(self) -> str:
        if self.day:
            return f"{self.year:04d}-{self.month:02d}-{self.day:02d}"
        if self.month:
            return f"{self.year:04d}-{self.month:02d}"
        return f"{self.year:04d}"

    @property
    def first_day(self) -> dt.date:
        return dt.date(self.year, self.month or 1, self.day or 1)

    @property
    def last_day(self) -> dt.date:
        """The last day the date can mean: used to order and to compare with today."""
        if self.day:
            return dt.date(self.year, self.month, self.day)
        month = self.month or 12
        return dt.date(self.year, month, calendar.monthrange(self.year, month)[1])

    def human(self) -> str:
        if self.day:
            return f"{self.day} {calendar.month_name[self.month]} {self.year}"
        if self.month:
            return f"{calendar.month_name[self.month]} {self.year}"
        return str(self.year)

    def __str__(self) -> str:
        return self.iso


@dataclass(frozen=True, slots=True)
class Source:
    id: str
    title: str
    publisher: str
    published: PartialDate | None
    url: str
    accessed: PartialDate
    language: str
    notes: Text | None = None
    # How solid the source is: any of undated, names_no_source, secondary_report, own_estimate
    # (CAVEATS), shown beside every figure that rests on it, with an optional short note.
    caveats: tuple[str, ...] = ()
    caveat_note: Text | None = None
    # Whom the publisher names as the origin of its report (data/sources.yml `citing`), in
    # order: the outlet it cites or reprints, then whom that one cites.
    citing: tuple[str, ...] = ()
    # The licence the publisher gives its data under (data/sources.yml `licence`): an id of
    # LICENCES, shown after the publisher in each edition's words.
    licence: str | None = None


CAVEATS = ("undated", "names_no_source", "secondary_report", "own_estimate")
# The licences a source may carry, as sources.schema.json enumerates them: SPDX ids where one
# exists; "public domain" has none. Their names in each edition: portal.i18n.i18n.LICENCES.
LICENCES = ("CC-BY-4.0", "public-domain")


@dataclass(frozen=True, slots=True)
class Actor:
    id: str
    name: Text
    short_name: Text
    kind: str
    country: str | None = None


@dataclass(frozen=True, slots=True)
class Figure:
    id: str
    label: Text
    kind: str  # count, percent, area
    units: tuple[str, ...]
    description: Text
    per_period: bool = False
    headline: bool = False
    stale_after_months: int = 12  # values older than this are marked as possibly out of date


@dataclass(frozen=True, slots=True)
class Observation:
    figure: str
    value: int | float
    unit: str
    source: str
    as_of: PartialDate | None
    since: PartialDate | None = None
    qualifier: str | None = None
    date_approximate: bool = False
    according_to: str | None = None
    reported_as: str | None = None
    note: Text | None = None
    file: str = ""
    line: int = 0


@dataclass(frozen=True, slots=True)
class GeoFeature:
    """A feature of a layer in data/geo/, after validation and repair (RFC 7946 winding, rounding)."""

    id: str | None
    region: str
    kind: str  # main_town, boundary, suspected_hazard_area, confirmed_hazard_area, released_land
    source: str
    geometry: Mapping
    name: str | None = None
    # Both plain English or translated ({en, az, ru}); a reference is often a record's id
    # ("GeoNames 148619"), the same in every language.
    reference: Text | None = None
    note: Text | None = None
    file: str = ""


@dataclass(frozen=True, slots=True)
class FigureSeries:
    """Every observation of one figure for one region or country, in the order given."""

    figure: str
    observations: tuple[Observation, ...]


@dataclass(frozen=True, slots=True)
class Region:
    id: str
    iso: str
    name: Text
    country: str
    summary: Text
    summary_sources: tuple[str, ...]
    figures: tuple[FigureSeries, ...]
    file: str
    checked: PartialDate | None = None  # when an editor last compared the file with its sources

    def series(self, figure: str) -> tuple[Observation, ...]:
        for s in self.figures:
            if s.figure == figure:
                return s.observations
        return ()


@dataclass(frozen=True, slots=True)
class Country:
    id: str
    iso: str
    name: Text
    summary: Text
    summary_sources: tuple[str, ...]
    figures: tuple[FigureSeries, ...]
    file: str
    bbox: tuple[float, float, float, float] | None = None
    checked: PartialDate | None = None

    series = Region.series


@dataclass(frozen=True, slots=True)
class ImpactRow:
    id: str
    table: str  # impacts or benefits
    title: Text
    description: Text
    sources: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class DemandClaim:
    actor: str
    since: PartialDate | None
    sources: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class Demand:
    id: str
    title: Text
    description: Text
    scope: tuple[str, ...] | None  # None means every region
    made_by: tuple[DemandClaim, ...]
    sources: tuple[str, ...]

    def concerns(self, region_id: str) -> bool:
        return self.scope is None or region_id in self.scope


@dataclass(frozen=True, slots=True)
class DateClaim:
    """Another date that another source gives for the same event."""

    date: PartialDate
    according_to: str
    sources: tuple[str, ...]
    note: Text | None = None


@dataclass(frozen=True, slots=True)
class DemandEffect:
    demand: str
    effect: str  # made, answered, claimed_answered, partly_answered, disputed, rejected, not_granted


@dataclass(frozen=True, slots=True)
class HandoverDate:
    """One date that one side gives for a handover; every date of a handover has equal standing."""

    date: PartialDate
    according_to: str
    sources: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class HandoverItem:
    """What was handed over, as one side (or the reporter, when according_to is None) describes it."""

    source: str
    description: Text
    according_to: str | None = None
    maps: int | None = None
    forms: int | None = None
    mines_shown: int | None = None
    qualifier: str | None = None  # applies to the numbers


@dataclass(frozen=True, slots=True)
class HandoverRelease:
    """What was released or given at the time of a handover."""

    source: str
    description: Text
    according_to: str | None = None
    people: int | None = None


@dataclass(frozen=True, slots=True)
class Mediation:
    actor: str
    source: str


@dataclass(frozen=True, slots=True)
class AccuracyClaim:
    """A later claim about how accurate the maps of a handover are."""

    date: PartialDate
    according_to: str
    source: str
    description: Text
    percent_accurate: int | float | None = None


@dataclass(frozen=True, slots=True)
class Handover:
    dates: tuple[HandoverDate, ...]
    regions: tuple[str, ...]
    handed_over: tuple[HandoverItem, ...]
    released: tuple[HandoverRelease, ...] = ()
    mediated_by: tuple[Mediation, ...] = ()
    accuracy_claims: tuple[AccuracyClaim, ...] = ()

    @property
    def earliest(self) -> PartialDate:
        return min((d.date for d in self.dates), key=lambda d: (d.first_day, d.last_day))

    @property
    def sources(self) -> tuple[str, ...]:
        """Every source the handover cites, in order of first mention."""
        ids = [s for d in self.dates for s in d.sources]
        ids += [x.source for part in (self.handed_over, self.released, self.mediated_by, self.accuracy_claims) for x in part]
        return tuple(dict.fromkeys(ids))

    @property
    def dates_by_date(self) -> tuple[tuple[PartialDate, tuple[HandoverDate, ...]], ...]:
        """The dates given, each once with everyone who gives it, in the order first written."""
        groups: dict[PartialDate, list[HandoverDate]] = {}
        for d in self.dates:
            groups.setdefault(d.date, []).append(d)
        return tuple((day, tuple(given)) for day, given in groups.items())

    @property
    def disputed_dates(self) -> bool:
        """True when the sides give different dates (then no date is the event's "real" one)."""
        return len({d.date for d in self.dates}) > 1


@dataclass(frozen=True, slots=True)
class Event:
    id: str
    date: PartialDate
    kind: str
    title: Text
    summary: Text
    sources: tuple[str, ...]
    actors: tuple[str, ...] = ()
    regions: tuple[str, ...] = ()
    demands: tuple[DemandEffect, ...] = ()
    figures: tuple[FigureSeries, ...] = ()
    date_approximate: bool = False
    date_claims: tuple[DateClaim, ...] = ()
    according_to: str | None = None
    file: str = ""
    checked: PartialDate | None = None
    handover: Handover | None = None


@dataclass(frozen=True, slots=True)
class GlossaryTerm:
    """A term or abbreviation of data/glossary.yml, with a sourced definition."""

    id: str
    term: Text  # as written in each edition: "ANAMA", "UXO", "technical survey"
    definition: Text
    sources: tuple[str, ...]
    expansion: Text | None = None  # what an abbreviation stands for
    forms: tuple[tuple[str, str], ...] = ()  # (language, other written form) also marked up


@dataclass(frozen=True)  # no slots: cached_property needs the instance dict
class Site:
    sources: Mapping[str, Source]
    actors: Mapping[str, Actor]
    figures: Mapping[str, Figure]
    countries: Mapping[str, Country]
    regions: Mapping[str, Region]  # ordered by English name
    impacts: tuple[ImpactRow, ...]
    benefits: tuple[ImpactRow, ...]
    demands: tuple[Demand, ...]
    geo: tuple[GeoFeature, ...] = ()
    events: tuple[Event, ...] = ()  # in date order
    warnings: tuple = field(default=())
    glossary: tuple[GlossaryTerm, ...] = ()
    # Every data file (path from the repository root, such as data/regions/agdam.yml) -> the day
    # an editor last compared it with its sources.
    checked: Mapping[str, PartialDate] = field(default_factory=dict)
    # Data file -> the languages whose texts in it are drafts not yet reviewed (draft_translations).
    draft_translations: Mapping[str, tuple[str, ...]] = field(default_factory=dict)

    def is_draft(self, file: str, lang: str) -> bool:
        """Whether the texts of ``file`` in ``lang`` are an unreviewed draft translation."""
        return lang in self.draft_translations.get(file, ())

    @cached_property
    def handovers(self) -> tuple[Event, ...]:
        """The events with a handover block, ordered by their earliest date (events are already)."""
        return tuple(e for e in self.events if e.handover is not None)

    # Indexes, built once: every page asks them, and scanning all events or features for each
    # of 10,000 regions would make the build quadratic.

    @cached_property
    def _events_by_region(self) -> dict[str, tuple[Event, ...]]:
        index: dict[str, list[Event]] = {}
        for event in self.events:
            for region in event.regions:
                index.setdefault(region, []).append(event)
        return {key: tuple(value) for key, value in index.items()}

    @cached_property
    def _events_by_demand(self) -> dict[str, tuple[tuple[Event, str], ...]]:
        index: dict[str, list[tuple[Event, str]]] = {}
        for event in self.events:
            for effect in event.demands:
                index.setdefault(effect.demand, []).append((event, effect.effect))
        return {key: tuple(value) for key, value in index.items()}

    @cached_property
    def _features_by_region(self) -> dict[str, tuple[GeoFeature, ...]]:
        index: dict[str, list[GeoFeature]] = {}
        for feature in self.geo:
            index.setdefault(feature.region, []).append(feature)
        return {key: tuple(value) for key, value in index.items()}

    def events_for_region(self, region_id: str) -> tuple[Event, ...]:
        return self._events_by_region.get(region_id, ())

    def events_for_demand(self, demand_id: str) -> tuple[tuple[Event, str], ...]:
        return self._events_by_demand.get(demand_id, ())

    def features_of(self, region_id: str, kind: str | None = None) -> tuple[GeoFeature, ...]:
        features = self._features_by_region.get(region_id, ())
        return features if kind is None else tuple(f for f in features if f.kind == kind)

    def main_town(self, region_id: str) -> GeoFeature | None:
        return next(iter(self.features_of(region_id, "main_town")), None)

    def observation_date(self, obs: Observation) -> PartialDate | None:
        """The date an observation refers to: its as-of date, else its source's publication date."""
        return obs.as_of or self.sources[obs.source].published

    def latest(self, observations: tuple[Observation, ...]) -> tuple[Observation, ...]:
        """The most recent observations (several when they share the latest date).

        Undated observations count only when nothing is dated."""
        dated = [(self.observation_date(o), o) for o in observations]
        known = [(d.last_day, o) for d, o in dated if d is not None]
        if not known:
            return tuple(observations)
        newest = max(day for day, _ in known)
        return tuple(o for day, o in known if day == newest)

    def last_updated(self, observations) -> PartialDate | None:
        dates = [d for d in (self.observation_date(o) for o in observations) if d is not None]
        return max(dates, key=lambda d: d.last_day) if dates else None

    def demands_for(self, region_id: str) -> tuple[Demand, ...]:
        return tuple(d for d in self.demands if d.concerns(region_id))
