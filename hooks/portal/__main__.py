"""``python -m portal``: the portal's own commands, usable without MkDocs.

    python -m portal validate [--data DIR] [--content DIR] [--config mkdocs.yml] [--translations | --no-translations]
    python -m portal export --out DIR [--lang en|az|ru] [--site-url URL] [--data DIR] [--content DIR]
    python -m portal diff BASE_DATA_DIR HEAD_DATA_DIR | --git-base [REF]
    python -m portal new region ID | event --date YYYY-MM-DD SLUG | source ID --url URL
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from portal.commands import datadiff, export, scaffold
from portal.i18n import translations
from portal.i18n.i18n import DEFAULT, EDITIONS, NAMES, missing_messages
from portal.inputs import check_inputs
from portal.load.siteconfig import read_config
from portal.problems import count, report

ROOT = Path(__file__).resolve().parents[2]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m portal", description=__doc__.splitlines()[0])
    commands = parser.add_subparsers(dest="command", required=True)
    check = commands.add_parser("validate", help="check every data file, page, catalogue and configuration value; print every problem as file:line: field: message")
    check.add_argument("--data", type=Path, default=ROOT / "data", help="the data folder (default: data/)")
    check.add_argument("--content", type=Path, default=ROOT / "content", help="the hand-written pages (default: content/)")
    check.add_argument("--config", type=Path, default=ROOT / "mkdocs.yml", help="the site's configuration (default: mkdocs.yml)")
    listing = check.add_mutually_exclusive_group()
    listing.add_argument("--translations", action="store_true", help="list every text and page that lacks an az or ru translation, one line each (make validate TRANSLATIONS=1)")
    listing.add_argument("--no-translations", action="store_true", help="say nothing about missing translations (not even the one line per edition)")
    out = commands.add_parser(
        "export",
        help="write the pages (Markdown) and files made from the data into an empty folder, without MkDocs",
        description=export.__doc__.split("\n\n")[1].replace("\n", " "),
    )
    out.add_argument("--out", type=Path, required=True, help="an empty or new folder")
    out.add_argument("--lang", choices=EDITIONS, default=DEFAULT, help="the language edition (default: en)")
    out.add_argument("--site-url", default="http://127.0.0.1:8000/", help="the published site's address, for the feeds and the downloads' links")
    out.add_argument("--data", type=Path, default=ROOT / "data", help="the data folder (default: data/)")
    out.add_argument("--content", type=Path, default=ROOT / "content", help="the hand-written pages (default: content/)")
    datadiff.add_command(commands, ROOT / "data")
    scaffold.add_command(commands, ROOT / "data")
    args = parser.parse_args(argv)
    if "run" in args:
        return args.run(args)

    if args.command == "validate":
        config = read_config(args.config)
        checked = check_inputs(args.data, args.content, config if isinstance(config, dict) else None)
        if isinstance(config, str):
            checked.errors.insert(0, config)
        if not checked.ok:
            print(checked.message(), file=sys.stderr)
            return 1
        site = checked.site
        if site.warnings:
            print(report(list(site.warnings)), file=sys.stderr)
        if not args.no_translations:
            _report_translations(args.data, args.content, args.translations)
        observations = sum(len(s.observations) for r in (*site.regions.values(), *site.countries.values()) for s in r.figures)
        counts = [count(len(site.regions), "region", "regions"), count(len(site.countries), "country", "countries"), count(len(site.sources), "source", "sources"), count(len(site.events), "event", "events"), count(observations, "observation", "observations")]
        print(f"data OK: {', '.join(counts)}")
        return 0
    if args.command == "export":
        try:
            written = export.export(args.data, args.content, args.out, args.lang, args.site_url)
        except export.ExportError as exc:
            print(str(exc), file=sys.stderr)
            print("nothing was exported", file=sys.stderr)
            return 1
        pages = sum(1 for path in written if path.endswith(".md"))
        print(f"exported the {NAMES[args.lang]} edition into {args.out}: {pages} pages (Markdown) and {len(written) - pages} files")
        return 0
    return 2  # pragma: no cover


def _report_translations(data: Path, content: Path, full: bool) -> None:
    """Missing translations are warnings: the editions show English, with a note, meanwhile.
    One line per edition, or every text and page with ``--translations``."""
    strings = {lang: missing_messages(lang) for lang in EDITIONS if lang != DEFAULT}
    lines = translations.report(data, content if content.is_dir() else None, strings, full=full)
    if lines:  # in one write: hundreds of thousands of lines for English-only data of 10,000 regions
        sys.stderr.write("".join(f"{line}\n" for line in lines))
        sys.stderr.flush()


def run(argv: list[str] | None = None) -> int:
    """``main``, with an unexpected exception (a bug) said in one line instead of a traceback:
    an unreadable data file is already reported as ``file: could not be read: …``."""
    try:
        return main(argv)
    except Exception as exc:  # noqa: BLE001
        print(f"python -m portal: unexpected error ({type(exc).__name__}: {exc}); this is a bug in the portal, not a mistake in your files: please report it", file=sys.stderr)
        return 2


if __name__ == "__main__":
    sys.exit(run())
