"""Tooltips for the terms of data/glossary.yml, on every page of an edition.

Two paths, one set of definitions:

- hand-written Markdown: Python-Markdown's ``abbr`` extension (Material styles it and, with
  ``content.tooltips``, shows the definition as a tooltip), its ``glossary`` set by the hook from
  the data (:func:`abbr_glossary`), so there is no snippet file to keep in step;
- generated HTML (the pages and directive fragments made from data/, which Markdown never
  parses): :class:`Marker` wraps each use of a term in a data text in the same ``<abbr
  title>``, when the text is escaped for the page. One compiled pattern per edition; a data text
  without a term costs one failed search.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from markupsafe import Markup, escape

from portal.model.model import GlossaryTerm


def _forms(term: GlossaryTerm, lang: str) -> list[str]:
    forms = [term.term.get(lang)]
    forms += [form for code, form in term.forms if code == lang]
    if lang != "en":  # an English abbreviation used as it is in another edition (ANAMA, ICJ)
        english = term.term.get("en")
        if english.isupper():
            forms.append(english)
    return list(dict.fromkeys(forms))


def title_of(term: GlossaryTerm, lang: str) -> str:
    """The tooltip: what an abbreviation stands for, then the definition."""
    definition = term.definition.get(lang)
    if term.expansion is not None:
        return f"{term.expansion.get(lang)}: {definition}"
    return definition


def abbr_glossary(terms: Iterable[GlossaryTerm], lang: str) -> dict[str, str]:
    """The ``abbr`` extension's glossary for an edition: written form -> tooltip."""
    out: dict[str, str] = {}
    for term in terms:
        for form in _forms(term, lang):
            out.setdefault(form, title_of(term, lang))
    return out


class Marker:
    """Wraps each use of a glossary term in escaped text in ``<abbr title="…">``."""

    def __init__(self, terms: Iterable[GlossaryTerm], lang: str):
        titles: dict[str, str] = {}
        alternatives: list[tuple[str, bool]] = []
        for term in terms:
            for form in _forms(term, lang):
                written = str(escape(form))
                key = written if any(c.isupper() for c in form) else written.casefold()
                if key in titles:
                    continue
                titles[key] = str(escape(title_of(term, lang)))
                # abbreviations and names match as written; lower-case terms in any case
                alternatives.append((written, any(c.isupper() for c in form)))
        self.titles = titles
        self.pattern = None
        if alternatives:
            alternatives.sort(key=lambda a: -len(a[0]))  # the longer term first: "non-technical survey"
            parts = [re.escape(w).replace(r"\ ", r"\s+") if exact else f"(?i:{re.escape(w).replace(chr(92) + ' ', chr(92) + 's+')})" for w, exact in alternatives]
            # whole words; Azerbaijani adds suffixes to a word (tədqiqatla), so they are allowed there
            tail = r"(?:[^\W\d_]*)" if lang == "az" else ""
            self.pattern = re.compile(r"(?<![\w-])(" + "|".join(parts) + ")" + tail + r"(?![\w])")

    def _title(self, written: str) -> str | None:
        normal = " ".join(written.split())
        return self.titles.get(normal) or self.titles.get(normal.casefold())

    def mark(self, html: Markup | str) -> Markup:
        """``html`` is escaped text (a data text, or Markdown rendered from one): its terms wrapped.

        Terms are only looked for outside tags and outside links' text is fine (an abbr is
        phrasing content); attributes are skipped by splitting on tags."""
        html = str(html)
        if self.pattern is None or not self.pattern.search(html):
            return Markup(html)
        if "<" not in html:
            return Markup(self.pattern.sub(self._wrap, html))
        pieces = re.split(r"(<[^>]*>)", html)
        return Markup("".join(p if p.startswith("<") else self.pattern.sub(self._wrap, p) for p in pieces))

    def _wrap(self, match: re.Match) -> str:
        title = self._title(match.group(1))
        if title is None:
            return match.group(0)
        return f'<abbr title="{title}">{match.group(0)}</abbr>'
