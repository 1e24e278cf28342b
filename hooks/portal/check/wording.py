"""Does an observation's ``reported_as`` (the source's own words) still agree with its ``value``?

An editor who corrects ``value: 300000`` to ``value: 305`` and leaves ``reported_as: Approx.
300,000`` has probably made a slip (a lost "000", or a figure of another source). The check is
a warning, never an error, and it is deliberately modest:

* only numbers written in digits count (``300,000``, ``300 000``, ``1.5 million``, ``40%``,
  ``300k``, ``1,5 млн``); words (``two percent``, ``four years``) are not read;
* the wording agrees when any number in it, read in any plausible way, equals the value:
  ``1.500`` may be 1.5 or 1,500, ``over 300 injured in 2024`` holds 300 as well as 2024;
  an area in km² matches a value in ha (x 100) and the other way round;
* the qualifier is not compared with the words: "does not go over 25 percent" says "over"
  and means ``at_most``. The number is the same whatever the qualifier.

Hand-written rather than a library: number-parsing libraries (Babel's ``parse_decimal``, say)
read one number of one locale; this must find every number in free text in three languages,
with either separator, and keep every reading. Nothing here knows MkDocs.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

_SEPARATOR = r"[,.\u00a0\u202f ']"
_NUMBER = re.compile(
    r"(?<![\w.,])(?P<number>\d{1,3}(?:" + _SEPARATOR + r"\d{3})+(?:[.,]\d+)?|\d+(?:[.,]\d+)?)"
    r"(?:\s?(?P<scale>billions?|bn|млрд\.?|milyard|millions?|mln|m|млн\.?|миллион\w*|milyon|thousands?|k|тыс\.?|тысяч\w*|min)\b)?",
    re.IGNORECASE,
)
_SCALES = (
    (re.compile(r"billions?|bn|млрд|milyard"), 1e9),
    (re.compile(r"millions?|mln|m|млн|миллион\w*|milyon"), 1e6),
    (re.compile(r"thousands?|k|тыс|тысяч\w*|min"), 1e3),
)
_KM2 = re.compile(r"km2|km²|km\^2|square kilomet|кв\.?\s?км", re.IGNORECASE)
_HA = re.compile(r"\bha\b|hectare|гектар|hektar", re.IGNORECASE)
_AMBIGUOUS = {"m", "k", "min"}
_GROUPED = re.compile(r"\d{1,3}(?:" + _SEPARATOR + r"\d{3})+")


def _scale(word: str | None) -> float:
    word = (word or "").lower().rstrip(".")
    return next((factor for pattern, factor in _SCALES if pattern.fullmatch(word)), 1.0)


def _readings(number: str) -> set[float]:
    """Every value ``number`` may stand for: ``1,500`` is 1500, or 1.5 with a decimal comma;
    ``1,198.7`` and ``1.198,7`` are 1198.7."""
    out: set[float] = set()
    if number.isdigit():
        out.add(float(number))
    if _GROUPED.fullmatch(number):
        out.add(float(re.sub(r"\D", "", number)))
    if re.fullmatch(r"\d+[.,]\d+", number) and not re.search(r"[.,]0+$", number):  # "300,000" is not 300.000
        out.add(float(number.replace(",", ".")))
    whole, _, fraction = number.rpartition(number[-1 - len(re.split(r"[.,]", number)[-1])]) if re.search(r"[.,]\d+$", number) else ("", "", "")
    if whole and _GROUPED.fullmatch(whole):
        out.add(float(re.sub(r"\D", "", whole) + "." + fraction))
    return out


def numbers_in(text: str, unit: str | None = None) -> list[tuple[str, set[float]]]:
    """Each number written in digits in ``text``: (as written, every value it may stand for),
    converted to ``unit`` where the text names the other area unit."""
    factor = 1.0
    if unit == "ha" and _KM2.search(text):
        factor = 100.0
    elif unit == "km2" and _HA.search(text) and not _KM2.search(text):
        factor = 0.01
    found = []
    for match in _NUMBER.finditer(text):
        scale = _scale(match.group("scale"))
        readings = _readings(match.group("number"))
        values = {v * scale for v in readings}
        if (match.group("scale") or "").lower() in _AMBIGUOUS:  # "5 m" may be metres, "40 min" minutes
            values |= readings
        if factor != 1.0:
            values |= {v * factor for v in values}
        found.append((match.group(0).strip(), values))
    return found


def _same(a: float, b: float) -> bool:
    return abs(a - b) <= 1e-9 * max(1.0, abs(a), abs(b))


def contradiction(value: float, reported_as: str, unit: str | None = None) -> list[str] | None:
    """The numbers of ``reported_as`` when none of them can be ``value``; None when they agree
    or when it has no number in digits."""
    found = numbers_in(reported_as, unit)
    if not found or any(_same(value, v) for _, values in found for v in values):
        return None
    return [written for written, _ in found]


def texts_of(reported_as) -> Iterable[str]:
    """``reported_as`` is plain text, or (should a schema allow it) one text per language."""
    if isinstance(reported_as, str):
        yield reported_as
    elif isinstance(reported_as, dict):
        yield from (v for v in reported_as.values() if isinstance(v, str))
