"""The portal's MkDocs hook: it only translates MkDocs events into calls of ``hooks/portal``.

MkDocs puts this file's folder on sys.path only while it imports the hook, so the
package is imported here, at import time. ``mkdocs serve`` does not reload hook code:
restart it after changing anything under hooks/ (data changes rebuild as usual); under serve,
a change there prints one line that says so (on_serve).
"""

from __future__ import annotations

import functools
import gc
import json
import logging
import os
import sys
import threading
import time
import traceback
from dataclasses import dataclass, field, fields
from pathlib import Path
from urllib.parse import urlsplit

from markupsafe import Markup
from mkdocs.exceptions import Abort, BuildError, PluginError
from mkdocs.plugins import CombinedEvent, event_priority
from mkdocs.structure.files import File, InclusionLevel
from mkdocs.utils import CountHandler

from portal.build import atomic, csp, servepage
from portal.publish import feeds
from portal.render import freshness, glossary
from portal.i18n import translations
from portal.load.discovery import could_not_read, keep_parsed_files
from portal.i18n.i18n import DEFAULT, EDITIONS, HREFLANG_SITEMAP, NAMES, SEARCH_LANGUAGES, SEARCH_PIPELINES, Language, drop_language_links, edition_url, hreflang_sitemap
from portal.check.inputs import check_inputs
from portal.render.pages import Renderer, expand_directives, unstash
from portal.build.prerender import Output
from portal.problems import count, lines as problem_lines
from portal.build import searchtext

# Only loggers under "mkdocs." count towards --strict.
log = logging.getLogger("mkdocs.plugins.portal")



@dataclass
class _BuildState:
    """What the hook keeps from one MkDocs event to the next, for one build (under ``mkdocs
    serve``, one rebuild: :meth:`forget` clears all but the command before the next)."""

    command: str | None = None  # on_startup: "build", "serve", "gh-deploy"
    dirty: bool = False  # on_startup: --dirty, which adds to the site it finds
    processing: str | None = None  # what an unexpected error names: a file, or the inputs
    reading: bool = False  # while MkDocs reads a hand-written page: an error is the file's
    scripts: csp.TemplateScripts | None = None  # the templates' inline scripts, for the CSP
    repository: str | None = None  # repo_url, for the edit links
    tiles_url: str | None = None  # the map tiles' host, when the tiles are on, for the CSP
    renderer: Renderer | None = None  # this edition's pages
    english: Renderer | None = None  # the English edition's (the same object in the English build)
    language: Language | None = None
    output: Output | None = None  # the pages made on the second core
    publish: tuple[str, str] | None = None  # (the hidden folder built into, the site_dir it replaces)
    page_sources: dict[str, str] = field(default_factory=dict)  # page -> the file it was read from
    fallback_pages: set[str] = field(default_factory=set)  # pages shown in English in this edition
    generated_pages: set[str] = field(default_factory=set)  # pages made from data/
    prepared: dict = field(default_factory=dict)  # generated page -> its prepared output
    stash: dict[str, list] = field(default_factory=dict)  # page -> HTML kept out of Markdown
    search_cut: dict = field(default_factory=dict)  # page -> what the search index must not read
    search_hidden: dict = field(default_factory=dict)  # page -> what was hidden from it, to restore
    written_files: object = None  # on_page_context -> on_post_page: the build's files

    def take(self, name: str):
        """The field's value, which is cleared (the events that hand one value on)."""
        value = getattr(self, name)
        setattr(self, name, None)
        return value

    def forget(self) -> None:
        """Everything but the command, as before the first event of a build."""
        fresh = _BuildState(command=self.command)
        for item in fields(self):
            setattr(self, item.name, getattr(fresh, item.name))


_state = _BuildState()
# Under `mkdocs serve`: the outcome of the last build, shown in the browser (portal.build.servepage).
_serve_status = servepage.BuildStatus()


