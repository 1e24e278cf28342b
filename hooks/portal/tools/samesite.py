"""Build the whole site of a checkout, and compare two such builds file by file (issue 15: a
refactoring must leave the published site byte-for-byte the same).

    PYTHONPATH=hooks python -m portal.tools.samesite build OUT [--checkout DIR] [--ref COMMIT]
    PYTHONPATH=hooks python -m portal.tools.samesite compare BEFORE AFTER

``build`` runs that checkout's own ``portal.tools.build_site`` (what ``make build`` runs: English at
the root, the other editions under ``<lang>/``) with its own ``hooks`` on ``PYTHONPATH``, into OUT.
With ``--ref`` it builds a commit of the checkout's repository instead of its working tree: the
commit is exported with ``git archive`` into a temporary folder first, so nothing is written into
the checkout (not even ``__pycache__``). The build's day is pinned (``PORTAL_TODAY`` for the ages
and the footer, ``SOURCE_DATE_EPOCH`` for MkDocs's sitemap dates and gzip headers), so that two
builds made on different days or minutes compare equal when their code does the same thing.

``compare`` lists every file only one side has and every file whose bytes differ (with the first
differing lines of a text file), then a count; exit status 1 when there is any difference.
"""

from __future__ import annotations

import argparse
import difflib
import os
import subprocess
import sys
import tempfile
from pathlib import Path

DAY = "2026-12-01"
EPOCH = "1764547200"  # 2025-12-01T00:00:00Z: any fixed value will do, the same for both builds


def build(checkout: Path, out: Path, ref: str | None = None) -> int:
    checkout = checkout.resolve()
    out = out.resolve()
    with tempfile.TemporaryDirectory(prefix="samesite-") as tmp:
        root = checkout
        if ref:
            root = Path(tmp) / "src"
            root.mkdir()
            archive = subprocess.run(["git", "-C", str(checkout), "archive", ref], check=True, capture_output=True).stdout
            subprocess.run(["tar", "-x", "-C", str(root)], input=archive, check=True)
        env = {
            **os.environ,
            "PYTHONPATH": str(root / "hooks"),
            "PYTHONDONTWRITEBYTECODE": "1",
            "PORTAL_TODAY": DAY,
            "SOURCE_DATE_EPOCH": EPOCH,
            "NO_MKDOCS_2_WARNING": "1",
        }
        command = [sys.executable, "-m", "portal.tools.build_site", str(out), "-f", str(root / "mkdocs.yml")]
        return subprocess.run(command, env=env, cwd=root).returncode


def files(folder: Path) -> dict[str, Path]:
    return {p.relative_to(folder).as_posix(): p for p in sorted(folder.rglob("*")) if p.is_file()}


def compare(before: Path, after: Path, out=sys.stdout) -> int:
    """Print every difference between two site folders; the number of differences."""
    old, new = files(before), files(after)
    differences = 0
    for name in sorted(old.keys() - new.keys()):
        print(f"only in {before}: {name}", file=out)
        differences += 1
    for name in sorted(new.keys() - old.keys()):
        print(f"only in {after}: {name}", file=out)
        differences += 1
    for name in sorted(old.keys() & new.keys()):
        a, b = old[name].read_bytes(), new[name].read_bytes()
        if a == b:
            continue
        differences += 1
        print(f"differs: {name} ({len(a)} and {len(b)} bytes)", file=out)
        try:
            lines = difflib.unified_diff(a.decode().splitlines(), b.decode().splitlines(), "before", "after", lineterm="", n=0)
            for line in list(lines)[:12]:
                print(f"    {line[:300]}", file=out)
        except UnicodeDecodeError:
            pass
    print(f"{len(old.keys() & new.keys())} files compared, {differences} differences", file=out)
    return differences


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m portal.tools.samesite", description=__doc__.splitlines()[0])
    sub = parser.add_subparsers(dest="command", required=True)
    b = sub.add_parser("build", help="build every edition of a checkout into OUT")
    b.add_argument("out", type=Path)
    b.add_argument("--checkout", type=Path, default=Path("."), help="the repository (default: here)")
    b.add_argument("--ref", help="build this commit (exported with git archive) instead of the working tree")
    c = sub.add_parser("compare", help="compare two built sites file by file")
    c.add_argument("before", type=Path)
    c.add_argument("after", type=Path)
    args = parser.parse_args(argv)
    if args.command == "build":
        return build(args.checkout, args.out, args.ref)
    return 1 if compare(args.before, args.after) else 0


if __name__ == "__main__":
    sys.exit(main())
