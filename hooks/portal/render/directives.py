"""The directives of hand-written pages: ``<!-- portal:NAME key=value -->`` comments that the
build replaces with a fragment made from the data (a table, a map, a chart...). Found, and their
errors reported with ``page:line``, before anything is built (:func:`scan_pages`); expanded by
:func:`expand_directives` with a :class:`~portal.render.pages.Renderer`."""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from portal.model.model import Site
from portal.render.schemadocs import SCHEMA_NAMES
from portal.render.stash import stash

if TYPE_CHECKING:  # pragma: no cover
    from portal.render.pages import Renderer

DIRECTIVES: dict[str, set[str]] = {
    "schema": {"name"},
    "events": {"limit", "style"},
    "map": {"regions", "figure"},
    "figures": {"country"},
    "regions-table": set(),
    "impacts": {"table"},
    "demands": set(),
    "chart": {"country", "region", "figure"},
    "figure-definitions": set(),
}

_DIRECTIVE_START = re.compile(r"<!--\s*portal:")
# One line, closed on that line: an unclosed comment would hide the rest of the page.
_DIRECTIVE = re.compile(r"<!--[ \t]*portal:(?P<name>[A-Za-z0-9_-]*)(?P<args>[^\n>]*?)-->")
_ARGUMENT_VALUE = re.compile(r"[A-Za-z0-9_,.-]+")


@dataclass(frozen=True)
class Directive:
    name: str
    args: dict[str, str]
    line: int
    start: int
    end: int



def find_directives(markdown: str, page: str, site: Site | None, in_code: Callable[[int, str], bool] | None = None) -> tuple[list[Directive], list[str]]:
    """Every ``<!-- portal:NAME key=value -->`` in a page, and the errors in them (``page:line: ...``).

    A directive shown in code (a code block, or `code` in a sentence) is documentation: it is
    left as it is. Anything else that starts like a directive must be one, on one line."""
    from portal.check.pagecheck import code_map

    found, errors = [], []
    for start in _DIRECTIVE_START.finditer(markdown):
        in_code = in_code or code_map(markdown)
        line = markdown.count("\n", 0, start.start()) + 1
        end_of_line = markdown.find("\n", start.start())
        text = markdown[start.start() : len(markdown) if end_of_line < 0 else end_of_line]
        if in_code(line, text):
            continue
        match = _DIRECTIVE.match(markdown, start.start())
        if match is None:
            name = re.match(r"[A-Za-z0-9_-]*", markdown[start.end() :]).group()
            errors.append(f"{page}:{line}: portal:{name}: the directive's comment is not closed; end it with --> on the same line")
            continue
        name = match.group("name")
        where = f"{page}:{line}: portal:{name}"
        if name not in DIRECTIVES:
            errors.append(f"{where}: unknown directive; expected one of: {', '.join(sorted(DIRECTIVES))}")
            continue
        args = _arguments(name, match.group("args"), where, errors)
        errors += _value_errors(name, args, where)
        if site is not None:
            errors += _data_errors(name, args, where, site)
        if "style" in args and args["style"] and args["style"] not in ("full", "compact"):
            errors.append(f"{where}: style must be full or compact; got '{args['style']}'")
        found.append(Directive(name, args, line, match.start(), match.end()))
    return found, errors


def _arguments(name: str, text: str, where: str, errors: list[str]) -> dict[str, str]:
    """A directive's key=value arguments; an argument in error is given as "" (and its error added)."""
    args: dict[str, str] = {}
    for token in text.split():
        key, eq, value = token.partition("=")
        if not eq or not value:
            errors.append(f"{where}: argument '{token}' must be written key=value")
        elif key not in DIRECTIVES[name]:
            allowed = ", ".join(sorted(DIRECTIVES[name])) or "none"
            errors.append(f"{where}: unknown argument '{key}'; allowed: {allowed}")
        elif key in args:
            errors.append(f"{where}: argument '{key}' is given twice; give it once")
        elif key == "limit" and not (re.fullmatch(r"[0-9]+", value) and 0 < int(value) <= 100):
            errors.append(f"{where}: limit must be a whole number from 1 to 100; got '{value}'")
            args[key] = ""
        elif not _ARGUMENT_VALUE.fullmatch(value):
            errors.append(f"{where}: the value of '{key}' may contain only letters a-z, digits 0-9, '-', '_', '.' and ','; got '{value}'")
            args[key] = ""
        else:
            args[key] = value
    return args


