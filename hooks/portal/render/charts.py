"""Charts of a figure over time: small static SVG, drawn at build time from plain series.

Why a hand-written template and not a chart library. The portal draws one kind of chart only
(values of one figure against their dates, one line per source or speaker), on up to one page
per district, and every page must stay light and work without JavaScript. The candidates:

- Vega-Lite rendered by ``vl-convert-python`` 1.9: 0.8 s to start and 44 ms per chart measured
  on this machine, 14 KB of SVG a chart. At 1,000 district pages with two charts each that is
  about 90 s: ten times the whole build (8.4 s), far beyond the 1.15x budget against plain Material.
- matplotlib: about 10 to 30 ms a chart with its SVG backend, 20 to 40 KB of SVG that draws
  every glyph as a path (text that is neither selectable nor translated by the browser), and a
  60 MB dependency; its import alone costs the build 0.3 s.
- pygal: pure Python and light, but its SVG needs its own JavaScript for tooltips, ships
  embedded CSS, and is about 2 ms a chart; its number and date formatting is not Babel's.

A chart here is a few dozen SVG elements, with real ``<text>`` in the edition's language and
number format (Babel, as everywhere else), ``role="img"`` with a ``<title>`` and ``<desc>``,
colours that pass WCAG 1.4.11 against white together with marker shapes and dash patterns, so
that colour is never the only cue. :func:`svg` costs about 0.1 ms a chart (measured by
``tests/render/test_charts.py``), so charts add well under a millisecond to a district page.

Nothing here knows pages or the model: :func:`svg` takes :class:`Series` of :class:`Point`, so
that it can be tested on hand-made series.
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from markupsafe import Markup, escape

# Okabe–Ito-like colours, darkened until each has at least 4.5:1 contrast with white (the
# lines and markers need 3:1, WCAG 1.4.11; their direct labels are text and need 4.5:1).
COLOURS = ("#0b5394", "#a14400", "#15703a", "#7a2e9e", "#3f4650", "#8a1c4a")
DASHES = ("", "6 3", "2 3", "8 3 2 3", "1 2", "10 4")
MARKERS = ("circle", "square", "triangle", "diamond", "cross", "down")

WIDTH = 360  # the viewBox: at 320 px wide the text is shown at 89 % of its size, still legible
PLOT_HEIGHT = 170
LEFT, RIGHT, TOP, BOTTOM = 46, 62, 12, 26
LEGEND_ROW = 16
FONT = 11


@dataclass(frozen=True, slots=True)
class Point:
    when: dt.date  # where the point sits on the time axis
    value: float
    label: str  # the value as the reader reads it: "about 1,500,000 mines"


@dataclass(frozen=True, slots=True)
class Series:
    name: str  # who gives these values: "ANAMA", "Caspian Post"
    points: tuple[Point, ...]


DOTTED = ' stroke-dasharray="2 2"'


def _dash(dash: str) -> str:
    return f' stroke-dasharray="{dash}"' if dash else ""


def _nice_step(span: float, ticks: int = 4) -> float:
    raw = span / ticks if span > 0 else 1
    magnitude = 10 ** math.floor(math.log10(raw))
    for factor in (1, 2, 2.5, 5, 10):
        if raw <= factor * magnitude:
            return factor * magnitude
    return 10 * magnitude  # pragma: no cover


def _marker(kind: str, x: float, y: float, colour: str) -> str:
    if kind == "circle":
        return f'<circle cx="{x:.1f}" cy="{y:.1f}" r="3.6" fill="{colour}"/>'
    if kind == "square":
        return f'<rect x="{x - 3.3:.1f}" y="{y - 3.3:.1f}" width="6.6" height="6.6" fill="{colour}"/>'
    if kind == "triangle":
        return f'<path d="M{x:.1f} {y - 4.2:.1f}l4.2 7.4h-8.4z" fill="{colour}"/>'
    if kind == "down":
        return f'<path d="M{x:.1f} {y + 4.2:.1f}l4.2-7.4h-8.4z" fill="{colour}"/>'
    if kind == "diamond":
        return f'<path d="M{x:.1f} {y - 4.6:.1f}l4.6 4.6-4.6 4.6-4.6-4.6z" fill="{colour}"/>'
    return f'<path d="M{x - 3.6:.1f} {y - 3.6:.1f}l7.2 7.2m0-7.2l-7.2 7.2" stroke="{colour}" stroke-width="2.2"/>'


def svg(
    series: Sequence[Series],
    *,
    chart_id: str,
    title: str,
    description: str,
    axis_label: str,
    short_number: Callable[[float], str],
    year_label: Callable[[int], str] = str,
    date_label: Callable[[dt.date], str] = lambda d: d.isoformat(),
    maximum: float | None = None,
) -> Markup:
    """An SVG line chart of ``series`` (each drawn with its own colour, dash pattern and marker),
    its y axis from 0, its x axis in years (or the first and last date when they fall within one
    year), the last value of each series labelled at its point, and a legend under the plot.

    ``short_number`` formats axis ticks and direct labels in the edition's format ("1.5m",
    "1,5 млн"); ``title`` and ``description`` become the SVG's accessible name and description.
    Every text is escaped."""
    drawn = [s for s in series if s.points]
    if not drawn:
        raise ValueError("a chart needs at least one point")
    plot = _Plot.of(drawn, maximum)
    height = TOP + PLOT_HEIGHT + BOTTOM + LEGEND_ROW * len(drawn) + 4
    out = [
        f'<svg class="portal-chart__svg" viewBox="0 0 {WIDTH} {height}" role="img" aria-labelledby="{chart_id}-t {chart_id}-d" '
        f'xmlns="http://www.w3.org/2000/svg" font-size="{FONT}" fill="currentColor">',
        f'<title id="{chart_id}-t">{_e(title)}</title><desc id="{chart_id}-d">{_e(description)}</desc>',
        _y_axis(plot, short_number),
        f'<text x="{LEFT}" y="{TOP - 2}" font-size="{FONT - 1}">{_e(axis_label)}</text>' if axis_label else "",
        _x_axis(plot, drawn, year_label, date_label),
    ]
    labels: list[float] = []  # where the direct labels went, so that none covers another
    for i, s in enumerate(drawn):
        out.extend(_series(plot, i, s, labels, short_number))
    out.append("</svg>")
    return Markup("".join(out))


def _e(text: str) -> str:
    return str(escape(text))


@dataclass(frozen=True, slots=True)
class _Plot:
    """The plot's scales: days (ordinals) across, values from 0 up to ``y1`` in steps of ``step``."""

    x0: float
    x1: float
    y1: float
    step: float
    days: tuple[int, ...]

    @classmethod
    def of(cls, drawn: Sequence[Series], maximum: float | None) -> _Plot:
        days = [p.when.toordinal() for s in drawn for p in s.points]
        values = [p.value for s in drawn for p in s.points]
        x0, x1 = min(days), max(days)
        pad = max(30, (x1 - x0) * 0.04)
        top = max(values) or 1
        step = _nice_step(top)
        y1 = math.ceil(top / step) * step
        if maximum is not None:
            y1 = min(y1, maximum) if top <= maximum else y1
        return cls(x0 - pad, x1 + pad, y1, step, tuple(days))

    def x(self, day: float) -> float:
        return LEFT + (day - self.x0) / (self.x1 - self.x0) * (WIDTH - LEFT - RIGHT)

    def y(self, value: float) -> float:
        return TOP + PLOT_HEIGHT - value / self.y1 * PLOT_HEIGHT


