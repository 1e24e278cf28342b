"""One check of everything a build reads, shared by ``python -m portal validate``, ``export`` and
every build, so that they never disagree: the data (:mod:`portal.model.site`), the hand-written
pages and the files they include (:mod:`portal.check.pagecheck`, with their directives), the
catalogues (:mod:`portal.check.pocheck`) and the configuration (:mod:`portal.check.configcheck`).
Every problem of a run is collected before any is reported. Nothing here knows MkDocs.

Why here, beside ``problems.py`` and above the stages: running every check means calling what
sits above ``check/`` in the pipeline, the model's builders (``load_site``), the catalogues' and
the translations' checks (``i18n/``) and the pages' directives, whose arguments only
``render.directives`` knows, with the route table's reserved addresses. In ``check/`` it would be
the one module of the stage that imports the stages after it; in ``glue/`` it would tie
``validate`` to MkDocs; in ``commands/`` the build could not call it (the glue imports no
command). So it is its own step of the pipeline, after the stages (load, check, model, render,
i18n) and before their callers (the build glue, ``export`` and ``validate``); ``.importlinter``
holds it there: it imports no MkDocs (not even through the glue), no command and no tool, and
no stage imports it.
"""

from __future__ import annotations

import os
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from portal.check.configcheck import config_problems
from portal.i18n import translations
from portal.i18n.i18n import DEFAULT, EDITIONS, catalogue_problems
from portal.model.model import Site
from portal.model.site import load_site
from portal.problems import DataError, Problem, count, report
from portal.render.directives import scan_pages
from portal.render.routes import reserved_region_ids


@dataclass
class Checked:
    site: Site | None
    data_problems: list[Problem] | None = None  # the data's problems, when it could not be loaded
    errors: list[str] = field(default_factory=list)  # the pages', catalogues' and configuration's
    pages: dict[str, set[str]] = field(default_factory=dict)  # see translations.content_pages

    @property
    def ok(self) -> bool:
        return self.data_problems is None and not self.errors

    def message(self, outcome: str | None = None) -> str:
        """Every problem; ``outcome`` says what the run did not do ("nothing was published" for a
        build, "the site was not rebuilt" under serve; validate publishes nothing, so says nothing of it)."""
        parts = [report(self.data_problems, outcome)] if self.data_problems is not None else []
        if self.errors:
            what = count(len(self.errors), "problem", "problems") + " in the pages, catalogues or configuration"
            parts += self.errors + [f"{what}: {outcome}. Fix the lines above." if outcome else f"{what}. Fix the lines above, then run make validate again."]
            if os.environ.get("GITHUB_ACTIONS"):  # on the pull request's lines, as the data's problems are
                parts += [_annotation(error) for error in self.errors]
        return "\n".join(parts)


def _annotation(error: str) -> str:
    match = re.match(r"(?P<file>[^:\s]+)(?::(?P<line>[0-9]+))?: (?P<message>.*)", error, re.S)
    if not match:
        return Problem("", 0, "", error, "error").github_annotation()
    return Problem(match.group("file"), int(match.group("line") or 0), "", match.group("message")).github_annotation()


def check_inputs(data_dir: Path, content_dir: Path, config: Mapping[str, Any] | None, env: Mapping[str, str] | None = None) -> Checked:
    content_dir = Path(content_dir)
    pages, errors = translations.content_pages(content_dir) if content_dir.is_dir() else ({}, [])
    errors += catalogue_problems()
    if config is not None:
        errors += config_problems(config, env)
    try:
        site, data_problems = load_site(Path(data_dir), reserved_ids=reserved_region_ids()), None
    except DataError as exc:
        site, data_problems = None, list(exc.problems)
    # without a model, the pages are still checked (their directives' references are not)
    errors += scan_pages(content_dir, site) if content_dir.is_dir() else []
    if site is not None and content_dir.is_dir():
        errors += _generated_page_clashes(site, content_dir)
    return Checked(site, data_problems, errors, pages)


def _generated_page_clashes(site: Site, content_dir: Path) -> list[str]:
    """A hand-written page at the address of a page made from data/ (the build would refuse it
    only once MkDocs has emptied the site's folder)."""
    from portal.render.routes import page_uris

    out = []
    for uri in page_uris(site):
        for candidate in [uri, *(f"{uri[:-3]}.{lang}.md" for lang in EDITIONS if lang != DEFAULT)]:
            if (content_dir / candidate).exists():
                out.append(f"{content_dir.name}/{candidate}: this page is generated from data/; rename or remove the hand-written file")
    return out
