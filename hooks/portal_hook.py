"""The portal's MkDocs hook: it only translates MkDocs events into calls of ``hooks/portal``.

MkDocs puts this file's folder on sys.path only while it imports the hook, so the
package is imported here, at import time. ``mkdocs serve`` does not reload hook code:
restart it after changing anything under hooks/ (data changes rebuild as usual).
"""

from __future__ import annotations

import logging
import os
from pathlib import Path

from markupsafe import Markup
from mkdocs.exceptions import PluginError
from mkdocs.structure.files import File, InclusionLevel

from portal import csp, feeds
from portal.dataset import keep_parsed_files, load_site
from portal.exports import Exports
from portal.pages import Renderer, expand_directives, scan_pages, stash_page, unstash
from portal.problems import DataError, report

# Only loggers under "mkdocs." count towards --strict.
log = logging.getLogger("mkdocs.plugins.portal")

_state: dict = {}


def on_startup(command, dirty):
    if command == "serve":  # rebuilds re-parse only the files that changed
        keep_parsed_files()


def _repository(config) -> tuple[str, str] | None:
    """The GitHub repository and branch for "edit" links: from mkdocs.yml (PORTAL_REPOSITORY_URL),
    else from GitHub Actions. MkDocs's repo_url is not used: with it Material would ask the
    GitHub API for stars and forks on every page, a request to a third-party host."""
    settings = config.extra.get("portal", {}) or {}
    repository = settings.get("repository") or ""
    if not repository and os.environ.get("GITHUB_REPOSITORY"):
        repository = f"{os.environ.get('GITHUB_SERVER_URL', 'https://github.com')}/{os.environ['GITHUB_REPOSITORY']}"
    return (repository.rstrip("/"), settings.get("branch", "main")) if repository else None


def on_config(config):
    root = Path(config.config_file_path).parent
    docs_dir = Path(config.docs_dir)
    try:
        site = load_site(root / "data")
    except DataError as exc:
        # Directive errors are worth knowing in the same run, even without a model.
        extra = scan_pages(docs_dir, None)
        raise PluginError(report(exc.problems) + ("\n" + "\n".join(extra) if extra else ""))
    errors = scan_pages(docs_dir, site)
    if errors:
        raise PluginError("\n".join(errors) + f"\n{len(errors)} problem(s) in page directives: nothing was published.")
    # Data warnings (a ring rewound, coordinates rounded, a region without geometry) are
    # repaired or harmless: shown, but at INFO so that a strict build still succeeds.
    for warning in site.warnings:
        log.info(str(warning))
    settings = config.extra.get("portal", {}) or {}
    tiles = (settings.get("map") or {}).get("tiles") or {}
    repository = _repository(config)
    _state["repository"] = repository
    edit_base = f"{repository[0]}/edit/{repository[1]}/" if repository else None
    _state["tiles_url"] = tiles.get("url") if tiles.get("enabled", True) else None
    _state["renderer"] = Renderer(
        site, edit_base=edit_base, tiles=tiles if tiles.get("enabled", True) else None, schema_dir=root / "data" / "schemas"
    )
    return config


def on_files(files, config):
    renderer: Renderer = _state["renderer"]
    for src_uri, markdown in renderer.pages().items():
        existing = files.get_file_from_path(src_uri)
        if existing is not None and not existing.generated_by:
            raise PluginError(f"content/{src_uri}: this page is generated from data/; rename or remove the hand-written file")
        # Region pages stay out of the sidebar: Material renders the whole navigation into every
        # page, which would make the build quadratic in the number of regions.
        inclusion = InclusionLevel.NOT_IN_NAV if src_uri.startswith("regions/") and src_uri != "regions/index.md" else InclusionLevel.UNDEFINED
        files.append(File.generated(config, src_uri, content=markdown, inclusion=inclusion))
    for src_uri, content in renderer.map_layers().items():
        files.append(File.generated(config, src_uri, content=content))
    site_url = config.site_url or "http://127.0.0.1:8000/"
    files.append(File.generated(config, feeds.ATOM, content=feeds.atom(renderer.site, site_url)))
    files.append(File.generated(config, feeds.JSON, content=feeds.json_feed(renderer.site, site_url)))
    # Material's instant navigation fetches "sitemap.xml" beside every <link rel=alternate>,
    # meant for language editions; the feed links are alternates too. An empty sitemap there
    # answers that request instead of a 404.
    files.append(File.generated(config, "feeds/sitemap.xml", content=feeds.EMPTY_SITEMAP))
    # Open data: every dataset as CSV and JSON, the map layers, the Data Package, and the page listing them.
    exports = Exports(renderer.site, renderer, Path(config.config_file_path).parent / "data" / "schemas")
    downloads = exports.files(site_url, exports.last_updated())
    for path, content in downloads.items():
        files.append(File.generated(config, path, content=content))
    page = renderer.data_page(exports.summary(downloads), exports.last_updated(), len(downloads["data/datapackage.json"]))
    files.append(File.generated(config, "data.md", content=page))
    # The JSON Schemas, at stable addresses, for editors' tools and for reusers.
    for schema in sorted((Path(config.config_file_path).parent / "data" / "schemas").glob("*.schema.json")):
        files.append(File.generated(config, f"schemas/{schema.name}", content=schema.read_bytes()))
    return files


def on_page_markdown(markdown, page, config, files):
    renderer: Renderer = _state["renderer"]
    repository = _state.get("repository")
    if page.file.generated_by:
        # "Edit this page" opens the data file the page is made from; the description comes from it.
        data_file = renderer.data_file(page.file.src_uri)
        if repository and data_file:
            verb = "tree" if data_file.endswith("/") else "edit"
            page.edit_url = f"{repository[0]}/{verb}/{repository[1]}/{data_file}"
        page.meta["description"] = Markup.escape(renderer.description(page.file.src_uri))
        return stash_page(markdown, _stash_for(page))
    if repository:
        page.edit_url = f"{repository[0]}/edit/{repository[1]}/{Path(config.docs_dir).name}/{page.file.src_uri}"
    try:
        label = f"{Path(config.docs_dir).name}/{page.file.src_uri}"
        return expand_directives(markdown, label, page.file.src_uri, renderer, _stash_for(page))
    except ValueError as exc:
        raise PluginError(str(exc))


def _stash_for(page) -> list[str]:
    store: list[str] = []
    _state.setdefault("stash", {})[page.file.src_uri] = store
    return store


def on_page_content(html, page, config, files):
    return unstash(html, _state.get("stash", {}).pop(page.file.src_uri, []))


def on_post_page(output, page, config):
    return csp.add_policy(output, _state.get("tiles_url"))


def on_post_template(output_content, template_name, config):
    # 404.html and sitemap.xml are theme templates, not pages
    return csp.add_policy(output_content, _state.get("tiles_url")) if template_name.endswith(".html") else output_content
