"""A page's front matter, found where MkDocs 1.6 finds it (``mkdocs.utils.meta.get_data``),
without MkDocs: the check of pages (:mod:`portal.check.pagecheck`) parses it with the strict
loader (:mod:`portal.load.yamlload`), so that a bad line is said as ``content/x.md:LINE``.

MkDocs reads a page's first lines as its front matter in two ways: YAML between a ``---`` line
and a ``---`` (or ``...``) line (:data:`FENCED`), or else, without those lines, MultiMarkdown's
``Key: value`` lines up to the first blank line (:func:`unfenced`), which the portal refuses
(a title typed on the first line would silently become front matter).

An empty block, nothing but blank lines or YAML comments between the two lines
(:func:`empty_block`: ``---`` then ``---``, as a page template may leave it), is no metadata for
MkDocs as for the portal. MkDocs, though, leaves such a block in the page's Markdown (its pattern wants a line
between the two, and YAML that is not ``key: value`` lines stays in the page), where the lines
become a heading "---", rules, or a comment that reads as a first-level heading; the build leaves
the block out (:func:`without_empty_block`), as MkDocs leaves out a block with metadata, and the
check of the page's Markdown starts after it.

The two patterns and the few lines of :func:`unfenced` are MkDocs's rules written out (its
module is a dozen lines; importing it would tie ``validate`` to MkDocs); the test
``tests/check/test_mkdocs_rules.py`` compares them with MkDocs's on every page and on edge cases.
"""

from __future__ import annotations

import re

# a '---' line, the YAML, a '---' or '...' line: group 1 is the YAML (with its last line break)
FENCED = re.compile(r"^-{3}[ \t]*\n(.*?\n)(?:\.{3}|-{3})[ \t]*\n", re.DOTALL)
# the two lines with nothing between them, which FENCED does not match (it wants a line between)
_TWO_LINES = re.compile(r"^-{3}[ \t]*\n(?:\.{3}|-{3})[ \t]*\n")
_BLANK_OR_COMMENTS = re.compile(r"(?:[ \t]*(?:#[^\n]*)?\n)*")
_KEY_LINE = re.compile(r"^[ ]{0,3}(?P<key>[A-Za-z0-9_-]+):\s*(?P<value>.*)")
_MORE_LINE = re.compile(r"^([ ]{4}|\t)(\s*)(?P<value>.*)")


def unfenced(text: str) -> dict[str, str]:
    """The ``key: value`` lines that MkDocs reads as front matter when there are no ``---`` lines
    (keys lower-cased, an indented line continuing the value before it); empty when the page
    starts otherwise. Only for a page that :data:`FENCED` does not match."""
    data: dict[str, str] = {}
    key = None
    for line in text.replace("\r\n", "\n").split("\n"):
        if line.strip() == "":
            break
        first = _KEY_LINE.match(line)
        if first:
            key = first.group("key").lower().strip()
            value = first.group("value").strip()
            data[key] = f"{data[key]} {value}" if key in data else value
            continue
        more = _MORE_LINE.match(line)
        if not (more and key):
            break
        data[key] += " " + more.group("value").strip()
    return data


def empty_block(text: str) -> re.Match | None:
    """The page's front matter block if nothing is in it but blank lines and YAML comments; None
    for any other page. The block is the one MkDocs finds, where it finds one: in the lines
    ``---``, ``---``, ``title: T``, ``---`` it is the three first (YAML's own ``---`` and a title)."""
    block = FENCED.match(text)
    if block is not None:
        return block if _BLANK_OR_COMMENTS.fullmatch(block.group(1)) else None
    return _TWO_LINES.match(text)


def without_empty_block(markdown: str) -> str:
    """A page's Markdown without an empty front matter block at its start (and the blank lines
    after it, as MkDocs leaves them out after a block with metadata); any other page as it is.
    For the Markdown that MkDocs gives the hook (which has taken a block with metadata away)."""
    block = empty_block(markdown)
    return markdown[block.end() :].lstrip("\n") if block else markdown
