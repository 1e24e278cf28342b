"""Strict, fast YAML loading that keeps the line of every key and list item.

Why not ``yaml.safe_load``: it forgets line numbers, silently keeps the last of two
duplicate keys, follows anchors and aliases, and applies YAML 1.1's implicit types
(``NO`` -> False, ``0123`` -> 83, ``12:30`` -> 750, unquoted dates -> ``datetime.date``).
We read libyaml's event stream (the C parser, which carries marks) and build plain
Python values ourselves with a small, strict resolver:

* ``true`` / ``false`` -> bool; ``null``, ``~`` or nothing -> None;
* decimal integers without leading zeros -> int; decimals such as ``1.5`` -> float;
* everything else (``yes``, ``NO``, ``0123``, ``12:30``, ``2021-06-12``) stays text, and
  the JSON Schema then says whether text is what the field expects.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path as FsPath
from typing import Any

import yaml

from portal.problems import Problem, format_path

MAX_BYTES = 512 * 1024

_INT = re.compile(r"[-+]?(?:0|[1-9][0-9]*)\Z")
_FLOAT = re.compile(r"[-+]?(?:0|[1-9][0-9]*)(?:\.[0-9]+)?(?:[eE][-+]?[0-9]+)?\Z")


@dataclass
class Loaded:
    """A data file's value with the line of every key and item."""

    file: str  # the path shown to editors, relative to the project
    data: Any = None
    lines: dict[tuple, int] = field(default_factory=dict)
    raw: dict[tuple, str] = field(default_factory=dict)  # source text of numbers/booleans
    problems: list[Problem] = field(default_factory=list)
    # Problems of the text that do not stop the schema check (the file was read): "anti- tank"
    text_problems: list[Problem] = field(default_factory=list)

    def line(self, path: tuple) -> int:
        """The line of ``path`` or of its nearest ancestor that has one."""
        path = tuple(path)
        while path:
            if path in self.lines:
                return self.lines[path]
            path = path[:-1]
        return self.lines.get((), 1)


_WORDS = {"": None, "~": None, "null": None, "true": True, "false": False}
_NUMBER_START = frozenset("+-0123456789")


def resolve_plain(text: str) -> Any:
    if text in _WORDS:
        return _WORDS[text]
    if text[0] in _NUMBER_START:  # most plain values are ids and words: skip the patterns
        if _INT.match(text):
            return int(text)
        if _FLOAT.match(text):
            return float(text)
    return text


def load_file(path: FsPath, shown_as: str) -> Loaded:
    return load_bytes(path.read_bytes(), shown_as)


def load_bytes(raw: bytes, shown_as: str) -> Loaded:
    out = Loaded(file=shown_as)
    if len(raw) > MAX_BYTES:
        out.problems.append(
            Problem(shown_as, 1, "", f"the file is {len(raw):,} bytes; the limit is {MAX_BYTES:,}. Split it into smaller files.")
        )
        return out
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        out.problems.append(
            Problem(shown_as, line, "", f"the file is not UTF-8 text (byte 0x{raw[exc.start]:02x}); save it with UTF-8 encoding")
        )
        return out
    return load_text(text.removeprefix("\ufeff"), out)


def load_text(text: str, out: Loaded) -> Loaded:
    try:
        _build(_Parser(text), out, text)
    except yaml.MarkedYAMLError as exc:
        from portal.load import yamlhelp  # on first use: only a file with a syntax error needs it

        line, message = yamlhelp.explain_syntax_error(exc, text)
        out.problems.append(Problem(out.file, line, "", f"YAML syntax error: {message}"))
        out.data = None
    except yaml.reader.ReaderError as exc:  # control characters and the like
        from portal.load import yamlhelp

        line, message = yamlhelp.explain_reader_error(exc.character, exc.position, text)
        out.problems.append(Problem(out.file, line, "", message))
        out.data = None
    except yaml.YAMLError as exc:  # pragma: no cover - libyaml raises the two above
        out.problems.append(Problem(out.file, 1, "", f"YAML error: {exc}"))
        out.data = None
    return out


try:  # libyaml's parser alone: its events, without the Loader's constructor and resolver
    from yaml._yaml import CParser as _Parser
except ImportError:  # pragma: no cover - PyYAML without libyaml

    class _Parser(yaml.SafeLoader):  # type: ignore[no-redef]
        def get_event(self):
            return super().get_event() if self.check_event() else None


_Scalar, _SeqStart, _SeqEnd = yaml.ScalarEvent, yaml.SequenceStartEvent, yaml.SequenceEndEvent
_MapStart, _MapEnd, _Alias = yaml.MappingStartEvent, yaml.MappingEndEvent, yaml.AliasEvent
_DocStart, _StreamEnd = yaml.DocumentStartEvent, yaml.StreamEndEvent


_HYPHEN_END = re.compile(r"([^\W\d_]+)-$")


