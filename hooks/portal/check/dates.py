"""A date typed the way people write dates, read back as the ISO form the data wants.

``19/10/2021`` -> "write 2021-10-19"; ``12/06/2021`` -> "12 June or 6 December? write
2021-06-12 or 2021-12-06"; ``June 2021`` -> "write 2021-06". :func:`advice` gives the end of a
message that has already said what a date must look like; it never guesses silently between
two readings. Hand-written: date parsers (dateutil, Babel) choose one reading of an ambiguous
date, which is exactly what an editor must be asked about. Nothing here knows MkDocs.
"""

from __future__ import annotations

import datetime as dt
import re

_MONTHS = {
    name: number
    for number, names in enumerate(
        [
            ("january", "jan", "yanvar", "январь", "января"),
            ("february", "feb", "fevral", "февраль", "февраля"),
            ("march", "mar", "mart", "март", "марта"),
            ("april", "apr", "aprel", "апрель", "апреля"),
            ("may", "may", "май", "мая"),
            ("june", "jun", "iyun", "июнь", "июня"),
            ("july", "jul", "iyul", "июль", "июля"),
            ("august", "aug", "avqust", "август", "августа"),
            ("september", "sep", "sept", "sentyabr", "сентябрь", "сентября"),
            ("october", "oct", "oktyabr", "октябрь", "октября"),
            ("november", "nov", "noyabr", "ноябрь", "ноября"),
            ("december", "dec", "dekabr", "декабрь", "декабря"),
        ],
        start=1,
    )
    for name in names
}
_ENGLISH = ["January", "February", "March", "April", "May", "June", "July", "August", "September", "October", "November", "December"]


def _real(year: int, month: int, day: int) -> bool:
    try:
        dt.date(year, month, day)
    except ValueError:
        return False
    return True


def _iso(year: int, month: int, day: int | None = None) -> str:
    return f"{year:04d}-{month:02d}" + (f"-{day:02d}" if day else "")


def _day_month(year: int, first: int, second: int, typed: str) -> str:
    """``first/second/year``: day first (most of the world) or month first (the United States)."""
    day_first = _real(year, second, first)
    month_first = _real(year, first, second)
    if day_first and month_first and first != second:
        return (
            f"; '{typed}' could be {first} {_ENGLISH[second - 1]} or {second} {_ENGLISH[first - 1]} {year}: "
            f"write {_iso(year, second, first)} (day {first}) or {_iso(year, first, second)} (day {second}), as the source means it"
        )
    if day_first:
        return f"; for '{typed}' write {_iso(year, second, first)}"
    if month_first:
        return f"; for '{typed}' write {_iso(year, first, second)}"
    return f"; '{typed}' is not a date of any calendar (no month {max(first, second)})"


def advice(typed: object) -> str:
    """"; for '19/10/2021' write 2021-10-19" and the like, or "" when the text is no date at all."""
    if isinstance(typed, float):
        typed = repr(typed)
    if not isinstance(typed, str):
        return ""
    text = typed.strip()
    low = text.lower().rstrip(".")
    # 19/10/2021, 19.10.2021, 19-10-2021, 2/3/2021
    if m := re.fullmatch(r"(\d{1,2})\s*[/.\-]\s*(\d{1,2})\s*[/.\-]\s*(\d{4})(?:\s*(?:г|il)\.?)?", low):
        return _day_month(int(m.group(3)), int(m.group(1)), int(m.group(2)), text)
    # two-digit years
    if re.fullmatch(r"\d{1,2}\s*[/.\-]\s*\d{1,2}\s*[/.\-]\s*\d{2}", low):
        return f"; '{text}' has a two-digit year: write the year in full, as YYYY-MM-DD"
    # 2021/10/19, 2021.10.19, 2021-6-1, 2021-10-19T10:00
    if m := re.fullmatch(r"(\d{4})\s*[/.\-]\s*(\d{1,2})\s*[/.\-]\s*(\d{1,2})(?:[t ]\d{1,2}:\d{2}.*)?", low):
        year, month, day = (int(g) for g in m.groups())
        if _real(year, month, day):
            return f"; for '{text}' write {_iso(year, month, day)}"
        if _real(year, day, month):
            return f"; '{text}' has no month {month}: if {day} is the month and {month} the day, write {_iso(year, day, month)}"
        return f"; '{text}' is not a real date"
    # 10/2021, 10.2021, 2021/10, 2021.10 (a number in YAML: 2021.1)
    if m := re.fullmatch(r"(\d{1,2})\s*[/.\-]\s*(\d{4})", low):
        month, year = int(m.group(1)), int(m.group(2))
        return f"; for '{text}' write {_iso(year, month)}" if 1 <= month <= 12 else ""
    if m := re.fullmatch(r"(\d{4})\s*[/.]\s*(\d{1,2})", low):
        year, month = int(m.group(1)), int(m.group(2))
        if 1 <= month <= 12:
            return f"; for '{text}' write {_iso(year, month)}"
        return ""
    # 19 October 2021, 19 Oct. 2021, 19 октября 2021 г., October 19, 2021, October 2021
    words = re.sub(r"[,.]", " ", low).split()
    words = [w for w in words if w not in ("г", "il", "year", "the", "of")]
    months = [w for w in words if w in _MONTHS]
    numbers = [w for w in words if w.isdigit()]
    if len(months) == 1 and len(words) == len(numbers) + 1:
        month = _MONTHS[months[0]]
        years = [int(n) for n in numbers if len(n) == 4]
        days = [int(n) for n in numbers if len(n) <= 2]
        if len(years) == 1 and len(days) == 1 and _real(years[0], month, days[0]):
            return f"; for '{text}' write {_iso(years[0], month, days[0])}"
        if len(years) == 1 and not days:
            return f"; for '{text}' write {_iso(years[0], month)}"
    return ""


def swapped(text: str) -> str:
    """For a date of the right form that does not exist (``2021-19-10``): the reading with day
    and month the other way round, if that is a real date."""
    if m := re.fullmatch(r"(\d{4})-(\d{2})-(\d{2})", text):
        year, month, day = (int(g) for g in m.groups())
        if month > 12 and _real(year, day, month):
            return f"; there is no month {month}: day and month swapped? write {_iso(year, day, month)}"
    if m := re.fullmatch(r"(\d{4})-(\d{2})", text):
        if int(m.group(2)) > 12:
            return f"; there is no month {int(m.group(2))}"
    return ""