def _value_errors(name: str, args: dict[str, str], where: str) -> list[str]:
    """Errors of the arguments that take one of a few values."""
    errors = []
    if name == "schema" and args.get("name") not in SCHEMA_NAMES and args.get("name") != "":
        errors.append(f"{where}: name must be one of: {', '.join(SCHEMA_NAMES)}")
    if "table" in args and args["table"] and not set(args["table"].split(",")) <= {"impacts", "benefits"}:
        errors.append(f"{where}: table must be impacts, benefits or impacts,benefits; got '{args['table']}'")
    return errors


def _data_errors(name: str, args: dict[str, str], where: str, site: Site) -> list[str]:
    """Errors of the arguments that name something of the data, and of directives that would show nothing."""
    errors = []
    if args.get("country") and args["country"] not in site.countries:
        errors.append(f"{where}: unknown country '{args['country']}'; known: {', '.join(site.countries)}")
    for region in args.get("regions", "").split(",") if name == "map" else ():
        if region and region not in site.regions:
            errors.append(f"{where}: unknown region '{region}' in regions=")
    if name == "map" and args.get("figure") and args["figure"] not in site.figures:
        errors.append(f"{where}: unknown figure '{args['figure']}'; see data/figures.yml")
    elif name == "map" and "figure" in args and not any(r.series(args["figure"]) for r in site.regions.values()):
        errors.append(f"{where}: no region reports '{args['figure']}' yet, so its map would be empty")
    if name == "chart":
        if "figure" not in args or args["figure"] not in site.figures:
            errors.append(f"{where}: figure= must name a figure of data/figures.yml")
        elif "region" in args and args["region"] not in site.regions:
            errors.append(f"{where}: unknown region '{args['region']}'")
        else:
            from portal.render.figurecharts import chartable

            place = site.regions.get(args.get("region", "")) or site.countries.get(args.get("country", next(iter(site.countries), "")))
            if place is not None and not chartable(site, site.figures[args["figure"]], place.series(args["figure"])):
                errors.append(f"{where}: '{args['figure']}' has fewer than two dated values there, so there is nothing to chart")
    return errors


def expand_directives(markdown: str, page: str, src_uri: str, renderer: Renderer, store: list[str] | None = None) -> str:
    """Replace each directive of the page ``src_uri`` (shown to editors as ``page``) with its fragment;
    with a ``store``, the fragments are stashed (see :func:`stash`)."""
    directives, errors = find_directives(markdown, page, renderer.site)
    if errors:
        raise ValueError("\n".join(errors))
    out, last = [], 0
    cite = renderer.cite()
    cite.deferred = True
    for index, d in enumerate(directives, start=1):
        out.append(markdown[last : d.start])
        fragment = renderer.fragment(d.name, d.args, src_uri, index, cite).strip()
        out.append(stash(fragment, store) if store is not None else "\n\n" + fragment + "\n\n")
        last = d.end
    out.append(markdown[last:])
    if cite.order:  # one numbered list of sources, at the foot of the page
        fragment = renderer.sources_fragment(cite, src_uri).strip()
        out.append(stash(fragment, store) if store is not None else "\n\n" + fragment + "\n\n")
    return "".join(out)


def _line_of_message(message: str) -> int:
    match = re.match(r"[^:]*:([0-9]+):", message)
    return int(match.group(1)) if match else 0


def scan_pages(docs_dir: Path, site: Site | None) -> list[str]:
    """Every problem of the Markdown pages of ``docs_dir`` and of the files they may include
    (:mod:`portal.check.pagecheck`), and their directives' errors, with file:line (checked before
    anything is built). A file that cannot be read is reported, and its directives are not."""
    from portal.check.pagecheck import check_page, other_files, snippet_pages

    docs_dir = Path(docs_dir)
    errors: list[str] = other_files(docs_dir)
    pages = [(path, path.relative_to(docs_dir.parent).as_posix()) for path in sorted(docs_dir.rglob("*.md"))]
    for path, rel in pages + snippet_pages(docs_dir.parent):
        checked = check_page(path, rel, docs_dir.parent)
        found = checked.errors
        if checked.text is not None and (path, rel) in pages:
            found += find_directives(checked.text, rel, site, checked.in_code)[1]
        errors += sorted(found, key=_line_of_message)
    return errors