def _guarded(event):
    """No failure ends in a Python traceback: an unexpected exception in the hook becomes a
    build error naming the file being processed (see also on_build_error)."""

    @functools.wraps(event)  # keeps event_priority's mark
    def run(*args, **kwargs):
        try:
            return event(*args, **kwargs)
        except (BuildError, Abort):
            raise
        except Exception as exc:
            raise PluginError(_unexpected(exc)) from exc

    return run


def _unexpected(exc: BaseException) -> str:
    where = _state.processing or "the build"
    if _state.reading:
        return f"{where}: {could_not_read(exc)}"
    return f"{where}: unexpected error while building it ({type(exc).__name__}: {exc}); this is a bug in the portal, not in the file: please report it"


def on_startup(command, dirty):
    _state.command = command
    _state.dirty = dirty
    if command == "serve":  # rebuilds re-parse only the files that changed
        keep_parsed_files()
        _keep_serving_on_failure()


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


def _keep_serving_on_failure() -> None:
    """Under `mkdocs serve` only: a failed build ends normally, and its problems are shown at
    every address of the site (portal.build.servepage) until a build succeeds.

    MkDocs 1.6's serve command calls ``mkdocs.commands.serve.build`` for the first build and for
    every rebuild; when it raises, the server keeps every request waiting until a build
    succeeds (the browser spins, with no message) and exits if the first build fails. MkDocs
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
            lines = collect.lines + ([str(exc)] if "strict mode" in str(exc) else [])
            _serve_failed(lines)
        except Exception:  # a bug, not the data: the traceback, in the terminal and the page
            traceback.print_exc()
            _serve_failed(collect.lines + traceback.format_exc().splitlines())
        else:
            _serve_status.finished(None)
        finally:
            logger.removeHandler(collect)

    build_or_show_problems.portal_wrapped = True
    serve_command.build = build_or_show_problems


def _serve_failed(lines: list[str]) -> None:
    _serve_status.finished(lines)
    log.error("The site was not rebuilt: every page of the site in the browser shows the problems above until they are fixed, then reloads by itself.")


def on_serve(server, config, builder):
    """The error page and the live-reload script (portal.build.servepage), and a line in the
    terminal when the hook's code changes (MkDocs would rebuild with the old code)."""
    if not getattr(server, "portal_wrapped", False):
        server.set_app(servepage.middleware(server.get_app(), _serve_status, urlsplit(config.site_url or "/").path))
        server.portal_wrapped = True
        _watch_hook_code(Path(config.config_file_path).parent / "hooks")
    return server


def _watch_hook_code(folder: Path) -> None:
    """One line when a file under hooks/ changes (at most one every 5 s): MkDocs does not reload
    a hook's code, and a rebuild would run the old code."""
    if not folder.is_dir():
        return
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
    _hook_watchers.append(observer)


_hook_watchers: list = []


def on_shutdown():
    for observer in _hook_watchers:
        observer.stop()
    _hook_watchers.clear()


def _repository(config) -> tuple[str, str] | None:
    """The GitHub repository and branch for "edit" links: from mkdocs.yml (PORTAL_REPOSITORY_URL),
    else from GitHub Actions. MkDocs's repo_url is not used: with it Material would ask the
    GitHub API for stars and forks on every page, a request to a third-party host."""
    settings = config.extra.get("portal", {}) or {}
    repository = settings.get("repository") or ""
    if not repository and os.environ.get("GITHUB_REPOSITORY"):
        repository = f"{os.environ.get('GITHUB_SERVER_URL', 'https://github.com')}/{os.environ['GITHUB_REPOSITORY']}"
    return (repository.rstrip("/"), settings.get("branch", "main")) if repository else None


