"""What Material's search plugin reads of a page: the page's HTML without the elements marked
``data-search-exclude``.

Material's plugin parses every page's HTML in Python (``html.parser``), excluded blocks
included, and only then leaves them out; it also compares elements by tag name, so that inside
an excluded ``<div>`` the text after the first nested ``</div>`` is indexed after all. The hook
therefore hands the plugin the page with each excluded element cut out (a short comment in its
place, which the plugin ignores) and puts the elements back once the plugin has read the page:

    shown, hidden = hide(html)        # on_page_content: the plugin indexes `shown`
    html = restore(shown, hidden)     # on_page_context, after the plugin

``restore`` also does to the elements what the plugin does to the page it read (it removes
``data-search-*="…"`` attributes), so the page written is byte for byte the one written
without this module. Text only, no MkDocs: the cutting follows the tags in the text itself, so
every byte outside and inside the cut elements stays as it was.
"""

from __future__ import annotations

import re

ATTRIBUTE = "data-search-exclude"

# What Material's search plugin removes from page.content after indexing it (plugin.py,
# on_page_context): attributes such as data-search-exclude="…" (not the bare attribute).
MATERIAL_ATTRIBUTES = re.compile(r"\s?data-search-\w+=\"[^\"]+\"")

# Elements without an end tag (the HTML standard's void elements).
VOID = frozenset("area base br col embed hr img input link meta param source track wbr".split())
# Elements whose content is text, not tags (html.parser's CDATA content elements).
RAW_TEXT = frozenset(("script", "style"))

_MARK = "<!--portal-search-hidden {}-->"
_MARKS = re.compile(r"<!--portal-search-hidden (\d+)-->")

# A comment, a declaration or processing instruction, an end tag, or a start tag with its
# attributes (quoted values may hold '>').
_TOKEN = re.compile(
    r"<!--.*?-->"
    r"|<[!?][^>]*>"
    r"|</(?P<end>[a-zA-Z][^\s/>]*)[^>]*>"
    r"|<(?P<start>[a-zA-Z][^\s/>]*)(?P<attrs>(?:[^>\"']|\"[^\"]*\"|'[^']*')*)>",
    re.DOTALL,
)
# One attribute: its name, and its value if it has one.
_ATTR = re.compile(r"""([^\s=/>"']+)(?:\s*=\s*(?:"[^"]*"|'[^']*'|[^\s>"']+))?""")


def _excluded(attrs: str) -> bool:
    """Whether a start tag's attributes include data-search-exclude (names are case-insensitive)."""
    return ATTRIBUTE in attrs.lower() and any(m.group(1).lower() == ATTRIBUTE for m in _ATTR.finditer(attrs))


def _end_tags(tag: str) -> re.Pattern:
    """Comments, <script>/<style> start tags, and start or end tags named ``tag``: all that
    matters to find where a ``tag`` element ends; every other tag is skipped at the regular
    expression engine's speed."""
    found = _END_TAGS.get(tag)
    if found is None:
        found = _END_TAGS[tag] = re.compile(
            r"<!--.*?-->"
            r"|<[!?][^>]*>"
            r"|<(?P<raw>script|style)(?=[\s/>])(?:[^>\"']|\"[^\"]*\"|'[^']*')*>"
            rf"|<(?P<close>/?){re.escape(tag)}(?=[\s/>])(?P<attrs>(?:[^>\"']|\"[^\"]*\"|'[^']*')*)>",
            re.DOTALL | re.IGNORECASE,
        )
    return found


_END_TAGS: dict[str, re.Pattern] = {}


