"""data/figures.yml (what can be counted, in which units) and the observations of those figures
that regions, countries and events give, each with its source, date and the source's own words."""

from __future__ import annotations

import difflib
import re
from collections.abc import Iterator
from typing import Any

from portal.check import wording
from portal.load.yamlload import Loaded
from portal.model.builders.checks import Checker, text_or_none
from portal.model.model import Figure, FigureSeries, Observation, Text

_FIGURE_ID = re.compile(r"[a-z][a-z0-9_]*")
COUNT_UNITS = ("documents", "items", "maps", "mines", "people")
# "40%", "40 percent", "40,5 %" in the source's own words. Linear time: a number is read only from
# its first digit (the look-behind), so a long run of digits is not scanned again from each one.
_PERCENT = re.compile(r"(?<![\d.,])(\d+(?:[.,]\d+)?)\s?(?:%|per ?cent)", re.IGNORECASE)


def figures(check: Checker, loaded: Loaded) -> dict[str, Figure]:
    out = {}
    check.checked_date(loaded)
    for key, item in (loaded.data if isinstance(loaded.data, dict) else {}).items():
        if key in ("checked", "draft_translations"):
            continue  # about the file, not a figure
        if not _FIGURE_ID.fullmatch(key):
            check.add(loaded, (key,), "a figure id is lower-case letters, digits and underscores, such as estimated_mines")
        try:
            kind, units = item["kind"], tuple(item["units"])
            if kind == "percent" and units != ("percent",):
                check.add(loaded, (key, "units"), "a percent figure has the unit 'percent' only")
            if kind == "area" and not set(units) <= {"ha", "km2"}:
                check.add(loaded, (key, "units"), "an area figure has the units ha and/or km2")
            if kind == "count" and not set(units) <= set(COUNT_UNITS):
                wrong = ", ".join(u for u in units if u not in COUNT_UNITS)
                check.add(loaded, (key, "units"), f"a count figure has count units only ({', '.join(COUNT_UNITS)}); {wrong} is not one")
            out[key] = Figure(
                id=key,
                label=Text.of(item["label"]),
                kind=kind,
                units=units,
                description=Text.of(item["description"]),
                per_period=bool(item.get("per_period", False)),
                headline=bool(item.get("headline", False)),
                stale_after_months=int(item.get("stale_after_months", 12)),
            )
        except (KeyError, TypeError, AttributeError):
            continue
    return out


def observations(check: Checker, loaded: Loaded, figures_data: Any, sources, actors, figures) -> Iterator[FigureSeries]:
    """The ``figures:`` block of a region, country or event: one series per known figure."""
    if not isinstance(figures_data, dict):
        return
    for key, items in figures_data.items():
        if key not in figures and "figure" in check.unreadable:
            continue
        if key not in figures:
            close = difflib.get_close_matches(key, list(figures), n=1)
            hint = f" (did you mean '{close[0]}'?)" if close else "; add it to data/figures.yml first"
            check.add(loaded, ("figures", key), f"unknown figure '{key}'{hint}")
            continue
        figure = figures[key]
        series = []
        for i, obs in enumerate(items if isinstance(items, list) else []):
            made = _observation(check, loaded, ("figures", key, i), obs, figure, sources, actors)
            if made:
                series.append(made)
        if series:
            yield FigureSeries(key, tuple(series))


def _reported_as(check: Checker, loaded: Loaded, path: tuple, value, raw: str, reported_as: Any, unit: Any) -> None:
    """A warning when the source's words (reported_as) give numbers of which none is the value."""
    for text in wording.texts_of(reported_as):
        written = wording.contradiction(value, text, unit if isinstance(unit, str) else None)
        if written:
            line = loaded.line(path + ("reported_as",))
            gives = " or ".join(dict.fromkeys(written))
            check.add(
                loaded,
                path + ("value",),
                f"{raw} disagrees with reported_as '{text}' (line {line}), which gives {gives}; correct whichever is wrong "
                "(reported_as quotes the source, value is its number written out: 300000 for 'Approx. 300,000')",
                "warning",
            )
            return


