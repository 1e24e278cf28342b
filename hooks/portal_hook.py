"""The portal's MkDocs hook: it only translates MkDocs events into calls of ``hooks/portal/glue``.

MkDocs puts this file's folder on sys.path only while it imports the hook, so the
package is imported here, at import time. ``mkdocs serve`` does not reload hook code:
restart it after changing anything under hooks/ (data changes rebuild as usual); under serve,
a change there prints one line that says so (on_serve).

The events of one build, in MkDocs's order, and what each hands on in :class:`_BuildState`:

    on_startup         command, dirty (serve: parsed files kept, failed builds shown)
    on_config          edition (checked inputs, language, renderers), output (started)
    on_pre_build       publish (the hidden folder built into)
    on_files           page_sources, fallback_pages, generated_pages, files
    on_nav             (the sidebar's titles translated)
    on_pre_page, on_page_markdown, on_page_content: every page, before any is written:
                       stash (a generated page: converted when built), written_files
    on_env             (the edition's catalogue for main.html)
    on_page_context, on_post_page: page by page: a generated page taken from the output and
                       converted, search_hidden (the search plugin between the two halves of
                       on_page_context), the CSP
    on_post_build      (the output's files moved in; the search index in UTF-8; the site swapped
                       in: portal.glue.atomic)
    on_build_error     (the output closed, the hidden folder removed)
"""

from __future__ import annotations

import functools
import gc
import logging
from dataclasses import dataclass, field, fields
from pathlib import Path
from typing import TYPE_CHECKING
from urllib.parse import urlsplit

from mkdocs.exceptions import Abort, BuildError, PluginError
from mkdocs.plugins import CombinedEvent, event_priority
from mkdocs.utils import CountHandler

from portal.glue import atomic, edition, material, minify, searchtext, sitefiles
from portal.glue import page as pages
from portal.load.discovery import could_not_read, keep_parsed_files
from portal.render.stash import unstash

if TYPE_CHECKING:  # loaded when on_config starts the output (portal.glue.edition.start_output)
    from portal.glue.prerender import Output
    from portal.glue.servepage import BuildStatus

# Only loggers under "mkdocs." count towards --strict.
log = logging.getLogger("mkdocs.plugins.portal")


@dataclass
class _BuildState:
    """What the hook keeps from one MkDocs event to the next, for one build (under ``mkdocs
    serve``, one rebuild: :meth:`forget` clears all but the command before the next)."""

    command: str | None = None  # on_startup: "build", "serve", "gh-deploy"
    serve_status: BuildStatus | None = None  # under serve: the last build's outcome, shown in the browser
    watcher: object = None  # under serve: what says when hooks/ changes (portal.glue.material.watch_hook_code)
    dirty: bool = False  # on_startup: --dirty, which adds to the site it finds
    processing: str | None = None  # what an unexpected error names: a file, or the inputs
    reading: bool = False  # while MkDocs reads a hand-written page: an error is the file's
    edition: edition.Edition | None = None  # on_config: language, renderers, CSP scripts, repository
    output: Output | None = None  # on_config: the pages made on the second core
    publish: tuple[str, str] | None = None  # (the hidden folder built into, the site_dir it replaces)
    page_sources: dict[str, str] = field(default_factory=dict)  # page -> the file it was read from
    fallback_pages: set[str] = field(default_factory=set)  # pages shown in English in this edition
    generated_pages: set[str] = field(default_factory=set)  # pages made from data/
    files: object = None  # on_files: the build's files, with which a generated page is converted
    stash: dict[str, list] = field(default_factory=dict)  # hand-written page -> HTML kept out of Markdown
    search_hidden: dict = field(default_factory=dict)  # page -> what was hidden from it, to restore
    written_files: object = None  # on_page_context -> on_post_page: the build's files

    def take(self, name: str):
        """The field's value, which is cleared (the events that hand one value on)."""
        value = getattr(self, name)
        setattr(self, name, None)
        return value

    def forget(self) -> None:
        """Everything but the command and the server's own, as before the first event of a build."""
        fresh = _BuildState(command=self.command, serve_status=self.serve_status, watcher=self.watcher)
        for item in fields(self):
            setattr(self, item.name, getattr(fresh, item.name))

    def close_output(self) -> None:
        output = self.take("output")
        if output is not None:
            output.close()


