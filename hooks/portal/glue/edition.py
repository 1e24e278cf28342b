"""One language edition's build, set up from MkDocs's configuration (on_config): the inputs
checked, the edition's address and language, its renderers, and the generated output started
on the second core.

Each edition is its own build (Material's documented pattern for multilingual sites): English
at the site's root, the others under /<lang>/, each with Material's own strings in its language,
its own search index and sitemap.
"""

from __future__ import annotations

import logging
import os
from dataclasses import dataclass
from pathlib import Path

from mkdocs.exceptions import PluginError

from portal.glue import csp, material
from portal.i18n.i18n import DEFAULT, EDITIONS, NAMES, Language, edition_url
from portal.inputs import check_inputs
from portal.model.model import Site
from portal.problems import lines as problem_lines
from portal.render.pages import Renderer

log = logging.getLogger("mkdocs.plugins.portal")


@dataclass
class Edition:
    """What the page events of one edition's build need."""

    language: Language
    renderer: Renderer  # this edition's pages
    english: Renderer  # the English edition's (the same object in the English build)
    scripts: csp.TemplateScripts  # the templates' inline scripts, for the CSP
    repository: tuple[str, str] | None  # (repository, branch), for the edit links
    tiles_url: str | None  # the map tiles' host, when the tiles are on, for the CSP


def checked_site(config, command: str | None) -> Site:
    """Every input checked, before MkDocs empties site_dir: the data, the pages, the catalogues
    and the configuration, as `python -m portal validate` checks them (portal.inputs)."""
    root = Path(config.config_file_path).parent
    checked = check_inputs(root / "data", Path(config.docs_dir), _config_values(config))
    if not checked.ok:
        raise PluginError(checked.message("the site was not rebuilt" if command == "serve" else "nothing was published"))
    return checked.site


def _config_values(config) -> dict:
    """The configuration values that reach the pages, as mkdocs.yml gives them (portal.check.configcheck)."""
    values = {key: config.get(key) for key in ("site_url", "site_name", "site_description", "copyright", "nav", "extra_javascript", "extra_css")}
    snippets = config.mdx_configs.get("pymdownx.snippets") if "pymdownx.snippets" in config.markdown_extensions else None
    return values | {"extra": dict(config.extra), "snippets": snippets}


def template_scripts(config) -> csp.TemplateScripts:
    try:
        return csp.template_scripts([Path(d) for d in config.theme.dirs])
    except csp.TemplateError as exc:
        raise PluginError(str(exc)) from None


def set_up(config, command: str | None) -> str:
    """The language edition named by theme.language (PORTAL_EDITION in mkdocs.yml): its address,
    the language selector, lunr's language."""
    lang = config.theme["language"]
    if lang not in EDITIONS:
        raise PluginError(f"mkdocs.yml: theme.language (PORTAL_EDITION) is '{lang}'; expected one of: {', '.join(EDITIONS)}")
    base = config.site_url or "http://127.0.0.1:8000/"
    base = base if base.endswith("/") else base + "/"
    if lang != DEFAULT and command == "build" and Path(config.site_dir).name != lang:
        raise PluginError(f"the {lang} edition is built into a folder named {lang} beside the English site: mkdocs build -d site/{lang} (make build does this)")
    # `mkdocs serve` serves the one edition it builds at its own address (it fixes the mount path
    # before any hook runs); a build puts the edition under /<lang>/.
    if command != "serve":
        config.site_url = edition_url(base, lang)
    editions = [{"name": NAMES[e], "lang": e, "link": edition_url(base, e)} for e in EDITIONS]
    config.extra["alternate"] = editions  # Material's language selector (its <link hreflang> tags are dropped: on_post_page)
    config.extra.setdefault("portal", {})["editions"] = editions
    config.extra["portal"]["lang"] = lang
    material.set_search_language(config, lang)
    return lang


def log_warnings(site: Site) -> None:
    """Data warnings (a ring rewound, coordinates rounded, a region without geometry) are
    repaired or harmless: shown, but at INFO so that a strict build still succeeds."""
    for line in problem_lines(site.warnings):
        log.info(line)


def make(config, site: Site, lang: str, scripts: csp.TemplateScripts) -> Edition:
    """The edition's renderers, and what its templates take from the data (the footer, the
    glossary's tooltips, the translated site name)."""
    from portal.render import freshness, glossary

    root = Path(config.config_file_path).parent
    settings = config.extra.get("portal", {}) or {}
    tiles = (settings.get("map") or {}).get("tiles") or {}
    repository = material.repository(config)
    tiles_url = tiles.get("url") if tiles.get("enabled", True) else None
    options = dict(repository=repository, directory_urls=config.use_directory_urls, tiles=tiles if tiles.get("enabled", True) else None, schema_dir=root / "data" / "schemas")
    renderer = Renderer(site, lang=lang, **options)
    # The downloads are the same in every edition: English labels, every translation in the data.
    english = renderer if lang == DEFAULT else Renderer(site, **options)
    language = Language(lang)
    config.extra["portal"]["footer"] = freshness.footer_facts(site, language)
    # Tooltips for the glossary's terms in hand-written Markdown (generated HTML: portal.render.glossary.Marker)
    config.mdx_configs.setdefault("abbr", {})["glossary"] = glossary.abbr_glossary(site.glossary, lang)
    config.mdx_configs.setdefault("toc", {})["permalink_title"] = language.gettext("Permanent link")  # the headings' ¶, in the edition's language
    material.escape_theme_texts(config, language.gettext)
    return Edition(language, renderer, english, scripts, repository, tiles_url)


def start_output(config, edition: Edition):
    """The generated pages, map layers and downloads, made from here on, on the second core
    where there is one, while MkDocs collects files, converts the hand-written pages and builds
    the pages; the files are written beside the site (portal.glue.atomic.files_dir)."""
    from portal.glue import atomic
    from portal.glue.prerender import Output

    root = Path(config.config_file_path).parent
    # one canonical address for the datasets: the English edition's (the files are the same in every edition)
    site_link = config.extra["portal"]["editions"][0]["link"]
    edition_link = config.site_url or "http://127.0.0.1:8000/"
    output = Output(edition.renderer, edition.english, root / "data" / "schemas", site_link, edition_link, hide_search=material.material_search(config), directory=atomic.files_dir(config.site_dir))
    output.start()
    return output


def translation_summary(config, edition: Edition, fallback_pages: set[str]) -> None:
    """One line per edition for what it shows in English (TRANSLATIONS=1, i.e. PORTAL_TRANSLATIONS=1:
    every text and page, one line each, as validate lists them). At INFO: not warnings for --strict."""
    from portal.i18n import translations
    from portal.problems import count

    lang = edition.language.code
    if lang == DEFAULT:
        return
    if os.environ.get("PORTAL_TRANSLATIONS", "").lower() in ("1", "yes", "true"):
        root = Path(config.config_file_path).parent
        for line in translations.missing_in_data(root / "data", (lang,)) + translations.missing_pages(Path(config.docs_dir), (lang,)):
            log.info(line)
    views = edition.renderer.views
    shown = [count(views.fallbacks_total, "data text", "data texts")] if views.fallbacks_total else []
    pages = len(fallback_pages)
    shown += [count(pages, "page", "pages")] if pages else []
    if shown:
        log.info(f"{lang}: {' and '.join(shown)} {'is' if shown == ['1 data text'] or shown == ['1 page'] else 'are'} shown in English (not yet translated); {translations.LIST_HINT}")