def _edition(config) -> str:
    """Set up the language edition named by theme.language (PORTAL_EDITION in mkdocs.yml).

    Each edition is its own build (Material's documented pattern for multilingual sites):
    English at the site's root, the others under /<lang>/, each with Material's own strings in
    its language, its own search index and sitemap."""
    lang = config.theme["language"]
    if lang not in EDITIONS:
        raise PluginError(f"mkdocs.yml: theme.language (PORTAL_EDITION) is '{lang}'; expected one of: {', '.join(EDITIONS)}")
    base = config.site_url or "http://127.0.0.1:8000/"
    base = base if base.endswith("/") else base + "/"
    if lang != DEFAULT and _state.command == "build" and Path(config.site_dir).name != lang:
        raise PluginError(f"the {lang} edition is built into a folder named {lang} beside the English site: mkdocs build -d site/{lang} (make build does this)")
    # `mkdocs serve` serves the one edition it builds at its own address (it fixes the mount path
    # before any hook runs); a build puts the edition under /<lang>/.
    if _state.command != "serve":
        config.site_url = edition_url(base, lang)
    editions = [{"name": NAMES[e], "lang": e, "link": edition_url(base, e)} for e in EDITIONS]
    config.extra["alternate"] = editions  # Material's language selector (its <link hreflang> tags are dropped: on_post_page)
    config.extra.setdefault("portal", {})["editions"] = editions
    config.extra["portal"]["lang"] = lang
    search = config.plugins.get("material/search") or config.plugins.get("search")
    if search is not None and not search.config.get("lang"):
        search.config["lang"] = [SEARCH_LANGUAGES[lang]]
        if lang in SEARCH_PIPELINES and search.config.get("pipeline") is None:
            search.config["pipeline"] = SEARCH_PIPELINES[lang]
    return lang


@event_priority(100)  # before Material's search plugin reads its language
@_guarded
def on_config(config):
    if _state.command == "serve":
        _forget_previous_build()
    root = Path(config.config_file_path).parent
    docs_dir = Path(config.docs_dir)
    # Every input is checked here, before MkDocs empties site_dir: the data, the pages, the
    # catalogues and the configuration, as `python -m portal validate` checks them (portal.check.inputs).
    _state.processing = "data/, content/, overrides/locale/ and mkdocs.yml"
    checked = check_inputs(root / "data", docs_dir, _config_values(config))
    if not checked.ok:
        raise PluginError(checked.message("the site was not rebuilt" if _state.command == "serve" else "nothing was published"))
    try:
        _state.scripts = csp.template_scripts([Path(d) for d in config.theme.dirs])
    except csp.TemplateError as exc:
        raise PluginError(str(exc)) from None
    lang = _edition(config)
    site = checked.site
    # Data warnings (a ring rewound, coordinates rounded, a region without geometry) are
    # repaired or harmless: shown, but at INFO so that a strict build still succeeds.
    for line in problem_lines(site.warnings):
        log.info(line)
    if _state.command == "serve":
        # The parsed files kept between rebuilds are hundreds of thousands of long-lived objects:
        # without this, every garbage collection of the rebuild would walk through them again.
        gc.collect()
        gc.freeze()
    settings = config.extra.get("portal", {}) or {}
    tiles = (settings.get("map") or {}).get("tiles") or {}
    repository = _repository(config)
    _state.repository = repository
    edit_base = f"{repository[0]}/edit/{repository[1]}/" if repository else None
    _state.tiles_url = tiles.get("url") if tiles.get("enabled", True) else None
    options = dict(edit_base=edit_base, tiles=tiles if tiles.get("enabled", True) else None, schema_dir=root / "data" / "schemas")
    _state.renderer = Renderer(site, lang=lang, **options)
    # The downloads are the same in every edition: English labels, every translation in the data.
    _state.english = _state.renderer if lang == DEFAULT else Renderer(site, **options)
    _state.language = Language(lang)
    config.extra["portal"]["footer"] = freshness.footer_facts(site, _state.language)
    # Tooltips for the glossary's terms in hand-written Markdown (generated HTML: portal.render.glossary.Marker)
    config.mdx_configs.setdefault("abbr", {})["glossary"] = glossary.abbr_glossary(site.glossary, lang)
    # Material puts these into its templates unescaped: plain text (portal.check.configcheck, portal.check.pocheck), escaped.
    config.site_name = Markup.escape(_state.language.gettext(config.site_name))
    if config.site_description:
        config.site_description = Markup.escape(_state.language.gettext(config.site_description))
    # The generated pages, map layers and downloads are made from here on, on the second core
    # where there is one, while MkDocs collects files and converts the hand-written pages.
    _close_output()
    # one canonical address for the datasets: the English edition's (the files are the same in every edition)
    site_link = config.extra["portal"]["editions"][0]["link"]
    edition_link = config.site_url or "http://127.0.0.1:8000/"
    _state.output = Output(_state.renderer, _state.english, root / "data" / "schemas", site_link, edition_link, hide_search=_material_search(config))
    _state.output.start()
    return config


