"""Every workaround of Material for MkDocs, MkDocs and lunr, in one place, each saying which
upstream behaviour it works around (and the upstream issue, where there is one).

Here (called by ``portal_hook.py``, :mod:`portal.glue.edition`, :mod:`portal.glue.sitefiles` and :mod:`portal.glue.page`):

==========================================  ============================================================
:func:`set_search_language`                 lunr has no Azerbaijani stemmer; Material's default pipeline
:func:`utf8_search_index`                   Material writes the search index with ``\\uXXXX`` escapes
:func:`drop_language_links`                 Material's ``<link rel=alternate hreflang>`` make its scripts
                                            download every edition's sitemap (zensical/zensical#908)
:func:`feed_sitemap`                        the same scripts fetch ``sitemap.xml`` beside every alternate,
                                            the feeds' too (squidfunk/mkdocs-material#1668, zensical#908)
:func:`repository`                          with ``repo_url`` Material asks the GitHub API on every page
:func:`toc_in_english`                      Material writes the table of contents outside the page's text,
                                            so a page shown in English does not mark its headings there
:func:`escape_theme_texts`,                 Material writes site_name, site_description, nav titles and a
:func:`translate_nav`,                      page's description into the HTML unescaped
:func:`escape_description`
:func:`inclusion`                           Material renders the whole navigation into every page
                                            (quadratic: squidfunk/mkdocs-material#1210, #2213)
:func:`release_written`, :func:`release_page`  MkDocs keeps every generated file's and page's content to the
                                            end of the build (mkdocs/mkdocs#1960, #2384)
:func:`convert_when_built`, :func:`convert_now`  MkDocs converts every page before it builds the first
                                            (mkdocs/mkdocs#2384): a generated page is converted when built
:func:`keep_serving_on_failure`             ``mkdocs serve`` exits when the first build fails and keeps the
                                            browser waiting after a failed rebuild (mkdocs/mkdocs#3166)
:func:`watch_hook_code`                     ``mkdocs serve`` does not reload a hook's code (mkdocs/mkdocs#3993)
==========================================  ============================================================

Elsewhere, because they are algorithms of their own or belong to what they change:

- :mod:`portal.glue.searchtext` (and its use in :mod:`portal.glue.prerender` and the hook's
  ``on_page_context``): Material's search plugin parses excluded blocks and matches end tags by
  name, so text after a nested ``</div>`` of a ``data-search-exclude`` block is indexed anyway;
- the hook's ``_page_html``: a generated page's file is empty (filling File contents in
  ``on_files``, as MkDocs 1.6 advises, would hold every generated page in memory at once); the
  page is taken from the output when MkDocs builds it, and converted (:func:`convert_now`);
- ``portal.publish.feeds.EMPTY_SITEMAP`` (the text :func:`feed_sitemap` writes);
- :mod:`portal.render.routes`: MkDocs's URL rules for generated links; :mod:`portal.render.stash`:
  the stash of finished HTML that Python-Markdown's slow HTML-block parser never sees.
"""

from __future__ import annotations

import json
import logging
import os
import re
import sys
import threading
import time
import traceback
from collections.abc import Callable
from pathlib import Path

from markupsafe import Markup
from mkdocs.exceptions import Abort
from mkdocs.structure.files import File, InclusionLevel

from portal.i18n.i18n import DEFAULT

# -- search (Material's search plugin, lunr) ------------------------------------------------------

# Search (lunr, in Material). Russian: lunr's Russian stemmer. Azerbaijani: lunr has no stemmer;
# the nearest, Turkish, expects Turkish vowel harmony, which "ə" breaks, and costs readers 5 KB
# more on every first visit. Azerbaijani adds suffixes to an unchanged stem (rayon, rayonlar,
# rayonlarında), and Material searches as you type with a trailing wildcard, so whole words
# without stemming find every form that starts with the typed letters: the az edition indexes
# words as they are (lunr's default tokenizer, no stop-word list, no stemmer). English keeps
# Material's default (stop words, no stemmer).
SEARCH_LANGUAGES = {"en": "en", "az": "en", "ru": "ru"}
SEARCH_PIPELINES = {"az": []}


