"""Configuration values are untrusted too: ``mkdocs.yml`` and the environment variables it reads.

Every value that reaches a page is checked before anything is built, by ``python -m portal
validate`` (which reads ``mkdocs.yml`` with :mod:`portal.load.siteconfig`, so ``!ENV`` resolves
as in a build, without MkDocs) and by every build (which hands the hook's configuration over),
with the same function, :func:`config_problems`, on plain values: nothing here knows MkDocs.

- the addresses: ``site_url`` (``SITE_URL``), ``extra.portal.repository``
  (``PORTAL_REPOSITORY_URL``, or GitHub Actions' ``GITHUB_SERVER_URL``/``GITHUB_REPOSITORY``)
  and ``extra.portal.map.tiles.url`` are https:// addresses with a host and without quotes,
  spaces, angle brackets, a user or a password (``site_url`` may be http:// on this computer,
  127.0.0.1 or localhost, for ``mkdocs serve`` and the tests); ``extra.portal.branch`` is a
  branch name;
- the texts that Material puts into its templates unescaped (``site_name``,
  ``site_description``, ``copyright``, the titles of ``nav``) are plain text;
- the tiles' attribution, which the map shows as HTML, has only links (``<a href="https://…">``);
- ``extra_javascript`` and ``extra_css`` are files of the site, not addresses; pymdownx.snippets
  includes from the project's folder only, never from another host, and appends only files
  that pages may include (:data:`portal.check.pagecheck.SNIPPET_FILES`, checked like pages);
- ``extra`` holds only what the portal reads (Material's other ``extra`` settings add scripts
  or requests to other hosts).

Each error names the setting: ``mkdocs.yml: site_url (SITE_URL): …``.
"""

from __future__ import annotations

import os
import re
from collections.abc import Callable, Mapping
from typing import Any
from urllib.parse import urlsplit

from portal.check.pagecheck import SNIPPET_FILES, plain_text_problem
from portal.check.pocheck import tokens

EXTRA_KEYS = ("portal", "generator", "alternate")  # alternate: set by the hook (the language selector)
PORTAL_KEYS = ("repository", "branch", "map", "editions", "lang")  # editions, lang: set by the hook
_FORBIDDEN = re.compile(r"[\"'<>`\s\\\x00-\x1f\x7f]")
_BRANCH = re.compile(r"[A-Za-z0-9._/-]+")
_LOOPBACK = ("127.0.0.1", "localhost", "[::1]")


def url_problem(value: Any, local_http: bool = False, braces: bool = False) -> str | None:
    """Why ``value`` is not a usable https address, or None."""
    if not isinstance(value, str) or not value:
        return "must be an https:// address"
    bad = _FORBIDDEN.search(value)
    if bad:
        char = bad.group()
        shown = {" ": "a space", "\t": "a tab", "\n": "a line break"}.get(char, repr(char) if char.isprintable() else f"U+{ord(char):04X}")
        return f"must be an https:// address without quotes, spaces or angle brackets; {shown} found in {value!r}"
    if not braces and ("{" in value or "}" in value):
        return f"must be an https:// address without braces; got {value!r}"
    try:
        parts = urlsplit(value.replace("{s}", "a") if braces else value)
        host = parts.hostname
    except ValueError:
        return f"must be an https:// address; got {value!r}"
    if parts.scheme == "http" and local_http and parts.netloc.split(":")[0] in _LOOPBACK:
        return None
    if parts.scheme != "https" or not host:
        return f"must be an https:// address (http:// only for 127.0.0.1 or localhost); got {value!r}" if local_http else f"must be an https:// address; got {value!r}"
    if parts.username is not None or parts.password is not None:
        return f"must not carry a user name or password; got {value!r}"
    return None


def _attribution_problem(value: Any) -> str | None:
    if not isinstance(value, str):
        return "must be a text"
    for token in tokens(value):
        if token[0] == "text":
            problem = plain_text_problem(token[1])
            if problem:
                return problem
        elif token[0] == "start" and token[1] == "a" and [k for k, _ in token[2]] == ["href"]:
            problem = url_problem(token[2][0][1])
            if problem:
                return f'<a href>: {problem}'
        elif token[0] == "end" and token[1] == "a":
            continue
        else:
            return 'only text and links (<a href="https://…">) are allowed'
    return None


def _nav_titles(nav: Any, path: str = "nav"):
    if isinstance(nav, list):
        for index, item in enumerate(nav):
            yield from _nav_titles(item, f"{path}[{index}]")
    elif isinstance(nav, dict):
        for title, target in nav.items():
            yield path, title
            yield from _nav_titles(target, f"{path}.{title}")


Add = Callable[[str, str | None], None]  # (setting, problem or None)


