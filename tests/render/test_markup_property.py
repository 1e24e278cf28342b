"""Property: whatever text an editor writes, no markup of theirs reaches a built file as markup.

Hypothesis draws random strings of markup, quotes, entities and break-outs (``</script>``,
``-->``, ``]]>``, attribute endings) and puts a different one into every text field of every
kind of data file (YAML and GeoJSON) at once; the site is then built (the en and ru editions)
and every file it holds is read as its reader reads it: HTML and the HTML inside the search
index, the feeds and the JSON feed by an HTML parser, XML (feeds, sitemaps) by an XML parser,
JSON, GeoJSON and CSV by their parsers. No element or attribute of the editor's may appear.
Strings the checks refuse (control and invisible characters, names with < > ", TODO:) are never
drawn: those have their own tests (check/test_untrusted_data.py). A few builds, many strings each.
"""

from __future__ import annotations

import csv
import io
import json
import random
import subprocess
import sys
import xml.etree.ElementTree as ET
from html.parser import HTMLParser
from pathlib import Path

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from conftest import ROOT, copy_project
from conftest import build as mkdocs_build

sys.path.insert(0, str(ROOT / "hooks"))
from portal.load.yamlload import load_file  # noqa: E402

CANARY = "data-canary"  # every injected element and attribute carries it
# Break-outs for every context a text can land in: element, attribute (both quotes), comment,
# CDATA, script, style, textarea, a Markdown link, an entity that a careless unescape turns into a tag.
TEXT_PIECES = [
    f"<i {CANARY}>x</i>",
    f'" {CANARY}-attr="1',
    f"' {CANARY}-attr='1",
    f"--><i {CANARY}-comment>",
    f"]]><i {CANARY}-cdata>",
    f"</script><i {CANARY}-script>",
    f"</style><i {CANARY}-style>",
    f"</textarea><i {CANARY}-textarea>",
    f"&lt;i {CANARY}-entity&gt;",
    f"&#60;i {CANARY}-numeric&#62;",
    f"<img src=x onerror=alert(1) {CANARY}-img>",
    "&amp; &quot; &#x27; &nbsp;",
    "*emphasis* `code` _under_ ~strike~ # heading | pipe",
    "{{ config }} {% raw %} ${x} %(num)s {0}",
]
# Names may not hold < > " { } [ ] * _ ` | \ (the schema): their break-outs are single quotes and entities.
NAME_PIECES = [f"' {CANARY}-attr='1", f"&lt;i {CANARY}-entity&gt;", f"&#60;i {CANARY}-numeric&#62;", "&amp; &quot;", "%(num)s $x ~ # ;"]
LETTERS = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789 .,;:!?'()/-=+#&%$@ əğışçöü"
TEXT_FIELDS = {"title", "publisher", "notes", "label", "description", "summary", "reported_as", "note"}
NAME_FIELDS = {"name", "short_name"}
GEO_FIELDS = {"name": NAME_PIECES, "note": TEXT_PIECES, "reference": TEXT_PIECES}


def random_text(rng: random.Random, pieces: list[str]) -> str:
    words = ["".join(rng.choice(LETTERS) for _ in range(rng.randint(1, 12))) for _ in range(rng.randint(1, 4))]
    chosen = rng.sample(pieces, k=rng.randint(1, 3))
    parts = words + chosen
    rng.shuffle(parts)
    text = " ".join(parts).strip()
    # not what the checks refuse on purpose: a Markdown link (its target is checked), a stub
    text = text.replace("](", "] (").replace("TODO:", "TODO")
    return text if text[:1].strip() else "x " + text


def fill(value, rng: random.Random, key=None):
    """Every text field of a parsed data file replaced by a random string (each language's own)."""
    if isinstance(value, dict):
        return {k: fill(v, rng, k if k not in ("en", "az", "ru") else key) for k, v in value.items()}
    if isinstance(value, list):
        return [fill(v, rng, key) for v in value]
    if isinstance(value, str) and key in TEXT_FIELDS:
        return random_text(rng, TEXT_PIECES)
    if isinstance(value, str) and key in NAME_FIELDS:
        return random_text(rng, NAME_PIECES).replace('"', "'")
    return value


