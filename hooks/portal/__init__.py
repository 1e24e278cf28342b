"""The portal's data pipeline, independent of MkDocs.

load (YAML with line numbers) -> validate (JSON Schema + references) -> model (frozen
dataclasses) -> pages and fragments (Jinja templates in overrides/portal) -> exports.

Only ``hooks/portal_hook.py`` and :mod:`portal.render_mkdocs` import MkDocs.
"""

__version__ = "0.1.0"