_state = _BuildState()


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


# -- the build as a whole -----------------------------------------------------------------------


def on_startup(command, dirty):
    _state.command = command
    _state.dirty = dirty
    if command == "serve":  # rebuilds re-parse only the files that changed
        from portal.glue import servepage  # only serve needs it

        _state.serve_status = servepage.BuildStatus()
        keep_parsed_files()
        material.keep_serving_on_failure(_serve_finished)


def _serve_finished(problems: list[str] | None) -> None:
    _state.serve_status.finished(problems)
    if problems is not None:
        log.error("The site was not rebuilt: every page of the site in the browser shows the problems above until they are fixed, then reloads by itself.")


def on_serve(server, config, builder):
    """The error page and the live-reload script (portal.glue.servepage), and a line in the
    terminal when the hook's code changes (MkDocs would rebuild with the old code)."""
    from portal.glue import servepage

    if not getattr(server, "portal_wrapped", False):
        server.set_app(servepage.middleware(server.get_app(), _state.serve_status, urlsplit(config.site_url or "/").path))
        server.portal_wrapped = True
        _state.watcher = material.watch_hook_code(Path(config.config_file_path).parent / "hooks")
    return server


def on_shutdown():
    watcher = _state.take("watcher")
    if watcher is not None:
        watcher.stop()


@event_priority(100)  # before Material's search plugin reads its language
@_guarded
def on_config(config):
    if _state.command == "serve":
        _forget_previous_build()
    _state.processing = "data/, content/, overrides/locale/ and mkdocs.yml"
    site = edition.checked_site(config, _state.command)
    scripts = edition.template_scripts(config)
    lang = edition.set_up(config, _state.command)
    edition.log_warnings(site)
    if _state.command == "serve":
        # The parsed files kept between rebuilds are hundreds of thousands of long-lived objects:
        # without this, every garbage collection of the rebuild would walk through them again.
        gc.collect()
        gc.freeze()
    _state.edition = edition.make(config, site, lang, scripts)
    _state.close_output()
    _state.output = edition.start_output(config, _state.edition)
    return config


def _forget_previous_build() -> None:
    """`mkdocs serve` runs every build in this process: the last build's model, renderers and
    pages go, and so does the freeze that kept them out of the collector's walks (frozen
    objects are never collected: each rebuild would otherwise keep the last one's for good)."""
    _state.close_output()
    _state.forget()
    gc.unfreeze()


def on_pre_build(config):
    """Build into a hidden folder beside site_dir, which replaces it only when the build is
    complete (portal.glue.atomic): MkDocs empties site_dir before it builds, so a failure would
    otherwise cost the published site. `mkdocs serve` builds into a temporary folder of its
    own, and a --dirty build adds to the site it finds."""
    if _state.command in ("build", "gh-deploy") and not _state.dirty:
        target = config.site_dir
        config.site_dir = atomic.partial_dir(target)
        _state.publish = (config.site_dir, target)


def on_build_error(error):
    _state.close_output()
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
    _state.processing = None
    _state.output.finish()  # every file written, here if the forked process did not
    _state.output.move_files(config.site_dir)
    _state.close_output()
    material.utf8_search_index(config.site_dir, _state.edition.language.code)
    edition.translation_summary(config, _state.edition, _state.fallback_pages)


on_post_build = CombinedEvent(_post_build, _publish)


@_guarded
def on_env(env, config, files):
    _state.processing = None
    # main.html and 404.html are rendered by MkDocs's Jinja environment: give it the edition's catalogue.
    env.install_gettext_translations(_state.edition.language.translations, newstyle=True)
    return env


