"""Find every file of data/, parse each once and check it against its schema: the first half of
``load_site`` (:mod:`portal.model.site`), before the per-kind builders of :mod:`portal.model.builders`.

Only ordinary files and plain folders are read (never a symbolic link), each file where its
kind lives: the single files at the top, one file per item in the folders, map layers in
``data/geo/``. Whatever else lies in data/ is a problem, not read. The check of a parsed file
(schema and untrusted text) is given by the caller, so that loading knows nothing of the checks;
its result is cached by content under ``mkdocs serve`` (:func:`keep_parsed_files`), and with
many files half of them are parsed in a forked process (:mod:`portal.load.forking`).
"""

from __future__ import annotations

import hashlib
import os
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from portal.load import forking
from portal.load.yamlload import Loaded, load_bytes
from portal.problems import Problem

# The single files whose entries are a list under one key, after the file's own `checked` date:
#   checked: 2026-12-01
#   sources:
#   - id: ...
SINGLE_FILES = {
    "sources.yml": "sources",
    "actors.yml": "actors",
    "figures.yml": "figures",
    "impacts.yml": "impacts",
    "demands.yml": "demands",
    "glossary.yml": "glossary",
}
FOLDERS = {"regions": "region", "countries": "country", "events": "event"}
# Folders of data/ that other parts of the portal own (read elsewhere, or not yet).
OTHER_FOLDERS = {"schemas"}
GEO_FOLDER = "geo"
# The suffixes of the files data/ holds: a folder with one of these names is a mistake.
_FILE_SUFFIXES = (".yml", ".yaml", ".json", ".geojson")

# The check of one parsed file, even one the YAML reader refused: (loaded, its bytes, its
# schema's name, the schemas' folder) -> its problems (the YAML's own are the Loaded's).
CheckFile = Callable[[Loaded, bytes, str, str], list[Problem]]
Parsed = tuple[Loaded, tuple[Problem, ...]]

# Parsed and schema-checked files by content (see _Reader.parse), kept only in long-lived
# processes (`mkdocs serve`): a one-shot build would only hold them in memory for longer. The
# model is rebuilt from them on every run, so a cached file is never shared in a mutable state.
_PARSED: dict[tuple[str, str, str, str], Parsed] | None = None

# From this many data files on, load_site parses half of them in a forked process (two cores
# here: 0.7 s of 4.8 s at 5,000 regions). Below it, the fork and the pickling cost more than they save.
PARALLEL_MIN_FILES = 500


def _can_fork() -> bool:
    """See portal.load.forking; and no cache to fill (`mkdocs serve` keeps one, and has threads)."""
    return _PARSED is None and forking.can_fork()


def keep_parsed_files() -> None:
    """Reuse parsed files across runs in this process (for `mkdocs serve`)."""
    global _PARSED
    if _PARSED is None:
        _PARSED = {}


def relative(path: Path, root: Path) -> str:
    try:
        return path.relative_to(root).as_posix()
    except ValueError:
        return path.as_posix()


def could_not_read(exc: BaseException) -> str:
    """Why a file could not be read, for ``file: could not be read: …``."""
    if isinstance(exc, UnicodeDecodeError) and isinstance(exc.object, bytes):
        line = exc.object[: exc.start].count(b"\n") + 1
        return f"could not be read: it is not UTF-8 text (byte 0x{exc.object[exc.start]:02x} on line {line}); save it with UTF-8 encoding"
    if isinstance(exc, OSError) and exc.strerror:
        return f"could not be read: {exc.strerror}"
    return f"could not be read: {type(exc).__name__}: {exc}"


def unreadable(shown: str, exc: BaseException) -> Problem:
    return Problem(shown, 0, "", could_not_read(exc))


