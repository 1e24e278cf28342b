"""What Material's search plugin gets to read (portal/glue/searchtext.py and the hook's
on_page_content / on_page_context): the page without its data-search-exclude elements, and the
page written unchanged."""

from __future__ import annotations

import json
import re
from pathlib import Path
from types import SimpleNamespace

import pytest
from material.plugins.search.plugin import SearchIndex

from portal.glue import searchtext

PAGE = """<h1 id="title">Title</h1>
<p>Kept before.</p>
<div class="portal-block" data-search-exclude>
<h2 id="inside">Inside</h2>
<div class="inner"><p>first hidden</p></div>
<p>second hidden, after a nested div</p>
</div>
<h2 id="after">After</h2>
<p title="data-search-exclude is only text here">Kept after.</p>
<p data-search-exclude="true">hidden with a value</p>
<details class="portal-details" data-search-exclude><summary>hidden summary</summary><table><tr><td>cell</td></tr></table></details>
<img data-search-exclude src="x.png" alt="">
<script>var s = "<div data-search-exclude>";</script>
<!-- <p data-search-exclude> a comment -->
<ul><li>Kept list.</li></ul>
"""


def _index(html: str) -> tuple[list[dict], str]:
    """What Material's plugin indexes of this HTML, and the page.content it leaves."""
    page = SimpleNamespace(content=html, toc=[], url="page/", meta={}, title="Page")
    index = SearchIndex()
    index.add_entry_from_context(page)
    # What SearchPlugin.on_page_context does after indexing.
    page.content = re.sub(r"\s?data-search-\w+=\"[^\"]+\"", "", page.content)
    return index.entries, page.content


def test_hide_cuts_out_every_excluded_element_and_restore_puts_it_back():
    shown, hidden = searchtext.hide(PAGE)
    assert len(hidden) == 4
    assert hidden[0].startswith('<div class="portal-block" data-search-exclude>') and hidden[0].endswith("</div>")
    assert "second hidden" in hidden[0]  # the nested </div> does not end the element
    assert hidden[3] == '<img data-search-exclude src="x.png" alt="">'
    for text in ("first hidden", "second hidden", "hidden with a value", "hidden summary", "cell"):
        assert text not in shown
    for text in ("Kept before.", "Kept after.", "Kept list.", '"<div data-search-exclude>"', "<!-- <p data-search-exclude> a comment -->"):
        assert text in shown
    assert searchtext.restore(shown, hidden) == PAGE.replace(' data-search-exclude="true"', "")


def test_the_page_material_leaves_is_the_same_with_or_without_hiding():
    _, without = _index(PAGE)
    shown, hidden = searchtext.hide(PAGE)
    _, with_hiding = _index(shown)
    assert searchtext.restore(with_hiding, hidden) == without


def test_material_indexes_none_of_the_excluded_text():
    entries, _ = _index(searchtext.hide(PAGE)[0])
    text = json.dumps(entries)
    for hidden in ("first hidden", "second hidden", "hidden with a value", "hidden summary", "cell"):
        assert hidden not in text
    for kept in ("Kept before.", "Kept after.", "Kept list."):
        assert kept in text
    # Material alone lets text through after a nested element of the same tag closes.
    assert "second hidden" in json.dumps(_index(PAGE)[0])


@pytest.mark.parametrize(
    "html",
    [
        "<p>no exclusion at all</p>",
        '<div data-search-exclude><p>never closed</p>',  # left as it is: Material sees what it saw before
        "<p>plain text <!--portal-search-hidden 0--> that looks like a mark</p>",
        "",
    ],
)
def test_pages_without_a_closed_excluded_element_are_left_alone(html):
    assert searchtext.hide(html) == (html, [])


def test_the_built_site_has_no_marks_left_and_no_excluded_text_in_its_index(built_site: Path):
    for page in built_site.rglob("*.html"):
        assert "portal-search-hidden" not in page.read_text("utf-8"), page
    index = (built_site / "search" / "search_index.json").read_text("utf-8")
    sources = (built_site / "sources" / "index.html").read_text("utf-8")
    assert "data-search-exclude" in sources  # the page itself keeps its markup
    assert "Used for:" not in index  # the sources' lists of uses, marked data-search-exclude


# -- the fast hide() against the plain tokenizer it replaced ---------------------------------
# hide() looks only where the attribute's name occurs. The function below walks every tag, as
# hide() did until session 3: the two must cut the same elements out of any page.

_TOKEN = searchtext._TOKEN


def _reference_element_end(html, match, tag):
    if tag in searchtext.VOID or match.group("attrs").rstrip().endswith("/"):
        return match.end()
    depth, pos = 1, match.end()
    while True:
        token = _TOKEN.search(html, pos)
        if token is None:
            return None
        pos = token.end()
        start, end = token.group("start"), token.group("end")
        if start is not None:
            name = start.lower()
            if name in searchtext.RAW_TEXT:
                pos = searchtext._raw_text_end(html, pos, name)
            elif name == tag and not token.group("attrs").rstrip().endswith("/"):
                depth += 1
        elif end is not None and end.lower() == tag:
            depth -= 1
            if depth == 0:
                return pos


def reference_hide(html):
    if searchtext.ATTRIBUTE not in html or "<!--portal-search-hidden " in html:
        return html, []
    out, hidden, pos, done = [], [], 0, 0
    while True:
        token = _TOKEN.search(html, pos)
        if token is None:
            break
        pos = token.end()
        start = token.group("start")
        if start is None:
            continue
        name = start.lower()
        if name in searchtext.RAW_TEXT:
            pos = searchtext._raw_text_end(html, pos, name)
            continue
        if not searchtext._excluded(token.group("attrs")):
            continue
        end = _reference_element_end(html, token, name)
        if end is None:
            continue
        out += [html[done : token.start()], searchtext._MARK.format(len(hidden))]
        hidden.append(html[token.start() : end])
        pos = done = end
    if not hidden:
        return html, []
    return "".join(out + [html[done:]]), hidden


PIECES = [
    "<p>text</p>", "<div data-search-exclude>", "</div>", "<div>", "<DIV DATA-SEARCH-EXCLUDE>", "</DIV>",
    '<p title="data-search-exclude">t</p>', "data-search-exclude", "<!-- <div data-search-exclude> -->", "<!-- open",
    '<script>var a = "<div data-search-exclude></div>";</script>', "<style>p{}</style>", "<br data-search-exclude>",
    '<img data-search-exclude src="a.png"/>', "<div data-search-exclude/>", '<span data-search-exclude="1">x</span>',
    "</span>", "<span>", "<details data-search-exclude><summary>s</summary>", "</details>", "<!DOCTYPE html>", "<p>",
    '<a href="x>y" data-search-exclude>l</a>', "<table><tr><td data-search-exclude>c</td></tr></table>",
]


def test_the_fast_hide_cuts_what_a_walk_through_every_tag_cuts():
    import random

    generator = random.Random(7)
    cases = [PAGE] + ["".join(generator.choice(PIECES) for _ in range(generator.randint(1, 25))) for _ in range(3000)]
    for html in cases:
        assert searchtext.hide(html) == reference_hide(html), html


def test_the_fast_hide_cuts_what_it_did_on_every_built_page(built_site: Path):
    pages = list(built_site.rglob("*.html"))
    assert len(pages) > 30
    for page in pages:
        html = page.read_text("utf-8")
        assert searchtext.hide(html) == reference_hide(html), page
