"""The portal's data pipeline, independent of MkDocs, one sub-package per stage, in the order a
build runs them:

- ``load/``: file discovery (``discovery``), YAML with line numbers (``yamlload``) and plain-word
  errors (``yamlhelp``), the parsed files kept under ``mkdocs serve``, and the forked process that
  parses half of many files (``forking``);
- ``check/``: the schemas, read once, with the one ``$ref`` resolver (``schemas``) and the
  validator (``schemacheck``); untrusted text, wording, dates, GeoJSON, pages, catalogues, the
  MkDocs configuration; and ``inputs``, which runs them all for ``validate``, ``export`` and the
  build alike;
- ``model/``: the frozen dataclasses (``model``), the per-kind builders and their checks
  (``builders/``), ``load_site`` (``site``), which runs load, check and the builders, and the facts
  derived from the model without labels (``derived``);
- ``render/``: the one table of every generated page (``routes``), formatting, views, the Jinja
  environment, the renderer (``pages``), directives, the editors' field tables, maps, charts,
  ages, glossary markers, the handover register;
- ``publish/``: the downloads and the data package, the feeds (from the model and
  ``render.formatting``, never the renderer);
- ``i18n/``: languages, catalogues, translation coverage;
- ``glue/``: the build glue (what the hook's events call, every Material/MkDocs workaround) and
  what the hook and ``export`` share: the second core (``prerender``), search text, the CSP, the
  served page, the atomic swap of the site folder;
- ``commands/``: ``python -m portal diff``, ``new`` and ``export``; ``tools/``: the maintainers' scripts.

At the top: ``problems``, the error type every stage shares (a vocabulary, not a stage), and
``__main__``, ``python -m portal``.

Only ``hooks/portal_hook.py`` and the glue in ``glue/`` (``edition``, ``sitefiles``, ``page``,
``material``) run MkDocs: ``python -m portal`` validates, diffs, scaffolds and exports without it,
so the generator can move to another static-site tool. (``check/`` borrows two of MkDocs's
helpers, its YAML loader and its front-matter splitter, to read ``mkdocs.yml`` and a page exactly
as a build does.) The layers are contracts in ``.importlinter``.
"""

__version__ = "0.1.0"
