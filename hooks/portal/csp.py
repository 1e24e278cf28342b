"""A Content-Security-Policy for every page, as strict as Material for MkDocs allows.

Static hosting (GitHub Pages) cannot send headers, so the policy goes into a <meta> tag, placed
before any script. Material's few inline scripts are allowed by their SHA-256 hashes, computed
from each built page; everything else must come from the site itself ('self'). The only other
host is the optional tile server, for images, and only if the site owner keeps that option.
"""

from __future__ import annotations

import base64
import hashlib
import re
from urllib.parse import urlparse

_INLINE_SCRIPT = re.compile(r"<script(?P<attrs>[^>]*)>(?P<body>.*?)</script>", re.S)
_EXECUTABLE = re.compile(r'type\s*=\s*"(?!text/javascript|module|application/javascript)[^"]*"')


def inline_script_hashes(html: str) -> list[str]:
    """'sha256-…' sources for every inline script a browser would run (JSON data blocks are not run)."""
    hashes = []
    for match in _INLINE_SCRIPT.finditer(html):
        attrs, body = match.group("attrs"), match.group("body")
        if "src=" in attrs or _EXECUTABLE.search(attrs):
            continue
        digest = base64.b64encode(hashlib.sha256(body.encode("utf-8")).digest()).decode()
        source = f"'sha256-{digest}'"
        if source not in hashes:
            hashes.append(source)
    return hashes


def policy(html: str, tiles_url: str | None = None) -> str:
    tile_origin = ""
    if tiles_url:
        parsed = urlparse(tiles_url.replace("{s}", "a"))
        tile_origin = f" {parsed.scheme}://{parsed.netloc}"
    directives = [
        "default-src 'self'",
        "script-src 'self' " + " ".join(inline_script_hashes(html)),
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


def add_policy(html: str, tiles_url: str | None = None) -> str:
    """The page with its policy in a <meta> tag right after <meta charset>, before any script."""
    tag = f'<meta http-equiv="Content-Security-Policy" content="{policy(html, tiles_url)}">'
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
    reload_scripts = "".join(f"<script>{m.group('body')}</script>" for m in _INLINE_SCRIPT.finditer(html) if "livereload(" in m.group("body"))
    extra = inline_script_hashes(reload_scripts)
    if not extra:
        return html

    def replace(match: re.Match) -> str:
        directives = [d.strip() for d in match.group(2).split(";")]
        directives = [" ".join([d, *(h for h in extra if h not in d)]) if d.startswith("script-src") else d for d in directives]
        return match.group(1) + "; ".join(directives) + match.group(3)

    return _POLICY_META.sub(replace, html, count=1)
