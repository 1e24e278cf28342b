"""Maintenance commands run by hand (``python -m portal.tools.<name>``; ``build_site`` by
``make build``), never by an MkDocs build."""
