"""Checks that every data file gets because nothing the build reads is trusted.

The JSON Schemas say what a field holds; these say what no field may hold, whatever the
schema: a character that cannot be seen (Unicode category Cf: zero-width spaces, direction
marks, soft hyphens) or a word that mixes alphabets (a Cyrillic ``а`` among Latin letters looks
the same and breaks search and sorting), a number that is not finite or is ``-0``, a web address
with a user name or password, control characters (XML cannot hold them), and the ``TODO:`` placeholders of ``python -m portal new``.

Every check is one pass over its text (regular expressions without nested repetition, or a
loop over the characters), so a file of any size costs time in proportion to its size.
Why not a library: the confusable check of Unicode TS #39 (``confusable_homoglyphs`` and the
like) is about look-alike strings across the whole repertoire; the portal's texts are in three
alphabets, and a word mixing two of them is the mistake editors make (a Russian keyboard layout
left on), which ``unicodedata`` names exactly.
"""

from __future__ import annotations

import math
import re
import unicodedata
from collections.abc import Iterator
from functools import cache
from typing import Any
from urllib.parse import urlsplit

from portal.problems import Problem, format_path

# Unicode assigns format characters (Cf) in planes 0, 1 and 14 only (a test compares with a scan
# of every code point): scanning those takes 7 ms, all of them 55 ms.
FORMAT_PLANES = (range(0x20000), range(0xE0000, 0xF0000))


@cache
def _format() -> re.Pattern:
    """Every format character (Cf) of this Python's Unicode database, as one character class."""
    codes = [c for plane in FORMAT_PLANES for c in plane if unicodedata.category(chr(c)) == "Cf"]
    ranges: list[list[int]] = []
    for code in codes:  # as ranges of consecutive code points: a class of single characters is slow
        if ranges and ranges[-1][1] == code - 1:
            ranges[-1][1] = code
        else:
            ranges.append([code, code])
    return re.compile("[" + "".join(f"\\U{a:08x}-\\U{b:08x}" for a, b in ranges) + "]")

# Control characters (Cc) but the tab and line breaks: XML (the feeds) cannot hold most of them.
_CONTROL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")
# The alphabets of the region, and two letters of two of them side by side (inside one word).
_ALPHABETS = {
    "LATIN": "A-Za-z\u00aa\u00ba\u00c0-\u00d6\u00d8-\u00f6\u00f8-\u024f\u1e00-\u1eff",
    "CYRILLIC": "\u0400-\u052f",
    "GREEK": "\u0370-\u03ff\u1f00-\u1fff",
    "ARMENIAN": "\u0531-\u0587",
}
_SCRIPTS = tuple(_ALPHABETS)
_MIXED = re.compile("|".join(f"[{a}](?=[{''.join(b for y, b in _ALPHABETS.items() if y != x)}])" for x, a in _ALPHABETS.items()))
_PRESENT = {name: re.compile(f"[{chars}]") for name, chars in _ALPHABETS.items() if name != "LATIN"}
_ASCII_LETTER = re.compile("[A-Za-z]")
_LATIN_EXTRA = re.compile("[\u00aa\u00ba\u00c0-\u00d6\u00d8-\u00f6\u00f8-\u024f\u1e00-\u1eff]")
_LETTERS = re.compile(r"[^\W\d_]*")

STUB_MARK = "TODO:"
STUB_MESSAGE = (
    "a TODO placeholder from `python -m portal new` is still here; replace it with what the sources say "
    "(and delete the TODO comment): the file is not published until then"
)


def describe(char: str) -> str:
    """``U+0430 CYRILLIC SMALL LETTER A``."""
    name = unicodedata.name(char, "")
    return f"U+{ord(char):04X} {name}".rstrip()


def text_problem(text: str) -> str | None:
    """Why this text cannot be published as it is, naming the character; None when it can."""
    control = _CONTROL.search(text)
    if control:
        return _control(text, control.start())
    if text.isascii():  # no format character and no other alphabet is ASCII
        return None
    # A format character is never printable (str.isprintable: not Unicode's Other or Separator),
    # so a text that is printable but for its line breaks and tabs has none, and most texts skip
    # the search (and a build the 10 ms of scanning the Unicode database for _format).
    found = None if _printable(text) else _format().search(text)
    if found:
        return _invisible(text, found.start())
    # (most texts use one alphabet, which two or three quick searches show)
    others = sum(1 for present in _PRESENT.values() if present.search(text))
    if others == 0 or (others == 1 and not _ASCII_LETTER.search(text) and _LATIN_EXTRA.search(text) is None):
        return None
    mixed = _MIXED.search(text)
    if mixed is None:
        return None
    start = mixed.start()
    while start > 0 and (text[start - 1].isalpha()):
        start -= 1
    return _mixed(_LETTERS.match(text, start).group())