def _config_values(config) -> dict:
    """The configuration values that reach the pages, as mkdocs.yml gives them (portal.check.configcheck)."""
    values = {key: config.get(key) for key in ("site_url", "site_name", "site_description", "copyright", "nav", "extra_javascript", "extra_css")}
    snippets = config.mdx_configs.get("pymdownx.snippets") if "pymdownx.snippets" in config.markdown_extensions else None
    return values | {"extra": dict(config.extra), "snippets": snippets}


def _forget_previous_build() -> None:
    """`mkdocs serve` runs every build in this process: the last build's model, renderers and
    pages go, and so does the freeze that kept them out of the collector's walks (frozen
    objects are never collected: each rebuild would otherwise keep the last one's for good)."""
    _close_output()
    _state.forget()
    gc.unfreeze()


def _close_output() -> None:
    output = _state.take("output")
    if output is not None:
        output.close()


def on_pre_build(config):
    """Build into a hidden folder beside site_dir, which replaces it only when the build is
    complete (portal.build.atomic): MkDocs empties site_dir before it builds, so a failure would
    otherwise cost the published site. `mkdocs serve` builds into a temporary folder of its
    own, and a --dirty build adds to the site it finds."""
    if _state.command in ("build", "gh-deploy") and not _state.dirty:
        target = config.site_dir
        config.site_dir = atomic.partial_dir(target)
        _state.publish = (config.site_dir, target)


def on_build_error(error):
    _close_output()
    publish = _state.take("publish")
    if publish is not None:
        atomic.discard(publish[0])  # the previous site stays as it was
    if not isinstance(error, (BuildError, Abort)):
        # An exception from MkDocs, an extension or the portal that is not a build error: MkDocs
        # would print its traceback. Said in one line, with the file, and the build stops.
        log.error(_unexpected(error))
        raise Abort("Aborted with an unexpected error: nothing was published") from None


def _strict_failure() -> bool:
    """Whether MkDocs's --strict count has warnings, for which it aborts after on_post_build."""
    return any(isinstance(h, CountHandler) and h.get_counts() for h in logging.getLogger("mkdocs").handlers)


@event_priority(-100)  # after every plugin has written into the site (the search index, ...)
def _publish(config):
    publish = _state.take("publish")
    if publish is None:
        return
    partial, target = publish
    if _strict_failure():
        atomic.discard(partial)  # MkDocs aborts next: the previous site stays as it was
        return
    atomic.replace(partial, target)
    config.site_dir = target


@_guarded
def _post_build(config):
    _close_output()  # its files are copied into the site
    # Material writes the search index with every non-ASCII letter escaped (\u0410: six bytes for
    # one Cyrillic letter); the same JSON in UTF-8 is what readers of the az and ru editions download.
    index = Path(config.site_dir) / "search" / "search_index.json"
    if index.is_file() and _state.language.code != DEFAULT:
        index.write_text(json.dumps(json.loads(index.read_text("utf-8")), ensure_ascii=False, separators=(",", ":")), "utf-8")
    _translation_summary(config)


