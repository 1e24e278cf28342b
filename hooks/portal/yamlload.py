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

from .problems import Problem

try:  # libyaml's C parser: about five times faster than the pure-Python one
    from yaml import CLoader as _Loader
except ImportError:  # pragma: no cover - PyYAML without libyaml
    from yaml import SafeLoader as _Loader  # type: ignore[assignment]

MAX_BYTES = 512 * 1024

# libyaml's terse messages, with what an editor can do about them.
_HINTS = {
    "mapping values are not allowed": "a value contains ': '; put the whole value in quotes",
    "did not find expected key": "check the indentation: this line should line up with the fields above it",
    "did not find expected node content": "a value is missing, or a bracket is not closed",
    "could not find expected ':'": "every field is written name: value",
    "found character that cannot start any token": "a value cannot start with this character; put the value in quotes",
    "found unexpected end of stream": "a quote or bracket is not closed",
    "while scanning a quoted scalar": "a quote is not closed",
    "found undefined alias": "aliases are not allowed",
}

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

    def line(self, path: tuple) -> int:
        """The line of ``path`` or of its nearest ancestor that has one."""
        path = tuple(path)
        while path:
            if path in self.lines:
                return self.lines[path]
            path = path[:-1]
        return self.lines.get((), 1)


def resolve_plain(text: str) -> Any:
    if text in ("", "~", "null"):
        return None
    if text == "true":
        return True
    if text == "false":
        return False
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
    builder = _Builder(out)
    try:
        builder.run(yaml.parse(text, Loader=_Loader))
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = mark.line + 1 if mark else 1
        what = exc.problem or "the file cannot be read as YAML"
        lines = text.splitlines()
        if 0 < line <= len(lines) and "\t" in lines[line - 1]:
            hint = " (indent with spaces, not tabs)"
        else:
            hint = next((f" ({h})" for k, h in _HINTS.items() if k in what), "")
        out.problems.append(Problem(out.file, line, "", f"YAML syntax error: {what}{hint}"))
        out.data = None
    except yaml.YAMLError as exc:  # reader errors: control characters and the like
        out.problems.append(Problem(out.file, getattr(getattr(exc, "position", None), "line", 0) or 1, "", f"YAML error: {exc}"))
        out.data = None
    return out


class _Builder:
    def __init__(self, out: Loaded):
        self.out = out

    def problem(self, event: yaml.Event, message: str) -> None:
        self.out.problems.append(Problem(self.out.file, event.start_mark.line + 1, "", message))

    def run(self, events) -> None:
        self.events = iter(events)
        documents = 0
        for event in self.events:
            if isinstance(event, yaml.DocumentStartEvent):
                documents += 1
                if documents > 1:
                    self.problem(event, "the file holds more than one YAML document ('---'); keep one per file")
                    return
                self.out.lines[()] = event.start_mark.line + 1
                self.out.data = self.node(next(self.events), ())
            elif isinstance(event, yaml.StreamEndEvent):
                return

    def node(self, event: yaml.Event, path: tuple) -> Any:
        if isinstance(event, yaml.AliasEvent):
            self.problem(event, f"aliases (*{event.anchor}) are not allowed; write the value out in full")
            return None
        if getattr(event, "anchor", None):
            self.problem(event, f"anchors (&{event.anchor}) are not allowed; write each value out in full")
        tag = getattr(event, "tag", None)
        if tag and not (isinstance(event, yaml.ScalarEvent) and tag == "!"):
            short = tag.replace("tag:yaml.org,2002:", "!!")
            self.problem(event, f"tags ({short}) are not allowed; remove it and quote the value if it is text")
        if isinstance(event, yaml.ScalarEvent):
            if not event.style and not tag:  # plain scalar (libyaml gives "" for plain)
                value = resolve_plain(event.value)
                if not isinstance(value, str) and value is not None:
                    self.out.raw[path] = event.value
                return value
            return event.value
        if isinstance(event, yaml.SequenceStartEvent):
            items: list[Any] = []
            for event in self.events:
                if isinstance(event, yaml.SequenceEndEvent):
                    return items
                item_path = path + (len(items),)
                self.out.lines[item_path] = event.start_mark.line + 1
                items.append(self.node(event, item_path))
        if isinstance(event, yaml.MappingStartEvent):
            mapping: dict[str, Any] = {}
            for key_event in self.events:
                if isinstance(key_event, yaml.MappingEndEvent):
                    return mapping
                line = key_event.start_mark.line + 1
                if not isinstance(key_event, yaml.ScalarEvent):
                    self.problem(key_event, "a key must be a plain name, not a list or a mapping")
                    self.node(key_event, path)
                    self.node(next(self.events), path)
                    continue
                key = key_event.value
                if key_event.anchor:
                    self.problem(key_event, f"anchors (&{key_event.anchor}) are not allowed")
                if key in mapping:
                    first = self.out.lines.get(path + (key,))
                    self.problem(key_event, f"duplicate key '{key}' (first given on line {first}); keep one")
                    self.node(next(self.events), path + (key,))
                    continue
                self.out.lines[path + (key,)] = line
                mapping[key] = self.node(next(self.events), path + (key,))
        raise AssertionError(f"unexpected YAML event {event!r}")  # pragma: no cover
