"""The data model: the dataclasses every later stage reads (model), the per-kind builders that
make them from the parsed files and check what a schema cannot (builders/), load_site, which
runs the pipeline from data/ to a Site (site), and the facts derived from the model, with no
labels (derived)."""
