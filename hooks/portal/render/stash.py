"""Finished HTML kept out of Python-Markdown's way.

Python-Markdown parses raw HTML blocks with a slow, pure-Python HTML parser; the generated pages
are almost all HTML that needs no Markdown, so it never sees it: each block is replaced with a
placeholder comment before Markdown runs, and put back after (the hook's ``on_page_content``)."""

from __future__ import annotations

import re
import zlib
from collections.abc import Callable

_STASHED = re.compile(r"<!--portal-stash-(\d+)-->")


def stash(html: str, store: list[bytes]) -> str:
    """A placeholder for a block of finished HTML, put back by :func:`unstash` after Markdown.

    Python-Markdown parses raw HTML blocks with a slow, pure-Python HTML parser; the generated
    pages are almost all HTML that needs no Markdown, so it never sees it. Data text cannot
    forge a placeholder: it is escaped, so it holds no "<"."""
    store.append(zlib.compress(html.encode("utf-8"), 1))  # kept until the page is built: small
    return f"\n\n<!--portal-stash-{len(store) - 1}-->\n\n"


def unstash(html: str, store: list[bytes]) -> str:
    return _STASHED.sub(lambda m: zlib.decompress(store[int(m.group(1))]).decode("utf-8"), html)


def stash_page(markdown: str, store: list[str], each_block: Callable[[str], str] | None = None) -> str:
    """A generated page's HTML blocks, stashed (each passed through ``each_block`` first, if
    given); its Markdown headings (lines starting with #) stay."""
    out: list[str] = []
    block: list[str] = []

    def flush() -> None:
        text = "\n".join(block).strip()
        if text:
            out.append(stash(each_block(text) if each_block else text, store).strip() if text.startswith("<") else text)
        block.clear()

    for line in markdown.splitlines():
        if line.startswith("#"):
            flush()
            out.append(line)
        else:
            block.append(line)
    flush()
    return "\n\n".join(out) + "\n"