def _printable(text: str) -> bool:
    return text.isprintable() or text.replace("\n", " ").replace("\t", " ").replace("\r", " ").isprintable()


def _control(text: str, at: int) -> str:
    before = text[max(0, at - 20) : at].split("\n")[-1]
    where = f" after '{before}'" if before.strip() else " at the start" if at == 0 else ""
    return f"contains a control character, U+{ord(text[at]):04X}{where}; delete it (feeds and pages cannot carry it)"


def _invisible(text: str, at: int) -> str:
    before = text[max(0, at - 20) : at].split("\n")[-1]
    where = f" after '{before}'" if before.strip() else " at the start" if at == 0 else ""
    return f"contains an invisible character, {describe(text[at])}{where}; delete it (retype the text around it if unsure)"


def _script(char: str) -> str | None:
    name = unicodedata.name(char, "")
    first = name.split(" ", 1)[0]
    return first if first in _SCRIPTS else None


def _mixed(word: str) -> str | None:
    """The letter of a word that is in another alphabet than most of the word's letters."""
    counts: dict[str, int] = {}
    for char in word:
        script = _script(char)
        if script:
            counts[script] = counts.get(script, 0) + 1
    if len(counts) < 2:
        return None
    main = max(counts, key=lambda s: (counts[s], s == "LATIN"))
    odd = next(c for c in word if _script(c) not in (None, main))
    return (
        f"the word '{word}' mixes alphabets: {describe(odd)} among {main.title()} letters "
        "(they look alike); retype the word in one alphabet"
    )


def strings(value: Any, path: tuple = ()) -> Iterator[tuple[tuple, str]]:
    """Every text value of a parsed file with its path (iterative: nesting can be deep)."""
    stack = [(path, value)]
    while stack:
        path, value = stack.pop()
        if isinstance(value, str):
            yield path, value
        elif isinstance(value, dict):
            stack.extend((path + (key,), item) for key, item in value.items())
        elif isinstance(value, list):
            stack.extend((path + (index,), item) for index, item in enumerate(value))


def number_problem(raw: str, value: Any) -> str | None:
    """A number written so that it cannot be published as typed: too large (Infinity) or -0."""
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        return None
    if isinstance(value, float) and not math.isfinite(value):
        return f"the number {raw} is too large to publish (it would become Infinity); check the value"
    if value == 0 and raw.lstrip().startswith("-"):
        return f"{raw} is not a number to publish; write 0"
    return None


def credentials(url: str) -> str | None:
    """A web address with a user name or password in it: said, without repeating them."""
    try:
        parts = urlsplit(url)
    except ValueError:
        return None  # the schema's pattern says what is wrong
    if parts.scheme not in ("http", "https") or "@" not in parts.netloc:
        return None
    host = parts.netloc.rpartition("@")[2]
    cleaned = parts._replace(netloc=host).geturl()
    return f"the address contains a user name or password (before '@'); remove them: {cleaned}"


def file_problems(loaded, raw: bytes) -> list[Problem]:
    """The checks of this module for one parsed YAML file (``portal.load.yamlload.Loaded``)."""
    out: list[Problem] = []
    if STUB_MARK.encode() in raw:
        for number, line in enumerate(raw.decode("utf-8", "replace").splitlines(), start=1):
            if STUB_MARK in line:
                out.append(Problem(loaded.file, number, "", STUB_MESSAGE))
    if loaded.problems:
        return out
    for path, text in strings(loaded.data):
        message = text_problem(text)
        if message:
            out.append(Problem(loaded.file, loaded.line(path), format_path(path), message))
    for path, text in loaded.raw.items():
        message = number_problem(text, _at(loaded.data, path))
        if message:
            out.append(Problem(loaded.file, loaded.line(path), format_path(path), message))
    return out


def _at(data: Any, path: tuple) -> Any:
    for step in path:
        try:
            data = data[step]
        except (KeyError, IndexError, TypeError):
            return None
    return data
