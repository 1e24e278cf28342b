"""Checks on every input: schemas, untrusted text, wording, dates, GeoJSON, pages, catalogues, the MkDocs configuration; portal.check.inputs runs them all together."""
