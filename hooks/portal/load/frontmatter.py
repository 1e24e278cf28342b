"""A page's front matter, found where MkDocs 1.6 finds it (``mkdocs.utils.meta.get_data``),
without MkDocs: the check of pages (:mod:`portal.check.pagecheck`) parses it with the strict
loader (:mod:`portal.load.yamlload`), so that a bad line is said as ``content/x.md:LINE``.

MkDocs reads a page's first lines as its front matter in two ways: YAML between a ``---`` line
and a ``---`` (or ``...``) line (:data:`FENCED`), or else, without those lines, MultiMarkdown's
``Key: value`` lines up to the first blank line (:func:`unfenced`), which the portal refuses
(a title typed on the first line would silently become front matter).

The two patterns and the few lines of :func:`unfenced` are MkDocs's rules written out (its
module is a dozen lines; importing it would tie ``validate`` to MkDocs); the test
``tests/check/test_mkdocs_rules.py`` compares them with MkDocs's on every page and on edge cases.
"""

from __future__ import annotations

import re

# a '---' line, the YAML, a '---' or '...' line: group 1 is the YAML (with its last line break)
FENCED = re.compile(r"^-{3}[ \t]*\n(.*?\n)(?:\.{3}|-{3})[ \t]*\n", re.DOTALL)
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
