"""The portal's data pipeline, independent of MkDocs, one sub-package per stage:

- ``load/``: file discovery, YAML with line numbers and plain-word errors, the parse cache and
  the worker processes (forking);
- ``check/``: schemas, untrusted text, wording, dates, GeoJSON, pages, catalogues, the MkDocs
  configuration, and ``inputs``, which runs them all for ``validate`` and the build alike;
- ``model/``: the frozen dataclasses, the per-kind builders and their checks (``builders/``),
  ``load_site`` (``model/site.py``), which runs load, check and the builders, and the facts derived
  from the model without labels (``derived``);
- ``render/``: the route table, formatting, views, the Jinja environment, the renderer (``pages``),
  directives, the editors' field tables, maps, charts, ages, glossary markers, the handover register;
- ``publish/``: the downloads and the data package, the feeds;
- ``i18n/``: languages, catalogues, translation coverage;
- ``build/``: the build glue (the hook's events, every Material/MkDocs workaround) and what the
  hook and ``export`` share: the second core (prerender), search text, the CSP, the served
  page, the atomic swap of the site folder;
- ``commands/``: ``python -m portal diff``, ``new`` and ``export``; ``tools/``: the maintainers' scripts.

At the top: ``problems``, the error type every stage shares (a vocabulary, not a stage).

Only ``hooks/portal_hook.py`` and the glue in ``build/`` (``edition``, ``sitefiles``, ``page``,
``material``) import MkDocs: ``python -m portal`` validates, diffs, scaffolds and exports
without it, so the generator can move to another static-site tool.
"""

__version__ = "0.1.0"
