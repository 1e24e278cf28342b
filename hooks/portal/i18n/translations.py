"""What the language editions still lack: data texts without a translation, content pages
without a translated file. Warnings only, never errors: a missing translation falls back to
English on the page, with a note.

Which fields are translatable is read from the JSON Schemas (a field whose schema is the
``text`` or ``name`` definition of common.schema.json), so a new text field is covered as
soon as its schema says so. Nothing here knows MkDocs.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

import yaml

from portal.check.schemas import schemas
from portal.i18n.i18n import DEFAULT, EDITIONS, NAMES
from portal.load import forking

# From this many files on, the report is made on two cores (see portal.load.forking).
PARALLEL_MIN_FILES = 500

# The base loader resolves no implicit types: only the structure, the text and the lines are needed.
_Loader = getattr(yaml, "CBaseLoader", yaml.BaseLoader)

TEXT_DEFS = ("text", "name", "short_text")
# data file pattern -> schema file, as in portal.load.discovery
FILES = (
    ("sources.yml", "sources"),
    ("actors.yml", "actors"),
    ("figures.yml", "figures"),
    ("impacts.yml", "impacts"),
    ("demands.yml", "demands"),
    ("countries/*.yml", "country"),
    ("regions/*.yml", "region"),
    ("events/*.yml", "event"),
)


class _Schemas:
    """Which fields of a file the schemas declare translatable (portal.check.schemas reads them)."""

    def __init__(self, schema_dir: Path):
        self.schemas = schemas(schema_dir)
        self._resolved: dict[tuple[int, str], tuple[dict, str, str | None]] = {}

    def resolve(self, node: dict, current: str) -> tuple[dict, str, str | None]:
        """Follows $ref: (node, file it is in, name of the definition it is, if any)."""
        key = (id(node), current)
        if key not in self._resolved:
            self._resolved[key] = tuple(self.schemas.follow(node, current))
        return self._resolved[key]

    def texts(self, value: yaml.Node, node: dict, current: str, path: tuple, line: int) -> Iterator[tuple[tuple, int, yaml.Node]]:
        """Every (path, line, YAML node) in ``value`` that the schema declares translatable."""
        node, current, name = self.resolve(node, current)
        if name in TEXT_DEFS and current == "common.schema.json":
            yield path, line, value
            return
        if isinstance(value, yaml.MappingNode):
            props = node.get("properties", {})
            extra = node.get("additionalProperties")
            patterns = node.get("patternProperties", {})
            for key_node, sub in value.value:
                key = key_node.value
                schema = props.get(key)
                if schema is None:
                    schema = next((s for p, s in patterns.items() if re.search(p, str(key))), None)
                if schema is None and isinstance(extra, dict):
                    schema = extra
                if schema is not None:
                    yield from self.texts(sub, schema, current, path + (key,), key_node.start_mark.line + 1)
        elif isinstance(value, yaml.SequenceNode) and isinstance(node.get("items"), dict):
            for i, item in enumerate(value.value):
                yield from self.texts(item, node["items"], current, path + (i,), item.start_mark.line + 1)
        for option in node.get("anyOf", []) + node.get("oneOf", []) + node.get("allOf", []):
            option_node, _, _ = self.resolve(option, current)
            kind = option_node.get("type")
            if isinstance(value, yaml.MappingNode) and kind == "object" or isinstance(value, yaml.SequenceNode) and kind == "array":
                yield from self.texts(value, option, current, path, line)


def _field(path: tuple) -> str:
    out = ""
    for part in path:
        out += f"[{part}]" if isinstance(part, int) else (f".{part}" if out else str(part))
    return out


def missing_in_data(data_dir: Path, langs: tuple[str, ...] = EDITIONS) -> list[str]:
    """``file:line: field: no az translation; the az edition shows the English text`` for every text field."""
    data_dir = Path(data_dir)
    schemas = _Schemas(data_dir / "schemas")
    files = [(path, schema, f"{data_dir.name}/{path.relative_to(data_dir).as_posix()}") for pattern, schema in FILES for path in sorted(data_dir.glob(pattern))]

    def lines(part: list[tuple[Path, str, str]]) -> list[str]:
        out: list[str] = []
        for path, schema, rel in part:
            try:  # libyaml's composer (C): lines without building values; the validator reports broken files
                root = yaml.compose(path.read_bytes(), Loader=_Loader)
            except (yaml.YAMLError, UnicodeDecodeError, OSError):
                continue
            if root is None:
                continue
            for where, line, value in schemas.texts(root, {"$ref": f"{schema}.schema.json"}, f"{schema}.schema.json", (), 1):
                have = {k.value for k, v in value.value if isinstance(v, yaml.ScalarNode) and v.value.strip()} if isinstance(value, yaml.MappingNode) else set()
                for lang in langs:
                    if lang != DEFAULT and lang not in have:
                        out.append(f"{rel}:{line}: {_field(where)}: no {lang} ({NAMES[lang]}) translation; the {lang} edition shows the English text")
        return out

    # Thousands of files (English-only data of 10,000 regions: 60,000 files, 300,000 lines): on two cores.
    if len(files) >= PARALLEL_MIN_FILES and forking.can_fork():
        return forking.in_two(files, lines)
    return lines(files)


_VARIANT = re.compile(r"^(?P<stem>.+)\.(?P<lang>[a-z]{2})\.md$")


def page_variant(src_uri: str) -> tuple[str, str] | None:
    """``about.az.md`` -> (``about.md``, ``az``); None for a page in the default language."""
    match = _VARIANT.match(src_uri)
    if match and match.group("lang") in EDITIONS and match.group("lang") != DEFAULT:
        return f"{match.group('stem')}.md", match.group("lang")
    return None


def content_pages(docs_dir: Path) -> tuple[dict[str, set[str]], list[str]]:
    """Each English page of ``docs_dir`` with the editions that have their own version of it, and
    the errors: a translated page without its English page (its address would not exist)."""
    docs_dir = Path(docs_dir)
    pages: dict[str, set[str]] = {}
    orphans: list[tuple[str, str]] = []
    for path in sorted(docs_dir.rglob("*.md")):
        rel = path.relative_to(docs_dir).as_posix()
        variant = page_variant(rel)
        if variant is None:
            pages.setdefault(rel, set()).add(DEFAULT)
        else:
            orphans.append((rel, variant[0]))
    errors = []
    for rel, base in orphans:
        if base not in pages:
            errors.append(f"{docs_dir.name}/{rel}: translated page without an English page {docs_dir.name}/{base}; every page needs its English version (the fallback)")
        else:
            pages[base].add(page_variant(rel)[1])
    return pages, errors


def missing_pages(docs_dir: Path, langs: tuple[str, ...] = EDITIONS) -> list[str]:
    pages, _ = content_pages(docs_dir)
    name = Path(docs_dir).name
    out = []
    for base, have in pages.items():
        for lang in langs:
            if lang not in have:
                out.append(f"{name}/{base}: no {lang} ({NAMES[lang]}) version ({name}/{base[:-3]}.{lang}.md); the {lang} edition shows the English page")
    return out


LIST_HINT = "make validate TRANSLATIONS=1 (python -m portal validate --translations) lists them"


def _count(n: int, one: str, many: str) -> str:
    return f"{n:,} {one if n == 1 else many}"


def summary(lang: str, texts: int, files: int | None = None, pages: int = 0, strings: int = 0) -> str | None:
    """One line for one edition: ``az: 256 texts in 31 files not yet translated; make validate
    TRANSLATIONS=1 lists them`` (None when nothing is missing)."""
    parts = []
    if texts:
        parts.append(_count(texts, "text", "texts") + (f" in {_count(files, 'file', 'files')}" if files else ""))
    if pages:
        parts.append(_count(pages, "page", "pages"))
    if strings:
        parts.append(_count(strings, "interface string", "interface strings"))
    if not parts:
        return None
    listed = ", ".join(parts[:-1]) + " and " + parts[-1] if len(parts) > 1 else parts[0]
    return f"{lang}: {listed} not yet translated (shown in English meanwhile); {LIST_HINT}"


def report(data_dir: Path, content_dir: Path | None, untranslated_strings: dict[str, list[str]], full: bool = False) -> list[str]:
    """What validate prints about translations: by default one summary line per edition; with
    ``full``, every missing text and page, one line each (``file:line: field: …``), then the
    summaries. Interface strings are counted here; ``python -m portal.tools.i18n check`` lists them."""
    data_lines = missing_in_data(data_dir)
    page_lines = missing_pages(content_dir) if content_dir is not None and Path(content_dir).is_dir() else []
    out = [f"warning: {line}" for line in data_lines + page_lines] if full else []
    for lang in EDITIONS:
        if lang == DEFAULT:
            continue
        tag = f" no {lang} ("
        texts = [line for line in data_lines if tag in line]
        pages = [line for line in page_lines if tag in line]
        strings = untranslated_strings.get(lang, [])
        line = summary(lang, len(texts), len({t.split(":", 1)[0] for t in texts}), len(pages), len(strings))
        if line:
            if strings:
                line += "; python -m portal.tools.i18n check lists the interface strings"
            out.append(f"warning: {line}")
    return out
