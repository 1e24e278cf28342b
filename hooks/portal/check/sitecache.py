"""The data's model, kept between runs while nothing it is made from changes.

:func:`load` is :func:`portal.model.dataset.load_site`, except that a model which loaded without
an error is written to a cache file, and read back on the next run whose key is the same: the
path, size, modification and change times and inode of every file under the data folder (what
git's index compares to see a change; reading 6,000 files would cost 0.1 s), the source of every module of the
``portal`` package (the loader, the schemas' check and the model are code too), the versions of
Python and of the libraries that parse and check the data, and the day (validation compares
dates with today). Anything else, and the data is loaded and checked again. A failed load is
never cached: its problems come from a fresh check, every one of them, on every run.

Where: ``$PORTAL_CACHE`` if it names a folder, else ``$XDG_CACHE_HOME/minefield-portal`` (by
default ``~/.cache/minefield-portal``); ``PORTAL_CACHE=0`` turns the cache off. Never inside
the repository: a cache file is a pickle, and reading a pickle runs code, so it must not be a
file that a pull request could add. One file per data folder, the eight most recently used
kept. The file is written by a forked process where the portal can fork (portal.load.forking),
so that a build that loads the data does not wait for it.

Why pickle and not a library of caches: the model is the portal's own dataclasses, and
``pickle`` is what reads them back fastest (0.15 s for 1,000 regions, against 0.8 s to load
them); joblib's Memory or diskcache would wrap the same pickle with more to trust.
"""

from __future__ import annotations

import hashlib
import os
import pickle
import sys
from importlib import metadata
from pathlib import Path
from typing import Callable

from portal.load import forking
from portal.model.model import Site

PACKAGE = Path(__file__).resolve().parents[1]  # hooks/portal
LIBRARIES = ("pyyaml", "jsonschema", "fastjsonschema", "shapely", "geojson", "pycountry", "babel")
KEPT = 8
_HEADER = 64  # the key, hex, at the start of the file


def folder() -> Path | None:
    """Where the cache files go; None if the cache is turned off."""
    setting = os.environ.get("PORTAL_CACHE", "").strip()
    if setting.lower() in ("0", "no", "false", "off"):
        return None
    if setting and setting.lower() not in ("1", "yes", "true", "on"):
        return Path(setting)
    base = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    return Path(base) / "minefield-portal"


def key(data_dir: Path) -> str:
    """What the model is made from, hashed (see the module's docstring)."""
    import datetime as dt

    digest = hashlib.blake2b(digest_size=32)
    digest.update(f"{sys.version}\n{dt.date.today().isoformat()}\n".encode())
    for library in LIBRARIES:
        try:
            digest.update(f"{library}={metadata.version(library)}\n".encode())
        except metadata.PackageNotFoundError:
            digest.update(f"{library}=none\n".encode())
    for path in sorted(_files(PACKAGE, ".py")):
        digest.update(f"\0{path.relative_to(PACKAGE).as_posix()}\0".encode())
        digest.update(path.read_bytes())
    # The data files by what their file system says of them, as git's index does: a write, a
    # rename or a copy changes the change time (ctime), which no tool sets back.
    entries = []
    for folder_, dirs, files in os.walk(data_dir):
        dirs[:] = [d for d in dirs if d != "__pycache__"]
        relative = os.path.relpath(folder_, data_dir)
        for name in files:
            st = os.stat(f"{folder_}/{name}")
            entries.append(f"{relative}/{name}\0{st.st_size} {st.st_mtime_ns} {st.st_ctime_ns} {st.st_ino}")
    digest.update("\n".join(sorted(entries)).encode())
    return digest.hexdigest()


def _files(root: Path, suffix: str) -> list[Path]:
    out = []
    for folder_, dirs, files in os.walk(root):
        dirs[:] = [d for d in dirs if d != "__pycache__"]
        out += [Path(folder_) / f for f in files if f.endswith(suffix)]
    return out


def load(data_dir: Path, load_site: Callable[[Path], Site]) -> Site:
    """The model of ``data_dir``: from the cache if its key is the same, else ``load_site(data_dir)``
    (:func:`portal.model.dataset.load_site`), cached."""
    where = folder()
    if where is None:
        return load_site(data_dir)
    wanted = key(data_dir)
    file = where / (hashlib.blake2b(str(Path(data_dir).resolve()).encode(), digest_size=8).hexdigest() + ".pickle")
    site = _read(file, wanted)
    if site is not None:
        return site
    site = load_site(data_dir)  # a DataError goes to the caller: nothing is cached
    _write(file, wanted, site)
    return site


def _read(file: Path, wanted: str) -> Site | None:
    try:
        with open(file, "rb") as stream:
            if stream.read(_HEADER).decode("ascii", "replace") != wanted:
                return None
            site = pickle.load(stream)
    except (OSError, EOFError, pickle.UnpicklingError, AttributeError, ImportError, IndexError, TypeError, ValueError):
        return None  # missing, from another version of the code, or cut short: load instead
    if not isinstance(site, Site):
        return None
    try:
        os.utime(file)  # recently used: kept
    except OSError:
        pass
    return site


def _write(file: Path, wanted: str, site: Site) -> None:
    """Write the cache file, in a forked (and at once orphaned) process where the portal can fork."""
    if forking.can_fork():
        pid = os.fork()
        if pid:
            os.waitpid(pid, 0)  # the first child only forks the writer and exits
            return
        status = 1
        try:
            if os.fork() == 0:
                _store(file, wanted, site)
            status = 0
        finally:
            os._exit(status)
    _store(file, wanted, site)


def _store(file: Path, wanted: str, site: Site) -> None:
    try:
        file.parent.mkdir(parents=True, exist_ok=True)
        partial = file.with_name(f".{file.name}.{os.getpid()}")
        with open(partial, "wb") as stream:
            stream.write(wanted.encode("ascii"))
            pickle.dump(site, stream, protocol=pickle.HIGHEST_PROTOCOL)
        os.replace(partial, file)
        cached = sorted(file.parent.glob("*.pickle"), key=lambda p: p.stat().st_mtime, reverse=True)
        for old in cached[KEPT:]:
            old.unlink(missing_ok=True)
    except OSError:
        pass  # no cache this time; the next run loads the data again