def _translation_summary(config) -> None:
    """One line per edition for what it shows in English (TRANSLATIONS=1, i.e. PORTAL_TRANSLATIONS=1:
    every text and page, one line each, as validate lists them). At INFO: not warnings for --strict."""
    lang = _state.language.code
    if lang == DEFAULT:
        return
    if os.environ.get("PORTAL_TRANSLATIONS", "").lower() in ("1", "yes", "true"):
        root = Path(config.config_file_path).parent
        for line in translations.missing_in_data(root / "data", (lang,)) + translations.missing_pages(Path(config.docs_dir), (lang,)):
            log.info(line)
    views = _state.renderer.views
    shown = [count(views.fallbacks_total, "data text", "data texts")] if views.fallbacks_total else []
    pages = len(_state.fallback_pages)
    shown += [count(pages, "page", "pages")] if pages else []
    if shown:
        log.info(f"{lang}: {' and '.join(shown)} {'is' if shown == ['1 data text'] or shown == ['1 page'] else 'are'} shown in English (not yet translated); {translations.LIST_HINT}")


on_post_build = CombinedEvent(_post_build, _publish)


@_guarded
def on_env(env, config, files):
    _state.processing = None
    # MkDocs copies the generated files into the site next: every one of them must be written.
    _state.output.finish()
    # main.html and 404.html are rendered by MkDocs's Jinja environment: give it the edition's catalogue.
    env.install_gettext_translations(_state.language.translations, newstyle=True)
    return env


@_guarded
def on_nav(nav, config, files):
    """The sidebar's titles come from mkdocs.yml in English; each edition shows them translated."""
    _ = _state.language.gettext

    def walk(items):
        for item in items:
            if item.title:  # plain text (portal.check.configcheck, portal.check.pocheck), escaped: Material does not escape it
                item.title = Markup.escape(_(item.title))
            if getattr(item, "children", None):
                walk(item.children)

    walk(nav.items)
    return nav


def _content_edition(files, config) -> None:
    """Hand-written pages: ``about.az.md`` replaces ``about.md`` in the az edition, at the same
    address; a page without a version in the edition stays in English, with a note."""
    lang = _state.language.code
    _state.page_sources = {}
    _state.fallback_pages = set()
    variants = {}
    for file in list(files.documentation_pages()):
        variant = translations.page_variant(file.src_uri)
        if variant:
            files.remove(file)
            if variant[1] == lang:
                variants[variant[0]] = file
    for file in files.documentation_pages():
        if file.generated_by:
            continue
        if file.src_uri in variants:
            file.abs_src_path = variants[file.src_uri].abs_src_path
            _state.page_sources[file.src_uri] = variants[file.src_uri].src_uri
        elif lang != DEFAULT:
            _state.fallback_pages.add(file.src_uri)  # counted in one line at the end (on_post_build)
    # The translators' catalogues (and their README) sit beside the templates; they are not part of the site.
    for file in list(files):
        if file.src_uri.startswith("locale/"):
            files.remove(file)


