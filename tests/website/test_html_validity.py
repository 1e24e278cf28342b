"""Every page of the built site is valid HTML, as the Nu Html Checker (vnu) judges it.

The only messages ignored are about markup that Material for MkDocs itself writes into every
page; each ignore rule says why. Anything the portal's templates produce must be valid."""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess

import pytest

from conftest import ROOT

VNU = ROOT / "node_modules" / "vnu-jar" / "build" / "dist" / "vnu.jar"

MATERIAL_OWNED = [
    # Material's drawer and search toggles are checkboxes with autocomplete="off" (partials/header, base.html).
    re.compile(r"Attribute “autocomplete” is only allowed when the input type is"),
    # Material's navigation writes tabindex="" on section labels it does not make focusable (partials/nav-item.html).
    re.compile(r"Bad value “” for attribute “tabindex” on element “label”"),
    # Material's table-of-contents label points at the hidden __toc toggle (partials/toc.html).
    re.compile(r"The value of the “for” attribute of the “label” element must be the ID of a non-hidden form control"),
]


@pytest.mark.skipif(
    (not VNU.exists() or not shutil.which("java")) and not os.environ.get("CI"),
    reason="the Nu Html Checker needs Java and the npm package vnu-jar (make test installs it where npm exists)",
)
def test_every_page_is_valid_html(built_site):
    result = subprocess.run(
        ["java", "-jar", str(VNU), "--errors-only", "--verbose", "--format", "json", "--skip-non-html", str(built_site)],
        capture_output=True,
        text=True,
        timeout=300,
    )
    # With --verbose, vnu names every file it checks on stdout, one a line; the report is on stderr.
    checked = {line.strip() for line in result.stdout.splitlines() if line.strip()}
    pages = {str(p) for p in built_site.rglob("*.html")}
    assert pages and checked == pages, f"vnu did not check: {sorted(pages - checked)[:5]}"
    messages = json.loads(result.stderr)["messages"]
    problems = [
        f"{m['url'].split(str(built_site))[-1]}:{m.get('lastLine')}: {m['message']}"
        for m in messages
        # a "non-document-error" is a page vnu could not read or parse: never ignored
        if m["type"] in ("error", "non-document-error") and not any(rule.search(m["message"]) for rule in MATERIAL_OWNED)
    ]
    assert problems == []
