"""What every builder shares: the run's problems, each with the line of its field, and the checks
that more than one kind of file needs (dates, references to other files' ids, links in texts,
unique ids, the file's own ``checked`` date, a one-item file named after its id)."""

from __future__ import annotations

import datetime as dt
import difflib
import os
import re
from collections.abc import Collection, Mapping
from typing import Any

from portal.check import dates, untrusted
from portal.load.yamlload import Loaded
from portal.model.model import PartialDate, Text
from portal.problems import Problem, format_path

# The list files: their entries are a list under one key, after the file's own `checked` date.
LISTS = {"sources": "sources", "actors": "actors", "demands": "demands", "glossary": "terms"}
_ID = re.compile(r"[a-z0-9]+(-[a-z0-9]+)*")  # common.schema.json's id
_LINK = re.compile(r"\]\(\s*<?((?:[^\s()<>]|\([^\s()]*\))*)")  # a link target, with balanced (parentheses)


def home_of(what: str) -> str:
    return {
        "source": "data/sources.yml",
        "actor": "data/actors.yml",
        "figure": "data/figures.yml",
        "region": "data/regions/",
        "country": "data/countries/",
        "demand": "data/demands.yml",
    }.get(what, "data/")


def text_or_none(value: Any) -> Text | None:
    return None if value is None else Text.of(value)


def stem(shown: str) -> str:
    """Path(shown).stem without a Path object (thousands of files)."""
    return os.path.splitext(os.path.basename(shown))[0]


class Checker:
    """Collects problems, with the line of each field, and what the files say of themselves."""

    def __init__(self, today: dt.date, reserved: Mapping[str, str], problems: list[Problem], unreadable: set[str]):
        self.today = today
        # {id: the generated page's address} that a region may not take (see portal.model.site.load_site)
        self.reserved = reserved
        self.problems = problems
        # Kinds of id whose defining file could not be read: references to them are not
        # checked, so that one syntax error does not bury the editor in follow-on errors.
        self.unreadable = unreadable
        self.checked: dict[str, PartialDate] = {}  # data file -> when last compared with its sources
        self.drafts: dict[str, tuple[str, ...]] = {}  # data file -> languages whose texts are unreviewed drafts

    def add(self, loaded: Loaded, path: tuple, message: str, severity: str = "error") -> None:
        self.problems.append(Problem(loaded.file, loaded.line(path), format_path(path), message, severity))

    def date(self, loaded: Loaded, path: tuple, text: Any) -> PartialDate | None:
        if isinstance(text, int) and not isinstance(text, bool):
            text = str(text)  # a year written without quotes
        if not isinstance(text, str) or not re.fullmatch(r"\d{4}(-\d{2}(-\d{2})?)?", text):
            return None  # the schema has reported it
        try:
            value = PartialDate.parse(text)
            value.first_day  # noqa: B018 - raises for a month or day that does not exist
            value.last_day  # noqa: B018
        except ValueError:
            self.add(loaded, path, f"'{text}' is not a real date{dates.swapped(text)}")
            return None
        if value.first_day > self.today:
            self.add(loaded, path, f"'{text}' is in the future (today is {self.today.isoformat()})")
            return None
        if value.year < 1900:
            self.add(loaded, path, f"'{text}' is before 1900; check the year")
            return None
        return value

    def refs(self, loaded: Loaded, path: tuple, ids: Any, known: Collection[str], what: str) -> None:
        if what in self.unreadable:
            return
        if isinstance(ids, str):
            ids = [ids]
            paths = [path]
        elif isinstance(ids, list):
            paths = [path + (i,) for i in range(len(ids))]
        else:
            return
        for item, item_path in zip(ids, paths, strict=False):
            if isinstance(item, str) and item not in known:  # dicts and sets: a constant-time look-up
                msg = f"unknown {what} '{item}'"
                close = difflib.get_close_matches(item, [k for k in known if self.valid_id(k)], n=1)
                msg += f" (did you mean '{close[0]}'?)" if close else f"; add it to {home_of(what)} first"
                self.add(loaded, item_path, msg)

    def links(self, loaded: Loaded, path: tuple, text: Any) -> None:
        """Summaries may link only to https:// and mailto: addresses."""
        values = text.values() if isinstance(text, dict) else [text]
        for value in values:
            if not isinstance(value, str):
                continue
            for target in _LINK.findall(value):
                if not target.startswith(("https://", "mailto:")):
                    self.add(loaded, path, f"link '{target}' is not allowed; links must start with https:// or mailto:")
                elif untrusted.credentials(target):
                    self.add(loaded, path, f"link: {untrusted.credentials(target)}")

    def valid_id(self, ident: str) -> bool:
        """An id the schema accepts and no generated page reserves: one that may be suggested."""
        return _ID.fullmatch(ident) is not None and ident not in self.reserved

    def unique_ids(self, loaded: Loaded, items: Any, path: tuple = ()) -> dict[str, int]:
        seen: dict[str, int] = {}
        if not isinstance(items, list):
            return seen
        for i, item in enumerate(items):
            if isinstance(item, dict) and isinstance(item.get("id"), str):
                ident = item["id"]
                if ident in seen:
                    self.add(loaded, path + (i, "id"), f"duplicate id '{ident}' (also used on line {seen[ident]})")
                else:
                    seen[ident] = loaded.line(path + (i, "id"))
        return seen

    def checked_date(self, loaded: Loaded) -> PartialDate | None:
        """The file's own `checked` date (the schema requires it), recorded for Site.checked."""
        data = loaded.data
        if isinstance(data, dict) and isinstance(data.get("draft_translations"), list):
            self.drafts[loaded.file] = tuple(lang for lang in data["draft_translations"] if isinstance(lang, str))
        if not isinstance(data, dict) or "checked" not in data:
            return None
        value = self.date(loaded, ("checked",), data.get("checked"))
        if value is not None:
            self.checked[loaded.file] = value
        return value

    def entries(self, loaded: Loaded, schema: str) -> tuple[list, tuple]:
        """The entries of a list file (sources, actors, demands) and their path in the file."""
        self.checked_date(loaded)
        key = LISTS[schema]
        data = loaded.data
        items = data.get(key) if isinstance(data, dict) else None
        return (items if isinstance(items, list) else []), (key,)

    def one_per_file(self, loaded: Loaded) -> dict | None:
        """A file that holds one item (a region, country or event) named by its file name."""
        data = loaded.data
        if not isinstance(data, dict):
            if not loaded.problems and data is None:
                self.add(loaded, (), "the file is empty")
            return None
        self.checked_date(loaded)
        name = stem(loaded.file)
        ident = data.get("id")
        if isinstance(ident, str) and ident != name:
            # never suggest an id that the schema refuses (or that a generated page reserves)
            fixes = [f"rename the file to {ident}.yml" if self.valid_id(ident) else "", f"set id: {name}" if self.valid_id(name) else ""]
            fixes = [fix for fix in fixes if fix]
            if fixes:
                self.add(loaded, ("id",), f"the id '{ident}' differs from the file name; {' or '.join(fixes)}")
            elif _ID.fullmatch(name) is None:
                self.add(loaded, ("id",), f"the id '{ident}' differs from the file name; name the file after its id, in lower-case letters, digits and single hyphens")
        return data
