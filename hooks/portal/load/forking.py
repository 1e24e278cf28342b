"""Work split over this process and a forked one, where a second core makes that pay.

Only on Linux: there fork() without exec is safe (macOS's system libraries are not), and only
where no other thread runs (a thread holding a lock at the fork would leave it held in the
child). The child sends its results back pickled; if it fails, its half is done here, so that an
error is raised where it can be seen.
"""

from __future__ import annotations

import os
import pickle
import sys
import threading
from collections.abc import Callable
from typing import TypeVar

T = TypeVar("T")
R = TypeVar("R")


def cores() -> int:
    try:
        return len(os.sched_getaffinity(0))
    except (AttributeError, OSError):  # pragma: no cover - not Linux
        return os.cpu_count() or 1


def can_fork(*, with_threads: bool = False) -> bool:
    """Linux, fork(), a second core, not turned off (PORTAL_JOBS=1), and no other thread unless
    the caller's child touches nothing those threads use (``with_threads``)."""
    return (
        sys.platform.startswith("linux")
        and hasattr(os, "fork")
        and cores() > 1
        and os.environ.get("PORTAL_JOBS", "") != "1"
        and (with_threads or threading.active_count() == 1)
    )


def in_two(items: list[T], work: Callable[[list[T]], list[R]]) -> list[R]:
    """``work(items)``, with the second half of the items done in a forked process; in order."""
    half = len(items) // 2
    reader, writer = os.pipe()
    pid = os.fork()
    if pid == 0:  # the child: the second half, sent back pickled; it never returns
        status = 1
        try:
            os.close(reader)
            payload = pickle.dumps(work(items[half:]), protocol=pickle.HIGHEST_PROTOCOL)
            with os.fdopen(writer, "wb") as stream:
                stream.write(payload)
            status = 0
        finally:
            os._exit(status)
    os.close(writer)
    try:
        first = work(items[:half])
    finally:
        with os.fdopen(reader, "rb") as stream:
            payload = stream.read()
        _, status = os.waitpid(pid, 0)
    if status == 0 and payload:
        return first + pickle.loads(payload)
    return first + work(items[half:])  # the child failed (a file that cannot be read, say): fail here
