"""The languages of the portal have one home, portal.model.model.LANGUAGES (the editions,
portal.i18n.i18n.EDITIONS, are that tuple): every table that says something per language, and
the JSON Schemas that accept a text per language, cover exactly those languages."""

from __future__ import annotations

import json
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "hooks"))

from portal.glue import material  # noqa: E402
from portal.i18n import i18n  # noqa: E402
from portal.model.model import LANGUAGES  # noqa: E402


def test_the_editions_are_the_languages_of_the_data_and_every_per_language_table_names_each():
    assert i18n.EDITIONS is LANGUAGES and i18n.DEFAULT == LANGUAGES[0]
    for table in (i18n.NAMES, i18n.BABEL_LOCALES, i18n.LANGUAGE_IN_TEXT, material.SEARCH_LANGUAGES):
        assert tuple(table) == LANGUAGES
    catalogues = {path.stem for path in (ROOT / "overrides" / "locale").glob("*.po")}
    assert catalogues == set(LANGUAGES) - {i18n.DEFAULT}


def test_the_schemas_accept_a_text_in_each_language_and_no_other():
    common = json.loads((ROOT / "data" / "schemas" / "common.schema.json").read_text("utf-8"))["$defs"]
    assert tuple(common["languages"]["enum"]) == LANGUAGES
    mappings = [branch for node in common.values() for branch in node.get("anyOf", ()) if branch.get("type") == "object" and branch.get("required") == [i18n.DEFAULT]]
    assert mappings  # text, name, short text...
    for mapping in mappings:
        assert tuple(mapping["properties"]) == LANGUAGES and mapping["additionalProperties"] is False