def _search_plugin(config):
    return config.plugins.get("material/search") or config.plugins.get("search")


def material_search(config) -> bool:
    """Whether Material's search plugin indexes this build (then the excluded elements are cut
    out for it: :mod:`portal.glue.searchtext`)."""
    search = _search_plugin(config)
    return type(search).__module__.startswith("material.") and bool(search.config.get("enabled", True))


def set_search_language(config, lang: str) -> None:
    """lunr's language and pipeline for the edition, unless mkdocs.yml sets them (see above)."""
    search = _search_plugin(config)
    if search is not None and not search.config.get("lang"):
        search.config["lang"] = [SEARCH_LANGUAGES[lang]]
        if lang in SEARCH_PIPELINES and search.config.get("pipeline") is None:
            search.config["pipeline"] = SEARCH_PIPELINES[lang]


def utf8_search_index(site_dir: str, lang: str) -> None:
    """Material writes the search index with every non-ASCII letter escaped (\\u0410: six bytes
    for one Cyrillic letter); the same JSON in UTF-8 is what readers of the az and ru editions
    download."""
    index = Path(site_dir) / "search" / "search_index.json"
    if index.is_file() and lang != DEFAULT:
        index.write_text(json.dumps(json.loads(index.read_text("utf-8")), ensure_ascii=False, separators=(",", ":")), "utf-8")


# -- the language editions' links and sitemaps ---------------------------------------------------

_LANGUAGE_LINK = re.compile(r'[ \t]*<link rel="alternate" href="[^"]*" hreflang="[^"]*">\n?')


_TOC_LIST = re.compile(r'<ul class="md-nav__list" data-md-component="toc"')


def toc_in_english(html: str) -> str:
    """A page shown in English in another edition (portal.glue.page.fallback_note) has its text
    marked lang="en", but Material writes the table of contents, its headings, outside the page's
    text, in the navigation: each list of it marked too (WCAG 3.1.2, the language of parts), the
    navigation's own label staying in the edition's language."""
    return _TOC_LIST.sub(r'\g<0> lang="en"', html)


def drop_language_links(html: str) -> str:
    """Material writes a <link rel="alternate" hreflang> to each edition's home page into every
    page, and its scripts then download each edition's sitemap on a reader's first visit (about
    35 KB gzipped each at 1,000 regions, on a slow phone; zensical/zensical#908 describes the
    script). The language selector's links lead to the same page in each edition without them,
    and search engines read the alternates of every page from the sitemaps (xhtml:link), so the
    portal leaves these out."""
    head = html.find("</head>")  # they are in the head: the body is not searched
    if head < 0:
        return _LANGUAGE_LINK.sub("", html)
    return _LANGUAGE_LINK.sub("", html[:head]) + html[head:]


def feed_sitemap(config) -> File:
    """Material's instant navigation fetches "sitemap.xml" beside every <link rel=alternate>
    (squidfunk/mkdocs-material#1668; zensical/zensical#908), meant for language editions; the
    feed links are alternates too. An empty sitemap there answers that request instead of a 404."""
    from portal.publish import feeds

    return File.generated(config, "feeds/sitemap.xml", content=feeds.EMPTY_SITEMAP)


def repository(config) -> tuple[str, str] | None:
    """The GitHub repository and branch for "edit" links: from mkdocs.yml (PORTAL_REPOSITORY_URL),
    else from GitHub Actions. MkDocs's repo_url is not used: with it Material would ask the
    GitHub API for stars and forks on every page, a request to a third-party host."""
    settings = config.extra.get("portal", {}) or {}
    found = settings.get("repository") or ""
    if not found and os.environ.get("GITHUB_REPOSITORY"):
        found = f"{os.environ.get('GITHUB_SERVER_URL', 'https://github.com')}/{os.environ['GITHUB_REPOSITORY']}"
    return (found.rstrip("/"), settings.get("branch", "main")) if found else None


