"""The site's pages and files made from data/, without MkDocs: ``python -m portal export``.

Writes into one folder what the hook hands MkDocs for one language edition: every generated
page as Markdown (headings in Markdown, the rest HTML), the hand-written pages of content/ with
their ``<!-- portal:… -->`` directives replaced by what they show, the map layers, the feeds,
the open-data downloads and the JSON Schemas. Another static-site generator that reads Markdown
(Material's successor Zensical, say) can start from that folder; so can a reviewer who wants to
read what a data change makes, file by file. Nothing here knows MkDocs.
"""

from __future__ import annotations

import shutil
import tempfile
from pathlib import Path

from portal.glue.prerender import Output
from portal.i18n.i18n import DEFAULT, edition_url
from portal.inputs import check_inputs
from portal.render.directives import expand_directives
from portal.render.pages import Renderer


class ExportError(Exception):
    """The data, the pages or the catalogues have errors, or the folder is not empty: nothing was written."""


def export(data_dir: Path, content_dir: Path, out_dir: Path, lang: str = DEFAULT, site_url: str = "http://127.0.0.1:8000/") -> list[str]:
    """Write the edition ``lang`` into ``out_dir`` (which must be empty or not exist); the paths
    written, relative to it. Raises ExportError with every problem of the data, the pages and
    the catalogues, as ``validate`` reports them; nothing is written then. The files are written
    into a folder beside ``out_dir`` that takes its name only once everything is in it."""
    data_dir, content_dir, out_dir = Path(data_dir), Path(content_dir), Path(out_dir)
    if out_dir.exists() and (not out_dir.is_dir() or any(out_dir.iterdir())):
        raise ExportError(f"{out_dir}: not an empty folder; export writes only into an empty or new folder")
    # the configuration is not checked here: export takes only --site-url from it, checked below
    checked = check_inputs(data_dir, content_dir, {"site_url": site_url})
    if not checked.ok:
        raise ExportError(checked.message("nothing was exported"))
    site, pages = checked.site, checked.pages
    schema_dir = data_dir / "schemas"
    renderer = Renderer(site, lang=lang, schema_dir=schema_dir)
    english = renderer if lang == DEFAULT else Renderer(site, schema_dir=schema_dir)
    # the pages as rendered: nothing stashed for Markdown (MkDocs's), nothing cut for a search index (Material's)
    output = Output(renderer, english, schema_dir, edition_url(site_url, DEFAULT), edition_url(site_url, lang), hide_search=False, stash=False)
    out_dir.parent.mkdir(parents=True, exist_ok=True)
    building = Path(tempfile.mkdtemp(prefix=f".{out_dir.name}-", dir=out_dir.parent))
    written: list[str] = []

    def put(relative: str, text: str | None = None, copy_of: Path | None = None) -> None:
        target = building / relative
        target.parent.mkdir(parents=True, exist_ok=True)
        if copy_of is not None:
            shutil.copyfile(copy_of, target)
        else:
            target.write_text(text, "utf-8")
        written.append(relative)

    try:
        output.start()
        for uri in output.pages:
            put(uri, output.page(uri).markdown)
        for uri, editions in pages.items():
            source = f"{uri[:-3]}.{lang}.md" if lang in editions and lang != DEFAULT else uri
            markdown = (content_dir / source).read_text("utf-8")
            put(uri, expand_directives(markdown, f"{content_dir.name}/{source}", uri, renderer))
        output.finish()
        for relative in output.files():
            put(relative, copy_of=Path(output.path(relative)))
        for schema in sorted(schema_dir.glob("*.schema.json")):
            put(f"schemas/{schema.name}", copy_of=schema)
        if out_dir.exists():
            out_dir.rmdir()  # empty, checked above
        building.rename(out_dir)
    finally:
        output.close()
        shutil.rmtree(building, ignore_errors=True)  # gone already, unless something failed
    return written