def fill_project(project, rng: random.Random) -> None:
    for path in sorted(project.data.rglob("*.yml")):
        rel = path.relative_to(project.root).as_posix()
        data = load_file(path, rel).data
        path.write_text(yaml.safe_dump(fill(data, rng), allow_unicode=True, sort_keys=False, width=10_000), "utf-8")
    for path in sorted((project.data / "geo").glob("*.geojson")):
        layer = json.loads(path.read_text("utf-8"))
        for feature in layer["features"]:
            for key, pieces in GEO_FIELDS.items():
                feature["properties"][key] = random_text(rng, pieces).replace('"', "'") if pieces is NAME_PIECES else random_text(rng, pieces)
        path.write_text(json.dumps(layer, ensure_ascii=False), "utf-8")


class Elements(HTMLParser):
    """Every start tag and attribute an HTML reader (a browser) would see."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.injected: list[str] = []

    def handle_starttag(self, tag, attrs):
        for name, _ in attrs:
            if name.startswith(CANARY) or (tag == "img" and name == "onerror"):
                self.injected.append(f"<{tag} {name}>")

    handle_startendtag = handle_starttag


def injected_in_html(html: str) -> list[str]:
    parser = Elements()
    parser.feed(html)
    parser.close()
    return parser.injected


def strings_of(value):
    if isinstance(value, str):
        yield value
    elif isinstance(value, dict):
        for item in value.values():
            yield from strings_of(item)
    elif isinstance(value, list):
        for item in value:
            yield from strings_of(item)


def problems_of(site: Path) -> tuple[list[str], int]:
    """What an injected string does in each built file, and how many files were read."""
    found: list[str] = []
    read = 0
    for path in sorted(p for p in site.rglob("*") if p.is_file()):
        rel = path.relative_to(site).as_posix()
        suffix = path.suffix
        if suffix not in (".html", ".xml", ".atom", ".json", ".geojson", ".csv", ".txt"):
            continue
        text = path.read_text("utf-8")
        read += 1
        if suffix == ".html":
            found += [f"{rel}: {e}" for e in injected_in_html(text)]
        elif suffix in (".xml", ".atom"):
            root = ET.fromstring(text)  # well-formed, or this raises
            for element in root.iter():
                if any(name.startswith(CANARY) for name in element.attrib) or element.tag.split("}")[-1] == "i":
                    found.append(f"{rel}: an element <{element.tag}> of the editor's")
                # HTML carried as text (Atom content type="html"): read as a feed reader shows it
                if element.get("type") == "html" and element.text:
                    found += [f"{rel}: {e}" for e in injected_in_html(element.text)]
        elif suffix in (".json", ".geojson"):
            data = json.loads(text)  # parses (no Infinity, no NaN), or this raises
            if rel.endswith("search/search_index.json"):
                for doc in data["docs"]:  # Material's search shows text and title as HTML
                    found += [f"{rel}: {e}" for field in ("text", "title") for e in injected_in_html(doc.get(field, ""))]
            elif rel.startswith("feeds/"):
                for item in data.get("items", []):
                    found += [f"{rel}: {e}" for e in injected_in_html(item.get("content_html", ""))]
            else:
                list(strings_of(data))  # plain data: the text as written
        elif suffix == ".csv":
            list(csv.reader(io.StringIO(text)))
    return found, read


def build(project, lang: str) -> subprocess.CompletedProcess:
    return mkdocs_build(project.root, project.root / "site" / ("" if lang == "en" else lang), PORTAL_EDITION=lang)


@settings(max_examples=2, deadline=None, derandomize=True, suppress_health_check=list(HealthCheck))
@given(seed=st.integers(min_value=0, max_value=2**32 - 1))
def test_no_markup_from_any_text_field_reaches_a_built_file(tmp_path_factory, seed):
    # Hypothesis draws the seed; the hundreds of strings of one build come from it (drawing each
    # from Hypothesis would overflow its buffer: every example invalid)
    rng = random.Random(seed)
    project = copy_project(tmp_path_factory.mktemp("markup") / "project")
    fill_project(project, rng)
    planted = sum(project.read(p.relative_to(project.root).as_posix()).count(CANARY) for p in project.data.rglob("*") if p.is_file() and p.suffix in (".yml", ".geojson"))
    assert planted > 100  # every kind of file carries them
    for lang in ("en", "ru"):
        result = build(project, lang)
        assert result.returncode == 0, result.stderr[-3000:]
    found, read = problems_of(project.root / "site")
    assert read > 50
    assert found == []
    # the texts did arrive, as text: escaped in the pages, verbatim in the downloads
    assert CANARY in (project.root / "site" / "data" / "regions.csv").read_text("utf-8")
    assert "&lt;i data-canary&gt;" in (project.root / "site" / "timeline" / "index.html").read_text("utf-8")


def test_the_reader_finds_injected_markup():
    """The check itself: raw markup in any of the file kinds is found."""
    assert injected_in_html(f"<p>{TEXT_PIECES[0]}</p>") == [f"<i {CANARY}>"]
    assert injected_in_html(f'<a title="{TEXT_PIECES[1]}">') == [f"<a {CANARY}-attr>"]
    assert injected_in_html(f"<script>var x = '{TEXT_PIECES[5]}';</script>") == [f"<i {CANARY}-script>"]
    assert injected_in_html(f"<p>&lt;i {CANARY}&gt;</p>") == []


TEXT_PATHS = [  # (file, path to a text field): one of each kind of data file
    ("data/regions/agdam.yml", ("summary", "en")),
    ("data/countries/az.yml", ("name", "az")),
    ("data/sources.yml", ("sources", 0, "title")),
    ("data/actors.yml", ("actors", 0, "name", "en")),
    ("data/figures.yml", ("estimated_mines", "description", "ru")),
    ("data/impacts.yml", ("impacts", 0, "description", "en")),
    ("data/demands.yml", ("demands", 0, "title", "en")),
    ("data/events/2021-06-12-agdam-maps-handover.yml", ("summary", "en")),
]
# (U+0085, NEXT LINE, is a line break to YAML: it never reaches a value)
CONTROL = st.sampled_from([chr(c) for c in [*range(0x00, 0x09), 0x0B, 0x0C, *range(0x0E, 0x20), *range(0x7F, 0xA0)] if c != 0x85])


@settings(max_examples=12, deadline=None, derandomize=True, suppress_health_check=list(HealthCheck))
@given(where=st.sampled_from(TEXT_PATHS), char=CONTROL, before=st.text(alphabet="abc <>&\"'", min_size=1, max_size=8))
def test_a_control_character_in_any_text_field_is_refused_and_named(tmp_path_factory, where, char, before):
    """Control characters cannot be published (XML cannot hold them): refused, by code point."""
    import shutil

    from portal.model.site import load_site
    from portal.problems import DataError

    rel, path = where
    root = tmp_path_factory.mktemp("control")
    shutil.copytree(ROOT / "data", root / "data")  # validation reads data/ only
    data = load_file(root / rel, rel).data
    holder = data
    for step in path[:-1]:
        holder = holder[step]
    assert isinstance(holder[path[-1]], str), f"{rel}: {path} is no longer a text field; point TEXT_PATHS at one"
    holder[path[-1]] = f"x{before}{char}y"
    (root / rel).write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False, width=10_000), "utf-8")
    with pytest.raises(DataError) as caught:
        load_site(root / "data")
    field = ".".join(str(p) if isinstance(p, str) else f"[{p}]" for p in path).replace(".[", "[")
    messages = [p.message for p in caught.value.problems if p.file == rel and p.field == field]
    assert any(m.startswith(f"contains a control character, U+{ord(char):04X}") for m in messages), caught.value.problems
