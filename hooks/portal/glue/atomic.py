"""A folder replaced only when its replacement is complete: a failed build never costs the site.

MkDocs empties ``site_dir`` before it builds, so a build that fails half-way leaves half a site
(or none). Instead the hook builds each edition into a hidden folder beside its target
(:func:`partial_dir`), and :func:`replace` swaps it in once the build has succeeded; `make build`
does the same for the three editions together (``portal.tools.build_site``). A failed build
removes its folder (:func:`discard`); one killed outright leaves it, and the next build to the
same target removes it.

The swap is two renames in one folder (the old site aside, the new one in its place), then the
old one removed: readers of the folder see the old site or the new one, never a mixture.
Hidden entries of the old folder (``.git``, ``.nojekyll``) are kept, as MkDocs keeps them.
"""

from __future__ import annotations

import os
import shutil

_PARTIAL = ".partial-"
_OLD = ".replaced-"
_FILES = ".files-"


def _sibling(target: str, kind: str, pid: int | None = None) -> str:
    parent, name = os.path.split(os.path.abspath(target))
    return os.path.join(parent, f".{name}{kind}{os.getpid() if pid is None else pid}")


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def _remove_stale(target: str) -> None:
    """Folders left beside the target by builds that were killed (their process is gone)."""
    parent, name = os.path.split(os.path.abspath(target))
    try:
        entries = os.listdir(parent)
    except OSError:
        return
    for entry in entries:
        for kind in (_PARTIAL, _OLD, _FILES):
            prefix = f".{name}{kind}"
            if entry.startswith(prefix) and entry[len(prefix) :].isdigit() and not _alive(int(entry[len(prefix) :])):
                shutil.rmtree(os.path.join(parent, entry), ignore_errors=True)


def partial_dir(target: str) -> str:
    """A new, empty hidden folder beside ``target`` to build into."""
    _remove_stale(target)
    path = _sibling(target, _PARTIAL)
    shutil.rmtree(path, ignore_errors=True)
    os.makedirs(path)
    return path


def files_dir(target: str) -> str:
    """A hidden folder beside ``target`` (on its file system: what is written there moves in by
    renaming) for the files a build writes before MkDocs has emptied and filled the site."""
    _remove_stale(target)
    path = _sibling(target, _FILES)
    shutil.rmtree(path, ignore_errors=True)
    return path


def is_partial(name: str) -> bool:
    return name.startswith(".") and any(kind in name for kind in (_PARTIAL, _OLD, _FILES))


def replace(new: str, target: str) -> None:
    """Put the complete folder ``new`` in the place of ``target`` (which may not exist yet)."""
    target = os.path.abspath(target)
    if os.path.isdir(target) and not os.path.islink(target):
        for entry in os.listdir(target):
            if entry.startswith(".") and not is_partial(entry) and not os.path.lexists(os.path.join(new, entry)):
                os.rename(os.path.join(target, entry), os.path.join(new, entry))
        old = _sibling(target, _OLD)
        shutil.rmtree(old, ignore_errors=True)
        os.rename(target, old)
        os.rename(new, target)
        shutil.rmtree(old, ignore_errors=True)
    elif os.path.lexists(target):
        raise OSError(f"{target} is not a folder; remove it, then build again")
    else:
        os.makedirs(os.path.dirname(target), exist_ok=True)
        os.rename(new, target)


def discard(path: str) -> None:
    shutil.rmtree(path, ignore_errors=True)
