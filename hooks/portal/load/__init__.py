"""Reading the data files: YAML with line numbers and plain-word errors, and the worker processes that read them (see portal.model.site for the discovery and the per-kind builders)."""
