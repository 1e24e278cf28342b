"""Build every language edition into one site folder, which replaces the old one only when all
three are built (`make build`):

    PYTHONPATH=hooks python -m portal.tools.build_site [SITE_DIR] [-f mkdocs.yml]

English goes at the folder's root, the other editions under ``<lang>/``, each by its own strict
``mkdocs build`` (Material's pattern for multilingual sites), into a hidden folder beside
SITE_DIR (default ``site``). If any edition fails, that folder is removed and SITE_DIR is left
exactly as it was; otherwise it takes SITE_DIR's place in one swap (portal.glue.atomic). Exit
status 1 names the edition that failed; MkDocs has printed why just above.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
from pathlib import Path

from portal.glue import atomic
from portal.i18n.i18n import DEFAULT, EDITIONS


def build(site_dir: Path, config_file: Path, strict: bool = True) -> int:
    partial = atomic.partial_dir(str(site_dir))
    try:
        for lang in (DEFAULT, *(e for e in EDITIONS if e != DEFAULT)):
            print(f"Building the {lang} edition", file=sys.stderr, flush=True)
            target = partial if lang == DEFAULT else os.path.join(partial, lang)
            command = [sys.executable, "-m", "mkdocs", "build", "-f", str(config_file), "-d", target]
            if strict:
                command.insert(4, "--strict")
            result = subprocess.run(command, env={**os.environ, "PORTAL_EDITION": lang}, cwd=config_file.parent)
            if result.returncode != 0:
                print(f"The {lang} edition failed (above): {site_dir} was left as it was.", file=sys.stderr)
                return 1
        atomic.replace(partial, str(site_dir))
    finally:
        atomic.discard(partial)  # gone already when it replaced the site
    print(f"Built {', '.join(EDITIONS)} into {site_dir}", file=sys.stderr)
    return 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m portal.tools.build_site", description=__doc__.splitlines()[0])
    parser.add_argument("site_dir", nargs="?", type=Path, default=Path("site"), help="the site folder (default: site)")
    parser.add_argument("-f", "--config-file", type=Path, default=Path("mkdocs.yml"), help="the MkDocs configuration (default: mkdocs.yml)")
    args = parser.parse_args(argv)
    return build(args.site_dir.resolve(), args.config_file.resolve())


if __name__ == "__main__":
    sys.exit(main())
