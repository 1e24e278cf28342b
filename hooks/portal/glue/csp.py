"""A Content-Security-Policy for every page, as strict as Material for MkDocs allows.

Static hosting (GitHub Pages) cannot send headers, so the policy goes into a <meta> tag, placed
before any script. The only inline scripts allowed are the templates' own: Material's and
those of ``overrides/``, read from the template files themselves (:func:`template_scripts`),
never from the page. Each inline script of a built page must be one of them (with the
template's ``{{ … }}`` filled in with an address: letters, digits and ``. _ / -`` only), and is
then allowed by its SHA-256 hash; any other inline script (one that came in through a page, a
translation or a setting) is a build error naming the page (:class:`ForeignScript`).
Everything else must come from the site itself ('self'). The only other host is the optional
tile server, for images, and only if the site owner keeps that option.

The templates are Jinja source, not HTML, and the portal's own code: their scripts are found
with a pattern. The built pages are scanned for every ``<script`` (in any letter case), a
superset of what a browser would run, so that nothing the scan misreads can slip through.
"""

from __future__ import annotations

import base64
import hashlib
import html as _html
import os
import re
from dataclasses import dataclass
from functools import lru_cache
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import urlsplit

_TEMPLATE_SCRIPT = re.compile(r"<script(?P<attrs>(?:\s[^>]*)?)>(?P<body>.*?)</script>", re.S | re.I)
_JINJA_EXPRESSION = re.compile(r"\{\{.*?\}\}", re.S)
_HOLE = r"[A-Za-z0-9._/-]*"  # what a template's {{ … }} may become: an address, never a quote
_SCRIPT_START = re.compile(r"<script(?=[\s/>])", re.I)
_START_TAG = re.compile(r"""<script((?:\s+[^\s"'>/=]+(?:\s*=\s*(?:"[^"]*"|'[^']*'|[^\s"'=<>`]+))?)*)\s*>""", re.I)
_END_TAG = re.compile(r"</script[\s/>]", re.I)
# The types a browser runs (the HTML standard's JavaScript MIME types, and modules).
_JAVASCRIPT_TYPES = {
    "", "module", "application/ecmascript", "application/javascript", "application/x-ecmascript", "application/x-javascript",
    "text/ecmascript", "text/javascript", "text/javascript1.0", "text/javascript1.1", "text/javascript1.2", "text/javascript1.3",
    "text/javascript1.4", "text/javascript1.5", "text/jscript", "text/livescript", "text/x-ecmascript", "text/x-javascript",
}


class ForeignScript(Exception):
    """A built page carries an inline script that none of the templates has."""


class TemplateError(Exception):
    """A template's inline script cannot be allowed by a hash (it has Jinja statements in it)."""


@dataclass(frozen=True)
class TemplateScripts:
    """The templates' inline scripts: patterns of the ones a browser runs, and the attributes of
    their data blocks (``<script type="application/json">``, which a browser does not run)."""

    patterns: tuple[re.Pattern, ...]
    sources: tuple[str, ...]  # the template each pattern comes from, for messages and tests
    data_blocks: frozenset[tuple[tuple[str, str | None], ...]]

    def allows(self, body: str) -> bool:
        return any(p.fullmatch(body) for p in self.patterns)


