"""The portal's data pipeline, independent of MkDocs.

load (YAML with line numbers) -> validate (JSON Schema + references) -> model (frozen
dataclasses) -> pages and fragments (Jinja templates in overrides/portal) -> exports.

Only ``hooks/portal_hook.py`` imports MkDocs: ``python -m portal`` validates, diffs and
scaffolds without it, so the generator can move to another static-site tool.
"""

__version__ = "0.1.0"