@_guarded
def on_nav(nav, config, files):
    return material.translate_nav(nav, _state.edition.language.gettext)


@_guarded
def on_files(files, config):
    lang = _state.edition.language.code
    _state.page_sources, _state.fallback_pages = sitefiles.content_edition(files, lang)
    _state.generated_pages = set(_state.output.pages)
    _state.files = files
    sitefiles.add_generated(files, config, _state.output, lang)
    minify.minify_assets(files, config)  # overrides/assets/*.css and the portal's scripts
    return files


# -- page by page -------------------------------------------------------------------------------


@_guarded
def on_pre_page(page, config, files):
    # MkDocs reads (and decodes) the page's file next; an error there is the file's. A generated
    # page's file is empty (portal.glue.sitefiles): the page is taken from the output when MkDocs
    # builds it (_page_html), one page at a time.
    _state.processing = pages.label(page, config, _state.page_sources)
    _state.reading = page.file.src_uri not in _state.generated_pages
    return page


@_guarded
def on_page_markdown(markdown, page, config, files):
    _state.processing = pages.label(page, config, _state.page_sources)
    _state.reading = False
    if page.file.src_uri in _state.generated_pages:
        pages.generated(page, _state.edition)
        material.convert_when_built(page)
        return markdown
    store = _state.stash[page.file.src_uri] = []
    return pages.handwritten(markdown, page, config, _state.edition, _state.page_sources, store)


@_guarded
def on_page_content(html, page, config, files):
    # The stashed HTML blocks stay stashed (compressed) until the page is built: MkDocs converts
    # every page before it writes the first, so page.content would hold every page's HTML at once.
    if page.file.src_uri in _state.fallback_pages:
        html = pages.fallback_note(html, _state.edition)
    _state.written_files = files  # see on_page_context
    return html


@event_priority(100)  # before Material's search plugin reads page.content
@_guarded
def _page_html(context, page, config, nav):
    uri = page.file.src_uri
    # Material's search plugin parses page.content in its on_page_context: it gets the page
    # without the elements marked data-search-exclude, which _after_search puts back after it.
    if uri in _state.generated_pages:
        # Made on the second core while MkDocs built the pages before it (portal.glue.prerender),
        # stashed, and cut for the search index already.
        _state.processing = pages.label(page, config, _state.page_sources)
        prepared = _state.output.page(uri)
        material.convert_now(page, prepared.markdown, config, _state.files)
        html = unstash(page.content, prepared.store)
        if prepared.hidden:
            _state.search_hidden[uri] = prepared.hidden_elements()
    else:
        html = unstash(page.content, _state.stash.pop(uri, []))
        if material.material_search(config):
            html, hidden = searchtext.hide(html)
            if hidden:
                _state.search_hidden[uri] = hidden
    page.content = html
    return context


@event_priority(-100)  # after every plugin's on_page_context, Material's search included
@_guarded
def _after_search(context, page, config, nav):
    files = _state.take("written_files")
    if files is not None:
        material.release_written(files)
    hidden = _state.search_hidden.pop(page.file.src_uri, None)
    if hidden:
        page.content = searchtext.restore(page.content, hidden, written=page.file.src_uri in _state.generated_pages)
    return context


on_page_context = CombinedEvent(_page_html, _after_search)


@_guarded
def on_post_page(output, page, config):
    _state.processing = pages.label(page, config, _state.page_sources)
    material.release_page(page)
    if page.file.src_uri in _state.fallback_pages:
        output = material.toc_in_english(output)
    return pages.with_policy(output, pages.where_written(page, config, _state.edition, _state.page_sources), _state.edition)


@_guarded
def on_post_template(output_content, template_name, config):
    # 404.html and sitemap.xml are theme templates, not pages
    if not template_name.endswith(".html"):
        return output_content
    return pages.with_policy(output_content, f"{template_name} (the template, a translation or mkdocs.yml)", _state.edition)