def _y_axis(plot: _Plot, short_number: Callable[[float], str]) -> str:
    """Grid lines and tick labels, from 0 (solid) up (dotted)."""
    grid = []
    tick = 0.0
    while tick <= plot.y1 + plot.step / 1000:
        ty = plot.y(tick)
        grid.append(f'<path d="M{LEFT} {ty:.1f}H{WIDTH - RIGHT}" stroke="#8a9099" stroke-width="0.5"{"" if tick == 0 else DOTTED}/>')
        grid.append(f'<text x="{LEFT - 4}" y="{ty + 3.5:.1f}" text-anchor="end">{_e(short_number(tick))}</text>')
        tick += plot.step
    return "".join(grid)


def _x_axis(plot: _Plot, drawn: Sequence[Series], year_label: Callable[[int], str], date_label: Callable[[dt.date], str]) -> str:
    """A tick at each 1 January inside the range (every few years when many), else the ends."""
    first, last = dt.date.fromordinal(int(plot.x0)), dt.date.fromordinal(int(plot.x1))
    years = [yr for yr in range(first.year + 1, last.year + 1)]
    base = TOP + PLOT_HEIGHT
    ticks = []
    if len(years) >= 2:
        every = max(1, math.ceil(len(years) / 6))
        for yr in years[::every]:
            tx = plot.x(dt.date(yr, 1, 1).toordinal())
            ticks.append(f'<path d="M{tx:.1f} {base}v4" stroke="currentColor"/><text x="{tx:.1f}" y="{base + 15}" text-anchor="middle">{_e(year_label(yr))}</text>')
        return "".join(ticks)
    lo, hi = dt.date.fromordinal(min(plot.days)), dt.date.fromordinal(max(plot.days))
    first_label, last_label = date_label(lo), date_label(hi)
    if plot.x(hi.toordinal()) - plot.x(lo.toordinal()) < (len(first_label) + len(last_label)) * 0.6 * FONT + 10:  # about 0.6 em a letter
        # too close for two labels: one, under the middle ("February 2023 – April 2023")
        text = first_label if first_label == last_label else f"{first_label} – {last_label}"
        ticks.append(f'<text x="{LEFT + (WIDTH - LEFT - RIGHT) / 2:.1f}" y="{base + 15}" text-anchor="middle">{_e(text)}</text>')
    else:
        ticks.append(f'<text x="{plot.x(lo.toordinal()):.1f}" y="{base + 15}" text-anchor="start">{_e(first_label)}</text>')
        ticks.append(f'<text x="{plot.x(hi.toordinal()):.1f}" y="{base + 15}" text-anchor="end">{_e(last_label)}</text>')
    return "".join(ticks)


