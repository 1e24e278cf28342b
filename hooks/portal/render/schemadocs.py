"""The editors' documentation of the data files (the ``<!-- portal:schema name=... -->``
directive): each field's name, whether it is required, its type in words and its description,
read from the JSON Schemas that validate the data (:mod:`portal.check.schemas`, whose resolver
follows the ``$ref``s), so that nothing is documented twice by hand."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from portal.check.schemas import schemas

SCHEMA_NAMES = ("sources", "actors", "figures", "country", "region", "observation", "handover", "event", "impacts", "demands", "glossary")
COMMON_SCHEMA_PARTS = ("observation", "handover")  # definitions of common.schema.json with their own table


def schema_file(name: str) -> str:
    """The schema file that documents the part ``name``."""
    return "common.schema.json" if name in COMMON_SCHEMA_PARTS else f"{name}.schema.json"


# What a shared definition of common.schema.json means to an editor.
_DEFINITIONS = {
    "text": "text (or one per language)",
    "name": "name (or one per language)",
    "ids": "list of ids",
    "figures": "figures (lists of observations)",
    "short_text": "short text (or one per language), at most 160 characters",
    "caveats": "list of: undated, names_no_source, secondary_report, own_estimate",
    "checked": "date (YYYY-MM-DD)",
    "handover": "a handover block (see below)",
    "qualifier": "one of: about, more_than, at_least, at_most, fewer_than",
    "whole_number": "whole number",
}
_TYPES = {"string": "text", "number": "number", "boolean": "true or false", "array": "list", "object": "fields"}
_PLAIN_DEFINITIONS = {"date": "date (YYYY-MM-DD, YYYY-MM or YYYY)", "id": "id", "plain_text": "text"}


def schema_fields(schema_dir: Path, name: str) -> list[dict[str, Any]]:
    """The fields of one part of the data (a name of :data:`SCHEMA_NAMES`), as the editors'
    documentation lists them: name, required, type in words, description."""
    found = schemas(schema_dir)
    root, current = _entry(found, name)
    out = []
    for key, node in root.get("properties", {}).items():
        resolved, _, definition = found.resolve(node, current)
        kind = _DEFINITIONS.get(definition or "") or _kind(resolved, definition)
        out.append({"name": key, "required": key in root.get("required", []), "type": kind, "description": resolved.get("description", "")})
    return out


def _entry(found, name: str) -> tuple[dict, str]:
    """The schema of one entry of the part ``name`` (one source, one region...), and its file."""
    resolve = found.resolve
    current = schema_file(name)
    root = found.docs[current]["$defs"][name] if name in COMMON_SCHEMA_PARTS else found.docs[current]
    if root.get("type") == "array":
        root, _, _ = resolve(root["items"], current)
    entries = root.get("properties", {}).get({"glossary": "terms"}.get(name, name))
    if isinstance(entries, dict) and entries.get("type") == "array":  # checked: ..., then name: [entries]
        root, _, _ = resolve(entries["items"], current)
    # a mapping of entries by id (figures.yml), beside the file's own checked date
    if "additionalProperties" in root and isinstance(root["additionalProperties"], dict) and set(root.get("properties", {})) <= {"checked", "draft_translations"}:
        root = root["additionalProperties"]
    return root, current


def _kind(resolved: dict, definition: str | None) -> str:
    """A field's type in words, from its resolved schema."""
    if "enum" in resolved:
        return "one of: " + ", ".join(map(str, resolved["enum"]))
    if "anyOf" in resolved:
        return resolved.get("x-message", "see description").removeprefix("expected ")
    if definition in _PLAIN_DEFINITIONS:
        return _PLAIN_DEFINITIONS[definition]
    types = resolved.get("type", "")
    types = types[0] if isinstance(types, list) else types
    return _TYPES.get(types, definition or str(types))
