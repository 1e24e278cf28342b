"""The fast paths of loading and validation give the same results as the slow ones (issue 7).

Behaviour only, never timings: the compiled schema check never accepts what jsonschema rejects,
the YAML loader leaves no reference cycle behind, and a load split over two processes reports
the same problems, in the same order, and builds the same model as a load in one."""

from __future__ import annotations

import gc
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import ROOT, english_only
from portal.check import schemacheck
from portal.load.yamlload import load_file
from portal.model.site import load_site

SCHEMAS = str(ROOT / "data" / "schemas")
SAMPLES = {
    "region": "data/regions/agdam.yml",
    "country": "data/countries/az.yml",
    "event": sorted((ROOT / "data" / "events").glob("*.yml"))[0].relative_to(ROOT).as_posix(),
    "sources": "data/sources.yml",
    "actors": "data/actors.yml",
    "figures": "data/figures.yml",
    "impacts": "data/impacts.yml",
    "demands": "data/demands.yml",
}
# Values put in place of every value of a sample file, one at a time.
REPLACEMENTS = [True, False, 0, 1, 1900, 1.0, 1.5, -1, "", " ", "x", "2021-13-01", "2021-06-12\n", "all", None, [], ["x", "x"], [1], {}, {"en": ""}]


def _paths(value, path=()):
    yield path
    if isinstance(value, dict):
        for key, item in value.items():
            yield from _paths(item, path + (key,))
    elif isinstance(value, list):
        for i, item in enumerate(value):
            yield from _paths(item, path + (i,))


def _replaced(value, path, new):
    if not path:
        return new
    copy = json.loads(json.dumps(value))
    target = copy
    for part in path[:-1]:
        target = target[part]
    target[path[-1]] = new
    return copy


@pytest.mark.parametrize("schema", sorted(SAMPLES))
def test_the_compiled_check_never_accepts_what_jsonschema_rejects(schema):
    fast = schemacheck.fast_validator(schema, SCHEMAS)
    if fast is None:
        pytest.skip(f"{schema}: checked by jsonschema alone")
    slow = schemacheck.validator(schema, SCHEMAS)
    data = load_file(ROOT / SAMPLES[schema], SAMPLES[schema]).data
    compared = 0
    for path in list(_paths(data)):
        for new in REPLACEMENTS:
            value = _replaced(data, path, new)
            try:
                fast(value)
            except Exception:
                continue  # rejected: iter_errors runs and explains, as before
            compared += 1
            assert not list(slow.iter_errors(value)), f"{schema}: {path} = {new!r} passes the compiled check only"
    assert compared


def test_every_schema_but_the_unusual_ones_gets_a_compiled_check():
    compiled = [name for name in SAMPLES if schemacheck.fast_validator(name, SCHEMAS) is not None]
    assert {"region", "event", "country"} <= set(compiled)  # the thousands of files
    assert "demands" in compiled  # its const is compiled as a one-item enum


@pytest.mark.parametrize("schema", sorted(SAMPLES))
def test_the_compiled_check_without_details_decides_as_the_detailed_one(schema):
    """fast_validator compiles without detailed exceptions (and each const as an enum): it
    accepts and rejects exactly what fastjsonschema's default compilation does."""
    import fastjsonschema

    fast = schemacheck.fast_validator(schema, SCHEMAS)
    detailed = dict(schemacheck._inlined(schema, SCHEMAS), **{"$schema": "http://json-schema.org/draft-07/schema#"})
    detailed.pop("$defs", None)
    detailed = fastjsonschema.compile(detailed, use_default=False, use_formats=False)
    data = load_file(ROOT / SAMPLES[schema], SAMPLES[schema]).data
    rejected = 0
    for path in list(_paths(data))[:150]:  # the first entries of each file hold every kind of field
        for new in [*REPLACEMENTS, "al", "all "]:
            value = _replaced(data, path, new)
            verdicts = []
            for check in (fast, detailed):
                try:
                    check(value)
                    verdicts.append(True)
                except fastjsonschema.JsonSchemaValueException:
                    verdicts.append(False)
            assert verdicts[0] == verdicts[1], f"{schema}: {path} = {new!r}: compiled without details {verdicts[0]}, with {verdicts[1]}"
            rejected += not verdicts[0]
    assert rejected


def test_loading_leaves_the_garbage_collector_as_it_was():
    assert gc.isenabled()
    load_site(ROOT / "data")
    assert gc.isenabled()
    gc.disable()
    try:
        load_site(ROOT / "data")
        assert not gc.isenabled()
    finally:
        gc.enable()


