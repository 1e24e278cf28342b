"""The two readers that stand in for MkDocs's own in ``python -m portal validate``
(portal.load.siteconfig for mkdocs.yml, portal.load.frontmatter for a page's front matter) read
what MkDocs 1.6 reads: compared here with MkDocs's functions, which the build uses."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from mkdocs.utils import meta
from mkdocs.utils.yaml import yaml_load

from conftest import ROOT
from portal.load import frontmatter, yamlload
from portal.load.siteconfig import Tagged, read_config

PAGES = sorted(ROOT.glob("content/**/*.md"))


def _mkdocs_config(path, monkeypatch, env: dict[str, str]) -> dict:
    for name in ("SITE_URL", "PORTAL_EDITION", "PORTAL_REPOSITORY_URL"):
        monkeypatch.delenv(name, raising=False)
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    with open(path, "rb") as fp:
        return yaml_load(fp)


def _without_functions(value):
    """The toc's slugify is a function for MkDocs (PyYAML runs the tag) and a Tagged value here."""
    if isinstance(value, dict):
        return {k: _without_functions(v) for k, v in value.items() if not callable(v) and not isinstance(v, Tagged)}
    if isinstance(value, list):
        return [_without_functions(v) for v in value]
    return value


@pytest.mark.parametrize("env", [{}, {"SITE_URL": "https://example.org/portal/", "PORTAL_EDITION": "az"}, {"SITE_URL": "123", "PORTAL_REPOSITORY_URL": "true"}, {"SITE_URL": ""}])
def test_mkdocs_yml_reads_as_mkdocs_reads_it(monkeypatch, env):
    expected = _mkdocs_config(ROOT / "mkdocs.yml", monkeypatch, env)
    ours = read_config(ROOT / "mkdocs.yml")
    assert isinstance(ours, dict), ours
    assert ours.keys() == expected.keys()
    assert _without_functions(ours) == _without_functions(expected)
    assert ours["site_url"] == expected["site_url"] and ours["extra"] == expected["extra"] and ours["nav"] == expected["nav"]
    slugify = ours["markdown_extensions"][0]["toc"]["slugify"]
    assert slugify == Tagged("!!python/object/apply:pymdownx.slugs.slugify", {"kwds": {"case": "lower"}})  # named, never run


def test_env_tags_and_inherit_read_as_mkdocs_reads_them(tmp_path, monkeypatch):
    (tmp_path / "base.yml").write_text("site_name: Base\nextra:\n  portal:\n    branch: main\n    map: {tiles: {enabled: false}}\nnav: [a.md]\n", "utf-8")
    child = tmp_path / "mkdocs.yml"
    child.write_text(
        "INHERIT: base.yml\nsite_url: !ENV [FIRST, SECOND, 'https://default.example/']\ncopyright: !ENV NOT_SET\n"
        "site_description: !ENV [DESCRIPTION, 7]\nextra:\n  portal:\n    repository: !ENV SECOND\nnav: [b.md]\n", "utf-8")
    seen = []
    for env in ({}, {"SECOND": "https://second.example/"}, {"FIRST": "null", "DESCRIPTION": "yes"}):
        for name in ("FIRST", "SECOND", "DESCRIPTION", "NOT_SET"):
            monkeypatch.delenv(name, raising=False)
        expected = _mkdocs_config(child, monkeypatch, env)
        assert read_config(child) == expected, env
        seen.append((expected["site_url"], expected["site_description"], expected["extra"]["portal"]["repository"]))
    assert seen == [("https://default.example/", 7, None), ("https://second.example/", 7, "https://second.example/"), (None, True, None)]
    assert expected["nav"] == ["b.md"] and expected["extra"]["portal"]["map"] == {"tiles": {"enabled": False}}  # inherited, merged


