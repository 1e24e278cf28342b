"""Maintenance commands run by hand (``python -m portal.tools.<name>``), never by the build."""