def _irregular(data_dir: Path, root: Path) -> tuple[set[str], list[Problem]]:
    """Everything under data/ that is not a regular file or a plain folder: symbolic links (which
    could point anywhere outside the repository), folders named like files (``x.yml/``), devices
    and pipes. Their paths (not read) and a problem for each."""
    skipped: set[str] = set()
    problems: list[Problem] = []
    for folder, dirs, files in os.walk(data_dir):  # never follows a link
        for name in sorted(dirs + files):
            if name.startswith("."):
                continue
            path = os.path.join(folder, name)
            shown = relative(Path(path), root)
            if os.path.islink(path):
                problems.append(Problem(shown, 0, "", "not read: a symbolic link; data files must be ordinary files in the repository"))
            elif name in dirs and name.endswith(_FILE_SUFFIXES):
                problems.append(Problem(shown, 0, "", f"not read: a folder named like a file; data files must be ordinary files (rename or remove the folder {name}/)"))
            elif name in files and not os.path.isfile(path):
                problems.append(Problem(shown, 0, "", "not read: not an ordinary file"))
            else:
                continue
            skipped.add(os.path.normpath(path))
        dirs[:] = [d for d in dirs if os.path.normpath(os.path.join(folder, d)) not in skipped and not d.startswith(".")]
    return skipped, problems


@dataclass
class DataFiles:
    """Every data file found, parsed and checked, with the problems of finding and reading them,
    in the order they were met."""

    data_dir: Path
    root: Path
    skipped: set[str]  # normalised paths not read (see _irregular)
    singles: dict[str, Loaded] = field(default_factory=dict)  # schema ("sources") -> its file
    folders: dict[str, list[Loaded]] = field(default_factory=dict)  # kind ("region") -> its files, by name
    problems: list[Problem] = field(default_factory=list)
    # Kinds of id ("source", "region") whose defining file could not be read: references to them
    # are not checked, so that one syntax error does not bury the editor in follow-on errors.
    unreadable: set[str] = field(default_factory=set)

    def relative(self, path: Path) -> str:
        return relative(path, self.root)

    def read(self, path: Path) -> bool:
        """Whether ``path`` is read at all (not a link, device, or inside one)."""
        return os.path.normpath(path) not in self.skipped

    def geo_layers(self) -> tuple[list[Path], list[Problem]]:
        """The map layers of data/geo/, by name, and a problem for each other file there (a
        README.md may explain them). Read by the map builder, after the regions and sources."""
        folder = self.data_dir / GEO_FOLDER
        if not folder.is_dir() or not self.read(folder):
            return [], []
        paths = [p for p in sorted(folder.glob("*.geojson")) if self.read(p)]
        problems = [
            Problem(self.relative(stray), 0, "", "not read: files in data/geo/ must end in .geojson")
            for stray in sorted(folder.iterdir())
            if self.read(stray) and stray.suffix != ".geojson" and not stray.name.startswith(".") and stray.name != "README.md"
        ]
        return paths, problems


class _Reader:
    """Parses and checks files, once per content under `mkdocs serve`."""

    def __init__(self, root: Path, schema_dir: str, check_file: CheckFile):
        self.root, self.schema_dir, self.check_file = root, schema_dir, check_file

    def parse(self, path: Path | str, schema: str, shown: str | None = None) -> Parsed:
        """Parse and schema-check one file, once per content: under `mkdocs serve` a rebuild after
        one edit reads every file again but parses and checks only the one that changed."""
        if shown is None:
            shown = relative(Path(path), self.root)
        try:
            with open(path, "rb") as stream:
                raw = stream.read()
            key = (shown, schema, self.schema_dir, hashlib.sha1(raw).hexdigest()) if _PARSED is not None else None
            cached = _PARSED.get(key) if _PARSED is not None else None
            if cached is None:
                loaded = load_bytes(raw, shown)
                cached = (loaded, tuple(self.check_file(loaded, raw, schema, self.schema_dir)))
                if _PARSED is not None:
                    _PARSED[key] = cached
            return cached
        except Exception as exc:  # an unreadable file, or a bug: said, with the file, never a traceback
            return Loaded(file=shown, problems=[unreadable(shown, exc)]), ()

    def parse_many(self, jobs: list[tuple[str, str, str]]) -> list[Parsed]:
        """``parse`` for every (path, schema, shown) job, in order; the second half in a forked
        process when there are many files and a second core (see _can_fork)."""
        def parse(part: list[tuple[str, str, str]]) -> list[Parsed]:
            return [self.parse(*job) for job in part]

        if len(jobs) < PARALLEL_MIN_FILES or not _can_fork():
            return parse(jobs)
        return forking.in_two(jobs, parse)


