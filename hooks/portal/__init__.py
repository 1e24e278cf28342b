"""The portal's data pipeline, independent of MkDocs, one sub-package per stage:

- ``load/``: file discovery, YAML with line numbers and plain-word errors, the parse cache and
  the worker processes (forking);
- ``check/``: schemas, untrusted text, wording, dates, GeoJSON, pages, catalogues, the MkDocs
  configuration, and ``inputs``, which runs them all for ``validate`` and the build alike;
- ``model/``: the frozen dataclasses, the per-kind builders and their checks, and ``load_site``
  (``model/site.py``), which runs load, check and the builders;
- ``render/``: routes, charts, ages, glossary markers, the handover register;
- ``publish/``: the downloads and the data package, the feeds;
- ``i18n/``: languages, catalogues, translation coverage;
- ``build/``: what the hook and ``export`` share: the second core (prerender), search text, the
  CSP, the served page, the standalone export, the atomic swap of the site folder;
- ``commands/``: ``python -m portal diff`` and ``new``; ``tools/``: the maintainers' scripts.

Still flat, for now: ``problems`` (the error type every stage shares),
``pages`` (the renderer) and ``maps`` (map layers), which belong in render/: they move with the
browser tests that import them (issue 15).

Only ``hooks/portal_hook.py`` imports MkDocs: ``python -m portal`` validates, diffs and
scaffolds without it, so the generator can move to another static-site tool.
"""

__version__ = "0.1.0"
