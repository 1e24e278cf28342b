"""Facts derived from the model, with no labels: which values of a figure are a place's latest,
how new a place's figures are, which events are the newest, and where a demand stands.

They are facts of the data, the same in every edition and in every output: the pages translate
them into words (:mod:`portal.render`), the downloads (:mod:`portal.publish`) and ``python -m
portal diff`` publish them as they are. Nothing here knows a language, Jinja or MkDocs.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # pragma: no cover
    from portal.model.model import Country, Event, Observation, PartialDate, Region, Site

# -- latest values ---------------------------------------------------------------------------


def latest(site: Site, place: Region | Country, figure_id: str) -> tuple[Observation, ...]:
    """The latest values of one figure for one place (several when they share the latest date;
    see :meth:`Site.latest`), or () when the place has no value of the figure."""
    observations = place.series(figure_id)
    return site.latest(observations) if observations else ()


def observations_of(place: Region | Country) -> list[Observation]:
    """Every value of every figure of a place, in the order of its data file."""
    return [o for s in place.figures for o in s.observations]


def newest_date(site: Site, place: Region | Country) -> PartialDate | None:
    """The date of the newest value of a place (not when it was checked against its sources:
    that is its ``checked`` date), or None when none of its values has a date."""
    return site.last_updated(observations_of(place))


def newest_events(site: Site, limit: int | None = None) -> list[Event]:
    """The events, newest first (by date, then id: the reverse of the model's order), at most
    ``limit`` of them."""
    events = list(reversed(site.events))
    return events if limit is None else events[:limit]


# -- demands -----------------------------------------------------------------------------------

ANSWERING = ("answered", "claimed_answered", "partly_answered")
# The states of a demand, in the words of the events' effects (data/schemas/event.schema.json).
OPEN, CLAIMED_ANSWERED, DISPUTED, ANSWERED, PARTLY_ANSWERED = "open", "claimed_answered", "disputed", "answered", "partly_answered"


@dataclass(frozen=True)
class DemandStatus:
    """Where a demand stands, derived from the dated events that concern it (never typed by
    hand). ``state`` is one of :data:`OPEN`, :data:`CLAIMED_ANSWERED`, :data:`DISPUTED` (partly
    answered, and the data handed over disputed since), :data:`ANSWERED` (said to be, by
    ``answered_by`` where the event says who) and :data:`PARTLY_ANSWERED`."""

    state: str
    history: tuple[tuple[Event, str], ...]  # (event, effect), in date order
    answers: tuple[Event, ...]  # events that handed data over
    disputes: tuple[Event, ...]
    made: tuple[Event, ...]  # events that made or repeated the demand
    answered_by: str | None = None  # an actor id, for ANSWERED

    @property
    def last_dispute(self) -> Event | None:
        return self.disputes[-1] if self.disputes else None

    @property
    def last_made(self) -> Event | None:
        return self.made[-1] if self.made else None


def _with(history: Iterable[tuple[Event, str]], effects: tuple[str, ...]) -> tuple[Event, ...]:
    return tuple(event for event, effect in history if effect in effects)


def demand_status(site: Site, demand_id: str) -> DemandStatus:
    history = tuple(site.events_for_demand(demand_id))
    answers = _with(history, ANSWERING)
    disputes = _with(history, ("disputed",))
    answered_by = None
    if not answers:
        state = OPEN
    elif _with(history, ("claimed_answered",)):
        state = CLAIMED_ANSWERED
    elif disputes and disputes[-1].date.last_day >= answers[-1].date.last_day:
        state = DISPUTED
    elif history[-1][1] == "answered":
        state, answered_by = ANSWERED, history[-1][0].according_to
    else:
        state = PARTLY_ANSWERED
    return DemandStatus(state, history, answers, disputes, _with(history, ("made",)), answered_by)
