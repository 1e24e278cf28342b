"""JSON Schema validation (the ``jsonschema`` library) with messages an editor can act on.

The schemas live in ``data/schemas/`` so that editors' tools (VS Code's YAML extension) can use
the very same files. Each jsonschema error is translated into ``field: message`` with the
line of the field; a pattern's explanation comes from the schema's own ``x-message``.

Speed: most files are valid, and jsonschema's ``iter_errors`` costs the same whether it finds
an error or not (about 0.1 ms per file). So each file is first checked by a validator that
fastjsonschema compiles to Python code, ten times faster; only a file that it rejects goes
through ``iter_errors``, which finds and explains every problem as before. The compiled check
is never looser than jsonschema on our schemas (tests/load/test_perf_validation.py), so a file it
accepts has no problem to report.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Iterator
from functools import cache
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:  # jsonschema itself is imported on first use: most runs have only valid files
    from jsonschema import Draft202012Validator
    from jsonschema.exceptions import ValidationError

try:
    import fastjsonschema
except ImportError:  # pragma: no cover - then every file goes through iter_errors
    fastjsonschema = None

from portal.check import dates
from portal.check.schemas import schemas
from portal.load.yamlload import Loaded
from portal.problems import Problem, format_path

_TYPE_NAMES = {
    "string": "text",
    "integer": "a whole number",
    "number": "a number",
    "boolean": "true or false",
    "object": "a set of fields (name: value)",
    "array": "a list (lines starting with '- ')",
    "null": "nothing",
}


@cache
def _inlined(name: str, schema_dir: str) -> dict:
    """The schema with every $ref replaced by what it points at (portal.check.schemas).

    jsonschema resolves a $ref on every use; inlined, validation is about twice as fast, which
    counts at 10,000 regions and 50,000 events."""
    main = f"{name}.schema.json"
    found = schemas(schema_dir)
    return found.inline(found.docs[main], main)


@cache
def validator(name: str, schema_dir: str) -> Draft202012Validator:
    from jsonschema import Draft202012Validator

    return Draft202012Validator(_inlined(name, schema_dir))


# The keywords that the compiled check understands as jsonschema does; a schema with any
# other keyword is checked by jsonschema alone.
_COMPILED_KEYWORDS = frozenset(
    {
        "$schema", "$defs", "$comment", "title", "description", "x-message", "examples",
        "type", "properties", "additionalProperties", "required", "items", "minItems", "maxItems", "uniqueItems",
        "enum", "const", "pattern", "minLength", "maxLength", "minimum", "maximum", "anyOf",
    }
)


@cache
def fast_validator(name: str, schema_dir: str):
    """A compiled check of the whole file: raises for any problem, says nothing of which.
    None when fastjsonschema is missing or the schema uses a keyword not known to agree."""
    if fastjsonschema is None:
        return None
    schema = dict(_inlined(name, schema_dir))
    if not {key for key, _ in _walk(schema)} <= _COMPILED_KEYWORDS or not all(_agrees(key, value) for key, value in _walk(schema)):
        return None
    # The inlined schema has no $ref left and uses only keywords that mean the same in
    # draft 7 (fastjsonschema's newest) and in 2020-12. Defaults are never filled in.
    schema["$schema"] = "http://json-schema.org/draft-07/schema#"
    schema.pop("$defs", None)
    try:
        # Without detailed exceptions: the compiled check only says yes or no (jsonschema
        # explains), and its code is a third of the size, which Python compiles in a third of
        # the time (about 50 ms rather than 130 for the ten schemas, in every build and validate).
        return fastjsonschema.compile(_without_const(schema), use_default=False, use_formats=False, detailed_exceptions=False)
    except Exception:  # pragma: no cover - a schema it cannot compile: jsonschema alone
        return None


def _without_const(node: Any) -> Any:
    """The schema with every ``const`` written as the one-item ``enum`` it means (the text
    consts that _agrees lets through; fastjsonschema 2.22 cannot compile ``const`` without
    detailed exceptions). Both compile to the same comparison; a node with both keeps the
    values of its ``enum`` equal to its ``const``."""
    if isinstance(node, list):
        return [_without_const(item) for item in node]
    if not isinstance(node, dict):
        return node
    out = {key: _keyword(key, value) for key, value in node.items() if key != "const"}
    if "const" in node:
        out["enum"] = [value for value in node.get("enum", [node["const"]]) if value == node["const"]]
    return out


def _keyword(key: str, value: Any) -> Any:
    if key in ("properties", "$defs") and isinstance(value, dict):  # names, then schemas (as in _walk)
        return {name: _without_const(sub) for name, sub in value.items()}
    return value if key in ("enum", "examples", "required") else _without_const(value)


def _agrees(key: str, value: Any) -> bool:
    """Whether fastjsonschema reads this keyword exactly as jsonschema does: ``items`` as one
    schema (a list means tuples in draft 7), and ``enum``/``const`` of text only (Python's
    ``True == 1`` would let true pass for 1)."""
    if key == "items":
        return isinstance(value, dict)
    if key == "enum":
        return isinstance(value, list) and all(isinstance(v, str) for v in value)
    if key == "const":
        return isinstance(value, str)
    return True


def _walk(node: Any) -> Iterator[tuple[str, Any]]:
    """Every (keyword, value) of a schema, nested ones included."""
    if isinstance(node, dict):
        for key, value in node.items():
            if key in ("properties", "$defs") and isinstance(value, dict):  # names, then schemas
                for sub in value.values():
                    yield from _walk(sub)
                continue
            yield key, value
            if key not in ("enum", "const", "examples", "required"):
                yield from _walk(value)
    elif isinstance(node, list):
        for item in node:
            yield from _walk(item)


def check(loaded: Loaded, schema: str, schema_dir: str) -> list[Problem]:
    """Every schema problem of one loaded file, with lines."""
    fast = fast_validator(schema, schema_dir)
    if fast is not None:
        try:
            fast(loaded.data)
            return []
        except fastjsonschema.JsonSchemaException:
            pass  # find and explain every problem below
    problems = []
    for error in validator(schema, schema_dir).iter_errors(loaded.data):
        for path, message in _explain(error, loaded):
            problems.append(Problem(loaded.file, loaded.line(path), format_path(path), message))
    return problems


@cache
def _definition_validator(ref: str, schema_dir: str) -> Draft202012Validator:
    from jsonschema import Draft202012Validator

    file = ref.partition("#")[0]
    return Draft202012Validator(schemas(schema_dir).inline({"$ref": ref}, file))


def value_problems(value: Any, ref: str, schema_dir: str) -> list[tuple[tuple, str]]:
    """Every problem of one value against a definition of the schemas (``ref``, such as
    ``common.schema.json#/$defs/text``), as (path inside the value, message), explained as a
    file's are: for a field of a file that is not YAML (a feature's note in data/geo/)."""
    loaded = Loaded(file="", data=value)
    return [found for error in _definition_validator(ref, str(schema_dir)).iter_errors(value) for found in _explain(error, loaded)]


def _describe(value: Any, raw: str | None) -> str:
    if isinstance(value, bool):
        return f"{raw or str(value).lower()}"
    if isinstance(value, (int, float)):
        return f"the number {raw or value}"
    if isinstance(value, str):
        return f"the text '{value}'" if len(value) < 60 else "text"
    if value is None:
        return "nothing"
    if isinstance(value, list):
        return "a list"
    return "a set of fields"


# 30,5 or 1198,7: a comma that cannot be a thousands separator (not followed by three digits)
_DECIMAL_COMMA = re.compile(r"[0-9]+,(?:[0-9]{1,2}|[0-9]{4,})")
# 97,000, 1 000 000 or 1,198.7: thousands separators
_GROUPED = re.compile(r"[0-9]{1,3}(?:[, ][0-9]{3})+(?:\.[0-9]+)?")


def _hint(expected: set[str], value: Any, raw: str | None) -> str:
    if "string" in expected and isinstance(value, (bool, int, float)):
        return f"; put it in quotes to keep it as written: \"{raw}\""
    if {"number", "integer"} & expected and isinstance(value, str):
        text = value.strip()
        if _DECIMAL_COMMA.fullmatch(text):
            # 30,5 is 30.5 written with a decimal comma, or 305 with a separator: only the editor knows
            whole, fraction = text.split(",")
            return f"; {whole}.{fraction} (a decimal point) or {whole}{fraction} (no separator)?"
        if _GROUPED.fullmatch(text):
            return f"; write numbers without separators: {re.sub('[, ]', '', text)}"
        if len(text) > 1 and text.isdigit() and text.startswith("0"):
            return f"; a number cannot start with 0: write {int(text)}"
        if text.endswith("%"):
            return f"; write the number alone: {text.rstrip('%').strip()}"
    if "boolean" in expected and isinstance(value, str) and value.lower() in {"yes", "no", "on", "off", "y", "n", "true", "false"}:
        return "; write true or false"
    return ""


def _unknown_fields(error: ValidationError, path: tuple, value: Any) -> Iterator[tuple[tuple, str]]:
    """additionalProperties: each field the schema does not know, with the closest it does."""
    allowed = sorted(error.schema.get("properties", {}))
    for key in value:
        if key in error.schema.get("properties", {}):
            continue
        msg = f"unknown field '{key}'"
        close = difflib.get_close_matches(key, allowed, n=1)
        if close:
            msg += f" (did you mean '{close[0]}'?)"
        if allowed:
            msg += f"; expected one of: {', '.join(allowed)}"
        yield path + (key,), msg


def _not_an_option(error: ValidationError, value: Any, raw: str | None) -> str:
    """enum and const: the options, and the closest to what was written."""
    options = error.validator_value if error.validator == "enum" else [error.validator_value]
    msg = f"expected one of: {', '.join(map(str, options))}; got {_describe(value, raw)}"
    if isinstance(value, str):
        close = difflib.get_close_matches(value, [str(o) for o in options], n=1)
        if close:
            msg += f" (did you mean '{close[0]}'?)"
    return msg


def _explain(error: ValidationError, loaded: Loaded) -> Iterator[tuple[tuple, str]]:
    path = tuple(error.absolute_path)
    kind = error.validator
    value = error.instance
    raw = loaded.raw.get(path)
    custom = error.schema.get("x-message") if isinstance(error.schema, dict) else None

    if kind == "additionalProperties":
        yield from _unknown_fields(error, path, value)
    elif kind == "required":
        for key in error.validator_value:
            if isinstance(value, dict) and key not in value:
                yield path + (key,), "required field is missing"
    elif kind == "type" and _is_date(error.schema):
        yield path, f"{custom or 'expected a date written YYYY-MM-DD'}, got {_describe(value, raw)}{dates.advice(raw or value)}"
    elif kind == "type":
        expected = {error.validator_value} if isinstance(error.validator_value, str) else set(error.validator_value)
        names = " or ".join(_TYPE_NAMES[t] for t in sorted(expected))
        yield path, f"expected {names}, got {_describe(value, raw)}{_hint(expected, value, raw)}"
    elif kind in ("anyOf", "oneOf"):
        yield from _explain_branches(error, loaded, custom)
    elif kind in ("enum", "const"):
        yield path, _not_an_option(error, value, raw)
    elif kind == "pattern" and _is_date(error.schema):
        yield path, f"{custom}, got {_describe(value, raw)}{dates.advice(value)}"
    elif kind == "maxLength":
        yield path, f"is {len(value):,} characters long; the limit is {error.validator_value:,}: shorten it"
    elif kind in ("pattern", "minLength"):
        yield path, custom or f"does not have the expected form; got {_describe(value, raw)}"
    elif kind == "minimum":
        yield path, f"must be at least {error.validator_value}, got {raw or value}"
    elif kind == "maximum":
        yield path, f"must be at most {error.validator_value}, got {raw or value}"
    elif kind == "minItems":
        n = error.validator_value
        yield path, f"must list at least {n} item{'s' if n != 1 else ''}"
    elif kind == "uniqueItems":
        yield path, "lists the same item more than once"
    elif kind == "propertyNames":
        for sub in error.context:
            yield path + (sub.instance,), f"'{sub.instance}' is not a valid id: " + (
                sub.schema.get("x-message", sub.message) if isinstance(sub.schema, dict) else sub.message
            )
    else:  # pragma: no cover - a keyword our schemas do not use yet
        yield path, error.message


def _explain_branches(error: ValidationError, loaded: Loaded, custom: str | None) -> Iterator[tuple[tuple, str]]:
    """For ``anyOf`` (text or per-language mapping; date or null), report the errors of the
    branch whose type matches the value; when none matches, say what was expected."""
    branches: dict[int, list[ValidationError]] = {}
    for sub in error.context:
        branches.setdefault(sub.relative_schema_path[0], []).append(sub)
    same_type = [
        errs
        for errs in branches.values()
        if not any(e.validator in ("type", "const") and not e.relative_path for e in errs)
    ]
    if len(same_type) == 1:
        for sub in same_type[0]:
            yield from _explain(sub, loaded)
        return
    path = tuple(error.absolute_path)
    raw = loaded.raw.get(path)
    advice = dates.advice(raw or error.instance) if any(_is_date(sub.schema) for sub in error.context) else ""
    yield path, f"{custom or 'does not have the expected form'}; got {_describe(error.instance, raw)}{advice}"


def _is_date(schema: Any) -> bool:
    """The schemas' date (common.schema.json#/$defs/date): its message names the form YYYY-MM-DD."""
    return isinstance(schema, dict) and "YYYY-MM-DD" in str(schema.get("x-message", ""))
