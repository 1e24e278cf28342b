"""Helpers with no pytest in them, shared by the tests (through conftest.py) and by bench/.

bench/ puts tests/ on its import path and imports this module: one home for these helpers
without making the benchmarks depend on pytest's fixtures (conftest.py imports pytest and
registers fixtures when imported), and without shipping test code in hooks/portal/.
"""

from __future__ import annotations

import shutil
import socket
import urllib.request
from pathlib import Path

# Debian's Chromium, driven by Playwright (never `playwright install`)
CHROMIUM = shutil.which("chromium") or ("/usr/bin/chromium" if Path("/usr/bin/chromium").exists() else None)


def free_port() -> int:
    """A TCP port on 127.0.0.1 that nothing listens on now."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def fetch(url: str) -> str:
    """The page at ``url`` as text, or "" while the server does not answer."""
    try:
        with urllib.request.urlopen(url, timeout=5) as response:
            return response.read().decode("utf-8")
    except OSError:
        return ""