@_guarded
def on_files(files, config):
    _content_edition(files, config)
    output: Output = _state.output
    _state.generated_pages = set(output.pages)
    for src_uri in output.pages:
        existing = files.get_file_from_path(src_uri)
        if existing is not None and not existing.generated_by:
            raise PluginError(f"content/{src_uri}: this page is generated from data/; rename or remove the hand-written file")
        # Region pages stay out of the sidebar: Material renders the whole navigation into every
        # page, which would make the build quadratic in the number of regions.
        inclusion = InclusionLevel.NOT_IN_NAV if src_uri.startswith(("regions/", "countries/")) and src_uri != "regions/index.md" else InclusionLevel.UNDEFINED
        # Its Markdown comes from the Output when MkDocs reads the page (on_page_read_source),
        # one page at a time, so that the build never holds every generated page at once.
        files.append(File.generated(config, src_uri, content="", inclusion=inclusion))
    # The map layers, the feeds and the open-data downloads: written by the Output into a
    # temporary folder, from which MkDocs copies them.
    for path in output.files():
        files.append(File.generated(config, path, abs_src_path=output.path(path)))
    # Material's instant navigation fetches "sitemap.xml" beside every <link rel=alternate>,
    # meant for language editions; the feed links are alternates too. An empty sitemap there
    # answers that request instead of a 404.
    files.append(File.generated(config, "feeds/sitemap.xml", content=feeds.EMPTY_SITEMAP))
    # Search engines: every page's address in each edition (hreflang), written once, by the English
    # build at the site's root, and a robots.txt that names every sitemap.
    if _state.language.code == DEFAULT:
        editions = config.extra["portal"]["editions"]
        urls = ["" if f.url == "./" else f.url for f in files.documentation_pages()]
        files.append(File.generated(config, HREFLANG_SITEMAP, content=hreflang_sitemap(urls, editions)))
        sitemaps = [f"Sitemap: {e['link']}sitemap.xml" for e in editions] + [f"Sitemap: {editions[0]['link']}{HREFLANG_SITEMAP}"]
        files.append(File.generated(config, "robots.txt", content="User-agent: *\nAllow: /\n\n" + "\n".join(sitemaps) + "\n"))
    # The JSON Schemas, at stable addresses, for editors' tools and for reusers.
    for schema in sorted((Path(config.config_file_path).parent / "data" / "schemas").glob("*.schema.json")):
        files.append(File.generated(config, f"schemas/{schema.name}", content=schema.read_bytes()))
    return files


@_guarded
def on_page_read_source(page, config):
    # MkDocs 1.6 marks this event deprecated in favour of filling File contents in on_files,
    # which would hold every generated page in memory at once (43 MB at 1,000 regions).
    # MkDocs reads (and decodes) the page's file next; an error there is the file's
    _state.processing = _page_label(page, config)
    _state.reading = True
    if page.file.src_uri in _state.generated_pages:
        _state.reading = False  # made from data/, by the portal
        prepared = _state.output.page(page.file.src_uri)
        _state.prepared[page.file.src_uri] = prepared
        return prepared.markdown
    return None


def _page_label(page, config) -> str:
    if page.file.generated_by:
        return f"{page.file.src_uri} (made from data/)"
    return f"{Path(config.docs_dir).name}/{_state.page_sources.get(page.file.src_uri, page.file.src_uri)}"


@_guarded
def on_page_markdown(markdown, page, config, files):
    _state.processing = _page_label(page, config)
    _state.reading = False
    renderer: Renderer = _state.renderer
    repository = _state.repository
    if page.file.generated_by:
        # "Edit this page" opens the data file the page is made from; the description comes from it.
        data_file = renderer.data_file(page.file.src_uri)
        if repository and data_file:
            verb = "tree" if data_file.endswith("/") else "edit"
            page.edit_url = f"{repository[0]}/{verb}/{repository[1]}/{data_file}"
        page.meta["description"] = Markup.escape(renderer.description(page.file.src_uri))
        # Already stashed, and cut for the search index (portal.build.prerender)
        prepared = _state.prepared.pop(page.file.src_uri)
        _state.stash[page.file.src_uri] = prepared.store
        if prepared.hidden:
            _state.search_cut[page.file.src_uri] = prepared
        return markdown
    # Material writes the front matter's description into an attribute unescaped (plain text: portal.check.pagecheck)
    if isinstance(page.meta.get("description"), str):
        page.meta["description"] = Markup.escape(page.meta["description"])
    if repository:
        source = _state.page_sources.get(page.file.src_uri, page.file.src_uri)
        page.edit_url = f"{repository[0]}/edit/{repository[1]}/{Path(config.docs_dir).name}/{source}"
    try:
        label = f"{Path(config.docs_dir).name}/{_state.page_sources.get(page.file.src_uri, page.file.src_uri)}"
        return expand_directives(markdown, label, page.file.src_uri, renderer, _stash_for(page))
    except ValueError as exc:
        raise PluginError(str(exc))


def _stash_for(page) -> list[str]:
    store: list[str] = []
    _state.stash[page.file.src_uri] = store
    return store