def _series(plot: _Plot, i: int, s: Series, labels: list[float], short_number: Callable[[float], str]) -> list[str]:
    """One series: its line and markers, its last value written beside its point (moved down
    when it would overlap another), and its legend row (the same line, dash and marker, then who
    gives the values)."""
    colour, dash, marker = COLOURS[i % len(COLOURS)], DASHES[i % len(DASHES)], MARKERS[i % len(MARKERS)]
    points = sorted(s.points, key=lambda p: p.when)
    coords = [(plot.x(p.when.toordinal()), plot.y(p.value)) for p in points]
    out = []
    if len(coords) > 1:
        d = "M" + "L".join(f"{cx:.1f} {cy:.1f}" for cx, cy in coords)
        out.append(f'<path d="{d}" fill="none" stroke="{colour}" stroke-width="2"{_dash(dash)}/>')
    out.append("".join(_marker(marker, cx, cy, colour) for cx, cy in coords))
    lx, ly = coords[-1]
    ly += 4
    while any(abs(ly - other) < FONT for other in labels):
        ly += FONT
    labels.append(ly)
    out.append(f'<text x="{min(lx + 6, WIDTH - RIGHT + 4):.1f}" y="{ly:.1f}" fill="{colour}" font-weight="700">{_e(short_number(points[-1].value))}</text>')
    row = TOP + PLOT_HEIGHT + BOTTOM + LEGEND_ROW * i + 8
    out.append(
        f'<path d="M{LEFT} {row}h22" stroke="{colour}" stroke-width="2"{_dash(dash)}/>'
        + _marker(marker, LEFT + 11, row, colour)
        + f'<text x="{LEFT + 28}" y="{row + 4}">{_e(s.name)}</text>'
    )
    return out