def test_the_yaml_loader_leaves_no_reference_cycle():
    gc.collect()
    gc.disable()
    try:
        for path in sorted((ROOT / "data" / "regions").glob("*.yml")):
            load_file(path, path.name)
        assert gc.collect() == 0
    finally:
        gc.enable()


def _break(project) -> None:
    """Mistakes in several files of every folder, and a stray file."""
    project.replace("data/regions/agdam.yml", "value: 40", "value: 140")
    project.replace("data/regions/fuzuli.yml", "iso: AZ-FUZ", "iso: AZ-ZZZ")
    project.replace("data/countries/az.yml", "      date_approximate: true", "      date_approximate: yes")
    events = sorted((project.data / "events").glob("*.yml"))
    first, last = events[0].relative_to(project.root).as_posix(), events[-1].relative_to(project.root).as_posix()
    project.write(first, project.read(first).replace("\nkind: ", "\nkind: nonsense-", 1))
    project.write(last, project.read(last) + "extra: field\n")
    project.write("data/regions/notes.txt", "a stray file\n")
    project.write("data/regions/broken.yml", "id: [broken\n")


# Run in a fresh process: the parallel load forks only when no other thread runs, which a
# test process (browsers, servers of other tests) cannot promise.
COMPARE = r"""
import json, os, sys
from pathlib import Path
from portal.load import discovery
from portal.model.site import load_site
from portal.problems import DataError
forks = []
real_fork = os.fork
os.fork = lambda: forks.append(1) or real_fork()
def run(threshold):
    discovery.PARALLEL_MIN_FILES = threshold
    try:
        return load_site(Path(sys.argv[1])), []
    except DataError as exc:
        return None, [str(p) for p in exc.problems]
serial = run(10**9)
parallel = run(0)
print(json.dumps({"can_fork": discovery._can_fork(), "forks": len(forks), "problems": serial[1], "same_problems": serial[1] == parallel[1],
                  "same_site": serial[0] == parallel[0], "site": serial[0] is not None}))
"""


def _compare(data: Path, hooks: Path) -> dict:
    env = {**os.environ, "PYTHONPATH": str(hooks)}
    result = subprocess.run([sys.executable, "-c", COMPARE, str(data)], env=env, capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, result.stderr
    out = json.loads(result.stdout.strip().splitlines()[-1])
    if not out["can_fork"]:
        pytest.skip("no second core or no fork() here: the load never forks")
    assert out["forks"] == 1, "the parallel load did not fork"
    return out


def test_a_load_on_two_processes_reports_what_a_load_on_one_does(project):
    _break(project)
    out = _compare(project.data, project.root / "hooks")
    assert out["same_problems"]
    found = out["problems"]
    assert any("agdam.yml" in p for p in found) and any("broken.yml" in p for p in found) and any("notes.txt" in p for p in found)


def test_a_load_on_two_processes_builds_the_same_site():
    out = _compare(ROOT / "data", ROOT / "hooks")
    assert out["site"] and out["same_site"]


# Run in a fresh process, as COMPARE above.
COMPARE_REPORT = r"""
import json, os, sys
from pathlib import Path
from portal.load import forking
from portal.i18n import translations
forks = []
real_fork = os.fork
os.fork = lambda: forks.append(1) or real_fork()
translations.PARALLEL_MIN_FILES = 10**9
serial = translations.missing_in_data(Path(sys.argv[1]))
translations.PARALLEL_MIN_FILES = 0
parallel = translations.missing_in_data(Path(sys.argv[1]))
print(json.dumps({"can_fork": forking.can_fork(), "forks": len(forks), "serial": serial, "same": serial == parallel}))
"""


def test_the_translation_report_on_two_processes_is_the_report_on_one(project):
    english_only(project)  # the sample is translated: one text left in English gives the report a line
    env = {**os.environ, "PYTHONPATH": str(ROOT / "hooks")}
    result = subprocess.run([sys.executable, "-c", COMPARE_REPORT, str(project.data)], env=env, capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, result.stderr
    out = json.loads(result.stdout.strip().splitlines()[-1])
    if not out["can_fork"]:
        pytest.skip("no second core or no fork() here: the report never forks")
    assert out["forks"] == 1 and out["same"]
    assert any(line.startswith("data/regions/agdam.yml:") and "no az (Azərbaycanca) translation" in line for line in out["serial"])