@_guarded
def on_page_content(html, page, config, files):
    # The stashed HTML blocks stay stashed (compressed) until the page is built: MkDocs converts
    # every page before it writes the first, so page.content would hold every page's HTML at once.
    if page.file.src_uri in _state.fallback_pages:
        html = _fallback_note(html)
    _state.written_files = files  # see on_page_context
    return html


def _material_search(config) -> bool:
    search = config.plugins.get("material/search") or config.plugins.get("search")
    return type(search).__module__.startswith("material.") and bool(search.config.get("enabled", True))


def _release_written(files) -> None:
    """Drop the content of generated files already written, byte for byte, into the site."""
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


@event_priority(100)  # before Material's search plugin reads page.content
@_guarded
def _page_html(context, page, config, nav):
    html = unstash(page.content, _state.stash.pop(page.file.src_uri, []))
    # Material's search plugin parses page.content in its on_page_context: it gets the page
    # without the elements marked data-search-exclude, which _after_search puts back after it.
    # A generated page comes with them cut out already (portal.build.prerender).
    cut = _state.search_cut.pop(page.file.src_uri, None)
    if cut is not None:
        _state.search_hidden[page.file.src_uri] = cut.hidden_elements()
    elif _material_search(config):
        html, hidden = searchtext.hide(html)
        if hidden:
            _state.search_hidden[page.file.src_uri] = hidden
    page.content = html
    return context


@event_priority(-100)  # after every plugin's on_page_context, Material's search included
@_guarded
def _after_search(context, page, config, nav):
    # MkDocs copies every other file into the site before it builds the first page; the
    # generated ones (downloads, map layers, feeds) would stay in memory to the end of the build.
    files = _state.take("written_files")
    if files is not None:
        _release_written(files)
    hidden = _state.search_hidden.pop(page.file.src_uri, None)
    if hidden:
        page.content = searchtext.restore(page.content, hidden, written=page.file.src_uri in _state.generated_pages)
    return context


on_page_context = CombinedEvent(_page_html, _after_search)


def _fallback_note(html: str) -> str:
    """A page shown in English in another edition: said so, in the edition's language, and
    marked lang="en" for screen readers and translation tools."""
    language = _state.language
    note = language.gettext("This page is not yet translated into %(language)s; it is shown in English.", language=language.in_text())
    return f'<p class="portal-untranslated" role="note">{Markup.escape(note)}</p>\n<div lang="en">\n{html}\n</div>'



@_guarded
def on_post_page(output, page, config):
    _state.processing = _page_label(page, config)
    # The page is rendered and about to be written: nothing reads its HTML or Markdown again in
    # this build (the search plugin has indexed it, the sitemap needs only its address), but
    # MkDocs keeps every page object, and with it every page's HTML, to the end of the build.
    page.content = ""
    page.markdown = ""
    return _with_policy(drop_language_links(output), _page_source(page, config))


def _page_source(page, config) -> str:
    """The page's address and what it is made from, for messages."""
    if page.file.generated_by:
        made_from = _state.renderer.data_file(page.file.src_uri)
        return f"{page.file.dest_uri} (made from {made_from or 'data/'})"
    source = _state.page_sources.get(page.file.src_uri, page.file.src_uri)
    return f"{page.file.dest_uri} ({Path(config.docs_dir).name}/{source}, a translation or mkdocs.yml)"


def _with_policy(html: str, where: str) -> str:
    try:
        return csp.add_policy(html, _state.scripts, _state.tiles_url)
    except csp.ForeignScript as exc:
        raise PluginError(f"{where}: {exc}; refused: only the templates' scripts may run (python -m portal validate finds its cause in a page, a catalogue or a setting)") from None


@_guarded
def on_post_template(output_content, template_name, config):
    # 404.html and sitemap.xml are theme templates, not pages
    if not template_name.endswith(".html"):
        return output_content
    return _with_policy(drop_language_links(output_content), f"{template_name} (the template, a translation or mkdocs.yml)")
