"""What Material's search plugin gets to read (portal/searchtext.py and the hook's
on_page_content / on_page_context): the page without its data-search-exclude elements, and the
page written unchanged."""

from __future__ import annotations

import json
import re
from pathlib import Path
from types import SimpleNamespace

import pytest
from material.plugins.search.plugin import SearchIndex

from portal import searchtext

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