def _record(files: DataFiles, parsed: Parsed) -> Loaded:
    """The file, its problems added to the run's: the YAML's, the checks', then its texts'."""
    loaded, problems = parsed
    files.problems.extend(loaded.problems)
    files.problems.extend(problems)
    files.problems.extend(loaded.text_problems)
    return loaded


def _read_singles(files: DataFiles, reader: _Reader) -> None:
    for name, schema in SINGLE_FILES.items():
        path = files.data_dir / name
        kind = schema.rstrip("s")
        if not files.read(path) or not path.is_file():
            if files.read(path):
                files.problems.append(Problem(files.relative(path), 0, "", "the file is missing"))
            files.singles[schema] = Loaded(file=files.relative(path))
            files.unreadable.add(kind)
            continue
        files.singles[schema] = _record(files, reader.parse(path, schema))
        if files.singles[schema].problems:
            files.unreadable.add(kind)


def _read_folders(files: DataFiles, reader: _Reader) -> None:
    """Every file of the folders is parsed first (on two cores when there are many), then their
    problems are recorded folder by folder, file by file, as if read one by one."""
    listing: dict[str, tuple[str, list[str]]] = {}
    jobs: list[tuple[str, str, str]] = []
    for folder, schema in FOLDERS.items():
        # Names as text, sorted as pathlib sorts them: thousands of files, and pathlib's
        # objects cost more than the parsing of a small file.
        directory = files.data_dir / folder
        names = sorted(entry.name for entry in os.scandir(directory)) if directory.is_dir() and files.read(directory) else []
        names = [name for name in names if os.path.normpath(os.path.join(directory, name)) not in files.skipped]
        shown_dir = files.relative(directory)
        listing[folder] = (shown_dir, names)
        jobs += [(os.path.join(directory, name), schema, f"{shown_dir}/{name}") for name in names if name.endswith(".yml")]
    parsed = iter(reader.parse_many(jobs))
    for folder, schema in FOLDERS.items():
        shown_dir, names = listing[folder]
        files.folders[schema] = [_record(files, next(parsed)) for name in names if name.endswith(".yml")]
        if any(f.problems for f in files.folders[schema]):
            files.unreadable.add(schema)
        for name in names:
            if not name.endswith(".yml") and not name.startswith("."):
                files.problems.append(Problem(f"{shown_dir}/{name}", 0, "", f"not read: files in data/{folder}/ must end in .yml"))


def _strays(files: DataFiles) -> None:
    """Folders and files at the top of data/ that are none of the above."""
    for stray in sorted(files.data_dir.iterdir()):
        if stray.name.startswith(".") or not files.read(stray):
            continue
        if stray.is_dir() and stray.name not in FOLDERS and stray.name not in OTHER_FOLDERS and stray.name != GEO_FOLDER:
            files.problems.append(Problem(files.relative(stray), 0, "", "unknown folder in data/; it is not read"))
        if stray.is_file() and stray.name not in SINGLE_FILES:
            files.problems.append(Problem(files.relative(stray), 0, "", "unknown file in data/; it is not read"))


def find_files(data_dir: Path, check_file: CheckFile) -> DataFiles:
    """Every YAML file of ``data_dir``, parsed and checked with ``check_file``; the map layers are
    listed later (:meth:`DataFiles.geo_layers`)."""
    root = data_dir.parent
    skipped, problems = _irregular(data_dir, root)
    files = DataFiles(data_dir, root, skipped, problems=problems)
    reader = _Reader(root, str(data_dir / "schemas"), check_file)
    _read_singles(files, reader)
    _read_folders(files, reader)
    _strays(files)
    return files