def _folded_hyphens(text: str, first: int, last: int) -> list[tuple[int, str]]:
    """Lines ``first``..``last`` (0-based) of a plain or folded (>) scalar that end in a word and
    a hyphen: YAML joins such a line to the next with a space ("anti-" + "tank" reads "anti- tank")."""
    lines = text.splitlines()
    out = []
    for number in range(first, min(last, len(lines) - 1)):
        found = _HYPHEN_END.search(lines[number].rstrip())
        following = lines[number + 1].strip()
        if found and following and following[0].isalpha():
            out.append((number + 1, f"{found.group(1)}- {following.split()[0]}"))
    return out


def _build(parser, out: Loaded, text: str = "") -> None:
    """Turn libyaml's events into plain values, recording the line of every key and item.

    One pass over the events with local look-ups only: this runs for every key and item of
    every data file (about 100,000 events at 1,000 regions). Kept whole on purpose (over the
    60-line rule): split into methods, every event would pay attribute look-ups, and the
    recursion reads best in one place. A recursive descent; ``node(event, path)`` reads one
    value whose first event is ``event``, pulling the rest with ``get_event``::

        stream ──DocumentStart──▶ lines[()]; data = node(next event)
               ──DocumentStart again──▶ problem "more than one YAML document"; stop
               ──StreamEnd (or None)──▶ done

        node(event):
          Alias ────────────▶ problem; None
          (any anchor) ─────▶ problem; read on
          Scalar ───────────▶ plain: resolve_plain (raw text kept for numbers, booleans);
                              quoted or block: the text; a tag: problem;
                              folded lines ending in "word-": a text problem
          SequenceStart ────▶ ┌─▶ next event ──SequenceEnd──▶ the list
                              └── lines[path+(i,)]; node(event)  (an item)
          MappingStart ─────▶ ┌─▶ next event ──MappingEnd──▶ the mapping
                              ├── Scalar key, new: lines[path+(key,)]; node(next event)
                              ├── Scalar key, seen: problem; node(next event), dropped
                              └── not a Scalar: problem; key and value read, dropped
    """
    get_event = parser.get_event
    lines = out.lines
    raw = out.raw
    problems = out.problems
    file = out.file

    def problem(event, message: str) -> None:
        problems.append(Problem(file, event.start_mark.line + 1, "", message))

    def node(event, path: tuple) -> Any:
        cls = event.__class__
        if cls is _Alias:
            problem(event, f"aliases (*{event.anchor}) are not allowed; write the value out in full")
            return None
        if event.anchor:
            problem(event, f"anchors (&{event.anchor}) are not allowed; write each value out in full")
        tag = event.tag
        if cls is _Scalar:
            if tag and tag != "!":
                problem(event, f"tags ({tag.replace('tag:yaml.org,2002:', '!!')}) are not allowed; remove it and quote the value if it is text")
            value = event.value
            if event.end_mark.line > event.start_mark.line and event.style in (None, "", ">") and "- " in value:
                for line, joined in _folded_hyphens(text, event.start_mark.line, event.end_mark.line):
                    out.text_problems.append(
                        Problem(file, line, format_path(path), f"the line ends with a hyphen inside a text that YAML folds into one line, so the page would read '{joined}'; move the whole hyphenated word onto one line")
                    )
            if not event.style and not tag:  # plain scalar (libyaml gives "" for plain)
                resolved = resolve_plain(value)
                if resolved is not None and resolved.__class__ is not str:
                    raw[path] = value
                return resolved
            return value
        if tag:
            problem(event, f"tags ({tag.replace('tag:yaml.org,2002:', '!!')}) are not allowed; remove it and quote the value if it is text")
        if cls is _SeqStart:
            items: list[Any] = []
            while True:
                event = get_event()
                if event.__class__ is _SeqEnd:
                    return items
                item_path = path + (len(items),)
                lines[item_path] = event.start_mark.line + 1
                items.append(node(event, item_path))
        if cls is _MapStart:
            mapping: dict[str, Any] = {}
            while True:
                key_event = get_event()
                key_cls = key_event.__class__
                if key_cls is _MapEnd:
                    return mapping
                if key_cls is not _Scalar:
                    problem(key_event, "a key must be a plain name, not a list or a mapping")
                    node(key_event, path)
                    node(get_event(), path)
                    continue
                key = key_event.value
                if key_event.anchor:
                    problem(key_event, f"anchors (&{key_event.anchor}) are not allowed")
                key_path = path + (key,)
                if key in mapping:
                    problem(key_event, f"duplicate key '{key}' (first given on line {lines.get(key_path)}); keep one")
                    node(get_event(), key_path)
                    continue
                lines[key_path] = key_event.start_mark.line + 1
                mapping[key] = node(get_event(), key_path)
        raise AssertionError(f"unexpected YAML event {event!r}")  # pragma: no cover

    documents = 0
    try:
        while True:
            event = get_event()
            if event is None or event.__class__ is _StreamEnd:
                return
            if event.__class__ is _DocStart:
                documents += 1
                if documents > 1:
                    problem(event, "the file holds more than one YAML document ('---'); keep one per file")
                    return
                lines[()] = event.start_mark.line + 1
                out.data = node(get_event(), ())
    finally:
        # node() refers to itself: a reference cycle that would keep the parser and its text
        # alive until the garbage collector runs, and load_site runs without it.
        node = None  # noqa: F841
