"""One page on its way through MkDocs (the hook's page events): what messages call it, its
edit link and description, its directives, the note on a page not yet translated, and the
Content-Security-Policy of the HTML written.
"""

from __future__ import annotations

from pathlib import Path

from markupsafe import Markup
from mkdocs.exceptions import PluginError

from portal.glue import csp, material
from portal.glue.edition import Edition
from portal.load import frontmatter
from portal.render import routes
from portal.render.directives import expand_directives


def label(page, config, page_sources: dict[str, str]) -> str:
    """The file an error in the page is in, as editors know it."""
    if page.file.generated_by:
        return f"{page.file.src_uri} (made from data/)"
    return f"{Path(config.docs_dir).name}/{page_sources.get(page.file.src_uri, page.file.src_uri)}"


def where_written(page, config, edition: Edition, page_sources: dict[str, str]) -> str:
    """The page's address and what it is made from, for messages."""
    if page.file.generated_by:
        made_from = edition.renderer.data_file(page.file.src_uri)
        return f"{page.file.dest_uri} (made from {made_from or 'data/'})"
    source = page_sources.get(page.file.src_uri, page.file.src_uri)
    return f"{page.file.dest_uri} ({Path(config.docs_dir).name}/{source}, a translation or mkdocs.yml)"


def generated(page, edition: Edition) -> None:
    """A page made from data/: "Edit this page" opens the data file the page is made from; the
    description comes from it."""
    renderer = edition.renderer
    repository = edition.repository
    data_file = renderer.data_file(page.file.src_uri)
    if repository and data_file:
        page.edit_url = routes.edit_url(repository, data_file)
    page.meta["description"] = Markup.escape(renderer.description(page.file.src_uri))


def handwritten(markdown: str, page, config, edition: Edition, page_sources: dict[str, str], store: list) -> str:
    """A page of content/: its edit link, and its directives replaced by what they show (the
    fragments stashed into ``store``)."""
    markdown = markdown if page.meta else frontmatter.without_empty_block(markdown)  # MkDocs leaves it in
    material.escape_description(page)
    repository = edition.repository
    if repository:
        source = page_sources.get(page.file.src_uri, page.file.src_uri)
        page.edit_url = routes.edit_url(repository, f"{Path(config.docs_dir).name}/{source}")
    try:
        where = f"{Path(config.docs_dir).name}/{page_sources.get(page.file.src_uri, page.file.src_uri)}"
        return expand_directives(markdown, where, page.file.src_uri, edition.renderer, store)
    except ValueError as exc:
        raise PluginError(str(exc)) from None


def fallback_note(html: str, edition: Edition) -> str:
    """A page shown in English in another edition: said so, in the edition's language, and
    marked lang="en" for screen readers and translation tools."""
    language = edition.language
    note = language.gettext("This page is not yet translated into %(language)s; it is shown in English.", language=language.in_text())
    return f'<p class="portal-untranslated" role="note">{Markup.escape(note)}</p>\n<div lang="en">\n{html}\n</div>'


def with_policy(html: str, where: str, edition: Edition) -> str:
    """The HTML written, without Material's language links, with its Content-Security-Policy."""
    try:
        return csp.add_policy(material.drop_language_links(html), edition.scripts, edition.tiles_url)
    except csp.ForeignScript as exc:
        raise PluginError(f"{where}: {exc}; refused: only the templates' scripts may run (python -m portal validate finds its cause in a page, a catalogue or a setting)") from None
