"""The portal's own stylesheets and scripts, minified in the built site (on_files).

``overrides/assets/`` keeps them readable, with their comments; what a reader downloads is the
same code without comments and needless whitespace: rcssmin for the stylesheets (``portal.css``
and Leaflet's ``leaflet.css``, which Leaflet ships unminified) and rjsmin for the portal's
scripts (``portal.js``, ``portal-map.js``). The vendored scripts come minified from their
packages and are copied as they are. Comments that start with ``/*!`` (licences) are kept.
About 4.7 KB less, gzipped, on a first visit to a page with a map (bench/PAGE_WEIGHT.md).

Nothing hashes these files: the Content-Security-Policy (portal.glue.csp) allows them as
'self' and hashes only the templates' inline scripts, which stay as they are.
"""

from __future__ import annotations

from pathlib import Path

import rcssmin
import rjsmin

VENDOR = "assets/vendor/"


def minified(src_uri: str, text: str) -> str:
    """``text``, the file ``src_uri``'s, minified by its kind (.css or .js)."""
    if src_uri.endswith(".css"):
        return rcssmin.cssmin(text, keep_bang_comments=True)
    return rjsmin.jsmin(text, keep_bang_comments=True)


def minifies(src_uri: str) -> bool:
    """Whether the build serves ``src_uri`` (a file of overrides/) minified: every stylesheet
    under assets/, and every script there but the vendored ones."""
    if not src_uri.startswith("assets/"):
        return False
    return src_uri.endswith(".css") or (src_uri.endswith(".js") and not src_uri.startswith(VENDOR))


def minify_assets(files, config) -> None:
    """Replace the content of every file of ``overrides/`` (the theme's custom_dir) that
    :func:`minifies` with its minified text; Material's own files are left alone."""
    custom_dir = config.theme.custom_dir
    if not custom_dir:
        return
    root = Path(custom_dir).resolve()
    for file in files:
        if file.generated_by or not file.abs_src_path or not minifies(file.src_uri):
            continue
        source = Path(file.abs_src_path).resolve()
        if source.is_relative_to(root):
            file.content_string = minified(file.src_uri, source.read_text("utf-8"))
