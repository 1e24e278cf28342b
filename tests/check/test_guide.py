"""The editors' guide's worked examples (content/data-format.md) are real: each, dropped into a
copy of data/ as the guide says, passes validation and does what the guide says it does.

The examples are read from the guide itself: every ```yaml block whose first line is a comment
naming a file (``# new file: data/…``, ``# add at the end of data/…``, ``# in data/…, before`` /
``after``), so the text an editor copies is the text tested."""

from __future__ import annotations

import itertools
import re
from dataclasses import dataclass

import pytest

from conftest import ROOT
from portal.i18n import translations
from portal.model.site import load_site
from portal.problems import DataError

GUIDE = ROOT / "content" / "data-format.md"
_BLOCK = re.compile(r"^```yaml\n(?P<body>.*?)^```$", re.M | re.S)
_HEAD = re.compile(r"# (?:(?P<new>new file): (?P<new_path>data/\S+)|add at the end of (?P<add_path>data/\S+)|in (?P<in_path>data/[^,\s]+), (?P<when>before|after))\s*$")


@dataclass
class Example:
    action: str  # "new", "add", "before" or "after"
    path: str
    text: str  # the block without its first (naming) line


def examples() -> list[Example]:
    out = []
    for block in _BLOCK.finditer(GUIDE.read_text("utf-8")):
        first, _, rest = block.group("body").partition("\n")
        head = _HEAD.fullmatch(first)
        if not head:
            continue
        if head.group("new"):
            out.append(Example("new", head.group("new_path"), rest))
        elif head.group("add_path"):
            out.append(Example("add", head.group("add_path"), rest))
        else:
            out.append(Example(head.group("when"), head.group("in_path"), rest))
    return out


def test_the_guide_has_an_example_of_each_common_change():
    kinds = [(e.action, e.path.split("/")[1]) for e in examples()]
    assert ("add", "sources.yml") in kinds  # a new source
    assert ("new", "events") in kinds  # a new event with a figure
    assert ("before", "regions") in kinds and ("after", "regions") in kinds  # a correction of a figure
    assert ("before", "events") in kinds and ("after", "events") in kinds  # a translation
    new_event = next(e for e in examples() if e.action == "new")
    assert "figures:" in new_event.text and "effect:" in new_event.text


def _entry_lines(text: str, ident: str) -> tuple[int, int]:
    """The lines [start, end) of the list entry ``- id: ident`` in a file such as sources.yml."""
    lines = text.split("\n")
    start = lines.index(f"- id: {ident}")
    end = next((i for i in range(start + 1, len(lines)) if lines[i].startswith("- ")), len(lines))
    while end > start and not lines[end - 1].strip():
        end -= 1
    return start, end


@pytest.fixture
def without_the_examples(project):
    """A copy of data/ without what the guide's "new" examples add (they are the portal's own facts)."""
    for example in examples():
        if example.action == "new":
            (project.root / example.path).unlink(missing_ok=True)
        elif example.action == "add":
            ident = re.search(r"^- id: (\S+)$", example.text, re.M).group(1)
            text = project.read(example.path)
            if f"- id: {ident}\n" in text:
                start, end = _entry_lines(text, ident)
                lines = text.split("\n")
                project.write(example.path, "\n".join(lines[:start] + lines[end:]))
    return project


def test_the_new_source_and_the_new_event_validate_when_added(without_the_examples):
    project = without_the_examples
    with pytest.raises(DataError):  # other files cite the source: without it the data is broken
        load_site(project.data)
    for example in examples():
        if example.action == "add":
            project.write(example.path, project.read(example.path).rstrip("\n") + "\n\n" + example.text)
        elif example.action == "new":
            project.write(example.path, example.text)
    site = load_site(project.data)
    event = next(e for e in examples() if e.action == "new")
    ident = re.search(r"^id: (\S+)$", event.text, re.M).group(1)
    added = next(e for e in site.events if e.id == ident)
    assert added.figures and added.demands
    assert [str(p) for p in site.warnings if p.severity != "note"] == []


def _pairs() -> list[tuple[Example, Example]]:
    found = examples()
    return [(a, b) for a, b in itertools.pairwise(found) if a.action == "before" and b.action == "after" and a.path == b.path]


def test_the_correction_example_warns_before_and_is_clean_after(project):
    before, after = next((a, b) for a, b in _pairs() if "/regions/" in a.path)
    text = project.read(after.path)
    assert after.text in text, "the corrected lines are the region file's own"
    project.write(after.path, text.replace(after.text, before.text, 1))
    warned = [str(p) for p in load_site(project.data).warnings if p.severity == "warning"]
    quoted = re.search(r"warns, at the line of the value:\n`(?P<message>[^`]+)`", GUIDE.read_text("utf-8")).group("message")
    assert len(warned) == 1 and quoted in warned[0], (quoted, warned)
    # what the pull request's summary says of the correction, as the guide quotes it
    import shutil

    from portal.commands.datadiff import summarise

    base = project.root / "base-data"
    shutil.copytree(project.data, base)
    project.write(after.path, text)
    assert [p for p in load_site(project.data).warnings if p.severity == "warning"] == []
    summary, _ = summarise(base, project.data)
    quoted = re.search(r"The check's summary then shows\n`(?P<line>[^`]+)`", GUIDE.read_text("utf-8")).group("line")
    old, new = (part.replace("(…)", "").strip() for part in quoted.split("→"))
    assert any(line.strip().startswith(f"- {old}") and f"→ {new}" in line for line in summary.splitlines()), (quoted, summary)


def test_the_translation_example_removes_its_missing_translations(project):
    before, after = next((a, b) for a, b in _pairs() if "/events/" in a.path)
    event = next(e for e in examples() if e.action == "new" and e.path == before.path)
    project.write(event.path, event.text)
    assert before.text in event.text
    field = before.text.split(":", 1)[0]
    missing = [line for line in translations.missing_in_data(project.data) if line.startswith(f"{event.path}:") and f": {field}: " in line]
    assert len(missing) == 2  # az and ru
    project.write(event.path, event.text.replace(before.text, after.text, 1))
    site = load_site(project.data)
    ident = re.search(r"^id: (\S+)$", event.text, re.M).group(1)
    title = next(e for e in site.events if e.id == ident).title
    assert {lang: title.get(lang) for lang in ("en", "az", "ru")} == {
        lang: re.search(rf'^  {lang}: "(.*)"$', after.text, re.M).group(1) for lang in ("en", "az", "ru")
    }
    assert not [line for line in translations.missing_in_data(project.data) if line.startswith(f"{event.path}:") and f": {field}: " in line]
