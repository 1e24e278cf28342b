"""The per-kind builders of the model: each reads the parsed files of its kind
(:mod:`portal.load.discovery`), checks what a schema cannot (references, dates, ranges, ids) and
returns the model's dataclasses (:mod:`portal.model.model`). :mod:`portal.model.site` runs them
in order, each kind after the kinds it refers to; :mod:`.checks` holds what they share."""