class _Attributes(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.attrs: list[tuple[str, str | None]] = []

    def handle_starttag(self, tag, attrs):
        self.attrs = attrs


def _attributes(start_tag: str) -> tuple[tuple[str, str | None], ...]:
    parser = _Attributes()
    parser.feed(start_tag)
    parser.close()
    return tuple(sorted(parser.attrs, key=lambda kv: kv[0]))


def _runs(attrs: tuple[tuple[str, str | None], ...]) -> bool:
    kind = dict(attrs).get("type")
    return kind is None or kind.strip().lower() in _JAVASCRIPT_TYPES


def template_scripts(template_dirs: list[Path] | tuple[Path, ...]) -> TemplateScripts:
    """Every inline script of the HTML templates in ``template_dirs`` (the theme's folders:
    overrides/ and Material's)."""
    files = []
    for folder in template_dirs:
        for path in sorted(_html_files(Path(folder))):
            files.append((path, path.stat().st_mtime_ns))
    return _template_scripts(tuple(files))


def _html_files(folder: Path) -> list[Path]:
    """What ``folder.rglob("*.html")`` finds, in a third of its time (pathlib's recursive glob
    matches every name against a pattern; Material has some 150 templates, read every build)."""
    found = []
    for parent, _, names in os.walk(folder, followlinks=True):
        found += [Path(parent, name) for name in names if name.endswith(".html")]
    return found


@lru_cache(maxsize=4)
def _template_scripts(files: tuple[tuple[Path, int], ...]) -> TemplateScripts:
    patterns, sources, data_blocks, seen = [], [], set(), set()
    for path, _ in files:
        text = path.read_text("utf-8")
        for match in _TEMPLATE_SCRIPT.finditer(text):
            attrs = _attributes(f"<script{match.group('attrs')}>")
            if "src" in dict(attrs):
                continue
            if not _runs(attrs):
                data_blocks.add(attrs)
                continue
            body = match.group("body")
            if "{%" in body or "{#" in body:
                raise TemplateError(f"{path}: an inline script with Jinja statements ({{% … %}}) cannot be allowed by its hash; move the statements out of the script")
            pieces = _JINJA_EXPRESSION.split(body)
            pattern = _HOLE.join(re.escape(piece) for piece in pieces)
            if pattern not in seen:
                seen.add(pattern)
                patterns.append(re.compile(pattern, re.S))
                sources.append(str(path))
    return TemplateScripts(tuple(patterns), tuple(sources), frozenset(data_blocks))


@dataclass(frozen=True)
class InlineScript:
    attrs: tuple[tuple[str, str | None], ...]
    body: str
    runs: bool


def inline_scripts(html: str) -> list[InlineScript]:
    """Every inline script of a built page (those with ``src`` are not inline); raises
    ForeignScript for a ``<script`` that is not a readable, closed script element."""
    out = []
    for start in _SCRIPT_START.finditer(html):
        tag = _START_TAG.match(html, start.start())
        if tag is None:
            raise ForeignScript(f"an unreadable <script> tag: {html[start.start():start.start() + 60]!r}")
        attrs = _attributes(tag.group(0))
        end = _END_TAG.search(html, tag.end())
        if end is None:
            raise ForeignScript("a <script> without its </script>")
        if "src" in dict(attrs):
            if html[tag.end() : end.start()].strip():
                raise ForeignScript("a <script src> with text inside")
            continue
        out.append(InlineScript(attrs, html[tag.end() : end.start()], _runs(attrs)))
    return out


def _hash(body: str) -> str:
    return "'sha256-" + base64.b64encode(hashlib.sha256(body.encode("utf-8")).digest()).decode() + "'"


def inline_script_hashes(html: str) -> list[str]:
    """'sha256-…' sources for every inline script a browser would run in ``html`` (data blocks are not run)."""
    hashes = []
    for script in inline_scripts(html):
        if script.runs and _hash(script.body) not in hashes:
            hashes.append(_hash(script.body))
    return hashes


def allowed_hashes(html: str, scripts: TemplateScripts) -> list[str]:
    """The hashes of the page's inline scripts, each of which must be one of the templates';
    raises ForeignScript otherwise."""
    hashes = []
    for script in inline_scripts(html):
        if not script.runs:
            if script.attrs not in scripts.data_blocks:
                raise ForeignScript(f"a data block <script {' '.join(f'{k}={v!r}' for k, v in script.attrs)}> that no template has")
            continue
        if not scripts.allows(script.body):
            raise ForeignScript(f"an inline script that is not one of the templates' (Material's or overrides/): {script.body[:80]!r}")
        if _hash(script.body) not in hashes:
            hashes.append(_hash(script.body))
    return hashes


def policy(hashes: list[str], tiles_url: str | None = None) -> str:
    tile_origin = ""
    if tiles_url:
        parsed = urlsplit(tiles_url.replace("{s}", "a"))
        tile_origin = f" {parsed.scheme}://{parsed.netloc}"
    directives = [
        "default-src 'self'",
        "script-src 'self' " + " ".join(hashes),
        "style-src 'self'",
        f"img-src 'self' data:{tile_origin}",
        "font-src 'self'",
        "connect-src 'self'",
        "worker-src 'self'",
        "object-src 'none'",
        "base-uri 'self'",
        "form-action 'self'",
        "frame-src 'none'",
    ]
    return "; ".join(d.strip() for d in directives)


def add_policy(html: str, scripts: TemplateScripts, tiles_url: str | None = None) -> str:
    """The page with its policy in a <meta> tag right after <meta charset>, before any script;
    raises ForeignScript for an inline script that is not the templates'."""
    content = _html.escape(policy(allowed_hashes(html, scripts), tiles_url), quote=False).replace('"', "&quot;")
    tag = f'<meta http-equiv="Content-Security-Policy" content="{content}">'
    head = re.search(r"<meta charset=[^>]*>", html)
    if not head:
        return html.replace("<head>", "<head>" + tag, 1)
    return html[: head.end()] + "\n    " + tag + html[head.end() :]


_POLICY_META = re.compile(r'(<meta http-equiv="Content-Security-Policy" content=")([^"]*)(")')


def allow_live_reload(html: str) -> str:
    """The page with its policy allowing, in addition, the inline script that `mkdocs serve`'s live
    reload adds to every page it serves (``livereload(epoch, id)``, different on every request):
    the policy written at build time would block it, and pages would never reload by themselves.
    Only that script is added; every other inline script stays as the build allowed it."""
    try:
        scripts = inline_scripts(html)
    except ForeignScript:
        return html
    extra = list(dict.fromkeys(_hash(s.body) for s in scripts if s.runs and "livereload(" in s.body))
    if not extra:
        return html

    def replace(match: re.Match) -> str:
        directives = [d.strip() for d in match.group(2).split(";")]
        directives = [" ".join([d, *(h for h in extra if h not in d)]) if d.startswith("script-src") else d for d in directives]
        return match.group(1) + "; ".join(directives) + match.group(3)

    return _POLICY_META.sub(replace, html, count=1)
