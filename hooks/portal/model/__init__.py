"""The data model: the dataclasses every later stage reads (built by portal.model.site)."""
