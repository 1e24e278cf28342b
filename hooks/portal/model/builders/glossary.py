"""data/glossary.yml: terms and abbreviations, each with a sourced definition."""

from __future__ import annotations

from portal.load.yamlload import Loaded
from portal.model.builders.checks import Checker, text_or_none
from portal.model.model import GlossaryTerm, Text


def glossary(check: Checker, loaded: Loaded, sources: dict) -> tuple[GlossaryTerm, ...]:
    """Every term once, in any of its languages and other forms (``also``)."""
    items, at = check.entries(loaded, "glossary")
    check.unique_ids(loaded, items, at)
    out = []
    seen: dict[tuple[str, str], int] = {}
    for i, item in enumerate(items):
        if not isinstance(item, dict):
            continue
        check.refs(loaded, at + (i, "sources"), item.get("sources"), sources, "source")
        try:
            term = Text.of(item["term"])
            forms = tuple((lang, form.strip()) for lang, values in (item.get("also") or {}).items() for form in values)
            for lang, written in [*term.values, *forms]:
                key = (lang, written.casefold())
                if key in seen:
                    check.add(loaded, at + (i, "term"), f"'{written}' is already defined in the glossary (item {seen[key] + 1}); define each term once")
                seen[key] = i
            out.append(
                GlossaryTerm(
                    id=item["id"],
                    term=term,
                    definition=Text.of(item["definition"]),
                    sources=tuple(item["sources"]),
                    expansion=text_or_none(item.get("expansion")),
                    forms=forms,
                )
            )
        except (KeyError, TypeError, AttributeError):
            continue
    return tuple(out)