def config_problems(config: Mapping[str, Any], env: Mapping[str, str] | None = None, shown: str = "mkdocs.yml") -> list[str]:
    """Every problem of the configuration values that reach the pages, as ``mkdocs.yml: setting: message``.

    ``config`` holds mkdocs.yml's values (site_url, site_name, site_description, copyright,
    nav, extra), as loaded, environment variables resolved; ``env`` the environment."""
    env = os.environ if env is None else env
    out: list[str] = []

    def add(setting: str, problem: str | None) -> None:
        if problem:
            out.append(f"{shown}: {setting}: {problem}")

    _site_problems(config, add)
    snippets = _snippet_options(config)
    if snippets is not None:
        _snippet_problems(snippets, add)
    extra = config.get("extra") or {}
    if not isinstance(extra, Mapping):
        add("extra", "must be key: value lines")
        return out
    for key in extra:
        if key not in EXTRA_KEYS:
            add(f"extra.{key}", f"not a setting of the portal (Material's extra settings add scripts or requests to other hosts); allowed: {', '.join(EXTRA_KEYS[:2])}")
    settings = extra.get("portal") or {}
    if not isinstance(settings, Mapping):
        add("extra.portal", "must be key: value lines")
        return out
    _portal_problems(settings, env, add)
    return out


def _site_problems(config: Mapping[str, Any], add: Add) -> None:
    """The site's address, names and navigation titles, and its own scripts and styles."""
    if config.get("site_url"):
        add("site_url (SITE_URL)", url_problem(config["site_url"], local_http=True))
    for key in ("site_name", "site_description", "copyright"):
        value = config.get(key)
        if value is not None:
            add(key, plain_text_problem(value) if isinstance(value, str) else "must be a text")
    for where, title in _nav_titles(config.get("nav")):
        add(f"{where} title {title!r}" if isinstance(title, str) else where, plain_text_problem(title) if isinstance(title, str) else "a title must be a text")
    for key in ("extra_javascript", "extra_css"):
        for index, item in enumerate(config.get(key) or []):
            path = item.get("path") if isinstance(item, Mapping) else getattr(item, "path", item)
            if not isinstance(path, str) or re.match(r"[A-Za-z][A-Za-z0-9+.-]*:|//|\\", path) or _FORBIDDEN.search(path):
                add(f"{key}[{index}]", f"must be a file of the site (such as assets/portal.js), not an address; got {path!r}")


def _snippet_problems(snippets: Mapping[str, Any], add: Add) -> None:
    """pymdownx.snippets includes only the files pages may include, and only from this project."""
    for name in snippets.get("auto_append") or []:
        if name not in SNIPPET_FILES:
            add("markdown_extensions: pymdownx.snippets: auto_append", f"{name!r} is not in the files pages may include ({', '.join(SNIPPET_FILES)}: hooks/portal/check/pagecheck.py), which are checked like pages")
    if snippets.get("url_download"):
        add("markdown_extensions: pymdownx.snippets: url_download", "must be false: a page never includes a file from another host")
    base = snippets.get("base_path", ["."])
    if [str(b) for b in (base if isinstance(base, list) else [base])] not in (["."], [""]):
        add("markdown_extensions: pymdownx.snippets: base_path", f"must be [.] (the project's folder, where the files pages may include are); got {base!r}")


def _portal_problems(settings: Mapping[str, Any], env: Mapping[str, str], add: Add) -> None:
    """extra.portal: the repository (edit links), the branch, the map's tiles."""
    for key in settings:
        if key not in PORTAL_KEYS:
            add(f"extra.portal.{key}", f"unknown setting; allowed: {', '.join(PORTAL_KEYS[:3])}")
    repository = settings.get("repository") or ""
    if repository:
        add("extra.portal.repository (PORTAL_REPOSITORY_URL)", url_problem(repository))
    elif env.get("GITHUB_REPOSITORY"):
        composed = f"{env.get('GITHUB_SERVER_URL', 'https://github.com')}/{env['GITHUB_REPOSITORY']}"
        add("the repository (GITHUB_SERVER_URL/GITHUB_REPOSITORY)", url_problem(composed))
    branch = settings.get("branch", "main")
    if not (isinstance(branch, str) and _BRANCH.fullmatch(branch) and ".." not in branch):
        add("extra.portal.branch", f"must be a branch name (letters, digits, '.', '_', '-', '/'); got {branch!r}")
    tiles = ((settings.get("map") or {}) if isinstance(settings.get("map"), Mapping) else {}).get("tiles") or {}
    if isinstance(tiles, Mapping) and tiles.get("enabled", True) and tiles.get("url") is not None:
        add("extra.portal.map.tiles.url", url_problem(tiles.get("url"), braces=True))
        if tiles.get("attribution") is not None:
            add("extra.portal.map.tiles.attribution", _attribution_problem(tiles.get("attribution")))


def _snippet_options(config: Mapping[str, Any]) -> Mapping[str, Any] | None:
    """pymdownx.snippets' options: from the hook (``snippets``) or from mkdocs.yml's list."""
    if config.get("snippets") is not None:
        return config["snippets"]
    for item in config.get("markdown_extensions") or []:
        if item == "pymdownx.snippets":
            return {}
        if isinstance(item, Mapping) and "pymdownx.snippets" in item:
            return item["pymdownx.snippets"] or {}
    return None

