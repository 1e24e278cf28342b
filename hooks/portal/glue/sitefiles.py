"""The files of one edition's build, as MkDocs's ``Files``: the hand-written pages in the
edition's language, and everything the portal adds (on_files): the pages and files made from
data/, the sitemaps and robots.txt for search engines, the JSON Schemas.
"""

from __future__ import annotations

from pathlib import Path

from mkdocs.exceptions import PluginError
from mkdocs.structure.files import File

from portal.glue import material
from portal.i18n import translations
from portal.i18n.i18n import DEFAULT

HREFLANG_SITEMAP = "sitemap-hreflang.xml"


class MovedInLater(File):
    """A file that the Output writes beside the site while MkDocs builds it, and moves into the
    site after MkDocs's last page (portal.glue.prerender.Output.move_files): MkDocs copies every
    other file before it builds the first page, when this one may not be written yet."""

    def copy_file(self, dirty: bool = False) -> None:
        return None


def content_edition(files, lang: str) -> tuple[dict[str, str], set[str]]:
    """Hand-written pages: ``about.az.md`` replaces ``about.md`` in the az edition, at the same
    address; a page without a version in the edition stays in English, with a note. Returns
    which file each replaced page is read from, and the pages shown in English."""
    page_sources: dict[str, str] = {}
    fallback_pages: set[str] = set()
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
            page_sources[file.src_uri] = variants[file.src_uri].src_uri
        elif lang != DEFAULT:
            fallback_pages.add(file.src_uri)  # counted in one line at the end (on_post_build)
    # The translators' catalogues (and their README) sit beside the templates; they are not part of the site.
    for file in list(files):
        if file.src_uri.startswith("locale/"):
            files.remove(file)
    return page_sources, fallback_pages


def add_generated(files, config, output, lang: str) -> None:
    """The pages and files that ``output`` (a :class:`portal.glue.prerender.Output`) makes, the
    pages in the order it makes them; the sitemaps, robots.txt and the schemas."""
    for src_uri in output.pages:
        existing = files.get_file_from_path(src_uri)
        if existing is not None and not existing.generated_by:
            raise PluginError(f"content/{src_uri}: this page is generated from data/; rename or remove the hand-written file")
        # Its Markdown comes from the Output when MkDocs builds the page (portal.glue.material.
        # convert_when_built), one page at a time: the build never holds every generated page at once.
        files.append(File.generated(config, src_uri, content="", inclusion=material.inclusion(src_uri)))
    # The map layers, the feeds and the downloads: known to MkDocs (a hand-written page may link
    # to a download), but moved into the site by the Output after the last page, not copied.
    for path in output.files():
        files.append(MovedInLater.generated(config, path, abs_src_path=output.path(path)))
    files.append(material.feed_sitemap(config))
    # Search engines: every page's address in each edition (hreflang), written once, by the English
    # build at the site's root, and a robots.txt that names every sitemap.
    if lang == DEFAULT:
        editions = config.extra["portal"]["editions"]
        urls = ["" if f.url == "./" else f.url for f in files.documentation_pages()]
        files.append(File.generated(config, HREFLANG_SITEMAP, content=hreflang_sitemap(urls, editions)))
        files.append(File.generated(config, "robots.txt", content=robots_txt(editions)))
    # The JSON Schemas, at stable addresses, for editors' tools and for reusers.
    for schema in sorted((Path(config.config_file_path).parent / "data" / "schemas").glob("*.schema.json")):
        files.append(File.generated(config, f"schemas/{schema.name}", content=schema.read_bytes()))


def robots_txt(editions: list[dict]) -> str:
    """Every crawler may read everything; every edition's sitemap, and the hreflang one, named."""
    sitemaps = [f"Sitemap: {e['link']}sitemap.xml" for e in editions] + [f"Sitemap: {editions[0]['link']}{HREFLANG_SITEMAP}"]
    return "User-agent: *\nAllow: /\n\n" + "\n".join(sitemaps) + "\n"


def hreflang_sitemap(page_urls: list[str], editions: list[dict]) -> str:
    """A sitemap for search engines with every page's address in each edition (hreflang, and
    English as x-default). Every edition has every page (in English where not yet translated).

    Kept apart from the editions' own sitemap.xml, which Material's scripts download on a
    reader's first visit: with four alternates per address it would be five times larger."""
    from xml.sax.saxutils import escape, quoteattr

    out = ['<?xml version="1.0" encoding="UTF-8"?>', '<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9" xmlns:xhtml="http://www.w3.org/1999/xhtml">']
    for url in page_urls:
        links = [f'<xhtml:link rel="alternate" hreflang="{e["lang"]}" href={quoteattr(e["link"] + url)}/>' for e in editions]
        links.append(f'<xhtml:link rel="alternate" hreflang="x-default" href={quoteattr(editions[0]["link"] + url)}/>')
        for edition in editions:
            out.append(f"<url><loc>{escape(edition['link'] + url)}</loc>{''.join(links)}</url>")
    out.append("</urlset>")
    return "\n".join(out) + "\n"