def _dates(check: Checker, loaded: Loaded, path: tuple, obs: dict, figure: Figure, sources) -> tuple:
    """The observation's as_of and since, checked against each other and against its source."""
    as_of = check.date(loaded, path + ("as_of",), obs.get("as_of"))
    since = check.date(loaded, path + ("since",), obs.get("since"))
    if as_of and since and since.first_day > as_of.last_day:
        check.add(loaded, path + ("since",), f"the period starts ({since}) after its end, as_of ({as_of})")
    source = sources.get(obs.get("source")) if isinstance(obs.get("source"), str) else None
    if as_of and source is not None and source.published and as_of.first_day > source.published.last_day:
        check.add(
            loaded,
            path + ("as_of",),
            f"as_of ({as_of}) is after the publication of '{source.id}' ({source.published}): a source cannot report a later state; check both dates",
        )
    if figure.per_period and "since" not in obs:
        check.add(loaded, path + ("since",), f"'{figure.id}' counts a period: give its start date in 'since'")
    return as_of, since


def _value(check: Checker, loaded: Loaded, path: tuple, obs: dict, figure: Figure, unit: Any) -> None:
    """The value's range for its kind of figure, and against the source's words (reported_as)."""
    value = obs.get("value")
    if not isinstance(value, (int, float)) or isinstance(value, bool):
        return
    raw = loaded.raw.get(path + ("value",), str(value))
    if value < 0:
        check.add(loaded, path + ("value",), f"must be at least 0, got {raw}")
    elif figure.kind == "percent" and value > 100:
        check.add(loaded, path + ("value",), f"a percentage must be between 0 and 100, got {raw}")
    elif figure.kind == "count" and not isinstance(value, int):
        check.add(loaded, path + ("value",), f"a count must be a whole number, got {raw}")
    elif figure.kind == "percent" and 0 < value <= 1 and isinstance(obs.get("reported_as"), str):
        reported = [m.group() for m in _PERCENT.finditer(obs["reported_as"]) if float(m.group(1).replace(",", ".")) > value]
        if reported:
            check.add(
                loaded,
                path + ("value",),
                f"{raw} looks like a fraction of 1, but reported_as gives {reported[0]}: percentages are written out of 100, as the source gives them",
            )
        else:
            _reported_as(check, loaded, path, value, raw, obs.get("reported_as"), unit)
    else:
        _reported_as(check, loaded, path, value, raw, obs.get("reported_as"), unit)


def _observation(check: Checker, loaded, path, obs, figure: Figure, sources, actors) -> Observation | None:
    if not isinstance(obs, dict):
        return None
    check.refs(loaded, path + ("source",), obs.get("source"), sources, "source")
    if "according_to" in obs:
        check.refs(loaded, path + ("according_to",), obs.get("according_to"), actors, "actor")
    as_of, since = _dates(check, loaded, path, obs, figure, sources)
    unit = obs.get("unit", figure.units[0])
    if "unit" in obs and isinstance(unit, str) and unit not in figure.units:
        check.add(loaded, path + ("unit",), f"'{unit}' is not a unit of '{figure.id}'; expected one of: {', '.join(figure.units)}")
    _value(check, loaded, path, obs, figure, unit)
    try:
        return Observation(
            figure=figure.id,
            value=obs.get("value"),
            unit=unit,
            source=obs["source"],
            as_of=as_of,
            since=since,
            qualifier=obs.get("qualifier"),
            date_approximate=bool(obs.get("date_approximate", False)),
            according_to=obs.get("according_to"),
            reported_as=obs.get("reported_as"),
            note=text_or_none(obs.get("note")),
            file=loaded.file,
            line=loaded.line(path),
        )
    except (KeyError, TypeError, AttributeError):
        return None
