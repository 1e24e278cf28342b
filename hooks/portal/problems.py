"""Problems found in the data, reported to editors as ``file:line: field: message``."""

from __future__ import annotations

import os
from collections.abc import Iterable
from dataclasses import dataclass

Path = tuple  # a JSON path: a tuple of keys (str) and list indices (int)


def format_path(path: Iterable[str | int]) -> str:
    """``('figures', 'estimated_mines', 1, 'source')`` -> ``figures.estimated_mines[1].source``."""
    out = ""
    for part in path:
        if isinstance(part, int):
            out += f"[{part}]"
        else:
            out += f".{part}" if out else str(part)
    return out


@dataclass(frozen=True, order=True)
class Problem:
    file: str
    line: int
    field: str
    message: str
    severity: str = "error"  # "error", "warning", or "note" (expected, shown once per run: see lines())

    def __str__(self) -> str:
        where = f"{self.file}:{self.line}" if self.line else self.file
        prefix = "" if self.severity == "error" else f"{self.severity}: "
        if self.field:
            return f"{where}: {prefix}{self.field}: {self.message}"
        return f"{where}: {prefix}{self.message}"

    def github_annotation(self) -> str:
        """A GitHub Actions workflow command that puts the message on the line of the pull request."""
        kind = {"error": "error", "note": "notice"}.get(self.severity, "warning")
        props = f"file={_escape_property(self.file)}"
        if self.line:
            props += f",line={self.line}"
        title = self.field or "data"
        text = f"{self.field}: {self.message}" if self.field else self.message
        return f"::{kind} {props},title={_escape_property(title)}::{_escape_data(text)}"


def _escape_data(value: str) -> str:
    return value.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def _escape_property(value: str) -> str:
    return _escape_data(value).replace(":", "%3A").replace(",", "%2C")


class DataError(Exception):
    """Raised when the data has errors; carries every problem of the run."""

    def __init__(self, problems: list[Problem]):
        self.problems = sorted(problems)
        super().__init__(report(self.problems))


def count(n: int, one: str, many: str) -> str:
    """``1 country``, ``2 countries``, ``1,000 regions``."""
    return f"{n:,} {one if n == 1 else many}"


def lines(problems: Iterable[Problem]) -> list[str]:
    """Errors and warnings one line each; notes (expected states, such as a region not yet on the
    maps) in one line per message, naming every file: they are not to be fixed on every run."""
    out: list[str] = []
    notes: dict[str, list[str]] = {}
    for problem in sorted(problems):
        if problem.severity == "note":
            notes.setdefault(problem.message, []).append(problem.file)
        else:
            out.append(str(problem))
    out += [f"note: {', '.join(files)}: {message}" for message, files in notes.items()]
    return out


def report(problems: list[Problem], outcome: str | None = None) -> str:
    """Every problem, then a last line that counts the errors; ``outcome`` says what the run did
    not do (a build: "nothing was published"; validate says nothing of the kind)."""
    errors = [p for p in problems if p.severity == "error"]
    text_lines = lines(problems)
    if errors:
        what = count(len(errors), "problem", "problems") + " in the data"
        text_lines.append(f"{what}: {outcome}. Fix the lines above." if outcome else f"{what}. Fix the lines above, then run make validate again.")
    text = "\n".join(text_lines)
    if os.environ.get("GITHUB_ACTIONS"):
        text += "\n" + "\n".join(p.github_annotation() for p in sorted(problems))
    return text