# -- texts Material writes unescaped --------------------------------------------------------------


def escape_theme_texts(config, gettext: Callable[[str], str]) -> None:
    """Material puts these into its templates unescaped: plain text (portal.check.configcheck,
    portal.check.pocheck), translated, then escaped."""
    config.site_name = Markup.escape(gettext(config.site_name))
    if config.site_description:
        config.site_description = Markup.escape(gettext(config.site_description))


def translate_nav(nav, gettext: Callable[[str], str]):
    """The sidebar's titles come from mkdocs.yml in English; each edition shows them translated,
    escaped: Material does not escape them (plain text: portal.check.configcheck, portal.check.pocheck)."""

    def walk(items):
        for item in items:
            if item.title:
                item.title = Markup.escape(gettext(item.title))
            if getattr(item, "children", None):
                walk(item.children)

    walk(nav.items)
    return nav


def escape_description(page) -> None:
    """Material writes the front matter's description into an attribute unescaped (plain text:
    portal.check.pagecheck)."""
    if isinstance(page.meta.get("description"), str):
        page.meta["description"] = Markup.escape(page.meta["description"])


def inclusion(src_uri: str) -> InclusionLevel:
    """Region pages stay out of the sidebar: Material renders the whole navigation into every
    page, which would make the build quadratic in the number of regions
    (squidfunk/mkdocs-material#1210, #2213)."""
    from portal.render import routes

    return InclusionLevel.UNDEFINED if routes.in_nav(src_uri) else InclusionLevel.NOT_IN_NAV


# -- memory: what MkDocs keeps to the end of a build ---------------------------------------------


def release_written(files) -> None:
    """MkDocs copies every other file into the site before it builds the first page, but keeps
    the generated ones (downloads, map layers, feeds) in memory to the end of the build
    (mkdocs/mkdocs#1960): the content of those already written, byte for byte, is dropped."""
    for file in files:
        # generated in memory (not backed by a file on disk), and not a page
        if not file.generated_by or file.abs_src_path is not None or file.is_documentation_page():
            continue
        size = len(file.content_bytes)
        try:
            written = os.path.getsize(file.abs_dest_path)
        except OSError:
            continue
        if written == size:
            file.content_bytes = b""


def release_page(page) -> None:
    """The page is rendered and about to be written: nothing reads its HTML or Markdown again in
    this build (the search plugin has indexed it, the sitemap needs only its address), but
    MkDocs keeps every page object, and with it every page's HTML, to the end of the build
    (it converts every page before it writes the first: mkdocs/mkdocs#2384)."""
    page.content = ""
    page.markdown = ""


# -- the order of the build: generated pages converted when they are built --------------------------


def convert_when_built(page) -> None:
    """MkDocs converts the Markdown of every page (``_populate_page``) before it builds the first
    (``_build_page``). A generated page is made on the second core (portal.glue.prerender), in
    the order MkDocs builds the pages: had MkDocs converted it with the others, this process
    would have waited for it (or made it itself), and the second core would have been idle while
    MkDocs built the pages. So its conversion waits for :func:`convert_now`: MkDocs calls
    ``page.render(config, files)`` after ``on_page_markdown``, and this page's own ``render``
    (an attribute of the object, which Python finds before the class's method) only leaves it
    empty. Its title, in the navigation, is the one mkdocs.yml gives it; its own, from its
    heading, is set by convert_now, before anything reads it (a region page is in no menu)."""

    def not_yet(config, files) -> None:
        page.content = ""

    page.render = not_yet


