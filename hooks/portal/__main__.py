"""``python -m portal``: the portal's own commands, usable without MkDocs.

    python -m portal validate [--data DIR]
    python -m portal diff BASE_DATA_DIR HEAD_DATA_DIR | --git-base [REF]
    python -m portal new region ID | event --date YYYY-MM-DD SLUG | source ID --url URL
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from . import datadiff, scaffold
from .dataset import load_site
from .problems import DataError, report

ROOT = Path(__file__).resolve().parents[2]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m portal", description=__doc__.splitlines()[0])
    commands = parser.add_subparsers(dest="command", required=True)
    check = commands.add_parser("validate", help="check every data file; print every problem as file:line: field: message")
    check.add_argument("--data", type=Path, default=ROOT / "data", help="the data folder (default: data/)")
    datadiff.add_command(commands, ROOT / "data")
    scaffold.add_command(commands, ROOT / "data")
    args = parser.parse_args(argv)
    if "run" in args:
        return args.run(args)

    if args.command == "validate":
        try:
            site = load_site(args.data)
        except DataError as exc:
            print(report(exc.problems), file=sys.stderr)
            return 1
        if site.warnings:
            print(report(list(site.warnings)), file=sys.stderr)
        print(
            f"data OK: {len(site.regions)} regions, {len(site.countries)} countries, {len(site.sources)} sources, {len(site.events)} events, "
            f"{sum(len(s.observations) for r in (*site.regions.values(), *site.countries.values()) for s in r.figures)} observations"
        )
        return 0
    return 2  # pragma: no cover


if __name__ == "__main__":
    sys.exit(main())