def _element_end(html: str, match: re.Match, tag: str) -> int | None:
    """Where the element that ``match`` opens ends (after its end tag), or None if it is not closed."""
    if tag in VOID or match.group("attrs").rstrip().endswith("/"):
        return match.end()
    tags = _end_tags(tag)
    depth = 1
    pos = match.end()
    while True:
        token = tags.search(html, pos)
        if token is None:
            return None
        pos = token.end()
        if token.group("raw"):
            if token.group("raw").lower() != tag:
                pos = _raw_text_end(html, pos, token.group("raw").lower())
                continue
        if token.group("close") is None:  # a comment or declaration
            continue
        if token.group("close"):
            depth -= 1
            if depth == 0:
                return pos
        elif not token.group("attrs").rstrip().endswith("/"):
            depth += 1


def _raw_text_end(html: str, pos: int, name: str) -> int:
    """After the end tag of a <script> or <style> whose content starts at ``pos``."""
    close = re.compile(rf"</{name}\s*>", re.IGNORECASE).search(html, pos)
    return close.end() if close else len(html)


# What can hide an attribute from view: a comment, or the text of a <script> or <style>; and
# the attribute's name itself, wherever it is.
_NEXT = re.compile(r"<!--|<(?P<raw>script|style)(?=[\s/>])|(?P<name>" + ATTRIBUTE + ")", re.IGNORECASE)


def hide(html: str, first: int = 0) -> tuple[str, list[str]]:
    """The HTML with every element marked ``data-search-exclude`` replaced by a comment, and
    the elements cut out, in order. An element that is not closed is left in place.

    The comments are numbered from ``first``: the parts of one page can be cut one by one, the
    elements of each part appended to one list for :func:`restore`.

    Only the places where the attribute's name occurs are looked at (the pages are long, and
    have few such elements): skipping comments and the text of scripts and styles on the way,
    each is checked to be an attribute of a start tag. (Where a tag's name runs into another
    tag, as in ``<x<a data-search-exclude>``, which neither Markdown nor the templates write,
    the inner one may be cut where a walk through every tag would not: the page written is the
    same, only the search index differs.)"""
    if ATTRIBUTE not in html or "<!--portal-search-hidden " in html:
        return html, []
    out: list[str] = []
    hidden: list[str] = []
    pos = done = 0
    while True:
        floor = pos  # nothing before it is looked at again: a tag there has been seen, or skipped
        found = _NEXT.search(html, pos)
        if found is None:
            break
        if found.group("name") is None:
            if found.group("raw"):  # skip the start tag, then its text
                tag = _TOKEN.match(html, found.start())
                pos = _raw_text_end(html, tag.end(), found.group("raw").lower()) if tag else found.end()
            else:  # a comment: to its end, or (not closed) to the next ">", as a declaration
                close = html.find("-->", found.end())
                pos = close + 3 if close >= 0 else (html.find(">", found.end()) + 1 or len(html))
            continue
        pos = found.end()
        # the start tag around the name, if it is in one
        start = html.rfind("<", floor, found.start())
        token = _TOKEN.match(html, start) if start >= 0 else None
        if token is None or token.group("start") is None or token.end() <= found.start():
            continue
        name = token.group("start").lower()
        if name in RAW_TEXT or not _excluded(token.group("attrs")):
            continue
        end = _element_end(html, token, name)
        if end is None:
            continue
        out.append(html[done : token.start()])
        out.append(_MARK.format(first + len(hidden)))
        hidden.append(html[token.start() : end])
        pos = done = end
    if not hidden:
        return html, []
    out.append(html[done:])
    return "".join(out), hidden


def restore(shown: str, hidden: list[str], *, written: bool = False) -> str:
    """The page with the hidden elements back in place, with the attributes that Material's
    search plugin removes from a page it has indexed removed from them too (already done to
    them, with ``written``: see :func:`as_written`)."""
    if not hidden:
        return shown
    if written:
        return _MARKS.sub(lambda m: hidden[int(m.group(1))], shown)
    return _MARKS.sub(lambda m: as_written(hidden[int(m.group(1))]), shown)


def as_written(element: str) -> str:
    """A cut element as the page is written once Material's search plugin has read it."""
    return MATERIAL_ATTRIBUTES.sub("", element)