def convert_now(page, markdown: str, config, files) -> None:
    """The page's Markdown converted, as MkDocs converts a page it reads (its front matter read
    by MkDocs's own reader, and its own ``Page.render``, with the build's files): called before
    any plugin's ``on_page_context``, the first to read what it sets."""
    from mkdocs.utils.meta import get_data

    vars(page).pop("render", None)  # MkDocs's method again (if MkDocs skipped populating the page, it never was another)
    page.markdown, front_matter = get_data(markdown)
    page.meta = {**front_matter, **page.meta}  # with the description on_page_markdown set
    page.render(config, files)


# -- mkdocs serve ---------------------------------------------------------------------------------


class _Collect(logging.Handler):
    """The warnings and errors one build logs, as the terminal prints them (without the level)."""

    def __init__(self) -> None:
        super().__init__(logging.WARNING)
        self.thread = threading.get_ident()
        self.lines: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        # only the build's own messages: the server's threads log their requests here too
        if record.thread == self.thread and not record.name.startswith("mkdocs.livereload"):
            self.lines.append(record.getMessage())


def keep_serving_on_failure(finished: Callable[[list[str] | None], None]) -> None:
    """Under `mkdocs serve` only: a failed build ends normally, and ``finished`` gets its
    problems (None after a build that succeeded), which portal.glue.servepage shows at every
    address of the site until a build succeeds.

    MkDocs 1.6's serve command calls ``mkdocs.commands.serve.build`` for the first build and for
    every rebuild; when it raises, the server keeps every request waiting until a build
    succeeds (the browser spins, with no message) and exits if the first build fails
    (mkdocs/mkdocs#3166, of which mkdocs/mkdocs#3255 fixed only the exit after a rebuild). MkDocs
    has no event for this, so that one name is wrapped, in the serve command's module only:
    `mkdocs build` never passes through it and fails as before."""
    try:
        from mkdocs.commands import serve as serve_command
    except ImportError:  # pragma: no cover - another MkDocs: its own behaviour
        return
    build = getattr(serve_command, "build", None)
    if build is None or getattr(build, "portal_wrapped", False):
        return
    if "--no-livereload" in sys.argv:  # no on_serve, so no error page: MkDocs's own behaviour
        return

    def build_or_show_problems(config, **kwargs):
        collect = _Collect()
        logger = logging.getLogger("mkdocs")
        logger.addHandler(collect)
        try:
            build(config, **kwargs)
        except Abort as exc:  # MkDocs has logged the problems (collected)
            finished(collect.lines + ([str(exc)] if "strict mode" in str(exc) else []))
        except Exception:  # a bug, not the data: the traceback, in the terminal and the page
            traceback.print_exc()
            finished(collect.lines + traceback.format_exc().splitlines())
        else:
            finished(None)
        finally:
            logger.removeHandler(collect)

    build_or_show_problems.portal_wrapped = True
    serve_command.build = build_or_show_problems


def watch_hook_code(folder: Path):
    """One line when a file under hooks/ changes (at most one every 5 s): MkDocs does not reload
    a hook's code (mkdocs/mkdocs#3993), and a rebuild would run the old code. The watcher
    (stop it with ``.stop()``), or None without a hooks/ folder."""
    if not folder.is_dir():
        return None
    import watchdog.events
    import watchdog.observers.polling

    said = [0.0]

    def changed(event) -> None:
        if event.is_directory or "__pycache__" in event.src_path or time.monotonic() - said[0] < 5:
            return
        said[0] = time.monotonic()
        name = Path(event.src_path).relative_to(folder.parent).as_posix() if Path(event.src_path).is_relative_to(folder.parent) else event.src_path
        # Not through the "mkdocs" loggers: a warning there during a build would fail it (--strict).
        sys.stderr.write(f"WARNING -  {name} changed: restart make serve (Ctrl+C, then make serve) to use the new code; until then the site is built with the old code\n")
        sys.stderr.flush()

    handler = watchdog.events.FileSystemEventHandler()
    handler.on_any_event = changed
    observer = watchdog.observers.polling.PollingObserver(timeout=1)
    observer.schedule(handler, str(folder), recursive=True)
    observer.daemon = True
    observer.start()
    return observer