def test_a_config_that_cannot_be_read_says_where(tmp_path):
    path = tmp_path / "mkdocs.yml"
    path.write_text("site_name: x\nnav:\n  - a: a.md\n   b: b.md\n", "utf-8")
    assert read_config(path).startswith("mkdocs.yml:4: YAML syntax error: line 4 is indented 3 spaces, but the fields of this list item are indented 4")
    path.write_text("site_name: x\nextra: !relative $nowhere/x\n", "utf-8")
    assert read_config(path) == "mkdocs.yml:2: could not be read: Unknown prefix '$nowhere' in !relative '$nowhere/x'"
    path.write_text("site_name: !include other.yml\n", "utf-8")
    assert read_config(path) == "mkdocs.yml:1: could not be read: could not determine a constructor for the tag '!include'"
    path.write_text("INHERIT: missing.yml\n", "utf-8")
    assert read_config(path) == f"mkdocs.yml: INHERIT: the file 'missing.yml' does not exist (looked for {tmp_path / 'missing.yml'})"
    path.write_text("INHERIT: mkdocs.yml\n", "utf-8")
    assert read_config(path) == "mkdocs.yml: INHERIT: 'mkdocs.yml' inherits from this file again"
    path.write_bytes(b"site_name: x\nsite_description: \xff\n")
    assert read_config(path) == "mkdocs.yml:2: the file is not UTF-8 text (byte 0xff); save it with UTF-8 encoding"
    path.write_text("site_name: !ENV {a: 1}\n", "utf-8")
    assert read_config(path) == "mkdocs.yml:1: could not be read: !ENV expects a variable's name or a list [NAME, default], but found mapping"
    path.write_text("- a\n- b\n", "utf-8")
    assert read_config(path) == "mkdocs.yml: could not be read: not key: value lines"
    assert read_config(tmp_path / "none.yml").startswith("none.yml: could not be read: ")
    path.write_text("markdown_extensions:\n  - pymdownx.snippets:\n      base_path: !relative $config_dir\n", "utf-8")
    assert read_config(path)["markdown_extensions"][0]["pymdownx.snippets"]["base_path"] == Tagged("!relative", "$config_dir")


def _ours(text: str):
    """What the portal reads as the page's front matter: (fenced YAML, unfenced key: value lines),
    or "empty" for an empty block (no metadata; the build leaves it out of the page)."""
    if frontmatter.empty_block(text) is not None:
        return "empty"
    block = frontmatter.FENCED.match(text)
    if block is None:
        return None, frontmatter.unfenced(text)
    loaded = yamlload.load_text("\n" + block.group(1), yamlload.Loaded(file="page.md"))
    # the portal refuses what is not key: value lines (MkDocs reads it as no front matter)
    return (loaded.data if not loaded.problems and isinstance(loaded.data, dict) else "refused"), None


def _mkdocs(text: str):
    block = meta.YAML_RE.match(text)
    _, data = meta.get_data(text)
    return (data, None) if block is not None else (None, data)


@pytest.mark.parametrize("page", PAGES, ids=lambda p: p.name)
def test_every_page_s_front_matter_reads_as_mkdocs_reads_it(page):
    text = page.read_text("utf-8-sig")
    assert _ours(text) == _mkdocs(text)


EDGES = [
    "# Title\n", "", "\n", "---\ntitle: T\n---\n# T\n", "---  \ntitle: T\n...\n\n# T\n", "---\t\ntitle: T\n---\t\nbody",
    "---\ntitle: T\n", "\n---\ntitle: T\n---\n", "Title: About\n\n# About\n", "title: a\n    continued\n\tand more\nTitle: again\n\n",
    "   key_1-2: v\nnot a key\nx: y\n", "    indented: no\n", "a:b\n", "Title:\n", "---\n---\n", "---\n\n---\n# x\n",
    "---\ntitle: T\n---\nsearch:\n  exclude: true\n---\n", "title: T\r\ndescription: D\r\n\r\nbody",
    # empty blocks: no metadata (MkDocs leaves the lines in the page; the build leaves them out)
    "---\n---\n# x\n", "---\n...\n\n# x\n", "---\n\n\n---\n", "---\n# a comment\n---\n# x\n", "---  \n  # indented\n\n#\n...\t\nbody",
    "---\n# title: T\n---\n", "---\n---\ntitle: T\n---\n# x\n", "---\n\n---\ntitle: T\n---\n", "---\n# c\ntitle: T\n---\n",
]


def _agrees(text: str) -> None:
    """The same front matter as MkDocs's, or an error where MkDocs found a block too (never other values)."""
    ours, theirs = _ours(text), _mkdocs(text)
    if ours == "empty":  # MkDocs reads no metadata either, from a block or from no block
        assert theirs in (({}, None), (None, {})), (text, theirs)
    elif ours[0] == "refused":  # YAML that the strict loader refuses (a duplicate key, a list, nothing)
        assert theirs[1] is None, (text, theirs)
    else:
        assert ours == theirs, text


@pytest.mark.parametrize("text", EDGES)
def test_edge_cases_read_as_mkdocs_reads_them(text):
    _agrees(text)


LINES = st.sampled_from(["---", "...", "--- ", "title: T", "Title: T", "    more", "\tmore", "  x: 1", "# H", "", "a:b", "k-1: v", "hide: [toc]", "- x", "text"])


@given(st.lists(LINES, max_size=8))
@settings(max_examples=300, deadline=None)
def test_any_first_lines_read_as_mkdocs_reads_them(lines):
    _agrees("\n".join(lines) + "\n")
