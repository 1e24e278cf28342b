"""Checks on every input: the schemas (read once, with the one ``$ref`` resolver: schemas) and the
validator (schemacheck), untrusted text, wording, dates, GeoJSON, pages, catalogues, the MkDocs
configuration; portal.inputs (above the stages) runs them all together."""
