"""Page weight: what a reader's browser downloads on a first visit, gzipped.

    .venv/bin/python bench/page_weight.py [--out bench/PAGE_WEIGHT.md]

Builds the site with its own address as site_url, serves it on 127.0.0.1, opens each page kind
in headless Chromium (Playwright) with an empty cache, records every request the page makes
(HTML, scripts, styles, fonts, images, the map's GeoJSON, the search index), and adds up the
gzip -6 size of each file. Tiles are never loaded by default, so they are not counted.

Budgets (issue 3): a region page with its map at most 150 KB; the overview map's data at most
50 KB. This is a benchmark, not a test: it reports, it does not fail the test suite.
"""

from __future__ import annotations

import argparse
import datetime as dt
import functools
import gzip
import http.server
import platform
import subprocess
import sys
import tempfile
import threading
from pathlib import Path
from urllib.parse import urlparse

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tests"))
from helpers import CHROMIUM, free_port  # noqa: E402 - tests/helpers.py, shared with the browser tests

PAGES = {
    "home": "",
    "regions index": "regions/",
    "region (Agdam)": "regions/agdam/",
    "region (Ağdam, az edition)": "az/regions/agdam/",
    "region (Агдам, ru edition)": "ru/regions/agdam/",
    "sources": "sources/",
}
# Issue 7: a region page with its map at most 150 KB, the home page at most 250 KB (every edition).
BUDGETS = {"home": 250_000, "region (Agdam)": 150_000, "region (Ağdam, az edition)": 150_000, "region (Агдам, ru edition)": 150_000}
MAP_DATA_BUDGET = 50_000
NOTES = "## Notes"  # the hand-written part of the results file, which a rerun keeps


class Quiet(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args):
        pass


def gz(path: Path) -> int:
    return len(gzip.compress(path.read_bytes(), compresslevel=6))


def first_visits(site: Path, base: str, pages: dict[str, str]) -> list[tuple]:
    """Serve ``site`` (built with ``base`` as its site_url) at ``base`` and open each page of
    ``pages`` (kind -> path) in headless Chromium with an empty cache: for each, (kind, path,
    requests, gzipped bytes in all, of which map data, requests to other hosts, [(url, local file)])."""
    from playwright.sync_api import sync_playwright

    port = urlparse(base).port
    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", port), functools.partial(Quiet, directory=str(site)))
    threading.Thread(target=httpd.serve_forever, daemon=True).start()
    rows = []
    try:
        with sync_playwright() as p:
            browser = p.chromium.launch(executable_path=CHROMIUM, headless=True, args=["--no-sandbox", "--disable-background-networking"])
            for kind, path in pages.items():
                context = browser.new_context()
                page = context.new_page()
                urls: list[str] = []
                page.on("request", lambda r, urls=urls: urls.append(r.url))
                page.goto(base + path)
                page.wait_for_load_state("networkidle")
                page.wait_for_timeout(500)
                files = []
                for url in dict.fromkeys(urls):
                    parsed = urlparse(url)
                    if parsed.netloc != urlparse(base).netloc:
                        files.append((url, None))
                        continue
                    local = site / parsed.path.lstrip("/")
                    if local.is_dir():
                        local = local / "index.html"
                    files.append((url, local if local.exists() else None))
                total = sum(gz(f) for _, f in files if f)
                map_data = sum(gz(f) for u, f in files if f and (f.suffix == ".geojson" or "/map/" in u))
                foreign = [u for u, f in files if f is None]
                rows.append((kind, path, len(files), total, map_data, foreign, files))
                context.close()
            browser.close()
    finally:
        httpd.shutdown()
    return rows


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=ROOT / "bench" / "PAGE_WEIGHT.md")
    args = parser.parse_args()
    base = f"http://127.0.0.1:{free_port()}/"
    site = Path(tempfile.mkdtemp())
    env = {"SITE_URL": base, "NO_MKDOCS_2_WARNING": "1", "PATH": "/usr/bin:/bin", "PYTHONPATH": str(ROOT / "hooks")}
    for lang in ("en", "az", "ru"):  # every edition, as `make build` does
        dest = site if lang == "en" else site / lang
        subprocess.run([sys.executable, "-m", "mkdocs", "build", "-q", "-f", str(ROOT / "mkdocs.yml"), "-d", str(dest)], check=True, env={**env, "PORTAL_EDITION": lang}, cwd=ROOT)
    rows = first_visits(site, base, PAGES)

    lines = [
        "# Page weight on a first visit (gzip -6, without map tiles)",
        "",
        f"Measured {dt.date.today().isoformat()} on {platform.node()} ({platform.machine()}, Python {platform.python_version()}),",
        "by `.venv/bin/python bench/page_weight.py` (headless Chromium, empty cache, every request of the page).",
        "",
        "| page | requests | transferred (gzip) | of which map data (/map/, .geojson) | budget |",
        "|---|---:|---:|---:|---|",
    ]
    for kind, path, n, total, map_data, foreign, _ in rows:
        budget = BUDGETS.get(kind)
        verdict = f"{budget / 1000:.0f} KB: {'met' if total <= budget else 'MISSED'}" if budget else ""
        if map_data:
            verdict += f"{'; ' if verdict else ''}map data {MAP_DATA_BUDGET / 1000:.0f} KB: {'met' if map_data <= MAP_DATA_BUDGET else 'MISSED'}"
        lines.append(f"| {kind} (`/{path}`) | {n} | {total / 1000:.1f} KB | {map_data / 1000:.1f} KB | {verdict} |")
        if foreign:
            lines.append(f"| requests to other hosts | {len(foreign)} | {', '.join(foreign)} | | |")
    for kind, _path, _n, _total, _map_data, _foreign, files in rows:
        if kind.startswith("region ("):
            lines += ["", f"Requests of the {kind} page:", ""]
            for url, f in files:
                lines.append(f"- `{urlparse(url).path}`: {gz(f) / 1000:.1f} KB" if f else f"- {url}: other host")
    # What was measured and decided before: kept below the new figures, from NOTES on.
    previous = args.out.read_text("utf-8") if args.out.exists() else ""
    if NOTES in previous:
        lines += ["", previous[previous.index(NOTES) :].rstrip("\n")]
    args.out.write_text("\n".join(lines) + "\n", "utf-8")
    print("\n".join(lines))
    return 0


if __name__ == "__main__":
    sys.exit(main())
