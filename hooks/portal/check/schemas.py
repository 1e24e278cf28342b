"""The JSON Schemas of ``data/schemas``, read once, and the one place where a ``$ref`` is resolved.

Every reader of the schemas goes through :func:`schemas`: the validator (portal.check.schemacheck,
which inlines every ``$ref``), the editors' field tables (portal.render.schemadocs.schema_fields), the
downloads' field descriptions (portal.publish.exports) and the translation coverage
(portal.i18n.translations). The parsed schemas are kept for as long as no file of the folder
changes (its names, sizes and modification times), so ``mkdocs serve`` still sees an edited schema.

Hand-written rather than ``referencing`` (jsonschema's resolver): the schemas' references are
plain ``file#/json/pointer`` within one folder, and the readers need the name of the definition a
reference points at, and the reference's own ``description`` over the definition's, which
``referencing`` does not give.
"""

from __future__ import annotations

import json
from functools import lru_cache
from pathlib import Path
from typing import Any, NamedTuple


class Resolved(NamedTuple):
    node: Any  # what the reference points at (merged with the reference's own keys, see resolve)
    file: str  # the schema file it is in, e.g. "common.schema.json"
    definition: str | None  # the last part of its pointer ("date" for #/$defs/date), or None


class Schemas:
    """The schema files of one folder, by file name (``"region.schema.json"``)."""

    def __init__(self, docs: dict[str, Any]):
        self.docs = docs

    def target(self, ref: str, current: str) -> Resolved:
        """What ``ref`` points at, read in ``current`` (the file the reference is written in)."""
        file, _, pointer = ref.partition("#")
        file = file or current
        node: Any = self.docs[file]
        for part in filter(None, pointer.strip("/").split("/")):
            node = node[part]
        return Resolved(node, file, pointer.rsplit("/", 1)[-1] or None)

    def resolve(self, node: dict, current: str) -> Resolved:
        """One step: a node with ``$ref`` becomes its target, with the node's other keys (its own
        ``description``) over the target's; a node without is returned as it is. A target that is
        itself a reference is left as it is (``common.schema.json#/$defs/checked`` is documented
        as "checked", not as the date it refers to)."""
        ref = node.get("$ref")
        if not ref:
            return Resolved(node, current, None)
        target = self.target(ref, current)
        return target._replace(node={**target.node, **{k: v for k, v in node.items() if k != "$ref"}})

    def follow(self, node: Any, current: str) -> Resolved:
        """Every step of a chain of references, to the first node that is not one (the object
        in the schema itself, so it can be recognised by identity; the references' own keys are
        dropped)."""
        definition = None
        while isinstance(node, dict) and "$ref" in node:
            node, current, definition = self.target(node["$ref"], current)
        return Resolved(node, current, definition)

    def inline(self, node: Any, current: str) -> Any:
        """The schema with every $ref replaced by what it points at, all the way down (the
        schemas have no recursion), each reference's own keys over its target's."""
        if isinstance(node, list):
            return [self.inline(item, current) for item in node]
        if not isinstance(node, dict):
            return node
        if "$ref" not in node:
            return {key: self.inline(value, current) for key, value in node.items()}
        target = self.target(node["$ref"], current)
        siblings = {key: self.inline(value, current) for key, value in node.items() if key != "$ref"}
        return {**self.inline(target.node, target.file), **siblings}


def schemas(schema_dir: str | Path) -> Schemas:
    """The schemas of ``schema_dir``, parsed once for as long as its files stay the same."""
    paths = sorted(Path(schema_dir).glob("*.schema.json"))
    return _read(tuple((str(p), p.stat().st_mtime_ns, p.stat().st_size) for p in paths))


@lru_cache(maxsize=8)
def _read(files: tuple[tuple[str, int, int], ...]) -> Schemas:
    return Schemas({Path(path).name: json.loads(Path(path).read_text("utf-8")) for path, _, _ in files})
