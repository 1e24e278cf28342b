"""Under ``make serve``: the problems of a failed build, in the browser, at every address.

MkDocs's development server keeps serving the last site when a rebuild fails, and makes every
request wait for a build that succeeds: the browser spins with no message. The hook
(``portal_hook.py``) lets a failed build end normally under serve only, and records its
problems here (:class:`BuildStatus`); :func:`middleware` wraps the server's WSGI application:

* while the last build failed, every page address answers with :func:`error_page`: the
  problems exactly as the terminal printed them (escaped), and a small script that asks
  ``/.portal-build`` every half second whether a build has finished since, and reloads;
* every HTML page it passes on gets its Content-Security-Policy extended by the hash of the
  inline script that MkDocs's live reload adds to each page, and by nothing else (without it
  the policy blocks that script, and pages never reload by themselves).

A WSGI wrapper rather than files written into the site: it does not depend on how or where a
build writes its files (nothing of the last good site is touched). Nothing here knows MkDocs.
"""

from __future__ import annotations

import base64
import hashlib
import html
import posixpath
import threading
from collections.abc import Callable, Iterable

from portal.glue import csp

STATUS_PATH = "/.portal-build"

# The page's only script; it reads the build it was made for from the page, so its hash is fixed.
_SCRIPT = (
    "(function(){var seen=document.documentElement.getAttribute('data-build');"
    "function poll(){fetch('" + STATUS_PATH + "',{cache:'no-store'}).then(function(r){return r.text();})"
    ".then(function(now){if(now.trim()!==seen){location.reload();}else{setTimeout(poll,500);}},"
    "function(){setTimeout(poll,2000);});}setTimeout(poll,500);})();"
)
_STYLE = (
    "body{font:16px/1.5 system-ui,sans-serif;margin:0;padding:1.5rem;color:#1a1a1a;background:#fff}"
    "main{max-width:60rem;margin:0 auto}h1{font-size:1.5rem;color:#8a1c1c}"
    "ul{list-style:none;margin:0;padding:0}li{font-family:ui-monospace,monospace;font-size:.95rem;white-space:pre-wrap;"
    "word-break:break-word;background:#f6f6f6;border-left:4px solid #8a1c1c;padding:.6rem 1rem;margin:0 0 .5rem}"
)


def _hash(text: str) -> str:
    return "'sha256-" + base64.b64encode(hashlib.sha256(text.encode("utf-8")).digest()).decode() + "'"


ERROR_PAGE_POLICY = (
    f"default-src 'none'; script-src {_hash(_SCRIPT)}; style-src {_hash(_STYLE)}; "
    "connect-src 'self'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'"
)


class BuildStatus:
    """The outcome of the last build under serve: its problems (None when it succeeded) and a
    number that grows with every build, failed or not (what the error page watches)."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self.generation = 0
        self.problems: list[str] | None = None

    def finished(self, problems: list[str] | None = None) -> None:
        with self._lock:
            self.problems = list(problems) if problems is not None else None
            self.generation += 1

    def snapshot(self) -> tuple[int, list[str] | None]:
        with self._lock:
            return self.generation, self.problems


def error_page(problems: list[str], generation: int) -> str:
    """The page shown at every address while the site cannot be built."""
    lines = [line for text in problems for line in str(text).splitlines() if line.strip()]
    body = "\n".join(f"<li>{html.escape(line)}</li>" for line in lines or ["The build failed; the terminal running make serve says why."])
    return f"""<!doctype html>
<html lang="en" data-build="{generation}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>The site cannot be built: fix the data</title>
<style>{_STYLE}</style>
</head>
<body>
<main>
<h1>The site cannot be built until these problems are fixed</h1>
<p>make serve could not build the site. Here is what its terminal says, line for line
(<code>file:line: field: message</code>). Fix the files and save them:
this page reloads by itself and shows the site again.</p>
<ul id="portal-build-problems">
{body}
</ul>
<noscript><p>Without JavaScript this page does not reload by itself: reload it after saving the file.</p></noscript>
</main>
<script>{_SCRIPT}</script>
</body>
</html>
"""


def _is_page(path: str, mount_path: str) -> bool:
    """A page address (a folder, an .html file or a name without a suffix), not an asset."""
    if not (path + "/").startswith(mount_path) and path != "/":
        return False
    last = posixpath.basename(path)
    return path.endswith("/") or last.endswith(".html") or "." not in last


def middleware(app: Callable, status: BuildStatus, mount_path: str = "/") -> Callable:
    """``app`` (MkDocs's live-reload server) with the error page and the live-reload script allowed."""
    mount_path = "/" + mount_path.strip("/") + "/" if mount_path.strip("/") else "/"

    def wrapped(environ, start_response) -> Iterable[bytes]:
        path = environ.get("PATH_INFO", "/").encode("latin-1").decode("utf-8", "ignore")
        generation, problems = status.snapshot()
        if path == STATUS_PATH:
            start_response("200 OK", [("Content-Type", "text/plain; charset=utf-8"), ("Cache-Control", "no-store")])
            return [str(generation).encode()]
        if problems is not None and not path.startswith("/livereload/") and _is_page(path, mount_path):
            body = error_page(problems, generation).encode("utf-8")
            # 200, not 503: the server logs every other status as a warning, and a warning logged
            # while the next build runs would fail that build (strict mode counts every one).
            start_response(
                "200 OK",
                [
                    ("Content-Type", "text/html; charset=utf-8"),
                    ("Content-Length", str(len(body))),
                    ("Cache-Control", "no-store"),
                    ("Content-Security-Policy", ERROR_PAGE_POLICY),
                ],
            )
            return [body]
        captured: dict = {}

        def capture(status_line, headers, exc_info=None):
            captured["status"], captured["headers"] = status_line, headers
            return lambda data: captured.setdefault("written", []).append(data)

        result = app(environ, capture)
        try:
            body = b"".join([*captured.get("written", []), *result])
        finally:
            if hasattr(result, "close"):
                result.close()
        headers = captured["headers"]
        if any(k.lower() == "content-type" and v.startswith("text/html") for k, v in headers):
            body = csp.allow_live_reload(body.decode("utf-8")).encode("utf-8")
            headers = [(k, v) for k, v in headers if k.lower() != "content-length"] + [("Content-Length", str(len(body)))]
        start_response(captured["status"], headers)
        return [body]

    return wrapped
